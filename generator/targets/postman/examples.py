"""Example values for requests: always the spec's own examples, never invented placeholders.

Order of preference: the named example asked for, the first example of the media type or parameter,
then the schema's `example`/`examples`/`default`/`const`/single `enum`, then (objects and arrays
only) a value assembled from the examples of their properties or items. A required value with no
example anywhere gets the neutral value of its type (`""`, `0`, `false`) so the request stays
well-formed; nothing random is ever produced.
"""

from __future__ import annotations

import json
import re
from typing import Any

from generator.ir.model import Api, JsonSchema, MediaType, Parameter, schema_example
from generator.util.jsonio import compact_json

__all__ = ["SECRET_KEY", "body_example", "parameter_example", "protect_secrets", "stringify", "synthesize"]

# Body fields whose example values stand for a secret; they become `{{variables}}`.
SECRET_KEY = re.compile(r"secret|password|passwd|api_?key|access_?token|refresh_?token", re.IGNORECASE)
_MAX_DEPTH = 6
_NEUTRAL: dict[str, Any] = {"string": "", "integer": 0, "number": 0, "boolean": False, "array": [], "object": {}}


def synthesize(api: Api, schema: JsonSchema | None, required: bool = True, _depth: int = 0) -> tuple[bool, Any]:
    """(found, value) for `schema` from the examples it and its parts carry."""
    resolved = api.resolve_schema(schema)
    if not isinstance(resolved, dict) or _depth > _MAX_DEPTH:
        return False, None
    found, value = schema_example(resolved)
    if found:
        return True, value
    for key in ("allOf", "oneOf", "anyOf"):
        branches = resolved.get(key)
        if isinstance(branches, list) and branches:
            if key == "allOf":
                merged: dict[str, Any] = {}
                for branch in branches:
                    ok, part = synthesize(api, branch, required, _depth + 1)
                    if ok and isinstance(part, dict):
                        merged.update(part)
                if merged:
                    return True, merged
            else:
                ok, part = synthesize(api, branches[0], required, _depth + 1)
                if ok:
                    return True, part
    kind = resolved.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    if kind == "object" or (kind is None and isinstance(resolved.get("properties"), dict)):
        needed = set(resolved.get("required") or ())
        obj: dict[str, Any] = {}
        for name, prop in (resolved.get("properties") or {}).items():
            if isinstance(prop, dict) and (prop.get("readOnly") or (api.resolve_schema(prop) or {}).get("readOnly")):
                continue
            ok, part = synthesize(api, prop, name in needed, _depth + 1)
            if ok:
                obj[name] = part
        if obj or required:
            return True, obj
        return False, None
    if kind == "array":
        ok, item = synthesize(api, resolved.get("items"), False, _depth + 1)
        if ok:
            return True, [item]
        return (True, []) if required else (False, None)
    if required and isinstance(kind, str) and kind in _NEUTRAL:
        return True, _NEUTRAL[kind]
    return False, None


def parameter_example(api: Api, param: Parameter) -> tuple[bool, Any]:
    found, value = param.example_value()
    if found:
        return True, value
    return synthesize(api, param.schema, param.required)


def body_example(api: Api, media: MediaType | None, preferred: str = "", schema: JsonSchema | None = None) -> tuple[bool, Any]:
    """(found, value) of a request body: the example named `preferred`, else the first example, else
    one assembled from `schema` (default: the media type's schema)."""
    examples = [e for e in (media.examples if media else ()) if not e.external_value]
    if preferred:
        named = next((e for e in examples if e.name == preferred), None)
        if named is not None:
            return True, named.value
    if schema is None and examples:
        return True, examples[0].value
    return synthesize(api, schema if schema is not None else (media.schema if media else None))


def stringify(value: Any) -> str:
    """A parameter value as text (booleans lower-case, containers as compact JSON)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return json.dumps(value)
    return compact_json(value)


def protect_secrets(value: Any, credentials: frozenset[str]) -> tuple[Any, dict[str, str]]:
    """`value` with credential and secret-looking string fields replaced by `{{name}}`; also returns
    the replaced non-credential fields with their example values (placeholders from the spec)."""
    found: dict[str, str] = {}

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            out: dict[str, Any] = {}
            for key, item in node.items():
                name = str(key)
                if name in credentials and not isinstance(item, dict | list):
                    out[key] = "{{" + name + "}}"
                elif isinstance(item, str) and SECRET_KEY.search(name) and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
                    found.setdefault(name, item)
                    out[key] = "{{" + name + "}}"
                else:
                    out[key] = walk(item)
            return out
        if isinstance(node, list):
            return [walk(item) for item in node]
        return node

    return walk(value), found
