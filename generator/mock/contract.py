"""Shared set-up for the schemathesis contract runs against the mocks (`tests/contract`, `make fuzz`).

- `authorization(client)`: the `Authorization` header value for a running mock, from its
  `/_mock/describe` credentials and the spec's `x-connectorgen-auth` (VEV-IQ signs in, Volue
  fetches a client-credentials token, Eevion and GreenFlux send a static key with a prefix).
- `schemathesis_toml(vendor, ...)`: the schemathesis configuration, with the documented vendor
  behaviours the default checks would otherwise flag (each one cites `specs/<vendor>/README.md` /
  the vendor reference it comes from).
"""

from __future__ import annotations

import json
from typing import Any

import httpx

__all__ = ["ALL_CHECKS", "EXPECTED_STATUSES", "authorization", "schemathesis_toml"]

# Every check the contract runs enable (schemathesis 4.32 built-ins, minus max_response_time, which
# measures the machine, and object_level_authorization / allow_header_conformance, which need
# multi-user set-ups / Allow headers the vendors do not send).
ALL_CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "response_headers_conformance",
    "positive_data_acceptance",
    "negative_data_rejection",
    "use_after_free",
    "ensure_resource_availability",
    "missing_required_header",
    "ignored_auth",
    "unsupported_method",
)

_DEFAULTS: dict[str, list[str]] = {
    "not_a_server_error": ["2xx", "3xx", "4xx"],
    "positive_data_acceptance": ["2xx", "3xx", "401", "403", "404", "409", "429", "5xx"],
}

# Per vendor and check: statuses added to schemathesis's defaults, each a documented vendor behaviour.
EXPECTED_STATUSES: dict[str, dict[str, list[str]]] = {
    "vev-iq": {
        # VEV-IQ's business statuses are documented responses, not server faults (vev-iq reference,
        # "Sign-in errors" / "/api errors"): 520 EULA not accepted, 590 account locked, 592 pending,
        # 593 blocked, 594 inactive, 598 technical user from a browser, 595/596 sign in again.
        "not_a_server_error": ["520", "590", "592", "593", "594", "595", "596", "598"],
        # A sign-in body without `tenant` is schema-valid (tenant may come in the query string) but
        # VEV-IQ answers 400 "missing tenant" (vev-iq reference, "Sign-in errors"); wrong generated
        # credentials get 404 (unknown user / tenant) and the business statuses above.
        "positive_data_acceptance": ["400", "520", "590", "592", "593", "594", "598"],
    },
    "eevion": {
        # Eevion answers unknown station / session ids with 400 `invalidRequest`, not 404 (eevion
        # reference, "Get a session": 400 "That station is not allowed").
        "positive_data_acceptance": ["400"],
    },
}


def _expected(vendor: str, check: str) -> list[str]:
    return _DEFAULTS[check] + EXPECTED_STATUSES.get(vendor, {}).get(check, [])


def schemathesis_toml(vendor: str, *, max_examples: int, phases: tuple[str, ...] = ("examples", "coverage", "fuzzing", "stateful")) -> str:
    """A `schemathesis.toml` for `vendor`: positive and negative data, the given phases, every check
    in ALL_CHECKS, and the vendor's documented exceptions."""
    lines = [
        "continue-on-failure = true",
        "[generation]",
        'mode = "all"',
        f"max-examples = {max_examples}",
        "deterministic = true",
        "[phases]",
    ]
    for phase in ("examples", "coverage", "fuzzing", "stateful"):
        lines += [f"[phases.{phase}]", f"enabled = {json.dumps(phase in phases)}"]
    lines += ["[checks]", "enabled = false"]
    for check in ALL_CHECKS:
        lines += [f"[checks.{check}]", "enabled = true"]
        if check in _DEFAULTS:
            lines.append(f"expected-statuses = {json.dumps(_expected(vendor, check))}")
    return "\n".join(lines) + "\n"


async def authorization(client: httpx.AsyncClient) -> str:
    """The Authorization header value for the mock behind `client` (base URL = the mock's)."""
    from generator.ir.build import build_api
    from generator.mock.auth import authorization_for

    describe: dict[str, Any] = (await client.get("/_mock/describe")).raise_for_status().json()
    spec: dict[str, Any] = (await client.get("/_mock/openapi.json")).raise_for_status().json()
    return await authorization_for(client, build_api(spec), describe)
