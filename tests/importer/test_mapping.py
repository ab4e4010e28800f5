"""Swagger 2.0 constructs → their OpenAPI 3.1 equivalents, and the comparison the round trip uses."""

from __future__ import annotations

import copy
from typing import Any

from generator.importer.notes import Notes
from generator.importer.openapi import check_swagger, component_names, to_openapi

from tests.importer.roundtrip import compare

SWAGGER: dict[str, Any] = {
    "swagger": "2.0",
    "info": {"title": "Shop", "version": "2"},
    "host": "api.shop.example",
    "basePath": "/v2",
    "schemes": ["https"],
    "consumes": ["application/json"],
    "produces": ["application/json"],
    "paths": {
        "/orders/{id}": {
            "parameters": [{"name": "id", "in": "path", "required": True, "type": "string", "x-ms-url-encoding": "single"}],
            "put": {
                "operationId": "updateOrder",
                "summary": "Update an order",
                "x-ms-visibility": "important",
                "parameters": [
                    {"name": "tags", "in": "query", "type": "array", "items": {"type": "string"}, "collectionFormat": "multi"},
                    {"name": "order", "in": "body", "required": True, "schema": {"$ref": "#/definitions/Order[v2]"}, "x-example": {"n": 1}},
                ],
                "responses": {"200": {"description": "Updated", "schema": {"$ref": "#/definitions/Order[v2]"}}},
            },
        },
        "/files": {
            "post": {
                "operationId": "Upload",
                "summary": "Upload",
                "description": "Upload a file.",
                "consumes": ["multipart/form-data"],
                "parameters": [
                    {"name": "file", "in": "formData", "type": "file", "required": True, "x-ms-summary": "The file"},
                    {"name": "note", "in": "formData", "type": "string", "x-ms-dynamic-values": {"operationId": "Notes", "value-path": "id"}},
                ],
                "responses": {"default": {"description": "Done"}},
            }
        },
    },
    "definitions": {
        "Order[v2]": {
            "type": "object",
            "properties": {
                "n": {"type": "integer", "x-nullable": True, "x-ms-summary": "Number"},
                "kind": {"type": "string", "enum": ["a", "b"], "x-nullable": True},
                "next": {"$ref": "#/definitions/Order[v2]"},
            },
        }
    },
    "securityDefinitions": {"API Key": {"type": "apiKey", "in": "header", "name": "X-Key"}},
    "security": [{"API Key": []}],
}


def _convert() -> tuple[dict[str, Any], set[tuple[str, str]], Notes]:
    notes = Notes(None, "apiDefinition.swagger.json")
    check_swagger(SWAGGER, notes)
    spec, renamed, _, _ = to_openapi(copy.deepcopy(SWAGGER), notes)
    return spec, renamed, notes


def test_body_refs_and_nullable() -> None:
    spec, _, notes = _convert()
    assert not [p for p in notes.items if p.level == "error"]
    op = spec["paths"]["/orders/{id}"]["put"]
    assert op["requestBody"] == {
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Order_v2"}, "example": {"n": 1}}},
        "required": True,
    }
    assert op["responses"]["200"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Order_v2"}
    assert [p["name"] for p in op["parameters"]] == ["id", "tags"]  # the path item's parameter is inherited
    assert op["parameters"][1] | {} == {"name": "tags", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}, "style": "form", "explode": True}
    assert op["parameters"][0]["x-ms-url-encoding"] == "single" and op["x-ms-visibility"] == "important"
    schema = spec["components"]["schemas"]["Order_v2"]
    assert schema["properties"]["n"] == {"type": ["integer", "null"], "x-ms-summary": "Number"}
    assert schema["properties"]["kind"] == {"type": ["string", "null"], "enum": ["a", "b", None]}
    assert schema["properties"]["next"] == {"$ref": "#/components/schemas/Order_v2"}
    assert any(p.code == "component_renamed" and p.pointer == "/definitions/Order[v2]" for p in notes.items)


def test_form_data_security_and_default_answer() -> None:
    spec, renamed, _ = _convert()
    op = spec["paths"]["/files"]["post"]
    media = op["requestBody"]["content"]["multipart/form-data"]
    assert media["schema"]["required"] == ["file"]
    assert media["schema"]["properties"]["file"] == {"type": "string", "format": "binary", "x-ms-summary": "The file"}
    assert media["schema"]["properties"]["note"]["x-ms-dynamic-values"] == {"operationId": "Notes", "value-path": "id"}
    assert list(op["responses"]) == ["200"] and renamed == {("/files", "post")}
    assert spec["servers"] == [{"url": "https://api.shop.example/v2", "description": "Production"}]
    assert spec["components"]["securitySchemes"] == {
        "API_Key": {"type": "apiKey", "name": "X-Key", "in": "header", "x-connectorgen-auth": {"kind": "static", "credential": "API Key", "prefix": ""}}
    }
    assert spec["security"] == [{"API_Key": []}]


def test_component_names_stay_unique() -> None:
    assert component_names({"A B": {}, "A_B": {}, "C": {}}) == {"A B": "A_B_2", "A_B": "A_B", "C": "C"}


def _swagger() -> dict[str, Any]:
    return copy.deepcopy(SWAGGER)


def _breaking(original: dict[str, Any], rebuilt: dict[str, Any], props: dict[str, Any] | None = None, new_props: dict[str, Any] | None = None) -> list[str]:
    return [f"{d.pointer}: {d.message}" for d in compare(original, rebuilt, props or {}, new_props or props or {}) if d.breaking]


def test_compare_accepts_additions_and_resolved_refs() -> None:
    rebuilt = _swagger()
    op = rebuilt["paths"]["/orders/{id}"]["put"]
    op["parameters"][0]["x-ms-summary"] = "Tags"  # added: compatible
    op["responses"]["200"]["schema"] = copy.deepcopy(SWAGGER["definitions"]["Order[v2]"])  # inlined: the same
    op["responses"]["200"]["schema"]["properties"]["next"] = {"$ref": "#/definitions/Order[v2]"}
    assert _breaking(SWAGGER, rebuilt) == []


def test_compare_finds_breaking_changes() -> None:
    cases = {
        "operation deleted": lambda d: d["paths"].pop("/files"),
        "became": lambda d: d["paths"]["/orders/{id}"]["put"].update(operationId="UpdateOrder"),
        "x-ms-visibility": lambda d: d["paths"]["/orders/{id}"]["put"].update({"x-ms-visibility": "advanced"}),
        "type": lambda d: d["definitions"]["Order[v2]"]["properties"]["n"].update(type="string"),
        "required": lambda d: d["paths"]["/files"]["post"]["parameters"][1].update(required=True),
        "securityDefinitions changed": lambda d: d.pop("securityDefinitions"),
        "x-ms-dynamic-values": lambda d: d["paths"]["/files"]["post"]["parameters"][1].pop("x-ms-dynamic-values"),
    }
    for expected, change in cases.items():
        rebuilt = _swagger()
        change(rebuilt)
        found = _breaking(SWAGGER, rebuilt)
        assert found and any(expected in m for m in found), (expected, found)


def test_compare_finds_changed_policies_and_connection_parameters() -> None:
    props = {"properties": {"connectionParameters": {"key": {"type": "securestring"}}, "policyTemplateInstances": [{"templateId": "setheader"}]}}
    for key, value in (("connectionParameters", {}), ("policyTemplateInstances", [])):
        changed = copy.deepcopy(props)
        changed["properties"][key] = value
        assert _breaking(SWAGGER, _swagger(), props, changed) == [f"apiProperties/properties/{key}: {key} changed"]


def test_connection_parameters_become_a_security_scheme() -> None:
    from generator.importer.openapi import add_connection_schemes

    spec: dict[str, Any] = {"openapi": "3.1.0", "info": {}, "servers": [], "paths": {}}
    properties = {
        "connectionParameters": {"token": {"type": "securestring"}, "region": {"type": "string"}},
        "policyTemplateInstances": [
            {"templateId": "setheader", "parameters": {"x-ms-apimTemplateParameter.name": "Authorization", "x-ms-apimTemplateParameter.value": "Bearer @connectionParameters('token')"}},
            {"templateId": "setheader", "parameters": {"x-ms-apimTemplateParameter.name": "X-Region", "x-ms-apimTemplateParameter.value": "@connectionParameters('region')"}},
        ],
    }
    add_connection_schemes(spec, properties)
    assert list(spec) == ["openapi", "info", "servers", "security", "paths", "components"]
    assert spec["security"] == [{"connection_token": []}]
    scheme = spec["components"]["securitySchemes"]["connection_token"]
    assert (scheme["in"], scheme["name"]) == ("header", "Authorization")
    assert scheme["x-connectorgen-auth"] == {"kind": "static", "credential": "token", "prefix": "Bearer "}

    declared, _, _ = _convert()
    add_connection_schemes(declared, {"connectionParameters": {"api_key": {"type": "securestring"}}})
    assert declared["components"]["securitySchemes"]["API_Key"]["x-connectorgen-auth"]["credential"] == "api_key"
