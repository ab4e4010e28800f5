"""Volue webhook deliveries to a real HTTP receiver: signature, retries, PriceDelta events."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import socket

import pytest
from generator.mock import MockOptions

from tests.mock.conftest import MakeClient
from tests.mock.helpers import MockClient, Receiver, drain
from tests.mock.test_volue import TANK, VEHICLE, token

SECRET = "your-webhook-secret ÆØÅ"  # non-ASCII: the key is the secret's UTF-8 bytes


def verify(secret: str, body: bytes, signature: str) -> bool:
    """An independent Spark-Signature check, as a receiver would write it."""
    expected = base64.b64encode(hmac.new(secret.encode("utf-8"), body, hashlib.sha256).digest())
    return hmac.compare_digest(expected, signature.encode("ascii"))


@pytest.fixture
def volue(make_client: MakeClient) -> MockClient:
    client = make_client("volue", options=MockOptions(webhook_retry_delay=0.01, webhook_retries=3))
    client.headers["Authorization"] = f"Bearer {token(client)}"
    return client


def register(client: MockClient, receiver: Receiver, **overrides: object) -> str:
    body = {"url": receiver.url + "/spark", "webhookSecret": SECRET, "operations": ["Create", "Update"], "eventTypes": ["PriceDelta"], **overrides}
    answer = client.post("/webhooks", json=body)
    assert answer.status_code == 201
    return str(answer.json()["webhookId"])


def test_test_event_reaches_the_receiver_with_a_valid_signature(volue: MockClient, receiver: Receiver) -> None:
    webhook_id = register(volue, receiver)
    assert volue.post(f"/webhooks/{webhook_id}/test").status_code == 202
    drain(volue)
    assert len(receiver.requests) == 1
    delivery = receiver.requests[0]
    assert delivery.path == "/spark"
    assert verify(SECRET, delivery.body, delivery.headers["Spark-Signature"])
    assert not verify("another-secret", delivery.body, delivery.headers["Spark-Signature"])
    assert json.loads(delivery.body)["notificationType"] == "Test"


def test_failed_deliveries_are_retried_three_times_then_dropped(volue: MockClient, receiver: Receiver) -> None:
    receiver.statuses = [500, 503, 500, 500, 500]
    webhook_id = register(volue, receiver)
    volue.post(f"/webhooks/{webhook_id}/test")
    drain(volue)
    assert len(receiver.requests) == 4  # the first try and 3 retries
    assert len({r.body for r in receiver.requests}) == 1  # the same event each time
    delivery = volue.server.behaviour.ctx.webhooks.deliveries[-1]
    assert delivery.attempts == [500, 503, 500, 500] and not delivery.delivered


def test_a_retry_that_succeeds_stops_retrying(volue: MockClient, receiver: Receiver) -> None:
    receiver.statuses = [502]
    webhook_id = register(volue, receiver)
    volue.post(f"/webhooks/{webhook_id}/test")
    drain(volue)
    delivery = volue.server.behaviour.ctx.webhooks.deliveries[-1]
    assert delivery.attempts == [502, 200] and delivery.delivered


def test_price_delta_goes_to_subscribed_webhooks_only(volue: MockClient, receiver: Receiver) -> None:
    volue.post("/users", json={"userId": "u1"})
    volue.post("/users/u1/vehicles", json=VEHICLE)
    volue.post("/users/u1/resources", json=TANK)
    register(volue, receiver)
    register(volue, receiver, operations=["Delete"])  # not subscribed to Create
    answer = volue.post("/_mock/events/price-delta", json={"priceArea": "NO3", "operation": "Create"})
    assert answer.json()["deliveries"] == 1
    drain(volue)
    assert len(receiver.requests) == 1
    delivery = receiver.requests[0]
    assert verify(SECRET, delivery.body, delivery.headers["Spark-Signature"])
    notification = json.loads(delivery.body)
    assert notification["notificationType"] == "PriceDelta"
    assert {t["resourceId"] for t in notification["payload"]["targets"]} == {"ev-1", "tank-1"}
    assert volue.get(f"/events/{notification['eventId']}").status_code == 200  # readable after delivery


def test_emit_price_delta_from_python(volue: MockClient, receiver: Receiver) -> None:
    register(volue, receiver)
    behaviour = volue.server.behaviour
    event, sent = behaviour.emit_price_delta(price_area="SE3", points=[{"price": 0.5, "timestamp": "2024-01-01T00:00:00Z"}])  # type: ignore[attr-defined]
    drain(volue)
    assert sent == 1 and event["payload"]["priceArea"] == "SE3"
    assert json.loads(receiver.requests[0].body)["payload"]["priceCurveDelta"]["points"] == [{"price": 0.5, "timestamp": "2024-01-01T00:00:00Z"}]


def test_unreachable_webhook_url_is_a_failed_delivery_not_an_error(volue: MockClient) -> None:
    assert volue.post("/webhooks", json={"url": "urn:not-http", "webhookSecret": "x", "operations": ["Create"], "eventTypes": ["PriceDelta"]}).status_code == 400
    with socket.socket() as closed:  # a loopback port nothing listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    answer = volue.post("/webhooks", json={"url": f"http://127.0.0.1:{port}/", "webhookSecret": "x", "operations": ["Create"], "eventTypes": ["PriceDelta"]})
    assert volue.post(f"/webhooks/{answer.json()['webhookId']}/test").status_code == 202
    drain(volue)
    delivery = volue.server.behaviour.ctx.webhooks.deliveries[-1]
    assert delivery.done and not delivery.delivered and len(delivery.attempts) == 4
