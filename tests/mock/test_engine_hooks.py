"""The generic engine's hooks for vendor overrides (`store_scope`, `unknown_item`), on the invented
fifth vendor served by a subclass of GenericBehaviour."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from generator.mock import create_app
from generator.mock.engine import GenericBehaviour
from generator.mock.http import MockRequest, MockResponse
from generator.mock.operations import CompiledOperation
from generator.mock.resources import Resource

from tests.mock.helpers import MockClient

FIFTH = Path(__file__).resolve().parents[1] / "data" / "mockcorpus" / "acme-charge"
KEY = {"X-Api-Key": "mock-acme-key"}


class _Tenanted(GenericBehaviour):
    """A store per `X-Tenant` header (the seed stays in the plain scope); its own 404 message."""

    default_credentials = {"apiKey": "mock-acme-key"}

    def store_scope(self, request: MockRequest, resource: Resource) -> tuple[str, ...]:
        tenant = request.headers.get("x-tenant")
        return super().store_scope(request, resource) + ((tenant,) if tenant else ())

    def unknown_item(self, request: MockRequest, op: CompiledOperation) -> MockResponse:
        return self.error(404, f"No station {request.params['stationId']} here.", request=request)


@pytest.fixture
def client(monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr("generator.mock.behaviour_class", lambda name: _Tenanted)
    app = create_app(str(FIFTH), check_responses=True)
    mock = MockClient(app)
    mock.headers.update(KEY)
    yield mock
    mock.close()


def test_store_scope_separates_what_a_request_reads_and_writes(client: MockClient) -> None:
    assert client.get("/stations/st-1").status_code == 200  # the seed, plain scope
    tenant = {"X-Tenant": "t1"}
    assert client.get("/stations/st-1", headers=tenant).status_code == 404
    created = client.post("/stations", json={"name": "Tenant depot", "maxPowerKw": 11}, headers=tenant)
    assert created.status_code == 201
    new_id = created.json()["stationId"]
    assert client.get(f"/stations/{new_id}", headers=tenant).json()["name"] == "Tenant depot"
    assert client.get(f"/stations/{new_id}").status_code == 404
    assert [s["stationId"] for s in client.get("/stations", headers=tenant).json()["data"]] == [new_id]


def test_unknown_item_is_the_override_answer(client: MockClient) -> None:
    answer = client.get("/stations/nope")
    assert answer.status_code == 404 and answer.json()["message"] == "No station nope here."
    assert client.delete("/stations/nope").json()["message"] == "No station nope here."


def test_without_an_override_unknown_ids_get_the_documented_404() -> None:
    mock = MockClient(create_app(str(FIFTH), check_responses=True))
    answer = mock.get("/stations/nope", headers=KEY)
    mock.close()
    assert answer.status_code == 404 and answer.json()["message"] == "No such item: /stations/nope"
