"""Run order and id capture: creates before reads, updates and deletes; links feed `{{variables}}`."""

from __future__ import annotations

from typing import Any

from generator.ir.build import build_api
from generator.targets.postman.collection import build_postman
from generator.targets.postman.flow import CLEANUP_FOLDER

from tests.postman.conftest import built, items, script


def _order(collection: dict[str, Any]) -> list[str]:
    return [i["name"] for i in items(collection)]


def _url(collection: dict[str, Any], name: str) -> dict[str, Any]:
    return next(i for i in items(collection) if i["name"] == name)["request"]["url"]


def _path_vars(collection: dict[str, Any], name: str) -> dict[str, str]:
    return {v["key"]: v["value"] for v in _url(collection, name).get("variable", [])}


def test_volue_registers_before_reading_and_deletes_last() -> None:
    collection = built("volue").collection
    order = _order(collection)
    for before, after in [
        ("Register a user", "Get a user"),
        ("Register a user", "Register a vehicle"),
        ("Register a vehicle", "Get a vehicle"),
        ("Get a vehicle", "Delete a vehicle"),
        ("Create a webhook", "Update a webhook"),
        ("Update a webhook", "Delete a webhook"),
        ("Send a test event to a webhook", "Delete a webhook"),
        ("Delete a resource", "Delete a user"),
    ]:
        assert order.index(before) < order.index(after), (before, after)
    assert order[-1] == "Delete a user"
    assert collection["item"][-1]["name"] == CLEANUP_FOLDER


def test_volue_ids_flow_from_responses_into_path_variables() -> None:
    collection = built("volue").collection
    register = next(i for i in items(collection) if i["name"] == "Register a user")
    assert 'keep("userId", pick(body, ["userId"]));' in script(register, "test")
    assert _path_vars(collection, "Get a user") == {"userId": "{{userId}}"}
    assert _path_vars(collection, "Get a vehicle") == {"userId": "{{userId}}", "vehicleId": "{{vehicleId}}"}
    assert _path_vars(collection, "Delete a webhook") == {"webhookId": "{{webhookId}}"}
    variables = {v["key"]: v["value"] for v in collection["variable"]}
    assert variables["userId"] == "customer-0042"  # the spec's example, so a request also works alone


def test_eevion_variants_are_separate_requests_and_start_feeds_get_and_stop() -> None:
    collection = built("eevion").collection
    order = _order(collection)
    assert order.index("Start a session") < order.index("Get a session") < order.index("Stop a session")
    start = next(i for i in items(collection) if i["name"] == "Start a session")
    listing = next(i for i in items(collection) if i["name"] == "List sessions")
    assert '"stationId"' in start["request"]["body"]["raw"] and '"stationId"' not in listing["request"]["body"]["raw"]
    assert "sessionId" in script(start, "test") and "keep(" not in script(listing, "test")
    assert _path_vars(collection, "Get a session") == {"sessionId": "{{sessionId}}"}
    assert {r["name"] for r in start["response"]} & {r["name"] for r in listing["response"]} <= {
        r["name"] for r in start["response"] if r["code"] != 200
    }


def test_greenflux_deletes_the_group_after_everything_using_it() -> None:
    order = _order(built("greenflux").collection)
    group_requests = [n for n in order if "capacity" in n.lower()]
    assert order.index("Create a capacity group") == min(order.index(n) for n in group_requests)
    assert order[-1] == "Delete a capacity group"
    assert order.index("Add charge points to a capacity group") < order.index("Remove an EVSE from a capacity group")


def test_header_links_and_literal_request_values() -> None:
    doc = {
        "openapi": "3.1.0",
        "info": {"title": "Files", "version": "1"},
        "paths": {
            "/files": {
                "post": {
                    "operationId": "Upload",
                    "requestBody": {"content": {"application/json": {"schema": {"type": "object"}, "example": {"folder": "docs"}}}},
                    "responses": {
                        "201": {
                            "description": "created",
                            "links": {
                                "Get": {"operationId": "GetFile", "parameters": {"fileId": "$response.header.X-Id", "folder": "$request.body#/folder"}}
                            },
                        }
                    },
                }
            },
            "/folders/{folder}/files/{fileId}": {
                "get": {
                    "operationId": "GetFile",
                    "parameters": [
                        {"name": "folder", "in": "path", "required": True, "schema": {"type": "string"}},
                        {"name": "fileId", "in": "path", "required": True, "schema": {"type": "string"}, "example": "f1"},
                    ],
                    "responses": {"200": {"description": "ok"}},
                },
                "delete": {
                    "operationId": "DeleteFile",
                    "parameters": [
                        {"name": "folder", "in": "path", "required": True, "schema": {"type": "string"}},
                        {"name": "fileId", "in": "path", "required": True, "schema": {"type": "string"}},
                    ],
                    "responses": {"204": {"description": "gone"}},
                },
            },
        },
    }
    collection = build_postman(build_api(doc), "files").collection
    assert _order(collection) == ["POST /files", "GET /folders/{folder}/files/{fileId}", "DELETE /folders/{folder}/files/{fileId}"]
    assert _path_vars(collection, "GET /folders/{folder}/files/{fileId}") == {"folder": "docs", "fileId": "{{fileId}}"}
    # DeleteFile has no link: the specific name `fileId` still takes the captured variable
    assert _path_vars(collection, "DELETE /folders/{folder}/files/{fileId}")["fileId"] == "{{fileId}}"
    upload = next(i for i in items(collection) if i["name"] == "POST /files")
    assert 'keep("fileId", pm.response.headers.get("X-Id"));' in script(upload, "test")
