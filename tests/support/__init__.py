"""Test tooling that is not a user feature: the schemathesis set-up of the contract runs
(`contract.py`, used by tests/contract and tests/mock) and `make fuzz` (`python -m tests.support.fuzz`).
Nothing under generator/ imports it, so the wheel does not ship it (tests/test_layout.py checks)."""
