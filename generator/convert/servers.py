"""`servers` → `host`, `basePath` and `schemes` (Swagger 2.0 has exactly one server)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from generator.convert.context import Context
from generator.ir.model import Server

__all__ = ["convert_server"]

_HOST = re.compile(r"^[^{}/ :\\]+(?::\d+)?$")


def _choose(ctx: Context) -> tuple[str, str]:
    """(url, pointer) of the server to use; the choice is reported when there was one."""
    api, options = ctx.api, ctx.options
    if options.server_url:
        return options.server_url, "/servers"
    servers = api.servers or (Server("/"),)
    index = options.server_index
    if not 0 <= index < len(servers):
        ctx.losses.warning(
            "server_index_out_of_range",
            "/servers",
            f"server index {index} does not exist ({len(servers)} server(s)); using 0",
        )
        index = 0
    server = servers[index]
    pointer = f"/servers/{index}"
    if server.variables:
        values = ", ".join(f"{v.name}={v.default!r}" for v in server.variables)
        ctx.losses.info(
            "server_variables_resolved", pointer, f"server variables resolved to their defaults: {values}"
        )
    if len(servers) > 1:
        others = "; ".join(f"[{i}] {s.description or s.url}" for i, s in enumerate(servers) if i != index)
        label = f" ({server.description})" if server.description else ""
        ctx.losses.info(
            "server_chosen",
            "/servers",
            f"host and basePath from servers[{index}]{label} {server.resolved_url}; not expressible: {others}",
        )
    return server.resolved_url, pointer


def convert_server(ctx: Context) -> dict[str, Any]:
    url, pointer = _choose(ctx)
    parts = urlsplit(url)
    out: dict[str, Any] = {}
    host = parts.netloc.rsplit("@", 1)[-1]
    if "@" in parts.netloc:
        ctx.losses.warning("server_userinfo_dropped", pointer, "user information in the server URL dropped")
    if host and _HOST.match(host):
        out["host"] = host
    elif host:
        ctx.losses.warning(
            "host_invalid", pointer, f"server host {host!r} is not a valid Swagger 2.0 host; left out"
        )
    elif ctx.profile.host_required:
        ctx.losses.warning(
            "host_missing",
            pointer,
            f"server URL {url!r} has no host; Power Platform needs one (set server_url)",
        )
    path = parts.path.rstrip("/")
    if "{" in path:
        ctx.losses.warning(
            "base_path_invalid",
            pointer,
            f"server path {parts.path!r} still holds a variable; basePath set to /",
        )
        path = ""
    out["basePath"] = path if path.startswith("/") else "/" + path
    if parts.query or parts.fragment:
        ctx.losses.warning("server_query_dropped", pointer, "query or fragment of the server URL dropped")
    scheme = parts.scheme.lower()
    if scheme in ("http", "https", "ws", "wss"):
        out["schemes"] = [scheme]
    elif host:
        out["schemes"] = ["https"]
    return out
