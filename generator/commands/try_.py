"""`connectorgen try PACKAGE_DIR OPERATION_ID`: run one action of a built Power Platform package the
way the platform would (security definition, policy templates, custom code under Mono when the
package has script.csx), against a mock of the vendor started in-process on 127.0.0.1 or against
`--base-url`; prints the request sent (secrets masked), the response and the timings."""

from __future__ import annotations

import argparse
import difflib
import json
import sys
import time
from pathlib import Path
from typing import Any

from generator.commands import summary

__all__ = ["register"]

_MASK = "***"
_SECRET_WORDS = ("authorization", "key", "token", "secret", "password", "cookie")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "try",
        help=summary("try"),
        description="Run one action of a connector package offline, as Power Platform would: the connection's security "
        "definition, the policy templates and the custom code (script.csx, compiled with Mono) are applied, and the "
        "request is sent to a mock of the vendor started for it (or to --base-url). Prints the request (secrets "
        "masked), the response and the timings. Exit 0 on a 2xx answer, 1 on another status, 2 on unusable input.",
    )
    parser.add_argument("package", metavar="PACKAGE_DIR", help="a connector package folder, e.g. build/volue/powerplatform")
    parser.add_argument("operation", metavar="OPERATION_ID", help="the action's operationId")
    parser.add_argument("--param", action="append", default=[], metavar="NAME=VALUE", help="a parameter value (repeatable; VALUE as JSON if it parses)")
    parser.add_argument("--body", metavar="JSON", help="the request body as JSON")
    parser.add_argument(
        "--connection", action="append", default=[], metavar="NAME=VALUE", help="a connection parameter value (repeatable; against the mock its test credentials are the defaults)"
    )
    parser.add_argument("--parameter-set", metavar="NAME", help="the connection parameter set (default: the first)")
    parser.add_argument("--base-url", metavar="URL", help="send to this URL in place of a mock")
    parser.add_argument("--spec", metavar="SPEC_OR_VENDOR", help="what to mock when the vendor is not the package's build folder (a vendor, a vendor folder or an OpenAPI file)")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (default text)")
    parser.set_defaults(func=run)


class _Refused(Exception):
    """Unusable input: the message is printed and the command exits 2."""


def _pairs(option: str, pairs: list[str], as_json: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise _Refused(f"{option} expects NAME=VALUE, got {pair!r}")
        parsed: Any = value
        if as_json:
            try:
                parsed = json.loads(value)
            except ValueError:
                parsed = value
        out[key] = parsed
    return out


def _vendor_of(package_dir: Path) -> str | None:
    """The vendor whose build folder the package is (build/<vendor>/powerplatform → vendor)."""
    from generator.mock import vendor_names

    for folder in (package_dir.resolve(), *package_dir.resolve().parents):
        if folder.name in vendor_names():
            return folder.name
    return None


def _mock_connection(vendor: str, parameter_set: str | None, describe: dict[str, Any]) -> dict[str, str]:
    """Connection values for the mock's test credentials, as the vendor's connector.yaml maps them."""
    from generator.mock import resolve_target
    from generator.spec.connector import load_connector
    from generator.spec.loader import load_spec
    from generator.targets.powerplatform.config import read_config

    _, spec_path, is_vendor = resolve_target(vendor)
    connector_file = spec_path.parent / "connector.yaml"
    if not is_vendor or not connector_file.is_file():
        return {}
    connector, _ = load_connector(connector_file)
    config = read_config(connector, load_spec(spec_path, strict=True, require=("3.1",)).api)
    chosen = next((s for s in config.sets if s.name == parameter_set), config.sets[0]) if config.sets else None
    if chosen is None:
        return {}
    credentials = describe.get("credentials", {})
    values = {p.name: str(credentials[p.credential]) for p in chosen.parameters if p.credential and p.credential in credentials}
    if chosen.auth.token_url_parameter and describe.get("tokenUrl"):
        values[chosen.auth.token_url_parameter] = str(describe["tokenUrl"])
    return values


def _is_secret(name: str) -> bool:
    lowered = name.lower()
    return any(word in lowered for word in _SECRET_WORDS) and not lowered.endswith("url")


def _masker(connection: dict[str, str], secret_names: set[str]) -> Any:
    secrets = sorted({v for k, v in connection.items() if k in secret_names and len(v) >= 4}, key=len, reverse=True)

    def mask(text: str) -> str:
        for secret in secrets:
            text = text.replace(secret, _MASK)
        return text

    return mask


def _secret_names(package: Any) -> set[str]:
    names: set[str] = set()
    for parameters in package.parameter_sets().values():
        for name, parameter in parameters.items():
            if parameter.get("type") in ("securestring", "oauthSetting") or _is_secret(name):
                names.add(name)
    return names


def _headers(headers: list[tuple[str, str]], mask: Any) -> list[list[str]]:
    out = []
    for name, value in headers:
        out.append([name, _MASK if _is_secret(name) else mask(value)])
    return out


def _body(body: bytes | None, mask: Any) -> Any:
    if not body:
        return None
    text = body.decode("utf-8", errors="replace")
    try:
        return json.loads(mask(text))
    except ValueError:
        return mask(text)


def run(args: argparse.Namespace) -> int:
    try:
        return _run(args)
    except _Refused as exc:
        sys.stderr.write(f"connectorgen try: {exc}\n")
        return 2


def _run(args: argparse.Namespace) -> int:
    from generator.emulator import Emulator, EmulatorError, load_emulated_package
    from generator.emulator.mono import mono_available

    package_dir = Path(args.package)
    try:
        package = load_emulated_package(package_dir)
    except EmulatorError as exc:
        raise _Refused(str(exc)) from exc
    known = [op.operation_id for op in package.operations()]
    if args.operation not in known:
        close = difflib.get_close_matches(args.operation, known, n=5, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else f"; it has {', '.join(sorted(known))}"
        raise _Refused(f"{package_dir}: no operation {args.operation!r}{hint}")
    if package.runs_script(args.operation) and not mono_available():
        raise _Refused(
            f"{package_dir / 'script.csx'}: {args.operation} runs custom code, which needs Mono (mcs, mono and "
            "Newtonsoft.Json; Debian: mono-mcs libnewtonsoft-json-cil-dev libmono-system-net-http4.0-cil)"
        )
    parameters = _pairs("--param", args.param, as_json=True)
    connection = {k: str(v) for k, v in _pairs("--connection", args.connection, as_json=False).items()}
    names = {name for parameters in package.parameter_sets().values() for name in parameters}
    unknown = sorted(set(connection) - names)
    if unknown:
        raise _Refused(f"--connection {', '.join(unknown)}: the package's connection parameters are {', '.join(sorted(names))}")
    try:
        body = json.loads(args.body) if args.body is not None else None
    except ValueError as exc:
        raise _Refused(f"--body is not JSON: {exc}") from exc
    if args.base_url:
        return _call(Emulator, EmulatorError, package, package_dir, args, args.base_url, connection, parameters, body)
    from generator.mock import create_app, mock_server
    from generator.mock.serve import BackgroundServer
    from generator.problems import ProblemError, format_text

    target = args.spec or _vendor_of(package_dir)
    if target is None:
        raise _Refused(f"{package_dir}: not a vendor's build folder; name what to mock with --spec SPEC_OR_VENDOR, or give --base-url")
    try:
        app = create_app(target, rate_limit=False)
    except (ValueError, OSError) as exc:
        raise _Refused(str(exc)) from exc
    except ProblemError as exc:
        sys.stderr.write(format_text(exc.problems))
        return 2
    with BackgroundServer(app) as server:
        describe = mock_server(app).behaviour.describe(server.base_url)
        defaults = _mock_connection(target, args.parameter_set, describe)
        return _call(Emulator, EmulatorError, package, package_dir, args, server.base_url, {**defaults, **connection}, parameters, body)


def _call(
    emulator_cls: Any, error: type[Exception], package: Any, package_dir: Path, args: argparse.Namespace, base_url: str,
    connection: dict[str, str], parameters: dict[str, Any], body: Any,
) -> int:
    import httpx

    try:
        with emulator_cls(package_dir, connection, base_url=base_url, parameter_set=args.parameter_set) as emulator:
            started = time.perf_counter()
            request, platform_url, policies = emulator.prepare(args.operation, parameters, body)
            prepared = time.perf_counter()
            response = emulator.send(args.operation, request)
            answered = time.perf_counter()
    except error as exc:
        raise _Refused(str(exc)) from exc
    except httpx.HTTPError as exc:
        raise _Refused(f"{args.operation}: no answer from {base_url}: {exc}") from exc
    mask = _masker(emulator.connection, _secret_names(package))
    record = {
        "operationId": args.operation,
        "customCode": package.runs_script(args.operation),
        "policies": policies,
        "platformUrl": mask(platform_url),
        "request": {"method": request.method, "url": mask(request.url), "headers": _headers(request.headers, mask), "body": _body(request.body, mask)},
        "calls": [mask(line) for line in response.sent],
        "response": {"status": response.status, "reason": response.reason, "headers": _headers(response.headers, mask), "body": _body(response.body, mask)},
        "timings": {"prepareMs": round((prepared - started) * 1000, 1), "sendMs": round((answered - prepared) * 1000, 1)},
    }
    sys.stdout.write(json.dumps(record, indent=2) + "\n" if args.format == "json" else _text(record))
    return 0 if response.ok else 1


def _text(record: dict[str, Any]) -> str:
    request, response = record["request"], record["response"]
    lines = [f"{record['operationId']}: {'custom code (script.csx), ' if record['customCode'] else ''}policies: {', '.join(record['policies']) or 'none'}"]
    lines.append(f"Power Platform URL: {record['platformUrl']}")
    lines.append(f"> {request['method']} {request['url']}")
    lines += [f"> {name}: {value}" for name, value in request["headers"]]
    if request["body"] is not None:
        lines.append(json.dumps(request["body"], indent=2))
    lines += [f"  custom code sent: {line}" for line in record["calls"]]
    lines.append(f"< {response['status']} {response['reason']}".rstrip())
    lines += [f"< {name}: {value}" for name, value in response["headers"]]
    if response["body"] is not None:
        lines.append(json.dumps(response["body"], indent=2) if not isinstance(response["body"], str) else response["body"])
    timings = record["timings"]
    lines.append(f"timings: prepare {timings['prepareMs']} ms, send and answer {timings['sendMs']} ms")
    return "\n".join(lines) + "\n"
