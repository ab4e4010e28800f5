"""The emulator adds the credential the connection's security definition says, as the platform
does before the policies: `api_key` into the apiKey header, `username`/`password` as HTTP basic."""

from __future__ import annotations

import base64

from generator.emulator import Emulator

from tests.powerplatform.packages import built_packages


def test_basic_definition_sends_username_and_password() -> None:
    """Volue: the client ID and secret as user name and password (RFC 6749 client_secret_basic)."""
    emulator = Emulator(
        built_packages()["volue"][0],
        {"username": "client-1", "password": "s3cret"},
        base_url="http://127.0.0.1:9/ec/v1",
    )
    request, _, _ = emulator.prepare("ListUsers", {})
    assert request.header("Authorization") == "Basic " + base64.b64encode(b"client-1:s3cret").decode()
    assert request.header("X-Credential-Username") == "client-1"  # and the policies still run


def test_api_key_definition_then_the_prefix_policy() -> None:
    emulator = Emulator(built_packages()["greenflux"][0], {"api_key": "k-1"}, base_url="http://127.0.0.1:9")
    request, _, applied = emulator.prepare("ListLocations", {})
    assert request.header("Authorization") == "Token k-1"  # the setheader policy overrides the raw key
    assert applied


def test_token_set_uses_its_own_definition() -> None:
    emulator = Emulator(built_packages()["vev-iq"][0], {"api_key": "t0k"}, base_url="http://127.0.0.1:9/v1", parameter_set="token")
    request, _, _ = emulator.prepare("ListSites", {"Limit": 5})
    assert request.header("Authorization") == "Bearer t0k"
