"""The mocks under abuse: huge and endless bodies, deep nesting, many clients, HEAD, control endpoints.

Every test serves a real mock with uvicorn on a free 127.0.0.1 port (BackgroundServer) and speaks
HTTP to it, so the limits are checked where they apply: before the body is read and before any
authentication work.
"""

from __future__ import annotations

import asyncio
import base64
from collections import Counter
from collections.abc import Iterator

import httpx
import pytest
from generator.mock import create_app
from generator.mock.limits import Limits, LimitsMiddleware, header_timeout_protocol, json_depth_exceeds
from generator.mock.serve import BackgroundServer
from starlette.responses import PlainTextResponse
from starlette.types import Receive, Scope, Send

from tests.mock.rawhttp import RawConnection

MB = 1024 * 1024


@pytest.fixture(scope="module")
def volue() -> Iterator[str]:
    with BackgroundServer(create_app("volue")) as server:
        yield server.base_url


def _token(base: str) -> str:
    form = {"grant_type": "client_credentials", "client_id": "mock-client", "client_secret": "mock-client-secret"}
    return str(httpx.post(base + "/connect/token", data=form).json()["access_token"])


async def _open(base: str) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    host, port = base.removeprefix("http://").split(":")
    return await asyncio.open_connection(host, int(port))


async def _status(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 60)
    return int(head.split(b" ", 2)[1]), head


def test_a_200_mb_body_with_a_length_gets_413_before_it_is_sent(volue: str) -> None:
    async def run() -> tuple[int, int]:
        reader, writer = await _open(volue)
        writer.write(
            b"POST /users HTTP/1.1\r\nHost: mock\r\nContent-Type: application/json\r\n"
            + f"Content-Length: {200 * MB}\r\n\r\n".encode()
        )
        await writer.drain()
        status, _ = await _status(reader)  # nothing of the body was sent
        writer.close()
        return status, 0

    status, sent = asyncio.run(run())
    assert status == 413 and sent == 0


def test_a_200_mb_chunked_body_gets_413_after_the_limit(volue: str) -> None:
    """The body streams from a generator (64 KiB chunks, never 200 MB in memory); the answer comes
    once the server has read a little more than its 5 MiB limit. The server then lingers (reads and
    drops the rest for a while before it closes), so the answer is not lost to a connection reset."""

    def chunks() -> Iterator[bytes]:
        piece = b" " * (64 * 1024)
        for _ in range(200 * 16):
            yield piece

    async def run() -> tuple[int, int]:
        reader, writer = await _open(volue)
        writer.write(b"POST /users HTTP/1.1\r\nHost: mock\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
        answer = asyncio.ensure_future(_status(reader))
        sent = 0
        try:
            for chunk in chunks():
                if answer.done():
                    break
                writer.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                await writer.drain()
                await asyncio.sleep(0)  # let the reader see an answer that has arrived
                sent += len(chunk)
        except ConnectionError:
            pass  # the server closed the connection after answering
        status, _ = await answer
        writer.close()
        return status, sent

    status, sent = asyncio.run(run())
    assert status == 413
    assert sent < 32 * MB, f"{sent / MB:.0f} MB were sent before the answer"  # 8-9 MB measured (5 MiB + socket buffers)


@pytest.mark.parametrize("authorized", [True, False])
def test_100000_nested_brackets_get_400_before_authentication(volue: str, authorized: bool) -> None:
    body = b"[" * 100_000 + b"]" * 100_000
    headers = {"Content-Type": "application/json", **({"Authorization": "Bearer " + _token(volue)} if authorized else {})}
    answer = httpx.post(volue + "/users", content=body, headers=headers, timeout=60)
    assert answer.status_code == 400
    assert "nested deeper" in answer.text
    objects = b'{"a":' * 100_000 + b"1" + b"}" * 100_000
    assert httpx.post(volue + "/users", content=objects, headers=headers, timeout=60).status_code == 400


def test_depth_scan_skips_strings_and_counts_only_nesting() -> None:
    assert not json_depth_exceeds(b'{"a": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}', 3)
    assert not json_depth_exceeds(b"[" + b"[1]," * 1000 + b"[1]]", 3)
    assert json_depth_exceeds(b'[[[["x\\"["]]]]', 3)
    assert not json_depth_exceeds(b'[[["x\\"["]]]', 3)


def test_every_vendor_answers_head_like_get() -> None:
    seen: set[int] = set()
    cases = {"volue": "/users", "greenflux": "/api/1.0/locations", "eevion": "/site", "vev-iq": "/api/sites"}
    for vendor, path in cases.items():
        with BackgroundServer(create_app(vendor, rate_limit=False)) as server:
            own = {"volue": "Bearer " + _token(server.base_url) if vendor == "volue" else "", "eevion": "Bearer mock-api-key", "greenflux": "Token mock-token"}
            for headers in ({}, {"Authorization": "Bearer nope"}, *([{"Authorization": own[vendor]}] if own.get(vendor) else [])):
                get = httpx.get(server.base_url + path, headers=headers)
                head = httpx.head(server.base_url + path, headers=headers)
                assert head.status_code == get.status_code and get.status_code in (200, 401), (vendor, path, get.status_code)
                assert head.content == b"" and head.headers.get("content-type") == get.headers.get("content-type")
                assert head.headers.get("content-length") == get.headers.get("content-length")
                seen.add(get.status_code)
    assert seen == {200, 401}


def test_control_endpoints_need_the_mocks_credentials(volue: str) -> None:
    url = volue + "/_mock/events/price-delta"
    assert httpx.post(url, json={"priceArea": "NO1"}).status_code == 401
    assert httpx.post(url, json={"priceArea": "NO1"}, auth=("mock-client", "wrong")).status_code == 401
    assert httpx.post(url, json={"priceArea": "NO1"}, headers={"Authorization": "Bearer forged"}).status_code == 401
    assert httpx.post(url, json={"priceArea": "NO1"}, auth=("mock-client", "mock-client-secret")).status_code == 201
    assert httpx.post(url, json={"priceArea": "NO1"}, headers={"Authorization": "Bearer " + _token(volue)}).status_code == 201
    assert httpx.get(volue + "/_mock/describe").status_code == 200  # reading stays open


def test_300_concurrent_clients_get_no_server_error(volue: str) -> None:
    token = _token(volue)
    good = {"Authorization": f"Bearer {token}"}
    bad_basic = "Basic " + base64.b64encode(b"\xff\xfe:x").decode()

    async def client(n: int) -> list[int]:
        connection = RawConnection(volue)
        statuses = []
        try:
            for request in (
                ("GET", "/users", good, None),
                ("POST", "/users", good, {"userId": f"load-{n}", "name": "Load"}),
                ("GET", f"/users/load-{n}", good, None),
                ("GET", "/users", {"Authorization": bad_basic}, None),
                ("POST", "/users", good, [[[[[[[]]]]]]]),
                ("DELETE", f"/users/load-{n}", good, None),
                ("GET", "/users/%ff%fe", good, None),
            ):
                method, path, headers, body = request
                status, _ = await connection.request(method, path, headers=headers, json_body=body)
                statuses.append(status)
        finally:
            await connection.close()
        return statuses

    async def run() -> Counter[int]:
        results = await asyncio.gather(*(client(n) for n in range(300)))
        return Counter(status for statuses in results for status in statuses)

    counts = asyncio.run(run())
    assert sum(counts.values()) == 300 * 7
    assert not [status for status in counts if status >= 500], counts
    assert counts[200] >= 300 and counts[401] >= 300


async def _slow_app(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    await PlainTextResponse("read")(scope, receive, send)


def test_a_body_that_never_arrives_gets_408() -> None:
    app = LimitsMiddleware(_slow_app, limits=Limits(body_timeout=0.2))
    with BackgroundServer(app) as server:  # type: ignore[arg-type]

        async def run() -> int:
            reader, writer = await _open(server.base_url)
            writer.write(b"POST /x HTTP/1.1\r\nHost: mock\r\nContent-Length: 100\r\n\r\n{")
            await writer.drain()
            status, _ = await _status(reader)
            writer.close()
            return status

        assert asyncio.run(run()) == 408


def test_a_bad_content_length_is_a_4xx(volue: str) -> None:
    async def run() -> int:
        reader, writer = await _open(volue)
        writer.write(b"POST /users HTTP/1.1\r\nHost: mock\r\nContent-Length: -5\r\n\r\n")
        await writer.drain()
        status, _ = await _status(reader)
        writer.close()
        return status

    assert 400 <= asyncio.run(run()) < 500


def test_headers_that_never_finish_close_the_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    protocol = header_timeout_protocol()
    monkeypatch.setattr(protocol, "header_timeout", 0.3)
    with BackgroundServer(create_app("greenflux")) as server:

        async def run() -> tuple[bytes, int]:
            reader, writer = await _open(server.base_url)
            writer.write(b"GET /api/1.0/locations HTTP/1.1\r\nHost: mock\r\nX-Slow: ")  # never ends the headers
            await writer.drain()
            left = await asyncio.wait_for(reader.read(), 30)  # b"" once the server closes
            writer.close()
            # A complete request on a fresh connection is served; a slow second request on the
            # same kept-alive connection is cut off like the first.
            reader, writer = await _open(server.base_url)
            writer.write(b"GET /api/1.0/locations HTTP/1.1\r\nHost: mock\r\nAuthorization: Token mock-token\r\n\r\n")
            await writer.drain()
            status, head = await _status(reader)
            length = int(next(line.split(b":")[1] for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")))
            await reader.readexactly(length)
            writer.write(b"GET /api/1.0/locations HTTP/1.1\r\nHost: mo")
            await writer.drain()
            second = await asyncio.wait_for(reader.read(), 30)
            writer.close()
            return left + second, status

        left, status = asyncio.run(run())
    assert left == b"" and status == 200
