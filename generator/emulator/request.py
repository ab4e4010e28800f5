"""An action call (operationId, parameter values, body) → the request Power Platform builds from the
Swagger definition, before policies: path parameters encoded once (`x-ms-url-encoding: single`),
query parameters serialised by type, internal parameters and body properties given their defaults."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from generator.emulator.package import EmulatedPackage, EmulatorError, Operation
from generator.emulator.wire import WireRequest

__all__ = ["build_request", "fill_internal_defaults"]


def _text(value: Any, parameter: dict[str, Any]) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        separator = {"csv": ",", "ssv": " ", "tsv": "\t", "pipes": "|"}.get(parameter.get("collectionFormat", "csv"), ",")
        return separator.join(_text(v, {}) for v in value)
    return str(value)


def fill_internal_defaults(package: EmulatedPackage, schema: dict[str, Any] | None, body: Any) -> Any:
    """Top-level body properties the user never sees (internal, with a default) get their default."""
    resolved = package.resolve(schema)
    if not isinstance(body, dict) or not isinstance(resolved.get("properties"), dict):
        return body
    filled = dict(body)
    for name, prop in resolved["properties"].items():
        if name not in filled and isinstance(prop, dict) and prop.get("x-ms-visibility") == "internal" and "default" in prop:
            filled[name] = prop["default"]
    return filled


def build_request(package: EmulatedPackage, op: Operation, parameters: Mapping[str, Any], body: Any = None) -> WireRequest:
    values = dict(parameters)
    path = op.path
    request = WireRequest(op.method.upper(), package.base_url, path)
    body_parameter = None
    for parameter in op.parameters:
        name, where = parameter["name"], parameter["in"]
        if where == "body":
            body_parameter = parameter
            continue
        if name in values:
            value = values.pop(name)
        elif parameter.get("x-ms-visibility") == "internal" and "default" in parameter:
            value = parameter["default"]
        elif parameter.get("required"):
            raise EmulatorError(f"{op.operation_id}: required parameter {name!r} has no value")
        else:
            continue
        if where == "path":
            path = path.replace("{" + name + "}", quote(_text(value, parameter), safe=""))
        elif where == "query":
            request.query.append((name, _text(value, parameter)))
        elif where == "header":
            request.headers.append((name, _text(value, parameter)))
        else:
            raise EmulatorError(f"{op.operation_id}: {where} parameters are not emulated")
    if values:
        raise EmulatorError(f"{op.operation_id}: unknown parameter(s) {', '.join(sorted(values))}")
    request.path = path
    if body_parameter is not None:
        body = fill_internal_defaults(package, body_parameter.get("schema"), {} if body is None and body_parameter.get("required") else body)
    if body is not None:
        if body_parameter is None:
            raise EmulatorError(f"{op.operation_id} takes no body")
        consumes = (op.spec.get("consumes") or package.swagger.get("consumes") or ["application/json"])[0]
        request.body = json.dumps(body, separators=(",", ":")).encode("utf-8")
        request.headers.append(("Content-Type", consumes))
    request.headers.append(("Accept", "application/json"))
    return request
