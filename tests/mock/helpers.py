"""Helpers for the mock server tests (the fixtures using them are in conftest.py)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

import httpx
from generator.mock import MockServer, mock_server
from starlette.applications import Starlette

__all__ = ["FakeClock", "MockClient", "Received", "Receiver", "drain"]


class MockClient:
    """A synchronous client for an app, in process: httpx.AsyncClient over ASGITransport, run on
    its own event loop (starlette's TestClient is deprecated with httpx)."""

    def __init__(self, app: Starlette, base_url: str = "http://mock.test") -> None:
        self.app = app
        self._runner = asyncio.Runner()
        self._client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=base_url)
        self.headers = self._client.headers

    @property
    def server(self) -> MockServer:
        return mock_server(self.app)

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        return self._runner.run(self._client.request(method, url, **kwargs))

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", url, **kwargs)

    def put(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("PUT", url, **kwargs)

    def patch(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("PATCH", url, **kwargs)

    def delete(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("DELETE", url, **kwargs)

    def close(self) -> None:
        self.server.behaviour.ctx.webhooks.close()
        self._runner.run(self._client.aclose())
        self._runner.close()


class FakeClock:
    """Time that moves only when a test says so."""

    def __init__(self, start: float = 1_760_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """A real HTTP server on 127.0.0.1 recording what it receives; answers `statuses` in turn
    (then 200)."""

    url: str
    requests: list[Received] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)


def drain(client: MockClient) -> None:
    """Wait until the app's pending webhook deliveries have finished."""
    assert client.server.behaviour.ctx.webhooks.drain(60), "webhook deliveries still pending after 60 s"
