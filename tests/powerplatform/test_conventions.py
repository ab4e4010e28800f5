"""Issue 13 item 6: the conventions of the best published connectors, in our four packages. The
lint rules of generator/lint/rules_conventions.py keep them (tests/lint/cases has a failing and a
passing fixture for each); these tests check the facts behind them in the generated packages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from generator.lint.registry import RULES
from generator.lint.runner import lint_path, load_rules
from generator.targets.powerplatform.conventions import has_side_effects

from tests.powerplatform.packages import VENDORS, built_packages

load_rules()
CONVENTION_RULES = {code for code, r in RULES.items() if r.check.__module__ == "generator.lint.rules_conventions"}


def _json(vendor: str, name: str) -> Any:
    return json.loads((built_packages()[vendor][0] / name).read_text(encoding="utf-8"))


def _operations(swagger: dict[str, Any]) -> dict[str, tuple[str, str, dict[str, Any]]]:
    return {
        op["operationId"]: (path, method, op)
        for path, item in swagger["paths"].items()
        for method, op in item.items()
        if isinstance(op, dict) and "operationId" in op
    }


def test_the_convention_rules_are_registered() -> None:
    assert len(CONVENTION_RULES) == 12


@pytest.mark.parametrize("vendor", VENDORS)
def test_packages_have_no_finding_at_any_level(vendor: str) -> None:
    problems = lint_path(built_packages()[vendor][0])
    assert [f"{p.level.value} {p.code} {p.pointer}" for p in problems] == []


@pytest.mark.parametrize("vendor", VENDORS)
def test_conventions_hold(vendor: str) -> None:
    swagger = _json(vendor, "apiDefinition.swagger.json")
    ops = _operations(swagger)
    assert swagger["info"]["x-ms-keywords"]
    assert any(op.get("x-ms-visibility") == "important" for _, _, op in ops.values())
    text = json.dumps(swagger)
    assert '"x-example"' not in text and "x-ms-test-value" in text
    for op_id, (_, method, op) in ops.items():
        if op.get("x-ms-trigger"):
            assert op["x-ms-trigger-hint"].startswith("To see it work"), op_id
        assert (op.get("x-ms-no-generic-test") is True) == has_side_effects(method, op_id), op_id
    labels = [p.get("x-ms-summary", "") for _, _, op in ops.values() for p in op.get("parameters", [])]
    assert not [label for label in labels if "Loc " in label or " I Ds" in label]


def test_vev_iq_limit_defaults_to_100_and_labels_read() -> None:
    ops = _operations(_json("vev-iq", "apiDefinition.swagger.json"))
    limits = [p for _, _, op in ops.values() for p in op["parameters"] if p["name"] == "Limit" and p.get("required")]
    assert limits and all(p["default"] == 100 for p in limits)
    sites = {p["name"]: p for p in ops["ListSites"][2]["parameters"]}
    assert sites["LocMaxDistanceMeters"]["x-ms-summary"] == "Max Distance (Metres)"
    assert sites["LocLongitude"]["x-ms-summary"] == "Longitude"


def test_eevion_polling_cursor_is_carried_not_typed() -> None:
    swagger = _json("eevion", "apiDefinition.swagger.json")
    _, method, trigger = _operations(swagger)["WhenStationException"]
    since = next(p for p in trigger["parameters"] if p["name"] == "since")
    assert method == "get" and since["x-ms-visibility"] == "internal" and since["default"] == 0
    policy = next(
        p for p in _json("eevion", "apiProperties.json")["properties"]["policyTemplateInstances"] if p["templateId"] == "pollingtrigger"
    )
    assert policy["type"] == "PollingTrigger"
    assert list(policy["parameters"]) == [
        "x-ms-apimTemplateParameter.triggerConfig",
        "x-ms-apimTemplateParameter.triggerDataPath",
        "x-ms-apimTemplate-operationName",
    ]


def test_volue_create_webhook_is_an_action_beside_the_trigger() -> None:
    ops = _operations(_json("volue", "apiDefinition.swagger.json"))
    trigger_path, _, trigger = ops["CreateWebhook"]
    path, method, action = ops["AddWebhook"]
    assert trigger.get("x-ms-trigger") == "single" and trigger_path == "/webhooks"
    assert (path, method) == ("/webhooks/add", "post") and "x-ms-trigger" not in action
    assert action["summary"] == "Create a webhook" and action["x-ms-no-generic-test"] is True
    # The action's body is the plain registration body: the user gives the URL (no notification URL).
    body = next(p for p in action["parameters"] if p["in"] == "body")
    assert "x-ms-notification-url" not in json.dumps(body) and "x-ms-notification-url" in json.dumps(trigger)
    route = next(
        p
        for p in _json("volue", "apiProperties.json")["properties"]["policyTemplateInstances"]
        if p["templateId"] == "routerequesttoendpoint" and p["parameters"]["x-ms-apimTemplate-operationName"] == ["AddWebhook"]
    )
    assert route["parameters"]["x-ms-apimTemplateParameter.newPath"] == "/webhooks"
    assert route["parameters"]["x-ms-apimTemplateParameter.httpMethod"] == "POST"


@pytest.mark.parametrize("vendor", VENDORS)
def test_no_unreferenced_definitions_or_unused_tags(vendor: str) -> None:
    swagger = _json(vendor, "apiDefinition.swagger.json")
    used_tags = {t for _, _, op in _operations(swagger).values() for t in op.get("tags", [])}
    assert {t["name"] for t in swagger.get("tags", [])} <= used_tags
    text = json.dumps(swagger)
    assert [name for name in swagger.get("definitions", {}) if f'"#/definitions/{name}"' not in text] == []


def test_violations_in_our_package_are_reported(tmp_path: Path) -> None:
    """The rules see a regression in a real package (not only in the lint fixtures)."""
    import shutil

    package = tmp_path / "volue"
    shutil.copytree(built_packages()["volue"][0], package)
    definition = package / "apiDefinition.swagger.json"
    swagger = json.loads(definition.read_text(encoding="utf-8"))
    _, _, trigger = _operations(swagger)["CreateWebhook"]
    del trigger["x-ms-trigger-hint"]
    del swagger["info"]["x-ms-keywords"]
    swagger["definitions"]["Orphan"] = {"type": "object", "description": "Nothing refers to it."}
    definition.write_text(json.dumps(swagger, indent=2), encoding="utf-8")
    codes = {p.code for p in lint_path(package, only=CONVENTION_RULES)}
    assert codes == {"TriggerHintMissing", "KeywordsMissing", "DefinitionNotReferenced"}
