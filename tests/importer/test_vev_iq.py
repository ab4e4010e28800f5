"""Microsoft's certified VEV-IQ connector: imported, accepted by `connectorgen validate`, built."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from generator.cli import main
from generator.importer import import_connector
from generator.problems import Level
from generator.spec.source import load_source

from tests.importer.roundtrip import compare, rebuild

VEV_IQ = Path(__file__).resolve().parents[1] / "data" / "calibration" / "connectors" / "certified-connectors" / "VEV-IQ"


def test_import_validate_build(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "specs" / "vev-iq"
    result = import_connector(VEV_IQ, folder)
    assert not [p for p in result.problems if p.level is Level.ERROR]
    spec = load_source(folder / "openapi.yaml").data
    assert spec["openapi"] == "3.1.0"
    original = json.loads((VEV_IQ / "apiDefinition.swagger.json").read_text(encoding="utf-8"))
    assert {op["operationId"] for item in spec["paths"].values() for op in item.values()} == {
        op["operationId"] for item in original["paths"].values() for op in item.values()
    }

    assert main(["validate", str(folder)]) == 0
    assert "1 spec(s) valid" in capsys.readouterr().out

    built = tmp_path / "build"
    problems = rebuild(folder, built, validate=True)
    assert not [p for p in problems if p.level is Level.ERROR]
    assert sorted(p.name for p in built.iterdir()) == ["apiDefinition.swagger.json", "apiProperties.json", "icon.png", "readme.md", "settings.json"]
    swagger = json.loads((built / "apiDefinition.swagger.json").read_text(encoding="utf-8"))
    properties = json.loads((built / "apiProperties.json").read_text(encoding="utf-8"))
    published = json.loads((VEV_IQ / "apiProperties.json").read_text(encoding="utf-8"))
    assert properties == published
    assert [d for d in compare(original, swagger, published, properties) if d.breaking] == []
    assert swagger["paths"]["/client/api/Sites"]["get"]["responses"]["default"]["schema"] == {}
