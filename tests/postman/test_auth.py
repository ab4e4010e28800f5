"""Collection-level auth per vendor (x-connectorgen-auth) and the fallbacks for other documents."""

from __future__ import annotations

from typing import Any

import pytest
from generator.ir.build import build_api
from generator.targets.postman.auth import plan_auth
from generator.targets.postman.collection import build_postman

from tests.postman.conftest import built, items, script


def _attrs(auth: dict[str, Any]) -> dict[str, Any]:
    return {a["key"]: a["value"] for a in auth[auth["type"]]}


def _item(collection: dict[str, Any], name: str) -> dict[str, Any]:
    return next(i for i in items(collection) if i["name"] == name)


def test_vev_iq_signs_in_from_a_collection_script() -> None:
    collection = built("vev-iq").collection
    assert collection["auth"]["type"] == "bearer" and _attrs(collection["auth"]) == {"token": "{{accessToken}}"}
    code = script(collection, "prerequest")
    assert "pm.sendRequest(" in code and '"/auth/signin"' in code and '"acceptEula": true' in code
    assert '["email", "password", "tenant"]' in code
    assert "claims.exp" in code  # JWT expiry, else the documented lifetime
    sign_in = _item(collection, "Sign in")
    assert sign_in["request"]["auth"] == {"type": "noauth"}  # and the script skips requests with their own auth
    assert "pm.request.auth && pm.request.auth.type !== \"bearer\"" in code
    body = sign_in["request"]["body"]["raw"]
    assert '"email": "{{email}}"' in body and '"password": "{{password}}"' in body and '"tenant": "{{tenant}}"' in body


def test_volue_has_native_oauth2_and_a_newman_token_script() -> None:
    output = built("volue")
    auth = output.collection["auth"]
    assert auth["type"] == "oauth2"
    assert {k: v for k, v in _attrs(auth).items() if k in ("grant_type", "accessTokenUrl", "clientId", "clientSecret", "addTokenTo")} == {
        "grant_type": "client_credentials",
        "accessTokenUrl": "{{tokenUrl}}",
        "clientId": "{{client_id}}",
        "clientSecret": "{{client_secret}}",
        "addTokenTo": "header",
    }
    code = script(output.collection, "prerequest")
    assert "mode: 'urlencoded'" in code and "grant_type" in code and "headers.upsert" in code
    token_urls = {name: {v["key"]: v["value"] for v in env["values"]}["tokenUrl"] for name, env in output.environments.items()}
    assert token_urls == {
        "mock": "{{baseUrl}}/connect/token",
        "production": "https://auth.identity.volue.com/connect/token",
        "sandbox": "https://auth.identity.volue.com/connect/token",
    }


def test_eevion_sends_its_api_key_as_bearer_and_environment_as_query() -> None:
    output = built("eevion")
    assert output.collection["auth"] == {"type": "bearer", "bearer": [{"key": "token", "value": "{{apiKey}}", "type": "string"}]}
    for item in items(output.collection):
        query = {q["key"]: q for q in item["request"]["url"]["query"]}
        assert query["environment"]["value"] == "{{environment}}" and not query["environment"].get("disabled")
    assert "removeQueryParams" in script(output.collection, "prerequest")
    values = {name: {v["key"]: v["value"] for v in env["values"]}["environment"] for name, env in output.environments.items()}
    assert values == {"mock": "", "production": "", "staging": "staging"}


def test_greenflux_sends_token_with_its_prefix() -> None:
    auth = built("greenflux").collection["auth"]
    assert auth["type"] == "apikey"
    assert _attrs(auth) == {"key": "Authorization", "value": "Token {{token}}", "in": "header"}


def _doc(scheme: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "Pets", "version": "1"},
        "security": [{"s": []}],
        "paths": {"/pets": {"get": {"operationId": "ListPets", "responses": {"200": {"description": "ok"}}}}, **extra},
        "components": {"securitySchemes": {"s": scheme}},
    }


@pytest.mark.parametrize(
    ("scheme", "kind", "auth"),
    [
        ({"type": "http", "scheme": "bearer"}, "static", {"type": "bearer", "bearer": [{"key": "token", "value": "{{bearerToken}}", "type": "string"}]}),
        ({"type": "http", "scheme": "basic"}, "basic", None),
        (
            {"type": "apiKey", "in": "query", "name": "key"},
            "static",
            {"type": "apikey", "apikey": [{"key": "key", "value": "key", "type": "string"}, {"key": "value", "value": "{{apiKey}}", "type": "string"}, {"key": "in", "value": "query", "type": "string"}]},
        ),
        ({"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "https://x/token", "scopes": {}}}}, "oauth2-client-credentials", None),
        ({"type": "oauth2", "flows": {"authorizationCode": {"authorizationUrl": "https://x/a", "tokenUrl": "https://x/t", "scopes": {}}}}, "oauth2", None),
    ],
)
def test_schemes_without_the_extension(scheme: dict[str, Any], kind: str, auth: dict[str, Any] | None) -> None:
    plan = plan_auth(build_api(_doc(scheme)))
    assert plan.kind == kind
    if auth is not None:
        assert plan.auth == auth
    assert all(v.value == "" for v in plan.variables if v.secret)


def test_a_bearer_api_with_a_token_endpoint_gets_a_sign_in_script() -> None:
    login = {
        "post": {
            "operationId": "Login",
            "security": [],
            "requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {"user": {"type": "string"}, "pass": {"type": "string"}, "remember": {"type": "boolean"}}}, "example": {"user": "u", "pass": "p", "remember": True}}}},
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object", "properties": {"access_token": {"type": "string"}}}}}}},
        }
    }
    output = build_postman(build_api(_doc({"type": "http", "scheme": "bearer"}, **{"/login": login})), "pets")
    code = script(output.collection, "prerequest")
    assert '["user", "pass"]' in code and '{"remember": true}' in code and '["access_token"]' in code
    login_item = next(i for i in items(output.collection) if i["name"] == "POST /login")
    assert login_item["request"]["auth"] == {"type": "noauth"}
    assert '"pass": "{{pass}}"' in login_item["request"]["body"]["raw"]
