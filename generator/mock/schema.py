"""JSON Schema 2020-12 validators for one spec, compiled once per schema and reused per request.

Component schemas live in one `referencing` registry resource (`urn:connectorgen:mock`), so the
IR's `#/components/schemas/<Name>` refs inside them resolve in place; a schema being compiled has
its own top-level refs pointed at that resource. `format` is asserted for the formats the specs use
and `pattern` follows ECMA-262 (see `formats.py`), as the contract tests' validator does.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker, ValidationError
from jsonschema.protocols import Validator
from jsonschema.validators import extend
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from generator.mock.formats import FORMAT_CHECKS, INTEGER_FORMATS, ecma_regex

__all__ = ["SchemaIssue", "SchemaSet", "fast_check"]

_BASE = "urn:connectorgen:mock"
_REF_PREFIX = "#/components/schemas/"


def _pattern(validator: Validator, pattern: str, instance: Any, schema: Mapping[str, Any]) -> Iterator[ValidationError]:
    if validator.is_type(instance, "string") and not ecma_regex(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


_Validator = extend(Draft202012Validator, {"pattern": _pattern})  # type: ignore[no-untyped-call]


def _format_checker() -> FormatChecker:
    checker = FormatChecker(formats=())
    for name, check in FORMAT_CHECKS.items():
        checker.checks(name)(_string_check(check))
    for name, (low, high) in INTEGER_FORMATS.items():
        checker.checks(name)(_range_check(low, high))
    return checker


def _range_check(low: int, high: int) -> Any:
    def run(instance: object) -> bool:
        if isinstance(instance, bool) or not isinstance(instance, (int, float)):
            return True
        return low <= instance <= high

    return run


def _string_check(check: Any) -> Any:
    def run(instance: object) -> bool:
        return not isinstance(instance, str) or bool(check(instance))

    return run


class SchemaIssue:
    """One validation failure: where (a `$.a.b` style path) and why."""

    __slots__ = ("message", "path")

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        self.message = message

    def __repr__(self) -> str:
        return f"SchemaIssue({self.path!r}, {self.message!r})"


def _rewrite(schema: Any) -> Any:
    """Point `#/components/schemas/...` refs of a non-component schema at the registry resource."""
    if isinstance(schema, dict):
        out = {}
        for key, value in schema.items():
            if key == "$ref" and isinstance(value, str) and value.startswith(_REF_PREFIX):
                out[key] = _BASE + value
            else:
                out[key] = _rewrite(value)
        return out
    if isinstance(schema, list):
        return [_rewrite(item) for item in schema]
    return schema


def _path(error: ValidationError, root: str) -> str:
    out = root
    for part in error.absolute_path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


class SchemaSet:
    """Validators for the schemas of one API (`components` = the IR's `Api.schemas`)."""

    def __init__(self, components: Mapping[str, Any]) -> None:
        resource: Resource[Any] = DRAFT202012.create_resource({"components": {"schemas": dict(components)}})
        self._registry: Registry[Any] = Registry().with_resource(_BASE, resource)
        self._components = components
        self._format_checker = _format_checker()

    def validator(self, schema: Mapping[str, Any] | bool) -> Validator:
        compiled = _rewrite(schema) if isinstance(schema, Mapping) else schema
        validator: Validator = _Validator(compiled, registry=self._registry, format_checker=self._format_checker)
        return validator

    def resolve(self, schema: Mapping[str, Any]) -> Mapping[str, Any]:
        """Follow top-level refs to a component (one schema, not its subschemas)."""
        seen: set[str] = set()
        while isinstance(schema.get("$ref"), str) and schema["$ref"].startswith(_REF_PREFIX):
            name = schema["$ref"][len(_REF_PREFIX) :]
            if name in seen or name not in self._components:
                break
            seen.add(name)
            schema = self._components[name]
        return schema

    @staticmethod
    def issues(validator: Validator, instance: Any, root: str = "$") -> list[SchemaIssue]:
        """Every failure, deepest first within a branch; [] when valid (fast path: is_valid)."""
        if validator.is_valid(instance):
            return []
        errors = sorted(validator.iter_errors(instance), key=lambda e: list(map(str, e.absolute_path)))
        return [SchemaIssue(_path(error, root), error.message) for error in errors]


_ANNOTATIONS = frozenset({"description", "title", "example", "examples", "default", "deprecated", "readOnly", "writeOnly", "$comment"})
_PY_TYPES: dict[str, Any] = {"string": str, "integer": int, "number": (int, float), "boolean": bool}


def fast_check(schema: Mapping[str, Any]) -> Any:
    """A plain-Python check for a simple scalar schema (type, length, range, enum, pattern, format),
    or None when the schema needs the full validator. A True answer is always right; on False the
    caller asks the full validator, which also words the error."""
    if not set(schema) <= _ANNOTATIONS | {"type", "minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "enum", "pattern", "format"}:
        return None
    kind = schema.get("type")
    if not isinstance(kind, str) or kind not in _PY_TYPES:
        return None
    py_type = _PY_TYPES[kind]
    enum = schema.get("enum")
    min_len, max_len = schema.get("minLength", 0), schema.get("maxLength")
    low, high = schema.get("minimum"), schema.get("maximum")
    xlow, xhigh = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
    regex = ecma_regex(schema["pattern"]) if "pattern" in schema else None
    fmt = schema.get("format")
    string_format = FORMAT_CHECKS.get(fmt) if isinstance(fmt, str) else None
    int_range = INTEGER_FORMATS.get(fmt) if isinstance(fmt, str) else None

    def check(value: Any) -> bool:
        if not isinstance(value, py_type) or (kind != "boolean" and isinstance(value, bool)):
            return False
        if enum is not None and value not in enum:
            return False
        if isinstance(value, str):
            if len(value) < min_len or (max_len is not None and len(value) > max_len):
                return False
            if regex is not None and not regex.search(value):
                return False
            if string_format is not None and not string_format(value):
                return False
        else:
            if (low is not None and value < low) or (high is not None and value > high):
                return False
            if (xlow is not None and value <= xlow) or (xhigh is not None and value >= xhigh):
                return False
            if int_range is not None and not int_range[0] <= value <= int_range[1]:
                return False
        return True

    return check
