"""Import → build → compare on a representative sample of published connectors (the whole corpus:
`python -m tests.importer.measure`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from generator.importer import import_connector
from generator.problems import Level, ProblemError

from tests.importer.roundtrip import round_trip

DATA = Path(__file__).resolve().parents[1] / "data"
CALIBRATION = DATA / "calibration" / "connectors"


def _sample() -> list[tuple[str, str]]:
    rows = []
    for line in (DATA / "importer" / "sample.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            folder, expected = (part.strip() for part in line.split("|"))
            rows.append((folder, expected))
    return rows


SAMPLE = _sample()


def test_sample_is_representative() -> None:
    assert len(SAMPLE) >= 30
    assert all((CALIBRATION / folder / "apiDefinition.swagger.json").is_file() for folder, _ in SAMPLE)
    equivalent = sum(expected == "equivalent" for _, expected in SAMPLE)
    assert equivalent / len(SAMPLE) >= 0.85


@pytest.mark.parametrize(("folder", "expected"), SAMPLE, ids=[f for f, _ in SAMPLE])
def test_round_trip(folder: str, expected: str, tmp_path: Path) -> None:
    outcome = round_trip(CALIBRATION / folder, tmp_path)
    if expected == "equivalent":
        assert outcome.status == "equivalent", outcome.reasons[:5]
    else:
        assert outcome.status == "refused", (outcome.status, outcome.reasons[:5])
        assert expected.split(":", 1)[1] in outcome.reasons


@pytest.mark.parametrize(("folder", "expected"), [row for row in SAMPLE if row[1] != "equivalent"], ids=lambda v: str(v))
def test_refusal_is_located_in_the_package(folder: str, expected: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    with pytest.raises(ProblemError) as caught:
        import_connector(CALIBRATION / folder, out)
    errors = [p for p in caught.value.problems if p.level is Level.ERROR and p.code == expected.split(":", 1)[1]]
    assert errors
    for p in errors:
        assert p.file.endswith("apiDefinition.swagger.json")
        assert p.line > 1 and p.pointer.startswith("/")
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []  # no temporary folder left behind


def test_published_values_the_build_would_drop_come_back(tmp_path: Path) -> None:
    """An error answer's schema whose definition nothing else uses, a default not in its enum (an
    OpenAPI 3.1 validator refuses it), a default that misses its pattern (the repair pass drops it): Microsoft accepted them, the overlay writes them back verbatim."""
    import json

    definition = {
        "swagger": "2.0",
        "info": {"title": "Tiny", "version": "1.0", "description": "A tiny connector used by the importer tests."},
        "host": "api.tiny.example",
        "basePath": "/",
        "schemes": ["https"],
        "paths": {
            "/items": {
                "get": {
                    "operationId": "ListItems",
                    "summary": "List items",
                    "parameters": [{"name": "size", "in": "query", "type": "string", "enum": ["small", "large"], "default": "Default"}],
                    "responses": {
                        "200": {"description": "OK", "schema": {"$ref": "#/definitions/Item"}},
                        "400": {"description": "Bad request", "schema": {"$ref": "#/definitions/Problem"}},
                    },
                },
                "post": {
                    "operationId": "TagItems",
                    "summary": "Tag items",
                    "parameters": [
                        {
                            "name": "body",
                            "in": "body",
                            "schema": {"type": "object", "properties": {"key": {"type": "string", "pattern": "^[a-f0-9]{4}$", "enum": ["abcd", "tagger"], "default": "tagger"}}},
                        }
                    ],
                    "responses": {"200": {"description": "OK", "schema": {"$ref": "#/definitions/Item"}}},
                },
            }
        },
        "definitions": {
            "Item": {"type": "object", "properties": {"code": {"type": "string"}}},
            "Problem": {"type": "object", "properties": {"message": {"type": "string"}}},
        },
    }
    package = tmp_path / "package"
    package.mkdir()
    (package / "apiDefinition.swagger.json").write_text(json.dumps(definition), encoding="utf-8")
    outcome = round_trip(package, tmp_path)
    assert outcome.status == "equivalent", (outcome.reasons[:5], outcome.detail[:300])
    import_connector(package, tmp_path / "imported")
    text = (tmp_path / "imported" / "connector.yaml").read_text(encoding="utf-8")
    assert "Problem:" in text and "/paths/~1items/get/parameters/0/default: Default" in text
    assert "/paths/~1items/post/parameters/0/schema/properties/key/default: tagger" in text
    assert "Default" not in (tmp_path / "imported" / "openapi.yaml").read_text(encoding="utf-8")
