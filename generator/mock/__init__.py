"""Stateful mock servers built from OpenAPI documents: any document, and the vendors' specs.

`create_app(target)` returns a Starlette (ASGI) app serving a bundled vendor's spec, a vendor folder
(`openapi.yaml` + `connector.yaml`) or any OpenAPI 3.0/3.1 file: routes come from the spec's
operations, requests are validated against it (parameters coerced and checked, JSON and form bodies
checked with JSON Schema 2020-12; invalid input gets a 4xx in the spec's error format), and the
generic engine (`engine.py`) answers each operation from a store seeded with the spec's examples. A
vendor whose behaviour the spec cannot express has an override module `generator/mock/vendors/<name>.py`
(found by name), which answers the operations it handles; the engine answers the rest. Every app
has its own state: a fresh app is a fresh world. Run one with uvicorn, or `connectorgen mock TARGET`.

Base URL: the mock serves the spec's paths at the root, exactly as written in the spec (not below
the server URL's path), so its base URL is `http://HOST:PORT` and takes the place of the spec
server URL as a whole (the Postman `baseUrl`). `connectorgen mock TARGET --describe` prints
`{"baseUrl", "credentials"}` (plus what an override adds, e.g. a token URL).

Outside the spec, every mock also serves:
- `GET /_mock/openapi.json`: the spec as one OpenAPI 3.1 document whose server is the mock, e.g. for
  `schemathesis.openapi.from_asgi("/_mock/openapi.json", app)`;
- `GET /_mock/describe`: the `--describe` document;
- `POST /_mock/reset`: back to the seeded state;
- an override's extras (`Behaviour.routes()`: token endpoints, event triggers).

Contract testing (test tooling, outside the package): `tests/support/contract.py` holds the
schemathesis set-up shared by `tests/contract` (in process) and `python -m tests.support.fuzz`
(`make fuzz`, CLI against live mocks): the Authorization header from `/_mock/describe`, and the `schemathesis.toml` with the
documented exceptions each override module declares (`EXPECTED_STATUSES`).

Test credentials are fixed, obviously fake placeholders (the spec's `mockCredentials`, an
override's defaults, or the recipe's `mock-<name>`, `generator/mock/auth.py`), overridable with `create_app(credentials=...)`
or `CONNECTORGEN_MOCK_<NAME>_<KEY>` environment variables.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.routing import BaseRoute, Route
from starlette.types import Receive, Scope, Send

from generator.mock.behaviour import (
    Behaviour,
    Clock,
    IdFactory,
    MockContext,
    MockOptions,
    resolve_credentials,
)
from generator.mock.limits import guard_server
from generator.mock.operations import MockContractError, load_api
from generator.mock.server import MockServer
from generator.mock.vendors import behaviour_class, vendor_names
from generator.mock.webhooks import WebhookSender

__all__ = [
    "MockApp",
    "MockContractError",
    "MockOptions",
    "MockServer",
    "create_app",
    "mock_server",
    "resolve_target",
    "spec_path_for",
    "vendor_names",
]


def spec_path_for(vendor: str) -> Path:
    from generator.util.resources import specs_dir

    return specs_dir() / vendor / "openapi.yaml"


def resolve_target(spec_or_vendor: str) -> tuple[str, Path, bool]:
    """(name, spec file, is a vendor folder) for a bundled vendor's name, a vendor folder
    (`<dir>/openapi.yaml`, named after the folder) or any OpenAPI document. ValueError otherwise."""
    if spec_or_vendor in vendor_names():
        return spec_or_vendor, spec_path_for(spec_or_vendor), True
    path = Path(spec_or_vendor)
    if path.is_dir():
        if (path / "openapi.yaml").is_file():
            return path.resolve().name, path / "openapi.yaml", True
        raise ValueError(f"{spec_or_vendor}: a folder without openapi.yaml")
    if path.is_file():
        return path.stem, path, False
    raise ValueError(f"{spec_or_vendor!r} is neither a vendor ({', '.join(vendor_names())}) nor an OpenAPI file or folder")


def create_app(
    vendor: str,
    *,
    rate_limit: bool = True,
    credentials: Mapping[str, str] | None = None,
    options: MockOptions | None = None,
    clock: Clock | None = None,
    check_responses: bool = False,
    spec_path: Path | None = None,
    seed: int = 0,
    state: Path | None = None,
    limit: tuple[int, float] | None = None,
) -> MockApp:
    """A fresh mock of `vendor`: a bundled vendor's name, a vendor folder or any OpenAPI document.

    A vendor with an override module (`generator.mock.vendors.<name>`) gets it; everything else is
    served by the generic engine (`generator.mock.engine`).
    rate_limit: enforce the rate limit (an override's own, or `limit`).
    credentials: override the test credentials (keys as in the vendor's API).
    options: timings (token lifetime, delays, webhook retries).
    clock: time source in seconds (tests pass a fake one to expire tokens).
    check_responses: raise `MockContractError` on any response the spec does not document.
    seed: varies the generated ids (the same seed gives the same ids).
    state: a SQLite file keeping the generic engine's store across restarts.
    limit: (requests, seconds) per client, for the generic engine and vendors that rate-limit.
    """
    if spec_path is None:
        name, spec_path, is_vendor = resolve_target(vendor)
    else:
        name, is_vendor = vendor, True
    cls = behaviour_class(name) if is_vendor else None
    options = options or MockOptions()
    if limit is not None:
        options = replace(options, rate_limit_requests=limit[0], rate_limit_window=limit[1])
    compiled = load_api(spec_path, check_servable=cls is None)
    extras: dict[str, Any] = {"seed": seed, "name": name}
    if limit is not None:
        extras["rate_limit"] = limit
    from generator.mock.engine import GenericBehaviour

    if cls is None or issubclass(cls, GenericBehaviour):
        # The generic engine, or an override subclassing it: one store (SQLite with `state`), the
        # recipe's test credentials (an override's own defaults on top).
        from generator.mock.engine import generic_credentials
        from generator.mock.store import Store

        behaviour_cls: type[Behaviour] = cls or GenericBehaviour
        defaults = {**generic_credentials(compiled.api), **(cls.default_credentials if cls is not None else {})}
        extras["store"] = Store(state)
    else:
        behaviour_cls, defaults = cls, cls.default_credentials
    ctx = MockContext(
        api=compiled,
        options=options,
        clock=clock or time.time,
        credentials=resolve_credentials(name, defaults, credentials),
        webhooks=WebhookSender(retries=options.webhook_retries, base_delay=options.webhook_retry_delay, timeout=options.webhook_timeout),
        ids=IdFactory(name if seed == 0 else f"{name}/{seed}"),
        rate_limit=rate_limit,
        extras=extras,
    )
    behaviour = behaviour_cls(ctx)
    fallback: Behaviour | None = None
    if cls is not None and set(compiled.operations) - set(behaviour.handlers()):
        # A vendor override answering only some operations: the generic engine answers the rest.
        from generator.mock.store import Store

        generic_ctx = replace(ctx, extras={**extras, "store": Store(state)})
        fallback = GenericBehaviour(generic_ctx)
    server = MockServer(compiled, behaviour, check_responses=check_responses, fallback=fallback)
    extra: list[BaseRoute] = [
        *server.behaviour.routes(),
        Route("/_mock/openapi.json", server.openapi, methods=["GET"]),
        Route("/_mock/describe", server.describe, methods=["GET"]),
        Route("/_mock/reset", server.reset, methods=["POST"]),
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
