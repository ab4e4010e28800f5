"""A bounded HTTP load: `total` requests over `concurrency` keep-alive connections to 127.0.0.1,
cycling through a fixed list of GETs; each request's latency recorded. Two clients: a small raw
HTTP/1.1 client on asyncio streams (little overhead per request, so the server is what is
measured) and httpx (to show how much a full client library costs on its own)."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from bench.stats import percentile

__all__ = ["LoadResult", "ResponseHead", "build_request", "parse_head", "run_load"]


@dataclass(frozen=True)
class ResponseHead:
    status: int
    content_length: int | None
    chunked: bool
    close: bool


@dataclass
class LoadResult:
    seconds: float
    client_cpu_seconds: float
    latencies: list[float] = field(default_factory=list)  # seconds, one per completed request
    statuses: Counter[int] = field(default_factory=Counter)
    errors: int = 0  # connection-level failures (no HTTP response)

    @property
    def completed(self) -> int:
        return len(self.latencies)

    @property
    def rps(self) -> float:
        return self.completed / self.seconds if self.seconds > 0 else 0.0

    def latency_ms(self, q: float) -> float:
        return percentile(self.latencies, q) * 1000 if self.latencies else float("nan")

    @property
    def non_2xx(self) -> int:
        return sum(n for status, n in self.statuses.items() if not 200 <= status < 300)


def build_request(host: str, port: int, path: str, headers: Mapping[str, str]) -> bytes:
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}:{port}", "Accept: application/json", *(f"{k}: {v}" for k, v in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def parse_head(head: bytes) -> ResponseHead:
    """Status line and the headers that decide how to read the body (HTTP/1.1 keep-alive)."""
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/"):
        raise ValueError(f"not an HTTP response: {lines[0][:80]!r}")
    length: int | None = None
    chunked = False
    close = parts[0] == "HTTP/1.0"
    for line in lines[1:]:
        name, _, value = line.partition(":")
        name, value = name.strip().lower(), value.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "transfer-encoding":
            chunked = "chunked" in value
        elif name == "connection" and ("close" in value or "keep-alive" in value):
            close = "close" in value
    return ResponseHead(int(parts[1]), length, chunked, close)


async def _read_response(reader: asyncio.StreamReader) -> ResponseHead:
    head = parse_head(await reader.readuntil(b"\r\n\r\n"))
    if head.chunked:
        while True:
            size = int((await reader.readline()).split(b";")[0].strip(), 16)
            if size == 0:
                while (await reader.readline()) not in (b"\r\n", b""):
                    pass
                break
            await reader.readexactly(size + 2)
    elif head.content_length is not None:
        await reader.readexactly(head.content_length)
    elif head.status not in (204, 304):
        await reader.read()  # body delimited by the connection closing
        return ResponseHead(head.status, None, False, True)
    return head


class _Plan:
    """Hands out request indexes until `total` have been started (shared by the workers)."""

    def __init__(self, total: int) -> None:
        self.total, self.next = total, 0

    def take(self) -> int | None:
        if self.next >= self.total:
            return None
        self.next += 1
        return self.next - 1


async def _raw_worker(host: str, port: int, requests: Sequence[bytes], plan: _Plan, result: LoadResult) -> None:
    conn: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
    try:
        while (index := plan.take()) is not None:
            try:
                if conn is None:
                    conn = await asyncio.open_connection(host, port)
                reader, writer = conn
                started = time.perf_counter()
                writer.write(requests[index % len(requests)])
                head = await _read_response(reader)
                result.latencies.append(time.perf_counter() - started)
                result.statuses[head.status] += 1
                if head.close:
                    writer.close()
                    conn = None
            except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
                result.errors += 1
                if conn is not None:
                    conn[1].close()
                conn = None
    finally:
        if conn is not None:
            conn[1].close()


async def _httpx_worker(client: object, paths: Sequence[str], headers: Mapping[str, str], plan: _Plan, result: LoadResult) -> None:
    import httpx

    assert isinstance(client, httpx.AsyncClient)
    while (index := plan.take()) is not None:
        started = time.perf_counter()
        try:
            response = await client.get(paths[index % len(paths)], headers=dict(headers))
        except httpx.HTTPError:
            result.errors += 1
            continue
        result.latencies.append(time.perf_counter() - started)
        result.statuses[response.status_code] += 1


async def _load(client: str, port: int, paths: Sequence[str], headers: Mapping[str, str], total: int, concurrency: int) -> LoadResult:
    host = "127.0.0.1"  # loopback only, by design
    result = LoadResult(0.0, 0.0)
    plan = _Plan(total)
    cpu, started = time.process_time(), time.perf_counter()
    if client == "raw":
        requests = [build_request(host, port, p, headers) for p in paths]
        await asyncio.gather(*(_raw_worker(host, port, requests, plan, result) for _ in range(concurrency)))
    else:
        import httpx

        limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
        async with httpx.AsyncClient(base_url=f"http://{host}:{port}", limits=limits, timeout=60) as http:
            await asyncio.gather(*(_httpx_worker(http, paths, headers, plan, result) for _ in range(concurrency)))
    result.seconds = time.perf_counter() - started
    result.client_cpu_seconds = time.process_time() - cpu
    return result


def run_load(client: str, port: int, paths: Sequence[str], headers: Mapping[str, str], total: int, concurrency: int) -> LoadResult:
    """`total` GETs of `paths` (round robin) with `concurrency` connections; `client` is raw | httpx."""
    if client not in ("raw", "httpx"):
        raise ValueError(f"unknown client {client!r}")
    return asyncio.run(_load(client, port, paths, headers, total, concurrency))
