"""Walkthrough folders (Volue's Quickstart), body fields fed by links (Eevion's portId) and the
production guard on requests that change stations."""

from __future__ import annotations

import json
from typing import Any

from generator.ir.build import build_api
from generator.targets.postman.collection import build_postman

from tests.postman.conftest import built, items, script


def _folder(collection: dict[str, Any], name: str) -> dict[str, Any]:
    return next(f for f in collection["item"] if f["name"] == name)


def test_volue_quickstart_follows_the_guide_with_chained_ids() -> None:
    collection = built("volue").collection
    assert collection["item"][0]["name"] == "Quickstart"
    steps = _folder(collection, "Quickstart")["item"]
    names = [s["name"] for s in steps]
    assert names[:7] == [
        "1. Register a user",
        "2. Register a vehicle",
        "3. Register a meter",
        "4. Register a resource",
        "5. Create a webhook",
        "6. Send a test event to a webhook",
        "7. Send a report",
    ]
    assert names[7:] == [f"Cleanup: {n}" for n in ("Delete a webhook", "Delete a resource", "Delete a meter", "Delete a vehicle", "Delete a user")]
    by_name = {s["name"]: s for s in steps}
    assert [v["value"] for v in by_name["2. Register a vehicle"]["request"]["url"]["variable"]] == ["{{userId}}"]
    assert [v["value"] for v in by_name["6. Send a test event to a webhook"]["request"]["url"]["variable"]] == ["{{webhookId}}"]
    assert json.loads(by_name["5. Create a webhook"]["request"]["body"]["raw"])["url"] == "{{webhookUrl}}"
    report = json.loads(by_name["7. Send a report"]["request"]["body"]["raw"])
    assert report["eventId"] == "{{eventId}}" and report["payloads"][0]["resourceId"] == "{{vehicleId}}"
    assert "vehicleId" in script(by_name["2. Register a vehicle"], "test")  # captured for step 7
    variables = {v["key"]: v for v in collection["variable"]}
    assert variables["webhookUrl"]["value"].startswith("https://") and "webhook" in variables["webhookUrl"]["description"]
    ids = [i["id"] for i in items(collection)]
    assert len(ids) == len(set(ids))
    webhooks = _folder(collection, "Webhooks")["item"]
    urls = {i["name"]: json.loads(i["request"]["body"]["raw"])["url"] for i in webhooks if "body" in i["request"]}
    assert urls == {"Create a webhook": "{{webhookUrl}}", "Update a webhook": "{{webhookUrl}}"}


def test_a_walkthrough_naming_an_unknown_operation_is_a_located_problem() -> None:
    doc = {
        "openapi": "3.1.0",
        "info": {"title": "Pets", "version": "1"},
        "x-connectorgen-walkthroughs": [{"name": "Tour", "steps": ["ListPets", "Nope"]}],
        "paths": {"/pets": {"get": {"operationId": "ListPets", "responses": {"200": {"description": "ok"}}}}},
    }
    output = build_postman(build_api(doc), "pets")
    assert [(p.code, p.pointer) for p in output.problems] == [("postman_walkthrough_operation", "/x-connectorgen-walkthroughs/0/steps/1")]
    assert [i["name"] for i in _folder(output.collection, "Tour")["item"]] == ["1. GET /pets"]


def test_eevion_stop_a_session_sends_the_port_of_the_started_session() -> None:
    collection = built("eevion").collection
    start = next(i for i in items(collection) if i["name"] == "Start a session")
    stop = next(i for i in items(collection) if i["name"] == "Stop a session")
    assert 'keep("portId", pick(body, ["portId"]));' in script(start, "test")
    assert json.loads(stop["request"]["body"]["raw"]) == {"portId": "{{portId}}"}
    assert [v["value"] for v in stop["request"]["url"]["variable"]] == ["{{sessionId}}"]


def test_only_station_changes_are_guarded() -> None:
    collection = built("eevion").collection
    guarded = sorted(i["name"] for i in items(collection) if "allowProductionChanges" in script(i, "prerequest"))
    assert guarded == ["Energy management", "Manage stations", "Start a session", "Stop a session"]
    variables = {v["key"]: v["value"] for v in collection["variable"]}
    assert variables["allowProductionChanges"] == "false"
    assert not [o for o in ("volue", "vev-iq", "greenflux") if "allowProductionChanges" in json.dumps(built(o).collection)]
