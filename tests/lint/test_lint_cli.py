"""`connectorgen lint` as a command, hostile input, and the vendored Microsoft schemas."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from generator.cli import main
from generator.lint.msschemas import (
    SCHEMA_DIR,
    SCHEMA_FILES,
    load_schema,
    relaxed_schema,
    strip_comments,
    validator,
)
from generator.lint.runner import lint_path

HERE = Path(__file__).parent
BASE = HERE / "base"


def test_clean_package_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", str(BASE)]) == 0
    assert "no findings" in capsys.readouterr().out


def test_findings_exit_1_with_json_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    definition = json.loads((BASE / "apiDefinition.swagger.json").read_text())
    definition["info"]["title"] = "Contoso Charging Connector API"
    target = tmp_path / "apiDefinition.swagger.json"
    target.write_text(json.dumps(definition))
    assert main(["lint", str(target), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert {p["code"] for p in report} == {"ValueContainsRestrictedWords"}
    assert {p["line"] for p in report} != {0}  # located in the file


def test_single_file_skips_package_rules(tmp_path: Path) -> None:
    target = tmp_path / "definition.json"
    target.write_text((BASE / "apiDefinition.swagger.json").read_text())
    assert lint_path(target) == []  # no ReadmeMissing / ApiPropertiesMissing for a lone file


@pytest.mark.parametrize(
    ("setup", "code"),
    [
        ("missing", "FileNotFound"),
        ("empty_folder", "FileNotFound"),
        ("bad_json", "JsonNotValid"),
        ("json_list", "JsonNotValid"),
    ],
)
def test_unusable_input_exits_2(
    setup: str, code: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "apiDefinition.swagger.json"
    if setup == "empty_folder":
        target = tmp_path
    elif setup == "bad_json":
        target.write_text('{"swagger": "2.0",')
    elif setup == "json_list":
        target.write_text("[]")
    assert main(["lint", str(target)]) == 2
    err = capsys.readouterr().err
    assert code in err and "Traceback" not in err


def test_invalid_json_in_other_files_is_a_finding(tmp_path: Path) -> None:
    import shutil

    package = tmp_path / "pkg"
    shutil.copytree(BASE, package)
    (package / "apiProperties.json").write_text("{not json")
    assert "JsonNotValid" in {p.code for p in lint_path(package)}


@pytest.mark.parametrize(
    "definition",
    [
        {"swagger": "2.0", "paths": []},
        {"swagger": "2.0", "info": "x", "paths": {"/x": {"get": {"parameters": "oops", "responses": []}}}},
        {
            "swagger": "2.0",
            "info": {"title": 5, "description": None, "contact": "x"},
            "paths": {
                "/x": {
                    "get": {
                        "operationId": 5,
                        "summary": 7,
                        "parameters": [1, {"$ref": "#/nope"}],
                        "responses": {"200": 5},
                    }
                },
                "/y": 5,
            },
            "definitions": {"A": {"required": "x", "properties": {"p": 5}, "enum": 3}},
            "x-ms-connector-metadata": [1, {"propertyName": "Categories", "propertyValue": None}],
            "securityDefinitions": [],
            "schemes": "https",
            "host": 5,
        },
    ],
)
def test_hostile_definitions_give_findings_not_crashes(definition: object, tmp_path: Path) -> None:
    target = tmp_path / "a.json"
    target.write_text(json.dumps(definition))
    assert lint_path(target)


def test_list_rules(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", "--list-rules"]) == 0
    out = capsys.readouterr().out
    assert "OperationSummaryTooLong" in out and "PathParameterMissingEncoding" in out


@pytest.mark.parametrize("name", sorted(SCHEMA_FILES))
def test_comment_stripping_matches_json5(name: str) -> None:
    import json5

    assert load_schema(name) == json5.loads((SCHEMA_DIR / SCHEMA_FILES[name]).read_text(encoding="utf-8"))


def test_strip_comments_keeps_strings() -> None:
    assert json.loads(strip_comments('{"a": "http://x//y", /* c */ "b": 1 // d\n}')) == {
        "a": "http://x//y",
        "b": 1,
    }


def test_relaxations_are_needed_and_applied() -> None:
    properties = {
        "properties": {"iconBrandColor": "#0a6e4f", "scriptOperations": ["A"], "connectionParameterSets": {}}
    }
    assert list(validator("apiProperties", relaxed=False).iter_errors(properties))
    assert not list(validator("apiProperties").iter_errors(properties))
    settings = {"script": "script.csx"}
    assert list(validator("settings", relaxed=False).iter_errors(settings))
    assert not list(validator("settings").iter_errors(settings))
    assert "x-ms-openai-data" in relaxed_schema("apiDefinition")["definitions"]["operation"]["properties"]
    assert "x-ms-openai-data" not in load_schema("apiDefinition")["definitions"]["operation"]["properties"]


def test_real_looking_tokens_are_secrets(tmp_path: Path) -> None:
    definition = json.loads((BASE / "apiDefinition.swagger.json").read_text())
    token = ".".join(
        ["eyJhbGciOiJIUzI1NiJ9", "eyJzdWIiOiJzb21lb25lIn0", "c2lnbmF0dXJlLWJ5dGVz"]
    )  # built here, not stored
    definition["paths"]["/stations"]["get"]["description"] = f"Send {token} in the header."
    target = tmp_path / "a.json"
    target.write_text(json.dumps(definition))
    found = [(p.code, p.pointer) for p in lint_path(target) if p.code == "SecretValueInPackage"]
    assert found == [("SecretValueInPackage", "/paths/~1stations/get/description")]
