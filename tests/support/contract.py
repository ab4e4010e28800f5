"""Shared set-up for the schemathesis contract runs against the mocks (`tests/contract`, `make fuzz`).

- `authorization(client)`: the `Authorization` header value for a running mock, from its
  `/_mock/describe` credentials and the spec's `x-connectorgen-auth` (a sign-in operation, a
  client-credentials token, or a static key with a prefix).
- `schemathesis_toml(vendor, ...)`: the schemathesis configuration, with the documented vendor
  behaviours the default checks would otherwise flag (each one cites `specs/<vendor>/README.md` /
  the vendor reference it comes from), declared by each vendor module as `EXPECTED_STATUSES`.
"""

from __future__ import annotations

import json
from typing import Any

import httpx

__all__ = ["ALL_CHECKS", "authorization", "schemathesis_toml"]

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

def _expected(vendor: str, check: str) -> list[str]:
    from generator.mock.vendors import expected_statuses

    return _DEFAULTS[check] + expected_statuses(vendor).get(check, [])


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
