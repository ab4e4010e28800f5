"""Contract tests of the Eevion mock: every operation, positive and negative data, and stateful
sequences over the spec's links, with every schemathesis check."""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import settings

from tests.contract.support import HYPOTHESIS, contract_schema, fetch_authorization, stateful_test_case

# Examples per operation and phase (coverage cases come on top); bound the run by count, not time.
BUDGET = 25
STATEFUL_BUDGET = 20

schema, app = contract_schema("eevion", max_examples=BUDGET)


@schema.parametrize()
@settings(max_examples=BUDGET, **HYPOTHESIS)
def test_operations(case: Any) -> None:
    case.call_and_validate()


TestStateful = stateful_test_case(schema, app, max_examples=STATEFUL_BUDGET)


def test_rate_limit_is_on_by_default_and_documented() -> None:
    # The fuzzing app above turns the limit off; a default app enforces Eevion's 60 requests per
    # 60 s per key, and its 429 is a documented response (status, headers, body, content type).
    from generator.mock import create_app
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_headers_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    limited = create_app("eevion")
    limited_schema = schemathesis.openapi.from_asgi("/_mock/openapi.json", limited)
    auth = {"Authorization": fetch_authorization(limited)}
    checks = [status_code_conformance, response_headers_conformance, response_schema_conformance, content_type_conformance]
    case = limited_schema.find_operation_by_id("ListSites").Case(headers=auth)
    statuses = [case.call_and_validate(checks=checks).status_code for _ in range(61)]
    assert statuses == [200] * 60 + [429]
