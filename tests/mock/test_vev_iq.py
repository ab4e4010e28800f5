"""VEV-IQ mock: sign-in and its errors, the JWT, list conventions, statistics."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import pytest
from generator.mock import MockOptions

from tests.mock.conftest import MakeClient
from tests.mock.helpers import FakeClock, MockClient

CREDENTIALS = {"email": "integrator@example.com", "password": "mock-password", "tenant": "demo", "acceptEula": True}


def sign_in(client: MockClient, **overrides: object) -> tuple[int, dict[str, object]]:
    answer = client.post("/auth/signin", json={**CREDENTIALS, **overrides})
    return answer.status_code, answer.json()


@pytest.fixture
def vev(make_client: MakeClient, clock: FakeClock) -> MockClient:
    client = make_client("vev-iq", clock=clock)
    status, body = sign_in(client)
    assert status == 200
    client.headers["Authorization"] = f"Bearer {body['token']}"
    return client


def test_sign_in_issues_an_hs256_jwt_valid_12_hours(make_client: MakeClient, clock: FakeClock) -> None:
    client = make_client("vev-iq", clock=clock)
    status, body = sign_in(client)
    assert status == 200
    header, payload, _ = str(body["token"]).split(".")
    assert json.loads(base64.urlsafe_b64decode(header + "==")) == {"alg": "HS256", "typ": "JWT"}
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    assert claims["exp"] - claims["iat"] == 12 * 3600 and claims["email"] == CREDENTIALS["email"]
    auth = {"Authorization": f"Bearer {body['token']}"}
    assert client.get("/api/sites", headers=auth).status_code == 200
    clock.advance(12 * 3600 - 1)
    assert client.get("/api/sites", headers=auth).status_code == 200
    clock.advance(1)
    expired = client.get("/api/sites", headers=auth)
    assert expired.status_code == 401 and expired.text == "Unauthorized"
    assert expired.headers["content-type"].startswith("text/plain")


def test_token_lifetime_is_configurable(make_client: MakeClient, clock: FakeClock) -> None:
    client = make_client("vev-iq", clock=clock, options=MockOptions(token_lifetime=60))
    token = sign_in(client)[1]["token"]
    clock.advance(60)
    assert client.get("/api/sites", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_missing_forged_or_foreign_tokens_are_refused(make_client: MakeClient) -> None:
    client = make_client("vev-iq")
    token = str(sign_in(client)[1]["token"])
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["role"] = "S"
    tampered = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    guessed_key = base64.urlsafe_b64encode(hmac.new(b"secret", f"{header}.{tampered}".encode(), hashlib.sha256).digest()).rstrip(b"=").decode()
    other = make_client("vev-iq")
    foreign = str(sign_in(other)[1]["token"])
    for value in (None, "Bearer", f"Bearer {header}.{tampered}.{signature}", f"Bearer {header}.{tampered}.{guessed_key}", f"Bearer {foreign}", f"Basic {token}"):
        answer = client.get("/api/users", params={"Limit": 1}, headers={"Authorization": value} if value else {})
        assert (answer.status_code, answer.text) == (401, "Unauthorized"), value


def test_sign_in_errors(make_client: MakeClient) -> None:
    client = make_client("vev-iq")
    assert sign_in(client, tenant="other")[0] == 404
    assert sign_in(client, email="nobody@example.com")[0] == 404
    status, body = sign_in(client, acceptEula=False)
    assert status == 520 and body["errorCode"] == 520
    answer = client.post("/auth/signin", json={k: v for k, v in CREDENTIALS.items() if k != "tenant"})
    assert answer.status_code == 400 and set(answer.json()) == {"errorCode", "errorMessage", "errorDetailedMessage"}
    assert client.post("/auth/signin", params={"tenant": "demo"}, json={k: v for k, v in CREDENTIALS.items() if k != "tenant"}).status_code == 200
    assert client.post("/auth/signin", json={"email": "x@example.com"}).json()["errorCode"] == 400


def test_three_wrong_passwords_lock_the_account(make_client: MakeClient, clock: FakeClock) -> None:
    client = make_client("vev-iq", clock=clock)
    assert [sign_in(client, password="wrong")[0] for _ in range(3)] == [404, 404, 590]
    assert sign_in(client)[0] == 590  # even with the right password
    clock.advance(299)
    assert sign_in(client)[0] == 590
    clock.advance(1)
    assert sign_in(client)[0] == 200


def test_a_good_password_resets_the_count(make_client: MakeClient) -> None:
    client = make_client("vev-iq")
    assert [sign_in(client, password="wrong")[0] for _ in range(2)] == [404, 404]
    assert sign_in(client)[0] == 200
    assert [sign_in(client, password="wrong")[0] for _ in range(2)] == [404, 404]


def test_http_status_is_the_error_code(vev: MockClient) -> None:
    missing_limit = vev.get("/api/users")
    assert missing_limit.status_code == 400 and missing_limit.json()["errorCode"] == 400
    too_big = vev.get("/api/users", params={"Limit": 1001})
    assert too_big.status_code == 400
    unknown = vev.get("/api/nope")
    assert unknown.status_code == 404 and unknown.json()["errorCode"] == 404
    method = vev.delete("/api/users")
    assert method.status_code == 405 and method.headers["allow"] == "GET"


def test_skip_limit_and_count(vev: MockClient) -> None:
    everything = vev.get("/api/transactions", params={"Limit": 1000})
    assert everything.json()["count"] == -1  # 500 or more matches
    exact = vev.get("/api/transactions", params={"Limit": 1, "OnlyRecordCount": "true"}).json()
    assert exact["result"] == [] and exact["count"] >= 500
    first = vev.get("/api/transactions", params={"Limit": 10}).json()["result"]
    second = vev.get("/api/transactions", params={"Limit": 10, "Skip": 10}).json()["result"]
    assert len(first) == len(second) == 10 and not {t["id"] for t in first} & {t["id"] for t in second}
    small = vev.get("/api/tags", params={"Limit": 1}).json()
    assert small["count"] == 2 and len(small["result"]) == 1


def test_sort_fields_ascending_and_descending(vev: MockClient) -> None:
    names = [u["name"] for u in vev.get("/api/users", params={"Limit": 100, "SortFields": "name"}).json()["result"]]
    assert names == sorted(names, key=str.lower)
    desc = [u["name"] for u in vev.get("/api/users", params={"Limit": 100, "SortFields": "-name"}).json()["result"]]
    assert desc == names[::-1]
    rows = vev.get("/api/transactions/status/completed", params={"Limit": 50, "SortFields": "chargeBoxID|-stop.totalConsumptionWh"}).json()["result"]
    keys = [(t["chargeBoxID"], -t["stop"]["totalConsumptionWh"]) for t in rows]
    assert keys == sorted(keys)


def test_pipe_joined_filters(vev: MockClient) -> None:
    sites = vev.get("/api/sites").json()["result"]
    assert len(sites) >= 2
    both = vev.get("/api/sites", params={"SiteID": f"{sites[0]['id']}|{sites[1]['id']}"}).json()
    one = vev.get("/api/sites", params={"SiteID": sites[0]["id"]}).json()
    assert both["count"] == 2 and [s["id"] for s in one["result"]] == [sites[0]["id"]]
    roles = {u["role"] for u in vev.get("/api/users", params={"Limit": 100, "Role": "A|B"}).json()["result"]}
    assert roles <= {"A", "B"} and roles
    assert vev.get("/api/users", params={"Limit": 10, "Role": "A|X"}).status_code == 400
    stations = vev.get("/api/transactions/status/completed", params={"Limit": 1000, "ChargingStationID": "MUC-HQ-CS01"}).json()["result"]
    assert stations and {t["chargeBoxID"] for t in stations} == {"MUC-HQ-CS01"}


def test_project_fields_and_with_auth(vev: MockClient) -> None:
    projected = vev.get("/api/users", params={"Limit": 5, "ProjectFields": "name|billingData.customerID"}).json()["result"]
    assert all(set(u) <= {"id", "name", "billingData"} for u in projected)
    flagged = vev.get("/api/users", params={"Limit": 5, "WithAuth": "true"}).json()
    assert flagged["canCreate"] is True and all(u["canRead"] for u in flagged["result"])


def test_statistics_are_bare_arrays(vev: MockClient) -> None:
    rows = vev.get("/api/statistics/charging-stations/consumption", params={"Year": 0, "DataScope": "year"}).json()
    assert isinstance(rows, list) and rows and all("year" in r for r in rows)
    assert all(isinstance(v, (int, float)) for r in rows for k, v in r.items() if k != "year")
    counts = vev.get("/api/statistics/users/transaction", params={"Year": 0, "DataScope": "sum"}).json()
    completed = vev.get("/api/transactions/status/completed", params={"Limit": 1, "OnlyRecordCount": "true"}).json()["count"]
    assert sum(v for r in counts for v in r.values()) == completed
    envelope = vev.get("/api/statistics/users/pricing", params={"Year": 0, "WithAuth": "true"}).json()
    assert envelope["count"] == len(envelope["result"]) and all(r["unit"] == "EUR" for r in envelope["result"])
    this_year = vev.get("/api/statistics/charging-stations/usage").json()
    assert this_year and all(0 <= r["month"] <= 11 for r in this_year)


def test_example_users_sign_in_as_their_status_says(make_client: MakeClient) -> None:
    client = make_client("vev-iq")
    assert sign_in(client, email="marie.dupont@example.com")[0] == 200  # the test password works for them
    accounts = client.server.behaviour.accounts  # type: ignore[attr-defined]
    for status, code in (("P", 592), ("B", 593), ("I", 594), ("L", 590)):
        accounts["jonas.becker@example.com"].status = status
        status_code, body = sign_in(client, email="jonas.becker@example.com")
        assert status_code == code == body["errorCode"]


def test_date_filters_take_any_rfc3339_date_time(vev: MockClient) -> None:
    everything = vev.get("/api/transactions", params={"Limit": 1, "OnlyRecordCount": "true"}).json()["count"]
    since_leap = vev.get("/api/transactions", params={"Limit": 1, "OnlyRecordCount": "true", "StartDateTime": "2016-12-31T23:59:60Z"}).json()
    assert since_leap["count"] == everything
    none = vev.get("/api/transactions", params={"Limit": 1, "OnlyRecordCount": "true", "EndDateTime": "0000-01-01T00:00:00Z"}).json()
    assert none["count"] == 0


def test_list_filters_come_from_the_spec_parameters(vev: MockClient) -> None:
    # Named like an item property (case-insensitively): Tags' UserID filters `userID`.
    tags = vev.get("/api/tags", params={"Limit": 10, "UserID": "65a1f0c2e4b0a1b2c3d4e502"}).json()["result"]
    assert [t["id"] for t in tags] == ["04A3B2C1D0E5F7"]
    # A boolean parameter filters by equality: Public on the charging stations.
    public = vev.get("/api/charging-stations", params={"Limit": 10, "Public": "true"}).json()["result"]
    assert [s["id"] for s in public] == ["LYO-PD-DC01"]
    # <Entity>ID filters the list's own ids, Exclude<Entity>ID excludes them.
    stations = vev.get("/api/charging-stations", params={"Limit": 10, "ChargingStationID": "MUC-HQ-CS01"}).json()["result"]
    assert [s["id"] for s in stations] == ["MUC-HQ-CS01"]
    areas = vev.get("/api/site-areas", params={"Limit": 10, "ExcludeSiteAreaID": "65a1f0c2e4b0a1b2c3d4e201"}).json()["result"]
    assert [a["id"] for a in areas] == ["65a1f0c2e4b0a1b2c3d4e202"]
    # A parameter naming no item property filters nothing (Sites' UserID: the sites of a user).
    everything = vev.get("/api/sites", params={"Limit": 10}).json()["count"]
    assert vev.get("/api/sites", params={"Limit": 10, "UserID": "nobody"}).json()["count"] == everything


def test_spec_filters_rules() -> None:
    from generator.mock.vendors.vev_iq_query import equals, spec_filters

    explicit = equals("elsewhere")
    params = [("SiteID", "string"), ("Public", "boolean"), ("UserID", "string"), ("ExcludeSiteID", "string"), ("Other", "string"), ("Issuer", "boolean")]
    filters = spec_filters(params, ["siteID", "public", "issuer"], "user", {"Issuer": explicit})
    assert set(filters) == {"SiteID", "Public", "UserID", "Issuer"}  # ExcludeSiteID names another entity
    assert filters["Issuer"] is explicit
    row = {"id": "u1", "siteID": "s2", "public": True, "elsewhere": False, "issuer": True}
    assert filters["SiteID"](row, "s1|s2") and not filters["SiteID"](row, "s1")
    assert filters["UserID"](row, "u1") and not filters["UserID"](row, "u2")
    assert filters["Public"](row, True) and not filters["Public"](row, False)
    assert filters["Issuer"](row, False)  # the explicit filter, not the `issuer` property
    excluded = spec_filters([("ExcludeUserID", "string")], [], "user", {})["ExcludeUserID"]
    assert excluded(row, "u2") and not excluded(row, "u1|u2")
