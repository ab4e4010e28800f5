"""A fast, conservative stand-in for openapi-spec-validator's verdict.

`certainly_valid(document, version)` is True only when openapi-spec-validator (the pinned version,
`pyproject.toml`) would report no error other than the two our rules cover (duplicate operation
ids, unresolved path parameters; `spec/loader.py` drops those); False means "not sure", and the
caller runs openapi-spec-validator itself for its located messages. So the verdict, and the error
output, stay openapi-spec-validator's; only its cost (seconds on a 1,000-operation document: the
semantic walk goes through `jsonschema-path`, one resolver lookup per key) is skipped for the
common, valid document. `tests/spec/test_validator_verdict.py` proves the implication on the
corpus, the bad specs, the converter cases and the vendor specs.

What openapi-spec-validator 0.9 checks (`openapi_spec_validator/validation/keywords.py`), and how
it is done here:
- the document against the official OpenAPI 3.0 / 3.1 JSON Schema: the same schema file (read from
  openapi-spec-validator's package data) with the same backend it uses when `jsonschema-rs` is
  installed, so the same result;
- duplicate tag names; duplicate (name, in) parameters in one `parameters` list;
- every schema it reaches (components/schemas, parameter schemas, response media-type schemas, and
  from them allOf/anyOf/oneOf/not/items/properties, `$ref`s followed) must be a mapping; the
  top-level ones are checked against the schema dialect's meta-schema (draft 4 for 3.0, the OAS 3.1
  dialect for 3.1, with the `regex` format checked by Python's `re`, as openapi-schema-validator
  does), here with `jsonschema-rs`;
- a top-level schema with `allOf` may not require a property no branch declares;
- a `default` must validate against its schema: decided here for plain scalar schemas (type, enum,
  bounds, int32/int64 formats), else by openapi-schema-validator's own validator class (imported
  only then) when the schema has no `$ref` to follow; anything else means "not sure".
Anything unexpected (a remote or percent-encoded `$ref`, `$id`, `$schema`, `jsonSchemaDialect`,
boolean schemas, a value of the wrong type, an exception) also means "not sure".

Each check depends on the checked object alone (and on the document its `$ref`s point into), so an
object is checked once however often it is used: by identity, by `$ref` string (a `$ref` names one
target), and — for the schemas of parameters and media types, which repeat by content from one
operation to the next (`{"type": "string", "format": "uuid"}`) — by content (its msgpack encoding,
which tells `1`, `1.0` and `True` apart and keeps the key order).
"""

from __future__ import annotations

import json
import re
import string
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from generator.util.pointer import unescape_pointer
from generator.util.valuefit import plain_value_fits

__all__ = ["RefWalker", "certainly_valid", "has_ref", "value_validator"]

_OPERATIONS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})
_OAS31_DIALECT = "https://spec.openapis.org/oas/3.1/dialect/base"


_NOWHERE = object()
# The keywords `_Walk.schema` acts on below a schema; a nested schema (a plain dict) with none of
# them nor a `$ref`, `$id` or `$schema` passes without a call: the walk would find nothing in it.
_NESTED = frozenset({"allOf", "anyOf", "oneOf", "not", "items", "properties", "default"})
_LEAF = _NESTED | {"$ref", "$id", "$schema"}


class _Unsure(Exception):
    """The fast path cannot decide; openapi-spec-validator must."""


def certainly_valid(document: Any, version: str) -> bool:
    """True when openapi-spec-validator certainly finds no error in `document` that the loader
    would report; False when it may (or the fast path cannot tell)."""
    v31 = version.startswith("3.1")
    try:
        if not _document_validator(v31).is_valid(document):
            return False
        _Walk(document, v31).root()
    except Exception:  # _Unsure, or anything the validator itself would trip over
        return False
    return True


def _package_dir(name: str) -> Path:
    spec = find_spec(name)  # locates the package without importing (and paying for) it
    if spec is None or not spec.submodule_search_locations:
        raise _Unsure(name)
    return Path(next(iter(spec.submodule_search_locations)))


def _read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def _document_validator(v31: bool) -> Any:
    import jsonschema_rs

    folder = "v3.1" if v31 else "v3.0"
    schema = _read_json(_package_dir("openapi_spec_validator") / "resources" / "schemas" / folder / "schema.json")
    return jsonschema_rs.validator_cls_for(schema)(schema)  # as openapi-spec-validator's jsonschema-rs backend


def _is_regex(value: Any) -> bool:
    if not isinstance(value, str):
        return True
    try:
        re.compile(value)
    except re.error:
        return False
    return True


@cache
def _meta_validator(v31: bool) -> Any:
    import jsonschema_rs

    formats = {"regex": _is_regex}
    if not v31:
        meta = _read_json(_package_dir("jsonschema_specifications") / "schemas" / "draft4" / "metaschema.json")
        return jsonschema_rs.Draft4Validator(meta, validate_formats=True, formats=formats)
    base = _package_dir("openapi_schema_validator") / "schemas" / "oas3.1"
    dialect = _read_json(base / "metaschema.json")
    vocabulary = _read_json(base / "vocabularies" / "base")
    registry = jsonschema_rs.Registry([(dialect["$id"], dialect), (vocabulary["$id"], vocabulary)])
    return jsonschema_rs.Draft202012Validator(dialect, validate_formats=True, formats=formats, registry=registry)


def value_validator(schema: dict[str, Any], v31: bool) -> Any:
    """openapi-schema-validator's validator of a value against `schema` (its `ValueValidator`)."""
    from openapi_schema_validator import (
        OAS30Validator,
        OAS31Validator,
        oas30_format_checker,
        oas31_format_checker,
    )

    if v31:
        return OAS31Validator(schema, format_checker=oas31_format_checker)
    return OAS30Validator(schema, format_checker=oas30_format_checker)


def has_ref(node: Any) -> bool:
    """Whether `node` holds a `$ref` or `$dynamicRef` anywhere."""
    if isinstance(node, dict):
        return "$ref" in node or "$dynamicRef" in node or any(has_ref(v) for v in node.values())
    if isinstance(node, list):
        return any(has_ref(v) for v in node)
    return False


class RefWalker:
    """What both fast walks (this module's and `spec/fasterrors.py`'s) share: the document, the
    meta-schema validator, and `jsonschema-path`'s view of a `$ref` — a mapping with a `$ref` is
    replaced by its target (a local JSON pointer; each ref string is resolved once), at most 64
    hops, and a `$id` on the way means "not sure".

    `plain_odd_refs` is the policy for a `$ref` whose value is not a string: True reads it as
    jsonschema-path does, as a plain mapping (fasterrors mirrors the validator's walk); False
    means "not sure" (quickcheck need only be conservative). A `str` subclass is "not sure" either
    way."""

    def __init__(self, document: Any, v31: bool, *, plain_odd_refs: bool) -> None:
        self.document = document
        self.v31 = v31
        self.meta = _meta_validator(v31)
        self.plain_odd_refs = plain_odd_refs
        self.targets: dict[str, Any] = {}

    def deref(self, node: Any) -> Any:
        """The node `jsonschema-path` reads at a place holding `node` (its `$ref`s followed)."""
        hops = 0
        while type(node) is dict and "$ref" in node:
            ref = node["$ref"]
            if type(ref) is not str:
                if self.plain_odd_refs and not isinstance(ref, str):
                    return node  # not a reference to jsonschema-path: a plain mapping
                raise _Unsure("$ref not a plain str")
            target = self.targets.get(ref, _NOWHERE)
            if target is _NOWHERE:
                target = self.targets[ref] = self.resolve(ref)
            node = target
            hops += 1
            if hops > 64:
                raise _Unsure("ref chain")
        return node

    def resolve(self, ref: str) -> Any:
        if not ref.startswith("#") or "%" in ref or (len(ref) > 1 and ref[1] != "/"):
            raise _Unsure(ref)
        node = self.document
        for token in ref[2:].split("/") if ref != "#" else []:
            token = unescape_pointer(token)
            if type(node) is dict and token in node:
                node = node[token]
            elif type(node) is list and token.isdigit() and token.isascii() and int(token) < len(node):
                node = node[int(token)]
            else:
                raise _Unsure(ref)
            if type(node) is dict and "$id" in node:
                raise _Unsure("$id on a reference's way")
        return node

    def target(self, ref: str) -> Any:
        """A local `$ref`'s target, or None (for `plain_value_fits`)."""
        try:
            return self.deref({"$ref": ref})
        except _Unsure:
            return None


class _Walk(RefWalker):
    """openapi-spec-validator's keyword walk over plain dicts; raises `_Unsure` at any finding."""

    def __init__(self, document: Any, v31: bool) -> None:
        super().__init__(document, v31, plain_odd_refs=False)
        # Every check below depends on the checked object alone, so each object is checked once
        # however many places use it (ids stay valid: the document outlives the walk).
        self.top_checked: set[int] = set()  # schemas checked as top-level ones (meta-schema, allOf)
        self.visited: set[int] = set()  # schemas walked into
        self.responses_checked: set[int] = set()
        self.top_refs: set[str] = set()  # `$ref`s whose target passed `schema(top=True)`
        self.walked_refs: set[str] = set()  # and `schema()`
        self.response_refs: set[str] = set()  # `$ref`s whose target passed `response`
        self.parameter_refs: dict[str, tuple[Any, str]] = {}  # `$ref` of a passed parameter: its (name, in)
        self.top_contents: set[bytes] = set()  # encodings of inline schemas that passed `top_schema`
        self.parameter_contents: dict[bytes, tuple[Any, str]] = {}  # of inline parameters that passed
        from msgspec.msgpack import encode

        self.encode = encode

    def mapping(self, node: Any) -> dict[str, Any]:
        if type(node) is dict and "$ref" not in node:
            return node  # what deref would return, without the call
        node = self.deref(node)
        if type(node) is not dict:
            raise _Unsure("not a mapping")
        return node

    def sequence(self, node: Any) -> list[Any]:
        if type(node) is list:
            return node
        node = self.deref(node)
        if type(node) is not list:
            raise _Unsure("not a list")
        return node

    def root(self) -> None:
        spec = self.document
        if type(spec) is not dict:
            raise _Unsure("document")
        if self.v31 and spec.get("jsonSchemaDialect", _OAS31_DIALECT) != _OAS31_DIALECT:
            raise _Unsure("jsonSchemaDialect")
        if "tags" in spec:
            names = [self.mapping(tag)["name"] for tag in self.sequence(spec["tags"])]
            if len(set(names)) != len(names):
                raise _Unsure("duplicate tag")
        if "paths" in spec:
            mapping, parameters, operation = self.mapping, self.parameters, self.operation
            for url, item in mapping(spec["paths"]).items():
                item = mapping(item)
                if "parameters" in item:
                    parameters(item["parameters"])
                has_operation = False
                for name, value in item.items():
                    if name in _OPERATIONS:
                        operation(value if type(value) is dict and "$ref" not in value else mapping(value))
                        has_operation = True
                if has_operation:  # (a key of `paths`: each url is checked once)
                    list(string.Formatter().parse(url))  # raises for unbalanced braces, as the validator would
        if "components" in spec:
            components = self.mapping(spec["components"])
            if "schemas" in components:
                for schema in self.mapping(components["schemas"]).values():
                    self.schema(schema, top=True)

    def parameters(self, node: Any) -> None:
        """A `parameters` list: each parameter checked (once), no (name, in) twice."""
        seen = set()
        refs, contents = self.parameter_refs, self.parameter_contents
        for parameter in node if type(node) is list else self.sequence(node):
            if type(parameter) is dict and "$ref" not in parameter:
                try:  # an inline parameter repeats by content (`{"name": "id", "in": "path", ...}`)
                    content = self.encode(parameter)
                except (TypeError, ValueError, OverflowError):  # (msgpack has no form for it: no cache)
                    key = self.parameter(parameter)
                else:
                    known = contents.get(content)
                    key = contents[content] = self.parameter(parameter) if known is None else known
            elif type(parameter) is dict and type(parameter["$ref"]) is str:
                ref = parameter["$ref"]
                known = refs.get(ref)
                key = refs[ref] = self.parameter(self.mapping(parameter)) if known is None else known
            else:
                key = self.parameter(self.mapping(parameter))
            if key in seen:
                raise _Unsure("duplicate parameter")
            seen.add(key)

    def parameter(self, parameter: dict[str, Any]) -> tuple[Any, str]:
        # Duplicate operation ids and unresolved path parameters are our rules' findings; only what
        # would make openapi-spec-validator trip over them is checked.
        if "schema" in parameter:
            self.top_schema(parameter["schema"])
        name, where = parameter["name"], parameter["in"]
        if type(where) is not str or (where == "path" and type(name) is not str):
            raise _Unsure("parameter")
        return (name, where)

    def operation(self, operation: dict[str, Any]) -> None:
        if "responses" in operation:
            responses = operation["responses"]
            if type(responses) is not dict or "$ref" in responses:
                responses = self.mapping(responses)
            refs = self.response_refs
            for code, response in responses.items():
                if type(code) is not str:
                    raise _Unsure("response code")
                if type(response) is dict:
                    if "$ref" not in response:  # an operation's own response: used here only
                        if "content" in response:
                            self.content(response["content"])
                        continue
                    ref = response["$ref"]
                    if type(ref) is str:
                        if ref not in refs:  # a shared response: checked where first used
                            self.shared_response(self.mapping(response))
                            refs.add(ref)
                        continue
                self.shared_response(self.mapping(response))
        if "parameters" in operation:
            self.parameters(operation["parameters"])

    def shared_response(self, response: dict[str, Any]) -> None:
        if id(response) not in self.responses_checked:
            self.responses_checked.add(id(response))
            if "content" in response:
                self.content(response["content"])

    def content(self, node: Any) -> None:
        top_refs = self.top_refs
        for media_type, media in (node if type(node) is dict and "$ref" not in node else self.mapping(node)).items():
            if type(media) is not dict or "$ref" in media:
                media = self.mapping(media)
            if type(media_type) is not str:
                raise _Unsure("media type")
            if "schema" in media:
                schema = media["schema"]
                if type(schema) is dict and "$ref" in schema and type(schema["$ref"]) is str and schema["$ref"] in top_refs:
                    continue  # (what `schema` would find first)
                self.top_schema(schema)

    def top_schema(self, node: Any) -> None:
        """`schema(node, top=True)` for a parameter's or a media type's schema: an inline one is
        checked once per content."""
        if type(node) is not dict or "$ref" in node:
            self.schema(node, top=True)
            return
        try:
            key = self.encode(node)
        except (TypeError, ValueError, OverflowError):  # (msgpack has no form for it: no cache)
            self._schema(node, True)
            return
        if key not in self.top_contents:
            self._schema(node, True)
            self.top_contents.add(key)

    def schema(self, node: Any, *, top: bool = False) -> None:
        if type(node) is dict and "$ref" in node:
            ref = node["$ref"]
            done = self.top_refs if top else self.walked_refs
            if type(ref) is str and ref in done:
                return  # its target was checked already (a `$ref` names one schema)
            self._schema(self.deref(node), top)
            if type(ref) is str:
                done.add(ref)
        else:
            self._schema(node, top)

    def _schema(self, value: Any, top: bool) -> None:
        if type(value) is bool:
            if top and not self.meta.is_valid(value):
                raise _Unsure("meta-schema")
            return
        if type(value) is not dict:
            raise _Unsure("schema not a mapping")
        key = id(value)
        if key in (self.top_checked if top else self.visited):
            return  # checked already (a component schema used by many operations)
        if "$id" in value or "$schema" in value:
            raise _Unsure("$id/$schema")
        if top:
            if not self.meta.is_valid(value):
                raise _Unsure("meta-schema")
            if "allOf" in value:
                required = set(value.get("required") or [])
                declared = set(self.mapping(value["properties"])) if "properties" in value else set()
                for inner in self.sequence(value["allOf"]):
                    declared |= self.properties(inner, 0)
                if required - declared:
                    raise _Unsure("required property not declared")
            self.top_checked.add(key)
        if key in self.visited:
            return
        self.visited.add(key)
        if _NESTED.isdisjoint(value):
            return
        for keyword in ("allOf", "anyOf", "oneOf"):
            if keyword in value:
                for inner in self.sequence(value[keyword]):
                    if type(inner) is not dict or not _LEAF.isdisjoint(inner):
                        self.schema(inner)
        for keyword in ("not", "items"):
            if keyword in value:
                inner = value[keyword]
                if type(inner) is not dict or not _LEAF.isdisjoint(inner):
                    self.schema(inner)
        if "properties" in value:
            for inner in self.mapping(value["properties"]).values():
                if type(inner) is not dict or not _LEAF.isdisjoint(inner):
                    self.schema(inner)
        if "default" in value:
            default = value["default"]
            if (default is not None or value.get("nullable") is not True) and not (
                plain_value_fits(value, default, self.target) or _exact_default_valid(value, default, self.v31)
            ):
                raise _Unsure("default")

    def properties(self, node: Any, depth: int) -> set[str]:
        """Every property name reachable from a schema (the validator's `_collect_properties`)."""
        if depth > 50:
            raise _Unsure("cycle")
        value = self.mapping(node)
        names = set(self.mapping(value["properties"])) if "properties" in value else set()
        for keyword in ("allOf", "anyOf", "oneOf"):
            if keyword in value:
                for inner in self.sequence(value[keyword]):
                    names |= self.properties(inner, depth + 1)
        for keyword in ("items", "not"):
            if keyword in value:
                names |= self.properties(value[keyword], depth + 1)
        return names


def _exact_default_valid(schema: dict[str, Any], value: Any, v31: bool) -> bool:
    """The validator's own check of a default (`ValueValidator`), for a schema with no `$ref`."""
    if has_ref(schema):
        return False
    return bool(value_validator(schema, v31).is_valid(value))
