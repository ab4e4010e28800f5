"""Environment files: the mock plus each real environment, baseUrl and typed variables."""

from __future__ import annotations

import pytest
from generator.targets.postman.collection import PostmanOutput

from tests.postman.conftest import built

EXPECTED = {
    "vev-iq": ["mock", "production"],
    "volue": ["mock", "production", "sandbox"],
    "eevion": ["mock", "production", "staging"],
    "greenflux": ["mock", "production", "acceptance"],
}


def test_one_environment_per_deployment(vendor: str, output: PostmanOutput) -> None:
    assert list(output.environments) == EXPECTED[vendor]


def test_environment_documents(vendor: str, output: PostmanOutput) -> None:
    for name, env in output.environments.items():
        assert env["_postman_variable_scope"] == "environment"
        assert env["name"].endswith(f"({name})")
        values = {v["key"]: v for v in env["values"]}
        assert {v["type"] for v in env["values"]} <= {"default", "secret"}
        assert all(v["enabled"] for v in env["values"])
        assert values["baseUrl"]["value"].startswith("http")
    assert {v["key"]: v["value"] for v in output.environments["mock"]["values"]}["baseUrl"] == "http://127.0.0.1:4010"


@pytest.mark.parametrize(
    ("vendor_name", "env", "url"),
    [
        ("vev-iq", "production", "https://rest.vev-iq.com/v1"),
        ("volue", "sandbox", "https://api.sandbox.voluespark.com/energy-coordination/v1"),
        ("eevion", "staging", "https://app.hypercharge.com/api/eevion"),
        ("greenflux", "acceptance", "https://platform-a.greenflux.com"),
    ],
)
def test_base_urls_come_from_the_servers(vendor_name: str, env: str, url: str) -> None:
    values = {v["key"]: v["value"] for v in built(vendor_name).environments[env]["values"]}
    assert values["baseUrl"] == url
