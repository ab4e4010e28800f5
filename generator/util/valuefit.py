"""Does a value certainly fit a plain schema? A shortcut in front of openapi-schema-validator.

`plain_value_fits(schema, value, resolve)` is True only when the value is valid against `schema`
under the OAS 3.0 and the OAS 3.1 (JSON Schema 2020-12) validators alike, for a schema made only of
`type` (string, integer, number, boolean, object, array), `enum`, bounds and lengths, `pattern`, the
int32/int64/float/double formats, `properties`/`required`/`additionalProperties`/`items`, local
`$ref`s (looked up with `resolve`) and annotations. False means "not certain": the caller asks the
real validator, whose import and set-up cost more than most commands' work, so the common
`default: 20` or `example: {"name": "x"}` skips it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from importlib.util import find_spec
from typing import Any

from generator.util.jsontypes import JSON_TYPES

__all__ = ["plain_value_fits"]

_PLAIN_KEYS = frozenset(
    {
        "type", "format", "default", "description", "title", "example", "examples", "enum", "nullable",
        "readOnly", "writeOnly", "deprecated", "minimum", "maximum", "minLength", "maxLength", "pattern",
        "properties", "required", "additionalProperties", "items", "minItems", "maxItems",
    }
)
_INT_BITS = {"int32": 31, "int64": 63}  # openapi-schema-validator's is_int32 / is_int64
_BOUNDS = {
    "minimum": ("integer", "number"), "maximum": ("integer", "number"),
    "minLength": ("string",), "maxLength": ("string",), "minItems": ("array",), "maxItems": ("array",),
}
_BOUND_KEYS = frozenset(_BOUNDS)
Resolve = Callable[[str], Any]


def _no_refs(ref: str) -> Any:
    return None


@cache
def _python_regex_semantics() -> bool:
    """openapi-schema-validator matches `pattern` with `re.search` unless `regress` is installed."""
    return find_spec("regress") is None


def plain_value_fits(schema: Any, value: Any, resolve: Resolve = _no_refs, depth: int = 0) -> bool:
    if depth > 20 or not isinstance(schema, dict):
        return False
    if "$ref" in schema:
        ref = schema["$ref"]
        target = resolve(ref) if isinstance(ref, str) and len(schema) == 1 else None
        return target is not None and plain_value_fits(target, value, resolve, depth + 1)
    if not _PLAIN_KEYS.issuperset(schema) and any(key not in _PLAIN_KEYS and not key.startswith("x-") for key in schema):
        return False
    kind = schema.get("type")
    if kind not in JSON_TYPES or not isinstance(value, JSON_TYPES[kind]):
        return False
    if isinstance(value, bool) != (kind == "boolean"):
        return False
    fmt = schema.get("format")
    if fmt is not None:
        if kind not in ("integer", "number") or fmt not in ("int32", "int64", "float", "double"):
            return False  # a string format: the validator's format checker decides
        if fmt in _INT_BITS and isinstance(value, int):
            bits = _INT_BITS[fmt]
            if not ~(1 << bits) < value < 1 << bits:
                return False
    if "enum" in schema:
        enum = schema["enum"]
        if not isinstance(enum, list) or not any(type(item) is type(value) and item == value for item in enum):
            return False
    for keyword, kinds in (() if _BOUND_KEYS.isdisjoint(schema) else _BOUNDS.items()):
        if keyword not in schema:
            continue
        bound = schema[keyword]
        if isinstance(bound, bool) or not isinstance(bound, (int, float)):
            return False
        if kind not in kinds:
            continue  # the keyword does not apply to this type
        measured = value if kind in ("integer", "number") else len(value)
        if measured < bound if keyword.startswith("min") else measured > bound:
            return False
    if "pattern" in schema and kind == "string":
        pattern = schema["pattern"]
        if not isinstance(pattern, str) or not _python_regex_semantics() or not _search(pattern, value):
            return False
    if kind == "object":
        return _object_fits(schema, value, resolve, depth)
    if kind == "array" and "items" in schema:
        return all(plain_value_fits(schema["items"], item, resolve, depth + 1) for item in value)
    return True


def _search(pattern: str, value: str) -> bool:
    try:
        return re.search(pattern, value) is not None
    except re.error:
        return False


def _object_fits(schema: dict[str, Any], value: dict[str, Any], resolve: Resolve, depth: int) -> bool:
    properties = schema.get("properties", {})
    required = schema.get("required", [])
    extra = schema.get("additionalProperties", True)
    if not isinstance(properties, dict) or not isinstance(required, list) or not all(k in value for k in required):
        return False
    for key, item in value.items():
        if key in properties:
            if not plain_value_fits(properties[key], item, resolve, depth + 1):
                return False
        elif extra is False or (extra is not True and not plain_value_fits(extra, item, resolve, depth + 1)):
            return False
    return True
