"""Credential enforcement from the IR's recipe (`generator/mock/auth.py`) and the vendors' mocks."""

from __future__ import annotations

import asyncio
import base64
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from generator.ir.auth import BasicAuth, BearerAuth, ClientCredentials, KeyAuth, SignIn
from generator.ir.build import build_api
from generator.mock import create_app, mock_server
from generator.mock.auth import MockAuth, default_credentials

from tests.mock.helpers import FakeClock
from tests.support.contract import authorization

REPO = Path(__file__).resolve().parents[2]


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_static_key_in_a_header_or_the_query() -> None:
    header = MockAuth(KeyAuth("k", credential="token", location="header", name="Authorization", prefix="Token "), {"token": "t1"})
    assert header.check({"Authorization": "Token t1"})
    assert header.check({"Authorization": "token t1"})  # the scheme word is case-insensitive
    assert not header.check({"Authorization": "Token t2"}) and not header.check({})
    query = MockAuth(KeyAuth("k", credential="key", location="query", name="api_key"), {"key": "abc"})
    assert query.check({}, {"api_key": "abc"}) and not query.check({}, {"api_key": "abd"}) and not query.check({"api_key": "abc"})


def test_bearer_and_basic() -> None:
    bearer = MockAuth(BearerAuth("b"), {"bearerToken": "secret"})
    assert bearer.check({"Authorization": "Bearer secret"}) and not bearer.check({"Authorization": "Bearer other"})
    basic = MockAuth(BasicAuth("b"), {"username": "u", "password": "p:w"})
    assert basic.check({"authorization": _basic("u", "p:w")})
    assert not basic.check({"authorization": _basic("u", "p")}) and not basic.check({"authorization": "Basic !!!"})


def test_client_credentials_tokens_expire_and_are_pruned() -> None:
    clock = FakeClock()
    auth = MockAuth(ClientCredentials("o", lifetime_seconds=60), {"client_id": "c", "client_secret": "s"}, clock=clock)
    assert auth.client_credentials_valid({"grant_type": "client_credentials", "client_id": "c", "client_secret": "s"})
    assert auth.client_credentials_valid({"grant_type": "client_credentials"}, _basic("c", "s"))
    assert not auth.client_credentials_valid({"grant_type": "client_credentials", "client_id": "c", "client_secret": "x"})
    assert not auth.client_credentials_valid({"grant_type": "password", "client_id": "c", "client_secret": "s"})
    first, lifetime = auth.issue()
    assert lifetime == 60 and auth.check({"Authorization": f"Bearer {first}"})
    clock.advance(61)
    assert not auth.check({"Authorization": f"Bearer {first}"})
    stale = [auth.issue()[0] for _ in range(5)]
    clock.advance(61)
    auth.issue()
    assert auth.token_count == 1 and not any(auth.check({"Authorization": f"Bearer {t}"}) for t in stale)


def test_the_token_store_is_bounded() -> None:
    auth = MockAuth(ClientCredentials("o"), max_tokens=100)
    tokens = [auth.issue()[0] for _ in range(250)]
    assert auth.token_count == 100
    assert auth.check({"Authorization": f"Bearer {tokens[-1]}"}) and not auth.check({"Authorization": f"Bearer {tokens[0]}"})


def test_sign_in_needs_every_credential() -> None:
    recipe = SignIn("s", operation_id="SignIn", sign_in_credentials=("email", "password"))
    auth = MockAuth(recipe, {"email": "a@example.com", "password": "pw"})
    token = auth.sign_in({"email": "a@example.com", "password": "pw", "extra": True})
    assert token is not None and auth.check({"Authorization": f"Bearer {token}"})
    assert auth.sign_in({"email": "a@example.com", "password": "nope"}) is None
    assert auth.sign_in({"email": "a@example.com"}) is None and auth.sign_in(["x"]) is None


def test_control_endpoints_take_basic_with_the_first_two_credentials() -> None:
    auth = MockAuth(ClientCredentials("o"), {"client_id": "c", "client_secret": "s"})
    assert auth.check_control({"authorization": _basic("c", "s")})
    assert not auth.check_control({"authorization": _basic("c", "x")}) and not auth.check_control({})


def test_default_credentials_and_describe() -> None:
    assert default_credentials(SignIn("s", sign_in_credentials=("email", "password"), mock_credentials=(("email", "e@x"),))) == {
        "email": "e@x",
        "password": "mock-password",
    }
    auth = MockAuth(KeyAuth("k", credential="apiKey", location="query", name="key"))
    described = auth.describe()
    assert described["credentials"] == {"apiKey": "mock-apiKey"} and "query key" in described["send"]
    assert "mock-apiKey" in auth.banner("http://127.0.0.1:1") and "http://127.0.0.1:1" in auth.banner("http://127.0.0.1:1")


def _doc(responses: dict[str, Any]) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "security": [{"key": []}],
        "paths": {"/things": {"get": {"operationId": "ListThings", "responses": responses}}},
        "components": {"securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}}},
    }


@pytest.mark.parametrize(
    ("responses", "status"),
    [({"200": {"description": "ok"}}, 401), ({"200": {"description": "ok"}, "403": {"description": "no"}}, 403), ({"401": {"description": "no"}, "403": {"description": "no"}}, 401)],
)
def test_the_refused_status_is_the_specs(responses: dict[str, Any], status: int) -> None:
    api = build_api(_doc(responses))
    auth = MockAuth(api.security_schemes["key"].auth)
    assert auth.refused_status(api) == status


SECURED = {"vev-iq": "/api/sites", "volue": "/users", "eevion": "/site", "greenflux": "/api/1.0/locations"}


@pytest.mark.parametrize("vendor", sorted(SECURED))
def test_vendor_mocks_enforce_their_recipe(vendor: str) -> None:
    async def run() -> tuple[int, int, int]:
        app = create_app(vendor, rate_limit=False)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://mock.test") as client:
            value = await authorization(client)
            refused = (await client.get(SECURED[vendor])).status_code
            forged = (await client.get(SECURED[vendor], headers={"Authorization": value[:-3] + "xyz"})).status_code
            allowed = (await client.get(SECURED[vendor], headers={"Authorization": value})).status_code
        return refused, forged, allowed

    assert asyncio.run(run()) == (401, 401, 200)


def test_describe_prints_the_test_credentials() -> None:
    done = subprocess.run([sys.executable, "-m", "generator", "mock", "volue", "--describe", "--port", "4999"], cwd=REPO, capture_output=True, text=True, check=True)
    document = json.loads(done.stdout)
    assert document["credentials"] == {"client_id": "mock-client", "client_secret": "mock-client-secret"}
    assert document["tokenUrl"] == "http://127.0.0.1:4999/connect/token"


def test_volue_tokens_expire_and_are_pruned() -> None:
    clock = FakeClock()
    app = create_app("volue", clock=clock)
    form = {"grant_type": "client_credentials", "client_id": "mock-client", "client_secret": "mock-client-secret"}

    async def run() -> tuple[int, int, int, int]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://mock.test") as client:
            first = (await client.post("/connect/token", data=form)).json()
            for _ in range(9):
                await client.post("/connect/token", data=form)
            held = mock_server(app).behaviour.token_count  # type: ignore[attr-defined]
            clock.advance(first["expires_in"] + 1)
            expired = (await client.get("/users", headers={"Authorization": f"Bearer {first['access_token']}"})).status_code
            fresh = (await client.post("/connect/token", data=form)).json()["access_token"]
            allowed = (await client.get("/users", headers={"Authorization": f"Bearer {fresh}"})).status_code
            return held, expired, mock_server(app).behaviour.token_count, allowed  # type: ignore[attr-defined]

    held, expired, after, allowed = asyncio.run(run())
    # 11 held: the ten issued here and the one the engine issues at start (for --describe).
    assert (held, expired, after, allowed) == (11, 401, 1, 200)


def test_the_mocks_own_token_endpoint() -> None:
    from starlette.applications import Starlette
    from starlette.routing import Route

    recipe = ClientCredentials("o", lifetime_seconds=120)
    auth = MockAuth(recipe, {"client_id": "c", "client_secret": "s"})
    app = Starlette(routes=[Route(recipe.mock_token_path, auth.token_endpoint, methods=["POST"])])

    async def run() -> list[Any]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://mock.test") as client:
            good = await client.post("/connect/token", data={"grant_type": "client_credentials", "client_id": "c", "client_secret": "s"})
            basic = await client.post("/connect/token", data={"grant_type": "client_credentials"}, auth=("c", "s"))
            wrong = await client.post("/connect/token", data={"grant_type": "client_credentials", "client_id": "c", "client_secret": "x"})
            grant = await client.post("/connect/token", data={"grant_type": "password"})
            return [good.status_code, good.json(), basic.status_code, wrong.status_code, wrong.json(), grant.json()]

    good, answer, basic, wrong, refused, grant = asyncio.run(run())
    assert (good, basic, wrong) == (200, 200, 401) and answer["expires_in"] == 120 and answer["token_type"] == "Bearer"
    assert auth.check({"Authorization": "Bearer " + answer["access_token"]})
    assert refused == {"error": "invalid_client"} and grant == {"error": "unsupported_grant_type"}
