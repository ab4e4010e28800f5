"""Fixtures for the mock server tests: apps that check every response against the spec, a fake
clock, and a real HTTP receiver for webhook deliveries."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from generator.mock import MockOptions, create_app

from tests.mock.helpers import FakeClock, MockClient, Received, Receiver


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


MakeClient = Callable[..., MockClient]


@pytest.fixture
def make_client() -> Iterator[MakeClient]:
    """`make_client("volue", options=..., clock=...)`: a client of a fresh app whose every
    response is checked against the spec (an undocumented one raises MockContractError)."""
    clients: list[MockClient] = []

    def make(vendor: str, **kwargs: Any) -> MockClient:
        kwargs.setdefault("check_responses", True)
        kwargs.setdefault("options", MockOptions(webhook_retry_delay=0.01, webhook_timeout=2.0))
        client = MockClient(create_app(vendor, **kwargs))
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver(url="")

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            state.requests.append(Received("POST", self.path, {k: v for k, v in self.headers.items()}, body))
            status = state.statuses.pop(0) if state.statuses else 200
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
            pass

    class Server(http.server.ThreadingHTTPServer):
        request_queue_size = 256  # a burst of deliveries must not overflow the listen backlog (default 5)

    server = Server(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()
    thread.join(5)
