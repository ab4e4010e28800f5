"""Response schemas for test scripts: refs inlined, recursion cut, Ajv-6 (draft-07) dialect."""

from __future__ import annotations

from typing import Any

from generator.ir.build import build_api
from generator.ir.model import Api
from generator.targets.postman.schema import MAX_REF_DEPTH, has_pointer, inline_schema


def _api(schemas: dict[str, Any]) -> Api:
    return build_api({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}, "components": {"schemas": schemas}})


def test_refs_are_inlined_and_annotations_dropped() -> None:
    api = _api(
        {
            "Pet": {"type": "object", "description": "A pet.", "required": ["id"], "properties": {"id": {"$ref": "#/components/schemas/Id"}}},
            "Id": {"type": "string", "format": "uuid", "example": "x", "x-foo": 1},
        }
    )
    assert inline_schema(api, {"$ref": "#/components/schemas/Pet"}) == {
        "type": "object",
        "required": ["id"],
        "properties": {"id": {"type": "string", "format": "uuid"}},
    }


def test_recursive_refs_stop_with_an_empty_schema() -> None:
    api = _api({"Node": {"type": "object", "properties": {"child": {"$ref": "#/components/schemas/Node"}}}})
    assert inline_schema(api, {"$ref": "#/components/schemas/Node"}) == {"type": "object", "properties": {"child": {}}}


def test_deep_non_recursive_chains_stop_at_the_depth_limit() -> None:
    schemas = {f"S{i}": {"type": "object", "properties": {"next": {"$ref": f"#/components/schemas/S{i + 1}"}}} for i in range(20)}
    schemas["S20"] = {"type": "string"}
    result = inline_schema(_api(schemas), {"$ref": "#/components/schemas/S0"})
    depth = 0
    while result:
        result = result["properties"]["next"]
        depth += 1
    assert depth == MAX_REF_DEPTH


def test_formats_ajv6_does_not_know_are_dropped() -> None:
    api = _api({})
    schema = {"type": "object", "properties": {"n": {"type": "integer", "format": "int64"}, "d": {"type": "string", "format": "date-time"}}}
    assert inline_schema(api, schema) == {"type": "object", "properties": {"n": {"type": "integer"}, "d": {"type": "string", "format": "date-time"}}}


def test_a_property_named_like_a_keyword_is_kept() -> None:
    schema = {"type": "object", "properties": {"format": {"type": "string", "enum": ["SOCKET", "CABLE"]}}}
    assert inline_schema(_api({}), schema) == schema


def test_2020_12_keywords_become_draft07() -> None:
    schema = {"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}], "items": False}
    assert inline_schema(_api({}), schema) == {"type": "array", "items": [{"type": "string"}, {"type": "integer"}], "additionalItems": False}
    schema = {"type": "object", "dependentRequired": {"a": ["b"]}, "unevaluatedProperties": False}
    assert inline_schema(_api({}), schema) == {"type": "object", "dependencies": {"a": ["b"]}}


def test_write_only_properties_are_not_required_in_responses() -> None:
    schema = {"type": "object", "required": ["id", "secret"], "properties": {"id": {"type": "string"}, "secret": {"type": "string", "writeOnly": True}}}
    assert inline_schema(_api({}), schema)["required"] == ["id"]


def test_ref_siblings_apply_together() -> None:
    api = _api({"Id": {"type": "string"}})
    assert inline_schema(api, {"$ref": "#/components/schemas/Id", "maxLength": 3}) == {"allOf": [{"type": "string"}, {"maxLength": 3}]}


def test_has_pointer_follows_properties_items_and_branches() -> None:
    api = _api(
        {
            "Session": {"type": "object", "properties": {"sessionId": {"type": "string"}}},
            "Sessions": {"type": "array", "items": {"$ref": "#/components/schemas/Session"}},
        }
    )
    session, sessions = {"$ref": "#/components/schemas/Session"}, {"$ref": "#/components/schemas/Sessions"}
    assert has_pointer(api, session, ["sessionId"])
    assert not has_pointer(api, sessions, ["sessionId"])
    assert has_pointer(api, sessions, ["0", "sessionId"])
    assert has_pointer(api, {"oneOf": [sessions, session]}, ["sessionId"])
