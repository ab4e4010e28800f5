"""Bundled OpenAPI 3.0/3.1 document → `Api`.

Non-schema refs (parameters, responses, request bodies, headers, examples, links, path items) are
dereferenced here; schema refs to `#/components/schemas/X` are kept. OpenAPI 3.0 schema dialect is
normalised to 3.1 (`nullable` → `type: [T, "null"]`, boolean `exclusiveMinimum`), so targets see one
dialect.
"""

from __future__ import annotations

import re
from typing import Any

from generator.ir.auth import build_recipe
from generator.ir.model import (
    HTTP_METHODS,
    Api,
    Callback,
    Contact,
    Example,
    Header,
    JsonSchema,
    Link,
    MediaType,
    OAuthFlow,
    Operation,
    Parameter,
    RequestBody,
    Response,
    SecurityRequirement,
    SecurityScheme,
    Server,
    ServerVariable,
    Tag,
    Variant,
    Webhook,
)
from generator.util.pointer import escape_pointer, join_pointer, resolve_pointer

__all__ = ["build_api", "normalize_schema", "security_schemes_of"]

_SCHEMA_PREFIX = "#/components/schemas/"  # a ref kept as it is: `#/components/schemas/<one token>`
_SCHEMA_PREFIX_LEN = len(_SCHEMA_PREFIX)
_SCHEMA_MAPS = frozenset({"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"})  # name -> schema
_VERBATIM = frozenset({"example", "examples", "default", "enum", "const"})  # values, not schemas
_SCALARS = frozenset({str, int, float, bool, type(None)})  # JSON scalars: nothing to walk
_CONTAINERS = (dict, list)
_MEMO_LIMIT = 4096  # distinct keys remembered by a `_Memo`


class _Memo(dict[Any, Any]):
    """`test(key)` for string keys, remembered: the same few keys (`type`, `properties`, `items`,
    `operationId`) come back many thousand times, and a dict lookup costs a fraction of `str.startswith`
    (whose argument parsing dominates it). A non-string key is tested every time (so `1` and
    `True` never share an answer, and a key without `startswith` raises as it would have)."""

    def __init__(self, test: Any):
        super().__init__()
        self.test = test

    def __missing__(self, key: Any) -> Any:
        found = self.test(key)
        if type(key) is str and len(self) < _MEMO_LIMIT:
            self[key] = found
        return found


_IS_EXTENSION = _Memo(lambda key: key.startswith("x-"))  # an `x-` key
_IS_WALKED = _Memo(lambda key: key not in _VERBATIM and not key.startswith("x-"))  # a schema keyword whose value is walked
_SCHEMA_TARGETS = (dict, bool)


class _Builder:
    def __init__(self, document: dict[str, Any]):
        self.doc = document
        self.is30 = str(document.get("openapi", "")).startswith("3.0")
        self._targets: dict[str, Any] = {}  # ref -> resolved value: shared components are used many times
        # Parameters and responses reached through a `$ref` are built once per target (the IR is
        # immutable, so operations can share them): 780 parameters but 138 distinct in the benchmark.
        self._shared_parameters: dict[str, Parameter | None] = {}
        self._shared_responses: dict[tuple[str, str], Response | None] = {}  # (status, ref)
        self._tokens: dict[str, str] = {}  # media type -> its pointer token (`application~1json`)

    def target(self, ref: str) -> Any:
        """The value a local `#...` ref points to (`_MISSING`-like sentinel when nothing is there)."""
        try:
            return self._targets[ref]
        except KeyError:
            value = self._targets[ref] = resolve_pointer(self.doc, ref[1:])
            return value

    # -- refs -----------------------------------------------------------------------------------
    def deref(self, value: Any, pointer: str) -> tuple[Any, str]:
        """Follow `$ref`s of a non-schema object; returns the value and its own pointer."""
        if not isinstance(value, dict) or "$ref" not in value:
            return value, pointer
        seen: set[str] = set()
        while isinstance(value, dict) and isinstance(value.get("$ref"), str) and value["$ref"].startswith("#"):
            ref = value["$ref"]
            if ref in seen:
                break
            seen.add(ref)
            target = self.target(ref)
            if not isinstance(target, dict):
                break
            siblings = {k: v for k, v in value.items() if k != "$ref"}
            value, pointer = ({**target, **siblings} if siblings else target), ref[1:]
        return value, pointer

    def schema(self, schema: Any) -> JsonSchema:
        if schema is None:
            return {}
        if isinstance(schema, bool):
            return {} if schema else {"not": {}}
        normalized: JsonSchema = normalize_schema(schema, self.doc, self.is30)
        return normalized

    # -- small objects ----------------------------------------------------------------------------
    def examples(self, obj: dict[str, Any], pointer: str, schema: JsonSchema | None = None) -> tuple[Example, ...]:
        out: list[Example] = []
        named = obj.get("examples")
        if isinstance(named, dict):
            for name, raw in named.items():
                example, _ = self.deref(raw, join_pointer(pointer, "examples", name))
                if isinstance(example, dict):
                    out.append(
                        Example(
                            name=str(name),
                            value=example.get("value"),
                            summary=str(example.get("summary") or ""),
                            description=str(example.get("description") or ""),
                            external_value=str(example.get("externalValue") or ""),
                        )
                    )
        if "example" in obj:
            out.insert(0, Example(name="default", value=obj["example"]))
        return tuple(out)

    def media_types(self, content: Any, pointer: str) -> tuple[MediaType, ...]:
        if not isinstance(content, dict):
            return ()
        out = []
        doc, is30, tokens = self.doc, self.is30, self._tokens
        for content_type, raw in content.items():
            token = tokens.get(content_type) if type(content_type) is str else None
            if token is None:
                token = escape_pointer(content_type)
                if type(content_type) is str:
                    tokens[content_type] = token
            media_ptr = pointer + "/" + token
            if not isinstance(raw, dict):
                raw = {}
            if "schema" in raw:
                schema = raw["schema"]
                schema = normalize_schema(schema, doc, is30) if type(schema) is dict else self.schema(schema)
            else:
                schema = None
            encoding = raw.get("encoding")
            # (positional: the field order of `MediaType`)
            out.append(
                MediaType(
                    str(content_type),
                    schema,
                    self.examples(raw, media_ptr) if "examples" in raw or "example" in raw else (),
                    dict(encoding) if encoding else {},
                    media_ptr,
                )
            )
        return tuple(out)

    def _parameter(self, raw: Any, pointer: str) -> Parameter | None:
        param, own_ptr = self.deref(raw, pointer) if isinstance(raw, dict) and "$ref" in raw else (raw, pointer)
        if not isinstance(param, dict) or "name" not in param or "in" not in param:
            return None
        if "schema" in param:
            schema = param["schema"]
            schema = normalize_schema(schema, self.doc, self.is30) if type(schema) is dict else self.schema(schema)
        elif isinstance(param.get("content"), dict) and param["content"]:
            first = next(iter(param["content"].values())) or {}
            schema = self.schema(first.get("schema"))
        else:
            schema = {}
        location = str(param["in"])
        # (positional: the field order of `Parameter`)
        return Parameter(
            str(param["name"]),
            location,  # type: ignore[arg-type]
            bool(param.get("required", location == "path")),
            schema,
            str(param.get("description") or ""),
            bool(param.get("deprecated", False)),
            param.get("example"),
            "example" in param,
            self.examples({"examples": param["examples"]}, own_ptr) if "examples" in param else (),
            str(param.get("style") or ""),
            param.get("explode"),
            {k: v for k, v in param.items() if _IS_EXTENSION[k]},
            own_ptr,
        )

    def headers(self, raw: Any, pointer: str) -> tuple[Header, ...]:
        out = []
        for name, value in (raw or {}).items() if isinstance(raw, dict) else ():
            header, own_ptr = self.deref(value, join_pointer(pointer, name))
            if not isinstance(header, dict):
                continue
            out.append(
                Header(
                    name=str(name),
                    schema=self.schema(header.get("schema")),
                    description=str(header.get("description") or ""),
                    required=bool(header.get("required", False)),
                    example=header.get("example"),
                    has_example="example" in header,
                    pointer=own_ptr,
                )
            )
        return tuple(out)

    def links(self, raw: Any, pointer: str) -> tuple[Link, ...]:
        out = []
        for name, value in (raw or {}).items() if isinstance(raw, dict) else ():
            link, own_ptr = self.deref(value, join_pointer(pointer, name))
            if not isinstance(link, dict):
                continue
            out.append(
                Link(
                    name=str(name),
                    operation_id=str(link.get("operationId") or ""),
                    parameters=dict(link.get("parameters") or {}),
                    request_body=link.get("requestBody"),
                    description=str(link.get("description") or ""),
                    pointer=own_ptr,
                )
            )
        return tuple(out)

    def security(self, raw: Any) -> tuple[SecurityRequirement, ...]:
        out = []
        for requirement in raw if isinstance(raw, list) else ():
            if isinstance(requirement, dict):
                out.append(SecurityRequirement(tuple((str(k), tuple(v or ())) for k, v in requirement.items())))
        return tuple(out)

    def _response(self, status: str, raw: Any, operation_ptr: str) -> Response | None:
        ptr = operation_ptr + "/responses/" + (status if "/" not in status and "~" not in status else escape_pointer(status))
        resp, resp_ptr = self.deref(raw, ptr) if isinstance(raw, dict) and "$ref" in raw else (raw, ptr)
        if not isinstance(resp, dict):
            return None
        content, headers, links = resp.get("content"), resp.get("headers"), resp.get("links")
        # (positional: the field order of `Response`)
        return Response(
            status,
            str(resp.get("description") or ""),
            self.media_types(content, resp_ptr + "/content") if content else (),
            self.headers(headers, resp_ptr + "/headers") if headers else (),
            self.links(links, resp_ptr + "/links") if links else (),
            resp_ptr,
        )

    # -- operations -------------------------------------------------------------------------------
    def operation(
        self, path: str, method: str, raw: dict[str, Any], path_params: list[Any], pointer: str, path_ptr: str, synth_id: str | None
    ) -> Operation:
        """`synth_id` (the generated operationId) is None only when the operation needs none: it has
        an `operationId` and no callbacks."""
        params: dict[tuple[str, str], Parameter] = {}
        shared = self._shared_parameters
        # Path-level parameters first, then the operation's own. A bare `$ref` is built once per
        # target (the pointer of the parameter at `{base}/parameters/{i}` only made when needed).
        for base, listed in ((path_ptr, path_params), (pointer, raw.get("parameters") or ())):
            for i, p in enumerate(listed):
                if isinstance(p, dict) and len(p) == 1 and isinstance(ref := p.get("$ref"), str):
                    try:
                        built = shared[ref]
                    except KeyError:
                        built = shared[ref] = self._parameter(p, f"{base}/parameters/{i}")
                else:
                    built = self._parameter(p, f"{base}/parameters/{i}")
                if built is not None:
                    params[(built.name, built.location)] = built

        body = None
        if "requestBody" in raw:
            rb, rb_ptr = self.deref(raw["requestBody"], pointer + "/requestBody")
            if isinstance(rb, dict):
                body = RequestBody(
                    required=bool(rb.get("required", False)),
                    contents=self.media_types(rb.get("content"), rb_ptr + "/content"),
                    description=str(rb.get("description") or ""),
                    pointer=rb_ptr,
                )

        responses = []
        shared_responses = self._shared_responses
        for key, value in (raw.get("responses") or {}).items():
            status = str(key)
            if isinstance(value, dict) and len(value) == 1 and isinstance(ref := value.get("$ref"), str):
                # a bare `$ref`: what it stands for depends on the ref (and status) alone
                try:
                    response = shared_responses[(status, ref)]
                except KeyError:
                    response = shared_responses[(status, ref)] = self._response(status, value, pointer)
            else:
                response = self._response(status, value, pointer)
            if response is not None:
                responses.append(response)

        callbacks = []
        for name, value in (raw.get("callbacks") or {}).items():
            cb, cb_ptr = self.deref(value, join_pointer(pointer, "callbacks", name))
            for expression, item in (cb or {}).items() if isinstance(cb, dict) else ():
                item_ptr = join_pointer(cb_ptr, expression)
                ops = self.path_item(expression, item, item_ptr, "", f"{synth_id}{_pascal(str(name))}")
                callbacks.append(Callback(str(name), str(expression), ops, item_ptr))

        variants = []
        for v in raw.get("x-connectorgen-variants") or ():
            if isinstance(v, dict):
                variants.append(
                    Variant(
                        operation_id=str(v.get("operationId") or ""),
                        summary=str(v.get("summary") or ""),
                        description=str(v.get("description") or ""),
                        request_schema=self.schema(v["requestSchema"]) if "requestSchema" in v else None,
                        response_schema=self.schema(v["responseSchema"]) if "responseSchema" in v else None,
                        example=str(v.get("example") or ""),
                    )
                )

        # (positional: the field order of `Operation`)
        return Operation(
            str(raw.get("operationId") or synth_id),
            method,
            path,
            str(raw.get("summary") or ""),
            str(raw.get("description") or ""),
            tuple([str(t) for t in raw.get("tags") or ()]),
            tuple(params.values()),
            body,
            tuple(responses),
            self.security(raw["security"]) if "security" in raw else None,
            bool(raw.get("deprecated", False)),
            tuple(callbacks),
            tuple(variants),
            {k: v for k, v in raw.items() if _IS_EXTENSION[k]},
            pointer,
            not raw.get("operationId"),
        )

    def path_item(self, path: str, raw: Any, pointer: str, synth_text: str, synth_prefix: str | None = None) -> tuple[Operation, ...]:
        """The operations of a path item; generated operationIds start with `synth_prefix`
        (by default `_pascal(synth_text)`, made only when an operation needs one)."""
        item, item_ptr = self.deref(raw, pointer) if isinstance(raw, dict) and "$ref" in raw else (raw, pointer)
        if not isinstance(item, dict):
            return ()
        path_params = list(item.get("parameters") or [])
        ops = []
        for method in HTTP_METHODS:
            op = item.get(method)
            if isinstance(op, dict):
                if synth_prefix is None and (not op.get("operationId") or op.get("callbacks")):
                    synth_prefix = _pascal(synth_text)
                synth_id = None if synth_prefix is None else synth_prefix + method.capitalize()
                ops.append(self.operation(path, method, op, path_params, item_ptr + "/" + method, item_ptr, synth_id))
        return tuple(ops)

    def security_schemes(self, components: dict[str, Any]) -> dict[str, SecurityScheme]:
        schemes = {}
        raw_schemes = components.get("securitySchemes")
        for name, raw in (raw_schemes if isinstance(raw_schemes, dict) else {}).items():
            scheme, ptr = self.deref(raw, join_pointer("/components/securitySchemes", name))
            if isinstance(scheme, dict):
                schemes[str(name)] = _security_scheme(str(name), scheme, ptr)
        return schemes

    def build(self, source_file: str) -> Api:
        doc = self.doc
        info: dict[str, Any] = doc["info"] if isinstance(doc.get("info"), dict) else {}
        operations: list[Operation] = []
        for path, item in (doc.get("paths") or {}).items():
            text = str(path)
            operations.extend(self.path_item(text, item, "/paths/" + escape_pointer(text), text))
        webhooks = []
        for name, item in (doc.get("webhooks") or {}).items():
            ptr = join_pointer("/webhooks", name)
            webhooks.append(Webhook(str(name), self.path_item(str(name), item, ptr, str(name)), ptr))

        components: dict[str, Any] = doc["components"] if isinstance(doc.get("components"), dict) else {}
        is30 = self.is30
        schemas = {
            str(k): normalize_schema(v, doc, is30) if type(v) is dict else self.schema(v) for k, v in (components.get("schemas") or {}).items()
        }
        schemes = self.security_schemes(components)

        tags = [Tag(str(t.get("name")), str(t.get("description") or "")) for t in doc.get("tags") or [] if isinstance(t, dict)]
        declared = {t.name for t in tags}
        for op in operations:
            for tag in op.tags:
                if tag not in declared:
                    declared.add(tag)
                    tags.append(Tag(tag))

        servers = []
        for s in doc.get("servers") or [{"url": "/"}]:
            if isinstance(s, dict):
                variables = tuple(
                    ServerVariable(str(n), str(v.get("default", "")), tuple(str(e) for e in v.get("enum") or ()), str(v.get("description") or ""))
                    for n, v in (s.get("variables") or {}).items()
                    if isinstance(v, dict)
                )
                servers.append(Server(str(s.get("url", "/")), str(s.get("description") or ""), variables))

        contact_raw: dict[str, Any] = info["contact"] if isinstance(info.get("contact"), dict) else {}
        return Api(
            title=str(info.get("title") or ""),
            version=str(info.get("version") or ""),
            description=str(info.get("description") or ""),
            openapi_version=str(doc.get("openapi") or ""),
            servers=tuple(servers),
            tags=tuple(tags),
            operations=tuple(operations),
            schemas=schemas,
            security_schemes=schemes,
            security=self.security(doc.get("security")),
            webhooks=tuple(webhooks),
            contact=Contact(str(contact_raw.get("name") or ""), str(contact_raw.get("url") or ""), str(contact_raw.get("email") or "")),
            license_name=str((info.get("license") or {}).get("name") or "") if isinstance(info.get("license"), dict) else "",
            extensions={k: v for k, v in doc.items() if k.startswith("x-")},
            source_file=source_file,
        )


def _security_scheme(name: str, raw: dict[str, Any], pointer: str) -> SecurityScheme:
    flows = []
    for kind, flow in (raw.get("flows") or {}).items():
        if isinstance(flow, dict):
            flows.append(
                OAuthFlow(
                    kind=kind,
                    token_url=str(flow.get("tokenUrl") or ""),
                    authorization_url=str(flow.get("authorizationUrl") or ""),
                    refresh_url=str(flow.get("refreshUrl") or ""),
                    scopes=tuple((str(k), str(v)) for k, v in (flow.get("scopes") or {}).items()),
                )
            )
    kind = str(raw.get("type") or "")
    http_scheme = str(raw.get("scheme") or "").lower()
    key_name, key_location = str(raw.get("name") or ""), str(raw.get("in") or "")
    recipe = build_recipe(
        name,
        kind,
        http_scheme=http_scheme,
        key_name=key_name,
        key_location=key_location,
        flows=tuple(flows),
        extension=raw.get("x-connectorgen-auth"),
        pointer=pointer,
    )
    return SecurityScheme(
        name=name,
        kind=kind,  # type: ignore[arg-type]
        description=str(raw.get("description") or ""),
        scheme=http_scheme,
        bearer_format=str(raw.get("bearerFormat") or ""),
        key_name=key_name,
        key_location=key_location,
        flows=tuple(flows),
        open_id_connect_url=str(raw.get("openIdConnectUrl") or ""),
        extensions={k: v for k, v in raw.items() if k.startswith("x-")},
        pointer=pointer,
        auth=recipe,
    )


_WORD_BREAK = re.compile(r"[^A-Za-z0-9]+")


def _pascal(text: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in _WORD_BREAK.split(text) if part)


def normalize_schema(schema: Any, document: dict[str, Any], is30: bool, _stack: tuple[str, ...] = ()) -> Any:
    """A copy of `schema` in the OpenAPI 3.1 dialect with refs only to `#/components/schemas/X`."""
    if not isinstance(schema, dict):
        if isinstance(schema, list):
            return [normalize_schema(s, document, is30, _stack) if isinstance(s, _CONTAINERS) else s for s in schema]
        return schema
    if "$ref" in schema:
        ref = schema["$ref"]
        if isinstance(ref, str) and ref[:1] == "#":
            if ref.startswith(_SCHEMA_PREFIX) and len(ref) > _SCHEMA_PREFIX_LEN and ref.find("/", _SCHEMA_PREFIX_LEN) < 0:
                # `#/components/schemas/<one token>`: kept (component refs are mostly distinct, a memo would miss)
                if len(schema) == 1:  # the most common schema of all: a bare component ref
                    return {"$ref": ref}
            elif ref not in _stack:
                target = resolve_pointer(document, ref[1:])
                if isinstance(target, _SCHEMA_TARGETS):
                    siblings = {k: v for k, v in schema.items() if k != "$ref"}
                    inlined = normalize_schema(target, document, is30, (*_stack, ref))
                    return {**inlined, **normalize_schema(siblings, document, is30, _stack)} if isinstance(inlined, dict) else inlined
    out: dict[str, Any] = dict(schema)  # same keys, same order: only walked values are replaced
    # (one type lookup per value first: most values are scalars, kept as they are)
    for key, value in schema.items():
        of = type(value)
        if of in _SCALARS:
            continue
        if of is dict or (of is not list and isinstance(value, dict)):
            if key in _SCHEMA_MAPS:
                out[key] = {k: normalize_schema(v, document, is30, _stack) for k, v in value.items()}
            elif _IS_WALKED[key]:
                out[key] = normalize_schema(value, document, is30, _stack)
        elif (of is list or isinstance(value, list)) and _IS_WALKED[key]:
            out[key] = [normalize_schema(s, document, is30, _stack) if isinstance(s, _CONTAINERS) else s for s in value]
    if is30 and ("nullable" in out or "exclusiveMinimum" in out or "exclusiveMaximum" in out):
        for bound in ("exclusiveMinimum", "exclusiveMaximum"):
            if out.get(bound) is True:
                limit = out.pop(bound.replace("exclusiveM", "m"), None)
                out.pop(bound)
                if limit is not None:
                    out[bound] = limit
            elif out.get(bound) is False:
                out.pop(bound)
        if out.pop("nullable", False) is True:
            kind = out.get("type")
            if isinstance(kind, str):
                out["type"] = [kind, "null"]
                if isinstance(out.get("enum"), list) and None not in out["enum"]:
                    out["enum"] = [*out["enum"], None]
            elif kind is None:
                out = {"anyOf": [out, {"type": "null"}]}
    return out




def security_schemes_of(document: dict[str, Any]) -> dict[str, SecurityScheme]:
    """The document's security schemes with their auth recipes, without building the rest of the IR."""
    components = document.get("components")
    return _Builder(document).security_schemes(components if isinstance(components, dict) else {})


def build_api(document: dict[str, Any], source_file: str = "") -> Api:
    """The IR of a bundled, already validated OpenAPI 3.0/3.1 document."""
    return _Builder(document).build(source_file)

