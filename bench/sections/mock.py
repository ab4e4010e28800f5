"""mock throughput: `connectorgen mock eevion --no-rate-limit` vs Prism serving the same spec, under
a bounded read-heavy load (GET /site and GET /session/{id} alternating, with the API key), on
127.0.0.1. Both servers run as subprocesses on free ports and are always stopped."""

from __future__ import annotations

import contextlib
import json
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.env import Context, node_tool
from bench.loadgen import LoadResult, run_load
from bench.model import Comparison, Measurement, Section
from bench.sections.tools import command_available, prepare_inputs
from bench.servers import ServerFailed, free_port, http_status, peak_rss_mb, serve
from bench.targets import at_least, below, unavailable

__all__ = ["flow_from_spec", "format_load_progress", "prism_servers", "run_mock"]

VENDOR = "eevion"
OURS, PRISM, PRISM_QUIET = "connectorgen mock", "prism", "prism -v error"
CLIENTS = ("raw", "httpx")
HTTPX_SHARE = 10  # httpx costs 5-10 ms of client CPU per request: it runs 1/10 of the requests
HTTPX_SERVERS = (OURS, PRISM)  # enough to show whether the client or the server is the bottleneck
WARMUP = 500


@dataclass
class Flow:
    paths: list[str]
    credential: str  # name of the credential in `--describe`
    header: str
    prefix: str


def flow_from_spec(spec: dict[str, Any]) -> Flow:
    """GET /site and GET /session/{example id}; the auth header from the spec's x-connectorgen-auth."""
    components = spec.get("components") or {}
    session_id = (components.get("parameters") or {}).get("SessionId", {}).get("example", "668efa48c6e5be053c54c244")
    credential, header, prefix = "apiKey", "Authorization", "Bearer "
    for scheme in (components.get("securitySchemes") or {}).values():
        auth = scheme.get("x-connectorgen-auth") or {}
        if auth.get("kind") == "static":
            credential, prefix = auth.get("credential", credential), auth.get("prefix", "")
            header = scheme.get("name", header) if scheme.get("type") == "apiKey" else "Authorization"
            break
    return Flow(["/site", f"/session/{session_id}"], credential, header, prefix)


def format_load_progress(m: Measurement) -> str:
    head = f"{'mock':<8} {m.subject:<34} {m.tool:<20}"
    rps, p50, p99 = m.stat("rps"), m.stat("p50_ms"), m.stat("p99_ms")
    if m.status != "ok" or not (rps and p50 and p99):
        return f"{head} {m.status}: {m.reason}"
    return f"{head} {rps.n} runs  median {rps.median:8.0f} req/s (min {rps.min:.0f})  p50 {p50.median:6.2f} ms  p99 {p99.median:7.2f} ms"


def _describe(ctx: Context) -> dict[str, Any]:
    done = subprocess.run([*ctx.connectorgen, "mock", VENDOR, "--describe"], capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise ServerFailed(f"`connectorgen mock {VENDOR} --describe` exited {done.returncode}")
    data: dict[str, Any] = json.loads(done.stdout)
    return data


def _record(m: Measurement, result: LoadResult, expected: int) -> None:
    m.add("rps", result.rps)
    m.add("p50_ms", result.latency_ms(50))
    m.add("p99_ms", result.latency_ms(99))
    m.info["non-2xx responses"] = m.info.get("non-2xx responses", 0) + result.non_2xx
    m.info["connection errors"] = m.info.get("connection errors", 0) + result.errors + (expected - result.completed - result.errors)
    m.add("client_cpu_ms", result.client_cpu_seconds * 1000 / max(1, result.completed))


def run_mock(ctx: Context) -> Section:
    section = Section("mock", f"mock throughput: connectorgen mock vs Prism ({VENDOR}, {ctx.concurrency} concurrent clients)")
    spec_path = ctx.repo / "specs" / VENDOR / "openapi.yaml"
    if not spec_path.is_file():
        section.status, section.reason = "skipped", f"{spec_path.relative_to(ctx.repo)} not found"
        section.targets.append(unavailable("mock: throughput vs Prism (raw client)", "≥ 3x", section.reason))
        section.targets.append(unavailable("mock: p99 latency lower than Prism's", "lower", section.reason))
        return section
    import yaml

    flow = flow_from_spec(yaml.safe_load(spec_path.read_text(encoding="utf-8")))
    servers: dict[str, tuple[list[str], dict[str, str]] | str] = {}
    why_ours = command_available(ctx, "mock", needs="--no-rate-limit")
    if why_ours is None:
        try:
            credentials = _describe(ctx).get("credentials", {})
            key = str(credentials.get(flow.credential, ""))
            port = free_port()
            servers[OURS] = ([*ctx.connectorgen, "mock", VENDOR, "--port", str(port), "--host", "127.0.0.1", "--no-rate-limit"], {flow.header: flow.prefix + key})
        except (ServerFailed, ValueError, OSError, subprocess.SubprocessError) as exc:
            servers[OURS] = f"could not describe the mock: {exc}"
    else:
        servers[OURS] = why_ours
    prism = node_tool(ctx.repo, "prism")
    if prism is None:
        servers[PRISM] = "node_modules/.bin/prism not installed (make node)"
    else:
        inputs, _ = prepare_inputs(ctx)
        document = next((i.path for i in inputs if i.name == VENDOR), spec_path)
        # Prism checks only that a bearer token is present; send the same header as to ours
        headers = {flow.header: flow.prefix + "mock-api-key"}
        servers.update(prism_servers(prism, document, headers))
        shown = document.relative_to(ctx.repo) if document.is_relative_to(ctx.repo) else document
        section.notes.append(
            f"Prism serves `{shown}`, once as users start it (logging each request) and once with `-v error`; "
            "the targets compare with the faster of the two."
        )
    _measure(ctx, section, flow, servers)
    return section


def prism_servers(prism: Path, document: Path, headers: dict[str, str]) -> dict[str, tuple[list[str], dict[str, str]]]:
    """Prism serving `document` twice, as users start it (logging each request) and with `-v error`,
    each on a free 127.0.0.1 port, sent `headers`."""
    return {
        tool: ([str(prism), "mock", str(document), "-p", str(free_port()), "-h", "127.0.0.1", *extra], headers)
        for tool, extra in ((PRISM, []), (PRISM_QUIET, ["-v", "error"]))
    }


def _port_of(command: list[str]) -> int:
    flag = "--port" if "--port" in command else "-p"
    return int(command[command.index(flag) + 1])


def _measure(ctx: Context, section: Section, flow: Flow, servers: dict[str, tuple[list[str], dict[str, str]] | str]) -> None:
    counts = {"raw": ctx.requests, "httpx": max(100, ctx.requests // HTTPX_SHARE)}
    subjects = {client: f"{client} client, {counts[client]:,} GETs/run" for client in CLIENTS}
    table = {(client, tool): Measurement(subjects[client], tool)
             for client in CLIENTS for tool in servers if client == "raw" or tool in HTTPX_SERVERS}

    def rows(tool: str) -> list[Measurement]:
        return [m for (_, t), m in table.items() if t == tool]

    running: dict[str, tuple[int, dict[str, str], int]] = {}
    with contextlib.ExitStack() as stack:  # every server started is stopped, whatever happens
        for tool, spec in servers.items():
            if isinstance(spec, str):
                for m in rows(tool):
                    m.status, m.reason = "skipped", spec
                continue
            command, headers = spec
            port = _port_of(command)
            log = ctx.out / "work" / "mock" / f"{tool.replace(' ', '-')}.log"
            try:
                proc = stack.enter_context(serve(command, cwd=ctx.repo, log=log, port=port, probe=flow.paths[0], headers=headers))
            except ServerFailed as exc:
                for m in rows(tool):
                    m.status, m.reason = "failed", f"server: {exc}"
                continue
            probe = ", ".join(f"{p} {http_status(port, p, headers)}" for p in flow.paths)
            for m in rows(tool):
                m.command, m.info["probe statuses"] = " ".join(command), probe
            run_load("raw", port, flow.paths, headers, WARMUP, ctx.concurrency)
            running[tool] = (port, headers, proc.pid)
        for _ in range(ctx.runs):  # interleaved: every server sees the same machine load
            for (client, tool), m in table.items():
                if tool in running:
                    port, headers, _ = running[tool]
                    _record(m, run_load(client, port, flow.paths, headers, counts[client], ctx.concurrency), counts[client])
        for tool, (_, _, pid) in running.items():
            rss = peak_rss_mb(pid)
            for m in rows(tool):
                m.info["server peak RSS MB"] = round(rss, 1) if rss else "?"
    section.measurements += list(table.values())
    for m in section.measurements:
        ctx.progress(format_load_progress(m))
        if m.status == "ok" and m.info.get("non-2xx responses"):
            section.notes.append(f"{m.tool} ({m.subject}): {m.info['non-2xx responses']} non-2xx responses — figures not comparable.")
    for client, subject in subjects.items():
        for prism in (PRISM, PRISM_QUIET) if client == "raw" else (PRISM,):
            section.comparisons += [Comparison(subject, "rps", OURS, prism, higher_is_better=True), Comparison(subject, "p99_ms", OURS, prism)]
    _targets(section, subjects["raw"])
    section.notes += [
        f"Flow: {' and '.join('GET ' + p for p in flow.paths)} alternating, header `{flow.header}: {flow.prefix}…`, "
        f"{ctx.concurrency} keep-alive connections, {ctx.requests:,} requests per run after {WARMUP} warm-up requests; "
        "client and servers share the machine's cores.",
        "The raw client (asyncio streams, HTTP/1.1 keep-alive) decides the targets; the httpx client is shown to size "
        "the client's own overhead: when both servers look alike under httpx, the client was the bottleneck.",
    ]


def _targets(section: Section, subject: str) -> None:
    ours = section.find(subject, OURS)
    prisms = [m for tool in (PRISM, PRISM_QUIET) if (m := section.find(subject, tool)) and m.stat("rps")]
    a_rps, a_p99 = (ours.stat("rps"), ours.stat("p99_ms")) if ours else (None, None)
    if not (a_rps and a_p99 and prisms):
        why = ours.reason if ours and ours.status != "ok" else "Prism not measured"
        section.targets.append(unavailable("mock: throughput vs Prism (raw client)", "≥ 3x", why))
        section.targets.append(unavailable("mock: p99 latency lower than Prism's", "lower", why))
        return
    best_rps = max(m.stat("rps").median for m in prisms)  # type: ignore[union-attr]
    best_p99 = min(m.stat("p99_ms").median for m in prisms)  # type: ignore[union-attr]
    section.targets.append(at_least("mock: throughput vs Prism's best (raw client)", 3, a_rps.median / best_rps, "x"))
    section.targets.append(below(f"mock: p99 latency vs Prism's best ({best_p99:.1f} ms)", best_p99, a_p99.median, " ms"))
