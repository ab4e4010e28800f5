"""generator/convert/repair.py: the finished Swagger 2.0 document made valid, each change a loss entry,
the input document (which may share dicts with the IR) left as it was. The cases are the ones the
real-world corpus showed: a default of the wrong type, merged enums with repeats, an array default on
a string, relative OAuth2 URLs."""

from __future__ import annotations

import copy
import json
from typing import Any

from generator.convert.context import Losses
from generator.convert.repair import repair_swagger
from openapi_spec_validator import OpenAPIV2SpecValidator


def _doc(**extra: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "swagger": "2.0",
        "info": {"title": "T", "version": "1"},
        "host": "api.example.com",
        "basePath": "/v1",
        "schemes": ["https"],
        "paths": {
            "/a": {
                "get": {
                    "parameters": [
                        {"name": "env", "in": "query", "type": "string", "enum": ["production", "preview", "development", "preview", "development"]},
                        {"name": "n", "in": "query", "type": "string", "default": 0},
                        {"name": "tags", "in": "query", "type": "string", "default": ["a", "b"]},
                        {"name": "ok", "in": "query", "type": "integer", "default": 3, "minimum": 1},
                    ],
                    "responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/Item"}}},
                }
            }
        },
        "definitions": {
            "Item": {
                "type": "object",
                "properties": {
                    "size": {"type": "integer", "minimum": 10, "default": 5, "example": 20},
                    "kind": {"type": "string", "enum": ["a", 1, "b", "a"], "example": "c"},
                    "when": {"type": "string", "format": "date-time", "example": "2024-01-01T00:00:00Z"},
                    "ref": {"$ref": "#/definitions/Other", "default": 1},
                },
            },
            "Other": {"type": "string"},
        },
    }
    doc.update(extra)
    return doc


def _errors(doc: dict[str, Any]) -> list[str]:
    return [str(e.message) for e in OpenAPIV2SpecValidator(doc).iter_errors()]


def test_the_invalid_document_becomes_valid_and_each_change_is_reported() -> None:
    doc = _doc()
    assert _errors(doc), "the fixture must start invalid"
    before = copy.deepcopy(doc)
    losses = Losses("api.yaml")
    fixed = repair_swagger(doc, losses)
    assert doc == before, "the input document is not changed (it may share dicts with the IR)"
    assert _errors(fixed) == []

    params = fixed["paths"]["/a"]["get"]["parameters"]
    assert params[0]["enum"] == ["production", "preview", "development"]
    assert "default" not in params[1] and "default" not in params[2]
    assert params[3]["default"] == 3  # fits: kept
    item = fixed["definitions"]["Item"]["properties"]
    assert "default" not in item["size"] and item["size"]["example"] == 20
    assert item["kind"]["enum"] == ["a", "b"] and "example" not in item["kind"]
    assert item["when"]["example"] == "2024-01-01T00:00:00Z"

    found = {(p.code, p.pointer) for p in losses.problems()}
    assert ("enum_deduplicated", "/paths/~1a/get/parameters/0/enum") in found
    assert ("default_dropped", "/paths/~1a/get/parameters/1/default") in found
    assert ("default_dropped", "/components/schemas/Item/properties/size/default") in found
    assert ("enum_value_dropped", "/components/schemas/Item/properties/kind/enum") in found
    assert ("example_dropped", "/components/schemas/Item/properties/kind/example") in found
    assert all(p.code != "default_dropped" or "parameters/3" not in p.pointer for p in losses.problems())


def test_a_valid_document_is_returned_as_it_is() -> None:
    doc = {"swagger": "2.0", "info": {"title": "T", "version": "1"}, "paths": {}, "definitions": {"A": {"type": "string", "default": "x"}}}
    losses = Losses("api.yaml")
    assert repair_swagger(doc, losses) is doc
    assert losses.problems() == []


def _oauth(**flow: str) -> dict[str, Any]:
    return {"type": "oauth2", "flow": "accessCode", "scopes": {}, **flow}


def test_relative_oauth2_urls_are_resolved_against_the_host() -> None:
    doc = _doc(securityDefinitions={"o": _oauth(authorizationUrl="/oauth/authorize/", tokenUrl="token")}, security=[{"o": []}])
    losses = Losses("api.yaml")
    fixed = repair_swagger(doc, losses)
    definition = fixed["securityDefinitions"]["o"]
    assert definition["authorizationUrl"] == "https://api.example.com/oauth/authorize/"
    assert definition["tokenUrl"] == "https://api.example.com/v1/token"
    assert _errors(fixed) == []
    assert {p.code for p in losses.problems()} >= {"oauth2_url_resolved"}


def test_without_a_host_the_definition_and_its_requirements_go() -> None:
    doc = _doc(securityDefinitions={"o": _oauth(authorizationUrl="/authorize", tokenUrl="/token")}, security=[{"o": []}])
    del doc["host"]
    doc["paths"]["/a"]["get"]["security"] = [{"o": ["read"]}]
    before = json.dumps(doc)
    losses = Losses("api.yaml")
    fixed = repair_swagger(doc, losses)
    assert json.dumps(doc) == before
    assert "securityDefinitions" not in fixed and "security" not in fixed
    assert fixed["paths"]["/a"]["get"]["security"] == []
    assert _errors(fixed) == []
    assert "security_definition_dropped" in {p.code for p in losses.problems()}
