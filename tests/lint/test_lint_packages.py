"""Our own packages lint clean of errors, and violations injected into one of them are errors."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from generator.lint.runner import lint_path
from generator.problems import Level

from tests.powerplatform.packages import VENDORS, built_packages


def _package(vendor: str) -> Path:
    return built_packages()[vendor][0]


@pytest.mark.parametrize("vendor", VENDORS)
def test_our_packages_have_no_error(vendor: str) -> None:
    errors = [p for p in lint_path(_package(vendor)) if p.level is Level.ERROR]
    assert [f"{p.location} {p.code} [{p.pointer}] {p.message}" for p in errors] == []


def _edit_json(name: str, change: Callable[[Any], None]) -> Callable[[Path], None]:
    def apply(folder: Path) -> None:
        path = folder / name
        data = json.loads(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(json.dumps(data, indent=2), encoding="utf-8")

    return apply


def _title(data: Any) -> None:
    data["info"]["title"] = "VEV-IQ Charging API"


def _long_summary(data: Any) -> None:
    op = next(
        op
        for item in data["paths"].values()
        for op in item.values()
        if isinstance(op, dict) and "summary" in op
    )
    op["summary"] = (
        "List every charging station of the network with its connectors and their current status now"
    )


def _staging_host(data: Any) -> None:
    data["host"] = "api.staging.example.com"


def _white(data: Any) -> None:
    data["properties"]["iconBrandColor"] = "#FFFFFF"


def _default_blue(data: Any) -> None:
    data["properties"]["iconBrandColor"] = "#007ee5"


def _namespace(folder: Path) -> None:
    script = folder / "script.csx"
    script.write_text("using System.Data.SqlClient;\n" + script.read_text(encoding="utf-8"), encoding="utf-8")


def _bare_formatting(folder: Path) -> None:
    script = folder / "script.csx"
    text = script.read_text(encoding="utf-8")
    assert "Newtonsoft.Json.Formatting.None" in text  # generated in full, as the platform needs
    script.write_text(text.replace("Newtonsoft.Json.Formatting.None", "Formatting.None"), encoding="utf-8")


INJECTIONS: dict[str, tuple[Callable[[Path], None], str, str]] = {
    "forbidden word in the title": (
        _edit_json("apiDefinition.swagger.json", _title),
        "ValueContainsRestrictedWords",
        "/info/title",
    ),
    "summary over 80 characters": (
        _edit_json("apiDefinition.swagger.json", _long_summary),
        "OperationSummaryTooLong",
        "/summary",
    ),
    "staging host": (_edit_json("apiDefinition.swagger.json", _staging_host), "HostNotProduction", "/host"),
    "white brand colour": (
        _edit_json("apiProperties.json", _white),
        "IconBrandColorNotValid",
        "/properties/iconBrandColor",
    ),
    "default brand colour": (
        _edit_json("apiProperties.json", _default_blue),
        "IconBrandColorNotValid",
        "/properties/iconBrandColor",
    ),
    "forbidden namespace in the script": (_namespace, "ScriptNamespaceNotAllowed", ""),
    "ambiguous Formatting in the script": (_bare_formatting, "ScriptNameAmbiguous", ""),
}


@pytest.mark.parametrize("case", sorted(INJECTIONS))
def test_injected_violation_is_a_located_error(case: str, tmp_path: Path) -> None:
    inject, code, pointer_end = INJECTIONS[case]
    folder = tmp_path / "vev-iq"
    shutil.copytree(_package("vev-iq"), folder)
    inject(folder)
    found = [p for p in lint_path(folder) if p.code == code]
    assert found and all(p.level is Level.ERROR for p in found), case
    assert all(p.line > 0 and p.pointer.endswith(pointer_end) for p in found), found
