"""Validating JSON against a schema of the Swagger 2.0 definition (response bodies, notification
content): Swagger's draft-04 subset with `x-nullable`, refs into `#/definitions`."""

from __future__ import annotations

from typing import Any

__all__ = ["swagger_validator"]


def _json_schema(node: Any) -> Any:
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {k: _json_schema(v) for k, v in node.items() if not k.startswith("x-") and k not in ("example", "discriminator")}
    if node.get("x-nullable"):
        if "$ref" in out:
            return {"anyOf": [{"$ref": out["$ref"]}, {"type": "null"}]}
        if isinstance(out.get("type"), str):
            out["type"] = [out["type"], "null"]
            if "enum" in out:
                out["enum"] = [*out["enum"], None]
    return out


def swagger_validator(swagger: dict[str, Any], schema: dict[str, Any]) -> Any:
    """A jsonschema validator for `schema` (a Swagger schema object, e.g. a response schema)."""
    import jsonschema

    root = dict(_json_schema(schema))
    root["definitions"] = {name: _json_schema(value) for name, value in swagger.get("definitions", {}).items()}
    return jsonschema.Draft4Validator(root)
