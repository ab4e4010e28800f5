"""The request Tests script: status, schema and link captures, with values escaped for a script."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from generator.targets.postman.flow import Capture
from generator.targets.postman.testscript import js_literal, response_checks


def test_documented_status_is_checked_exactly() -> None:
    script = response_checks(201, None, [])
    assert 'pm.test("Status code is 201"' in script
    assert "pm.response.to.have.status(201);" in script
    assert "jsonSchema" not in script and "keep(" not in script


def test_without_a_documented_status_any_2xx_passes() -> None:
    script = response_checks(None, None, [])
    assert "pm.expect(pm.response.code).to.be.within(200, 299);" in script


def test_schema_is_embedded_as_given() -> None:
    script = response_checks(200, '{"type":"object"}', [])
    assert 'var schema = {"type":"object"};' in script
    assert "pm.response.to.have.jsonSchema(schema);" in script


def test_header_capture_needs_no_body_helpers() -> None:
    script = response_checks(201, None, [Capture("webhookId", "header", header="Location")])
    assert 'keep("webhookId", pm.response.headers.get("Location"));' in script
    assert "pm.response.json()" not in script and "function pick" not in script


def test_body_capture_walks_the_pointer_tokens() -> None:
    script = response_checks(201, None, [Capture("userId", "body", tokens=("data", "id")), Capture("loc", "header", header="Location")])
    assert 'keep("userId", pick(body, ["data", "id"]));' in script
    assert "function pick(value, keys)" in script
    assert script.index("function keep") < script.index('keep("userId"')


def test_literals_cannot_close_a_script_or_string() -> None:
    text = js_literal("</script>&'")
    assert "<" not in text and ">" not in text and "&" not in text and "'" not in text
    assert json.loads(text) == "</script>&'"


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed (the test suite needs it for newman anyway)")
def test_script_is_valid_javascript(tmp_path: Path) -> None:
    captures = [Capture("userId", "body", tokens=("id",)), Capture("loc", "header", header="Location")]
    path = tmp_path / "script.js"
    path.write_text(response_checks(200, '{"type":"object"}', captures), encoding="utf-8")
    result = subprocess.run(["node", "--check", str(path)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
