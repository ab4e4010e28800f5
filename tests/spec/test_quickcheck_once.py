"""`spec/quickcheck.py` checks each shared object once; what it finds must not depend on where
the object is used first (nested in another schema, or as a top-level media-type schema)."""

from __future__ import annotations

import copy
from typing import Any

from generator.spec.quickcheck import certainly_valid


def _document(shared: dict[str, Any]) -> dict[str, Any]:
    def ok(ref: str) -> dict[str, Any]:
        return {"description": "ok", "content": {"application/json": {"schema": {"$ref": ref}}}}

    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/a": {"get": {"responses": {"200": ok("#/components/schemas/Outer"), "404": {"$ref": "#/components/responses/NotFound"}}}},
            "/b": {"get": {"responses": {"200": ok("#/components/schemas/Shared"), "404": {"$ref": "#/components/responses/NotFound"}}}},
        },
        "components": {
            "responses": {"NotFound": ok("#/components/schemas/Shared")},
            "schemas": {
                # "Outer" comes first: "Shared" is reached nested (no meta-schema check) before it is
                # reached as a top-level schema (with the check).
                "Outer": {"type": "object", "properties": {"inner": {"$ref": "#/components/schemas/Shared"}}},
                "Shared": shared,
            },
        },
    }


def test_a_valid_shared_schema_passes() -> None:
    assert certainly_valid(_document({"type": "object", "properties": {"n": {"type": "integer"}}}), "3.0.3")


def test_a_shared_schema_reached_nested_first_still_gets_the_top_level_check() -> None:
    document = _document({"type": "object", "properties": {"n": {"type": "integer"}}})
    del document["components"]["schemas"]["Shared"]["type"]
    document["components"]["schemas"]["Shared"]["minProperties"] = -1  # the meta-schema refuses it
    assert not certainly_valid(document, "3.0.3")


def test_a_nested_plain_schema_with_a_bad_default_is_found() -> None:
    shared = {"type": "object", "properties": {"n": {"type": "integer", "default": "ten"}}}
    assert not certainly_valid(_document(shared), "3.0.3")


def test_a_nested_schema_that_is_not_a_mapping_is_found_under_a_shared_ref() -> None:
    shared = {"type": "object", "properties": {"n": {"items": 5}}}
    assert not certainly_valid(_document(shared), "3.0.3")


def test_a_shared_response_is_checked_where_first_used() -> None:
    document = _document({"type": "string"})
    broken = copy.deepcopy(document)
    broken["components"]["responses"]["NotFound"]["content"]["application/json"]["schema"] = {"$ref": "#/components/schemas/Nowhere"}
    assert certainly_valid(document, "3.0.3")
    assert not certainly_valid(broken, "3.0.3")


def test_an_unbalanced_path_template_is_found_on_each_path() -> None:
    document = _document({"type": "string"})
    document["paths"]["/c/{x"] = document["paths"]["/b"]
    assert not certainly_valid(document, "3.0.3")
