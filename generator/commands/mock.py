"""`connectorgen mock SPEC_OR_VENDOR`: serve a stateful mock of a vendor's API or of any OpenAPI
3.0/3.1 document (see `generator.mock` and `generator.mock.engine`)."""

from __future__ import annotations

import argparse
import contextlib
import json
import sqlite3
import sys
from typing import Any

from generator.commands import summary

__all__ = ["register"]

DEFAULT_PORT = 4010  # Prism's default, so tools pointed at a Prism mock find this one


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "mock",
        help=summary("mock"),
        description="Serve a stateful mock server of a bundled vendor, a vendor folder (openapi.yaml + connector.yaml) or "
        "any OpenAPI 3.0/3.1 document until Ctrl-C. The spec's paths "
        "are served at the root as written in the spec, so the base URL is http://HOST:PORT. Prints the base URL and "
        "the mock's (fake) test credentials.",
    )
    parser.add_argument("vendor", metavar="SPEC_OR_VENDOR", help="a bundled vendor (see `connectorgen build --help`), a vendor folder or an OpenAPI file")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port to listen on (default {DEFAULT_PORT}; 0 picks a free port)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--no-rate-limit", action="store_true", help="do not enforce the rate limit (a vendor's own, or --rate-limit)")
    parser.add_argument("--rate-limit", metavar="N/SECONDS", help="allow N requests per SECONDS per client (e.g. 60/60); 429 beyond")
    parser.add_argument("--seed", type=int, default=0, help="vary the generated ids (same seed, same ids; default 0)")
    parser.add_argument("--state", metavar="FILE", help="keep the store in this SQLite file, surviving a restart (default: in memory)")
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


def _rate_limit(text: str | None) -> tuple[int, float] | None:
    if text is None:
        return None
    count, sep, seconds = text.partition("/")
    try:
        parsed = (int(count), float(seconds)) if sep else None
    except ValueError:
        parsed = None
    if parsed is None or parsed[0] < 1 or not 0 < parsed[1] < 1e9:
        raise ValueError(f"--rate-limit expects N/SECONDS with N >= 1 and SECONDS > 0, got {text!r}")
    return parsed


def _base_url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from generator.mock import create_app, mock_server
    from generator.problems import ProblemError, format_text

    if not 0 <= args.port <= 65535:
        sys.stderr.write(f"connectorgen mock: --port must be 0..65535, got {args.port}\n")
        return 2
    try:
        app = create_app(
            args.vendor,
            rate_limit=not args.no_rate_limit,
            credentials=_credentials(args.credential),
            seed=args.seed,
            state=Path(args.state) if args.state else None,
            limit=_rate_limit(args.rate_limit),
        )
    except (ValueError, OSError) as exc:
        sys.stderr.write(f"connectorgen mock: {exc}\n")
        return 2
    except sqlite3.Error as exc:
        sys.stderr.write(f"connectorgen mock: --state {args.state}: {exc}\n")
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
    lines = [f"connectorgen mock of {behaviour.ctx.extras.get('name', args.vendor)} at {base_url} (Ctrl-C to stop)", "test credentials (fake):"]
    lines += [f"  {key}: {value}" for key, value in described["credentials"].items()]
    if "tokenUrl" in described:
        lines.append(f"token URL: {described['tokenUrl']}")
    lines.append("control endpoints (POST /_mock/...): the API's credentials, or HTTP Basic with the first two test credentials")
    lines += behaviour.notes()
    sys.stdout.write("\n".join(lines) + "\n")
    sys.stdout.flush()
    # uvicorn re-raises the Ctrl-C it shut down on; stopping is how a mock session ends, not an error.
    with contextlib.suppress(KeyboardInterrupt):
        serve(app, sock, log_level="info", access_log=args.access_log)
    return 0
