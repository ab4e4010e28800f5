"""The generated custom code, compiled with Mono, against small fake services: it signs in or gets
a token, strips the credential headers, forwards with the bearer token, and passes the vendor's
errors through. (test_vendor_packages.py runs every action against the real mock servers.)"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs

import pytest
from generator.emulator import Emulator
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from tests.emulator.mono_support import require_mono
from tests.emulator.servers import serve
from tests.powerplatform.packages import built_packages

TOKEN = "t0k3n"


def _vendor_app(seen: list[dict[str, Any]]) -> Starlette:
    async def signin(request: Request) -> Response:
        body = await request.json()
        seen.append({"path": "signin", "body": body, "agent": request.headers.get("user-agent", "")})
        if body.get("password") != "right" or body.get("acceptEula") is not True:
            return JSONResponse({"errorCode": 404, "errorMessage": "Wrong password", "errorDetailedMessage": "x"}, status_code=404)
        return JSONResponse({"token": TOKEN})

    async def token(request: Request) -> Response:
        form = parse_qs((await request.body()).decode())
        seen.append({"path": "token", "form": form})
        if form.get("client_secret") != ["right"] or form.get("grant_type") != ["client_credentials"]:
            return JSONResponse({"error": "invalid_client", "error_description": "Client authentication failed."}, status_code=401)
        return JSONResponse({"access_token": TOKEN, "token_type": "Bearer", "expires_in": 1800})

    async def api(request: Request) -> Response:
        seen.append({"path": request.url.path, "headers": {k.lower(): v for k, v in request.headers.items()}})
        if request.headers.get("authorization") != f"Bearer {TOKEN}":
            return PlainTextResponse("Unauthorized", status_code=401)
        if request.method == "POST" and request.url.path.endswith("/webhooks"):
            return JSONResponse({"webhookId": "w 1", "url": "x", "operations": ["Create"], "eventTypes": ["PriceDelta"]}, status_code=201)
        return JSONResponse({"count": 0, "result": []})

    return Starlette(
        routes=[
            Route("/v1/auth/signin", signin, methods=["POST"]),
            Route("/connect/token", token, methods=["POST"]),
            Route("/v1/api/{rest:path}", api),
            Route("/ec/v1/{rest:path}", api, methods=["GET", "POST"]),
        ]
    )


@pytest.fixture(scope="module")
def service() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    require_mono()
    seen: list[dict[str, Any]] = []
    with serve(_vendor_app(seen)) as base:
        yield base, seen


def _vev(base: str, password: str) -> Emulator:
    package = built_packages()["vev-iq"][0]
    return Emulator(package, {"username": "api@example.com", "password": password, "tenant": "acme"}, base_url=base + "/v1", parameter_set="signin")


def test_sign_in_then_forward(service: tuple[str, list[dict[str, Any]]]) -> None:
    base, seen = service
    call = _vev(base, "right").call("ListSites", {"Limit": 10})
    assert call.response.status == 200, call.response.body
    assert call.response.sent == [f"POST {base}/v1/auth/signin", f"GET {base}/v1/api/sites?Limit=10"]
    signin, forwarded = seen[-2], seen[-1]
    assert signin["body"] == {"acceptEula": True, "email": "api@example.com", "password": "right", "tenant": "acme"}
    assert "Mozilla" not in signin["agent"]  # technical users may not sign in from a browser
    assert not [h for h in forwarded["headers"] if h.startswith("x-credential")]


def test_sign_in_failure_is_the_vendors_answer(service: tuple[str, list[dict[str, Any]]]) -> None:
    base, _ = service
    call = _vev(base, "wrong").call("ListUsers", {"Limit": 1})
    assert call.response.status == 404
    assert call.response.json()["errorMessage"] == "Wrong password"
    assert len(call.response.sent) == 1  # nothing forwarded


def test_token_parameter_set(service: tuple[str, list[dict[str, Any]]]) -> None:
    base, seen = service
    package = built_packages()["vev-iq"][0]
    call = Emulator(package, {"api_key": TOKEN}, base_url=base + "/v1", parameter_set="token").call("ListTags", {"Limit": 5})
    assert call.response.status == 200
    assert call.response.sent == [f"GET {base}/v1/api/tags?Limit=5"]
    assert seen[-1]["headers"]["authorization"] == f"Bearer {TOKEN}"


def _volue(base: str, secret: str) -> Emulator:
    package = built_packages()["volue"][0]
    connection = {"username": "client-1", "password": secret, "tokenUrl": base + "/connect/token", "environment": base + "/ec/v1"}
    return Emulator(package, connection)


def test_client_credentials_then_forward(service: tuple[str, list[dict[str, Any]]]) -> None:
    base, seen = service
    call = _volue(base, "right").call("ListUsers")
    assert call.response.status == 200, call.response.body
    token_request, forwarded = seen[-2], seen[-1]
    assert token_request["form"] == {"grant_type": ["client_credentials"], "client_id": ["client-1"], "client_secret": ["right"]}
    assert forwarded["headers"]["authorization"] == f"Bearer {TOKEN}"
    assert not [h for h in forwarded["headers"] if h.startswith("x-credential")]


def test_token_error_is_surfaced(service: tuple[str, list[dict[str, Any]]]) -> None:
    base, _ = service
    call = _volue(base, "wrong").call("ListUsers")
    assert call.response.status == 401
    body = call.response.json()
    assert body["error"] == "invalid_client"
    assert "Client authentication failed." in body["message"] and "/connect/token" in body["message"]


def test_location_added_to_webhook_registration(service: tuple[str, list[dict[str, Any]]]) -> None:
    base, _ = service
    subscription = _volue(base, "right").register_webhook("CreateWebhook", "https://flow.example/cb", body={"webhookSecret": "s"})
    assert subscription.location == f"{base}/ec/v1/webhooks/w%201"
