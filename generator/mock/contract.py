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
    describe: dict[str, Any] = (await client.get("/_mock/describe")).raise_for_status().json()
    spec: dict[str, Any] = (await client.get("/_mock/openapi.json")).raise_for_status().json()
    creds: dict[str, str] = describe["credentials"]
    for scheme in spec.get("components", {}).get("securitySchemes", {}).values():
        auth = scheme.get("x-connectorgen-auth")
        if not auth:
            continue
        kind = auth["kind"]
        if kind == "static":
            return f"{auth.get('prefix', '')}{creds[auth['credential']]}"
        if kind == "oauth2-client-credentials":
            token_url = describe.get("tokenUrl") or scheme["flows"]["clientCredentials"]["tokenUrl"]
            path = httpx.URL(token_url).path
            data = {"grant_type": "client_credentials", **{name: creds[name] for name in auth["credentials"]}}
            answer = (await client.post(path, data=data)).raise_for_status().json()
            return f"Bearer {answer['access_token']}"
        if kind == "signin":
            path = _operation_path(spec, auth["operationId"])
            body = {**{name: creds[name] for name in auth["credentials"]}, **auth.get("body", {})}
            answer = (await client.post(path, json=body)).raise_for_status().json()
            for part in auth.get("tokenPointer", "/token").strip("/").split("/"):
                answer = answer[part]
            return f"Bearer {answer}"
    raise LookupError("the spec has no security scheme with x-connectorgen-auth")


def _operation_path(spec: dict[str, Any], operation_id: str) -> str:
    for path, item in spec.get("paths", {}).items():
        for operation in item.values():
            if isinstance(operation, dict) and operation.get("operationId") == operation_id:
                return str(path)
    raise LookupError(f"no operation {operation_id}")
