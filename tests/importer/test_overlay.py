"""connector.yaml `overlay` written over a built package (generator/targets/powerplatform/overlay.py)."""

from __future__ import annotations

import json
from pathlib import Path

from generator.targets.powerplatform.overlay import apply_overlay
from generator.util.jsonio import write_json

SWAGGER = {
    "swagger": "2.0",
    "info": {"title": "T", "version": "1"},
    "x-ms-connector-metadata": [],
    "paths": {
        "/a": {
            "post": {
                "operationId": "ListA",
                "parameters": [{"name": "body", "in": "body", "schema": {}}],
                "responses": {"200": {"description": "ok", "schema": {"type": "string"}}, "400": {"description": "bad"}},
            }
        }
    },
}
PROPERTIES = {"properties": {"connectionParameters": {"p": {"type": "string"}}, "iconBrandColor": "#123456", "capabilities": ["actions"]}}


def _package(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    write_json(out / "apiDefinition.swagger.json", SWAGGER)
    write_json(out / "apiProperties.json", PROPERTIES)
    write_json(out / "settings.json", {"apiDefinition": "apiDefinition.swagger.json", "apiProperties": "apiProperties.json", "icon": "icon.png"})
    return out


def test_without_overlay_nothing_changes(tmp_path: Path) -> None:
    out = _package(tmp_path)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert apply_overlay({"title": "T"}, tmp_path, out) == []
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_overlay_sets_removes_and_restores(tmp_path: Path) -> None:
    out = _package(tmp_path)
    (tmp_path / "script.csx").write_text("public class Script {}\n", encoding="utf-8")
    overlay = {
        "apiDefinition": {"x-ms-connector-metadata": None, "host": "api.example"},
        "apiProperties": {"capabilities": [], "connectionParameters": {}},
        "operations": {
            "POST /a": {
                "operationId": "listA",
                "body": {"name": "payload", "x-ms-visibility": "important"},
                "defaultResponse": "200",
                "responses": {"400": {"schema": {"type": "object"}}},
            }
        },
        "script": "script.csx",
    }
    assert apply_overlay({"overlay": overlay}, tmp_path, out) == []
    swagger = json.loads((out / "apiDefinition.swagger.json").read_text(encoding="utf-8"))
    assert "x-ms-connector-metadata" not in swagger and swagger["host"] == "api.example"
    op = swagger["paths"]["/a"]["post"]
    assert op["operationId"] == "listA"
    assert op["parameters"][0] == {"name": "payload", "in": "body", "schema": {}, "x-ms-visibility": "important"}
    assert list(op["responses"]) == ["default", "400"] and op["responses"]["400"]["schema"] == {"type": "object"}
    properties = json.loads((out / "apiProperties.json").read_text(encoding="utf-8"))["properties"]
    assert properties == {"connectionParameters": {}, "iconBrandColor": "#123456", "capabilities": []}
    assert (out / "script.csx").read_text(encoding="utf-8") == "public class Script {}\n"
    assert json.loads((out / "settings.json").read_text(encoding="utf-8"))["script"] == "script.csx"


def test_overlay_naming_a_missing_operation_is_an_error(tmp_path: Path) -> None:
    out = _package(tmp_path)
    problems = apply_overlay({"overlay": {"operations": {"GET /nowhere": {"summary": "x"}}, "icon": "icon.png"}}, tmp_path, out)
    assert [p.code for p in problems] == ["overlay_operation_missing", "overlay_file_missing"]
    assert problems[0].pointer == "/overlay/operations/GET ~1nowhere"


def test_overlay_restores_formats(tmp_path: Path) -> None:
    out = tmp_path / "out"
    swagger = {
        "swagger": "2.0",
        "paths": {"/a": {"get": {"parameters": [{"name": "id", "in": "query", "type": "string"}], "responses": {"200": {"description": "ok", "headers": {"Retry": {"type": "string"}}}}}}},
        "definitions": {"Job": {"type": "object", "properties": {"timeout": {"type": "string"}}}},
    }
    write_json(out / "apiDefinition.swagger.json", swagger)
    write_json(out / "apiProperties.json", {"properties": {}})
    overlay = {
        "operations": {"GET /a": {"formats": {"query:id": "guid", "responseHeader:200:Retry": "duration"}}},
        # Gone: a definition the build pruned (nothing refers to it), not an error; Job/properties/missing is.
        "definitionFormats": {"/definitions/Job/properties/timeout": "duration", "/definitions/Gone/properties/a": "x", "/definitions/Job/properties/missing": "x"},
    }
    problems = apply_overlay({"overlay": overlay}, tmp_path, out)
    assert [(p.code, p.pointer) for p in problems] == [("overlay_schema_missing", "/overlay/definitionFormats/~1definitions~1Job~1properties~1missing")]
    assert "Gone" not in json.loads((out / "apiDefinition.swagger.json").read_text(encoding="utf-8"))["definitions"]
    built = json.loads((out / "apiDefinition.swagger.json").read_text(encoding="utf-8"))
    op = built["paths"]["/a"]["get"]
    assert op["parameters"][0]["format"] == "guid"
    assert op["responses"]["200"]["headers"]["Retry"]["format"] == "duration"
    assert built["definitions"]["Job"]["properties"]["timeout"]["format"] == "duration"


def test_overlay_drops_the_rename_warnings_it_undid(tmp_path: Path) -> None:
    from generator.problems import Level, Problem

    out = _package(tmp_path)
    renamed = Problem(Level.WARNING, "operation_id_renamed", "operationId 'listA' written as 'ListA' (Power Platform wants letters and digits only)")
    other = Problem(Level.WARNING, "operation_id_renamed", "operationId 'b_c' written as 'BC' (Power Platform wants letters and digits only)")
    kept = apply_overlay({"overlay": {"operations": {"POST /a": {"operationId": "listA"}}}}, tmp_path, out, [renamed, other])
    assert kept == [other]
    assert apply_overlay({}, tmp_path, out, [renamed]) == [renamed]


def test_overlay_adds_answer_definitions_and_published_values(tmp_path: Path) -> None:
    out = tmp_path / "out"
    swagger = {
        "swagger": "2.0",
        "paths": {"/a": {"get": {"parameters": [{"name": "when", "in": "query", "type": "string", "format": "date-time"}], "responses": {"200": {"description": "ok"}, "400": {"description": "bad"}}}}},
        "definitions": {"Job": {"type": "object", "properties": {"done": {"type": "boolean"}}}},
    }
    write_json(out / "apiDefinition.swagger.json", swagger)
    write_json(out / "apiProperties.json", {"properties": {}})
    overlay = {
        "operations": {"GET /a": {"responses": {"400": {"schema": {"$ref": "#/definitions/Error"}}}}},
        "definitions": {"Error": {"type": "object"}, "Job": {"type": "string"}},
        "values": {
            "/paths/~1a/get/parameters/0/default": "2000-01-02T12:45Z",
            "/definitions/Job/properties/done/enum": [True, "yes"],
            "/definitions/Job/properties/nowhere/default": 1,
        },
    }
    problems = apply_overlay({"overlay": overlay}, tmp_path, out)
    assert [p.code for p in problems] == ["overlay_value_missing"]
    assert problems[0].pointer == "/overlay/values/~1definitions~1Job~1properties~1nowhere~1default"
    built = json.loads((out / "apiDefinition.swagger.json").read_text(encoding="utf-8"))
    assert built["paths"]["/a"]["get"]["responses"]["400"]["schema"] == {"$ref": "#/definitions/Error"}
    assert built["definitions"]["Error"] == {"type": "object"}
    assert built["definitions"]["Job"]["type"] == "object"  # the build's own definition is kept
    assert built["paths"]["/a"]["get"]["parameters"][0]["default"] == "2000-01-02T12:45Z"
    assert built["definitions"]["Job"]["properties"]["done"]["enum"] == [True, "yes"]
