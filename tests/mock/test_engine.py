"""The generic engine on real-world documents and on the invented fifth vendor: resources paired,
round trips, seed, reset, SQLite state, rate limit, refusal of documents it cannot serve."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from generator.mock import create_app, mock_server
from generator.mock.engine import GenericBehaviour
from generator.mock.resources import Resource

from tests.mock.helpers import FakeClock

DATA = Path(__file__).resolve().parents[1] / "data"
CORPUS = DATA / "corpus"
FIFTH = DATA / "mockcorpus" / "acme-charge"
KEY = {"X-Api-Key": "mock-acme-key"}
# Real-world documents with full create/read/update/delete resources (tests/data/mockcorpus/SOURCE.md).
ROUND_TRIP = ["apicurio.local__registry.json", "files.com.json", "flat.io.json", "gettyimages.com.json", "readme.io.json", "vercel.com.json"]


class _Sync:
    """Runs the ASGI app through httpx's async transport from sync code."""

    def __init__(self, app: Any) -> None:
        import asyncio

        self._loop = asyncio.new_event_loop()
        self._client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://mock.test")

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        return self._loop.run_until_complete(self._client.request(method, url, **kwargs))

    def close(self) -> None:
        self._loop.run_until_complete(self._client.aclose())
        self._loop.close()


@pytest.fixture
def acme() -> Any:
    client = _Sync(create_app(str(FIFTH)))
    yield client
    client.close()


def test_pairs_ids_and_roles_from_the_spec() -> None:
    behaviour = mock_server(create_app(str(FIFTH))).behaviour
    assert isinstance(behaviour, GenericBehaviour)
    roles = {op: role.kind for op, role in behaviour.roles.items()}
    assert roles == {"ListStations": "list", "CreateStation": "create", "GetStation": "read", "DeleteStation": "delete"}
    resource = behaviour.roles["GetStation"].resource
    assert resource is not None and (resource.collection, resource.item, resource.id_field) == ("/stations", "/stations/{stationId}", "stationId")


def test_examples_seed_the_store_and_lists_page(acme: _Sync) -> None:
    assert acme.request("GET", "/stations/st-1", headers=KEY).json() == {"stationId": "st-1", "name": "Depot north", "maxPowerKw": 22}
    for n in range(3):
        assert acme.request("POST", "/stations", headers=KEY, json={"name": f"s{n}"}).status_code == 201
    page = acme.request("GET", "/stations", headers=KEY, params={"limit": 2, "offset": 1}).json()
    # Seeded: st-1 (read and list examples), st-2 (create example); then s0, s1, s2.
    assert [s["name"] for s in page["data"]] == ["Depot south", "s0"] and page["total"] == 5
    assert [s["name"] for s in acme.request("GET", "/stations", headers=KEY, params={"offset": 4}).json()["data"]] == ["s2"]


def test_round_trip_and_404_in_the_specs_error_shape(acme: _Sync) -> None:
    created = acme.request("POST", "/stations", headers=KEY, json={"name": "Yard", "maxPowerKw": 11})
    assert created.status_code == 201
    station = created.json()
    assert created.headers["location"] == f"/stations/{station['stationId']}"
    assert acme.request("GET", created.headers["location"], headers=KEY).json() == station
    assert acme.request("DELETE", created.headers["location"], headers=KEY).status_code == 204
    gone = acme.request("GET", created.headers["location"], headers=KEY)
    assert gone.status_code == 404 and set(gone.json()) == {"code", "message"}
    assert acme.request("GET", "/stations/st-1").status_code == 401


def test_malformed_requests_get_4xx(acme: _Sync) -> None:
    assert acme.request("POST", "/stations", headers={**KEY, "Content-Type": "application/json"}, content=b"{not json").status_code == 400
    assert acme.request("POST", "/stations", headers=KEY, json={"name": ""}).status_code == 400
    assert acme.request("GET", "/stations", headers=KEY, params={"limit": "many"}).status_code == 400
    assert acme.request("PUT", "/stations/st-1", headers=KEY, json={}).status_code == 405
    assert acme.request("GET", "/nowhere", headers=KEY).status_code == 404


def test_seed_makes_ids_deterministic() -> None:
    def ids(seed: int) -> list[str]:
        client = _Sync(create_app(str(FIFTH), seed=seed))
        try:
            return [client.request("POST", "/stations", headers=KEY, json={"name": "x"}).json()["stationId"] for _ in range(3)]
        finally:
            client.close()

    assert ids(7) == ids(7)
    assert ids(7) != ids(8)
    assert len(set(ids(7))) == 3


def test_reset_restores_the_seed(acme: _Sync) -> None:
    acme.request("DELETE", "/stations/st-1", headers=KEY)
    acme.request("POST", "/stations", headers=KEY, json={"name": "extra"})
    assert acme.request("POST", "/_mock/reset").status_code == 401  # control endpoints need the credentials
    assert acme.request("POST", "/_mock/reset", headers=KEY).status_code == 204
    names = [s["name"] for s in acme.request("GET", "/stations", headers=KEY).json()["data"]]
    assert names == ["Depot north", "Depot south"]


def test_state_file_survives_a_restart(tmp_path: Path) -> None:
    state = tmp_path / "state.sqlite"
    first = _Sync(create_app(str(FIFTH), state=state))
    made = first.request("POST", "/stations", headers=KEY, json={"name": "kept"}).json()
    first.request("DELETE", "/stations/st-1", headers=KEY)
    first.close()
    second_app = create_app(str(FIFTH), state=state)
    second = _Sync(second_app)
    try:
        assert second.request("GET", f"/stations/{made['stationId']}", headers=KEY).json()["name"] == "kept"
        assert second.request("GET", "/stations/st-1", headers=KEY).status_code == 404
        assert second.request("POST", "/_mock/reset", headers=KEY).status_code == 204
        assert second.request("GET", "/stations/st-1", headers=KEY).status_code == 200
    finally:
        second.close()


def test_rate_limit_answers_429_with_retry_after() -> None:
    clock = FakeClock()
    client = _Sync(create_app(str(FIFTH), limit=(2, 10.0), clock=clock))
    try:
        statuses = [client.request("GET", "/stations", headers=KEY).status_code for _ in range(3)]
        assert statuses == [200, 200, 429]
        clock.advance(10.5)
        assert client.request("GET", "/stations", headers=KEY).status_code == 200
    finally:
        client.close()


def _round_trip(path: Path) -> list[str]:
    """create → read → update → read → delete → read (404) on every fully paired resource whose
    create body the engine can build; returns the collections checked."""
    app = create_app(str(path))
    behaviour = mock_server(app).behaviour
    assert isinstance(behaviour, GenericBehaviour)
    auth = behaviour.request_auth()
    client = _Sync(app)
    checked = []
    resources: dict[str, Resource] = {}
    for role in behaviour.roles.values():
        if role.resource is not None and not role.resource.parent_params:
            resources[role.resource.collection] = role.resource
    try:
        for resource in resources.values():
            kinds = {r.kind for r in behaviour.roles.values() if r.resource is resource}
            if not {"create", "read", "delete"} <= kinds or not kinds & {"update", "replace"} or resource.create is None:
                continue
            body_media = resource.create.request_body.media() if resource.create.request_body else None
            body = behaviour.synth.value(body_media.schema) if body_media and body_media.schema else {}
            created = client.request("POST", resource.collection, json=body, headers=auth["headers"], params=auth["query"])
            if created.status_code >= 300 or "location" not in created.headers:
                continue
            location = created.headers["location"]
            first = client.request("GET", location, headers=auth["headers"], params=auth["query"])
            assert first.status_code == 200, (resource.collection, first.text)
            method = "PATCH" if "update" in kinds else "PUT"
            update = client.request(method, location, json=body, headers=auth["headers"], params=auth["query"])
            assert update.status_code < 300, (resource.collection, method, update.text)
            assert client.request("GET", location, headers=auth["headers"], params=auth["query"]).status_code == 200
            assert client.request("DELETE", location, headers=auth["headers"], params=auth["query"]).status_code < 300
            assert client.request("GET", location, headers=auth["headers"], params=auth["query"]).status_code == 404
            checked.append(resource.collection)
    finally:
        client.close()
    return checked


@pytest.mark.parametrize("name", ROUND_TRIP)
def test_round_trip_on_real_world_documents(name: str) -> None:
    assert _round_trip(CORPUS / name), f"{name}: no resource made the round trip"


def test_a_document_without_paths_is_refused_with_a_located_message(tmp_path: Path) -> None:
    spec = tmp_path / "empty.yaml"
    spec.write_text("openapi: 3.1.0\ninfo: {title: Empty, version: '1'}\npaths: {}\n")
    result = subprocess.run([sys.executable, "-m", "generator", "mock", str(spec), "--port", "0"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "empty.yaml:3:" in result.stderr and "no paths" in result.stderr and "Traceback" not in result.stderr


def test_a_document_with_only_unsupported_media_types_is_refused(tmp_path: Path) -> None:
    spec = tmp_path / "pdf.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: Pdf, version: '1'}\npaths:\n  /report:\n    get:\n      responses:\n"
        "        '200':\n          description: A PDF.\n          content:\n            application/pdf: {schema: {type: string, format: binary}}\n"
    )
    result = subprocess.run([sys.executable, "-m", "generator", "mock", str(spec), "--describe"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "pdf.yaml:6:" in result.stderr and "mock_unsupported_media_types" in result.stderr and "Traceback" not in result.stderr


def test_bad_rate_limit_and_unknown_target_exit_2(tmp_path: Path) -> None:
    for args in (["mock", str(FIFTH), "--rate-limit", "ten"], ["mock", str(tmp_path / "missing.yaml")]):
        result = subprocess.run([sys.executable, "-m", "generator", *args, "--describe"], capture_output=True, text=True, timeout=60)
        assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr


def test_a_vendor_override_keeps_only_what_the_spec_cannot_say(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A vendor module found by name (`generator.mock.vendors.<name>`) that answers one operation
    and renders its own errors: the generic engine answers the other operations."""
    import importlib.machinery
    import types

    from generator.mock.behaviour import Behaviour, Handler
    from generator.mock.http import MockRequest, MockResponse

    class Override(Behaviour):
        vendor = "acme-charge"
        default_credentials = {"apiKey": "mock-acme-key"}

        def handlers(self) -> dict[str, Handler]:
            return {"GetStation": self.get_station}

        def authenticate(self, request: MockRequest) -> MockResponse | None:
            return None if request.headers.get("x-api-key") == self.ctx.credentials["apiKey"] else self.error(401, "no key")

        def error(self, status: int, message: str, *, request: MockRequest | None = None, **extra: Any) -> MockResponse:
            return MockResponse(status, {"code": f"acme-{status}", "message": message}, media_type="application/json")

        def get_station(self, request: MockRequest) -> MockResponse:
            return MockResponse(200, {"stationId": request.params["stationId"], "name": "from the override"})

    module = types.ModuleType("generator.mock.vendors.acme_charge")
    module.__spec__ = importlib.machinery.ModuleSpec(module.__name__, None)
    module.BEHAVIOUR = Override  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, module.__name__, module)
    client = _Sync(create_app(str(FIFTH)))
    try:
        assert client.request("GET", "/stations/anything", headers=KEY).json()["name"] == "from the override"
        created = client.request("POST", "/stations", headers=KEY, json={"name": "generic"})
        assert created.status_code == 201 and created.json()["name"] == "generic"
        assert client.request("GET", "/stations", headers={"X-Api-Key": "wrong"}).json() == {"code": "acme-401", "message": "no key"}
    finally:
        client.close()


def test_round_trips_pass_on_the_schemathesis_corpus() -> None:
    """Every fully paired resource of the schemathesis corpus whose create succeeds completes the
    round trip (the assertions are inside `_round_trip`); flat.io and readme.io have such pairs."""
    from tests.contract.test_corpus import SCHEMATHESIS

    checked = {name: _round_trip(CORPUS / name) for name in SCHEMATHESIS}
    assert checked["flat.io.json"] == ["/collections", "/scores"]
    assert checked["readme.io.json"] == ["/changelogs", "/custompages", "/version"]


_OAUTH_SPEC = """openapi: 3.1.0
info: {title: Tokens, version: "1"}
components:
  securitySchemes:
    cc:
      type: oauth2
      flows: {clientCredentials: {tokenUrl: "https://login.example.test/token", scopes: {}}}
    basic: {type: http, scheme: basic}
paths:
  /things:
    get:
      operationId: ListThings
      security: [{cc: []}]
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: array, items: {type: object}}}}}
        "401": {description: no}
  /plain:
    get:
      operationId: Plain
      security: [{basic: []}]
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
        "401": {description: no}
"""


def test_engine_enforces_the_typed_recipe_with_its_token_endpoint(tmp_path: Path) -> None:
    """The engine authenticates through `mock/auth.py`: a client-credentials scheme gets the mock's
    token endpoint, its tokens expire; basic takes the recipe's username and password."""
    spec = tmp_path / "tokens.yaml"
    spec.write_text(_OAUTH_SPEC, encoding="utf-8")
    clock = FakeClock()
    app = create_app(str(spec), clock=clock)
    behaviour = mock_server(app).behaviour
    assert isinstance(behaviour, GenericBehaviour)
    client = _Sync(app)
    try:
        assert client.request("GET", "/things").status_code == 401
        assert client.request("GET", "/things", headers={"Authorization": "Bearer mock-cc-credential"}).status_code == 401
        form = {"grant_type": "client_credentials", "client_id": "mock-client_id", "client_secret": "mock-client_secret"}
        assert client.request("POST", "/connect/token", data={**form, "client_secret": "wrong"}).status_code == 401
        token = client.request("POST", "/connect/token", data=form).json()["access_token"]
        bearer = {"Authorization": f"Bearer {token}"}
        assert client.request("GET", "/things", headers=bearer).status_code == 200
        described = behaviour.request_auth()["headers"]  # the token issued at start (`--describe`)
        assert described["Authorization"] != bearer["Authorization"]
        assert client.request("GET", "/things", headers=described).status_code == 200
        clock.advance(3601)
        assert client.request("GET", "/things", headers=bearer).status_code == 401  # expired
        assert client.request("GET", "/things", headers=described).status_code == 401
        import base64

        good = "Basic " + base64.b64encode(b"mock-username:mock-password").decode()
        bad = "Basic " + base64.b64encode(b"mock-username:nope").decode()
        assert client.request("GET", "/plain", headers={"Authorization": good}).status_code == 200
        assert client.request("GET", "/plain", headers={"Authorization": bad}).status_code == 401
    finally:
        client.close()
