"""`make fuzz`'s pieces: the generated schemathesis.toml and the live mock it fuzzes (the CLI run
itself is `make fuzz`, not part of the test suite)."""

from __future__ import annotations

import socket
from pathlib import Path

import httpx
import pytest
from generator.mock import vendor_names
from schemathesis.config import SchemathesisConfig

from tests.support.contract import ALL_CHECKS, schemathesis_toml
from tests.support.fuzz import _junit_counts, serve


@pytest.mark.parametrize("vendor", vendor_names())
def test_config_enables_every_check_phase_and_mode(vendor: str) -> None:
    project = SchemathesisConfig.from_str(schemathesis_toml(vendor, max_examples=100)).projects.default
    assert project.generation.max_examples == 100
    assert {mode.value for mode in project.generation.modes} == {"positive", "negative"}
    assert all(getattr(project.phases, phase).enabled for phase in ("examples", "coverage", "fuzzing", "stateful"))
    assert all(getattr(project.checks, check).enabled for check in ALL_CHECKS)
    assert not project.checks.max_response_time.enabled


def test_documented_exceptions_only_where_the_vendor_does_so() -> None:
    def expected(vendor: str, check: str) -> list[str]:
        project = SchemathesisConfig.from_str(schemathesis_toml(vendor, max_examples=1)).projects.default
        return list(getattr(project.checks, check).expected_statuses)

    assert "400" in expected("eevion", "positive_data_acceptance")
    assert "400" not in expected("volue", "positive_data_acceptance")
    assert {"520", "590", "592", "593", "594", "598"} <= set(expected("vev-iq", "not_a_server_error"))
    assert "520" not in expected("greenflux", "not_a_server_error")


def test_serve_starts_a_live_mock_and_stops_it() -> None:
    with serve("greenflux") as base_url:
        assert httpx.get(f"{base_url}/_mock/describe").json()["credentials"]
        port = int(base_url.rsplit(":", 1)[1])
    with socket.socket() as sock:
        assert sock.connect_ex(("127.0.0.1", port)) != 0


def test_junit_counts(tmp_path: Path) -> None:
    report = tmp_path / "r.xml"
    report.write_text('<testsuites tests="3" failures="1" errors="0"/>')
    assert _junit_counts(report) == "3 test cases (operations + stateful), 1 failures, 0 errors"
    assert _junit_counts(tmp_path / "missing.xml") == "no JUnit report"
