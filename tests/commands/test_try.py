"""`connectorgen try`: one action per vendor against its in-process mock (request and response
printed, secrets masked), a failing credential (401, exit 1), unusable input (exit 2)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from generator.cli import main

from tests.emulator.mono_support import require_mono
from tests.powerplatform.packages import built_packages

ACTIONS = {"vev-iq": "ListSites", "volue": "ListUsers", "eevion": "ListSites", "greenflux": "ListLocations"}
SCRIPTED = {"vev-iq", "volue", "eevion"}
# (connection parameter, value the mock refuses, the vendor's answer): vev-iq's sign-in answers a
# wrong password with 404 "Unknown user or wrong password", as the vendor does.
WRONG = {
    "vev-iq": ("password", "wrong-password", 404),
    "volue": ("password", "wrong-secret", 401),
    "eevion": ("api_key", "wrong-key", 401),
    "greenflux": ("api_key", "wrong-key", 401),
}


def _package(vendor: str) -> Path:
    return built_packages()[vendor][0]


def _try(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["try", *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("vendor", sorted(ACTIONS))
def test_one_action_per_vendor_against_its_mock(vendor: str, capsys: pytest.CaptureFixture[str]) -> None:
    if vendor in SCRIPTED:
        require_mono()
    code, out, err = _try(capsys, str(_package(vendor)), ACTIONS[vendor], "--format", "json")
    assert code == 0, err
    record: dict[str, Any] = json.loads(out)
    assert record["operationId"] == ACTIONS[vendor]
    assert record["customCode"] is (vendor in SCRIPTED)
    assert record["request"]["method"] == "GET"
    assert record["request"]["url"].startswith("http://127.0.0.1:")
    assert record["platformUrl"].startswith("https://")
    assert record["response"]["status"] == 200
    assert isinstance(record["response"]["body"], (list, dict))
    assert set(record["timings"]) == {"prepareMs", "sendMs"}
    secret_headers = [value for name, value in record["request"]["headers"] if name.lower() in ("authorization", "x-credential-password")]
    assert secret_headers and set(secret_headers) == {"***"}


def test_text_output_shows_the_request_and_the_mock_answer(capsys: pytest.CaptureFixture[str]) -> None:
    require_mono()
    code, out, _ = _try(capsys, str(_package("volue")), "ListUsers")
    assert code == 0
    assert "> GET http://127.0.0.1:" in out and "/users" in out
    assert "< 200 OK" in out
    assert "custom code sent: POST http://127.0.0.1:" in out  # the token exchange
    secret = _mock_credentials("volue")["client_secret"]
    assert len(secret) >= 4 and secret not in out  # the mock's client secret was sent, never printed
    assert "timings:" in out


@pytest.mark.parametrize("vendor", sorted(WRONG))
def test_a_failing_credential_gives_the_vendors_error_and_exit_1(vendor: str, capsys: pytest.CaptureFixture[str]) -> None:
    if vendor in SCRIPTED:
        require_mono()
    name, value, status = WRONG[vendor]
    code, out, _ = _try(capsys, str(_package(vendor)), ACTIONS[vendor], "--connection", f"{name}={value}", "--format", "json")
    record = json.loads(out)
    assert record["response"]["status"] == status
    assert code == 1
    assert value not in out  # the secret given is masked wherever it would appear


def test_unknown_operation_lists_close_matches(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _try(capsys, str(_package("volue")), "ListUser")
    assert code == 2
    assert out == ""
    assert "no operation 'ListUser'" in err and "ListUsers" in err
    assert "Traceback" not in err


def test_missing_mono_is_a_clear_refusal(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH without mcs, mono or pkg-config
    assert shutil.which("mono") is None
    code, out, err = _try(capsys, str(_package("volue")), "ListUsers")
    assert code == 2
    assert "needs Mono" in err and "script.csx" in err
    assert out == ""


def test_missing_required_parameter_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _try(capsys, str(_package("greenflux")), _operation_with_required_path_parameter("greenflux"))
    assert code == 2
    assert "required parameter" in err


def test_unknown_connection_parameter_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _try(capsys, str(_package("greenflux")), "ListLocations", "--connection", "apikey=x")
    assert code == 2
    assert "apikey" in err and "api_key" in err


def test_a_package_outside_a_vendor_folder_needs_spec_or_base_url(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    copy = tmp_path / "somewhere"
    shutil.copytree(_package("greenflux"), copy)
    code, _, err = _try(capsys, str(copy), "ListLocations")
    assert code == 2 and "--spec" in err
    code, out, _ = _try(capsys, str(copy), "ListLocations", "--spec", "greenflux", "--format", "json")
    assert code == 0 and json.loads(out)["response"]["status"] == 200


def test_not_a_package(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = _try(capsys, str(tmp_path), "ListLocations")
    assert code == 2 and "not a connector package" in err


def _mock_credentials(vendor: str) -> dict[str, str]:
    from generator.mock import create_app, mock_server

    return dict(mock_server(create_app(vendor, rate_limit=False)).behaviour.describe("http://127.0.0.1")["credentials"])


def _operation_with_required_path_parameter(vendor: str) -> str:
    swagger = json.loads((_package(vendor) / "apiDefinition.swagger.json").read_text(encoding="utf-8"))
    for item in swagger["paths"].values():
        for method, op in item.items():
            if method == "get" and isinstance(op, dict) and any(p.get("in") == "path" and p.get("required") for p in op.get("parameters", [])):
                return str(op["operationId"])
    raise AssertionError("no GET with a required path parameter")


def test_base_url_sends_to_the_server_given(capsys: pytest.CaptureFixture[str]) -> None:
    from generator.mock import create_app
    from generator.mock.serve import BackgroundServer

    token = _mock_credentials("greenflux")["token"]
    with BackgroundServer(create_app("greenflux", rate_limit=False)) as server:
        argv = (str(_package("greenflux")), "ListLocations", "--base-url", server.base_url, "--format", "json")
        code, out, _ = _try(capsys, *argv, "--connection", f"api_key={token}")
        assert code == 0
        record = json.loads(out)
        assert record["request"]["url"].startswith(server.base_url + "/")
        assert token not in out
        # no mock credentials are filled in against a URL given: the required key is missing
        code, _, err = _try(capsys, *argv)
    assert code == 2 and "api_key" in err


def test_an_unreachable_base_url_is_a_clear_refusal(capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    with socket.socket() as sock:  # a port nothing listens on: bound, never listening
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        code, out, err = _try(capsys, str(_package("greenflux")), "ListLocations", "--base-url", url, "--connection", "api_key=x")
    assert code == 2 and out == ""
    assert "no answer from" in err and "Traceback" not in err
