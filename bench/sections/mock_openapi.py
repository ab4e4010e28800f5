"""generic mock throughput: `connectorgen mock <real-world document>` (the generic engine, no vendor
module) vs Prism serving the same document, under the same bounded read-heavy load as the vendor
mock section (two list GETs alternating, with the credentials `--describe` prints), on 127.0.0.1.
The document is an APIs.guru one from `tests/data/corpus/` (see its SOURCE.md)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from bench.env import Context, node_tool
from bench.model import Section
from bench.sections.mock import OURS, PRISM, Flow, _measure, prism_servers
from bench.sections.tools import command_available
from bench.servers import free_port
from bench.targets import unavailable

__all__ = ["DOCUMENT", "flow_from_document", "run_mock_openapi"]

DOCUMENT = Path("tests") / "data" / "corpus" / "readme.io.json"


def _required(parameters: list[Any], document: dict[str, Any]) -> bool:
    for parameter in parameters:
        if isinstance(parameter, dict) and isinstance(parameter.get("$ref"), str):
            name = parameter["$ref"].rsplit("/", 1)[-1]
            parameter = (document.get("components") or {}).get("parameters", {}).get(name, {})
        if isinstance(parameter, dict) and parameter.get("required"):
            return True
    return False


def flow_from_document(document: dict[str, Any], count: int = 2) -> list[str]:
    """The first `count` GET paths with no path template and no required query parameter."""
    out = []
    for path, item in (document.get("paths") or {}).items():
        get = item.get("get") if isinstance(item, dict) else None
        if "{" in path or not isinstance(get, dict):
            continue
        if _required([*item.get("parameters", []), *get.get("parameters", [])], document):
            continue
        out.append(path)
        if len(out) == count:
            break
    return out


def _auth_headers(ctx: Context, document: Path) -> dict[str, str]:
    done = subprocess.run([*ctx.connectorgen, "mock", str(document), "--describe"], capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise ValueError(f"`connectorgen mock {document.name} --describe` exited {done.returncode}: {done.stderr.strip()[:200]}")
    headers: dict[str, str] = json.loads(done.stdout).get("auth", {}).get("headers", {})
    return headers


def run_mock_openapi(ctx: Context) -> Section:
    document = ctx.repo / DOCUMENT
    section = Section("mock-openapi", f"generic mock vs Prism on a real-world document ({document.name}, {ctx.concurrency} concurrent clients)")
    if not document.is_file():
        section.status, section.reason = "skipped", f"{DOCUMENT} not found"
        section.targets.append(unavailable("mock: throughput vs Prism (raw client)", "≥ 3x", section.reason))
        return section
    paths = flow_from_document(json.loads(document.read_text(encoding="utf-8")))
    servers: dict[str, tuple[list[str], dict[str, str]] | str] = {}
    headers: dict[str, str] = {}
    why = command_available(ctx, "mock", needs="--state")
    if why is None:
        try:
            headers = _auth_headers(ctx, document)
            servers[OURS] = ([*ctx.connectorgen, "mock", str(document), "--port", str(free_port()), "--host", "127.0.0.1"], headers)
        except (ValueError, OSError, subprocess.SubprocessError) as exc:
            servers[OURS] = str(exc)
    else:
        servers[OURS] = why
    prism = node_tool(ctx.repo, "prism")
    if prism is None:
        servers[PRISM] = "node_modules/.bin/prism not installed (make node)"
    else:
        servers.update(prism_servers(prism, document, headers))
        section.notes.append(f"Prism and connectorgen serve the same file, `{DOCUMENT}`; Prism once as users start it and once with `-v error`.")
    header = next(iter(headers), "Authorization")
    _measure(ctx, section, Flow(paths, "", header, headers.get(header, "")[:6]), servers)
    return section
