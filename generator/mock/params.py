"""Decoding path, query and header parameters from their wire strings into typed values.

Each parameter gets a decoder at app creation: the JSON types its schema allows, its array style
and a compiled validator. A wire string becomes an integer, number or boolean only when it is
spelled as one (`-?[0-9]+`, a JSON number, `true`/`false`); otherwise it stays a string and the
schema decides, so `Limit=abc` fails as "not of type integer".
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from generator.ir.model import Parameter
from generator.mock.schema import SchemaIssue, SchemaSet, fast_check

__all__ = ["ParamDecoder", "coerce_scalar", "param_types"]

_INT = re.compile(r"-?[0-9]+")
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?")
_SEPARATORS = {"form": ",", "simple": ",", "pipeDelimited": "|", "spaceDelimited": " "}


def _types(schema: Mapping[str, Any], schemas: SchemaSet) -> frozenset[str]:
    schema = schemas.resolve(schema)
    declared = schema.get("type")
    if isinstance(declared, str):
        return frozenset({declared})
    if isinstance(declared, list):
        return frozenset(str(t) for t in declared)
    found: set[str] = set()
    for key in ("oneOf", "anyOf", "allOf"):
        for sub in schema.get(key, ()) or ():
            if isinstance(sub, Mapping):
                found |= _types(sub, schemas)
    for value in schema.get("enum", ()) or ():
        found.add({bool: "boolean", int: "integer", float: "number", str: "string"}.get(type(value), "string"))
    return frozenset(found) or frozenset({"string"})


def param_types(schema: Mapping[str, Any], schemas: SchemaSet) -> frozenset[str]:
    """The JSON types a schema allows (a string when it says nothing)."""
    return _types(schema, schemas)


def coerce_scalar(text: str, types: frozenset[str]) -> Any:
    """The typed value `text` spells, given the JSON types allowed; `text` itself otherwise."""
    if "boolean" in types and text in ("true", "false"):
        return text == "true"
    if "integer" in types and _INT.fullmatch(text):
        return int(text)
    if ("number" in types or "integer" in types) and _NUMBER.fullmatch(text):
        value = float(text)
        if math.isfinite(value):
            if "number" not in types and value.is_integer():
                return int(value)
            return value
    if "null" in types and text == "null" and "string" not in types:
        return None
    return text


class ParamDecoder:
    """Decode and validate one parameter."""

    __slots__ = ("array", "default", "fast", "has_default", "item_types", "label", "location", "name", "required", "separator", "types", "validator")

    def __init__(self, param: Parameter, schemas: SchemaSet) -> None:
        self.name = param.name
        self.location = param.location
        self.required = param.required
        self.label = f"{param.location}.{param.name}"
        resolved = schemas.resolve(param.schema)
        self.types = _types(param.schema, schemas)
        self.array = self.types == frozenset({"array"})
        items = resolved.get("items")
        self.item_types = _types(items, schemas) if isinstance(items, Mapping) else frozenset({"string"})
        style = param.style or ("form" if param.location == "query" else "simple")
        explode = param.explode if param.explode is not None else style == "form"
        # An exploded form array repeats the name; anything else joins the items with a separator.
        self.separator = None if (style == "form" and explode) else _SEPARATORS.get(style, ",")
        self.has_default = "default" in resolved
        self.default = resolved.get("default")
        self.validator = schemas.validator(param.schema)
        self.fast = fast_check(param.schema)

    def decode(self, raw: Sequence[str]) -> tuple[Any, list[SchemaIssue]]:
        """`raw`: the wire values (several only for repeated query names; empty when absent)."""
        if self.array:
            parts = list(raw) if self.separator is None else [p for text in raw[:1] for p in (text.split(self.separator) if text else [])]
            value: Any = [coerce_scalar(p, self.item_types) for p in parts]
        else:
            value = coerce_scalar(raw[0], self.types)
            if self.fast is not None and self.fast(value):
                return value, []
        return value, SchemaSet.issues(self.validator, value, self.label)
