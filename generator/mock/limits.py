"""ASGI middleware that keeps a mock robust under abuse; it runs before routing and authentication.

Per HTTP request, in this order:
1. a `Content-Length` above `max_body` (default 5 MiB) is answered 413 before any of the body is
   read; a body without a length (chunked) is read in chunks and answered 413 as soon as it passes
   the limit, so no more than `max_body` bytes are ever held;
2. the body must arrive within `body_timeout` seconds (408 otherwise); the request line and headers
   within `header_timeout_protocol().header_timeout` (10 s; the server's protocol, used by
   `generator/mock/serve.py`, closes the connection otherwise);
3. a JSON body nested deeper than `max_depth` (default 128) is answered 400 without parsing it (the
   standard library's parser would otherwise hit Python's recursion limit);
4. `POST`/`PUT`/`PATCH`/`DELETE` on `/_mock/...` control endpoints need the mock's credentials
   (`control(headers)`), else 401;
5. a delivery URL in the body of an operation that registers one (`url_fields`) must pass
   `url_problem` (http/https only, loopback unless allowed, see `webhooks.py`), else 400;
6. `HEAD` is served as `GET` without the body wherever the spec has no `HEAD` of its own.

Then the buffered body is replayed to the app. Error answers come from `error(status, message)`
(the vendor's own error format) with a plain JSON fallback.
"""

from __future__ import annotations

import asyncio
import functools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from starlette.datastructures import Headers
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from generator.util.pointer import MISSING, escape_pointer, resolve_pointer

if TYPE_CHECKING:
    from generator.ir.model import Api, Operation
    from generator.mock.server import MockServer

__all__ = ["Limits", "LimitsMiddleware", "delivery_url_fields", "guard_server", "header_timeout_protocol", "json_depth_exceeds"]

_CONTROL_PREFIX = "/_mock/"
_CALLBACK_FIELD = re.compile(r"\$request\.body#(/[^}]*)")
_URL_NAME = re.compile(r"(webhook|callback|notif)", re.IGNORECASE)
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


@dataclass(frozen=True)
class Limits:
    max_body: int = 5 * 1024 * 1024
    max_depth: int = 128
    body_timeout: float = 30.0


def json_depth_exceeds(body: bytes, max_depth: int) -> bool:
    """True when the JSON text `body` nests arrays/objects deeper than `max_depth` (strings skipped)."""
    if body.count(b"[") + body.count(b"{") <= max_depth:
        return False
    brackets = _STRING.sub(b"", body).translate(None, _NOT_BRACKETS)
    depth = 0
    for byte in brackets:
        if byte in (0x5B, 0x7B):  # [ {
            depth += 1
            if depth > max_depth:
                return True
        else:
            depth -= 1
    return False


class _TooLarge(Exception):
    pass


class LimitsMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        limits: Limits | None = None,
        error: Callable[[int, str], Response] | None = None,
        control: Callable[[Headers], bool] | None = None,
        url_fields: Callable[[str, str], tuple[str, ...]] | None = None,
        url_problem: Callable[[str], str | None] | None = None,
        serve_head_as_get: Callable[[str], bool] | None = None,
    ) -> None:
        self.app = app
        self.limits = limits or Limits()
        self._error = error
        self.control = control
        self.url_fields = url_fields
        self.url_problem = url_problem
        self.serve_head_as_get = serve_head_as_get or (lambda path: True)

    def error(self, status: int, message: str) -> Response:
        if self._error is not None:
            try:
                return self._error(status, message)
            except Exception:  # a vendor format without this status: the plain form
                pass
        return JSONResponse({"message": message}, status)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        method = scope["method"].upper()
        path: str = scope["path"]
        if method == "HEAD" and self.serve_head_as_get(path):
            scope = {**scope, "method": "GET"}
            send = _without_body(send)
        length = headers.get("content-length")
        if length is not None and (not length.strip().isdigit() or int(length) > self.limits.max_body):
            if not length.strip().isdigit():
                await self.error(400, "The Content-Length header is not a number.")(scope, receive, send)
            else:
                await self._too_large(scope, receive, send)
            return
        try:
            body = await asyncio.wait_for(self._read(receive), self.limits.body_timeout)
        except _TooLarge:
            await self._too_large(scope, receive, send)
            return
        except TimeoutError:
            await self.error(408, f"The request body did not arrive within {self.limits.body_timeout:g} seconds.")(scope, receive, send)
            return
        if body and json_depth_exceeds(body, self.limits.max_depth):
            await self.error(400, f"The JSON body is nested deeper than {self.limits.max_depth} levels.")(scope, receive, send)
            return
        if path.startswith(_CONTROL_PREFIX) and method not in ("GET", "HEAD") and self.control is not None and not self.control(headers):
            await self.error(401, "The mock's control endpoints need the mock's credentials.")(scope, receive, send)
            return
        if body and self.url_fields is not None and self.url_problem is not None:
            problem = self._registration_problem(method, path, body)
            if problem is not None:
                await self.error(400, problem)(scope, receive, send)
                return
        await self.app(scope, _replay(body, receive), send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = self.error(413, f"The request body is larger than {self.limits.max_body} bytes.")
        response.headers["Connection"] = "close"
        await response(scope, receive, send)

    async def _read(self, receive: Receive) -> bytes:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limits.max_body:
                raise _TooLarge
            if chunk:
                chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)

    def _registration_problem(self, method: str, path: str, body: bytes) -> str | None:
        assert self.url_fields is not None and self.url_problem is not None
        fields = self.url_fields(method, path)
        if not fields:
            return None
        try:
            document = json.loads(body)
        except (ValueError, UnicodeDecodeError, RecursionError):
            return None  # the app answers the malformed body itself
        for name in fields:
            value = _field(document, name)
            if isinstance(value, str):
                problem = self.url_problem(value)
                if problem is not None:
                    return f"{name}: {problem}"
            elif value is not None:
                return f"{name}: a delivery URL must be a string"
        return None


def _field(document: Any, pointer: str) -> Any:
    value = resolve_pointer(document, pointer)
    return None if value is MISSING else value


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _without_body(send: Send) -> Send:
    async def head_send(message: Message) -> None:
        if message["type"] == "http.response.body":
            if message.get("more_body", False):
                return
            message = {"type": "http.response.body", "body": b"", "more_body": False}
        await send(message)

    return head_send


def delivery_url_fields(api: Api, op: Operation) -> tuple[str, ...]:
    """JSON pointers of the body fields where `op` takes a URL the API will call: those named by its
    callbacks' `{$request.body#/...}` expressions, and top-level `format: uri` string properties
    named like a webhook/callback/notification URL, or called `url` on an operation of a path or tag
    about webhooks or subscriptions (the rules are documented here because they are heuristics)."""
    fields = list(dict.fromkeys(m.group(1) for cb in op.callbacks for m in _CALLBACK_FIELD.finditer(cb.expression)))
    media = op.request_body.media() if op.request_body is not None else None
    schema = api.resolve_schema(media.schema if media else None)
    properties = schema.get("properties") if isinstance(schema, dict) else None
    about_webhooks = bool(re.search(r"webhook|subscription", " ".join((op.path, *op.tags)), re.IGNORECASE))
    for name, prop in (properties or {}).items() if isinstance(properties, dict) else ():
        resolved = api.resolve_schema(prop) if isinstance(prop, dict) else None
        if not isinstance(resolved, dict) or resolved.get("format") not in ("uri", "url"):
            continue
        if _URL_NAME.search(name) or (name.lower() == "url" and about_webhooks):
            pointer = "/" + escape_pointer(name)
            if pointer not in fields:
                fields.append(pointer)
    return tuple(fields)


def guard_server(app: ASGIApp, server: MockServer, limits: Limits | None = None) -> LimitsMiddleware:
    """`LimitsMiddleware` around a vendor mock's app: errors in the vendor's format, the vendor's own
    authentication (or HTTP Basic with its test credentials) for control endpoints, delivery URLs
    checked against its webhook policy."""
    from generator.ir.auth import primary_recipe
    from generator.mock.auth import MockAuth
    from generator.mock.http import MockRequest

    compiled = server.compiled
    behaviour = server.behaviour
    fields: dict[str, tuple[str, ...]] = {}
    secured = next((op for op in compiled.operations.values() if op.secured), None)
    basic = MockAuth(primary_recipe(compiled.api), behaviour.ctx.credentials)

    def error(status: int, message: str) -> Response:
        return server.render(None, behaviour.error(status, message))

    def control(headers: Headers) -> bool:
        if basic.check_control(headers):
            return True
        if secured is None:
            return True
        stand_in = MockRequest(operation=secured, method="POST", path="", request=None, headers=headers, raw_query=None, raw_body=b"")  # type: ignore[arg-type]
        try:
            return behaviour.authenticate(stand_in) is None
        except Exception:
            return False

    def url_fields(method: str, path: str) -> tuple[str, ...]:
        matched = compiled.router.match(path)
        op = matched[0].methods.get(method.lower()) if matched else None
        if op is None:
            return ()
        if op.operation_id not in fields:
            fields[op.operation_id] = delivery_url_fields(compiled.api, op.operation)
        return fields[op.operation_id]

    def serve_head_as_get(path: str) -> bool:
        matched = compiled.router.match(path)
        return matched is None or ("head" not in matched[0].methods and "get" in matched[0].methods) or path.startswith(_CONTROL_PREFIX)

    return LimitsMiddleware(
        app,
        limits=limits,
        error=error,
        control=control,
        url_fields=url_fields,
        url_problem=behaviour.ctx.webhooks.url_problem,
        serve_head_as_get=serve_head_as_get,
    )


@functools.cache
def header_timeout_protocol() -> type:
    """The uvicorn h11 protocol class with a header read timeout (built on first use: uvicorn is
    imported only by what serves)."""
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class HeaderTimeoutH11Protocol(H11Protocol):
        """uvicorn's h11 protocol with a header read timeout: a request whose request line and
        headers have not all arrived `header_timeout` seconds after the connection opened (or after
        its first bytes, on a kept-alive connection) closes the connection, so slow-header clients
        cannot hold connections open. Idle kept-alive connections keep uvicorn's own timeout."""

        header_timeout = 10.0
        linger = 2.0

        def connection_made(self, transport: Any) -> None:
            self._lingering = _LingeringTransport(transport, self.loop, self.linger, self._client_is_sending)
            super().connection_made(cast(asyncio.Transport, self._lingering))  # a proxy, see below
            self._seen_cycle: object = None
            self._header_timer: asyncio.TimerHandle | None = self.loop.call_later(self.header_timeout, self._headers_too_slow)

        def _client_is_sending(self) -> bool:
            import h11

            return bool(self.conn.their_state is h11.SEND_BODY)

        def data_received(self, data: bytes) -> None:
            if self._lingering.lingering:
                return  # the rest of a body answered already (413): read and dropped
            super().data_received(data)
            if self.cycle is not None and self.cycle is not self._seen_cycle:
                self._seen_cycle = self.cycle
                self._stop_timer()
            elif self._header_timer is None and self.cycle is not None and self.cycle.response_complete:
                # The first bytes of the next request on a kept-alive connection.
                self._header_timer = self.loop.call_later(self.header_timeout, self._headers_too_slow)

        def connection_lost(self, exc: Exception | None) -> None:
            self._stop_timer()
            self._lingering.stop_lingering()
            super().connection_lost(exc)

        def _stop_timer(self) -> None:
            if self._header_timer is not None:
                self._header_timer.cancel()
                self._header_timer = None

        def _headers_too_slow(self) -> None:
            self._header_timer = None
            if self.cycle is self._seen_cycle and not self.transport.is_closing():
                self.transport.close()

    return HeaderTimeoutH11Protocol


class _LingeringTransport:
    """A transport whose `close()` lingers while the client is still sending a request body.

    Closing a socket with unread data in it makes the kernel answer with a reset, and a reset makes
    the client drop what it had received but not yet read: the 413 for a too-large chunked body
    would be lost. Like Apache's and nginx's lingering close, the mock then shuts its side down
    (the answer is flushed first), reads and drops whatever still arrives, and closes once the
    client has closed its side or after `linger` seconds. Everything else is the wrapped
    transport's."""

    def __init__(self, transport: Any, loop: asyncio.AbstractEventLoop, linger: float, client_is_sending: Callable[[], bool]) -> None:
        self._transport = transport
        self._loop = loop
        self._linger = linger
        self._client_is_sending = client_is_sending
        self._timer: asyncio.TimerHandle | None = None
        self.lingering = False

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)

    def is_closing(self) -> bool:
        return self.lingering or bool(self._transport.is_closing())

    def close(self) -> None:
        transport = self._transport
        if self.lingering or transport.is_closing():
            return
        if not (self._client_is_sending() and transport.can_write_eof()):
            transport.close()
            return
        self.lingering = True
        transport.resume_reading()
        transport.write_eof()
        self._timer = self._loop.call_later(self._linger, transport.close)

    def stop_lingering(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
