"""The authentication recipe in the IR: one typed value per security scheme, checked with located problems."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import msgspec
import pytest
from generator.ir.auth import (
    BasicAuth,
    BearerAuth,
    ClientCredentials,
    DelegatedOAuth,
    KeyAuth,
    SignIn,
    check_auth,
    primary_recipe,
)
from generator.ir.build import build_api
from generator.spec.loader import load_spec

from tests.conftest import loaded_spec


def _doc(schemes: dict[str, Any], paths: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": paths or {},
        "components": {"securitySchemes": schemes},
    }


def test_vendor_recipes() -> None:
    recipes = {v: primary_recipe(loaded_spec(v).api) for v in ("vev-iq", "volue", "eevion", "greenflux")}
    signin = recipes["vev-iq"]
    assert isinstance(signin, SignIn) and signin.declared
    assert signin.operation_id == "SignIn" and signin.credentials == ("email", "password", "tenant")
    assert signin.body == {"acceptEula": True} and signin.token_path == ("token",) and signin.lifetime_seconds == 43200
    volue = recipes["volue"]
    assert isinstance(volue, ClientCredentials) and volue.credentials == ("client_id", "client_secret")
    assert volue.token_url.endswith("/connect/token") and volue.mock_token_path == "/connect/token"
    eevion = recipes["eevion"]
    assert isinstance(eevion, BearerAuth) and eevion.credential == "apiKey" and eevion.mock_credential_map() == {"apiKey": "mock-api-key"}
    greenflux = recipes["greenflux"]
    assert isinstance(greenflux, KeyAuth) and (greenflux.location, greenflux.name, greenflux.prefix) == ("header", "Authorization", "Token ")
    for vendor in recipes:
        assert check_auth(loaded_spec(vendor).api) == []


@pytest.mark.parametrize(
    ("scheme", "expected", "fields"),
    [
        ({"type": "apiKey", "in": "query", "name": "key"}, KeyAuth, {"location": "query", "name": "key", "credential": "apiKey", "prefix": ""}),
        ({"type": "apiKey", "in": "header", "name": "X-Api-Key"}, KeyAuth, {"location": "header", "name": "X-Api-Key"}),
        ({"type": "http", "scheme": "bearer"}, BearerAuth, {"credential": "bearerToken", "prefix": "Bearer "}),
        ({"type": "http", "scheme": "Basic"}, BasicAuth, {"username": "username", "password": "password"}),
        (
            {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "https://a.example/token", "scopes": {}}}},
            ClientCredentials,
            {"token_url": "https://a.example/token", "client_credentials": ("client_id", "client_secret")},
        ),
        (
            {"type": "oauth2", "flows": {"authorizationCode": {"authorizationUrl": "https://a.example/a", "tokenUrl": "https://a.example/t", "scopes": {}}}},
            DelegatedOAuth,
            {"flow": "authorizationCode"},
        ),
        ({"type": "openIdConnect", "openIdConnectUrl": "https://a.example/.well-known"}, DelegatedOAuth, {}),
    ],
)
def test_derived_from_the_scheme(scheme: dict[str, Any], expected: type, fields: dict[str, Any]) -> None:
    recipe = build_api(_doc({"s": scheme})).security_schemes["s"].auth
    assert isinstance(recipe, expected) and not recipe.declared
    for name, value in fields.items():
        assert getattr(recipe, name) == value


def test_mutual_tls_has_no_recipe() -> None:
    assert build_api(_doc({"s": {"type": "mutualTLS"}})).security_schemes["s"].auth is None


def test_tagged_union_round_trips() -> None:
    recipe = primary_recipe(loaded_spec("vev-iq").api)
    encoded = msgspec.json.encode(recipe)
    assert b'"type":"signin"' in encoded
    assert msgspec.json.decode(encoded, type=KeyAuth | BearerAuth | BasicAuth | ClientCredentials | SignIn | DelegatedOAuth) == recipe


def test_problems_are_located() -> None:
    doc = _doc(
        {
            "a": {"type": "http", "scheme": "bearer", "x-connectorgen-auth": {"kind": "magic"}},
            "b": {"type": "http", "scheme": "bearer", "x-connectorgen-auth": {"kind": "signin", "operationId": "Nope", "credentials": ["user"]}},
            "c": {"type": "apiKey", "in": "header", "name": "K", "x-connectorgen-auth": {"kind": "static", "credential": "key", "mockCredentials": {"other": "x"}}},
        }
    )
    problems = {p.code: p for p in check_auth(build_api(doc, "api.yaml"))}
    assert set(problems) == {"auth_kind", "auth_signin_operation", "auth_mock_credentials"}
    assert problems["auth_kind"].pointer == "/components/securitySchemes/a/x-connectorgen-auth/kind"
    assert problems["auth_signin_operation"].pointer == "/components/securitySchemes/b/x-connectorgen-auth/operationId"
    assert "'Nope'" in problems["auth_signin_operation"].message
    assert problems["auth_mock_credentials"].pointer.endswith("/c/x-connectorgen-auth/mockCredentials")
    assert "other" in problems["auth_mock_credentials"].message and problems["auth_kind"].file == "api.yaml"


def test_primary_prefers_the_declared_scheme() -> None:
    doc = _doc(
        {
            "plain": {"type": "http", "scheme": "basic"},
            "key": {"type": "apiKey", "in": "query", "name": "k", "x-connectorgen-auth": {"kind": "static", "credential": "k"}},
        }
    )
    recipe = primary_recipe(build_api(doc))
    assert isinstance(recipe, KeyAuth) and recipe.declared and recipe.credential == "k"


def test_loading_a_spec_reports_recipe_problems_with_their_line(tmp_path: Path) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text(
        "openapi: 3.1.0\n"
        "info: {title: t, version: '1'}\n"
        "paths: {}\n"
        "components:\n"
        "  securitySchemes:\n"
        "    bearer:\n"
        "      type: http\n"
        "      scheme: bearer\n"
        "      x-connectorgen-auth:\n"
        "        kind: signin\n"
        "        operationId: Missing\n"
        "        credentials: [user]\n"
    )
    problems = [p for p in load_spec(spec, strict=False).problems if p.code.startswith("auth_")]
    assert [(p.code, p.line, p.pointer) for p in problems] == [
        ("auth_signin_operation", 11, "/components/securitySchemes/bearer/x-connectorgen-auth/operationId")
    ]
