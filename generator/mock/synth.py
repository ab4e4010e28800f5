"""Values that validate against a response schema, for the generic engine.

Preference: the schema's own `example`/`examples`/`default`/`const`/`enum` when it validates, then a
value built from the schema's keywords (type, format, lengths, ranges, required properties, items,
`allOf` merged, the first `oneOf`/`anyOf` branch that validates). Everything is deterministic: the
same schema gives the same value. `conform(value, schema)` keeps what the caller has (a stored
item) and fills or replaces only what the schema needs. The caller validates the result anyway
(contract mode); a value that still fails is reported, never sent.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from generator.mock.schema import SchemaSet

__all__ = ["Synth"]

_MAX_DEPTH = 8
_FORMATS: dict[str, Any] = {
    "date-time": "2024-01-01T00:00:00Z",
    "date": "2024-01-01",
    "time": "00:00:00Z",
    "email": "user@example.com",
    "idn-email": "user@example.com",
    "uri": "https://example.com/",
    "url": "https://example.com/",
    "iri": "https://example.com/",
    "uri-reference": "/",
    "hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "uuid": "00000000-0000-4000-8000-000000000000",
    "byte": "",
    "binary": "",
    "duration": "PT1S",
    "password": "",
}


class Synth:
    """Schema-valid values for one API's schemas."""

    def __init__(self, schemas: SchemaSet) -> None:
        self.schemas = schemas
        self._cache: dict[int, Any] = {}

    def valid(self, schema: Any, value: Any) -> bool:
        if not isinstance(schema, Mapping):
            return schema is not False
        return bool(self.schemas.validator(schema).is_valid(value))

    def value(self, schema: Any, _depth: int = 0) -> Any:
        """A value valid against `schema` where the generator can find one (None otherwise)."""
        if not isinstance(schema, Mapping):
            return None
        resolved = self.schemas.resolve(schema)
        for candidate in _examples(resolved):
            if self.valid(resolved, candidate):
                return copy.deepcopy(candidate)
        if _depth > _MAX_DEPTH:
            return _shallow(resolved)
        if "allOf" in resolved:
            merged: Any = None
            for branch in resolved["allOf"]:
                part = self.value(branch, _depth + 1)
                if isinstance(part, dict):
                    merged = {**(merged or {}), **part}
                elif merged is None:
                    merged = part
            own = {k: v for k, v in resolved.items() if k != "allOf"}
            if isinstance(merged, dict) and ("properties" in own or own.get("type") == "object"):
                merged = {**self._object(own, _depth, declared_only=True), **merged}
            if isinstance(merged, dict):
                known = self._all_properties(resolved)
                for name in resolved.get("required") or ():
                    if name not in merged and name in known:
                        merged[name] = self.value(known[name], _depth + 1)
            return merged
        for key in ("oneOf", "anyOf"):
            branches = resolved.get(key)
            if isinstance(branches, list) and branches:
                first = None
                for branch in branches:
                    candidate = self.value(branch, _depth + 1)
                    if first is None:
                        first = candidate
                    if self.valid(resolved, candidate):
                        return candidate
                return first
        kind = _kind(resolved)
        if kind == "object":
            return self._object(resolved, _depth)
        if kind == "array":
            count = int(resolved.get("minItems", 0) or 0)
            item = self.value(resolved.get("items"), _depth + 1) if count else None
            if resolved.get("uniqueItems") and count > 1:
                return [item]
            return [copy.deepcopy(item) for _ in range(count)]
        return _scalar(resolved, kind)

    def _object(self, schema: Mapping[str, Any], depth: int, *, declared_only: bool = False) -> dict[str, Any]:
        properties = schema.get("properties") or {}
        out: dict[str, Any] = {}
        for name in schema.get("required") or ():
            if name in properties:
                out[name] = self.value(properties[name], depth + 1)
            elif not declared_only:
                extra = schema.get("additionalProperties")
                out[name] = self.value(extra, depth + 1) if isinstance(extra, Mapping) else ""
        return out

    def _all_properties(self, schema: Mapping[str, Any], depth: int = 0) -> dict[str, Any]:
        resolved = self.schemas.resolve(schema)
        out: dict[str, Any] = {}
        if depth < _MAX_DEPTH:
            for branch in resolved.get("allOf") or ():
                if isinstance(branch, Mapping):
                    out.update(self._all_properties(branch, depth + 1))
        out.update(resolved.get("properties") or {})
        return out

    def conform(self, value: Any, schema: Any, _depth: int = 0) -> Any:
        """`value` kept where it validates, its invalid or missing parts replaced by generated ones."""
        if not isinstance(schema, Mapping) or self.valid(schema, value):
            return value
        resolved = self.schemas.resolve(schema)
        if _depth <= _MAX_DEPTH and isinstance(value, dict) and _kind(resolved) == "object" and "properties" in resolved:
            properties = resolved.get("properties") or {}
            out: dict[str, Any] = {}
            for key, item in value.items():
                if key in properties:
                    out[key] = self.conform(item, properties[key], _depth + 1)
                elif resolved.get("additionalProperties") is not False:
                    out[key] = item
            for name in resolved.get("required") or ():
                if name not in out and name in properties:
                    out[name] = self.value(properties[name], _depth + 1)
            if self.valid(resolved, out):
                return out
        if _depth <= _MAX_DEPTH and isinstance(value, list) and _kind(resolved) == "array":
            items = resolved.get("items")
            out_list = [self.conform(item, items, _depth + 1) for item in value]
            if self.valid(resolved, out_list):
                return out_list
        return self.value(resolved, _depth)


def _examples(schema: Mapping[str, Any]) -> list[Any]:
    out: list[Any] = []
    if "const" in schema:
        out.append(schema["const"])
    if isinstance(schema.get("enum"), list):
        out.extend(schema["enum"][:3])
    if "example" in schema:
        out.append(schema["example"])
    if isinstance(schema.get("examples"), list):
        out.extend(schema["examples"][:3])
    if "default" in schema:
        out.append(schema["default"])
    return out


def _kind(schema: Mapping[str, Any]) -> str | None:
    kind = schema.get("type")
    if isinstance(kind, list):
        kinds = [k for k in kind if k != "null"]
        return str(kinds[0]) if kinds else "null"
    if isinstance(kind, str):
        return kind
    if "properties" in schema or "required" in schema or "additionalProperties" in schema:
        return "object"
    if "items" in schema:
        return "array"
    return None


def _shallow(schema: Mapping[str, Any]) -> Any:
    kind = _kind(schema)
    return {"object": {}, "array": []}.get(kind or "", _scalar(schema, kind))


def _scalar(schema: Mapping[str, Any], kind: str | None) -> Any:
    if kind == "boolean":
        return True
    if kind in ("integer", "number"):
        low = schema.get("minimum", schema.get("exclusiveMinimum"))
        high = schema.get("maximum", schema.get("exclusiveMaximum"))
        value: float = 1
        if isinstance(low, int | float) and not isinstance(low, bool):
            value = low + (1 if "exclusiveMinimum" in schema and "minimum" not in schema else 0)
            if isinstance(high, int | float) and value > high:
                value = low
        elif isinstance(high, int | float) and not isinstance(high, bool) and value > high:
            value = high - 1 if "exclusiveMaximum" in schema and "maximum" not in schema else high
        step = schema.get("multipleOf")
        if isinstance(step, int | float) and step:
            value = step * max(1, round(value / step))
        return int(value) if kind == "integer" or float(value).is_integer() else value
    if kind == "null":
        return None
    if kind == "string" or kind is None:
        fmt = schema.get("format")
        text = _FORMATS.get(fmt, "string") if isinstance(fmt, str) else "string"
        low_len = int(schema.get("minLength", 0) or 0)
        high_len = schema.get("maxLength")
        if len(text) < low_len:
            text = text + "x" * (low_len - len(text))
        if isinstance(high_len, int) and len(text) > high_len:
            text = text[:high_len]
        return text
    return None
