"""`connectorgen import` on good and bad input: exit codes, located messages, nothing half-written."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from generator.cli import main

CALIBRATION = Path(__file__).resolve().parents[1] / "data" / "calibration" / "connectors"
VEV_IQ = CALIBRATION / "certified-connectors" / "VEV-IQ"
MINIMAL = {
    "swagger": "2.0",
    "info": {"title": "Tiny", "version": "1.0", "description": "A tiny connector used by the importer tests."},
    "host": "api.tiny.example",
    "basePath": "/",
    "schemes": ["https"],
    "paths": {"/items": {"get": {"operationId": "listItems", "summary": "List items", "responses": {"200": {"description": "OK", "schema": {"type": "array", "items": {"type": "string"}}}}}}},
}


def _package(tmp_path: Path, definition: str, properties: str | None = None) -> Path:
    folder = tmp_path / "package"
    folder.mkdir()
    (folder / "apiDefinition.swagger.json").write_text(definition, encoding="utf-8")
    if properties is not None:
        (folder / "apiProperties.json").write_text(properties, encoding="utf-8")
    return folder


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["import", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def _untouched(tmp_path: Path, out: Path) -> None:
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "a temporary folder was left behind"


def test_imports_vev_iq_and_reports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "specs" / "vev-iq"
    code, stdout, _ = _run(capsys, str(VEV_IQ), "-o", str(out))
    assert code == 0
    assert "connector.yaml, openapi.yaml" in stdout
    assert sorted(p.name for p in out.iterdir()) == ["connector.yaml", "openapi.yaml"]
    code, stdout, _ = _run(capsys, str(VEV_IQ), "-o", str(tmp_path / "again"), "--format", "json")
    report = json.loads(stdout)
    assert code == 0 and "default_response_as_200" in {p["code"] for p in report}
    assert all(p["pointer"].startswith("/") for p in report if p["code"] == "default_response_as_200")


def test_output_holding_a_spec_needs_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "openapi.yaml").write_text("openapi: 3.1.0\n", encoding="utf-8")
    code, _, err = _run(capsys, str(VEV_IQ), "-o", str(out))
    assert code == 2
    assert "output_exists" in err and "--force" in err and f"{out / 'openapi.yaml'}:1:1" in err
    assert (out / "openapi.yaml").read_text(encoding="utf-8") == "openapi: 3.1.0\n"
    code, _, _ = _run(capsys, str(VEV_IQ), "-o", str(out), "--force")
    assert code == 0
    assert (out / "openapi.yaml").read_text(encoding="utf-8").count("operationId") > 5


def test_not_a_connector_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "empty").mkdir()
    code, _, err = _run(capsys, str(tmp_path / "empty"), "-o", str(tmp_path / "out"))
    assert code == 2 and "not_a_connector" in err and "Traceback" not in err
    _untouched(tmp_path, tmp_path / "out")


def test_openapi_3_is_not_a_connector(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    package = _package(tmp_path, json.dumps({"openapi": "3.1.0", "info": {"title": "x", "version": "1"}, "paths": {}}, indent=2))
    code, _, err = _run(capsys, str(package), "-o", str(tmp_path / "out"))
    assert code == 2 and "not_a_connector" in err and "apiDefinition.swagger.json:1:1" in err
    _untouched(tmp_path, tmp_path / "out")


def test_invalid_swagger_is_located(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = json.loads(json.dumps(MINIMAL))
    doc["paths"]["/items"]["get"]["parameters"] = [{"in": "query", "type": "string"}]
    package = _package(tmp_path, json.dumps(doc, indent=2))
    code, _, err = _run(capsys, str(package), "-o", str(tmp_path / "out"))
    assert code == 2
    assert "invalid_swagger" in err and "[/paths/~1items/get/parameters/0]" in err and "needs `name` and `in`" in err
    line = next(i for i, text in enumerate((package / "apiDefinition.swagger.json").read_text().splitlines(), 1) if '"in": "query"' in text)
    assert f"apiDefinition.swagger.json:{line - 1}:" in err  # the parameter object opens on the line above
    _untouched(tmp_path, tmp_path / "out")


def test_broken_json_is_located(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    package = _package(tmp_path, '{\n  "swagger": "2.0",\n  "info": {"title": "x" "version": }\n}\n')
    code, _, err = _run(capsys, str(package), "-o", str(tmp_path / "out"))
    assert code == 2 and "json_syntax_error" in err and "apiDefinition.swagger.json:3:" in err
    _untouched(tmp_path, tmp_path / "out")


@pytest.mark.parametrize("kind", ["not_utf8", "directory", "missing"])
def test_unreadable_files(tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str) -> None:
    package = _package(tmp_path, json.dumps(MINIMAL))
    properties = package / "apiProperties.json"
    if kind == "not_utf8":
        properties.write_bytes(b'{"properties": {"publisher": "\xff"}}')
    elif kind == "directory":
        properties.mkdir()
    source = package / "nowhere" if kind == "missing" else package
    code, _, err = _run(capsys, str(source), "-o", str(tmp_path / "out"))
    assert code == 2 and "Traceback" not in err
    expected = {"not_utf8": "apiProperties.json:1:31: error not_utf8", "directory": "not_a_regular_file", "missing": "file_not_found"}[kind]
    assert expected in err
    _untouched(tmp_path, tmp_path / "out")


def test_tolerated_json_imports_with_located_warnings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = json.dumps(MINIMAL, indent=2).replace('"swagger": "2.0",', '"swagger": "2.0", // published like this', 1)
    text = text.replace('"https"\n  ]', '"https",\n  ]', 1)
    package = _package(tmp_path, text, '{"properties": {"iconBrandColor": "#0A2A66", "capabilities": [],}}')
    code, _, err = _run(capsys, str(package), "-o", str(tmp_path / "out"))
    assert code == 0
    assert "apiDefinition.swagger.json:2:21: warning json_comment" in err
    assert "warning json_trailing_comma" in err and "apiProperties.json:1:" in err
    assert (tmp_path / "out" / "openapi.yaml").is_file()


def test_a_refused_import_leaves_an_existing_folder_as_it_was(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    refused = CALIBRATION / "independent-publisher-connectors" / "myStrom"
    code, _, err = _run(capsys, str(refused), "-o", str(out), "--force")
    assert code == 2 and "no_success_response" in err and "myStrom/apiDefinition.swagger.json:" in err
    assert [p.name for p in out.iterdir()] == ["notes.txt"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_import_is_deterministic(tmp_path: Path) -> None:
    assert main(["import", str(VEV_IQ), "-o", str(tmp_path / "a")]) == 0
    copy = tmp_path / "copy"
    shutil.copytree(VEV_IQ, copy)
    assert main(["import", str(copy), "-o", str(tmp_path / "b")]) == 0
    for name in ("openapi.yaml", "connector.yaml"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_custom_code_and_icon_are_files_the_build_uses(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from generator.spec.source import load_source

    from tests.importer.roundtrip import rebuild

    package = _package(tmp_path, json.dumps(MINIMAL), json.dumps({"properties": {"iconBrandColor": "#0a2a66", "capabilities": [], "scriptOperations": ["listItems"]}}))
    icon = b"\x89PNG\r\n\x1a\n" + bytes(range(64))
    (package / "icon.png").write_bytes(icon)
    (package / "script.csx").write_text("public class Script : ScriptBase {}\n", encoding="utf-8")
    out = tmp_path / "specs" / "tiny"
    code, _, _ = _run(capsys, str(package), "-o", str(out))
    assert code == 0
    overlay = load_source(out / "connector.yaml").data["overlay"]
    assert (overlay["icon"], overlay["script"]) == ("icon.png", "script.csx")
    assert (out / "icon.png").read_bytes() == icon
    built = tmp_path / "built"
    rebuild(out, built)
    assert (built / "icon.png").read_bytes() == icon
    assert (built / "script.csx").read_bytes() == (package / "script.csx").read_bytes()
    assert json.loads((built / "settings.json").read_text(encoding="utf-8"))["script"] == "script.csx"
    properties = json.loads((built / "apiProperties.json").read_text(encoding="utf-8"))["properties"]
    assert properties["scriptOperations"] == ["listItems"] and properties["capabilities"] == []
