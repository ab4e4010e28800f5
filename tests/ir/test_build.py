"""Unit tests of the IR builder (`generator/ir/build.py`): what a document becomes, including the
OpenAPI 3.0 → 3.1 normalisation every target relies on."""

from __future__ import annotations

from typing import Any

import pytest
from generator.ir.build import build_api, normalize_schema


def _doc(version: str = "3.1.0", **extra: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "openapi": version,
        "info": {"title": "Things", "version": "1.0", "description": "All the things."},
        "servers": [{"url": "https://api.example.com/v1", "description": "Production"}],
        "paths": {
            "/things/{thingId}": {
                "parameters": [{"$ref": "#/components/parameters/ThingId"}],
                "get": {
                    "operationId": "GetThing",
                    "summary": "Get a thing",
                    "tags": ["Things"],
                    "parameters": [{"name": "verbose", "in": "query", "schema": {"type": "boolean"}, "example": True}],
                    "responses": {
                        "200": {
                            "description": "The thing",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
                        },
                        "404": {"$ref": "#/components/responses/NotFound"},
                    },
                },
                "delete": {"responses": {"204": {"description": "Deleted"}}},
            }
        },
        "components": {
            "parameters": {"ThingId": {"name": "thingId", "in": "path", "required": True, "schema": {"type": "string"}}},
            "responses": {"NotFound": {"description": "No such thing"}},
            "schemas": {"Thing": {"type": "object", "properties": {"thingId": {"type": "string"}}}},
        },
    }
    doc.update(extra)
    return doc


def test_operations_carry_path_level_and_shared_parameters_and_responses() -> None:
    api = build_api(_doc(), "things.yaml")
    assert (api.title, api.version, api.source_file) == ("Things", "1.0", "things.yaml")
    get = api.operation("GetThing")
    assert [(p.name, p.location, p.required) for p in get.parameters] == [("thingId", "path", True), ("verbose", "query", False)]  # path-level first
    assert [r.status for r in get.responses] == ["200", "404"]
    assert get.response("404") is not None and get.response("404").description == "No such thing"
    media = get.response("200").contents[0]  # type: ignore[union-attr]
    assert media.content_type == "application/json" and media.schema == {"$ref": "#/components/schemas/Thing"}
    verbose = get.parameters[1]
    assert verbose.has_example and verbose.example is True


def test_an_operation_without_id_is_named_and_marked() -> None:
    api = build_api(_doc())
    generated = [op for op in api.operations if op.method == "delete"]
    assert len(generated) == 1 and generated[0].operation_id_generated and generated[0].operation_id
    assert not api.operation("GetThing").operation_id_generated


def test_shared_parameter_records_are_built_once() -> None:
    doc = _doc()
    doc["paths"]["/things/{thingId}"]["put"] = {"operationId": "PutThing", "responses": {"204": {"description": "Saved"}}}
    api = build_api(doc)
    first = next(p for p in api.operation("GetThing").parameters if p.name == "thingId")
    second = next(p for p in api.operation("PutThing").parameters if p.name == "thingId")
    assert first is second


@pytest.mark.parametrize(
    "schema, expected",
    [
        ({"type": "string", "nullable": True}, {"type": ["string", "null"]}),
        ({"type": "string", "enum": ["a", "b"], "nullable": True}, {"type": ["string", "null"], "enum": ["a", "b", None]}),
        ({"nullable": True, "description": "any"}, {"anyOf": [{"description": "any"}, {"type": "null"}]}),
        ({"type": "integer", "minimum": 1, "exclusiveMinimum": True}, {"type": "integer", "exclusiveMinimum": 1}),
        ({"type": "integer", "maximum": 9, "exclusiveMaximum": False}, {"type": "integer", "maximum": 9}),
        ({"type": "string", "nullable": False}, {"type": "string"}),
    ],
)
def test_openapi_30_keywords_become_their_31_form(schema: dict[str, Any], expected: dict[str, Any]) -> None:
    assert normalize_schema(schema, {}, is30=True) == expected


def test_31_documents_are_left_as_they_are() -> None:
    schema = {"type": "integer", "minimum": 1, "exclusiveMinimum": True, "nullable": True}
    assert normalize_schema(schema, {}, is30=False) == schema


def test_refs_outside_components_schemas_are_inlined_and_examples_kept_verbatim() -> None:
    document = {"definitions": {"Id": {"type": "string", "nullable": True}}}
    schema = {"properties": {"id": {"$ref": "#/definitions/Id", "description": "The id"}}, "example": {"nullable": True}}
    out = normalize_schema(schema, document, is30=True)
    assert out["properties"]["id"] == {"type": ["string", "null"], "description": "The id"}
    assert out["example"] == {"nullable": True}  # an example is data, never normalised
    assert normalize_schema({"$ref": "#/components/schemas/Thing"}, document, is30=True) == {"$ref": "#/components/schemas/Thing"}


def test_a_30_document_reaches_the_ir_in_31_form() -> None:
    doc = _doc("3.0.3")
    doc["components"]["schemas"]["Thing"]["properties"]["note"] = {"type": "string", "nullable": True}
    api = build_api(doc)
    assert api.openapi_version == "3.0.3"
    assert api.schemas["Thing"]["properties"]["note"] == {"type": ["string", "null"]}


def test_a_recursive_schema_stays_finite() -> None:
    document = {"definitions": {"Node": {"type": "object", "properties": {"next": {"$ref": "#/definitions/Node"}}}}}
    out = normalize_schema({"$ref": "#/definitions/Node"}, document, is30=False)
    assert out["properties"]["next"] == {"$ref": "#/definitions/Node"}  # the cycle is cut, not expanded forever
