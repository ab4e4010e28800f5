"""Every action of every vendor package, through the emulator (policies, custom code compiled with
Mono), against the vendor's mock server; auth failures; the Volue webhook trigger; the Eevion
polling trigger."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from generator.emulator import Call, Emulator, swagger_validator
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.emulator.mono_support import require_mono
from tests.emulator.servers import serve
from tests.emulator.vendor_calls import connection_for, run_all
from tests.powerplatform.packages import VENDORS, built_packages

mock = pytest.importorskip("generator.mock")

SCRIPTED = {"vev-iq", "volue", "eevion"}
SECRET = {"vev-iq": "password", "volue": "client_secret", "eevion": "apiKey", "greenflux": "token"}


class Receiver:
    """The flow's side of a webhook: records what is POSTed to it."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.arrived = threading.Event()

    async def endpoint(self, request: Request) -> Response:
        self.received.append(({k.lower(): v for k, v in request.headers.items()}, await request.body()))
        self.arrived.set()
        return Response(status_code=200)


def _wait_for(target: Receiver, wanted: Callable[[bytes], bool], timeout: float = 30.0) -> tuple[dict[str, str], bytes] | None:
    """The first delivery whose body satisfies `wanted`, waiting for arrivals until `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        target.arrived.clear()
        for headers, body in list(target.received):
            if wanted(body):
                return headers, body
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not target.arrived.wait(timeout=remaining):
            return None


@pytest.fixture(scope="module")
def receiver() -> Iterator[tuple[str, Receiver]]:
    target = Receiver()
    with serve(Starlette(routes=[Route("/flow/{rest:path}", target.endpoint, methods=["POST"])])) as base:
        yield base + "/flow/callback", target


@pytest.fixture(scope="module")
def vendor_mock(request: pytest.FixtureRequest) -> Iterator[tuple[str, dict[str, Any], Any]]:
    vendor = str(request.param)
    if vendor in SCRIPTED:
        require_mono()
    try:
        app = mock.create_app(vendor, rate_limit=False)
    except (ValueError, ImportError) as exc:  # a vendor whose mock has not landed yet
        pytest.skip(f"no mock for {vendor}: {exc}")
    with serve(app) as base:
        describe = httpx.get(base + "/_mock/describe").json()
        yield vendor, describe, app


def _emulator(vendor: str, describe: dict[str, Any], set_index: int = 0, **changes: str) -> Emulator:
    connection, parameter_set = connection_for(vendor, describe, set_index)
    connection.update(changes)
    return Emulator(built_packages()[vendor][0], connection, base_url=describe["baseUrl"], parameter_set=parameter_set)


def _valid(emulator: Emulator, call: Call) -> list[str]:
    op = emulator.package.operation(call.operation_id)
    response = op.spec["responses"].get(str(call.response.status), {})
    if "schema" not in response:
        return []
    validator = swagger_validator(emulator.package.swagger, response["schema"])
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(call.response.json())]


@pytest.mark.parametrize("vendor_mock", VENDORS, indirect=True)
def test_every_action_succeeds_with_a_valid_body(vendor_mock: tuple[str, dict[str, Any], Any], receiver: tuple[str, Receiver]) -> None:
    vendor, describe, _ = vendor_mock
    emulator = _emulator(vendor, describe)
    calls = run_all(emulator, receiver[0])
    failures = {k: (c.response.status, c.response.body[:300]) for k, c in calls.items() if not c.response.ok}
    assert failures == {}
    invalid = {k: errors for k, c in calls.items() if (errors := _valid(emulator, c))}
    assert invalid == {}
    if vendor in SCRIPTED:
        assert all(c.response.sent for c in calls.values())  # really through the custom code


@pytest.mark.parametrize("vendor_mock", VENDORS, indirect=True)
def test_wrong_secret_yields_the_vendors_error(vendor_mock: tuple[str, dict[str, Any], Any]) -> None:
    vendor, describe, _ = vendor_mock
    wrong = {**describe, "credentials": {**describe["credentials"], SECRET[vendor]: "wrong-" + SECRET[vendor]}}
    emulator = _emulator(vendor, wrong)
    test_connection = emulator.package.swagger["x-ms-capabilities"]["testConnection"]
    parameters = {k: v.get("value", v) if isinstance(v, dict) else v for k, v in test_connection.get("parameters", {}).items()}
    call = emulator.call(test_connection["operationId"], parameters)
    base, credentials = describe["baseUrl"], wrong["credentials"]
    if vendor == "vev-iq":  # the sign-in's own answer, status and message, comes back
        direct = httpx.post(base + "/auth/signin", json={**{k: credentials[k] for k in ("email", "password", "tenant")}, "acceptEula": True})
        assert call.response.status == direct.status_code >= 400
        assert call.response.json()["errorMessage"] == direct.json()["errorMessage"]
        assert len(call.response.sent) == 1  # nothing forwarded
    elif vendor == "volue":
        direct = httpx.post(describe["tokenUrl"], data={"grant_type": "client_credentials", "client_id": credentials["client_id"], "client_secret": credentials["client_secret"]})
        assert call.response.status == direct.status_code >= 400
        body = call.response.json()
        assert body["error"] == direct.json()["error"]
        assert direct.json().get("error_description", direct.json()["error"]) in body["message"]
    else:
        assert call.response.status == 401
        assert call.response.body  # the vendor's error format, as the mock answers it


@pytest.mark.parametrize("vendor_mock", ["vev-iq"], indirect=True)
def test_vev_iq_token_parameter_set(vendor_mock: tuple[str, dict[str, Any], Any]) -> None:
    vendor, describe, _ = vendor_mock
    credentials = describe["credentials"]
    signin = httpx.post(describe["baseUrl"] + "/auth/signin", json={**{k: credentials[k] for k in ("email", "password", "tenant")}, "acceptEula": True})
    emulator = Emulator(built_packages()[vendor][0], {"api_key": signin.json()["token"]}, base_url=describe["baseUrl"], parameter_set="token")
    call = emulator.call("ListSites", {"Limit": 10})
    assert call.response.status == 200
    assert call.response.sent == [f"GET {describe['baseUrl']}/api/sites?Limit=10"]  # no sign-in


@pytest.mark.parametrize("vendor_mock", ["volue"], indirect=True)
def test_volue_webhook_trigger(vendor_mock: tuple[str, dict[str, Any], Any], receiver: tuple[str, Receiver]) -> None:
    vendor, describe, _ = vendor_mock
    url, target = receiver
    emulator = _emulator(vendor, describe)
    subscription = emulator.register_webhook("CreateWebhook", url, body={"webhookSecret": "flow-secret"})
    webhook_id = subscription.registration.response.json()["webhookId"]
    assert subscription.location == f"{describe['baseUrl']}/webhooks/{webhook_id}"
    registered = emulator.call("GetWebhook", {"webhookId": webhook_id}).response.json()
    assert registered["url"] == url and registered["eventTypes"] == ["PriceDelta"]

    target.received.clear()
    target.arrived.clear()
    control = (describe["credentials"]["client_id"], describe["credentials"]["client_secret"])  # control endpoints need the mock's credentials
    emitted = httpx.post(describe["baseUrl"] + "/_mock/events/price-delta", json={"priceArea": "NO1"}, auth=control)
    assert emitted.status_code == 201 and emitted.json()["deliveries"] >= 1
    # Deliveries are queued and retried, so an earlier test's notification may still arrive: take the PriceDelta one.
    delivered = _wait_for(target, lambda body: json.loads(body).get("notificationType") == "PriceDelta")
    assert delivered is not None, "the mock delivered no PriceDelta notification"
    headers, payload = delivered
    assert "spark-signature" in headers
    path = emulator.package.operation("CreateWebhook").path
    content = emulator.package.swagger["paths"][path]["x-ms-notification-content"]
    errors = list(swagger_validator(emulator.package.swagger, content["schema"]).iter_errors(__import__("json").loads(payload)))
    assert errors == []

    deleted = emulator.delete_subscription(subscription)
    assert (deleted.operation_id, deleted.response.status) == ("DeleteWebhook", 204)
    assert emulator.call("GetWebhook", {"webhookId": webhook_id}).response.status == 404


@pytest.mark.parametrize("vendor_mock", ["eevion"], indirect=True)
def test_eevion_environment(vendor_mock: tuple[str, dict[str, Any], Any]) -> None:
    vendor, describe, _ = vendor_mock
    production = _emulator(vendor, describe).call("ListSites")
    staging = _emulator(vendor, describe, environment="staging").call("ListSites")
    assert production.response.status == staging.response.status == 200
    assert production.response.sent == [f"GET {describe['baseUrl']}/site"]
    assert staging.response.sent == [f"GET {describe['baseUrl']}/site?environment=staging"]


@pytest.mark.parametrize("vendor_mock", ["eevion"], indirect=True)
def test_eevion_polling_trigger(vendor_mock: tuple[str, dict[str, Any], Any]) -> None:
    vendor, describe, _ = vendor_mock
    emulator = _emulator(vendor, describe)
    first = emulator.poll("WhenStationException", {"since": 0})
    assert first.call.request.path == "/station/exceptions" and first.call.response.status == 200
    assert first.items, "the mock's exceptions should fire the trigger"
    validator = swagger_validator(emulator.package.swagger, {"$ref": "#/definitions/StationException"})
    assert all(validator.is_valid(item) for item in first.items)
    newest = max(item["timestamp"] for item in first.items)
    assert first.state == {"since": str(newest + 1)}
    second = emulator.poll("WhenStationException", {"since": 0}, first.state)
    assert second.items == [] and second.state == first.state  # nothing new: no run


@pytest.mark.parametrize("vendor_mock", ["greenflux"], indirect=True)
def test_greenflux_acceptance_host(vendor_mock: tuple[str, dict[str, Any], Any]) -> None:
    vendor, describe, _ = vendor_mock
    call = _emulator(vendor, describe, environment="https://platform-a.greenflux.com").call("ListLocations", {"limit": 1})
    assert call.platform_url.startswith("https://platform-a.greenflux.com/api/1.0/locations?")
    assert call.response.status == 200


@pytest.mark.parametrize("vendor_mock", ["eevion"], indirect=True)
def test_eevion_station_choices(vendor_mock: tuple[str, dict[str, Any], Any]) -> None:
    vendor, describe, _ = vendor_mock
    emulator = _emulator(vendor, describe)
    choices = emulator.call("ListStationChoices").response.json()
    sites = emulator.call("ListSites").response.json()
    expected = sorted(port["displayName"] for site in sites for port in site["ports"])
    assert sorted(c["value"] for c in choices) == expected
    assert all(c["title"].endswith(")") for c in choices)  # "<station> (<site>)"
    assert emulator.call("GetStation", {"stationId": choices[0]["value"]}).response.status == 200
    staging = _emulator(vendor, describe, environment="staging").call("ListStationChoices")
    assert staging.response.sent == [f"GET {describe['baseUrl']}/site?environment=staging"]


@pytest.mark.parametrize("vendor_mock", VENDORS, indirect=True)
def test_mock_credentials_appear_in_no_generated_file(vendor_mock: tuple[str, dict[str, Any], Any]) -> None:
    vendor, describe, _ = vendor_mock
    secrets = [str(v) for v in describe["credentials"].values() if len(str(v)) >= 6]
    for path in built_packages()[vendor][0].iterdir():
        data = path.read_bytes()
        for secret in secrets:
            assert secret.encode() not in data, f"{path.name} holds a credential of the mock"
