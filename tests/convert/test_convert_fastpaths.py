"""The short cuts of the conversion (generator/convert) say what the general path says.

- `SchemaConverter.convert` copies a typed schema made only of kept keywords as it is; anything a
  keyword-by-keyword reading would change (an odd `enum`, `items` that are not one schema, a
  format Swagger 2.0 lacks, an array without `items`) still goes the long way.
- `convert_responses` works out each response's media once and picks the keeper in one walk.
- The repair pass skips holders and enums with nothing to check, and asks valuefit first.
"""

from __future__ import annotations

from typing import Any

import pytest
from generator.convert import ConvertOptions, convert
from generator.ir.build import build_api
from generator.targets.powerplatform.profile import POWERPLATFORM

SCHEMAS: dict[str, Any] = {
    "EnumNull": {"type": "string", "enum": None},
    "EnumEmpty": {"type": "string", "enum": []},
    "EnumWithNull": {"type": "string", "enum": ["a", None]},
    "EnumRepeated": {"type": "string", "enum": ["a", "b", "a"]},
    "EnumWrongType": {"type": "integer", "enum": [1, "two"]},
    "ItemsOnString": {"type": "string", "items": {"type": "integer", "nullable": True}},
    "ItemsListOnString": {"type": "string", "items": [{"type": "string"}]},
    "ArrayBare": {"type": "array", "maxItems": 3},
    "ArrayTuple": {"type": "array", "items": [{"type": "string"}]},
    "ArrayOfLeaves": {"type": "array", "items": {"type": "string", "format": "uuid"}},
    "OddFormat": {"type": "string", "format": "weird"},
    "FormatNotText": {"type": "string", "format": 7},
    "Ordered": {"description": "d", "type": "string", "maxLength": 3, "example": "abc"},
    "Holder": {
        "type": "object",
        "properties": {
            "plain": {"type": "string", "title": "Plain one"},
            "named": {"type": "integer", "minimum": 0, "default": -1},
            "fits": {"type": "integer", "minimum": 0, "default": 1},
        },
    },
}


def _doc(responses: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "T", "version": "1"},
        "servers": [{"url": "https://api.example.com/v1"}],
        "paths": {
            "/a": {
                "get": {
                    "operationId": "getA",
                    "parameters": [
                        {"name": "ids", "in": "query", "schema": {"type": "array", "items": {"type": "integer", "default": "x"}}},
                        {"name": "q", "in": "query", "schema": {"type": "string"}},
                    ],
                    "responses": responses or {"200": {"description": "ok"}},
                }
            }
        },
        "components": {"schemas": SCHEMAS},
    }


def _convert(options: ConvertOptions | None = None, responses: dict[str, Any] | None = None) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    result = convert(build_api(_doc(responses), "fast.json"), options or ConvertOptions())
    return result.swagger, [(p.code, p.pointer) for p in result.losses]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("EnumNull", {"type": "string"}),
        ("EnumEmpty", {"type": "string"}),
        ("EnumWithNull", {"type": "string", "enum": ["a"], "x-nullable": True}),
        ("EnumRepeated", {"type": "string", "enum": ["a", "b"]}),
        ("EnumWrongType", {"type": "integer", "enum": [1]}),
        ("ItemsOnString", {"type": "string", "items": {"type": "integer", "x-nullable": True}}),
        ("ItemsListOnString", {"type": "string", "items": {}}),
        ("ArrayBare", {"type": "array", "maxItems": 3, "items": {}}),
        ("ArrayTuple", {"type": "array", "items": {}}),
        ("ArrayOfLeaves", {"type": "array", "items": {"type": "string", "format": "uuid"}}),
        ("OddFormat", {"type": "string"}),
        ("FormatNotText", {"type": "string"}),
    ],
)
def test_schema_written_as_the_keyword_reading_says(name: str, expected: dict[str, Any]) -> None:
    swagger, _ = _convert()
    assert swagger["definitions"][name] == expected


def test_kept_keywords_keep_their_order_and_are_copies() -> None:
    swagger, _ = _convert()
    assert list(swagger["definitions"]["Ordered"]) == ["description", "type", "maxLength", "example"]
    assert swagger["definitions"]["Ordered"] is not SCHEMAS["Ordered"]


def test_losses_of_the_long_way_are_all_there() -> None:
    _, losses = _convert()
    assert ("format_dropped", "/components/schemas/OddFormat/format") in losses
    assert ("format_dropped", "/components/schemas/FormatNotText/format") in losses
    assert ("schema_keyword_unsupported", "/components/schemas/ArrayTuple") in losses
    assert ("schema_keyword_unsupported", "/components/schemas/ItemsListOnString") in losses
    assert ("enum_deduplicated", "/components/schemas/EnumRepeated/enum") in losses
    assert ("enum_value_dropped", "/components/schemas/EnumWrongType/enum") in losses
    assert ("default_dropped", "/components/schemas/Holder/properties/named/default") in losses
    assert ("default_dropped", "/paths/~1a/get/parameters/0/items/default") in losses
    assert not [p for c, p in losses if "/fits" in p or "/Ordered" in p or "/plain" in p]


def test_powerplatform_property_hook_runs_on_copied_schemas() -> None:
    swagger, _ = _convert(ConvertOptions(profile=POWERPLATFORM))
    properties = swagger["definitions"]["Holder"]["properties"]
    assert properties["plain"] == {"type": "string", "title": "Plain one", "x-ms-summary": "Plain one"}
    assert properties["fits"]["x-ms-summary"] == "Fits"
    assert "x-ms-summary" not in SCHEMAS["Holder"]["properties"]["plain"]  # the IR's schema is untouched


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def test_keeper_is_the_first_success_response_with_a_schema() -> None:
    responses = {
        "204": {"description": "none"},
        "201": {"description": "made", **_json({"type": "string"})},
        "200": {"description": "ok", **_json({"type": "integer"})},
        "default": {"description": "error", **_json({"type": "object"})},
    }
    swagger, losses = _convert(ConvertOptions(profile=POWERPLATFORM), responses)
    written = swagger["paths"]["/a"]["get"]["responses"]
    assert list(written) == ["204", "201", "200", "default"]
    assert written["201"]["schema"] == {"type": "string"}  # the keeper
    assert "schema" not in written["200"] and "schema" not in written["default"]
    assert ("response_schema_dropped", "/paths/~1a/get/responses/200") in losses
    swagger, _ = _convert(None, responses)
    assert swagger["paths"]["/a"]["get"]["responses"]["200"]["schema"] == {"type": "integer"}


def test_status_ranges_and_odd_statuses_still_checked() -> None:
    responses = {"2XX": {"description": "any"}, "200": {"description": "ok"}, "4XX": {"description": "bad"}}
    swagger, losses = _convert(None, responses)
    assert list(swagger["paths"]["/a"]["get"]["responses"]) == ["200", "400"]
    assert ("response_dropped", "/paths/~1a/get/responses/2XX") in losses
    assert ("response_status_range_mapped", "/paths/~1a/get/responses/4XX") in losses


@pytest.mark.parametrize(
    ("summary", "expected"),
    [
        ("list charging stations", "List charging stations"),  # clean: only the first letter changes
        ("List", "List"),
        ("list  users", "List users"),  # two spaces
        (" list users", "List users"),
        ("list users ", "List users"),
        ("list users.", "List users"),
        ("list users & groups", "List users and groups"),
        ("get (by id)", "Get (by id)"),
        ("get ( ) users", "Get  users"),  # as it always was: the empty parentheses leave their two spaces
        ("liste der \u00e9l\u00e8ves", "Liste der lves"),
        ("word " * 20, "Word word word word word word word word word word word word word word word word"),
        ("a" * 81, "A" + "a" * 79),
        ("", ""),
    ],
)
def test_sanitize_summary(summary: str, expected: str) -> None:
    from generator.convert.naming import sanitize_summary

    assert sanitize_summary(summary) == expected


@pytest.mark.parametrize(
    ("operation_id", "expected"),
    [("listUsers", "ListUsers"), ("list-users_v2", "ListUsersV2"), ("2fa.check", "Op2faCheck"), ("--", "Operation")],
)
def test_pascal_id(operation_id: str, expected: str) -> None:
    from generator.convert.naming import pascal_id

    assert pascal_id(operation_id) == expected
