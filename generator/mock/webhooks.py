"""Outgoing webhook and callback deliveries: HTTP POSTs in the background, retried with back-off.

Every delivery goes through ONE process-wide `httpx.AsyncClient` (bounded connection pool) on one
event loop in a daemon thread, so deliveries outlive the request that caused them whatever runs the
app (uvicorn, an ASGI test transport, a sync test client), and a thousand webhooks cost a thousand
small records, not a thousand clients. `send()` never blocks the caller: it puts the delivery on a
bounded queue served by a fixed number of workers; when the queue is full the delivery is recorded
as dropped (`attempts == ["queue-full"]`). A retry is scheduled on the loop's timer, so a failing
receiver does not hold a worker during its back-off.

Targets (`WebhookPolicy`): only `http`/`https` URLs; by default only loopback addresses, checked
after resolution (`127.1`, `0x7f000001` and `2130706433` all resolve to 127.0.0.1); with
`allow_remote` public addresses too; private, link-local (the cloud metadata address
169.254.169.254), multicast, reserved and unspecified ones only with `allow_private`.
The policy comes from `CONNECTORGEN_MOCK_WEBHOOK_TARGETS` (`loopback`, `public`, `any`) unless
given. `url_problem(url)` answers at registration (a 4xx with the reason: another scheme, or a numeric
private / link-local / metadata address), and every delivery resolves its host and checks each
address against the whole policy before it is sent (`attempts == ["refused-target"]` otherwise).
A numeric host is checked without a lookup; a host name is looked up in a thread pool as wide as
the workers, bounded by the delivery timeout (`"unresolved-host"`: a failed attempt, retried), so a
resolver that hangs on one name never delays the deliveries to others.

The most recent deliveries are kept on their `WebhookSender` for inspection (`deliveries`, bounded);
`wait()` / `drain()` let tests await the pending ones instead of sleeping.
"""

from __future__ import annotations

import asyncio
import collections
import concurrent.futures
import ipaddress
import os
import socket
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

__all__ = ["Delivery", "WebhookPolicy", "WebhookSender", "url_problem"]

QUEUE_SIZE = 20_000
WORKERS = 32
KEEP_DELIVERIES = 2_000
_MAX_CONNECTIONS = 32

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class WebhookPolicy:
    """Which delivery targets are allowed (default: loopback only)."""

    allow_remote: bool = False  # public addresses
    allow_private: bool = False  # private, link-local (metadata), reserved ranges as well

    @classmethod
    def from_env(cls) -> WebhookPolicy:
        """`CONNECTORGEN_MOCK_WEBHOOK_TARGETS`: `loopback` (default), `public` (also public
        addresses) or `any` (also private and link-local ones)."""
        value = os.environ.get("CONNECTORGEN_MOCK_WEBHOOK_TARGETS", "loopback").strip().lower()
        return cls(allow_remote=value in ("public", "any"), allow_private=value == "any")

    def address_problem(self, address: Address) -> str | None:
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        if address.is_loopback:
            return None
        if address.is_link_local or address.is_private or address.is_reserved or address.is_multicast or address.is_unspecified:
            if self.allow_private:
                return None
            kind = "link-local (cloud metadata)" if address.is_link_local else "private or reserved"
            return f"{address} is a {kind} address; the mock delivers to loopback only"
        if self.allow_remote:
            return None
        return f"{address} is not a loopback address; the mock delivers to loopback only unless remote targets are allowed"


def _split(url: str) -> tuple[str, int] | str:
    """(host, port) of an http(s) URL, or the reason it is not one."""
    if not isinstance(url, str) or not url:
        return "the URL is empty"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        return f"the URL is malformed ({exc})"
    if parts.scheme.lower() not in ("http", "https"):
        return f"the URL scheme {parts.scheme or '(none)'!r} is not allowed; use http or https"
    host = parts.hostname
    if not host:
        return "the URL has no host"
    return host, port or (443 if parts.scheme.lower() == "https" else 80)


_UNRESOLVED = "the host name did not resolve"

_METADATA_HOSTS = frozenset({"metadata", "metadata.google.internal", "metadata.azure.com", "instance-data"})


def url_problem(url: str, policy: WebhookPolicy | None = None) -> str | None:
    """None when `url` may be registered as a delivery target; else the reason it may not.

    Registration refuses what can never be delivered: another scheme than http/https, and a host
    that is (in any numeric form `inet_aton` accepts) a private, link-local (cloud metadata),
    reserved or multicast address unless the policy allows those. Host names are not looked up
    here (a request never waits on DNS); every delivery resolves its host and checks each address
    against the whole policy (loopback only by default)."""
    policy = policy or WebhookPolicy()
    split = _split(url)
    if isinstance(split, str):
        return split
    host, port = split
    if host.lower().rstrip(".") in _METADATA_HOSTS and not policy.allow_private:
        return f"{host} is a cloud metadata host"
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP, flags=socket.AI_NUMERICHOST)
    except (OSError, UnicodeError, ValueError):
        return None  # a host name: checked after resolution, at delivery
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        problem = WebhookPolicy(allow_remote=True, allow_private=policy.allow_private).address_problem(address)
        if problem:
            return problem
    return None


class _BackgroundLoop:
    """The process-wide delivery loop, its one HTTP client, its bounded queue and its workers."""

    _instance: _BackgroundLoop | None = None
    _lock = threading.Lock()

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.client: httpx.AsyncClient | None = None
        self.queue: asyncio.Queue[tuple[WebhookSender, Delivery, float]] | None = None
        thread = threading.Thread(target=self._run, name="connectorgen-mock-webhooks", daemon=True)
        thread.start()
        self.ready.wait(10)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_until_complete(self._start())
        self.ready.set()
        self.loop.run_forever()

    async def _start(self) -> None:
        # Host-name lookups run in threads; a pool of their own, as wide as the workers, so a
        # resolver that hangs on some names never holds back another delivery's lookup.
        self.loop.set_default_executor(
            concurrent.futures.ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="connectorgen-mock-resolve")
        )
        limits = httpx.Limits(max_connections=_MAX_CONNECTIONS, max_keepalive_connections=_MAX_CONNECTIONS)
        self.client = httpx.AsyncClient(trust_env=False, limits=limits, follow_redirects=False)
        self.queue = asyncio.Queue(QUEUE_SIZE)
        for _ in range(WORKERS):
            self.loop.create_task(self._worker())

    async def _worker(self) -> None:
        assert self.queue is not None
        while True:
            sender, delivery, timeout = await self.queue.get()
            try:
                await sender._attempt(self, delivery, timeout)
            except Exception as exc:  # never let a worker die
                delivery.attempts.append(type(exc).__name__)
                sender._finish(delivery)
            finally:
                self.queue.task_done()

    def enqueue(self, sender: WebhookSender, delivery: Delivery) -> None:
        """On the loop: queue a due delivery (recorded as dropped when the queue is full)."""
        assert self.queue is not None
        if delivery.cancelled:
            sender._finish(delivery)
            return
        try:
            self.queue.put_nowait((sender, delivery, sender.timeout))
        except asyncio.QueueFull:
            delivery.attempts.append("queue-full")
            sender._finish(delivery)

    @classmethod
    def get(cls) -> _BackgroundLoop:
        with cls._lock:
            if cls._instance is None:
                cls._instance = cls()
            return cls._instance


@dataclass(eq=False)
class Delivery:
    """One event to deliver. `attempts` holds each try's HTTP status or error name."""

    url: str
    headers: dict[str, str]
    body: bytes = b""
    attempts: list[int | str] = field(default_factory=list)
    delivered: bool = False
    done: bool = False
    cancelled: bool = False
    _build: Callable[[], tuple[bytes, dict[str, str]]] | None = field(default=None, repr=False)


class WebhookSender:
    def __init__(
        self,
        *,
        retries: int = 3,
        base_delay: float = 1.0,
        timeout: float = 5.0,
        policy: WebhookPolicy | None = None,
        keep: int = KEEP_DELIVERIES,
    ) -> None:
        self.retries = retries
        self.base_delay = base_delay
        self.timeout = timeout
        self.policy = policy or WebhookPolicy.from_env()
        self.deliveries: collections.deque[Delivery] = collections.deque(maxlen=keep)
        self.sent = 0  # deliveries that got a 2xx
        self._pending: set[Delivery] = set()
        self._cond = threading.Condition()

    def url_problem(self, url: str) -> str | None:
        """Why `url` may not be registered under this sender's policy (None: it may)."""
        return url_problem(url, self.policy)

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

        def build() -> tuple[bytes, dict[str, str]]:
            content = body()
            return content, {"Content-Type": "application/json", **(headers(content) if callable(headers) else headers)}

        delivery = Delivery(url, {}, _build=build)
        with self._cond:
            self.deliveries.append(delivery)
            self._pending.add(delivery)
        background = _BackgroundLoop.get()
        if delay > 0:
            background.loop.call_soon_threadsafe(background.loop.call_later, delay, background.enqueue, self, delivery)
        else:
            background.loop.call_soon_threadsafe(background.enqueue, self, delivery)
        return delivery

    async def _attempt(self, background: _BackgroundLoop, delivery: Delivery, timeout: float) -> None:
        """One try (on the delivery loop); schedules the next one or finishes the delivery."""
        if delivery.cancelled:
            self._finish(delivery)
            return
        if delivery._build is not None:
            delivery.body, delivery.headers = delivery._build()
            delivery._build = None
        problem = await self._resolved_problem(background.loop, delivery.url, timeout)
        if problem is _UNRESOLVED:
            delivery.attempts.append("unresolved-host")
        elif problem is not None:
            delivery.attempts.append("refused-target")
            self._finish(delivery)
            return
        else:
            assert background.client is not None
            try:
                answer = await background.client.post(delivery.url, content=delivery.body, headers=delivery.headers, timeout=timeout)
                await answer.aclose()
                delivery.attempts.append(answer.status_code)
                if 200 <= answer.status_code < 300:
                    delivery.delivered = True
            except Exception as exc:  # unreachable host, timeout: a failed attempt, never a crash
                delivery.attempts.append(type(exc).__name__)
        if delivery.delivered or len(delivery.attempts) > self.retries:
            self._finish(delivery)
            return
        delay = self.base_delay * 2 ** (len(delivery.attempts) - 1)
        background.loop.call_later(delay, background.enqueue, self, delivery)

    async def _resolved_problem(self, loop: asyncio.AbstractEventLoop, url: str, timeout: float) -> str | None:
        """The policy's objection to `url`'s addresses, None when it has none, or `_UNRESOLVED`
        when its host name did not resolve within `timeout` seconds (a failed attempt, retried).
        A numeric host (in any form `inet_aton` accepts) is checked at once, without a lookup."""
        split = _split(url)
        if isinstance(split, str):
            return split
        host, port = split
        try:
            infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP, flags=socket.AI_NUMERICHOST)
        except (OSError, UnicodeError, ValueError):
            try:
                infos = await asyncio.wait_for(loop.getaddrinfo(host, port, proto=socket.IPPROTO_TCP), timeout)
            except (OSError, UnicodeError, ValueError):  # TimeoutError is an OSError
                return _UNRESOLVED
        for info in infos:
            problem = self.policy.address_problem(ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]))
            if problem:
                return problem
        return None

    def _finish(self, delivery: Delivery) -> None:
        delivery.done = True
        delivery._build = None
        with self._cond:
            if delivery.delivered:
                self.sent += 1
            self._pending.discard(delivery)
            self._cond.notify_all()

    @property
    def pending(self) -> int:
        with self._cond:
            return len(self._pending)

    def drain(self, timeout: float = 30.0) -> bool:
        """Wait (blocking) until every delivery scheduled so far has finished, retries included.
        False when `timeout` passed first."""
        deadline = time.monotonic() + timeout
        with self._cond:
            waiting = set(self._pending)
            while waiting & self._pending:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
        return True

    async def wait(self, timeout: float = 30.0) -> None:
        """`drain()` for asynchronous callers (runs in a thread, so the caller's loop keeps going)."""
        if not await asyncio.to_thread(self.drain, timeout):
            raise TimeoutError("webhook deliveries still pending")

    def close(self) -> None:
        """Drop deliveries still pending (the app is shutting down)."""
        with self._cond:
            pending = list(self._pending)
        for delivery in pending:
            delivery.cancelled = True
