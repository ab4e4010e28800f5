"""The project's own spec rules, as plain functions in a registry (stable snake_case codes).

Each rule takes the bundled document and yields `Finding`s (generator/problems.py) that name their
own code and a JSON pointer; the loader (`spec/loader.py`) turns them into located problems. Rules run on the project's own specs (`specs/`) as errors and, for
standalone conversion of third-party documents, as warnings.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from generator.ir.model import HTTP_METHODS
from generator.problems import Finding
from generator.spec.refs import resolve_pointer
from generator.util.jsontypes import JSON_TYPES
from generator.util.pointer import join_pointer
from generator.util.registry import Registry

__all__ = ["RULES", "iter_findings", "iter_operations", "iter_schemas"]

Rule = Callable[[dict[str, Any]], Iterator[Finding]]

RULES: Registry[Rule] = Registry("spec rule")
_TEMPLATE_PARAM = re.compile(r"{([^{}]+)}")
_JSON_TYPES = {*JSON_TYPES, "null"}  # the type names of JSON Schema (util/jsontypes.py) and null


def rule(func: Rule) -> Rule:
    return RULES.add(func.__name__, func)


def _deref(document: dict[str, Any], value: Any) -> Any:
    seen = set()
    while isinstance(value, dict) and isinstance(value.get("$ref"), str) and value["$ref"].startswith("#"):
        if value["$ref"] in seen:
            return None
        seen.add(value["$ref"])
        value = resolve_pointer(document, value["$ref"][1:])
    return value if isinstance(value, dict) else None


def iter_operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any], dict[str, Any], str]]:
    """(path, method, operation, path item, operation pointer) for every operation under `paths`."""
    paths = document.get("paths")
    if not isinstance(paths, dict):
        return
    for path, item in paths.items():
        item = _deref(document, item)
        if not item:
            continue
        for method in HTTP_METHODS:
            op = item.get(method)
            if isinstance(op, dict):
                yield str(path), method, op, item, join_pointer("/paths", path, method)


@rule
def operation_ids(document: dict[str, Any]) -> Iterator[Finding]:
    seen: dict[str, str] = {}
    for path, method, op, _, ptr in iter_operations(document):
        op_id = op.get("operationId")
        if not op_id:
            yield Finding(f"{method.upper()} {path} has no operationId", ptr, code="missing_operation_id")
        elif op_id in seen:
            yield Finding(f"operationId {op_id!r} is already used at {seen[op_id]}", ptr + "/operationId", code="duplicate_operation_id")
        else:
            seen[op_id] = ptr


@rule
def documentation(document: dict[str, Any]) -> Iterator[Finding]:
    for path, method, op, _, ptr in iter_operations(document):
        if not str(op.get("summary") or "").strip():
            yield Finding(f"{method.upper()} {path} has no summary", ptr, code="missing_summary")
        if not str(op.get("description") or "").strip():
            yield Finding(f"{method.upper()} {path} has no description", ptr, code="missing_description")


@rule
def success_response(document: dict[str, Any]) -> Iterator[Finding]:
    for path, method, op, _, ptr in iter_operations(document):
        responses = op.get("responses")
        if not isinstance(responses, dict) or not any(str(s).startswith("2") for s in responses):
            yield Finding(f"{method.upper()} {path} documents no 2xx response", ptr + "/responses", code="no_success_response")


@rule
def path_parameters(document: dict[str, Any]) -> Iterator[Finding]:
    for path, method, op, item, ptr in iter_operations(document):
        declared = set()
        for raw in [*(item.get("parameters") or []), *(op.get("parameters") or [])]:
            param = _deref(document, raw)
            if param and param.get("in") == "path":
                declared.add(param.get("name"))
        for name in _TEMPLATE_PARAM.findall(path):
            if name not in declared:
                yield Finding(
                    f"path template parameter {{{name}}} of {method.upper()} {path} is not declared as an `in: path` parameter",
                    ptr,
                    code="undeclared_path_parameter",
                )


_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "dependentSchemas")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMA_VALUES = ("items", "additionalProperties", "not", "if", "then", "else", "contains", "propertyNames")


def iter_schemas(document: dict[str, Any]) -> Iterator[tuple[dict[str, Any], str]]:
    """(schema, pointer) for every schema object in the document, nested ones included."""
    roots: list[tuple[Any, str]] = []
    components = document.get("components")
    if isinstance(components, dict) and isinstance(components.get("schemas"), dict):
        roots.extend((v, join_pointer("/components/schemas", k)) for k, v in components["schemas"].items())
    todo: list[tuple[Any, str]] = [(document, "")]
    while todo:  # find every `schema` keyword outside schemas (parameters, media types, headers)
        node, ptr = todo.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                child = join_pointer(ptr, key)
                if key == "schema" and isinstance(value, dict):
                    roots.append((value, child))
                elif key not in ("schemas", "example", "examples", "default", "enum") and isinstance(value, dict | list):
                    todo.append((value, child))
        elif isinstance(node, list):
            todo.extend((v, f"{ptr}/{i}") for i, v in enumerate(node) if isinstance(v, dict | list))
    while roots:
        schema, ptr = roots.pop()
        if not isinstance(schema, dict):
            continue
        yield schema, ptr
        for key in _SCHEMA_MAPS:
            if isinstance(schema.get(key), dict):
                roots.extend((v, join_pointer(ptr, key, k)) for k, v in schema[key].items())
        for key in _SCHEMA_LISTS:
            if isinstance(schema.get(key), list):
                roots.extend((v, f"{ptr}/{key}/{i}") for i, v in enumerate(schema[key]))
        for key in _SCHEMA_VALUES:
            if isinstance(schema.get(key), dict):
                roots.append((schema[key], f"{ptr}/{key}"))


@rule
def schema_types(document: dict[str, Any]) -> Iterator[Finding]:
    for schema, ptr in iter_schemas(document):
        kind = schema.get("type")
        if kind is None:
            continue
        for k in kind if isinstance(kind, list) else [kind]:
            if not isinstance(k, str) or k not in _JSON_TYPES:
                yield Finding(f"schema type {k!r} is not one of {', '.join(sorted(_JSON_TYPES))}", ptr + "/type", code="unknown_schema_type")


@rule
def auth_recipe(document: dict[str, Any]) -> Iterator[Finding]:
    """`x-connectorgen-auth` recipes (checked by `generator/ir/auth.py`)."""
    from generator.ir.auth import auth_findings
    from generator.ir.build import security_schemes_of

    schemes = [(s.pointer, s.extensions.get("x-connectorgen-auth"), s.auth) for s in security_schemes_of(document).values()]
    if any(raw is not None for _, raw, _ in schemes):
        yield from auth_findings(schemes, (str(op.get("operationId")) for _, _, op, _, _ in iter_operations(document)))


def iter_findings(document: dict[str, Any]) -> Iterator[Finding]:
    for func in RULES.values():
        yield from func(document)
