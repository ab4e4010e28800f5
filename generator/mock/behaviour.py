"""What every vendor behaviour module builds on: options, the context it gets, the base class.

A behaviour answers the spec's operations (handlers keyed by operationId), authenticates requests,
renders errors in the vendor's own format and may add routes outside the spec (a token endpoint,
`/_mock/...` admin hooks). It keeps its state on the instance: one behaviour per app.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from starlette.routing import BaseRoute

from generator.mock.http import MockRequest, MockResponse
from generator.mock.operations import CompiledApi
from generator.mock.schema import SchemaIssue
from generator.mock.webhooks import WebhookSender

__all__ = [
    "Behaviour",
    "Clock",
    "Handler",
    "IdFactory",
    "MockContext",
    "MockError",
    "MockOptions",
    "resolve_credentials",
]

Clock = Callable[[], float]
Handler = Callable[[MockRequest], MockResponse]


@dataclass(frozen=True)
class MockOptions:
    """Timings and limits. None means the vendor's own value. `settings`: a vendor override's own
    timings by name (each vendor module documents its names and defaults)."""

    token_lifetime: float | None = None
    rate_limit_requests: int = 60  # per client (a vendor's own limit, or --rate-limit) ...
    rate_limit_window: float = 60.0  # ... per this many seconds
    webhook_retries: int = 3
    webhook_retry_delay: float = 1.0  # first back-off; doubles on each retry
    webhook_timeout: float = 5.0
    settings: Mapping[str, float] = field(default_factory=dict)

    def setting(self, name: str, default: float) -> float:
        return float(self.settings.get(name, default))


class MockError(Exception):
    """Raised by handlers for an error answer in the vendor's format (`Behaviour.error`)."""

    def __init__(self, status: int, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.extra = extra


class IdFactory:
    """Ids that are unique within one app and the same on every run (uuid5 of a counter)."""

    def __init__(self, namespace: str) -> None:
        self._namespace = uuid.uuid5(uuid.NAMESPACE_URL, f"https://connectorgen.invalid/mock/{namespace}")
        self._counters: dict[str, int] = {}

    def next_int(self, kind: str, start: int = 1) -> int:
        value = self._counters.get(kind, start - 1) + 1
        self._counters[kind] = value
        return value

    def uuid(self, kind: str) -> str:
        return str(uuid.uuid5(self._namespace, f"{kind}/{self.next_int(kind)}"))

    def hex(self, kind: str, length: int) -> str:
        return uuid.uuid5(self._namespace, f"{kind}/{self.next_int(kind)}").hex[:length].ljust(length, "0")


@dataclass
class MockContext:
    api: CompiledApi
    options: MockOptions
    clock: Clock
    credentials: dict[str, str]
    webhooks: WebhookSender
    ids: IdFactory
    rate_limit: bool = True
    extras: dict[str, Any] = field(default_factory=dict)


def resolve_credentials(vendor: str, defaults: Mapping[str, str], overrides: Mapping[str, str] | None) -> dict[str, str]:
    """Defaults, then `CONNECTORGEN_MOCK_<VENDOR>_<KEY>` environment variables, then `overrides`."""
    prefix = "CONNECTORGEN_MOCK_" + re.sub(r"[^A-Z0-9]", "_", vendor.upper()) + "_"
    out = dict(defaults)
    for key in defaults:
        env = os.environ.get(prefix + re.sub(r"[^A-Z0-9]", "_", key.upper()))
        if env:
            out[key] = env
    for key, value in (overrides or {}).items():
        if key not in defaults:
            raise ValueError(f"unknown credential {key!r} for {vendor} (known: {', '.join(defaults)})")
        out[key] = value
    return out


class Behaviour:
    vendor: ClassVar[str]
    default_credentials: ClassVar[dict[str, str]]
    error_media_type: ClassVar[str] = "application/json"

    # State that survives `reset()` (e.g. issued tokens, so a client stays signed in).
    reset_keeps: ClassVar[tuple[str, ...]] = ()

    def __init__(self, ctx: MockContext) -> None:
        self.ctx = ctx

    def reset(self) -> None:
        """Back to the seeded state, in place: handlers and routes bound to this instance stay
        valid. Tests call it between stateful examples so each starts from the same state."""
        kept = {name: getattr(self, name) for name in self.reset_keeps}
        self.ctx.ids = IdFactory(self.vendor)
        type(self).__init__(self, self.ctx)
        for name, value in kept.items():
            setattr(self, name, value)

    @property
    def now(self) -> float:
        return self.ctx.clock()

    def handlers(self) -> Mapping[str, Handler]:
        raise NotImplementedError

    def authenticate(self, request: MockRequest) -> MockResponse | None:
        """None when the request may proceed; otherwise the vendor's 401."""
        return None

    def admit(self, request: MockRequest) -> MockResponse | None:
        """Hook after authentication (rate limits); None lets the request proceed."""
        return None

    def error(self, status: int, message: str, *, request: MockRequest | None = None, **extra: Any) -> MockResponse:
        raise NotImplementedError

    def validation_error(self, request: MockRequest, issues: Sequence[SchemaIssue]) -> MockResponse:
        first = issues[0]
        return self.error(400, f"{first.path}: {first.message}", request=request, issues=issues)

    def routes(self) -> list[BaseRoute]:
        return []

    def adapt_openapi(self, document: dict[str, Any], base_url: str) -> dict[str, Any]:
        """The spec as served at `/_mock/openapi.json` (servers already point at the mock)."""
        return document

    def notes(self) -> list[str]:
        """Lines `connectorgen mock` prints at start after the credentials (e.g. a rate limit)."""
        limit = self.ctx.extras.get("rate_limit")
        if limit and self.ctx.rate_limit:
            return [f"rate limit: {limit[0]} requests per {limit[1]:g} s per client"]
        return []

    def describe(self, base_url: str) -> dict[str, Any]:
        """The `--describe` document: base URL and credentials named as the vendor names them."""
        return {"baseUrl": base_url, "credentials": dict(self.ctx.credentials)}
