"""Eevion mock: API key, rate limit, staging data set, sessions, jobs, exceptions, reports, webhooks."""

from __future__ import annotations

import json

import pytest
from generator.mock import MockOptions

from tests.mock.conftest import MakeClient
from tests.mock.helpers import FakeClock, MockClient, Receiver, drain

KEY = {"Authorization": "Bearer mock-api-key"}
SITE_ID = "64c82f79dfba67013a3cedf9"  # the spec's GetSite example
STATION = "2133"  # the spec's stationId example


@pytest.fixture
def eevion(make_client: MakeClient, clock: FakeClock) -> MockClient:
    client = make_client("eevion", clock=clock, rate_limit=False, options=MockOptions(settings={"authorize_seconds": 30, "job_seconds": 0}, webhook_retry_delay=0.01))
    client.headers.update(KEY)
    return client


def start(client: MockClient, station: str = "2225_A", **body: object) -> dict[str, object]:
    answer = client.post("/session", json={"stationId": station, **body})
    assert answer.status_code == 200, answer.text
    session: dict[str, object] = answer.json()
    return session


def test_api_key_is_required(make_client: MakeClient) -> None:
    client = make_client("eevion")
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "mock-api-key"}):
        answer = client.get("/site", headers=headers)
        assert answer.status_code == 401
        assert answer.json()["error"] == "unauthorized"
    assert client.get("/site", headers=KEY).status_code == 200


def test_rate_limit_is_60_per_60_seconds_per_key(make_client: MakeClient, clock: FakeClock) -> None:
    client = make_client("eevion", clock=clock)
    for _ in range(60):
        assert client.get(f"/station/{STATION}", headers=KEY).status_code == 200
    limited = client.get("/site", headers=KEY)
    assert limited.status_code == 429
    assert limited.json()["error"] == "rateLimited" and int(limited.headers["retry-after"]) == 60
    clock.advance(30)
    assert client.get("/site", headers=KEY).status_code == 429  # the window slides, it does not reset
    clock.advance(30)
    assert client.get("/site", headers=KEY).status_code == 200
    other_key = make_client("eevion", clock=clock, credentials={"apiKey": "second-key"})
    assert other_key.get("/site", headers={"Authorization": "Bearer second-key"}).status_code == 200


def test_rate_limit_can_be_turned_off(make_client: MakeClient) -> None:
    client = make_client("eevion", rate_limit=False, options=MockOptions(rate_limit_requests=2))
    assert all(client.get("/site", headers=KEY).status_code == 200 for _ in range(5))


def test_sites_and_stations_come_from_the_spec(eevion: MockClient) -> None:
    sites = eevion.get("/site").json()
    assert SITE_ID in {s["id"] for s in sites}
    assert eevion.get(f"/site/{SITE_ID}").json()["id"] == SITE_ID
    station = eevion.get(f"/station/{STATION}").json()
    assert station["displayName"] == STATION and station["location"]["id"]
    unknown = eevion.get("/station/no-such-station")
    assert unknown.status_code == 400 and unknown.json()["error"] == "invalidRequest"
    assert eevion.get("/site/nope").status_code == 400


def test_staging_is_a_separate_data_set(eevion: MockClient) -> None:
    production = eevion.get(f"/site/{SITE_ID}").json()
    staging = eevion.get(f"/site/{SITE_ID}", params={"environment": "staging"}).json()
    assert production["name"] != staging["name"] and staging["name"].startswith("[Staging]")
    session = start(eevion)
    assert eevion.get(f"/session/{session['sessionId']}").status_code == 200
    assert eevion.get(f"/session/{session['sessionId']}", params={"environment": "staging"}).status_code == 400
    assert eevion.get("/site", params={"environment": "production"}).status_code == 400  # enum: staging only


def test_new_session_is_authorizing_then_charging_on_read(eevion: MockClient) -> None:
    session = start(eevion)
    assert session["status"] == "authorizing"
    refused = eevion.patch(f"/session/{session['sessionId']}/stop", json={"portId": session["portId"]})
    assert refused.status_code == 400 and "authorizing" in refused.json()["message"]
    assert eevion.get(f"/session/{session['sessionId']}").json()["status"] == "charging"
    stopped = eevion.patch(f"/session/{session['sessionId']}/stop", json={"portId": session["portId"]}).json()
    assert stopped["status"] == "complete" and stopped["endTime"]
    assert eevion.get(f"/session/{session['sessionId']}").json()["status"] == "complete"
    again = eevion.patch(f"/session/{session['sessionId']}/stop", json={"portId": session["portId"]})
    assert again.status_code == 200 and again.json()["endTime"] == stopped["endTime"]


def test_session_starts_charging_after_the_delay(eevion: MockClient, clock: FakeClock) -> None:
    session = start(eevion)
    clock.advance(29)
    assert eevion.patch(f"/session/{session['sessionId']}/stop", json={"portId": "p"}).status_code == 400
    clock.advance(1)
    assert eevion.patch(f"/session/{session['sessionId']}/stop", json={"portId": "p"}).json()["status"] == "complete"


def test_busy_or_unknown_station_cannot_start(eevion: MockClient) -> None:
    start(eevion, "2225_A")
    busy = eevion.post("/session", json={"stationId": "2225_A"})
    assert busy.status_code == 400 and busy.json()["details"]["code"] == 707
    unknown = eevion.post("/session", json={"stationId": "nope"})
    assert unknown.status_code == 400 and unknown.json()["message"] == "That station is not allowed"
    assert eevion.get("/station/2225_A").json()["status"] == "in use"


def test_sessions_are_listed_with_filters(eevion: MockClient) -> None:
    everything = eevion.post("/session").json()
    session = start(eevion, "1021416")
    listed = eevion.post("/session", json={"stations": ["1021416"]}).json()
    assert [s["sessionId"] for s in listed] == [session["sessionId"]]
    assert listed[0]["status"] == "charging"  # listing reads the session
    assert len(eevion.post("/session", json={}).json()) == len(everything) + 1
    assert len(eevion.post("/session", json={"limit": 1, "offset": 1}).json()) == 1
    assert eevion.post("/session", json={"limit": 0}).status_code == 400


def test_session_complete_webhook_is_posted(eevion: MockClient, receiver: Receiver) -> None:
    session = start(eevion, webhookOnSessionComplete=receiver.url + "/done")
    eevion.get(f"/session/{session['sessionId']}")
    eevion.patch(f"/session/{session['sessionId']}/stop", json={"portId": session["portId"]})
    drain(eevion)
    assert [r.path for r in receiver.requests] == ["/done"]
    body = json.loads(receiver.requests[0].body)
    assert body["sessionId"] == session["sessionId"] and body["status"] == "complete"


def test_manage_stations_queues_a_job_that_finishes(make_client: MakeClient, clock: FakeClock) -> None:
    client = make_client("eevion", clock=clock, rate_limit=False, options=MockOptions(settings={"job_seconds": 10}))
    client.headers.update(KEY)
    since = int(clock.now * 1000)
    answer = client.post("/station/manage", json={"commands": {"isPrivate": {"isPrivate": "yes"}}, "stationIds": [STATION, "nope"]})
    job_id = answer.json()["jobId"]
    job = next(j for j in client.get("/station/management-history", params={"since": since}).json() if j["id"] == job_id)
    assert job["status"] == "queued"
    clock.advance(10)
    job = next(j for j in client.get("/station/management-history", params={"since": since}).json() if j["id"] == job_id)
    assert job["status"] == "failed" and job["status_message"] == "1 of 2 stations done"
    assert job["errors"] == ["nope: That station is not allowed"]
    assert client.get(f"/station/{STATION}").json()["restriction"] == "private"


def test_job_finished_webhook_is_posted(eevion: MockClient, receiver: Receiver) -> None:
    body = {"commands": {"reset": {"type": "soft"}}, "stationIds": [STATION], "webhookOnJobFinished": receiver.url + "/job"}
    job_id = eevion.post("/station/manage", json=body).json()["jobId"]
    drain(eevion)
    job = json.loads(receiver.requests[0].body)
    assert job["id"] == job_id and job["status"] == "success" and job["type"] == "reset"


def test_exceptions_are_paged_750_per_page_from_page_1(eevion: MockClient) -> None:
    first = eevion.get("/station/exceptions", params={"since": 0}).json()
    assert first == eevion.get("/station/exceptions", params={"since": 0, "page": 1}).json()
    second = eevion.get("/station/exceptions", params={"since": 0, "page": 2}).json()
    assert len(first) == 750 and 0 < len(second) <= 750
    assert {e["id"] for e in first}.isdisjoint(e["id"] for e in second)
    assert [e["timestamp"] for e in first] == sorted((e["timestamp"] for e in first), reverse=True)
    assert eevion.get("/station/exceptions", params={"since": 0, "page": 0}).status_code == 400
    assert eevion.get("/station/exceptions").status_code == 400  # since is required
    late = eevion.get("/station/exceptions", params={"since": first[0]["timestamp"]}).json()
    assert all(e["timestamp"] >= first[0]["timestamp"] for e in late) and late


def test_report_has_a_total_and_an_average_row(eevion: MockClient) -> None:
    rows = eevion.post("/session/report", json={"startTimestamp": 0, "endTimestamp": 4102444800000, "groupBy": "station"}).json()
    assert [r["station_id"] for r in rows[-2:]] == ["total", "average"]
    assert rows[-2]["count"] == sum(r["count"] for r in rows[:-2])
    assert eevion.post("/session/report", json={"startTimestamp": 0}).status_code == 400


def test_energy_management_answers_per_station(eevion: MockClient) -> None:
    body = [{"stationId": STATION, "newChargingProfile": {"chargingRateUnit": "A", "limit": 16}}, {"stationId": "nope", "newChargingProfile": {"chargingRateUnit": "W", "limit": 1}}]
    answer = eevion.post("/station/energy-management", json=body).json()
    assert answer["result"] == "error"
    assert [d["result"] for d in answer["details"]] == ["success", "error"]


def test_every_station_of_the_spec_examples_exists(eevion: MockClient) -> None:
    # The sites of the session examples are a ListSites example of the spec; the station ids the
    # request examples use (stationId, bodies) are ports of the seeded sites.
    from generator.mock import spec_path_for
    from generator.mock.examples import param_examples, request_examples
    from generator.spec.loader import load_spec

    api = load_spec(spec_path_for("eevion")).api
    wanted = {str(v) for v in param_examples(api, "stationId")}
    for operation_id in ("ListOrStartSessions", "ManageStations", "ManageEnergy"):
        for body in request_examples(api, operation_id):
            for item in body if isinstance(body, list) else [body]:
                wanted |= {str(s) for s in [item.get("stationId"), *item.get("stationIds", []), *item.get("stations", [])] if s}
    assert {"2133", "2225_A", "1021416", "2222"} <= wanted
    for station in sorted(wanted):
        answer = eevion.get(f"/station/{station}")
        assert answer.status_code == 200 and answer.json()["displayName"] == station, station
    listed = {p["displayName"] for s in eevion.get("/site").json() for p in s["ports"]}
    assert wanted <= listed


def test_staging_changes_stay_in_staging(eevion: MockClient) -> None:
    staging = {"environment": "staging"}
    body = {"commands": {"isPrivate": {"isPrivate": "yes"}}, "stationIds": [STATION]}
    assert eevion.post("/station/manage", params=staging, json=body).status_code == 200
    assert eevion.get(f"/station/{STATION}", params=staging).json()["restriction"] == "private"
    assert eevion.get(f"/station/{STATION}").json()["restriction"] == "public"
    jobs = eevion.get("/station/management-history", params={"since": 0, **staging}).json()
    assert len(jobs) == len(eevion.get("/station/management-history", params={"since": 0}).json()) + 1


def test_reset_restores_the_seed(eevion: MockClient) -> None:
    session = start(eevion)
    assert eevion.get("/station/2225_A").json()["status"] == "in use"
    assert eevion.post("/_mock/reset").status_code < 300
    assert eevion.get("/station/2225_A").json()["status"] == "available"
    assert eevion.get(f"/session/{session['sessionId']}").status_code == 400
    assert eevion.get(f"/site/{SITE_ID}", params={"environment": "staging"}).json()["name"].startswith("[Staging]")


def test_only_a_refused_start_carries_details(eevion: MockClient) -> None:
    # The 400 of List or start sessions is documented with a refused start's `details` (code 707):
    # an unknown station is another failure and answers without them.
    unknown = eevion.post("/session", json={"stationId": "nope"}).json()
    assert (unknown["error"], unknown["message"]) == ("invalidRequest", "That station is not allowed") and "details" not in unknown
    start(eevion, "2225_A")
    busy = eevion.post("/session", json={"stationId": "2225_A"}).json()
    assert busy["details"]["code"] == 707 and busy["details"]["portId"]
