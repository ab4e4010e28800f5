"""GreenFlux mock: Token auth, OCPI envelope and status codes, paging headers, capacity groups."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from tests.mock.conftest import MakeClient
from tests.mock.helpers import MockClient

GROUPS = "/api/1.0/smartcharging/capacitygroups"


@pytest.fixture
def greenflux(make_client: MakeClient) -> MockClient:
    client = make_client("greenflux")
    client.headers["Authorization"] = "Token mock-token"
    return client


def test_token_auth(make_client: MakeClient) -> None:
    client = make_client("greenflux")
    for value in (None, "Token wrong", "Bearer mock-token", "mock-token"):
        answer = client.get("/api/1.0/locations", headers={"Authorization": value} if value else {})
        assert answer.status_code == 401
        assert answer.json()["status_code"] == 2000
    assert client.get("/api/1.0/locations", headers={"Authorization": "Token mock-token"}).json()["status_code"] == 1000


def test_paging_headers_and_link(greenflux: MockClient) -> None:
    # The spec's examples seed four locations: pages of three.
    first = greenflux.get("/api/1.0/locations", params={"limit": 3, "date_from": "2020-01-01T00:00:00Z"})
    total = int(first.headers["x-total-count"])
    assert first.headers["x-limit"] == "3" and len(first.json()["data"]) == 3 and total > 3
    seen = [loc["id"] for loc in first.json()["data"]]
    link = first.headers["link"]
    while link:
        url = link[1 : link.index(">")]
        assert link.endswith('rel="next"')
        query = parse_qs(urlparse(url).query)
        assert query["date_from"] == ["2020-01-01T00:00:00Z"]  # the other filters are kept
        page = greenflux.get(urlparse(url).path, params={k: v[0] for k, v in query.items()})
        seen += [loc["id"] for loc in page.json()["data"]]
        link = page.headers.get("link", "")
    assert len(seen) == total == len(set(seen))


def test_date_filters_are_inclusive_from_exclusive_to(greenflux: MockClient) -> None:
    everything = greenflux.get("/api/1.0/cdrs", params={"limit": 1000}).json()["data"]
    stamp = sorted(c["last_updated"] for c in everything)[len(everything) // 2]
    from_ = greenflux.get("/api/1.0/cdrs", params={"date_from": stamp, "limit": 1000}).json()["data"]
    to = greenflux.get("/api/1.0/cdrs", params={"date_to": stamp, "limit": 1000}).json()["data"]
    assert all(c["last_updated"] >= stamp for c in from_) and any(c["last_updated"] == stamp for c in from_)
    assert all(c["last_updated"] < stamp for c in to)
    assert len(from_) + len(to) == len(everything)


def test_sessions_need_date_from(greenflux: MockClient) -> None:
    missing = greenflux.get("/api/1.0/sessions")
    assert missing.status_code == 400 and missing.json()["status_code"] == 2001
    assert greenflux.get("/api/1.0/sessions", params={"date_from": "2024-03-01T00:00:00Z"}).status_code == 200
    assert greenflux.get("/api/1.0/sessions", params={"date_from": "yesterday"}).json()["status_code"] == 2001
    assert greenflux.get("/api/1.0/cdrs", params={"limit": 1001}).status_code == 400


def test_locations_evses_and_connectors(greenflux: MockClient) -> None:
    location = greenflux.get("/api/1.0/locations/GFX-ARN-0001").json()["data"]
    evse = location["evses"][0]
    assert greenflux.get(f"/api/1.0/locations/GFX-ARN-0001/{evse['uid']}").json()["data"] == evse
    connector = evse["connectors"][0]
    assert greenflux.get(f"/api/1.0/locations/GFX-ARN-0001/{evse['uid']}/{connector['id']}").json()["data"] == connector
    for path in ("/api/1.0/locations/nope", "/api/1.0/locations/GFX-ARN-0001/nope", f"/api/1.0/locations/GFX-ARN-0001/{evse['uid']}/9"):
        answer = greenflux.get(path)
        assert answer.status_code == 404 and answer.json()["status_code"] == 2003


def test_capacity_group_lifecycle(greenflux: MockClient) -> None:
    created = greenflux.post(GROUPS, json={"name": "Depot", "cpo_external_id": "CPO-1", "algorithm": "CAPACITYMANAGEMENTDEFAULT"})
    assert created.status_code == 201
    group = created.json()["data"]
    url = f"{GROUPS}/{group['id']}"
    assert greenflux.get(url).json()["data"] == group
    updated = greenflux.put(url, json={"name": "Depot 2", "capacity_update_method": "API"}).json()["data"]
    assert updated["name"] == "Depot 2" and updated["cpo_external_id"] == "CPO-1" and "algorithm" not in updated
    state = {"default_group_capacity_amps": 63, "session_started_duration": "00:10:00", "min_allocation_amps": 8}
    assert greenflux.put(f"{url}/algorithms/capacitymanagementdefault/state", json=state).json()["data"] == state
    assert greenflux.get(f"{url}/algorithms/capacitymanagementdefault/state").json()["data"] == state
    assert greenflux.put(f"{url}/algorithms/capacitymanagementdefault/state", json={"min_allocation_amps": 5}).status_code == 400
    weekly = {"time_zone": "Europe/Amsterdam", "scenarios": [{"capacity": 40, "day_of_week": "MONDAY", "start_time": "08:00", "end_time": "18:00"}]}
    assert greenflux.put(f"{url}/capacityscenarios/dayofweek", json=weekly).json()["data"] == weekly
    periods = [{"capacity": 20, "start_date_time": "2024-12-24T00:00:00Z", "end_date_time": "2024-12-27T00:00:00Z"}]
    assert greenflux.put(f"{url}/capacityscenarios/datetime", json=periods).json()["data"] == periods
    assert greenflux.get(f"{url}/capacityscenarios/datetime").json()["data"] == periods
    deleted = greenflux.delete(url)
    assert deleted.status_code == 200 and deleted.json()["status_code"] == 1000 and "data" not in deleted.json()
    assert greenflux.delete(url).status_code == 404
    assert greenflux.get(url).status_code == 404
    assert greenflux.get(f"{url}/capacityscenarios/datetime").status_code == 404


def test_charge_points_join_and_leave_groups(greenflux: MockClient) -> None:
    group_id = greenflux.post(GROUPS, json={"name": "G", "cpo_external_id": "C"}).json()["data"]["id"]
    url = f"{GROUPS}/{group_id}"
    members = greenflux.put(f"{url}/evses/chargepoints", json={"charge_point_ids": ["GFX-UTR-0001-CP"]}).json()["data"]
    uids = {m["evse_uid"] for m in members}
    assert uids == {"GFX-UTR-0001-EVSE1", "GFX-UTR-0001-EVSE2"}
    assert greenflux.delete(f"{url}/evses/GFX-UTR-0001-EVSE1").status_code == 200
    assert [m["evse_uid"] for m in greenflux.get(f"{url}/evses").json()["data"]] == ["GFX-UTR-0001-EVSE2"]
    assert greenflux.delete(f"{url}/evses/GFX-UTR-0001-EVSE1").status_code == 404
    assert greenflux.put(f"{url}/evses/chargepoints", json={"charge_point_ids": ["nope"]}).status_code == 404


def test_list_capacity_groups_filters(greenflux: MockClient) -> None:
    seeded = greenflux.get(GROUPS).json()["data"]
    assert seeded, "the spec's example groups seed the mock"
    algorithm = seeded[0]["algorithm"]
    filtered = greenflux.get(GROUPS, params={"algorithm": algorithm}).json()["data"]
    assert filtered and all(g["algorithm"] == algorithm for g in filtered)
    assert greenflux.get(GROUPS, params={"algorithm": "FANCY"}).json()["status_code"] == 2001


@pytest.mark.parametrize("stamp", ["2016-12-31T23:59:60Z", "0000-01-01T00:00:00Z", "2024-03-18t00:00:00z", "2024-03-18T01:00:00+01:00"])
def test_every_valid_date_time_is_understood(greenflux: MockClient, stamp: str) -> None:
    answer = greenflux.get("/api/1.0/sessions", params={"date_from": stamp})
    assert answer.status_code == 200 and answer.json()["status_code"] == 1000
