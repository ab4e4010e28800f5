"""`connectorgen mock VENDOR`: serve a stateful mock of a vendor's API (see `generator.mock`)."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from typing import Any

from generator.commands import summary

__all__ = ["register"]

DEFAULT_PORT = 4010  # Prism's default, so tools pointed at a Prism mock find this one


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "mock",
        help=summary("mock"),
        description="Serve a stateful mock server built from specs/VENDOR/openapi.yaml until Ctrl-C. The spec's paths "
        "are served at the root as written in the spec, so the base URL is http://HOST:PORT. Prints the base URL and "
        "the mock's (fake) test credentials.",
    )
    parser.add_argument("vendor", metavar="VENDOR", help="eevion, greenflux, vev-iq or volue")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port to listen on (default {DEFAULT_PORT}; 0 picks a free port)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--no-rate-limit", action="store_true", help="do not enforce the vendor's rate limit (Eevion: 60 requests per 60 s)")
    parser.add_argument("--describe", action="store_true", help='print {"baseUrl", "credentials"} as JSON and exit')
    parser.add_argument(
        "--credential", action="append", default=[], metavar="KEY=VALUE", help="override a test credential (repeatable), e.g. apiKey=my-key"
    )
    parser.add_argument("--access-log", action="store_true", help="log every request")
    parser.set_defaults(func=run)


def _credentials(pairs: list[str]) -> dict[str, str] | None:
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise ValueError(f"--credential expects KEY=VALUE, got {pair!r}")
        out[key] = value
    return out or None


def _base_url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def run(args: argparse.Namespace) -> int:
    from generator.mock import create_app, mock_server, vendor_names
    from generator.problems import ProblemError, format_text

    if args.vendor not in vendor_names():
        sys.stderr.write(f"connectorgen mock: unknown vendor {args.vendor!r} (known: {', '.join(vendor_names())})\n")
        return 2
    if not 0 <= args.port <= 65535:
        sys.stderr.write(f"connectorgen mock: --port must be 0..65535, got {args.port}\n")
        return 2
    try:
        app = create_app(args.vendor, rate_limit=not args.no_rate_limit, credentials=_credentials(args.credential))
    except (ValueError, OSError) as exc:
        sys.stderr.write(f"connectorgen mock: {exc}\n")
        return 2
    except ProblemError as exc:
        sys.stderr.write(format_text(exc.problems))
        return 2
    behaviour = mock_server(app).behaviour
    if args.describe:
        document = behaviour.describe(_base_url(args.host, args.port))
        if args.port == 0:
            # The port (so every URL) is only known once the server has bound its socket.
            document["baseUrl"] = None
            if "tokenUrl" in document:
                document["tokenUrl"] = None
            document["note"] = "port 0: the port is chosen when the server starts, which prints its base URL"
        document["paths"] = "served at the root exactly as in the spec (no server path prefix)"
        sys.stdout.write(json.dumps(document, indent=2) + "\n")
        return 0
    return _serve(app, args, behaviour)


def _serve(app: Any, args: argparse.Namespace, behaviour: Any) -> int:
    from generator.mock.serve import bind, serve

    try:
        sock = bind(args.host, args.port)
    except OSError as exc:
        sys.stderr.write(f"connectorgen mock: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}\n")
        return 2
    base_url = _base_url(args.host, sock.getsockname()[1])
    described = behaviour.describe(base_url)
    lines = [f"connectorgen mock of {args.vendor} at {base_url} (Ctrl-C to stop)", "test credentials (fake):"]
    lines += [f"  {key}: {value}" for key, value in described["credentials"].items()]
    if "tokenUrl" in described:
        lines.append(f"token URL: {described['tokenUrl']}")
    lines.append("control endpoints (POST /_mock/...): the API's credentials, or HTTP Basic with the first two test credentials")
    if args.vendor == "eevion":
        lines.append("rate limit: " + ("off" if args.no_rate_limit else "60 requests per 60 s per key (--no-rate-limit to turn off)"))
    sys.stdout.write("\n".join(lines) + "\n")
    sys.stdout.flush()
    # uvicorn re-raises the Ctrl-C it shut down on; stopping is how a mock session ends, not an error.
    with contextlib.suppress(KeyboardInterrupt):
        serve(app, sock, log_level="info", access_log=args.access_log)
    return 0
