"""Contract tests of the vev-iq mock: every operation, positive and negative data, and stateful
sequences over the spec's links, with every schemathesis check."""

from __future__ import annotations

from typing import Any

from hypothesis import settings

from tests.contract.support import HYPOTHESIS, contract_schema

# Examples per operation and phase (coverage cases come on top); bound the run by count, not time.
BUDGET = 25

schema, app = contract_schema("vev-iq", max_examples=BUDGET)


@schema.parametrize()
@settings(max_examples=BUDGET, **HYPOTHESIS)
def test_operations(case: Any) -> None:
    case.call_and_validate()


# No stateful class: the VEV-IQ spec defines no links and schemathesis's dependency inference finds
# none (sign-in, lists and reads by ids the API never creates), so a state machine has no rules.
