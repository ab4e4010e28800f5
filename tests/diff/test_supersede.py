"""Superseded operations of the published VEV-IQ connector: kept, deprecated, routed to our typed ones."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from generator.diff import load_side
from generator.diff.rules import routed_paths
from generator.diff.walk import operations
from generator.pipeline.sides import build_vendor_side

REPO = Path(__file__).resolve().parents[2]
SPEC = REPO / "specs" / "vev-iq"


def test_certified_operations_are_kept_deprecated_and_routed() -> None:
    built = build_vendor_side(SPEC)
    ours, certified = operations(built.definition), operations(load_side(SPEC / "baseline").definition)
    routes = routed_paths(built.properties)
    kept = [k for k in certified if k in ours]
    assert len(kept) == 21 and "tatisticsChargingStationConsumption" not in kept
    for key in kept:
        old, new = certified[key], ours[key]
        assert (new.path, new.method) == (old.path, old.method)
        assert new.op["deprecated"] is True
        family = new.op["x-ms-api-annotation"]["family"]
        assert new.op["x-ms-api-annotation"]["revision"] == 1
        successor = ours[family]
        assert successor.op["x-ms-api-annotation"] == {"family": family, "revision": 2}
        assert routes[key] == successor.path  # the same backend request as the typed operation
        assert new.op["responses"] == successor.op["responses"]  # typed outputs
        assert [p["name"] for p in new.op.get("parameters", [])] == [p["name"] for p in old.op.get("parameters", [])]
        assert [p["type"] for p in new.op.get("parameters", [])] == [p["type"] for p in old.op.get("parameters", [])]
    assert ours["ChargingStations"].path == "/v1/api/charging-stations" and routes["ChargingStations"] == "/api/charging-stations"
    assert routes["RetrieveSites"] == "/api/sites"


def test_superseding_an_operation_missing_from_the_baseline_fails_the_build(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    shutil.copytree(SPEC, specs / "vev-iq")
    spec = specs / "vev-iq" / "openapi.yaml"
    text = spec.read_text(encoding="utf-8")
    assert "x-connectorgen-supersedes: [Tags]" in text
    spec.write_text(text.replace("x-connectorgen-supersedes: [Tags]", "x-connectorgen-supersedes: [NoSuchOperation]"), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", "vev-iq", "--target", "powerplatform", "--quiet", "--jobs", "1",
         "--specs", str(specs), "--out", str(tmp_path / "build")],
        capture_output=True, text=True, cwd=REPO, check=False,
    )
    assert result.returncode == 2
    assert "powerplatform_config_invalid" in result.stderr and "NoSuchOperation" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_baseline_is_the_certified_connector_unchanged() -> None:
    certified = REPO / "tests" / "data" / "calibration" / "connectors" / "certified-connectors" / "VEV-IQ"
    for name in ("apiDefinition.swagger.json", "apiProperties.json"):
        assert (SPEC / "baseline" / name).read_bytes() == (certified / name).read_bytes()
    assert "8bff86eac6d04e939faee0de15298e911b118c21" in (SPEC / "baseline" / "SOURCE.md").read_text(encoding="utf-8")
    json.loads((SPEC / "baseline" / "apiDefinition.swagger.json").read_text(encoding="utf-8"))
