"""`connectorgen convert` as a command: outputs, report formats, exit codes, unusable input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from generator.cli import main

HERE = Path(__file__).parent
CASES = HERE / "cases"
BROKEN = HERE / "broken"


def test_writes_file_and_text_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out.json"
    assert main(["convert", str(CASES / "callbacks.yaml"), "-o", str(out)]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "callback_dropped" in captured.err and "1 warning(s)" in captured.err
    assert json.loads(out.read_text())["swagger"] == "2.0"


def test_stdout_and_json_report(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["convert", str(CASES / "callbacks.yaml"), "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["paths"]["/subscriptions"]["post"]["operationId"] == "Subscribe"
    report = json.loads(captured.err)
    assert [p["code"] for p in report] == ["callback_dropped"]


def test_json_report_on_stdout_with_output_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["convert", str(CASES / "links.yaml"), "-o", str(tmp_path / "o.json"), "--format", "json"]) == 0
    )
    report = json.loads(capsys.readouterr().out)
    assert {p["code"] for p in report} == {"link_dropped"}
    assert report[0]["level"] == "info"


def test_strict_fails_on_warnings_only(tmp_path: Path) -> None:
    out = str(tmp_path / "o.json")
    assert main(["convert", str(CASES / "callbacks.yaml"), "-o", out, "--strict"]) == 1
    assert main(["convert", str(CASES / "links.yaml"), "-o", out, "--strict"]) == 0  # info only
    assert main(["convert", str(CASES / "recursive_schemas.yaml"), "-o", out, "--strict"]) == 0


def test_powerplatform_flags(tmp_path: Path) -> None:
    out = tmp_path / "o.json"
    argv = ["convert", str(CASES / "pp_touches.yaml"), "-o", str(out), "--powerplatform", "--server", "1"]
    argv += [
        "--title",
        "Touches",
        "--internal",
        "PurgeStations",
        "--advanced",
        "ListStations",
        "--exclude",
        "list-station_connectors",
    ]
    assert main(argv) == 0
    doc = json.loads(out.read_text())
    assert doc["host"] == "api.staging.example.com"
    assert doc["info"]["title"] == "Touches"
    assert doc["paths"]["/stations"]["delete"]["x-ms-visibility"] == "internal"
    assert doc["paths"]["/stations"]["get"]["x-ms-visibility"] == "advanced"
    assert "/stations/{station_id}/connectors" not in doc["paths"]


def test_invalid_input_is_refused_unless_lenient(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "invalid.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n"
        "      operationId: A\n      summary: A\n      description: A.\n      responses:\n        '200': {content: {}}\n"
    )
    assert main(["convert", str(spec), "-o", str(tmp_path / "o.json"), "--format", "json"]) == 2
    assert "openapi_invalid" in capsys.readouterr().err
    assert not (tmp_path / "o.json").exists()
    assert main(["convert", str(spec), "-o", str(tmp_path / "o.json"), "--format", "json", "--lenient"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert any(p["code"] == "openapi_invalid" and p["level"] == "warning" for p in report)


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("broken_ref.yaml", "unresolved_ref"),
        ("missing_file_ref.yaml", "ref_file_not_found"),
        ("ref_cycle.yaml", "ref_cycle"),
        ("swagger2.json", "unsupported_openapi_version"),
        ("openapi_4.yaml", "unsupported_openapi_version"),
        ("not_yaml.yaml", "yaml_syntax_error"),
        ("paths_list.yaml", "invalid_structure"),
        ("scalar.yaml", "not_a_mapping"),
    ],
)
def test_unusable_input_exits_2(
    name: str, code: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "o.json"
    assert main(["convert", str(BROKEN / name), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert code in err and "Traceback" not in err
    assert not out.exists()


def test_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["convert", str(tmp_path / "nope.yaml")]) == 2
    assert "file_not_found" in capsys.readouterr().err


def test_structure_the_ir_cannot_read_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "odd.yaml"
    spec.write_text(
        "openapi: 3.1.0\ninfo: {title: x, version: '1'}\npaths:\n  /a:\n    get:\n      responses: 5\n"
    )
    assert main(["convert", str(spec)]) == 2
    err = capsys.readouterr().err
    assert "--lenient" in err and "Traceback" not in err
    assert main(["convert", str(spec), "--lenient"]) == 2
    err = capsys.readouterr().err
    assert "not understood" in err and "Traceback" not in err


def test_multi_file_losses_point_into_the_other_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(CASES)
    assert main(["convert", "multi_file_refs.yaml", "-o", str(tmp_path / "o.json"), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [(p["file"], p["pointer"]) for p in report] == [
        ("parts/responses.yaml", "/NotFound/content/application~1json/schema/properties/message/format")
    ]


def test_too_deep_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    depth = 3000  # built as text: json.dumps itself would hit the recursion limit
    schema = '{"type": "object", "properties": {"a": ' * depth + '{"type": "string"}' + "}}" * depth
    spec = tmp_path / "deep.json"
    spec.write_text(
        '{"openapi": "3.1.0", "info": {"title": "deep", "version": "1"}, "paths": {"/a": {"get": {"responses": '
        '{"200": {"description": "d", "content": {"application/json": {"schema": ' + schema + "}}}}}}}}"
    )
    assert main(["convert", str(spec), "-o", str(tmp_path / "o.json")]) == 2
    assert "nesting_too_deep" in capsys.readouterr().err
