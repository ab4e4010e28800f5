"""`make fuzz`: the schemathesis CLI against each vendor's live mock, JUnit reports per vendor.

    python -m tests.support.fuzz --out build/reports [--vendor NAME] [--max-examples 100]

For each vendor: serve a fresh mock with uvicorn on a free 127.0.0.1 port (in a thread, rate limit
off), fetch its Authorization header (`tests.support.contract.authorization`), write the vendor's
`schemathesis.toml` (every check, positive and negative data, all phases, the documented vendor
exceptions) into a temp dir, and run `schemathesis run <mock>/_mock/openapi.json`. The server is
stopped whatever happens. Prints one summary line per vendor; exits 1 if any vendor failed.
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from xml.etree import ElementTree

import httpx
import uvicorn
from generator.mock import create_app, vendor_names

from tests.support.contract import authorization, schemathesis_toml

__all__ = ["fuzz_document", "fuzz_vendor", "main", "serve"]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve(vendor: str) -> Iterator[str]:
    """A fresh mock of `vendor` served on 127.0.0.1 in a thread; yields its base URL."""
    port = _free_port()
    config = uvicorn.Config(create_app(vendor, rate_limit=False, check_responses=False), host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started:  # uvicorn sets it once the socket listens
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the {vendor} mock did not start on port {port}")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(30)


async def _authorization(base_url: str) -> str:
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        return await authorization(client)


def _describe_headers(base_url: str) -> list[str]:
    """`-H`/`--header` arguments authenticating against a generic mock (its `/_mock/describe` auth)."""
    auth = httpx.get(f"{base_url}/_mock/describe", timeout=30).raise_for_status().json().get("auth", {})
    return [arg for name, value in auth.get("headers", {}).items() for arg in ("-H", f"{name}: {value}")]


def fuzz_document(spec: Path, out: Path | None, *, max_examples: int, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """The schemathesis CLI (every phase and check, `max_examples` per operation and phase) against
    a live generic mock of `spec`; the completed process, its output captured."""
    schemathesis = Path(sys.executable).parent / "schemathesis"
    with serve(str(spec)) as base_url, tempfile.TemporaryDirectory(prefix="connectorgen-fuzz-") as tmp:
        config = Path(tmp) / "schemathesis.toml"
        config.write_text(schemathesis_toml(spec.stem, max_examples=max_examples), encoding="utf-8")
        command = [str(schemathesis), "--config-file", str(config), "run", f"{base_url}/_mock/openapi.json", *_describe_headers(base_url)]
        if out is not None:
            command += ["--report", "junit", "--report-junit-path", str(out / f"{spec.stem}.junit.xml")]
        return subprocess.run(command, cwd=tmp, check=False, capture_output=True, text=True, timeout=timeout)


def fuzz_vendor(vendor: str, out: Path, *, max_examples: int) -> int:
    """Runs the schemathesis CLI against a live mock of `vendor`; returns its exit code."""
    schemathesis = Path(sys.executable).parent / "schemathesis"
    with serve(vendor) as base_url, tempfile.TemporaryDirectory(prefix="connectorgen-fuzz-") as tmp:
        config = Path(tmp) / "schemathesis.toml"
        config.write_text(schemathesis_toml(vendor, max_examples=max_examples), encoding="utf-8")
        command = [
            str(schemathesis), "--config-file", str(config), "run", f"{base_url}/_mock/openapi.json",
            "-H", f"Authorization: {asyncio.run(_authorization(base_url))}",
            "--report", "junit", "--report-junit-path", str(out / f"{vendor}.junit.xml"),
        ]  # fmt: skip
        return subprocess.run(command, cwd=tmp, check=False).returncode


def _junit_counts(report: Path) -> str:
    """`N test cases, F failures, E errors` from a schemathesis JUnit report."""
    try:
        root = ElementTree.parse(report).getroot()
    except (OSError, ElementTree.ParseError):
        return "no JUnit report"
    get = root.attrib.get
    return f"{get('tests', '?')} test cases (operations + stateful), {get('failures', '?')} failures, {get('errors', '?')} errors"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.support.fuzz", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("build/reports"), help="directory of the JUnit reports")
    parser.add_argument("--vendor", action="append", choices=vendor_names(), help="only this vendor (repeatable)")
    parser.add_argument("--max-examples", type=int, default=100, help="examples per operation and phase")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    results = {vendor: fuzz_vendor(vendor, args.out.resolve(), max_examples=args.max_examples) for vendor in args.vendor or vendor_names()}
    for vendor, code in results.items():
        report = args.out / f"{vendor}.junit.xml"
        verdict = "passed" if code == 0 else f"FAILED (schemathesis exit {code})"
        print(f"fuzz {vendor}: {verdict}, {_junit_counts(report)}, report {report}")
    return 0 if all(code == 0 for code in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
