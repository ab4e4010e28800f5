"""The generic engine's rules, each on a small invented spec: client-chosen ids and 409, unknown
parents, cascading deletes, errors in the spec's shape, fields not answered, seeding, envelopes,
paging headers and date ranges, singletons, read-only collections, cookie keys, token lifetimes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from generator.mock import MockOptions, create_app

from tests.mock.helpers import FakeClock, MockClient

PROBLEM = {
    "type": "object",
    "required": ["title", "status"],
    "properties": {
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
    },
}


def _problem(status: int, title: str, **extra: Any) -> dict[str, Any]:
    example = {"title": title, "status": status, **extra}
    return {"description": title, "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}, "examples": {"e": {"value": example}}}}}


ERRORS = {
    "400": _problem(400, "Bad Request", errors={"name": ["required"]}),
    "401": {**_problem(401, "Unauthorized", detail="no key"), "headers": {"WWW-Authenticate": {"schema": {"type": "string"}, "example": 'Key realm="club"'}}},
    "404": _problem(404, "Not Found", detail="nothing here"),
}
CLUB_ID = {"name": "clubId", "in": "path", "required": True, "schema": {"type": "string"}, "example": "c-1"}
MEMBER_ID = {"name": "memberId", "in": "path", "required": True, "schema": {"type": "string"}, "example": "m-1"}
CLUB = {"type": "object", "required": ["clubId"], "properties": {"clubId": {"type": "string"}, "name": {"type": "string"}}}
MEMBER = {"type": "object", "required": ["memberId"], "properties": {"memberId": {"type": "string"}, "nick": {"type": "string"}}}
HOOK_IN = {"type": "object", "required": ["url", "secret"], "properties": {"url": {"type": "string"}, "secret": {"type": "string"}}}
HOOK = {"type": "object", "required": ["hookId", "url"], "properties": {"hookId": {"type": "string"}, "url": {"type": "string"}}}


def _json(schema: Any, **examples: Any) -> dict[str, Any]:
    media: dict[str, Any] = {"schema": schema}
    if examples:
        media["examples"] = {name: {"value": value} for name, value in examples.items()}
    return {"content": {"application/json": media}}


CLUB_SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Club", "version": "1"},
    "security": [{"key": []}],
    "paths": {
        "/clubs": {
            "get": {"operationId": "ListClubs", "responses": {"200": {"description": "ok", **_json({"type": "array", "items": CLUB}, two=[{"clubId": "c-1", "name": "One"}, {"clubId": "c-2", "name": "Two"}])}, **ERRORS}},
            "post": {
                "operationId": "CreateClub",
                "requestBody": {"required": True, **_json(CLUB, first={"clubId": "c-1", "name": "One"})},
                "responses": {"201": {"description": "created", **_json(CLUB)}, "409": _problem(409, "Conflict", detail="taken"), **ERRORS},
            },
        },
        "/clubs/{clubId}": {
            "parameters": [CLUB_ID],
            "get": {"operationId": "GetClub", "responses": {"200": {"description": "ok", **_json(CLUB)}, **ERRORS}},
            "delete": {"operationId": "DeleteClub", "responses": {"204": {"description": "gone"}, **ERRORS}},
        },
        "/clubs/{clubId}/members": {
            "parameters": [CLUB_ID],
            "get": {"operationId": "ListMembers", "responses": {"200": {"description": "ok", **_json({"type": "array", "items": MEMBER}, one=[{"memberId": "m-1"}])}, **ERRORS}},
            "post": {
                "operationId": "AddMember",
                "requestBody": {"required": True, **_json(MEMBER)},
                "responses": {"201": {"description": "added", **_json(MEMBER)}, "409": _problem(409, "Conflict"), **ERRORS},
            },
        },
        "/clubs/{clubId}/members/{memberId}": {
            "parameters": [CLUB_ID, MEMBER_ID],
            "get": {"operationId": "GetMember", "responses": {"200": {"description": "ok", **_json(MEMBER)}, **ERRORS}},
        },
        "/clubs/{clubId}/close": {
            "parameters": [CLUB_ID],
            "post": {"operationId": "CloseClub", "responses": {"202": {"description": "closing"}, **ERRORS}},
        },
        "/hooks": {
            "get": {"operationId": "ListHooks", "responses": {"200": {"description": "ok", **_json({"type": "array", "items": HOOK}, one=[{"hookId": "h-1", "url": "http://x"}])}, **ERRORS}},
            "post": {
                "operationId": "CreateHook",
                "requestBody": {"required": True, **_json(HOOK_IN)},
                "responses": {
                    "201": {"description": "created", "headers": {"Location": {"schema": {"type": "string", "format": "uri"}}}, **_json(HOOK)},
                    **ERRORS,
                },
            },
        },
        "/hooks/{hookId}": {
            "parameters": [{"name": "hookId", "in": "path", "required": True, "schema": {"type": "string"}}],
            "get": {"operationId": "GetHook", "responses": {"200": {"description": "ok", **_json(HOOK)}, **ERRORS}},
            "put": {"operationId": "ReplaceHook", "requestBody": {"required": True, **_json(HOOK_IN)}, "responses": {"200": {"description": "ok", **_json(HOOK)}, **ERRORS}},
        },
    },
    "components": {
        "schemas": {"Problem": PROBLEM},
        "securitySchemes": {"key": {"type": "apiKey", "in": "cookie", "name": "session", "x-connectorgen-auth": {"kind": "static", "credential": "session", "mockCredentials": {"session": "mock-session"}}}},
    },
}

STAMP = {"type": "string", "format": "date-time"}
ENVELOPE_META = {"status_code": {"type": "integer"}, "timestamp": STAMP}
PLUG = {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}, "kw": {"type": "integer"}}}
STATION = {
    "type": "object",
    "required": ["id", "last_updated"],
    "properties": {"id": {"type": "string"}, "name": {"type": "string"}, "owner": {"type": "string"}, "last_updated": STAMP, "plugs": {"type": "array", "items": PLUG}},
}
STATION_PUT = {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}
LIMITS = {"type": "object", "properties": {"amps": {"type": "integer", "minimum": 6}}}
ERROR = {"type": "object", "required": ["status_code"], "properties": {"status_code": {"type": "integer"}, "status_message": {"type": "string"}, "timestamp": STAMP}}


def _envelope(data: Any) -> dict[str, Any]:
    return {"type": "object", "required": ["data", "status_code"], "properties": {"data": data, **ENVELOPE_META}}


def _wrapped(data: Any, **examples: Any) -> dict[str, Any]:
    return {"description": "ok", **_json(_envelope(data), **{k: {"data": v, "status_code": 1000, "timestamp": "2024-01-01T00:00:00Z"} for k, v in examples.items()})}


PAGING_HEADERS = {
    "X-Total-Count": {"required": True, "schema": {"type": "integer", "minimum": 0}},
    "X-Limit": {"required": True, "schema": {"type": "integer", "minimum": 1}},
    "Link": {"schema": {"type": "string"}},
}
QUERY = [
    {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "default": 0}},
    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "default": 2}},
    {"name": "date_from", "in": "query", "schema": STAMP},
    {"name": "date_to", "in": "query", "schema": STAMP},
]
SID = {"name": "sid", "in": "path", "required": True, "schema": {"type": "string"}, "example": "s-1"}
OCPI_ERRORS = {
    "400": {"description": "invalid", **_json(ERROR, e={"status_code": 2001, "status_message": "Invalid", "timestamp": "2024-01-01T00:00:00Z"})},
    "404": {"description": "unknown", **_json(ERROR, e={"status_code": 2003, "status_message": "Unknown", "timestamp": "2024-01-01T00:00:00Z"})},
}
SESSIONS = [{"id": f"x-{n}", "last_updated": f"2024-03-0{n}T00:00:00Z"} for n in range(1, 6)]

OCPI_SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Stations", "version": "1"},
    "paths": {
        "/stations": {
            "get": {"operationId": "ListStations", "parameters": QUERY, "responses": {"200": {**_wrapped({"type": "array", "items": STATION}), "headers": PAGING_HEADERS}}},
            "post": {"operationId": "CreateStation", "requestBody": {"required": True, **_json(STATION_PUT)}, "responses": {"201": _wrapped(STATION)}},
        },
        "/stations/{sid}": {
            "parameters": [SID],
            "get": {"operationId": "GetStation", "responses": {"200": _wrapped(STATION, s1={"id": "s-1", "name": "One", "owner": "city", "last_updated": "2024-01-01T00:00:00Z", "plugs": [{"id": "p1", "kw": 11}, {"id": "p2", "kw": 22}]}), **OCPI_ERRORS}},
            "put": {"operationId": "PutStation", "requestBody": {"required": True, **_json(STATION_PUT)}, "responses": {"200": _wrapped(STATION), **OCPI_ERRORS}},
            "delete": {"operationId": "DeleteStation", "responses": {"200": {"description": "gone", **_json({"type": "object", "required": ["status_code"], "properties": ENVELOPE_META})}, **OCPI_ERRORS}},
        },
        "/stations/{sid}/{plug_id}": {
            "parameters": [SID, {"name": "plug_id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "get": {"operationId": "GetPlug", "responses": {"200": _wrapped(PLUG), **OCPI_ERRORS}},
        },
        "/stations/{sid}/limits": {
            "parameters": [SID],
            "get": {"operationId": "GetLimits", "responses": {"200": _wrapped(LIMITS, default={"amps": 16}), **OCPI_ERRORS}},
            "put": {"operationId": "PutLimits", "requestBody": {"required": True, **_json(LIMITS)}, "responses": {"200": _wrapped(LIMITS), **OCPI_ERRORS}},
        },
        "/sessions": {
            "get": {"operationId": "ListSessions", "parameters": QUERY, "responses": {"200": {**_wrapped({"type": "array", "items": STATION}, all=SESSIONS), "headers": PAGING_HEADERS}}},
        },
    },
}


def _client(tmp_path: Path, spec: dict[str, Any], name: str, **kwargs: Any) -> MockClient:
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(spec))
    kwargs.setdefault("check_responses", True)
    return MockClient(create_app(str(path), **kwargs))


@pytest.fixture
def club(tmp_path: Path) -> Any:
    client = _client(tmp_path, CLUB_SPEC, "club")
    client.headers["Cookie"] = "session=mock-session"
    yield client
    client.close()


@pytest.fixture
def ocpi(tmp_path: Path) -> Any:
    client = _client(tmp_path, OCPI_SPEC, "stations")
    yield client
    client.close()


def test_a_client_chosen_id_that_is_taken_answers_409_in_the_specs_shape(club: MockClient) -> None:
    assert club.post("/clubs", json={"clubId": "c-9", "name": "Nine"}).status_code == 201
    taken = club.post("/clubs", json={"clubId": "c-9", "name": "Again"})
    assert taken.status_code == 409 and taken.headers["content-type"] == "application/problem+json"
    assert taken.json()["title"] == "Conflict" and taken.json()["status"] == 409 and "c-9" in taken.json()["detail"]
    assert club.get("/clubs/c-9").json() == {"clubId": "c-9", "name": "Nine"}


def test_an_id_that_looks_percent_encoded_is_found_where_tools_send_it(club: MockClient) -> None:
    assert club.post("/clubs", json={"clubId": "a%C2%A2"}).status_code == 201
    assert club.get("/clubs/a%C2%A2").json() == {"clubId": "a%C2%A2"}
    assert club.post("/clubs", json={"clubId": "a¢"}).status_code == 409


def test_an_unknown_parent_answers_404_for_lists_creates_and_actions(club: MockClient) -> None:
    for method, path in (("GET", "/clubs/nope/members"), ("POST", "/clubs/nope/members"), ("GET", "/clubs/nope/members/m-1"), ("POST", "/clubs/nope/close")):
        answer = club.request(method, path, json={"memberId": "m-7"} if method == "POST" else None)
        assert answer.status_code == 404, (method, path)
        assert answer.json()["title"] == "Not Found"
    club.post("/clubs", json={"clubId": "c-5"})
    assert club.post("/clubs/c-5/close").status_code == 202


def test_deleting_a_parent_deletes_its_children(club: MockClient) -> None:
    club.post("/clubs", json={"clubId": "c-7"})
    assert club.post("/clubs/c-7/members", json={"memberId": "m-7"}).status_code == 201
    assert club.post("/clubs/c-7/members", json={"memberId": "m-7"}).status_code == 409
    assert club.delete("/clubs/c-7").status_code == 204
    assert club.get("/clubs/c-7/members/m-7").status_code == 404
    club.post("/clubs", json={"clubId": "c-7"})
    assert club.get("/clubs/c-7/members").json() == []  # the new club starts empty
    assert club.server.behaviour.store.items("/clubs/{clubId}/members", ("c-7",)) == []  # type: ignore[attr-defined]


def test_validation_errors_fill_the_specs_errors_map_and_status(club: MockClient) -> None:
    answer = club.post("/clubs", json={"name": 3})
    assert answer.status_code == 400
    body = answer.json()
    assert body["status"] == 400 and body["title"] == "Bad Request"
    assert body["errors"] == {"$": ["'clubId' is a required property"], "$.name": ["3 is not of type 'string'"]}


def test_401_carries_the_documented_headers_and_a_cookie_key_authenticates(club: MockClient) -> None:
    refused = club.get("/clubs", headers={"Cookie": "session=wrong"})
    assert refused.status_code == 401 and refused.headers["www-authenticate"] == 'Key realm="club"'
    assert refused.json()["status"] == 401
    assert club.get("/clubs", headers={"Cookie": "other=1; session=mock-session"}).status_code == 200
    assert club.server.behaviour.describe("http://m")["auth"]["headers"] == {"Cookie": "session=mock-session"}


def test_an_unknown_path_answers_in_the_error_shape_the_spec_uses_most(club: MockClient) -> None:
    answer = club.get("/nowhere")
    assert answer.status_code == 404 and answer.json()["title"] == "Not Found" and answer.json()["status"] == 404


def test_fields_the_answers_do_not_declare_are_stored_but_not_answered(club: MockClient) -> None:
    created = club.post("/hooks", json={"url": "http://127.0.0.1:9/h", "secret": "s3"})
    hook = created.json()
    assert created.status_code == 201 and "secret" not in hook
    assert created.headers["location"] == f"http://mock.test/hooks/{hook['hookId']}"  # format: uri, so absolute
    assert "secret" not in club.get(f"/hooks/{hook['hookId']}").json()
    assert club.server.behaviour.stored_item("/hooks", (), hook["hookId"])["secret"] == "s3"  # type: ignore[attr-defined]
    replaced = club.put(f"/hooks/{hook['hookId']}", json={"url": "http://127.0.0.1:9/g", "secret": "s4"}).json()
    assert replaced == {"hookId": hook["hookId"], "url": "http://127.0.0.1:9/g"}


def test_seed_skips_what_the_create_example_registers_orphans_and_secrets(club: MockClient) -> None:
    # c-1 is the create request's example (registering it must work); c-2 is seeded; m-1 belongs to
    # c-1, which is not seeded; hooks need a secret the examples cannot hold.
    assert [c["clubId"] for c in club.get("/clubs").json()] == ["c-2"]
    assert club.get("/hooks").json() == []
    assert club.post("/clubs", json={"clubId": "c-1", "name": "One"}).status_code == 201
    assert club.get("/clubs/c-1/members").json() == []


def test_envelopes_wrap_items_and_lists(ocpi: MockClient) -> None:
    seeded = ocpi.get("/stations/s-1").json()
    assert seeded["data"]["name"] == "One" and seeded["status_code"] == 1000
    assert seeded["timestamp"] != "2024-01-01T00:00:00Z"  # the time of the answer
    created = ocpi.post("/stations", json={"name": "Two"})
    assert created.status_code == 201 and created.json()["data"]["name"] == "Two"
    station_id = created.json()["data"]["id"]
    assert created.headers["location"] == f"/stations/{station_id}"
    assert [s["id"] for s in ocpi.get("/stations", params={"limit": 10}).json()["data"]] == ["s-1", station_id]
    gone = ocpi.delete(f"/stations/{station_id}")
    assert gone.status_code == 200 and "data" not in gone.json() and "status_code" in gone.json()  # the empty envelope
    missing = ocpi.get(f"/stations/{station_id}")
    assert missing.status_code == 404 and missing.json()["status_code"] == 2003


def test_elements_inside_an_item_are_read_by_their_path(ocpi: MockClient) -> None:
    assert ocpi.get("/stations/s-1/p2").json()["data"] == {"id": "p2", "kw": 22}
    assert ocpi.get("/stations/s-1/p9").status_code == 404
    assert ocpi.get("/stations/s-9/p1").status_code == 404
    assert ocpi.get("/stations/s-1/limits").status_code == 200  # a concrete segment is not an element


def test_put_keeps_what_its_schema_does_not_declare(ocpi: MockClient) -> None:
    answer = ocpi.put("/stations/s-1", json={"name": "Renamed"}).json()["data"]
    assert answer["name"] == "Renamed" and answer["owner"] == "city" and answer["id"] == "s-1"


def test_read_only_collections_page_with_headers_and_link(ocpi: MockClient) -> None:
    first = ocpi.get("/sessions")  # the limit's default is 2
    assert [s["id"] for s in first.json()["data"]] == ["x-1", "x-2"]
    assert first.headers["x-total-count"] == "5" and first.headers["x-limit"] == "2"
    seen, link = [s["id"] for s in first.json()["data"]], first.headers["link"]
    while link:
        assert link.endswith('; rel="next"')
        url = urlparse(link[1 : link.index(">")])
        assert url.path == "/sessions" and url.netloc == "mock.test"
        page = ocpi.get(url.path, params={k: v[0] for k, v in parse_qs(url.query).items()})
        seen += [s["id"] for s in page.json()["data"]]
        link = page.headers.get("link", "")
    assert seen == [f"x-{n}" for n in range(1, 6)]


def test_date_ranges_are_inclusive_from_and_exclusive_to(ocpi: MockClient) -> None:
    answer = ocpi.get("/sessions", params={"date_from": "2024-03-02T00:00:00Z", "date_to": "2024-03-04T00:00:00Z", "limit": 10})
    assert [s["id"] for s in answer.json()["data"]] == ["x-2", "x-3"] and answer.headers["x-total-count"] == "2"
    assert "link" not in answer.headers


def test_singletons_store_what_put_sends_and_go_with_their_parent(ocpi: MockClient) -> None:
    assert ocpi.get("/stations/s-1/limits").json()["data"] == {"amps": 16}  # the example until a PUT
    assert ocpi.put("/stations/s-1/limits", json={"amps": 32}).json()["data"] == {"amps": 32}
    assert ocpi.get("/stations/s-1/limits").json()["data"] == {"amps": 32}
    assert ocpi.put("/stations/s-1/limits", json={"amps": 2}).status_code == 400
    assert ocpi.delete("/stations/s-1").status_code == 200
    assert ocpi.get("/stations/s-1/limits").status_code == 404


def test_token_lifetime_option_and_the_mocks_token_url(tmp_path: Path) -> None:
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1"},
        "security": [{"oauth": []}],
        "paths": {"/things": {"get": {"operationId": "ListThings", "responses": {"200": {"description": "ok"}, "401": {"description": "no"}}}}},
        "components": {"securitySchemes": {"oauth": {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "https://id.example/token", "scopes": {}}}}}},
    }
    clock = FakeClock()
    client = _client(tmp_path, spec, "tokens", clock=clock, options=MockOptions(token_lifetime=10))
    describe = client.get("/_mock/describe").json()
    assert describe["tokenUrl"] == "http://mock.test/connect/token"
    flows = client.get("/_mock/openapi.json").json()["components"]["securitySchemes"]["oauth"]["flows"]
    assert flows["clientCredentials"]["tokenUrl"] == "http://mock.test/connect/token"
    token = client.post("/connect/token", data={"grant_type": "client_credentials", **describe["credentials"]}).json()
    assert token["expires_in"] == 10
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    assert client.get("/things", headers=headers).status_code == 200
    clock.advance(10)
    assert client.get("/things", headers=headers).status_code == 401
    client.close()
