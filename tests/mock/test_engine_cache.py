"""The generic engine's cached list answers: built once per store change of their list and per
request shape (query, paging, store scope, time stamp), never served across a write, a cascade, a
reset, a store scope or a restart from `--state`; bounded; an override's `generic()` gets its own
copy. Each test counts how often the engine builds a list answer (`_list`), so a cache that is
missing fails as surely as one that serves stale data."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from generator.mock import create_app
from generator.mock import engine as engine_module
from generator.mock.engine import GenericBehaviour
from generator.mock.http import MockRequest, MockResponse
from generator.mock.resources import Resource

from tests.mock.helpers import FakeClock, MockClient

NOTE = {"type": "object", "required": ["noteId", "text"], "properties": {"noteId": {"type": "string"}, "text": {"type": "string"}, "tag": {"type": "string"}}}
NOTE_IN = {"type": "object", "required": ["text"], "properties": {"noteId": {"type": "string"}, "text": {"type": "string"}, "tag": {"type": "string"}}}
COMMENT = {"type": "object", "required": ["commentId", "body"], "properties": {"commentId": {"type": "string"}, "body": {"type": "string"}}}
EVENT = {"type": "object", "required": ["eventId", "kind"], "properties": {"eventId": {"type": "integer"}, "kind": {"type": "string"}}}
EVENTS = {"type": "object", "required": ["data", "timestamp"], "properties": {"data": {"type": "array", "items": EVENT}, "timestamp": {"type": "string", "format": "date-time"}}}
ERROR = {"type": "object", "required": ["message"], "properties": {"message": {"type": "string"}}}
NOTE_ID = {"name": "noteId", "in": "path", "required": True, "schema": {"type": "string"}, "example": "n-1"}
PAGING = [
    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "default": 10}},
    {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0}},
    {"name": "tag", "in": "query", "schema": {"type": "string"}},
]
HEADERS = {"X-Total-Count": {"schema": {"type": "integer"}}, "Link": {"schema": {"type": "string"}}}


def _json(schema: Any, **examples: Any) -> dict[str, Any]:
    media: dict[str, Any] = {"schema": schema}
    if examples:
        media["examples"] = {name: {"value": value} for name, value in examples.items()}
    return {"description": "ok", "content": {"application/json": media}}


NOT_FOUND = {"404": _json(ERROR, e={"message": "not found"})}
SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Notes", "version": "1"},
    "paths": {
        "/notes": {
            "get": {"operationId": "ListNotes", "parameters": PAGING, "responses": {"200": {**_json({"type": "array", "items": NOTE}, seed=[{"noteId": "n-1", "text": "first", "tag": "a"}, {"noteId": "n-2", "text": "second", "tag": "b"}]), "headers": HEADERS}}},
            "post": {"operationId": "CreateNote", "requestBody": {"required": True, "content": {"application/json": {"schema": NOTE_IN}}}, "responses": {"201": _json(NOTE)}},
        },
        "/notes/{noteId}": {
            "parameters": [NOTE_ID],
            "get": {"operationId": "GetNote", "responses": {"200": _json(NOTE), **NOT_FOUND}},
            "put": {"operationId": "PutNote", "requestBody": {"required": True, "content": {"application/json": {"schema": NOTE_IN}}}, "responses": {"200": _json(NOTE), **NOT_FOUND}},
            "patch": {"operationId": "PatchNote", "requestBody": {"required": True, "content": {"application/json": {"schema": {"type": "object"}}}}, "responses": {"200": _json(NOTE), **NOT_FOUND}},
            "delete": {"operationId": "DeleteNote", "responses": {"204": {"description": "gone"}, **NOT_FOUND}},
        },
        "/notes/{noteId}/comments": {
            "parameters": [NOTE_ID],
            "get": {"operationId": "ListComments", "responses": {"200": _json({"type": "array", "items": COMMENT}), **NOT_FOUND}},
            "post": {"operationId": "CreateComment", "requestBody": {"required": True, "content": {"application/json": {"schema": COMMENT}}}, "responses": {"201": _json(COMMENT), **NOT_FOUND}},
        },
        "/events": {
            "get": {"operationId": "ListEvents", "responses": {"200": _json(EVENTS, empty={"data": [], "timestamp": "2024-01-01T00:00:00Z"})}},
            "post": {"operationId": "CreateEvent", "requestBody": {"required": True, "content": {"application/json": {"schema": {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string"}}}}}}, "responses": {"201": _json(EVENT)}},
        },
    },
}


class _Counted:
    """Counts the list answers the engine builds (a cache hit builds none)."""

    def __init__(self, behaviour: GenericBehaviour) -> None:
        self.built = 0
        original = behaviour._list

        def counted(*args: Any, **kwargs: Any) -> MockResponse:
            self.built += 1
            return original(*args, **kwargs)

        behaviour._list = counted  # type: ignore[method-assign]


def _spec_file(tmp_path: Path) -> Path:
    path = tmp_path / "notes.json"
    path.write_text(json.dumps(SPEC))
    return path


def _open(path: Path, *, override: bool = False, **kwargs: Any) -> tuple[MockClient, _Counted]:
    """A client of the spec at `path`; `override`: served as a vendor (its override class is the
    one `generator.mock.behaviour_class` gives)."""
    kwargs.setdefault("check_responses", True)
    app = create_app("notes", spec_path=path, **kwargs) if override else create_app(str(path), **kwargs)
    client = MockClient(app)
    behaviour = client.server.behaviour
    assert isinstance(behaviour, GenericBehaviour)
    return client, _Counted(behaviour)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def notes(tmp_path: Path, clock: FakeClock) -> Iterator[tuple[MockClient, _Counted]]:
    client, counted = _open(_spec_file(tmp_path), clock=clock)
    yield client, counted
    client.close()


def _texts(client: MockClient, **params: Any) -> list[str]:
    answer = client.get("/notes", params=params)
    assert answer.status_code == 200, answer.text
    return [n["text"] for n in answer.json()]


def test_the_same_list_request_is_built_once_and_answered_byte_for_byte(notes: tuple[MockClient, _Counted]) -> None:
    client, counted = notes
    first, second = client.get("/notes"), client.get("/notes")
    assert counted.built == 1
    assert first.content == second.content and first.headers == second.headers
    assert [n["noteId"] for n in first.json()] == ["n-1", "n-2"] and first.headers["x-total-count"] == "2"


def test_every_write_shows_in_the_next_list(notes: tuple[MockClient, _Counted]) -> None:
    client, counted = notes
    assert _texts(client) == ["first", "second"]
    created = client.post("/notes", json={"text": "third"}).json()
    assert _texts(client) == ["first", "second", "third"]
    assert client.put(f"/notes/{created['noteId']}", json={"text": "replaced"}).status_code == 200
    assert _texts(client) == ["first", "second", "replaced"]
    assert client.patch("/notes/n-1", json={"text": "patched"}).status_code == 200
    assert _texts(client) == ["patched", "second", "replaced"]
    assert client.delete("/notes/n-2").status_code == 204
    assert _texts(client) == ["patched", "replaced"]
    assert _texts(client) == ["patched", "replaced"]
    assert counted.built == 5  # one per store change; the last request is a hit
    assert client.get("/notes/n-2").status_code == 404 and client.patch("/notes/n-2", json={"text": "x"}).status_code == 404
    assert _texts(client) == ["patched", "replaced"] and counted.built == 5  # failed writes change nothing


def test_queries_and_pages_are_answered_each_their_own(notes: tuple[MockClient, _Counted]) -> None:
    client, counted = notes
    for n in range(3):
        client.post("/notes", json={"text": f"extra {n}", "tag": "a"})
    assert _texts(client, limit=2) == ["first", "second"]
    assert _texts(client, limit=2, offset=2) == ["extra 0", "extra 1"]
    assert _texts(client, tag="a") == ["first", "extra 0", "extra 1", "extra 2"]
    assert _texts(client, tag="b") == ["second"]
    ab = client.get("/notes", params=[("limit", "2"), ("offset", "1")])
    ba = client.get("/notes", params=[("offset", "1"), ("limit", "2")])
    assert ab.json() == ba.json() and ab.headers["link"] != ba.headers["link"]  # the Link keeps the query's order
    assert client.get("/notes", params={"limit": 2, "offset": 4}).headers.get("link") is None  # the last page
    assert counted.built == 7
    assert _texts(client, limit=2, offset=2) == ["extra 0", "extra 1"] and counted.built == 7


def test_nested_lists_never_leak_and_a_recreated_parent_starts_empty(notes: tuple[MockClient, _Counted]) -> None:
    client, _ = notes
    client.post("/notes", json={"noteId": "n-9", "text": "parent"})
    client.post("/notes/n-9/comments", json={"commentId": "c-1", "body": "on nine"})
    client.post("/notes/n-1/comments", json={"commentId": "c-1", "body": "on one"})
    assert [c["body"] for c in client.get("/notes/n-9/comments").json()] == ["on nine"]
    assert [c["body"] for c in client.get("/notes/n-1/comments").json()] == ["on one"]
    assert client.delete("/notes/n-9").status_code == 204
    assert client.get("/notes/n-9/comments").status_code == 404
    client.post("/notes", json={"noteId": "n-9", "text": "again"})
    assert client.get("/notes/n-9/comments").json() == []  # its old comments went with the delete
    assert [c["body"] for c in client.get("/notes/n-1/comments").json()] == ["on one"]


class _Tenanted(GenericBehaviour):
    """A data set per `X-Tenant` header (not a parameter of the spec: only the scope tells them apart)."""

    def store_scope(self, request: MockRequest, resource: Resource) -> tuple[str, ...]:
        tenant = request.headers.get("x-tenant")
        return super().store_scope(request, resource) + ((tenant,) if tenant else ())


def test_store_scopes_of_an_override_never_share_an_answer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("generator.mock.behaviour_class", lambda name: _Tenanted)
    client, counted = _open(_spec_file(tmp_path), override=True)
    assert isinstance(client.server.behaviour, _Tenanted)
    try:
        t1, t2 = {"X-Tenant": "t1"}, {"X-Tenant": "t2"}
        assert client.get("/notes").json()[0]["noteId"] == "n-1"  # the seed, plain scope
        assert client.get("/notes", headers=t1).json() == [] and client.get("/notes", headers=t2).json() == []
        client.post("/notes", json={"text": "only t1"}, headers=t1)
        assert [n["text"] for n in client.get("/notes", headers=t1).json()] == ["only t1"]
        assert client.get("/notes", headers=t2).json() == []
        assert [n["text"] for n in client.get("/notes").json()] == ["first", "second"]
        assert counted.built == 4  # plain, t1, t2, then t1 after its write; t2 and plain were hits
    finally:
        client.close()


def test_reset_brings_back_the_seed(notes: tuple[MockClient, _Counted]) -> None:
    client, _ = notes
    client.post("/notes", json={"text": "gone after the reset"})
    client.delete("/notes/n-1")
    assert _texts(client) == ["second", "gone after the reset"]
    assert client.post("/_mock/reset").status_code == 204
    assert _texts(client) == ["first", "second"]


def test_a_state_file_restart_answers_what_was_stored(tmp_path: Path) -> None:
    path, state = _spec_file(tmp_path), tmp_path / "state.sqlite"
    first, _ = _open(path, state=state)
    first.post("/notes", json={"text": "kept"})
    assert _texts(first) == ["first", "second", "kept"]
    first.close()
    second, counted = _open(path, state=state)
    try:
        assert _texts(second) == ["first", "second", "kept"]
        second.delete("/notes/n-1")
        assert _texts(second) == ["second", "kept"]
        assert second.post("/_mock/reset").status_code == 204
        assert _texts(second) == ["first", "second"] and _texts(second) == ["first", "second"]
        assert counted.built == 3
    finally:
        second.close()
    third, _ = _open(path, state=state)
    try:
        assert _texts(third) == ["first", "second"]
    finally:
        third.close()


def test_a_stamped_list_follows_the_clock(notes: tuple[MockClient, _Counted], clock: FakeClock) -> None:
    client, counted = notes
    client.post("/events", json={"kind": "start"})
    first, again = client.get("/events").json(), client.get("/events").json()
    assert first == again and counted.built == 1
    clock.advance(1)
    later = client.get("/events").json()
    assert later["timestamp"] != first["timestamp"] and later["data"] == first["data"] == [{"eventId": 1, "kind": "start"}]
    assert counted.built == 2


class _Decorating(GenericBehaviour):
    """Its list handler adds to the engine's answer in place, when asked to."""

    def handlers(self) -> dict[str, Any]:
        return {**super().handlers(), "ListNotes": self.list_notes}

    def list_notes(self, request: MockRequest) -> MockResponse:
        answer = self.generic(request)
        if request.headers.get("x-decorate") and isinstance(answer.body, list):
            answer.body.append({"noteId": "added", "text": "by the override"})
            answer.body[0]["text"] = "changed by the override"
        return answer


def test_an_override_changing_the_generic_answer_does_not_change_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("generator.mock.behaviour_class", lambda name: _Decorating)
    client, counted = _open(_spec_file(tmp_path), override=True)
    assert isinstance(client.server.behaviour, _Decorating)
    try:
        decorated = client.get("/notes", headers={"X-Decorate": "1"}).json()
        assert [n["text"] for n in decorated] == ["changed by the override", "second", "by the override"]
        assert _texts(client) == ["first", "second"] and counted.built == 1
    finally:
        client.close()


def test_the_cache_is_bounded(notes: tuple[MockClient, _Counted], monkeypatch: pytest.MonkeyPatch) -> None:
    client, counted = notes
    behaviour = client.server.behaviour
    assert isinstance(behaviour, GenericBehaviour)
    monkeypatch.setattr(engine_module, "_LIST_CACHE_ENTRIES", 4)
    for offset in range(10):
        client.get("/notes", params={"offset": offset})
    assert len(behaviour._lists) == 4 and counted.built == 10
    client.get("/notes", params={"offset": 9})
    client.get("/notes", params={"offset": 0})  # dropped long ago: built again
    assert counted.built == 11
    kept = behaviour._list_bytes
    monkeypatch.setattr(engine_module, "_LIST_CACHE_BYTES", 10)  # every answer is larger: none is kept
    _texts(client, tag="a")
    _texts(client, tag="a")
    assert counted.built == 13 and behaviour._list_bytes == kept
    monkeypatch.setattr(engine_module, "_LIST_CACHE_BYTES", kept)  # room for what is kept: a new answer drops the oldest
    _texts(client, tag="b")
    assert 0 < behaviour._list_bytes <= kept and len(behaviour._lists) < 4


def test_eevions_site_list_is_the_engines_and_follows_its_changes() -> None:
    client = MockClient(create_app("eevion", rate_limit=False, check_responses=True))
    client.headers["Authorization"] = "Bearer mock-api-key"
    behaviour = client.server.behaviour
    assert isinstance(behaviour, GenericBehaviour) and "list_sites" not in vars(type(behaviour))
    counted = _Counted(behaviour)
    try:
        sites = client.get("/site").json()
        assert sites == [copy.deepcopy(s) for s in behaviour.store.items("/site", ())]  # the stored sites, as they are
        staging = client.get("/site", params={"environment": "staging"}).json()
        assert {s["id"] for s in staging} == {s["id"] for s in sites} and all(s["name"].startswith("[Staging]") for s in staging)
        port = sites[0]["ports"][0]
        assert client.post("/session", json={"stationId": port["displayName"]}).status_code == 200
        after = client.get("/site").json()
        assert after[0]["ports"][0]["status"] == "in use" and port["status"] != "in use"
        assert client.get("/site", params={"environment": "staging"}).json() == staging  # production's session only
        assert counted.built == 3
    finally:
        client.close()


def test_after_a_write_only_the_changed_item_is_made_again(notes: tuple[MockClient, _Counted], monkeypatch: pytest.MonkeyPatch) -> None:
    client, counted = notes
    behaviour = client.server.behaviour
    assert isinstance(behaviour, GenericBehaviour)
    conformed: list[Any] = []
    original = behaviour.synth.conform

    def counting(value: Any, schema: Any, _depth: int = 0) -> Any:
        if _depth == 0:
            conformed.append(value)
        return original(value, schema, _depth)

    monkeypatch.setattr(behaviour.synth, "conform", counting)
    client.post("/notes", json={"text": "third"})
    before = len(conformed)
    assert _texts(client) == ["first", "second", "third"] and len(conformed) == before + 3
    client.patch("/notes/n-2", json={"text": "changed"})
    before = len(conformed)
    assert _texts(client) == ["first", "changed", "third"] and len(conformed) == before + 1
    before = len(conformed)
    assert _texts(client, tag="a") == ["first", "third"] and len(conformed) == before  # another query, the same rows (untagged items pass a filter)
    assert counted.built == 3
