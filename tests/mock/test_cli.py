"""`connectorgen mock`: --describe, errors, and serving until interrupted."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from generator.cli import main
from generator.mock.serve import bind

REPO = Path(__file__).resolve().parents[2]
CREDENTIAL_KEYS = {
    "eevion": {"apiKey"},
    "greenflux": {"token"},
    "vev-iq": {"email", "password", "tenant"},
    "volue": {"client_id", "client_secret"},
}


@pytest.mark.parametrize("vendor", sorted(CREDENTIAL_KEYS))
def test_describe_names_credentials_as_the_vendor_does(vendor: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["mock", vendor, "--port", "4321", "--describe"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["baseUrl"] == "http://127.0.0.1:4321"
    assert set(document["credentials"]) == CREDENTIAL_KEYS[vendor]
    assert ("tokenUrl" in document) == (vendor == "volue")
    if vendor == "volue":
        assert document["tokenUrl"] == "http://127.0.0.1:4321/connect/token"


def test_describe_with_port_0_says_the_port_is_chosen_at_start(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["mock", "volue", "--port", "0", "--describe"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["baseUrl"] is None and document["tokenUrl"] is None and "chosen" in document["note"]


def test_credentials_can_be_overridden(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["mock", "eevion", "--describe", "--credential", "apiKey=my-key"]) == 0
    assert json.loads(capsys.readouterr().out)["credentials"] == {"apiKey": "my-key"}
    assert main(["mock", "eevion", "--describe", "--credential", "password=x"]) == 2
    assert main(["mock", "eevion", "--describe", "--credential", "apiKey"]) == 2


def test_bad_input_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["mock", "acme"]) == 2
    assert "neither a vendor" in capsys.readouterr().err
    assert main(["mock", "eevion", "--port", "70000"]) == 2
    taken = bind("127.0.0.1", 0)
    try:
        assert main(["mock", "eevion", "--port", str(taken.getsockname()[1])]) == 2
        assert "cannot listen" in capsys.readouterr().err
    finally:
        taken.close()


def test_serves_until_interrupted() -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "mock", "greenflux", "--port", "0"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()  # printed once the socket is bound
        base_url = first.split(" at ")[1].split()[0]
        assert base_url.startswith("http://127.0.0.1:")
        assert "token: mock-token" in process.stdout.readline() + process.stdout.readline()
        answer = httpx.get(base_url + "/api/1.0/tariffs", headers={"Authorization": "Token mock-token"}, timeout=10)
        assert answer.status_code == 200 and answer.json()["status_code"] == 1000
    finally:
        process.send_signal(signal.SIGINT)
        returncode = process.wait(timeout=15)
    assert returncode == 0
