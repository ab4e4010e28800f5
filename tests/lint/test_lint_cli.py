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
    target.write_text(json.dumps(definition, indent=2))
    assert main(["lint", str(target), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    problems = report["packages"][0]["problems"]
    assert {p["code"] for p in problems} == {"ValueContainsRestrictedWords"}
    assert {(p["line"], p["pointer"]) for p in problems} == {(4, "/info/title")}
    assert report["summary"]["rules"] == [
        {"code": "ValueContainsRestrictedWords", "level": "error", "findings": 2, "packages": 1}
    ]


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
    assert main(["lint", "--list-rules", "--format", "json"]) == 0
    rules = {r["code"]: r for r in json.loads(capsys.readouterr().out)}
    assert rules["PathParameterMissingEncoding"]["level"] == "warning"
    assert "x-ms-url-encoding" in rules["PathParameterMissingEncoding"]["evidence"]


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


def _package(tmp_path: Path, name: str = "pkg") -> Path:
    import shutil

    package = tmp_path / name
    shutil.copytree(BASE, package)
    return package


def test_comments_and_trailing_commas_are_located_warnings(tmp_path: Path) -> None:
    package = _package(tmp_path)
    definition = package / "apiDefinition.swagger.json"
    text = definition.read_text(encoding="utf-8")
    text = text.replace('"swagger": "2.0",', '"swagger": "2.0", // Swagger 2.0 only', 1)
    text = text.rstrip().removesuffix("}").rstrip() + ",\n}\n"
    definition.write_text(text, encoding="utf-8")
    found = [p for p in lint_path(package) if p.code == "JsonRepaired"]
    assert [(p.level.value, p.line) for p in found] == [("warning", 2), ("warning", text.count("\n") - 1)]
    assert all(p.pointer.startswith("/") and p.col > 1 for p in found)


@pytest.mark.parametrize("name", ["Readme.md", "README.MD", "readme.MD"])
def test_readme_in_any_case(name: str, tmp_path: Path) -> None:
    package = _package(tmp_path)
    (package / "readme.md").rename(package / name)
    assert [p.code for p in lint_path(package) if "Readme" in p.code] == []


def test_microsoft_may_name_its_own_products(tmp_path: Path) -> None:
    package = _package(tmp_path)
    definition = json.loads((package / "apiDefinition.swagger.json").read_text())
    definition["info"]["title"] = "Cards for Power Apps"
    (package / "apiDefinition.swagger.json").write_text(json.dumps(definition, indent=2))
    assert "ValueContainsRestrictedWords" in {p.code for p in lint_path(package)}
    properties = json.loads((package / "apiProperties.json").read_text())
    properties["properties"]["publisher"] = "Microsoft"
    (package / "apiProperties.json").write_text(json.dumps(properties, indent=2))
    assert "ValueContainsRestrictedWords" not in {p.code for p in lint_path(package)}


def test_a_folder_of_packages_gives_one_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _package(tmp_path / "all", "a")
    b = _package(tmp_path / "all", "b")
    definition = json.loads((b / "apiDefinition.swagger.json").read_text())
    definition["host"] = "api.staging.contoso.example.com"
    (b / "apiDefinition.swagger.json").write_text(json.dumps(definition, indent=2))
    assert main(["lint", str(tmp_path / "all")]) == 1
    out = capsys.readouterr().out
    assert "HostNotProduction" in out and "2 package(s): 1 without errors (50.0 %), 0 unreadable" in out
    assert main(["lint", str(tmp_path / "all" / "a"), str(b), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert [Path(p["path"]).name for p in report["packages"]] == ["a", "b"]
    assert report["summary"]["without_errors"] == 1
    assert {r["code"]: (r["findings"], r["packages"]) for r in report["summary"]["rules"]} == {
        "HostNotProduction": (1, 1)
    }


def test_an_unreadable_package_among_many_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _package(tmp_path / "all", "good")
    bad = _package(tmp_path / "all", "bad")
    (bad / "apiDefinition.swagger.json").write_text('{"swagger": "2.0",\n  "info": }\n')
    assert main(["lint", str(tmp_path / "all"), "--summary"]) == 2
    captured = capsys.readouterr()
    assert "JsonNotValid" in captured.err and "Traceback" not in captured.err
    assert "bad/apiDefinition.swagger.json:2:" in captured.err
    assert "2 package(s): 1 without errors (50.0 %), 1 unreadable" in captured.out


def test_a_folder_without_packages_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "empty").mkdir()
    assert main(["lint", str(tmp_path / "empty")]) == 2
    assert "no connector package" in capsys.readouterr().err


def test_the_26_namespaces_of_learn() -> None:
    from generator.lint.csharp import ALLOWED_NAMESPACES

    assert len(ALLOWED_NAMESPACES) == len(set(ALLOWED_NAMESPACES)) == 26
    assert {"System.Net.Security", "System.Security.Authentication", "System.Drawing.Drawing2D"} <= set(
        ALLOWED_NAMESPACES
    )


def test_schema_additions_are_documented() -> None:
    from generator.lint.msschemas import additions

    source = (SCHEMA_DIR / "SOURCE.md").read_text(encoding="utf-8")
    for addition in additions():
        assert f"| {addition['schema']} | `{addition['at']}` | `{addition['key']}` |" in source, addition
