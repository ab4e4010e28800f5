"""The OpenAPI document datamodel-code-generator is given, prepared from `export_openapi(api)`.

Every JSON body (request bodies and responses of operations, of their callbacks and of webhooks)
becomes a component schema: a body that is a `$ref` binds to that component, an inline body is
hoisted under a name derived from its operationId (`ListUsersResponse`). datamodel-code-generator then
runs on component schemas only, so we choose every model name ourselves instead of reverse-engineering
its path-based names (`UsersGetResponse`), and we know which model each body uses (`Binding`).

Two JSON Schema fix-ups work around the generator's weak spots, on our copy only:
- an object schema without `additionalProperties` gets `additionalProperties: true` (the JSON Schema
  default), so models keep unknown fields (`extra="allow"`) and round-trip vendor payloads losslessly,
  while `additionalProperties: false` still yields `extra="forbid"`;
- a nullable enum (`type: [string, "null"], enum: [..., null]`) becomes `anyOf: [enum, null]`, which
  the generator turns into `SomeEnum | None` instead of an `Enum` with a `None` member.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from generator.ir.model import HTTP_METHODS, Api, schema_ref_name
from generator.targets.openapi.export import export_openapi
from generator.util.media import media_base
from generator.util.pointer import escape_pointer

__all__ = ["Binding", "PreparedDocument", "VariantBinding", "prepare_document"]

# Keywords holding one subschema or a list of them, and keywords holding a map of name -> subschema.
_SUBSCHEMA_KEYS = ("items", "additionalProperties", "not", "if", "then", "else", "contains", "propertyNames", "allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMA_MAP_KEYS = ("properties", "patternProperties", "$defs", "dependentSchemas")
# Annotations that describe the value as a whole: they stay on the outer schema of a split enum.
_OUTER_KEYS = ("title", "description", "default", "examples", "example", "deprecated", "readOnly", "writeOnly")


@dataclass(frozen=True)
class Binding:
    """The model of one JSON body: `status` is "" for a request body."""

    operation_id: str
    status: str
    content_type: str
    schema_name: str
    channel: str  # "operation", "callback" or "webhook"
    pointer: str  # of the media type in the exported document (the spec's, unless shared via $ref)


@dataclass(frozen=True)
class VariantBinding:
    """The request and response models of one `x-connectorgen-variants` action ("" when it has none)."""

    operation_id: str  # the variant's own id, e.g. ListSessions
    wire_operation_id: str  # the operation it is sent as, e.g. ListOrStartSessions
    request: str
    response: str
    pointer: str = ""  # of the wire operation in the spec


@dataclass
class PreparedDocument:
    document: dict[str, Any]  # input for datamodel-code-generator (only components matter)
    bindings: list[Binding]
    variants: list[VariantBinding]


def _pascal(name: str) -> str:
    parts = [p for p in re.split(r"[^0-9A-Za-z]+", name) if p]
    text = "".join(p[:1].upper() + p[1:] for p in parts) or "Body"
    return text if text[0].isalpha() else "Body" + text


def _is_json(content_type: str) -> bool:
    base = media_base(content_type)
    return base == "application/json" or base.endswith("+json")


class _Hoister:
    """Allocates component names for inline body schemas, reusing one name per identical schema."""

    def __init__(self, schemas: dict[str, Any]):
        self.schemas = schemas
        self._by_text: dict[str, str] = {}

    def bind(self, schema: dict[str, Any], wanted: str) -> str:
        ref = schema.get("$ref")
        if isinstance(ref, str) and set(schema) <= {"$ref", "description", "title"} and schema_ref_name(ref) in self.schemas:
            # A bare $ref (perhaps with a description): the component itself is the model.
            return str(schema_ref_name(ref))
        text = json.dumps(schema, sort_keys=True)
        if text in self._by_text:
            return self._by_text[text]
        name, n = wanted, 2
        while name in self.schemas:
            name, n = f"{wanted}{n}", n + 1
        self.schemas[name] = schema
        self._by_text[text] = name
        return name


def _ptr(*parts: str) -> str:
    return "".join("/" + escape_pointer(p) for p in parts)


def _operations(item: dict[str, Any], channel: str, pointer: str) -> list[tuple[dict[str, Any], str, str]]:
    """(operation, channel, pointer) of a path item or webhook, each followed by its callbacks' operations."""
    found: list[tuple[dict[str, Any], str, str]] = []
    for method in HTTP_METHODS:
        op = item.get(method)
        if not isinstance(op, dict):
            continue
        found.append((op, channel, pointer + _ptr(method)))
        for cb_name, callback in op.get("callbacks", {}).items():
            for expression, cb_item in callback.items():
                found.extend(_operations(cb_item, "callback", pointer + _ptr(method, "callbacks", cb_name, expression)))
    return found


def _bind_operation(op: dict[str, Any], channel: str, pointer: str, hoister: _Hoister, bindings: list[Binding]) -> None:
    op_id = str(op["operationId"])
    bodies: list[tuple[str, str, dict[str, Any], str]] = []
    for content_type, media in op.get("requestBody", {}).get("content", {}).items():
        bodies.append(("", content_type, media, pointer + _ptr("requestBody", "content", content_type)))
    for status, response in op.get("responses", {}).items():
        for content_type, media in response.get("content", {}).items():
            bodies.append((status, content_type, media, pointer + _ptr("responses", status, "content", content_type)))
    success_named = False
    for status, content_type, media, media_pointer in bodies:
        schema = media.get("schema")
        if not _is_json(content_type) or not isinstance(schema, dict):
            continue  # models describe JSON; text and binary bodies stay plain
        if status == "":
            wanted = f"{op_id}Request"
        elif status.startswith("2") and not success_named:
            wanted, success_named = f"{op_id}Response", True
        else:
            wanted = f"{op_id}Response{re.sub(r'[^0-9A-Za-z]', '', status).capitalize()}"  # 404, 4xx, Default
        bindings.append(Binding(op_id, status, content_type, hoister.bind(schema, wanted), channel, media_pointer))


def _open_objects(schema: Any) -> None:
    """Recursively: the JSON Schema default `additionalProperties: true` made explicit on objects."""
    if isinstance(schema, list):
        for item in schema:
            _open_objects(item)
        return
    if not isinstance(schema, dict):
        return
    types = schema.get("type")
    is_object = types == "object" or (isinstance(types, list) and "object" in types) or "properties" in schema
    if is_object and "additionalProperties" not in schema and "$ref" not in schema:
        schema["additionalProperties"] = True
    for key, value in list(schema.items()):
        if key in _SCHEMA_MAP_KEYS:
            for sub in value.values() if isinstance(value, dict) else ():
                _open_objects(sub)
        elif key in _SUBSCHEMA_KEYS:
            _open_objects(value)


def _split_nullable_enums(schema: Any) -> Any:
    """Recursively rewrite `{type: [T, null], enum: [..., null]}` as `anyOf: [{type: T, enum}, {type: null}]`."""
    if isinstance(schema, list):
        return [_split_nullable_enums(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in _SCHEMA_MAP_KEYS and isinstance(value, dict):
            out[key] = {name: _split_nullable_enums(sub) for name, sub in value.items()}
        elif key in _SUBSCHEMA_KEYS:
            out[key] = _split_nullable_enums(value)
        else:
            out[key] = value  # enum, const, default, examples...: values, not schemas
    enum = out.get("enum")
    if isinstance(enum, list) and None in enum:
        inner = {k: v for k, v in out.items() if k not in _OUTER_KEYS}
        types = inner.get("type")
        if isinstance(types, list):
            non_null = [t for t in types if t != "null"]
            inner["type"] = non_null[0] if len(non_null) == 1 else non_null
        inner["enum"] = [v for v in enum if v is not None]
        outer = {k: v for k, v in out.items() if k in _OUTER_KEYS}
        outer["anyOf"] = [inner, {"type": "null"}]
        return outer
    return out


def prepare_document(api: Api) -> PreparedDocument:
    """A copy of the exported document whose component schemas cover every JSON body of the API."""
    exported = json.loads(json.dumps(export_openapi(api)))  # a private copy: the IR stays untouched
    schemas: dict[str, Any] = exported.get("components", {}).get("schemas", {})
    hoister = _Hoister(schemas)
    bindings: list[Binding] = []
    items = [(item, "operation", _ptr("paths", path)) for path, item in exported.get("paths", {}).items()]
    items += [(item, "webhook", _ptr("webhooks", name)) for name, item in exported.get("webhooks", {}).items()]
    for item, channel, pointer in items:
        for op, op_channel, op_pointer in _operations(item, channel, pointer):
            _bind_operation(op, op_channel, op_pointer, hoister, bindings)
    variants: list[VariantBinding] = []
    for operation in api.operations:
        for variant in operation.variants:
            request = hoister.bind(json.loads(json.dumps(variant.request_schema)), f"{variant.operation_id}Request") if variant.request_schema else ""
            response = hoister.bind(json.loads(json.dumps(variant.response_schema)), f"{variant.operation_id}Response") if variant.response_schema else ""
            variants.append(VariantBinding(variant.operation_id, operation.operation_id, request, response, operation.pointer))
    schemas = {name: _split_nullable_enums(schema) for name, schema in schemas.items()}
    _open_objects(list(schemas.values()))
    document = {
        "openapi": exported.get("openapi", "3.1.0"),
        "info": exported.get("info", {"title": api.title, "version": api.version}),
        "paths": {},
        "components": {"schemas": schemas},
    }
    return PreparedDocument(document, bindings, variants)
