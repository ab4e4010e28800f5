"""Deterministic synthetic OpenAPI 3.0.3 documents of exactly N operations, shaped like real
charging APIs: CRUD resources with shared parameters and responses, nested and cross-resource $refs,
allOf, enums, nullable fields, formats, arrays, maps and examples. No randomness: everything is a
function of the resource index, so a size always yields the same bytes."""

from __future__ import annotations

import json
from typing import Any

__all__ = ["OPERATIONS_PER_RESOURCE", "synthetic_json", "synthetic_spec"]

NOUNS = (
    "Station", "Connector", "Session", "Tariff", "Site", "Driver", "Card", "Invoice", "Reservation",
    "Meter", "Vehicle", "Fleet", "Payment", "Schedule", "Alert", "Firmware", "Ticket", "Company",
)
STATUSES = ("Available", "Charging", "Faulted", "Reserved", "Unavailable", "Finishing")
# list, create, get, update, delete: the order operations are taken in for the last resource
OPERATIONS_PER_RESOURCE = 5


def _name(index: int) -> str:
    noun = NOUNS[index % len(NOUNS)]
    return noun if index < len(NOUNS) else f"{noun}{index // len(NOUNS)}"


def _plural(name: str) -> str:
    return name[0].lower() + name[1:] + "s"


def _ref(kind: str, name: str) -> dict[str, str]:
    return {"$ref": f"#/components/{kind}/{name}"}


def _resource_schemas(index: int) -> dict[str, Any]:
    name = _name(index)
    props: dict[str, Any] = {
        "name": {"type": "string", "minLength": 1, "maxLength": 120, "example": f"{name} {index}"},
        "status": {"type": "string", "enum": list(STATUSES[: 3 + index % 4]), "example": STATUSES[0]},
        "maxPowerKw": {"type": "number", "format": "double", "minimum": 0, "nullable": True, "example": 22.0},
        "connectors": {"type": "integer", "format": "int32", "minimum": 1, "maximum": 8, "example": 2},
        "labels": {"type": "array", "items": {"type": "string"}, "maxItems": 20},
        "address": _ref("schemas", "Address"),
        "metadata": {"type": "object", "additionalProperties": {"type": "string"}},
    }
    if index % 2:
        props["openingHours"] = {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["weekday", "from", "to"],
                "properties": {
                    "weekday": {"type": "integer", "minimum": 1, "maximum": 7},
                    "from": {"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$", "example": "08:00"},
                    "to": {"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$", "example": "20:00"},
                },
            },
        }
    if index % 3 == 0:
        props["price"] = _ref("schemas", "Money")
    if index % 6:  # cross-resource reference (chains of at most 5), as real APIs link stations to sites
        props[_name(index - 1)[0].lower() + _name(index - 1)[1:] + "Id"] = {"type": "string", "format": "uuid"}
        props["parent"] = {**_ref("schemas", _name(index - 1)), "description": "The related record."}
    example = {"name": f"{name} {index}", "status": STATUSES[0], "connectors": 2}
    return {
        f"{name}Input": {
            "type": "object",
            "required": ["name", "status"],
            "properties": props,
            "example": example,
        },
        name: {
            "allOf": [
                _ref("schemas", "Resource"),
                _ref("schemas", f"{name}Input"),
            ],
        },
        f"{name}List": {
            "type": "object",
            "required": ["items", "total"],
            "properties": {
                "items": {"type": "array", "items": _ref("schemas", name)},
                "total": {"type": "integer", "minimum": 0, "example": 1},
                "next": {"type": "string", "format": "uri", "nullable": True},
            },
        },
    }


def _json_body(schema_ref: dict[str, str]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema_ref}}}


def _errors() -> dict[str, Any]:
    return {"400": _ref("responses", "BadRequest"), "401": _ref("responses", "Unauthorized"), "404": _ref("responses", "NotFound")}


def _operations(index: int) -> list[tuple[str, str, dict[str, Any]]]:
    name, path = _name(index), "/" + _plural(_name(index))
    item, tag = f"{path}/{{{_plural(name)[:-1]}Id}}", _plural(name)
    id_param = {"name": f"{_plural(name)[:-1]}Id", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}}
    filters = [
        {"name": "status", "in": "query", "schema": {"type": "string", "enum": list(STATUSES)}},
        {"name": "updatedSince", "in": "query", "schema": {"type": "string", "format": "date-time"}},
    ]

    def op(op_id: str, summary: str, **rest: Any) -> dict[str, Any]:
        return {"operationId": op_id, "summary": summary, "description": f"{summary} (synthetic #{index}).", "tags": [tag], **rest}

    return [
        (path, "get", op(f"list{name}s", f"List {name}s",
            parameters=[_ref("parameters", "Limit"), _ref("parameters", "Offset"), *filters],
            responses={"200": {"description": "A page.", **_json_body(_ref("schemas", f"{name}List"))}, **_errors()})),
        (path, "post", op(f"create{name}", f"Create a {name}",
            requestBody={"required": True, **_json_body(_ref("schemas", f"{name}Input"))},
            responses={"201": {"description": "Created.", **_json_body(_ref("schemas", name))}, **_errors()})),
        (item, "get", op(f"get{name}", f"Get a {name}", parameters=[id_param],
            responses={"200": {"description": "The record.", **_json_body(_ref("schemas", name))}, **_errors()})),
        (item, "put", op(f"update{name}", f"Update a {name}", parameters=[id_param],
            requestBody={"required": True, **_json_body(_ref("schemas", f"{name}Input"))},
            responses={"200": {"description": "Updated.", **_json_body(_ref("schemas", name))}, **_errors()})),
        (item, "delete", op(f"delete{name}", f"Delete a {name}", parameters=[id_param],
            responses={"204": {"description": "Deleted."}, **_errors()})),
    ]


def _shared_components() -> dict[str, Any]:
    error = {"type": "object", "required": ["code", "message"], "properties": {
        "code": {"type": "string", "example": "invalid"}, "message": {"type": "string"},
        "details": {"type": "array", "items": {"type": "string"}}}}

    def err(description: str) -> dict[str, Any]:
        return {"description": description, **_json_body(_ref("schemas", "Error"))}

    return {
        "schemas": {
            "Error": error,
            "Resource": {"type": "object", "required": ["id"], "properties": {
                "id": {"type": "string", "format": "uuid", "readOnly": True},
                "createdAt": {"type": "string", "format": "date-time", "readOnly": True},
                "updatedAt": {"type": "string", "format": "date-time", "readOnly": True, "nullable": True}}},
            "Address": {"type": "object", "properties": {
                "street": {"type": "string"}, "city": {"type": "string"}, "postalCode": {"type": "string"},
                "country": {"type": "string", "pattern": "^[A-Z]{3}$", "example": "NLD"},
                "coordinates": {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2}}},
            "Money": {"type": "object", "required": ["amount", "currency"], "properties": {
                "amount": {"type": "number", "format": "double"},
                "currency": {"type": "string", "enum": ["EUR", "USD", "CAD", "NOK"]}}},
        },
        "parameters": {
            "Limit": {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 500, "default": 50}},
            "Offset": {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "default": 0}},
        },
        "responses": {"BadRequest": err("Invalid request."), "Unauthorized": err("Missing or invalid token."),
                      "NotFound": err("No such record.")},
        "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
    }


def synthetic_spec(operations: int) -> dict[str, Any]:
    """An OpenAPI 3.0.3 document with exactly `operations` operations (≥ 1)."""
    if operations < 1:
        raise ValueError("at least one operation")
    components = _shared_components()
    paths: dict[str, dict[str, Any]] = {}
    resources = -(-operations // OPERATIONS_PER_RESOURCE)
    left = operations
    for index in range(resources):
        components["schemas"].update(_resource_schemas(index))
        for path, method, operation in _operations(index)[:left]:
            paths.setdefault(path, {})[method] = operation
        left -= OPERATIONS_PER_RESOURCE
    return {
        "openapi": "3.0.3",
        "info": {"title": f"Synthetic charging API ({operations} operations)", "version": "1.0.0"},
        "servers": [{"url": "https://api.example.com/v1", "description": "Production"}],
        "security": [{"bearerAuth": []}],
        "tags": [{"name": _plural(_name(i))} for i in range(resources)],
        "paths": paths,
        "components": components,
    }


def synthetic_json(operations: int) -> str:
    return json.dumps(synthetic_spec(operations), indent=1, sort_keys=False) + "\n"
