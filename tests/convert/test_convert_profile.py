"""The converter writes the dialect its Profile table says (generator/convert/profile.py): one entry
changes one behaviour, and convert/ has no Power Platform branch of its own."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from generator.convert import ConvertOptions, convert
from generator.convert.profile import SWAGGER, Profile
from generator.ir.build import build_api
from generator.targets.powerplatform.profile import POWERPLATFORM

CONVERT = Path(__file__).resolve().parents[2] / "generator" / "convert"

DOC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "T", "version": "1"},
    "servers": [{"url": "https://api.example.com/v1"}],
    "paths": {
        "/items": {
            "get": {
                "operationId": "list_items",
                "summary": "List items.",
                "parameters": [
                    {
                        "name": "tags",
                        "in": "query",
                        "description": "Tags.",
                        "schema": {"type": "array", "items": {"type": "string"}, "uniqueItems": True},
                    }
                ],
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}}},
            }
        }
    },
}


def _operation(profile: Profile) -> dict[str, Any]:
    swagger = convert(build_api(DOC, "doc.yaml"), ConvertOptions(profile=profile)).swagger
    op: dict[str, Any] = swagger["paths"]["/items"]["get"]
    return op


def test_one_entry_changes_one_keyword() -> None:
    plain = _operation(SWAGGER)
    no_unique = _operation(Profile(unique_items=False))
    assert plain["parameters"][0]["uniqueItems"] is True
    assert "uniqueItems" not in no_unique["parameters"][0]
    assert {k: v for k, v in no_unique["parameters"][0].items()} == {k: v for k, v in plain["parameters"][0].items() if k != "uniqueItems"}
    assert plain["operationId"] == no_unique["operationId"] == "list_items"


def test_hooks_are_called_where_the_table_says() -> None:
    renamed = _operation(Profile(operation_id=lambda ctx, name: name.upper()))
    assert renamed["operationId"] == "LIST_ITEMS"
    pp = _operation(POWERPLATFORM)
    assert pp["operationId"] == "ListItems" and pp["summary"] == "List items"
    assert pp["parameters"][0]["x-ms-summary"] == "Tags"
    # collection_multi=False: the repeated parameter is sent comma-separated (csv, the default).
    assert _operation(SWAGGER)["parameters"][0]["collectionFormat"] == "multi"
    assert "collectionFormat" not in pp["parameters"][0]


def test_convert_has_no_power_platform_branch() -> None:
    for module in sorted(CONVERT.glob("*.py")):
        text = module.read_text(encoding="utf-8")
        assert not re.search(r"\bctx\.pp\b|self\.pp\b|options\.powerplatform", text), module.name
