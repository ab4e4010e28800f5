"""Volue mock: token endpoint, token expiry, users and their things, webhooks, events, reports."""

from __future__ import annotations

import base64

import pytest
from generator.mock import MockOptions

from tests.mock.conftest import MakeClient
from tests.mock.helpers import FakeClock, MockClient

CLIENT = {"client_id": "mock-client", "client_secret": "mock-client-secret"}
VEHICLE = {"vehicleId": "ev-1", "metadata": {"resourceType": "Vehicle", "brand": "Tesla", "model": "Model 3", "year": 2022, "vin": "5YJ3"}}
METER = {
    "address": {"street": "Bjørkvegen 12", "city": "Støren", "zipCode": "7290"},
    "location": {"latitude": 63.1, "longitude": 10.7},
    "meterPointId": "707057500041234567",
    "meterNumber": "6970631400817263",
    "locationType": "Residential",
}
TANK = {"resourceId": "tank-1", "metadata": {"resourceType": "HotWaterTank", "brand": "Oso", "model": "S", "capacity": 500, "heatingElements": [1750]}}
WEBHOOK = {"url": "http://127.0.0.1:9/hook", "webhookSecret": "s3cret", "operations": ["Create"], "eventTypes": ["PriceDelta"]}


def token(client: MockClient) -> str:
    answer = client.post("/connect/token", data={"grant_type": "client_credentials", **CLIENT})
    assert answer.status_code == 200, answer.text
    assert answer.json()["token_type"] == "Bearer"
    return str(answer.json()["access_token"])


@pytest.fixture
def volue(make_client: MakeClient, clock: FakeClock) -> MockClient:
    client = make_client("volue", clock=clock)
    client.headers["Authorization"] = f"Bearer {token(client)}"
    return client


def test_token_endpoint_accepts_form_and_basic_credentials(make_client: MakeClient) -> None:
    client = make_client("volue")
    form = client.post("/connect/token", data={"grant_type": "client_credentials", **CLIENT})
    basic_auth = base64.b64encode(b"mock-client:mock-client-secret").decode()
    basic = client.post("/connect/token", data={"grant_type": "client_credentials"}, headers={"Authorization": f"Basic {basic_auth}"})
    assert form.status_code == basic.status_code == 200
    assert form.json()["expires_in"] == 1800
    assert form.json()["access_token"] != basic.json()["access_token"]


def test_token_endpoint_rejects_bad_clients_and_grants(make_client: MakeClient) -> None:
    client = make_client("volue")
    wrong = client.post("/connect/token", data={"grant_type": "client_credentials", "client_id": "mock-client", "client_secret": "nope"})
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client"
    grant = client.post("/connect/token", data={"grant_type": "password", **CLIENT})
    assert grant.status_code == 400 and grant.json()["error"] == "unsupported_grant_type"


def test_api_requires_a_valid_unexpired_token(make_client: MakeClient, clock: FakeClock) -> None:
    client = make_client("volue", clock=clock, options=MockOptions(token_lifetime=60))
    assert client.get("/users").status_code == 401
    assert client.get("/users", headers={"Authorization": "Bearer forged"}).status_code == 401
    headers = {"Authorization": f"Bearer {token(client)}"}
    assert client.get("/users", headers=headers).status_code == 200
    clock.advance(59)
    assert client.get("/users", headers=headers).status_code == 200
    clock.advance(1)
    expired = client.get("/users", headers=headers)
    assert expired.status_code == 401
    assert expired.headers["content-type"] == "application/problem+json"
    assert expired.headers["www-authenticate"].startswith("Bearer")


def test_token_of_another_mock_is_refused(make_client: MakeClient) -> None:
    first, second = make_client("volue"), make_client("volue")
    assert second.get("/users", headers={"Authorization": f"Bearer {token(first)}"}).status_code == 401


def test_users_and_their_things_are_created_read_and_deleted(volue: MockClient) -> None:
    assert volue.post("/users", json={"userId": "u1"}).json() == {"userId": "u1"}
    assert volue.post("/users", json={"userId": "u1"}).status_code == 409
    assert volue.post("/users/u1/vehicles", json=VEHICLE).status_code == 201
    assert volue.post("/users/u1/vehicles", json=VEHICLE).status_code == 409
    meter_id = volue.post("/users/u1/meters", json=METER).json()["meterId"]
    assert volue.post("/users/u1/meters", json=METER).status_code == 409  # same meter point
    assert volue.post("/users/u1/resources", json=TANK).status_code == 201
    assert volue.get("/users/u1/vehicles/ev-1").json() == VEHICLE
    assert volue.get(f"/users/u1/meters/{meter_id}").json()["meterPointId"] == METER["meterPointId"]
    assert [r["resourceId"] for r in volue.get("/users/u1/resources").json()] == ["tank-1"]
    assert volue.delete("/users/u1/vehicles/ev-1").status_code == 204
    assert volue.get("/users/u1/vehicles/ev-1").status_code == 404
    assert volue.get("/users/u1/vehicles").json() == []


def test_deleting_a_user_deletes_their_things(volue: MockClient) -> None:
    volue.post("/users", json={"userId": "u2"})
    volue.post("/users/u2/vehicles", json=VEHICLE)
    assert volue.delete("/users/u2").status_code == 204
    assert volue.get("/users/u2").status_code == 404
    assert volue.get("/users/u2/vehicles/ev-1").status_code == 404
    volue.post("/users", json={"userId": "u2"})
    assert volue.get("/users/u2/vehicles").json() == []  # re-registering starts empty


def test_unknown_user_answers_problem_details_404(volue: MockClient) -> None:
    answer = volue.post("/users/nobody/vehicles", json=VEHICLE)
    assert answer.status_code == 404
    assert answer.json()["title"] == "Not Found" and answer.json()["status"] == 404


def test_invalid_body_answers_400_with_the_failing_field(volue: MockClient) -> None:
    volue.post("/users", json={"userId": "u3"})
    bad = {**VEHICLE, "metadata": {**VEHICLE["metadata"], "year": "2022"}}
    answer = volue.post("/users/u3/vehicles", json=bad)
    assert answer.status_code == 400
    assert answer.headers["content-type"] == "application/problem+json"
    assert "$.metadata.year" in answer.json()["errors"]


def test_webhooks_are_stored_without_their_secret(volue: MockClient) -> None:
    created = volue.post("/webhooks", json=WEBHOOK).json()
    assert "webhookSecret" not in created
    webhook_id = created["webhookId"]
    updated = volue.put(f"/webhooks/{webhook_id}", json={**WEBHOOK, "operations": ["Create", "Delete"]}).json()
    assert updated["operations"] == ["Create", "Delete"] and updated["webhookId"] == webhook_id
    assert [w["webhookId"] for w in volue.get("/webhooks").json()] == [webhook_id]
    assert volue.post(f"/webhooks/{webhook_id}/test").status_code == 202
    assert volue.delete(f"/webhooks/{webhook_id}").status_code == 204
    assert volue.get(f"/webhooks/{webhook_id}").status_code == 404
    assert volue.post(f"/webhooks/{webhook_id}/test").status_code == 404


def test_events_are_seeded_from_the_spec_and_reports_refer_to_them(volue: MockClient) -> None:
    events = volue.get("/events").json()
    assert events, "the spec's example events seed the mock"
    event = events[0]
    assert volue.get(f"/events/{event['id']}").json() == event
    assert volue.get("/events/no-such-event").status_code == 404
    payload = {"payloadType": "VehicleChargeAction", "resourceId": "ev-1", "location": {"latitude": 63.1, "longitude": 10.7}, "actionType": "Start"}
    report = volue.post("/reports", json={"eventId": event["id"], "name": "Started", "payloads": [payload]}).json()
    assert report["programId"] == event["programId"] and report["eventId"] == event["id"]


def test_price_delta_admin_hook_creates_an_event(volue: MockClient) -> None:
    answer = volue.post("/_mock/events/price-delta", json={"priceArea": "NO1"})
    assert answer.status_code == 201
    event = answer.json()["event"]
    assert answer.json()["deliveries"] == 0  # no webhook registered
    assert volue.get(f"/events/{event['id']}").json()["payload"] == {"payloadType": "PriceDelta", "priceArea": "NO1"}
    assert volue.post("/_mock/events/price-delta", content=b"[1]").status_code == 400


def test_fresh_app_is_a_fresh_state(make_client: MakeClient) -> None:
    first = make_client("volue")
    first.headers["Authorization"] = f"Bearer {token(first)}"
    first.post("/users", json={"userId": "only-here"})
    second = make_client("volue")
    second.headers["Authorization"] = f"Bearer {token(second)}"
    assert second.get("/users/only-here").status_code == 404
    assert first.server.behaviour is not second.server.behaviour


def test_ids_that_look_percent_encoded_are_found_as_tools_send_them(volue: MockClient) -> None:
    # Postman and schemathesis put such an id into the URL as it is; the server decodes it once.
    assert volue.post("/users", json={"userId": "r%C2%A2"}).status_code == 201
    assert volue.get("/users/r%C2%A2").json() == {"userId": "r%C2%A2"}
    assert volue.post("/users", json={"userId": "r¢"}).status_code == 409
    assert volue.post("/users/r%C2%A2/vehicles", json={**VEHICLE, "vehicleId": "v%41"}).status_code == 201
    assert volue.get("/users/r%C2%A2/vehicles/v%41").json()["vehicleId"] == "v%41"
    assert volue.delete("/users/r%C2%A2").status_code == 204


def test_tokens_last_30_minutes_by_default(make_client: MakeClient, clock: FakeClock) -> None:
    client = make_client("volue", clock=clock)
    headers = {"Authorization": f"Bearer {token(client)}"}
    clock.advance(30 * 60 - 1)
    assert client.get("/users", headers=headers).status_code == 200
    clock.advance(1)
    assert client.get("/users", headers=headers).status_code == 401


def test_reset_restores_the_seeded_state_and_keeps_tokens(volue: MockClient) -> None:
    from generator.mock import mock_server

    assert volue.post("/users", json={"userId": "customer-7"}).status_code == 201
    assert volue.post("/users", json={"userId": "customer-7"}).status_code == 409
    mock_server(volue.app).behaviour.reset()
    assert volue.get("/users/customer-7").status_code == 404  # the user is gone
    assert volue.post("/users", json={"userId": "customer-7"}).status_code == 201  # same token still valid
