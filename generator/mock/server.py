"""The request pipeline shared by every vendor: route, authenticate, validate, handle, render.

Per request: match the raw path against the spec's templates (unknown path: 404 in the vendor's
error format; known path, other method: 405 with `Allow`), authenticate (the behaviour's 401),
apply the behaviour's admission hook (a rate limit), decode and validate parameters and the
JSON body against the spec (the vendor's 400), then call the handler for the operationId. The
response's media type defaults to the one the spec documents for its status; with
`check_responses` every response is also checked against the spec (tests use it).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send

from generator.mock.behaviour import Behaviour, Handler, MockError
from generator.mock.http import MockRequest, MockResponse, dump_json_bytes
from generator.mock.operations import CompiledApi, CompiledOperation
from generator.mock.params import coerce_scalar
from generator.mock.schema import SchemaIssue, SchemaSet
from generator.util.media import media_base

__all__ = ["MockServer"]


def _is_json(media_type: str) -> bool:
    base = media_base(media_type)
    return base == "application/json" or base.endswith("+json") or base.endswith("/json")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _integral(value: Any) -> Any:
    """JSON does not tell 2.0 from 2 (JSON Schema calls both integers): give handlers ints."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _integral(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_integral(v) for v in value]
    return value


class MockServer:
    """One vendor mock: the compiled spec, the behaviour (which holds the state) and the pipeline."""

    def __init__(self, compiled: CompiledApi, behaviour: Behaviour, *, check_responses: bool = False, fallback: Behaviour | None = None) -> None:
        """fallback: answers the operations `behaviour` has no handler for (the generic engine under
        a vendor override); authentication, admission and errors stay the behaviour's."""
        self.compiled = compiled
        self.behaviour = behaviour
        self.fallback = fallback
        self.check_responses = check_responses
        handlers = dict(fallback.handlers()) if fallback is not None else {}
        handlers.update(behaviour.handlers())
        missing = sorted(set(compiled.operations) - set(handlers))
        if missing:
            raise ValueError(f"{behaviour.vendor} mock has no handler for: {', '.join(missing)}")
        self._handlers: dict[str, Handler] = handlers

    @property
    def vendor(self) -> str:
        return self.behaviour.vendor

    def render(self, op: CompiledOperation | None, answer: MockResponse) -> Response:
        media = answer.media_type
        if media is None and op is not None:
            documented = op.response_for(answer.status)
            media = documented.default_media_type if documented else None
        media = media or self.behaviour.error_media_type
        if answer.body is None:
            content = b""
        elif isinstance(answer.body, bytes):
            content = answer.body
        elif isinstance(answer.body, str) and not _is_json(media):
            content = answer.body.encode("utf-8")
        else:
            content = dump_json_bytes(answer.body)
        if self.check_responses and op is not None:
            payload = json.loads(answer.body) if isinstance(answer.body, bytes) and _is_json(media) else answer.body
            op.check(answer, media if answer.body is not None else None, payload)
        return Response(content, answer.status, headers=answer.headers, media_type=media if answer.body is not None else None)

    async def endpoint(self, request: Request) -> Response:
        scope = request.scope
        raw_path = scope.get("raw_path")
        path = raw_path.decode("utf-8", "replace").split("?", 1)[0] if raw_path else scope["path"]
        matched = self.compiled.router.match(path)
        if matched is None:
            return self.render(None, self.behaviour.error(404, f"No route matches {path}"))
        template, path_values = matched
        op = template.methods.get(request.method.lower())
        if op is None:
            answer = self.behaviour.error(405, f"Method {request.method} is not allowed on {template.template}")
            answer.headers["Allow"] = template.allow
            return self.render(None, answer)
        mock_request = MockRequest(
            operation=op,
            method=request.method,
            path=path,
            request=request,
            headers=request.headers,
            raw_query=request.query_params,
            raw_body=await request.body() if op.body_media else b"",
        )
        return self.render(op, self._answer(op, mock_request, path_values))

    def _answer(self, op: CompiledOperation, request: MockRequest, path_values: dict[str, str]) -> MockResponse:
        behaviour = self.behaviour
        try:
            if op.secured:
                refused = behaviour.authenticate(request)
                if refused is not None:
                    return refused
            refused = behaviour.admit(request)
            if refused is not None:
                return refused
            issues = self._decode(op, request, path_values)
            if issues:
                return behaviour.validation_error(request, issues)
            return self._handlers[op.operation_id](request)
        except MockError as exc:
            return behaviour.error(exc.status, exc.message, request=request, **exc.extra)

    def _decode(self, op: CompiledOperation, request: MockRequest, path_values: dict[str, str]) -> list[SchemaIssue]:
        issues: list[SchemaIssue] = []
        for decoder in op.params:
            if decoder.location == "path":
                raw = [path_values.get(decoder.name, "")]
            elif decoder.location == "query":
                raw = request.raw_query.getlist(decoder.name)
            else:
                raw = request.headers.getlist(decoder.name)
            if not raw:
                if decoder.required:
                    issues.append(SchemaIssue(decoder.label, f"The {decoder.name} parameter is required."))
                elif decoder.has_default:
                    request.params[decoder.name] = decoder.default
                continue
            value, found = decoder.decode(raw)
            issues.extend(found)
            request.params[decoder.name] = value
        if op.body_media:
            issues.extend(self._decode_body(op, request))
        return issues

    def _decode_body(self, op: CompiledOperation, request: MockRequest) -> list[SchemaIssue]:
        if not request.raw_body.strip():
            return [SchemaIssue("$", "A non-empty request body is required.")] if op.body_required else []
        content_type = request.headers.get("content-type", "application/json")
        base = media_base(content_type)
        if base == "application/x-www-form-urlencoded" and op.form is not None and base in op.body_media:
            return self._decode_form(op, request)
        if not _is_json(content_type) and (base in op.body_media or "*/*" in op.body_media):
            return []  # a declared non-JSON body (multipart, text, binary) is accepted as it is
        if not _is_json(content_type):
            return [SchemaIssue("$", f"Unsupported content type {content_type!r}; send application/json.")]
        try:
            request.body = _integral(json.loads(request.raw_body, parse_constant=_reject_constant))
        except (ValueError, UnicodeDecodeError) as exc:
            return [SchemaIssue("$", f"The body is not valid JSON: {exc}")]
        return SchemaSet.issues(op.body_validator, request.body) if op.body_validator is not None else []

    def _decode_form(self, op: CompiledOperation, request: MockRequest) -> list[SchemaIssue]:
        """A form body as an object (values typed by the schema's properties), validated."""
        assert op.form is not None
        validator, types = op.form
        try:
            pairs = parse_qsl(request.raw_body.decode("utf-8"), keep_blank_values=True, strict_parsing=True)
        except (ValueError, UnicodeDecodeError) as exc:
            return [SchemaIssue("$", f"The body is not a valid form: {exc}")]
        body: dict[str, Any] = {}
        for key, text in pairs:
            allowed = types.get(key, frozenset({"string"}))
            value = coerce_scalar(text, allowed - {"array"} or frozenset({"string"}))
            if key in body or allowed == frozenset({"array"}):
                previous = body.get(key, [])
                body[key] = [*(previous if isinstance(previous, list) else [previous]), value]
            else:
                body[key] = value
        request.body = body
        return SchemaSet.issues(validator, body)

    async def openapi(self, request: Request) -> Response:
        """The spec as one OpenAPI 3.1 document whose server is this mock (for schemathesis)."""
        from generator.targets.openapi.export import export_openapi

        document = export_openapi(self.compiled.api)
        base = str(request.base_url).rstrip("/")
        document["servers"] = [{"url": base, "description": f"connectorgen mock of {self.vendor}"}]
        return JSONResponse(self.behaviour.adapt_openapi(document, base))

    async def reset(self, request: Request) -> Response:
        """`POST /_mock/reset`: back to the seeded state."""
        self.behaviour.reset()
        if self.fallback is not None:
            self.fallback.reset()
        return Response(status_code=204)

    async def describe(self, request: Request) -> Response:
        return JSONResponse(self.behaviour.describe(str(request.base_url).rstrip("/")))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """ASGI entry for the catch-all route (every method: 405s are ours, not Starlette's)."""
        response = await self.endpoint(Request(scope, receive))
        await response(scope, receive, send)

    @contextlib.asynccontextmanager
    async def lifespan(self, app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            self.behaviour.ctx.webhooks.close()
