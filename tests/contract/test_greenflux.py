"""Contract tests of the greenflux mock: every operation, positive and negative data, and stateful
sequences over the spec's links, with every schemathesis check."""

from __future__ import annotations

from typing import Any

from hypothesis import settings

from tests.contract.support import HYPOTHESIS, contract_schema, stateful_test_case

# Examples per operation and phase (coverage cases come on top); bound the run by count, not time.
BUDGET = 25
STATEFUL_BUDGET = 20

schema, app = contract_schema("greenflux", max_examples=BUDGET)


@schema.parametrize()
@settings(max_examples=BUDGET, **HYPOTHESIS)
def test_operations(case: Any) -> None:
    case.call_and_validate()


TestStateful = stateful_test_case(schema, app, max_examples=STATEFUL_BUDGET)
