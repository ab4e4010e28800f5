"""Contract tests of the volue mock: every operation, positive and negative data, and stateful
sequences over the spec's links, with every schemathesis check."""

from __future__ import annotations

from typing import Any

from hypothesis import settings

from tests.contract.support import HYPOTHESIS, contract_schema, fetch_authorization, stateful_test_case

# Examples per operation and phase (coverage cases come on top); bound the run by count, not time.
BUDGET = 25
STATEFUL_BUDGET = 20

schema, app = contract_schema("volue", max_examples=BUDGET)


@schema.parametrize()
@settings(max_examples=BUDGET, **HYPOTHESIS)
def test_operations(case: Any) -> None:
    case.call_and_validate()


# Volue ids are chosen by the client (userId, vehicleId…): the reset between scenarios matters most here.
TestStateful = stateful_test_case(schema, app, max_examples=STATEFUL_BUDGET)


def test_create_webhook_sends_documented_location() -> None:
    # The spec documents `Location` (the webhook's absolute URL) on CreateWebhook's 201; check it with
    # response_headers_conformance and follow it.
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import response_headers_conformance, status_code_conformance

    auth = {"Authorization": fetch_authorization(app)}  # explicit Cases get no schemathesis auth
    operation = schema.find_operation_by_id("CreateWebhook")
    body = {"url": "https://example.com/spark/webhook", "webhookSecret": "placeholder-secret", "operations": ["Create"], "eventTypes": ["PriceDelta"]}
    case = operation.Case(body=body, media_type="application/json", headers=auth)
    response = case.call_and_validate(checks=[not_a_server_error, status_code_conformance, response_headers_conformance])
    assert response.status_code == 201
    webhook_id = response.json()["webhookId"]
    (location,) = response.headers["location"]
    assert location.startswith("http") and location.endswith(f"/webhooks/{webhook_id}")
    follow = schema.find_operation_by_id("GetWebhook").Case(path_parameters={"webhookId": webhook_id}, headers=auth)
    assert follow.call_and_validate().json()["webhookId"] == webhook_id
