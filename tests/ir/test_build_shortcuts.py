"""What the builder's shortcuts must not change: pointers joined by concatenation are still escaped
where a token needs it, generated operationIds are made whenever an operation needs one, bare
component refs are still copies, and a key the memoised key tests have not seen (or cannot
remember: not a string) is tested as before."""

from __future__ import annotations

from typing import Any

import pytest
from generator.ir.build import build_api, normalize_schema


def _doc(paths: dict[str, Any]) -> dict[str, Any]:
    return {"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": paths}


def test_pointers_escape_the_tokens_that_need_it() -> None:
    doc = _doc(
        {
            "/a/{id}": {
                "get": {
                    "operationId": "A",
                    "parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}}],
                    "responses": {
                        "2/0~": {"description": "odd", "content": {"application/vnd.x~y+json": {"schema": {"type": "string"}}}},
                        "200": {"description": "ok", "content": {"application/json": {}, "text/plain": {}}},
                    },
                }
            }
        }
    )
    op = build_api(doc).operation("A")
    assert op.pointer == "/paths/~1a~1{id}/get"
    assert op.parameters[0].pointer == "/paths/~1a~1{id}/get/parameters/0"
    odd, ok = op.responses
    assert odd.pointer == "/paths/~1a~1{id}/get/responses/2~10~0"
    assert odd.contents[0].pointer == "/paths/~1a~1{id}/get/responses/2~10~0/content/application~1vnd.x~0y+json"
    assert [m.pointer for m in ok.contents] == [
        "/paths/~1a~1{id}/get/responses/200/content/application~1json",
        "/paths/~1a~1{id}/get/responses/200/content/text~1plain",
    ]


def test_generated_operation_ids_for_operations_after_one_with_an_id_and_for_callbacks() -> None:
    callback = {"{$request.body#/url}": {"post": {"responses": {"200": {"description": "ok"}}}}}
    doc = _doc(
        {
            "/things/{id}": {
                "get": {"operationId": "GetThing", "responses": {}, "callbacks": {"on-done": callback}},
                "put": {"operationId": "PutThing", "responses": {}},
                "delete": {"responses": {}},
            }
        }
    )
    api = build_api(doc)
    assert [op.operation_id for op in api.operations] == ["GetThing", "PutThing", "ThingsIdDelete"]
    (cb,) = api.operation("GetThing").callbacks
    assert [op.operation_id for op in cb.operations] == ["ThingsIdGetOnDonePost"]
    assert cb.operations[0].operation_id_generated


def test_a_bare_component_ref_is_a_new_mapping_each_time() -> None:
    ref = {"$ref": "#/components/schemas/X"}
    first, second = normalize_schema(ref, {}, True), normalize_schema(ref, {}, True)
    assert first == second == ref
    assert first is not ref and first is not second
    assert normalize_schema({"$ref": "#/components/schemas/X", "description": "d"}, {}, True) == {"$ref": "#/components/schemas/X", "description": "d"}
    # not a single-token component ref: inlined when it resolves, kept as written otherwise
    assert normalize_schema({"$ref": "#/components/schemas/"}, {}, True) == {"$ref": "#/components/schemas/"}
    document = {"components": {"schemas": {"X": {"properties": {"p": {"type": "string", "nullable": True}}}}}}
    assert normalize_schema({"$ref": "#/components/schemas/X/properties/p"}, document, True) == {"type": ["string", "null"]}


def test_remembered_key_tests_give_the_same_answers_as_fresh_ones() -> None:
    schema = {"items": {"nullable": True, "type": "string"}, "x-items": {"nullable": True}, "enum": [{"nullable": True}]}
    for _ in range(2):  # the second pass reads the remembered answers
        assert normalize_schema(schema, {}, True) == {"items": {"type": ["string", "null"]}, "x-items": {"nullable": True}, "enum": [{"nullable": True}]}
    # a key that is not a string is never remembered, and fails the way the plain test fails
    with pytest.raises(AttributeError, match="startswith"):
        normalize_schema({1: {"type": "string"}}, {}, True)
    assert normalize_schema({True: "scalar values are not tested"}, {}, True) == {True: "scalar values are not tested"}
    doc = _doc({"/a": {"get": {"operationId": "A", "responses": {}, "x-a": 1, "x-b": [2]}}})
    for _ in range(2):
        assert build_api(doc).operation("A").extensions == {"x-a": 1, "x-b": [2]}


# ir/build.py builds these records with positional arguments (cheaper at 10,000 operations): a
# change of their field order in ir/model.py must change build.py's calls too, and this test says so.
POSITIONAL_FIELDS = {
    "MediaType": ("content_type", "schema", "examples", "encoding", "pointer"),
    "Parameter": (
        "name", "location", "required", "schema", "description", "deprecated", "example", "has_example",
        "examples", "style", "explode", "extensions", "pointer",
    ),
    "Response": ("status", "description", "contents", "headers", "links", "pointer"),
    "Operation": (
        "operation_id", "method", "path", "summary", "description", "tags", "parameters", "request_body",
        "responses", "security", "deprecated", "callbacks", "variants", "extensions", "pointer",
        "operation_id_generated",
    ),
}


def test_records_built_positionally_keep_the_field_order_build_py_assumes() -> None:
    from generator.ir import model

    for name, fields in POSITIONAL_FIELDS.items():
        record = getattr(model, name)
        assert record.__struct_fields__ == fields, (
            f"ir/model.{name}'s fields moved: update the positional {name}(...) call in ir/build.py, then this list"
        )
