"""The build's guard: a breaking spec edit stops `connectorgen build` (what `make build` runs) until
connector.yaml acknowledges it. Runs on a temporary copy of a vendor's spec folder."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _build(specs: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", "build", "eevion", "--target", "powerplatform", "--quiet", "--jobs", "1",
         "--specs", str(specs), "--out", str(out)],
        capture_output=True, text=True, cwd=REPO, check=False,
    )


def test_breaking_spec_edit_fails_the_build_until_acknowledged(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    shutil.copytree(REPO / "specs" / "eevion", specs / "eevion", ignore=shutil.ignore_patterns("baseline"))
    out = tmp_path / "build"
    recorded = subprocess.run(
        [sys.executable, "-m", "generator", "diff", "--record-baseline", "eevion", "--specs", str(specs)],
        capture_output=True, text=True, cwd=REPO, check=False,
    )
    assert recorded.returncode == 0, recorded.stderr
    baseline = specs / "eevion" / "baseline"
    assert {p.name for p in baseline.iterdir()} == {"apiDefinition.swagger.json", "apiProperties.json", "SOURCE.md"}

    first = _build(specs, out)
    assert first.returncode == 0, first.stderr
    package = out / "eevion" / "powerplatform" / "apiDefinition.swagger.json"
    assert package.read_bytes() == (baseline / "apiDefinition.swagger.json").read_bytes()  # the baseline is the build

    spec = specs / "eevion" / "openapi.yaml"
    text = spec.read_text(encoding="utf-8")
    assert text.count("  /site/{siteId}:\n") == 1
    spec.write_text(text.replace("  /site/{siteId}:\n", "  /sites/{siteId}:\n"), encoding="utf-8")
    broken = _build(specs, out)
    assert broken.returncode == 2
    assert "breaking_change_unacknowledged" in broken.stderr and "path_template_changed GetSite" in broken.stderr
    assert "[/paths/~1site~1{siteId}/get]" in broken.stderr and "Traceback" not in broken.stderr
    assert "/sites/{siteId}" not in package.read_text(encoding="utf-8")  # nothing written

    connector = specs / "eevion" / "connector.yaml"
    connector.write_text(
        connector.read_text(encoding="utf-8")
        + "\nacknowledgements:\n"
        + "  - code: path_template_changed\n"
        + "    pointer: /paths/~1site~1{siteId}/get\n"
        + "    reason: Logic Apps that call Get a site must be re-saved once; Power Automate flows keep working.\n"
        + "  - code: operation_deleted\n"
        + "    pointer: /paths/~1nothing/get\n"
        + "    reason: An acknowledgement that matches nothing is reported as unused.\n",
        encoding="utf-8",
    )
    fixed = _build(specs, out)
    assert fixed.returncode == 0, fixed.stderr
    assert "/sites/{siteId}" in package.read_text(encoding="utf-8")
    assert "acknowledgement_unused" in fixed.stderr and "/acknowledgements/1" in fixed.stderr
    assert "path_template_changed" not in fixed.stderr.replace("acknowledgement of", "")


def test_a_vendor_without_baseline_is_not_checked() -> None:
    assert not (REPO / "specs" / "eevion" / "baseline").exists()  # never published: starts from its first release
    assert (REPO / "specs" / "vev-iq" / "baseline" / "SOURCE.md").is_file()


def test_acknowledgements_must_name_breaking_rules_and_all_breaks() -> None:
    import yaml
    from generator.pipeline.baseline import check_package

    spec_dir = REPO / "specs" / "vev-iq"
    package = REPO / "tests" / "golden" / "vev-iq" / "powerplatform"
    connector = yaml.safe_load((spec_dir / "connector.yaml").read_text(encoding="utf-8"))
    assert check_package(spec_dir, connector, package) == []  # every break of the golden build is acknowledged

    acks = connector["acknowledgements"]
    wrong = {**connector, "acknowledgements": [{"code": "operation_added", "pointer": "/paths", "reason": "x" * 20}, *acks[1:]]}
    problems = check_package(spec_dir, wrong, package)
    by_code = {p.code: p for p in problems}
    assert set(by_code) == {"acknowledgement_invalid", "breaking_change_unacknowledged"}
    assert by_code["acknowledgement_invalid"].pointer == "/acknowledgements/0/code" and by_code["acknowledgement_invalid"].line > 0
    missing = by_code["breaking_change_unacknowledged"]
    assert missing.pointer == acks[0]["pointer"] and missing.file.endswith("baseline/apiDefinition.swagger.json") and missing.line > 0


def test_a_baseline_is_recorded_from_a_package_folder_not_a_spec_folder(tmp_path: Path) -> None:
    """`--from` takes a published package folder; a spec folder is refused with a located message
    (exit 2), and a package folder is copied byte for byte."""
    specs = tmp_path / "specs"
    shutil.copytree(REPO / "specs" / "eevion", specs / "eevion", ignore=shutil.ignore_patterns("baseline"))

    def record(source: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "generator", "diff", "--record-baseline", "eevion", "--specs", str(specs), "--from", str(source)],
            capture_output=True, text=True, cwd=REPO, check=False,
        )

    refused = record(REPO / "specs" / "vev-iq")
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert "diff_input_unknown" in refused.stderr and "a vendor spec folder, not a connector package" in refused.stderr
    published = REPO / "tests" / "golden" / "eevion" / "powerplatform"
    assert record(published).returncode == 0
    definition = "apiDefinition.swagger.json"
    assert (specs / "eevion" / "baseline" / definition).read_bytes() == (published / definition).read_bytes()
