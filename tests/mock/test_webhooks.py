"""Webhook deliveries: target policy at registration and delivery, one shared client, bounded memory.

The load test runs the mock as its own process (`connectorgen mock volue`), so the RSS read from
/proc is the server's alone, registers 1,000 webhooks pointing at a counting receiver in this
process and emits a burst of price-delta events; every delivery must arrive while the server stays
under 300 MB.
"""

from __future__ import annotations

import asyncio
import ipaddress
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from generator.mock import MockOptions
from generator.mock.webhooks import WebhookPolicy, WebhookSender, url_problem

from tests.mock.conftest import MakeClient
from tests.mock.helpers import MockClient, Receiver, drain

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/hook",
        "http://127.1/hook",
        "http://0x7f000001/hook",
        "http://2130706433/hook",
        "http://localhost:8080/x",
        "https://[::1]:8443/x",
    ],
)
def test_loopback_forms_are_accepted(url: str) -> None:
    assert url_problem(url) is None


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("file:///etc/passwd", "scheme 'file'"),
        ("gopher://127.0.0.1:70/_x", "scheme 'gopher'"),
        ("ftp://127.0.0.1/x", "scheme 'ftp'"),
        ("urn:not-http", "scheme 'urn'"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://10.0.0.8/hook", "private"),
        ("http://192.168.1.1/hook", "private"),
        ("http://[fe80::1]/hook", "link-local"),
        ("http://[::ffff:169.254.169.254]/", "link-local"),
        ("http://0.0.0.0/", "private or reserved"),
        ("http:///nohost", "no host"),
        ("http://127.0.0.1:99999/", "malformed"),
    ],
)
def test_other_targets_are_refused_with_a_reason(url: str, reason: str) -> None:
    problem = url_problem(url)
    assert problem is not None and reason in problem


def test_public_and_named_hosts_register_but_deliver_only_when_allowed() -> None:
    assert url_problem("http://8.8.8.8/") is None and url_problem("https://hooks.example.com/x") is None
    assert url_problem("http://metadata.google.internal/") is not None
    for policy, refused in ((WebhookPolicy(), True), (WebhookPolicy(allow_remote=True), False)):
        assert (WebhookPolicy.address_problem(policy, ipaddress.ip_address("8.8.8.8")) is not None) is refused


def test_policy_options_allow_more() -> None:
    assert url_problem("http://169.254.169.254/", WebhookPolicy(allow_remote=True)) is not None
    assert url_problem("http://169.254.169.254/", WebhookPolicy(allow_private=True)) is None
    assert url_problem("file:///etc/passwd", WebhookPolicy(allow_remote=True, allow_private=True)) is not None


@pytest.mark.parametrize("url", ["file:///etc/passwd", "gopher://127.0.0.1:70/_x", "http://169.254.169.254/", "http://10.1.2.3/x"])
def test_volue_registration_refuses_unsafe_urls(make_client: MakeClient, url: str) -> None:
    volue = make_client("volue")
    form = {"grant_type": "client_credentials", "client_id": "mock-client", "client_secret": "mock-client-secret"}
    volue.headers["Authorization"] = "Bearer " + volue.post("/connect/token", data=form).json()["access_token"]
    body = {"url": url, "webhookSecret": "s", "operations": ["Create"], "eventTypes": ["PriceDelta"]}
    answer = volue.post("/webhooks", json=body)
    assert answer.status_code == 400, answer.text
    assert "url" in answer.text
    assert volue.get("/webhooks").json() == []


def test_eevion_callback_url_is_checked(make_client: MakeClient) -> None:
    eevion = make_client("eevion", rate_limit=False)
    eevion.headers["Authorization"] = "Bearer mock-api-key"
    body = {"stations": ["x"], "action": "reset", "webhookOnJobFinished": "gopher://127.0.0.1/"}
    answer = eevion.post("/station/manage", json=body)
    assert answer.status_code == 400 and "webhookOnJobFinished" in answer.text


def test_delivery_rechecks_the_target() -> None:
    sender = WebhookSender(retries=0, policy=WebhookPolicy())
    delivery = sender.send("http://169.254.169.254/", b"{}", {})
    assert sender.drain(10)
    assert delivery.done and not delivery.delivered and delivery.attempts == ["refused-target"]


def test_a_hanging_resolver_delays_no_other_delivery(monkeypatch: pytest.MonkeyPatch) -> None:
    """CI once lost a delivery to 169.254.169.254 behind lookups of fuzzed host names that hung in
    the resolver: numeric hosts are checked without a lookup, and a lookup is bounded."""
    release = threading.Event()
    real = socket.getaddrinfo

    def getaddrinfo(host: object, *args: object, **kwargs: object) -> object:
        if host == "hangs.example" and not (kwargs.get("flags", 0) & socket.AI_NUMERICHOST):  # type: ignore[operator]
            release.wait(60)
            raise socket.gaierror(socket.EAI_AGAIN, "temporary failure in name resolution")
        return real(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    try:
        slow = WebhookSender(retries=0, timeout=1.0, policy=WebhookPolicy())
        stuck = [slow.send("http://hangs.example/", b"{}", {}) for _ in range(20)]  # fewer than the workers
        checked = WebhookSender(retries=0, policy=WebhookPolicy())
        refused = checked.send("http://169.254.169.254/", b"{}", {})
        assert checked.drain(10), "a numeric target waited behind host-name lookups"
        assert refused.attempts == ["refused-target"]
        assert slow.drain(20), "a hung lookup was not bounded by the delivery timeout"
        assert {tuple(d.attempts) for d in stuck} == {("unresolved-host",)}
    finally:
        release.set()


def test_deliveries_share_one_client(make_client: MakeClient, receiver: Receiver) -> None:
    volue: MockClient = make_client("volue", options=MockOptions(webhook_retry_delay=0.01))
    sender = volue.server.behaviour.ctx.webhooks
    for _ in range(20):
        sender.send(receiver.url + "/x", b"{}", {})
    drain(volue)
    from generator.mock import webhooks

    background = webhooks._BackgroundLoop.get()
    clients = [c for c in (background.client,) if isinstance(c, httpx.AsyncClient)]
    attempts = [d.attempts for d in sender.deliveries if not d.delivered]
    assert len(clients) == 1 and len(receiver.requests) == 20 and sender.sent == 20, f"undelivered: {attempts[:5]}"


# --- 1,000 webhooks and a burst of events ------------------------------------------------------------


class _Counter:
    """An HTTP/1.1 keep-alive receiver on its own event loop that answers 204 and counts POSTs."""

    def __init__(self) -> None:
        self.count = 0
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.port = 0
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        assert self.ready.wait(10)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        server = self.loop.run_until_complete(asyncio.start_server(self._handle, "127.0.0.1", 0, backlog=1024))
        self.port = server.sockets[0].getsockname()[1]
        self.server = server
        self.ready.set()
        self.loop.run_forever()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":", 1)[1])
                await reader.readexactly(length)
                self.count += 1
                writer.write(b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n")
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()

    async def _shutdown(self) -> None:
        self.server.close()
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self._shutdown(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


@pytest.fixture
def volue_process() -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "mock", "volue", "--port", str(port)], cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if httpx.get(base + "/_mock/describe", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.05)  # polling the server's readiness, not waiting for a result
    else:
        process.kill()
        raise AssertionError(f"the mock did not start: {process.communicate()[1].decode()[-2000:]}")
    try:
        yield process, base
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


def test_thousand_webhooks_and_a_burst_of_events_stay_small(volue_process: tuple[subprocess.Popen[bytes], str]) -> None:
    process, base = volue_process
    counter = _Counter()
    try:
        with httpx.Client(base_url=base, timeout=30) as client:
            creds = client.get("/_mock/describe").json()["credentials"]
            form = {"grant_type": "client_credentials", **creds}
            client.headers["Authorization"] = "Bearer " + client.post("/connect/token", data=form).json()["access_token"]
            body = {"webhookSecret": "s", "operations": ["Create"], "eventTypes": ["PriceDelta"]}
            for i in range(1000):
                answer = client.post("/webhooks", json={**body, "url": f"http://127.0.0.1:{counter.port}/hook/{i}"})
                assert answer.status_code == 201
            start_rss = _rss_mb(process.pid)
            events = 5
            for _ in range(events):
                emitted = client.post("/_mock/events/price-delta", json={"priceArea": "NO1", "operation": "Create"})
                assert emitted.status_code == 201 and emitted.json()["deliveries"] == 1000
            expected = events * 1000
            peak = start_rss
            deadline = time.monotonic() + 240
            while counter.count < expected and time.monotonic() < deadline and process.poll() is None:
                peak = max(peak, _rss_mb(process.pid))
                time.sleep(0.05)  # sampling RSS while the deliveries arrive (the condition is the count)
            peak = max(peak, _rss_mb(process.pid))
        assert counter.count == expected, f"{counter.count} of {expected} deliveries arrived"
        assert peak < 300, f"the mock reached {peak:.0f} MB"
        print(f"1,000 webhooks x {events} events: {expected} delivered, RSS {start_rss:.0f} MB before, {peak:.0f} MB peak")
    finally:
        counter.stop()


def test_delivery_url_fields_come_from_the_spec() -> None:
    from generator.mock.limits import delivery_url_fields

    from tests.conftest import loaded_spec

    found = {}
    for vendor in ("volue", "eevion", "greenflux", "vev-iq"):
        api = loaded_spec(vendor).api
        for op in api.operations:
            fields = delivery_url_fields(api, op)
            if fields:
                found[op.operation_id] = fields
    assert found["CreateWebhook"] == ("/url",) and found["UpdateWebhook"] == ("/url",)
    assert found["ManageStations"] == ("/webhookOnJobFinished",)
    assert found["ListOrStartSessions"] == ("/webhookOnSessionComplete",)
    assert len(found) == 4, found  # no other body field of the four specs takes a delivery URL
