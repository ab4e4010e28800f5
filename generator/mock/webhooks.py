"""Outgoing webhook deliveries: HTTP POSTs in the background, retried with exponential back-off.

Deliveries run on one process-wide event loop in a daemon thread, so they outlive the request that
caused them whatever runs the app (uvicorn, an ASGI test transport, a sync test client). Every
delivery is recorded on its app's `WebhookSender` for inspection, and `wait()` lets tests await
the pending ones instead of sleeping.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import httpx

__all__ = ["Delivery", "WebhookSender"]


class _BackgroundLoop:
    _instance: _BackgroundLoop | None = None
    _lock = threading.Lock()

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        thread = threading.Thread(target=self.loop.run_forever, name="connectorgen-mock-webhooks", daemon=True)
        thread.start()

    @classmethod
    def get(cls) -> asyncio.AbstractEventLoop:
        with cls._lock:
            if cls._instance is None:
                cls._instance = cls()
            return cls._instance.loop


@dataclass
class Delivery:
    """One event to deliver. `attempts` holds each try's HTTP status or error name."""

    url: str
    headers: dict[str, str]
    body: bytes = b""
    attempts: list[int | str] = field(default_factory=list)
    delivered: bool = False
    done: bool = False


class WebhookSender:
    def __init__(self, *, retries: int = 3, base_delay: float = 1.0, timeout: float = 5.0) -> None:
        self.retries = retries
        self.base_delay = base_delay
        self.timeout = timeout
        self.deliveries: list[Delivery] = []
        self._pending: set[concurrent.futures.Future[None]] = set()
        self._lock = threading.Lock()

    def send(self, url: str, body: bytes, headers: Mapping[str, str]) -> Delivery:
        """Deliver `body` now (in the background)."""
        return self.send_later(0.0, url, lambda: body, headers)

    def send_later(
        self,
        delay: float,
        url: str,
        body: Callable[[], bytes],
        headers: Mapping[str, str] | Callable[[bytes], Mapping[str, str]],
    ) -> Delivery:
        """Deliver after `delay` seconds; `body` is built when due, `headers` may be derived from it."""
        delivery = Delivery(url, {})
        with self._lock:
            self.deliveries.append(delivery)
        future = asyncio.run_coroutine_threadsafe(self._run(delay, delivery, body, headers), _BackgroundLoop.get())
        with self._lock:
            self._pending.add(future)
        future.add_done_callback(self._forget)
        return delivery

    def _forget(self, future: concurrent.futures.Future[None]) -> None:
        with self._lock:
            self._pending.discard(future)

    async def _run(
        self,
        delay: float,
        delivery: Delivery,
        body: Callable[[], bytes],
        headers: Mapping[str, str] | Callable[[bytes], Mapping[str, str]],
    ) -> None:
        try:
            if delay > 0:
                await asyncio.sleep(delay)
            delivery.body = body()
            delivery.headers = {"Content-Type": "application/json", **(headers(delivery.body) if callable(headers) else headers)}
            async with httpx.AsyncClient(timeout=self.timeout, trust_env=False) as client:
                for attempt in range(self.retries + 1):
                    if attempt:
                        await asyncio.sleep(self.base_delay * 2 ** (attempt - 1))
                    try:
                        answer = await client.post(delivery.url, content=delivery.body, headers=delivery.headers)
                    except Exception as exc:  # unreachable host, bad URL: a failed attempt, never a crash
                        delivery.attempts.append(type(exc).__name__)
                        continue
                    delivery.attempts.append(answer.status_code)
                    if 200 <= answer.status_code < 300:
                        delivery.delivered = True
                        break
        finally:
            delivery.done = True

    async def wait(self, timeout: float = 30.0) -> None:
        """Wait until every delivery scheduled so far has finished (its retries included)."""
        with self._lock:
            pending = list(self._pending)
        if pending:
            await asyncio.wait_for(asyncio.gather(*(asyncio.wrap_future(f) for f in pending), return_exceptions=True), timeout)

    def drain(self, timeout: float = 30.0) -> None:
        """`wait()` for synchronous callers (tests using starlette's TestClient)."""
        with self._lock:
            pending = list(self._pending)
        concurrent.futures.wait(pending, timeout)

    def close(self) -> None:
        """Drop deliveries still pending (the app is shutting down)."""
        with self._lock:
            pending = list(self._pending)
        for future in pending:
            future.cancel()
