"""IR → a single self-contained OpenAPI 3.1 document.

Used by the `openapi` target and by consumers that need a plain document (datamodel-code-generator,
schemathesis, the mock servers' request validation). Component schemas are emitted as they are;
parameters, responses and request bodies are emitted inline (the IR has dereferenced them).
"""

from __future__ import annotations

from typing import Any

from generator.ir.model import (
    Api,
    Example,
    Header,
    Link,
    MediaType,
    Operation,
    Parameter,
    RequestBody,
    Response,
    SecurityRequirement,
    SecurityScheme,
)

__all__ = ["export_openapi", "operation_to_openapi"]


def _examples(examples: tuple[Example, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for ex in examples:
        item: dict[str, Any] = {}
        if ex.summary:
            item["summary"] = ex.summary
        if ex.description:
            item["description"] = ex.description
        item["value"] = ex.value
        out[ex.name] = item
    return out


def _media(media: tuple[MediaType, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for m in media:
        item: dict[str, Any] = {}
        if m.schema is not None:
            item["schema"] = m.schema
        if m.examples:
            item["examples"] = _examples(m.examples)
        if m.encoding:
            item["encoding"] = m.encoding
        out[m.content_type] = item
    return out


def _parameter(p: Parameter) -> dict[str, Any]:
    out: dict[str, Any] = {"name": p.name, "in": p.location}
    if p.description:
        out["description"] = p.description
    if p.required or p.location == "path":
        out["required"] = True
    if p.deprecated:
        out["deprecated"] = True
    if p.style:
        out["style"] = p.style
    if p.explode is not None:
        out["explode"] = p.explode
    out["schema"] = p.schema
    if p.has_example:
        out["example"] = p.example
    if p.examples:
        out["examples"] = _examples(p.examples)
    out.update(p.extensions)
    return out


def _header(h: Header) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if h.description:
        out["description"] = h.description
    if h.required:
        out["required"] = True
    out["schema"] = h.schema
    if h.has_example:
        out["example"] = h.example
    return out


def _link(link: Link) -> dict[str, Any]:
    out: dict[str, Any] = {"operationId": link.operation_id}
    if link.parameters:
        out["parameters"] = link.parameters
    if link.request_body is not None:
        out["requestBody"] = link.request_body
    if link.description:
        out["description"] = link.description
    return out


def _response(r: Response) -> dict[str, Any]:
    out: dict[str, Any] = {"description": r.description or r.status}
    if r.headers:
        out["headers"] = {h.name: _header(h) for h in r.headers}
    if r.contents:
        out["content"] = _media(r.contents)
    if r.links:
        out["links"] = {link.name: _link(link) for link in r.links}
    return out


def _body(body: RequestBody) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if body.description:
        out["description"] = body.description
    out["content"] = _media(body.contents)
    if body.required:
        out["required"] = True
    return out


def _security(requirements: tuple[SecurityRequirement, ...]) -> list[dict[str, list[str]]]:
    return [{name: list(scopes) for name, scopes in req.schemes} for req in requirements]


def operation_to_openapi(op: Operation) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if op.tags:
        out["tags"] = list(op.tags)
    if op.summary:
        out["summary"] = op.summary
    if op.description:
        out["description"] = op.description
    out["operationId"] = op.operation_id
    if op.parameters:
        out["parameters"] = [_parameter(p) for p in op.parameters]
    if op.request_body is not None:
        out["requestBody"] = _body(op.request_body)
    out["responses"] = {r.status: _response(r) for r in op.responses}
    if op.callbacks:
        callbacks: dict[str, Any] = {}
        for cb in op.callbacks:
            item = callbacks.setdefault(cb.name, {}).setdefault(cb.expression, {})
            for cb_op in cb.operations:
                item[cb_op.method] = operation_to_openapi(cb_op)
        out["callbacks"] = callbacks
    if op.deprecated:
        out["deprecated"] = True
    if op.security is not None:
        out["security"] = _security(op.security)
    for key, value in op.extensions.items():
        out.setdefault(key, value)
    return out


def _scheme(s: SecurityScheme) -> dict[str, Any]:
    out: dict[str, Any] = {"type": s.kind}
    if s.description:
        out["description"] = s.description
    if s.kind == "http":
        out["scheme"] = s.scheme
        if s.bearer_format:
            out["bearerFormat"] = s.bearer_format
    elif s.kind == "apiKey":
        out["name"] = s.key_name
        out["in"] = s.key_location
    elif s.kind == "oauth2":
        flows: dict[str, Any] = {}
        for f in s.flows:
            flow: dict[str, Any] = {}
            if f.authorization_url:
                flow["authorizationUrl"] = f.authorization_url
            if f.token_url:
                flow["tokenUrl"] = f.token_url
            if f.refresh_url:
                flow["refreshUrl"] = f.refresh_url
            flow["scopes"] = dict(f.scopes)
            flows[f.kind] = flow
        out["flows"] = flows
    elif s.kind == "openIdConnect":
        out["openIdConnectUrl"] = s.open_id_connect_url
    out.update(s.extensions)
    return out


def export_openapi(api: Api) -> dict[str, Any]:
    """A complete OpenAPI 3.1.0 document equivalent to the IR."""
    info: dict[str, Any] = {"title": api.title, "version": api.version}
    if api.description:
        info["description"] = api.description
    contact = {k: v for k, v in (("name", api.contact.name), ("url", api.contact.url), ("email", api.contact.email)) if v}
    if contact:
        info["contact"] = contact
    if api.license_name:
        info["license"] = {"name": api.license_name}
    doc: dict[str, Any] = {"openapi": "3.1.0", "info": info}
    doc["servers"] = [
        {
            "url": s.url,
            **({"description": s.description} if s.description else {}),
            **(
                {"variables": {v.name: {"default": v.default, **({"enum": list(v.enum)} if v.enum else {})} for v in s.variables}}
                if s.variables
                else {}
            ),
        }
        for s in api.servers
    ]
    if api.security:
        doc["security"] = _security(api.security)
    if api.tags:
        doc["tags"] = [{"name": t.name, **({"description": t.description} if t.description else {})} for t in api.tags]
    paths: dict[str, Any] = {}
    for op in api.operations:
        paths.setdefault(op.path, {})[op.method] = operation_to_openapi(op)
    doc["paths"] = paths
    if api.webhooks:
        doc["webhooks"] = {w.name: {op.method: operation_to_openapi(op) for op in w.operations} for w in api.webhooks}
    components: dict[str, Any] = {}
    if api.schemas:
        components["schemas"] = api.schemas
    if api.security_schemes:
        components["securitySchemes"] = {name: _scheme(s) for name, s in api.security_schemes.items()}
    if components:
        doc["components"] = components
    doc.update(api.extensions)
    return doc
