"""The emulator's mechanics on a small package against a fake service: request building, policy
templates in order, the base-URL override, webhook registration and deletion, polling state."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from generator.emulator import Emulator, EmulatorError, load_emulated_package, swagger_validator

from tests.emulator.fake import fake_service, write_package
from tests.emulator.servers import serve


@pytest.fixture(scope="module")
def service() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    app, seen = fake_service()
    with serve(app) as base:
        yield base, seen


@pytest.fixture
def package(tmp_path: Path) -> Path:
    return write_package(tmp_path / "pkg")


def test_request_policies_and_override(package: Path, service: tuple[str, list[dict[str, Any]]]) -> None:
    base, seen = service
    emulator = Emulator(package, {"apiKey": "k1", "region": "https://us.fake.example/v2"}, base_url=base + "/v2")
    call = emulator.call("GetItem", {"itemId": "a b&c", "tags": ["x", "y"], "verbose": True})
    assert call.response.status == 200
    # Where the platform would go: the dynamic host, the path encoded once, query from the policy.
    assert call.platform_url == "https://us.fake.example/v2/items/a%20b%26c?tags=x%2Cy&verbose=true&format=full&tenant=t-k1"
    got = seen[-1]
    assert got["raw_path"] == "/v2/items/a%20b%26c"
    assert ("format", "full") in got["query"]  # internal parameter sent with its default
    assert got["headers"]["authorization"] == "Key k1"
    assert got["headers"]["x-once"] == "policy"
    assert call.policies == ["auth", "skip", "query", "host"]


def test_default_connection_value_and_required_parameters(package: Path) -> None:
    emulator = Emulator(package, {"apiKey": "k1"})
    _request, platform_url, _ = emulator.prepare("GetItem", {"itemId": "1"})
    assert platform_url.startswith("https://eu.fake.example/v2/items/1?")  # region's defaultValue
    with pytest.raises(EmulatorError, match="required parameter 'itemId'"):
        emulator.prepare("GetItem", {})
    with pytest.raises(EmulatorError, match="unknown parameter"):
        emulator.prepare("GetItem", {"itemId": "1", "nope": 1})
    with pytest.raises(EmulatorError, match="connection parameter 'apiKey' is required"):
        Emulator(package, {})


def test_route_request_to_endpoint(package: Path, service: tuple[str, list[dict[str, Any]]]) -> None:
    base, seen = service
    emulator = Emulator(package, {"apiKey": "k1"}, base_url=base + "/v2")
    call = emulator.call("ListThings", body={"limit": 2})
    assert call.response.status == 200
    assert (seen[-1]["method"], seen[-1]["path"], seen[-1]["body"]) == ("POST", "/v2/things", '{"limit":2}')
    assert "route list" in call.policies


def test_webhook_register_and_delete(package: Path, service: tuple[str, list[dict[str, Any]]]) -> None:
    base, seen = service
    emulator = Emulator(package, {"apiKey": "k1"}, base_url=base + "/v2")
    subscription = emulator.register_webhook("CreateHook", "https://flow.example/callback/1")
    assert subscription.location.endswith("/v2/hooks/h1")
    assert seen[-1]["body"] == '{"callback":"https://flow.example/callback/1","events":["all"]}'
    deleted = emulator.delete_subscription(subscription)
    assert (deleted.operation_id, deleted.response.status) == ("DeleteHook", 204)
    assert (seen[-1]["method"], seen[-1]["path"]) == ("DELETE", "/v2/hooks/h1")
    with pytest.raises(EmulatorError, match="not a trigger"):
        emulator.register_webhook("ListThings", "https://flow.example/x")


def test_polling_state_moves_forward(package: Path, service: tuple[str, list[dict[str, Any]]]) -> None:
    base, seen = service
    emulator = Emulator(package, {"apiKey": "k1"}, base_url=base + "/v2")
    first = emulator.poll("WhenEvent", {"since": 0})
    assert [e["id"] for e in first.items] == [3, 2]
    assert first.state == {"since": "3"}
    assert seen[-1]["path"] == "/v2/events"
    second = emulator.poll("WhenEvent", {"since": 0}, first.state)
    assert second.items == [] and second.state == {"since": "3"}
    assert ("since", "3") in seen[-1]["query"]


def test_swagger_validator_understands_x_nullable(package: Path) -> None:
    swagger = load_emulated_package(package).swagger
    validator = swagger_validator(swagger, {"$ref": "#/definitions/Event"})
    assert validator.is_valid({"id": 1, "note": None})
    assert not validator.is_valid({"note": "missing id"})
    assert not validator.is_valid({"id": "1"})


def test_unknown_operation_and_policy(package: Path, tmp_path: Path) -> None:
    emulator = Emulator(package, {"apiKey": "k1"})
    with pytest.raises(EmulatorError, match="no operation"):
        emulator.call("Nope")
    other = write_package(tmp_path / "other", host_template="@{utcNow()}")
    with pytest.raises(EmulatorError, match="not supported"):
        Emulator(other, {"apiKey": "k1"}).prepare("GetItem", {"itemId": "1"})
