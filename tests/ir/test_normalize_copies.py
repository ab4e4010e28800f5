"""`normalize_schema` returns a copy: every mapping and list it walks is new (targets may then
change their schemas freely), verbatim values (examples, enums, defaults, extensions) are kept as
they are, and 3.0 keywords become 3.1 ones in the same key order."""

from __future__ import annotations

from typing import Any

from generator.ir.build import normalize_schema


def test_walked_containers_are_copies_and_values_are_kept() -> None:
    enum = ["a", "b"]
    example = {"k": [1, 2]}
    extension = {"x": 1}
    schema: dict[str, Any] = {
        "type": "object",
        "required": ["a"],
        "properties": {"a": {"type": "string", "enum": enum}, "b": {"type": ["string", "null"]}},
        "example": example,
        "x-thing": extension,
        "allOf": [{"$ref": "#/components/schemas/X"}, {"required": ["b"]}],
    }
    out = normalize_schema(schema, {}, False)
    assert out == schema
    assert out is not schema
    assert out["required"] is not schema["required"]
    assert out["properties"] is not schema["properties"]
    assert out["properties"]["b"]["type"] is not schema["properties"]["b"]["type"]
    assert out["allOf"][0] is not schema["allOf"][0]
    assert out["properties"]["a"]["enum"] is enum
    assert out["example"] is example
    assert out["x-thing"] is extension


def test_30_keywords_become_31_ones() -> None:
    schema = {"type": "integer", "minimum": 1, "exclusiveMinimum": True, "maximum": 9, "exclusiveMaximum": False, "nullable": True, "enum": [1, 2]}
    out = normalize_schema(schema, {}, True)
    assert out == {"type": ["integer", "null"], "maximum": 9, "enum": [1, 2, None], "exclusiveMinimum": 1}
    assert list(out) == ["type", "maximum", "enum", "exclusiveMinimum"]
    assert normalize_schema({"nullable": True, "description": "d"}, {}, True) == {"anyOf": [{"description": "d"}, {"type": "null"}]}
    assert normalize_schema(schema, {}, False) == schema  # 3.1: left as written


def test_non_component_refs_are_inlined_and_component_refs_kept() -> None:
    document = {"components": {"schemas": {"X": {"type": "string"}}}, "defs": {"Y": {"type": "integer", "nullable": True}}}
    out = normalize_schema({"properties": {"x": {"$ref": "#/components/schemas/X"}, "y": {"$ref": "#/defs/Y", "description": "d"}}}, document, True)
    assert out == {"properties": {"x": {"$ref": "#/components/schemas/X"}, "y": {"type": ["integer", "null"], "description": "d"}}}
