
"""The conventions of the best published connectors, applied to the converted definition.

Each has a lint rule in `generator/lint/rules_conventions.py` so that it cannot regress:
- `x-ms-test-value` on parameters (what Microsoft's test tooling reads), not the generic Swagger
  `x-example`; response headers carry no example (the platform has no test value for them);
- `x-ms-no-generic-test` on operations with side effects (`has_side_effects`), so that Microsoft's
  generic test does not start sessions or delete things;
- `info.x-ms-keywords` from connector.yaml `keywords`;
- no definition nothing references and no tag no operation uses.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from generator.util.pointer import unescape_pointer

__all__ = ["READ_PREFIXES", "apply_conventions", "has_side_effects", "referenced_definitions"]

# A POST whose operationId starts with one of these reads (a search with a body), as in `ListSessions`.
READ_PREFIXES = ("List", "Get", "Search", "Query", "Find", "Lookup", "Check", "Validate", "Preview")
_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
_REF = re.compile(r"^#/definitions/(.+)$")


def has_side_effects(method: str, operation_id: str) -> bool:
    """DELETE, PUT and PATCH change something; so does a POST unless its operationId says it reads."""
    method = method.lower()
    if method in ("delete", "put", "patch"):
        return True
    return method == "post" and not operation_id.startswith(READ_PREFIXES)


def _operations(doc: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for item in (doc.get("paths") or {}).values():
        if isinstance(item, dict):
            for method in _METHODS:
                op = item.get(method)
                if isinstance(op, dict):
                    yield method, op


def _test_value(parameter: Any) -> None:
    """`x-example` → `x-ms-test-value` in a parameter (the key keeps its place)."""
    if isinstance(parameter, dict) and "x-example" in parameter:
        items = [("x-ms-test-value" if k == "x-example" else k, v) for k, v in parameter.items()]
        parameter.clear()
        parameter.update(items)


def _test_values(doc: dict[str, Any]) -> None:
    """Parameters carry `x-ms-test-value`; response headers, where the platform has no test value,
    carry no example."""
    shared = doc.get("parameters")
    for parameter in shared.values() if isinstance(shared, dict) else ():
        _test_value(parameter)
    for item in (doc.get("paths") or {}).values():
        if not isinstance(item, dict):
            continue
        for parameter in item.get("parameters") or ():
            _test_value(parameter)
        for method in _METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            for parameter in op.get("parameters") or ():
                _test_value(parameter)
            _drop_header_examples(op.get("responses"))
    _drop_header_examples(doc.get("responses"))


def _drop_header_examples(responses: Any) -> None:
    for response in responses.values() if isinstance(responses, dict) else ():
        headers = response.get("headers") if isinstance(response, dict) else None
        for header in headers.values() if isinstance(headers, dict) else ():
            if isinstance(header, dict):
                header.pop("x-example", None)


def _refs(value: Any, out: set[str]) -> None:
    if isinstance(value, dict):
        ref = value.get("$ref")
        if isinstance(ref, str):
            match = _REF.match(ref)
            if match:
                out.add(unescape_pointer(match.group(1)))
        for child in value.values():
            _refs(child, out)
    elif isinstance(value, list):
        for child in value:
            _refs(child, out)


def referenced_definitions(doc: dict[str, Any]) -> set[str]:
    """Names of the definitions reachable from the paths, shared parameters and shared responses."""
    raw = doc.get("definitions")
    definitions: dict[str, Any] = raw if isinstance(raw, dict) else {}
    found: set[str] = set()
    for key in ("paths", "parameters", "responses"):
        _refs(doc.get(key), found)
    todo = list(found)
    while todo:
        name = todo.pop()
        more: set[str] = set()
        _refs(definitions.get(name), more)
        for extra in more - found:
            found.add(extra)
            todo.append(extra)
    return found


def _prune(doc: dict[str, Any]) -> None:
    definitions = doc.get("definitions")
    if isinstance(definitions, dict):
        keep = referenced_definitions(doc)
        for name in [n for n in definitions if n not in keep]:
            del definitions[name]
        if not definitions:
            del doc["definitions"]
    tags = doc.get("tags")
    if isinstance(tags, list):
        used = {t for _, op in _operations(doc) for t in op.get("tags", ()) if isinstance(t, str)}
        doc["tags"] = [t for t in tags if isinstance(t, dict) and t.get("name") in used]
        if not doc["tags"]:
            del doc["tags"]


def apply_conventions(doc: dict[str, Any], keywords: tuple[str, ...], generic_test: dict[str, bool]) -> None:
    """`generic_test`: connector.yaml's `genericTest` by operationId, over `has_side_effects`."""
    if keywords and isinstance(doc.get("info"), dict):
        doc["info"]["x-ms-keywords"] = list(keywords)
    _test_values(doc)
    for method, op in _operations(doc):
        operation_id = str(op.get("operationId", ""))
        allowed = generic_test.get(operation_id)
        if allowed is False or (allowed is None and has_side_effects(method, operation_id)):
            op["x-ms-no-generic-test"] = True
    _prune(doc)
