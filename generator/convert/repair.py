"""Post-pass on the finished Swagger 2.0 document: make it valid where conversion made it invalid.

Converting a schema can narrow it (a type list becomes one type, alternatives are merged), so a
`default` or `example` written for the original schema may no longer fit (`0` for a string, a list
for a string), and merged `enum` lists may repeat values. Swagger 2.0 validators reject both. This
pass checks every default and example against the schema (or non-body parameter, header, items)
that now holds it, with the validator openapi-spec-validator uses for Swagger 2.0 defaults, and
drops what no longer fits; it removes repeated enum values and enum values of the wrong type. Each
change is a loss entry (`default_dropped`, `example_dropped`, `enum_deduplicated`,
`enum_value_dropped`). OAuth2 URLs that are relative (Swagger 2.0 wants absolute ones) are resolved
against the document's host (`oauth2_url_resolved`), or the definition is dropped when there is no
host (`security_definition_dropped`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urljoin

from generator.convert.context import Losses
from generator.problems import Level
from generator.util.jsontypes import JSON_TYPES
from generator.util.pointer import join_pointer, split_pointer
from generator.util.valuefit import plain_value_fits

__all__ = ["repair_swagger"]

_BASE = "urn:connectorgen:swagger"
_DROP = object()
# Keywords that do not constrain a value beyond its type and enum (checked without the validator).
_SIMPLE_KEYS = frozenset(
    {"type", "enum", "title", "description", "default", "example", "readOnly", "name", "in", "required", "allowEmptyValue"}
)
# A non-body parameter's own fields (the rest are schema keywords).
_PARAMETER_KEYS = frozenset({"in", "name", "required", "description", "allowEmptyValue", "collectionFormat"})
_URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch")
_TYPES: dict[str, tuple[type, ...]] = {**JSON_TYPES, "file": ()}  # Swagger 2.0 adds `file`
_ENUM_KEY = json.JSONEncoder(sort_keys=True).encode  # what json.dumps(v, sort_keys=True) writes, one encoder
_VALUE_KEYS = ("enum", "default", "example")
# What `_Repair.schema` looks at in a schema: one without any of these needs no visit.
_WALK_KEYS = frozenset({*_VALUE_KEYS, "properties", "items", "allOf", "additionalProperties"})
# What `_Repair.simple` looks at in a non-body parameter or header.
_SIMPLE_WALK_KEYS = frozenset({*_VALUE_KEYS, "items"})
# A place in the document, built into a JSON pointer only when it is reported: the tokens, unescaped.
Where = tuple[str, ...]


def _pointer(where: Where) -> str:
    return join_pointer("", *where)


def _fits_type(value: Any, kind: Any) -> bool:
    if not isinstance(kind, str) or kind not in _TYPES:
        return True
    if isinstance(value, bool) and kind != "boolean":
        return False
    if kind == "integer" and isinstance(value, float):
        return value.is_integer()
    return isinstance(value, _TYPES[kind])


def _input_pointer(pointer: str) -> str:
    """The loss report speaks of the input: `/definitions/X` came from `/components/schemas/X`."""
    if pointer.startswith("/definitions/"):
        return "/components/schemas/" + pointer[len("/definitions/") :]
    return pointer


class _Repair:
    def __init__(self, doc: dict[str, Any], losses: Losses):
        self.doc = doc
        self.losses = losses
        self._registry: Any = None
        # (holder pointer, key, new value or _DROP): applied to a copy, as the document may share
        # dicts with the IR (which other targets still read).
        self.changes: list[tuple[str, str, Any]] = []
        self.dropped_schemes: set[str] = set()
        self._fit_memo: dict[Any, bool] = {}

    # -- checking a value -------------------------------------------------------------------
    def _fits(self, where: Where, holder: dict[str, Any], key: str) -> bool:
        """Does `holder[key]` (its default or example) fit the rest of `holder`?"""
        value = holder[key]
        kind = holder.get("type")
        if kind is not None and not _fits_type(value, kind):
            return False
        enum = holder.get("enum")
        if isinstance(enum, list) and value not in enum:
            return False
        # `key` is one of _SIMPLE_KEYS and of valuefit's plain keys, whose values neither check reads:
        # both answer for `holder` as they would for `holder` without `key`.
        if _SIMPLE_KEYS.issuperset(holder) or _SIMPLE_KEYS.issuperset(k for k in holder if not k.startswith("x-")):
            return True  # type and enum were all there was to check
        # Holders of plain values only (no $ref, no nested schema) are often repeated word for word
        # (the same property in many definitions): the answer depends on their content alone. The
        # types are part of the key, as 1 == 1.0 == True.
        memo: Any = (tuple(holder.items()), tuple(map(type, holder.values())), key)
        try:
            known = self._fit_memo.get(memo)
        except TypeError:  # a list or dict inside: not memoized
            memo = known = None
        if known is not None:
            return bool(known)
        fits = self._fits_schema(where, holder, key, value)
        if memo is not None:
            self._fit_memo[memo] = fits
        return fits

    def _fits_schema(self, where: Where, holder: dict[str, Any], key: str, value: Any) -> bool:
        plain = holder if _PARAMETER_KEYS.isdisjoint(holder) else {k: v for k, v in holder.items() if k not in _PARAMETER_KEYS}
        if plain_value_fits(plain, value, self._resolve):
            return True  # certainly what the validator would say, without loading it
        rest = {k: v for k, v in holder.items() if k != key}
        try:
            return not any(True for _ in self._errors(_pointer(where), rest, value))
        except Exception:  # a schema the validator cannot read (bad pattern, odd $ref): leave it
            return True

    def _resolve(self, ref: str) -> Any:
        """A local `$ref`'s target in the document, or None."""
        if not ref.startswith("#/") or "%" in ref:
            return None
        node: Any = self.doc
        for token in split_pointer(ref):
            if not isinstance(node, dict) or token not in node:
                return None
            node = node[token]
        return node

    def _errors(self, holder_pointer: str, holder: dict[str, Any], value: Any) -> Iterator[Any]:
        from openapi_schema_validator import OAS30Validator, oas30_format_checker

        if self._registry is None:
            from referencing import Registry
            from referencing.jsonschema import DRAFT4

            self._registry = Registry().with_resource(_BASE, DRAFT4.create_resource(self.doc))
        schema: dict[str, Any]
        if "in" in holder:  # a non-body parameter: only its schema keywords
            schema = {k: v for k, v in holder.items() if k not in _PARAMETER_KEYS and not k.startswith("x-")}
        else:
            schema = {"$ref": _BASE + "#" + quote(holder_pointer, safe="/~")}
        validator = OAS30Validator(schema, registry=self._registry, format_checker=oas30_format_checker)
        yield from validator.iter_errors(value)

    def _values(self, where: Where, holder: dict[str, Any]) -> None:
        enum = holder.get("enum")
        if isinstance(enum, list):
            self._enum(where, holder, enum)
        if "default" in holder and not self._fits(where, holder, "default"):
            self._drop(where, holder, "default", "default_dropped", Level.WARNING)
        if "example" in holder and not self._fits(where, holder, "example"):
            self._drop(where, holder, "example", "example_dropped", Level.INFO)

    def _drop(self, where: Where, holder: dict[str, Any], key: str, code: str, level: Level) -> None:
        pointer = _pointer(where)
        shown = json.dumps(holder[key], ensure_ascii=False)
        if len(shown) > 60:
            shown = shown[:57] + "..."
        self.changes.append((pointer, key, _DROP))
        self.losses.add(
            level,
            code,
            _input_pointer(join_pointer(pointer, key)),
            f"{key} {shown} dropped: it does not fit the converted schema (Swagger 2.0 output at {pointer or '#'})",
        )

    def _enum(self, where: Where, holder: dict[str, Any], enum: list[Any]) -> None:
        kind = holder.get("type")
        if (kind is None or kind == "string") and all(type(v) is str for v in enum) and len(set(enum)) == len(enum):
            return  # distinct strings of the right type: nothing to remove (the commonest enum)
        kept: list[Any] = []
        seen: set[str] = set()
        repeated = wrong = 0
        for value in enum:
            if not _fits_type(value, holder.get("type")) and not (value is None and holder.get("x-nullable")):
                wrong += 1
                continue
            key = _ENUM_KEY(value)
            if key in seen:
                repeated += 1
                continue
            seen.add(key)
            kept.append(value)
        if not (repeated or wrong):
            return
        pointer = _pointer(where)
        at = _input_pointer(join_pointer(pointer, "enum"))
        if repeated:
            self.losses.info("enum_deduplicated", at, f"{repeated} repeated enum value(s) removed (Swagger 2.0 enums are unique)")
        if wrong:
            self.losses.warning(
                "enum_value_dropped", at, f"{wrong} enum value(s) not of type {holder.get('type')!r} dropped from the converted schema"
            )
        self.changes.append((pointer, "enum", kept or _DROP))

    # -- walking ----------------------------------------------------------------------------
    def schema(self, value: Any, where: Where, depth: int = 0) -> None:
        if not isinstance(value, dict) or depth > 400 or "$ref" in value:
            return
        if "enum" in value or "default" in value or "example" in value:
            self._values(where, value)
        # A child is visited only if it holds something `schema` looks at (most are leaves or $refs).
        depth += 1
        properties = value.get("properties")
        if isinstance(properties, dict):
            for name, child in properties.items():
                if isinstance(child, dict) and "$ref" not in child and not _WALK_KEYS.isdisjoint(child):
                    self.schema(child, (*where, "properties", name), depth)
        items = value.get("items")
        if isinstance(items, list):
            for i, child in enumerate(items):
                if isinstance(child, dict) and "$ref" not in child and not _WALK_KEYS.isdisjoint(child):
                    self.schema(child, (*where, "items", str(i)), depth)
        elif isinstance(items, dict) and "$ref" not in items and not _WALK_KEYS.isdisjoint(items):
            self.schema(items, (*where, "items"), depth)
        for i, child in enumerate(value.get("allOf") or ()):
            if isinstance(child, dict) and "$ref" not in child and not _WALK_KEYS.isdisjoint(child):
                self.schema(child, (*where, "allOf", str(i)), depth)
        additional = value.get("additionalProperties")
        if isinstance(additional, dict) and "$ref" not in additional and not _WALK_KEYS.isdisjoint(additional):
            self.schema(additional, (*where, "additionalProperties"), depth)

    def simple(self, value: Any, where: Where, depth: int = 0) -> None:
        """A non-body parameter, a header or an `items` of either (no $ref, no properties)."""
        if not isinstance(value, dict) or depth > 50:
            return
        if "enum" in value or "default" in value or "example" in value:
            self._values(where, value)
        if "items" in value:
            self.simple(value["items"], (*where, "items"), depth + 1)

    def parameter(self, value: Any, where: Where) -> None:
        if not isinstance(value, dict) or "$ref" in value:
            return
        if value.get("in") == "body":
            self.schema(value.get("schema"), (*where, "schema"))
        else:
            self.simple(value, where)

    def response(self, value: Any, where: Where) -> None:
        if not isinstance(value, dict) or "$ref" in value:
            return
        schema = value.get("schema")
        if isinstance(schema, dict) and "$ref" not in schema:  # what `schema` would look at
            self.schema(schema, (*where, "schema"))
        headers = value.get("headers")
        if headers:
            for name, header in headers.items():
                self.simple(header, (*where, "headers", name))

    def security(self) -> None:
        doc = self.doc
        host = doc.get("host")
        schemes = doc.get("schemes") or ["https"]
        base_path = str(doc.get("basePath") or "").rstrip("/")
        base = f"{schemes[0]}://{host}{base_path}/" if isinstance(host, str) and host else ""
        for name, definition in (doc.get("securityDefinitions") or {}).items():
            if not isinstance(definition, dict) or definition.get("type") != "oauth2":
                continue
            pointer = join_pointer("/securityDefinitions", name)
            for key in ("authorizationUrl", "tokenUrl"):
                url = definition.get(key)
                if not isinstance(url, str) or _URL_SCHEME.match(url):
                    continue
                if not base:
                    self.dropped_schemes.add(name)
                    self.losses.warning(
                        "security_definition_dropped",
                        join_pointer(pointer, key),
                        f"security definition {name!r} dropped: its {key} {url!r} is relative and the document has no host "
                        "to resolve it against",
                    )
                    break
                absolute = urljoin(base, url)
                self.changes.append((pointer, key, absolute))
                self.losses.info("oauth2_url_resolved", join_pointer(pointer, key), f"relative {key} {url!r} written as {absolute!r}")

    def run(self) -> None:
        doc = self.doc
        self.security()
        for name, schema in (doc.get("definitions") or {}).items():
            self.schema(schema, ("definitions", name))
        for name, parameter in (doc.get("parameters") or {}).items():
            self.parameter(parameter, ("parameters", name))
        for name, response in (doc.get("responses") or {}).items():
            self.response(response, ("responses", name))
        for path, item in (doc.get("paths") or {}).items():
            if not isinstance(item, dict):
                continue
            for i, parameter in enumerate(item.get("parameters") or ()):
                self.parameter(parameter, ("paths", path, "parameters", str(i)))
            for method in _METHODS:
                operation = item.get(method)
                if not isinstance(operation, dict):
                    continue
                # Only what `parameter` and `response` would look at (most operations hold nothing).
                for i, parameter in enumerate(operation.get("parameters") or ()):
                    if isinstance(parameter, dict) and (
                        parameter.get("in") == "body" or not _SIMPLE_WALK_KEYS.isdisjoint(parameter)
                    ):
                        self.parameter(parameter, ("paths", path, method, "parameters", str(i)))
                for status, response in (operation.get("responses") or {}).items():
                    if not isinstance(response, dict):
                        continue
                    schema = response.get("schema")
                    if (isinstance(schema, dict) and "$ref" not in schema) or response.get("headers"):
                        self.response(response, ("paths", path, method, "responses", status))


def repair_swagger(doc: dict[str, Any], losses: Losses) -> dict[str, Any]:
    """`doc` (a finished Swagger 2.0 document) made valid, each change reported; `doc` itself when
    nothing needed a change, else a repaired copy (`doc` is left as it was)."""
    repair = _Repair(doc, losses)
    repair.run()
    if not repair.changes and not repair.dropped_schemes:
        return doc
    fixed = dict(doc)
    copied: set[int] = {id(fixed)}  # containers already copied along an earlier path

    def own(parent: Any, token: Any) -> Any:
        child = parent[token]
        if id(child) not in copied:
            child = dict(child) if isinstance(child, dict) else list(child)
            parent[token] = child
            copied.add(id(child))
        return child

    if repair.dropped_schemes:
        import copy  # rare: not worth its import on every run

        for key in ("securityDefinitions", "security", "paths"):
            if key in fixed:
                fixed[key] = copy.deepcopy(fixed[key])  # rare: a scheme dropped everywhere
                copied.update(_ids(fixed[key]))
        _drop_schemes(fixed, repair.dropped_schemes)
    for pointer, key, value in repair.changes:
        holder: Any = fixed
        for token in split_pointer(pointer):
            holder = own(holder, int(token) if isinstance(holder, list) else token)
        if value is _DROP:
            holder.pop(key, None)
        else:
            holder[key] = value
    return fixed


def _ids(value: Any) -> set[int]:
    found: set[int] = set()
    todo = [value]
    while todo:
        node = todo.pop()
        if isinstance(node, dict | list):
            found.add(id(node))
            todo.extend(node.values() if isinstance(node, dict) else node)
    return found


def _drop_schemes(doc: dict[str, Any], names: set[str]) -> None:
    """Remove security definitions `names` and every requirement that names one of them."""
    definitions = doc.get("securityDefinitions") or {}
    for name in names:
        definitions.pop(name, None)
    if not definitions:
        doc.pop("securityDefinitions", None)

    def keep(requirements: Any) -> Any:
        return [r for r in requirements if not (isinstance(r, dict) and names & set(r))]

    if isinstance(doc.get("security"), list):
        doc["security"] = keep(doc["security"])
        if not doc["security"]:
            del doc["security"]
    for item in (doc.get("paths") or {}).values():
        for method in _METHODS:
            operation = item.get(method) if isinstance(item, dict) else None
            if isinstance(operation, dict) and isinstance(operation.get("security"), list):
                operation["security"] = keep(operation["security"])
