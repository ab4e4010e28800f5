"""Rules on schemas and parameter values anywhere in the definition."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from generator.lint.package import LintPackage
from generator.lint.registry import rule
from generator.problems import Finding, Level
from generator.util.jsontypes import JSON_TYPES
from generator.util.pointer import escape_pointer

__all__ = ["iter_schemas"]

D = "definition"
_TYPES = JSON_TYPES


def _child(pointer: str, *tokens: object) -> str:
    return pointer + "".join("/" + escape_pointer(t) for t in tokens)


def _walk(schema: Any, pointer: str, depth: int = 0) -> Iterator[tuple[dict[str, Any], str]]:
    if not isinstance(schema, dict) or depth > 64:
        return
    yield schema, pointer
    for key in ("properties",):
        if isinstance(schema.get(key), dict):
            for name, sub in schema[key].items():
                yield from _walk(sub, _child(pointer, key, name), depth + 1)
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            yield from _walk(schema[key], _child(pointer, key), depth + 1)
    if isinstance(schema.get("allOf"), list):
        for i, sub in enumerate(schema["allOf"]):
            yield from _walk(sub, _child(pointer, "allOf", i), depth + 1)


def iter_schemas(package: LintPackage) -> Iterator[tuple[dict[str, Any], str]]:
    """Every schema and non-body parameter of the definition (inline ones included), with its pointer."""
    doc = package.definition
    for name, schema in (
        (doc.get("definitions") or {}).items() if isinstance(doc.get("definitions"), dict) else ()
    ):
        yield from _walk(schema, _child("/definitions", name))
    for name, param in (
        (doc.get("parameters") or {}).items() if isinstance(doc.get("parameters"), dict) else ()
    ):
        if isinstance(param, dict) and isinstance(param.get("schema"), dict):
            yield from _walk(param["schema"], _child("/parameters", name, "schema"))
        else:
            yield from _walk(param, _child("/parameters", name))
    for _, _, op, item, pointer in package.operations():
        for param, where in package.parameters(op, item, pointer):
            if param.get("in") == "body":
                yield from _walk(param.get("schema"), where + "/schema")
            else:
                yield from _walk(param, where)
        for status, response in (
            (op.get("responses") or {}).items() if isinstance(op.get("responses"), dict) else ()
        ):
            if isinstance(response, dict):
                yield from _walk(response.get("schema"), _child(pointer, "responses", status, "schema"))
        content = item.get("x-ms-notification-content")
        if isinstance(content, dict):
            yield from _walk(
                content.get("schema"),
                _child(pointer.rsplit("/", 1)[0], "x-ms-notification-content", "schema"),
            )


@rule("RequiredPropertyArrayEmpty", Level.ERROR, "no empty `required` arrays", microsoft=True)
def empty_required(package: LintPackage) -> Iterator[Finding]:
    """Validator rule RequiredPropertyArrayEmpty; no calibration connector breaks it."""
    for schema, pointer in iter_schemas(package):
        if schema.get("required") == [] and "in" not in schema:
            yield Finding("empty `required` array; remove it", pointer + "/required", file=D)


@rule("EnumMustContainAtLeastOneElement", Level.ERROR, "enums are not empty", microsoft=True)
def empty_enum(package: LintPackage) -> Iterator[Finding]:
    """Validator rule EnumMustContainAtLeastOneElement; no calibration connector breaks it."""
    for schema, pointer in iter_schemas(package):
        if schema.get("enum") == []:
            yield Finding("enum has no values", pointer + "/enum", file=D)


@rule("DefaultValueMustMatchType", Level.ERROR, "defaults match their type", microsoft=True)
def default_type(package: LintPackage) -> Iterator[Finding]:
    """Validator rule DefaultValueMustMatchType. The service reads defaults with Json.NET, which
    converts '100' to an integer and 'true' to a boolean and accepts null: PDF4me 2024-09, HrFlow
    2024-09 and HiveCPQ 2024-05 publish such defaults, so only a value that cannot be converted is an
    error."""
    for schema, pointer in iter_schemas(package):
        if "default" not in schema or not isinstance(schema.get("type"), str) or schema["type"] not in _TYPES:
            continue
        value = schema["default"]
        if value is None or _converts(value, schema["type"]):
            continue
        yield Finding(f"default {value!r} is not of type {schema['type']}", pointer + "/default", file=D)


def _converts(value: Any, type_name: str) -> bool:
    """Whether Json.NET reads `value` as `type_name` (it converts numeric and boolean strings)."""
    if isinstance(value, bool):
        return type_name in ("boolean", "string")
    if isinstance(value, _TYPES[type_name]):
        return True
    if type_name == "string":
        return isinstance(value, (int, float))
    if not isinstance(value, str):
        return type_name == "number" and isinstance(value, int)
    text = value.strip()
    if type_name == "boolean":
        return text.lower() in ("true", "false")
    if type_name == "integer":
        return re.fullmatch(r"[-+]?\d+", text) is not None
    if type_name == "number":
        return re.fullmatch(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?", text) is not None
    return False
