"""`connectorgen diff` end to end: self-diffs, determinism, exit codes, located bad input, VEV-IQ."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from generator.cli import main
from generator.diff import Kind, compare, load_rules, load_side
from generator.diff.report import acknowledged
from generator.pipeline.sides import build_vendor_side
from generator.util.pointer import escape_pointer

REPO = Path(__file__).resolve().parents[2]
CALIBRATION = REPO / "tests" / "data" / "calibration" / "connectors"
PACKAGES = sorted(p for p in CALIBRATION.glob("*/*") if (p / "apiDefinition.swagger.json").is_file())
CERTIFIED_VEV_IQ = CALIBRATION / "certified-connectors" / "VEV-IQ"


def test_every_published_package_against_itself_reports_nothing() -> None:
    assert len(PACKAGES) == 121
    for package in PACKAGES:
        side = load_side(package)
        assert compare(side, side) == [], package.name


def test_cli_self_diff_exit_0_and_output_is_deterministic(capsys: pytest.CaptureFixture[str]) -> None:
    package = CALIBRATION / "certified-connectors" / "Calendly"
    assert main(["diff", str(package), str(package)]) == 0
    assert "no changes" in capsys.readouterr().out
    outputs = []
    for _ in range(2):
        assert main(["diff", "--format", "json", str(CERTIFIED_VEV_IQ), str(REPO / "specs" / "vev-iq")]) == 1
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1]
    report = json.loads(outputs[0])
    assert report["breaking"] > 0 and report["compatible"] > 0
    first = report["changes"][0]
    assert first["kind"] == "breaking" and first["old"].startswith("/") and "line" in first["oldLocation"]


def test_text_report_points_into_both_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = CALIBRATION / "certified-connectors" / "Airmeet" / "apiDefinition.swagger.json"
    data = json.loads(old.read_text(encoding="utf-8-sig"))
    path, item = next(iter(data["paths"].items()))
    method = next(m for m in item if m in ("get", "post", "put", "delete", "patch"))
    item[method]["x-ms-visibility"] = "internal"
    new = tmp_path / "apiDefinition.swagger.json"
    new.write_text(json.dumps(data, indent=2), encoding="utf-8")
    assert main(["diff", str(old), str(new)]) == 1
    out = capsys.readouterr().out
    escaped = escape_pointer(path)
    assert f"breaking operation_hidden {item[method]['operationId']}" in out
    assert "apiDefinition.swagger.json:" in out and f"[/paths/{escaped}/{method}]" in out
    assert out.rstrip().endswith("1 breaking, 0 compatible change(s)")


def test_tolerant_json_is_read_like_the_platform(tmp_path: Path) -> None:
    old = CALIBRATION / "certified-connectors" / "Airmeet" / "apiDefinition.swagger.json"
    text = old.read_text(encoding="utf-8-sig")
    loose = tmp_path / "apiDefinition.swagger.json"
    loose.write_text("// exported by hand\n" + text.rstrip()[:-1].rstrip() + ",\n}\n", encoding="utf-8")
    assert compare(load_side(old), load_side(loose)) == []


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", "diff", *args], capture_output=True, text=True, cwd=REPO, check=False)


def test_bad_input_exits_2_with_a_located_message(tmp_path: Path) -> None:
    good = CALIBRATION / "certified-connectors" / "Airmeet" / "apiDefinition.swagger.json"
    openapi = tmp_path / "openapi.json"
    openapi.write_text('{\n  "openapi": "3.0.1",\n  "info": {"title": "x", "version": "1"},\n  "paths": {}\n}\n')
    broken = tmp_path / "broken.json"
    broken.write_text('{\n  "swagger": "2.0",\n  "paths": {"/a": {"get": {"operationId": "A", }}}\n  "info": \n}\n')
    other = CALIBRATION / "independent-publisher-connectors" / "xkcd" / "apiDefinition.swagger.json"
    cases = [
        (openapi, "diff_not_swagger2", f"{openapi.name}:2:14", "[/openapi]"),
        (broken, "diff_json_invalid", f"{broken.name}:5:1", "[#]"),
        (tmp_path / "missing", "diff_input_unknown", "missing", "[#]"),
    ]
    for new, code, where, pointer in cases:
        result = _run(str(good), str(new))
        assert result.returncode == 2, result.stderr
        assert code in result.stderr and where in result.stderr and pointer in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
    result = _run(str(good), str(other))
    assert result.returncode == 2
    assert "diff_unrelated_connectors" in result.stderr and "[/info/title]" in result.stderr
    assert "Traceback" not in result.stderr


def test_vendor_spec_folder_is_built_like_the_build(tmp_path: Path) -> None:
    """A spec folder is compared as the package `connectorgen build` writes for it."""
    subprocess.run(
        [sys.executable, "-m", "generator", "build", "eevion", "--target", "powerplatform", "--quiet", "--out", str(tmp_path)],
        check=True, cwd=REPO, capture_output=True,
    )
    package = load_side(tmp_path / "eevion" / "powerplatform")
    built = build_vendor_side(REPO / "specs" / "eevion")
    assert built.definition == package.definition and built.properties == package.properties
    assert compare(package, built) == []


def test_certified_vev_iq_against_ours_every_break_is_acknowledged() -> None:
    """The acceptance check: connectorgen diff certified VEV-IQ vs ours, against connector.yaml."""
    import yaml

    old = load_side(REPO / "specs" / "vev-iq" / "baseline")
    assert (REPO / "specs" / "vev-iq" / "baseline" / "apiDefinition.swagger.json").read_bytes() == (
        CERTIFIED_VEV_IQ / "apiDefinition.swagger.json"
    ).read_bytes()
    changes = compare(old, build_vendor_side(REPO / "specs" / "vev-iq"))
    connector = yaml.safe_load((REPO / "specs" / "vev-iq" / "connector.yaml").read_text(encoding="utf-8"))
    reasons, unused = acknowledged(changes, connector["acknowledgements"])
    breaking = [c for c in changes if c.kind is Kind.BREAKING]
    assert breaking and [c for c in breaking if c not in reasons] == []
    assert unused == []
    # Every certified operation but the misspelt one stays, deprecated, as revision 1 of its successor.
    deleted = {c.operation: c.hint for c in breaking if c.code == "operation_deleted"}
    assert list(deleted) == ["tatisticsChargingStationConsumption"]
    assert "GetStatisticsChargingStationsConsumption (same request GET" in deleted["tatisticsChargingStationConsumption"]
    kept = {c.operation for c in changes if c.code == "operation_deprecated"}
    versioned = {c.operation for c in changes if c.code == "operation_versioned"}
    assert len(kept) == 21 and "ChargingStations" in kept and "RetrieveSites" in kept
    assert len(versioned) == 21 and "ListChargingStations" in versioned
    codes = sorted({c.code for c in breaking})
    assert codes == [
        "auth_type_changed", "connection_auth_changed", "input_became_required", "operation_deleted", "request_url_changed",
        "required_connection_parameter_added",
    ]
    assert [c.operation for c in breaking if c.code == "request_url_changed"] == ["RetrieveSites"]
    # no input or output of a kept certified operation changed
    assert [(c.operation, c.message.split("'")[1]) for c in breaking if c.code == "input_became_required"] == [("BillingInvoices", "Limit")]
    assert not [c for c in breaking if c.code.startswith(("input_type", "input_deleted", "output_", "required_input", "path_", "method_"))]


def test_every_rule_has_a_stable_code_kind_and_evidence(capsys: pytest.CaptureFixture[str]) -> None:
    rules = load_rules()
    assert len(rules) >= 30
    for code, rule in rules.items():
        assert code == rule.code and code.islower() and " " not in code
        assert rule.kind in (Kind.BREAKING, Kind.COMPATIBLE) and len(rule.evidence) > 40
    assert main(["diff", "--list-rules"]) == 0
    listed = capsys.readouterr().out
    assert all(code in listed for code in rules)
