"""Stateful mock servers for the vendors' APIs, built from their specs.

`create_app(vendor)` returns a Starlette (ASGI) app serving `specs/<vendor>/openapi.yaml`: routes
come from the spec's operations, requests are validated against it (parameters coerced and checked,
JSON bodies checked with JSON Schema 2020-12; invalid input gets the vendor's own 4xx error), and a
small behaviour module per vendor (`generator/mock/vendors/`) answers each operationId from
in-memory state seeded with the spec's examples. Every app has its own state: a fresh app is a
fresh world. Run one with uvicorn, or `connectorgen mock VENDOR`.

Base URL: the mock serves the spec's paths at the root, exactly as written in the spec (Volue's
`/users`, not `/energy-coordination/v1/users`), so its base URL is `http://HOST:PORT` and takes the
place of the spec server URL as a whole (the Postman `baseUrl`). `connectorgen mock VENDOR
--describe` prints `{"baseUrl", "credentials"}` (plus `tokenUrl` for Volue).

Outside the spec, every mock also serves:
- `GET /_mock/openapi.json`: the spec as one OpenAPI 3.1 document whose server is the mock, e.g. for
  `schemathesis.openapi.from_asgi("/_mock/openapi.json", app)`;
- `GET /_mock/describe`: the `--describe` document;
- vendor extras: Volue's token endpoint `POST /connect/token` and `POST /_mock/events/price-delta`
  (emit a PriceDelta event to the subscribed webhooks).

Contract testing: `generator/mock/contract.py` holds the schemathesis set-up shared by
`tests/contract` (in process) and `python -m generator.mock.fuzz` (`make fuzz`, CLI against live
mocks): the Authorization header from `/_mock/describe`, and the `schemathesis.toml` with the
vendors' documented exceptions.

Test credentials are fixed, obviously fake placeholders (see each vendor module), overridable with
`create_app(credentials=...)` or `CONNECTORGEN_MOCK_<VENDOR>_<KEY>` environment variables (e.g.
`CONNECTORGEN_MOCK_VOLUE_CLIENT_SECRET`).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from pathlib import Path

from starlette.applications import Starlette
from starlette.routing import BaseRoute, Route
from starlette.types import Receive, Scope, Send

from generator.mock.behaviour import Clock, IdFactory, MockContext, MockOptions, resolve_credentials
from generator.mock.limits import guard_server
from generator.mock.operations import MockContractError, load_api
from generator.mock.server import MockServer
from generator.mock.vendors import behaviour_class, vendor_names
from generator.mock.webhooks import WebhookSender

__all__ = ["MockApp", "MockContractError", "MockOptions", "MockServer", "create_app", "mock_server", "spec_path_for", "vendor_names"]


def spec_path_for(vendor: str) -> Path:
    from generator.util.resources import specs_dir

    return specs_dir() / vendor / "openapi.yaml"


def create_app(
    vendor: str,
    *,
    rate_limit: bool = True,
    credentials: Mapping[str, str] | None = None,
    options: MockOptions | None = None,
    clock: Clock | None = None,
    check_responses: bool = False,
    spec_path: Path | None = None,
) -> MockApp:
    """A fresh mock of `vendor` (one of `vendor_names()`).

    rate_limit: enforce the vendor's rate limit (Eevion: 60 requests per 60 s per key).
    credentials: override the test credentials (keys as in the vendor's API).
    options: timings (token lifetime, delays, webhook retries).
    clock: time source in seconds (tests pass a fake one to expire tokens).
    check_responses: raise `MockContractError` on any response the spec does not document.
    """
    cls = behaviour_class(vendor)
    options = options or MockOptions()
    compiled = load_api(spec_path or spec_path_for(vendor))
    ctx = MockContext(
        api=compiled,
        options=options,
        clock=clock or time.time,
        credentials=resolve_credentials(vendor, cls.default_credentials, credentials),
        webhooks=WebhookSender(retries=options.webhook_retries, base_delay=options.webhook_retry_delay, timeout=options.webhook_timeout),
        ids=IdFactory(vendor),
        rate_limit=rate_limit,
    )
    server = MockServer(compiled, cls(ctx), check_responses=check_responses)
    extra: list[BaseRoute] = [
        *server.behaviour.routes(),
        Route("/_mock/openapi.json", server.openapi, methods=["GET"]),
        Route("/_mock/describe", server.describe, methods=["GET"]),
    ]
    return MockApp(server, extra)


class MockApp(Starlette):
    """The Starlette app of one mock. Requests for the spec's paths go straight to the MockServer
    (skipping Starlette's router: a measurable share of each request); the routes outside the
    spec (`/_mock/...`, token endpoints) and the lifespan go through Starlette."""

    def __init__(self, server: MockServer, extra: list[BaseRoute]) -> None:
        super().__init__(routes=[*extra, Route("/{path:path}", server)], lifespan=server.lifespan)
        self.state.mock = server
        self._server = server
        self._extra_paths = frozenset(str(getattr(route, "path", "")) for route in extra)
        self._guarded = guard_server(self._dispatch, server)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self._guarded(scope, receive, send)  # body limits, control auth (generator/mock/limits.py)

    async def _dispatch(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] not in self._extra_paths:
            await self._server(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


def mock_server(app: Starlette) -> MockServer:
    """The MockServer behind an app made by `create_app` (its behaviour holds the state)."""
    server = app.state.mock
    assert isinstance(server, MockServer)
    return server
