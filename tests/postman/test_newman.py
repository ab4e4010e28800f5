"""newman runs each vendor's collection, with its mock environment, against that vendor's mock
server: every request runs, each has at least one assertion, and none fails.

The mock (`generator.mock.create_app`) is served by uvicorn in a thread on a socket bound to a free
port of 127.0.0.1; its `/_mock/describe` document (the same as `connectorgen mock VENDOR --describe`)
gives the base URL, the only value passed to newman (`--env-var baseUrl=...`, as the port is free):
the mock environment itself carries the mock's placeholder credentials. Skipped only when newman is
not installed (`npm ci`) and CI is unset; under CI a missing newman is a failure.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from generator.targets.postman import write_postman
from generator.targets.postman.collection import build_postman

from tests.conftest import REPO, loaded_spec
from tests.postman.conftest import items, script

NEWMAN = REPO / "node_modules" / ".bin" / "newman"

pytestmark = pytest.mark.slow


def _require_newman() -> None:
    if NEWMAN.is_file():
        return
    if os.environ.get("CI"):
        pytest.fail(f"{NEWMAN} is missing under CI: `npm ci` must install newman (package.json)")
    pytest.skip(f"{NEWMAN} is missing: run `npm ci` (make test does); with CI set this test fails instead")


@pytest.fixture
def mock_server(vendor: str) -> Iterator[dict[str, Any]]:
    """Serve a fresh mock of the vendor; yields its describe document ({baseUrl, credentials, ...})."""
    _require_newman()
    import uvicorn
    from generator.mock import create_app

    app = create_app(vendor)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started:  # polling a readiness flag, not sleeping on luck
            assert thread.is_alive() and time.monotonic() < deadline, "mock server did not start"
            time.sleep(0.01)
        described: dict[str, Any] = httpx.get(f"http://127.0.0.1:{port}/_mock/describe", timeout=10).json()
        yield described
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def _strings(node: Any) -> set[str]:
    """Every string in a JSON document (short credentials like a tenant name may be common words)."""
    if isinstance(node, dict):
        return set().union(*(_strings(v) for v in node.values())) if node else set()
    if isinstance(node, list):
        return set().union(*(_strings(v) for v in node)) if node else set()
    return {node} if isinstance(node, str) else set()


def _newman(collection: Path, environment: Path, env_vars: dict[str, str], report: Path) -> subprocess.CompletedProcess[str]:
    command = [str(NEWMAN), "run", str(collection), "-e", str(environment), "--color", "off", "--timeout-request", "20000"]
    for key, value in env_vars.items():
        command += ["--env-var", f"{key}={value}"]
    command += ["-r", "cli,json", "--reporter-json-export", str(report)]
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300)


def test_collection_runs_green_against_the_mock(vendor: str, mock_server: dict[str, Any], tmp_path: Path) -> None:
    files, _ = write_postman(loaded_spec(vendor).api, vendor, tmp_path / "postman")
    collection = files[0]
    environment = tmp_path / "postman" / "environments" / f"{vendor}-mock.postman_environment.json"
    credentials = {str(k): str(v) for k, v in mock_server["credentials"].items()}
    leaves = _strings([json.loads(p.read_text()) for p in files if p != environment])
    leaked = [k for k, v in credentials.items() if v in leaves or (len(v) >= 8 and any(v in s for s in leaves))]
    assert leaked == [], "credential values leaked into the collection or a real environment"

    report_path = tmp_path / "newman.json"
    result = _newman(collection, environment, {"baseUrl": mock_server["baseUrl"]}, report_path)
    assert report_path.is_file(), result.stdout + result.stderr
    run = json.loads(report_path.read_text())["run"]
    # The JSON reporter lists an execution again when its pre-request script sent a request (sign-in,
    # token): the same object under the same cursor ref.
    executions = list({e["cursor"]["ref"]: e for e in run["executions"]}.values())

    failed = [
        f"{e['item']['name']}: {a['assertion']}: {a['error']['message']}"
        for e in executions
        for a in e.get("assertions", [])
        if a.get("error")
    ]
    assert failed == [], "\n".join(failed) + "\n\n" + result.stdout[-4000:]
    assert run["failures"] == [], result.stdout[-4000:]
    executed = [e["item"]["name"] for e in executions]
    expected = [i["name"] for i in items(json.loads(collection.read_text()))]
    assert executed == expected
    assert [e["item"]["name"] for e in executions if not e.get("assertions")] == []
    assert run["stats"]["assertions"]["failed"] == 0
    assert result.returncode == 0, result.stdout[-4000:]


def _run_report(result: subprocess.CompletedProcess[str], report_path: Path) -> dict[str, Any]:
    assert report_path.is_file(), result.stdout + result.stderr
    run: dict[str, Any] = json.loads(report_path.read_text())["run"]
    return run


@pytest.mark.parametrize("vendor", ["volue"])
@pytest.mark.parametrize("emptied", [False, True], ids=["mock-environment", "environment-with-empty-secrets"])
def test_volue_quickstart_with_credentials_in_the_collection_variables(
    vendor: str, emptied: bool, mock_server: dict[str, Any], tmp_path: Path
) -> None:
    """Volue's guide: set client_id and client_secret in the collection's Variables tab. With an
    environment selected (the mock's as generated, or one whose secrets are empty, as a real
    environment's are) the Quickstart folder runs green: the script takes the collection's values."""
    files, _ = write_postman(loaded_spec(vendor).api, vendor, tmp_path / "postman")
    collection_path, environment = files[0], tmp_path / "postman" / "environments" / f"{vendor}-mock.postman_environment.json"
    collection = json.loads(collection_path.read_text())
    collection["variable"] += [{"key": k, "value": str(v), "type": "string"} for k, v in mock_server["credentials"].items()]
    collection_path.write_text(json.dumps(collection))
    if emptied:
        env = json.loads(environment.read_text())
        env["values"] = [{**v, "value": ""} if v["type"] == "secret" else v for v in env["values"]]
        assert {v["key"] for v in env["values"] if v["type"] == "secret"} >= set(mock_server["credentials"])
        environment.write_text(json.dumps(env))

    report_path = tmp_path / "newman.json"
    command = [str(NEWMAN), "run", str(collection_path), "-e", str(environment), "--folder", "Quickstart", "--color", "off"]
    command += ["--env-var", f"baseUrl={mock_server['baseUrl']}", "-r", "cli,json", "--reporter-json-export", str(report_path)]
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300)
    run = _run_report(result, report_path)
    executions = list({e["cursor"]["ref"]: e for e in run["executions"]}.values())
    names = [e["item"]["name"] for e in executions]
    steps = [n for n in names if n[:1].isdigit()]
    assert steps == [f"{i}. {s}" for i, s in enumerate(QUICKSTART, 1)], names
    assert names[len(steps):] and all(n.startswith("Cleanup: ") for n in names[len(steps):])
    assert [n for n, e in zip(names, executions, strict=True) if not e.get("assertions")] == []
    assert run["stats"]["assertions"]["failed"] == 0 and run["failures"] == [], result.stdout[-4000:]
    statuses = {e["item"]["name"]: e["response"]["code"] for e in executions}
    assert statuses["1. Register a user"] == 201 and statuses["6. Send a test event to a webhook"] == 202


QUICKSTART = [
    "Register a user",
    "Register a vehicle",
    "Register a meter",
    "Register a resource",
    "Create a webhook",
    "Send a test event to a webhook",
    "Send a report",
]


@pytest.mark.parametrize("vendor", ["eevion"])
def test_station_changes_are_not_sent_to_production(vendor: str, tmp_path: Path) -> None:
    """Requests that change stations (Eevion's guard list) are not sent to the production base URL:
    each fails a visible test and leaves without a request; with `environment=staging` set they would
    go (not run here: no network)."""
    _require_newman()
    output = build_postman(loaded_spec(vendor).api, vendor)
    guarded = [i for i in items(output.collection) if "allowProductionChanges" in script(i, "prerequest")]
    assert sorted(i["name"] for i in guarded) == ["Energy management", "Manage stations", "Start a session", "Stop a session"]
    assert all("allowProductionChanges" in i["request"]["description"] for i in guarded)
    collection = {**output.collection, "item": guarded}
    path = tmp_path / "guarded.postman_collection.json"
    path.write_text(json.dumps(collection))
    production = tmp_path / "production.postman_environment.json"
    production.write_text(json.dumps(output.environments["production"]))
    report_path = tmp_path / "newman.json"
    command = [str(NEWMAN), "run", str(path), "-e", str(production), "--color", "off", "--env-var", "apiKey=not-a-key"]
    command += ["-r", "json", "--reporter-json-export", str(report_path)]
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300)
    run = _run_report(result, report_path)
    assert run["stats"]["items"]["total"] == len(guarded)
    assert run["stats"]["requests"]["total"] == 0  # none was sent
    failed = [(f["source"]["name"], f["error"]["test"]) for f in run["failures"]]
    assert failed == [(i["name"], "Not sent to production: set allowProductionChanges to true to allow it") for i in guarded]
