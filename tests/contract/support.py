"""Builds the schemathesis schema of one vendor's mock, in process, with its auth and config."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import schemathesis
from generator.mock import create_app, mock_server
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from starlette.applications import Starlette

from tests.support.contract import authorization, schemathesis_toml

__all__ = [
    "HYPOTHESIS",
    "SWAGGER_LOSSES",
    "contract_schema",
    "fetch_authorization",
    "install_auth",
    "stateful_test_case",
    "swagger_schema",
]

# Reproducible in CI and bound by example counts, never by the clock.
HYPOTHESIS: dict[str, Any] = {"deadline": None, "derandomize": True, "suppress_health_check": list(HealthCheck), "database": None}


def fetch_authorization(app: Starlette) -> str:
    async def run() -> str:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://mock.test") as client:
            return await authorization(client)

    return asyncio.run(run())


def install_auth(schema: Any, app: Starlette) -> None:
    """Registers schemathesis auth that sends the vendor credentials (fetched from the app once);
    schemathesis's ignored_auth check still sends requests without it."""
    value = fetch_authorization(app)

    @schema.auth()
    class MockAuth:
        def get(self, case: Any, ctx: Any) -> str:
            return value

        def set(self, case: Any, data: str, ctx: Any) -> None:
            case.headers = {**(case.headers or {}), "Authorization": data}


def contract_schema(vendor: str, *, max_examples: int) -> tuple[Any, Starlette]:
    """A fresh mock of `vendor` (rate limit off: fuzzing sends far more than 60 requests a minute)
    and its schemathesis schema loaded from `/_mock/openapi.json`."""
    app = create_app(vendor, rate_limit=False)
    config = SchemathesisConfig.from_str(schemathesis_toml(vendor, max_examples=max_examples))
    schema = schemathesis.openapi.from_asgi("/_mock/openapi.json", app, config=config)
    install_auth(schema, app)
    return schema, app


def stateful_test_case(schema: Any, app: Starlette, *, max_examples: int) -> Any:
    """The schemathesis state machine over the spec's links, as a unittest TestCase. Every scenario
    starts from the mock's seeded state: with state carried over, a call that succeeded in one
    example (e.g. registering Volue userId "a") answers differently in the next (409), and Hypothesis
    reports the same draws behaving differently (FlakyStrategyDefinition)."""

    class Machine(schema.as_state_machine()):  # type: ignore[misc]
        def setup(self) -> None:
            mock_server(app).behaviour.reset()

    case = Machine.TestCase
    case.settings = settings(max_examples=max_examples, stateful_step_count=8, **HYPOTHESIS)
    return case


# What Swagger 2.0 cannot say, so the differential run does not check it (test_swagger.py asserts
# the first is still in convert's loss report):
# - VEV-IQ's StatisticsResponse is `oneOf` [array of rows, object with permissions (WithAuth=true)];
#   2.0 has no oneOf, convert keeps the array (loss `one_of_first_alternative`).
# - 2.0 `produces` is per operation, not per response: schemathesis then expects a Content-Type on
#   a body-less 204 of a DELETE whose errors are application/problem+json.
SWAGGER_LOSSES = """
[[operations]]
include-path-regex = "^/api/statistics/"
checks.response_schema_conformance.enabled = false
[[operations]]
include-method = "DELETE"
checks.content_type_conformance.enabled = false
"""


def swagger_schema(vendor: str, *, max_examples: int) -> tuple[Any, Starlette]:
    """The differential run: the plain Swagger 2.0 document `convert` makes of the vendor's spec
    (host pointed at the mock), served next to a fresh mock and loaded by schemathesis."""
    from generator.convert import ConvertOptions, convert
    from generator.mock import spec_path_for
    from generator.spec.loader import load_spec
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Mount, Route

    api = load_spec(spec_path_for(vendor)).api
    swagger = convert(api, ConvertOptions(server_url="http://mock.test")).swagger
    mock = create_app(vendor, rate_limit=False)

    async def document(request: Request) -> JSONResponse:
        return JSONResponse(swagger)

    app = Starlette(routes=[Route("/_test/swagger.json", document), Mount("/", app=mock)])
    toml = schemathesis_toml(vendor, max_examples=max_examples) + SWAGGER_LOSSES
    schema = schemathesis.openapi.from_asgi("/_test/swagger.json", app, config=SchemathesisConfig.from_str(toml))
    install_auth(schema, mock)
    return schema, app
