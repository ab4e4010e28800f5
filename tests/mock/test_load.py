"""Each mock under 200 concurrent clients (a real uvicorn server on 127.0.0.1, 2,000 requests built
from the spec's examples plus unauthenticated, invalid, unknown-path and wrong-method ones): every
answer has a status the spec documents for that operation, and none is a 5xx."""

from __future__ import annotations

import asyncio
import json
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pytest
from generator.mock import create_app, mock_server, vendor_names
from generator.mock.operations import CompiledOperation
from generator.mock.serve import BackgroundServer

from tests.mock.rawhttp import RawConnection

REQUESTS = 2000
CLIENTS = 200
AUTH = {"eevion": {"Authorization": "Bearer mock-api-key"}, "greenflux": {"Authorization": "Token mock-token"}}


@dataclass
class Call:
    op: CompiledOperation | None  # None: a path the spec does not have
    method: str
    path: str
    params: dict[str, Any] = field(default_factory=dict)
    body: Any = None
    auth: bool = True
    expected: frozenset[int] = frozenset()  # for calls outside the spec


def _value(op: CompiledOperation, name: str, location: str) -> Any:
    param = next(p for p in op.operation.parameters if p.name == name and p.location == location)
    found, value = param.example_value()
    return value if found else "x"


def _calls(vendor: str, app: Any) -> list[Call]:
    calls: list[Call] = []
    for op in mock_server(app).compiled.operations.values():
        ir = op.operation
        if vendor == "vev-iq" and ir.operation_id == "SignIn":
            # Business errors of VEV-IQ are 5xx (520, 590): sign in right, or send an invalid body.
            calls.append(Call(op, "POST", ir.path, body={"email": "integrator@example.com", "password": "mock-password", "tenant": "demo", "acceptEula": True}, auth=False))
            calls.append(Call(op, "POST", ir.path, body={"email": "not-an-email"}, auth=False))
            continue
        path = ir.path
        for param in ir.parameters_in("path"):
            path = path.replace("{" + param.name + "}", str(_value(op, param.name, "path")))
        params = {p.name: _value(op, p.name, "query") for p in ir.parameters_in("query") if p.required or p.has_example}
        bodies = [ex.value for media in (ir.request_body.contents if ir.request_body else ()) for ex in media.examples] or [None]
        calls += [Call(op, ir.method.upper(), path, params, body) for body in bodies]
        if op.secured:
            calls.append(Call(op, ir.method.upper(), path, params, bodies[0], auth=False))
        required = [p.name for p in ir.parameters_in("query") if p.required]
        if required:
            calls.append(Call(op, ir.method.upper(), path, {k: v for k, v in params.items() if k != required[0]}, bodies[0]))
        if ir.request_body is not None:
            calls.append(Call(op, ir.method.upper(), path, params, {"unexpected": [1, {"x": None}]}))
        calls.append(Call(None, "TRACE", path, expected=frozenset({405})))
    calls.append(Call(None, "GET", "/no/such/path", expected=frozenset({404})))
    return calls


async def _token(base_url: str, vendor: str) -> dict[str, str]:
    connection = RawConnection(base_url)
    try:
        if vendor == "volue":
            form = {"grant_type": "client_credentials", "client_id": "mock-client", "client_secret": "mock-client-secret"}
            _, body = await connection.request("POST", "/connect/token", form=form)
            return {"Authorization": f"Bearer {json.loads(body)['access_token']}"}
        if vendor == "vev-iq":
            credentials = {"email": "integrator@example.com", "password": "mock-password", "tenant": "demo", "acceptEula": True}
            _, body = await connection.request("POST", "/auth/signin", json_body=credentials)
            return {"Authorization": f"Bearer {json.loads(body)['token']}"}
        return AUTH[vendor]
    finally:
        await connection.close()


async def _run(base_url: str, vendor: str, calls: list[Call]) -> list[tuple[Call, int]]:
    auth = await _token(base_url, vendor)
    pending = list(reversed(calls))
    results: list[tuple[Call, int]] = []

    async def client() -> None:
        # One keep-alive connection per client, taking the next request until none is left.
        connection = RawConnection(base_url)
        while pending:
            call = pending.pop()
            status, _ = await connection.request(call.method, call.path, params=call.params, headers=auth if call.auth else {}, json_body=call.body)
            results.append((call, status))
        await connection.close()

    await asyncio.gather(*(client() for _ in range(CLIENTS)))
    return results


@pytest.mark.slow
@pytest.mark.parametrize("vendor", vendor_names())
def test_every_answer_under_load_is_documented(vendor: str) -> None:
    app = create_app(vendor, rate_limit=False)
    templates = _calls(vendor, app)
    rng = random.Random(f"load/{vendor}")
    calls = [templates[i % len(templates)] for i in range(REQUESTS)]
    rng.shuffle(calls)
    with BackgroundServer(app) as server:
        results = asyncio.run(_run(server.base_url, vendor, calls))
    assert len(results) == REQUESTS
    wrong = Counter(
        (call.method, call.path, status)
        for call, status in results
        if status >= 500 or (call.op is not None and not call.op.documents(status)) or (call.op is None and status not in call.expected)
    )
    assert not wrong, wrong.most_common(10)
    assert Counter(status for _, status in results)[200] > 0
