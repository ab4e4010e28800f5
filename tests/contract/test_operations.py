"""The contract runs reach every operation of every spec: schemathesis sees exactly the spec's
(method, path) pairs in the mock's `/_mock/openapi.json` and in the generated Swagger 2.0."""

from __future__ import annotations

from pathlib import Path

import pytest
from generator.mock import spec_path_for, vendor_names
from generator.spec.loader import load_spec

from tests.contract.support import contract_schema, swagger_schema


def _spec_labels(vendor: str) -> set[str]:
    return {f"{op.method.upper()} {op.path}" for op in load_spec(spec_path_for(vendor)).api.operations}


@pytest.mark.parametrize("vendor", vendor_names())
def test_every_spec_operation_is_tested(vendor: str) -> None:
    for schema, _ in (contract_schema(vendor, max_examples=1), swagger_schema(vendor, max_examples=1)):
        labels = {result.ok().label for result in schema.get_all_operations()}
        assert labels == _spec_labels(vendor)



def test_schemathesis_items_have_unique_node_ids() -> None:
    # conftest.py's fix: one node id per operation, or pytest-xdist drops operations.
    import subprocess
    import sys

    command = [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "tests/contract/test_greenflux.py"]
    out = subprocess.run(command, capture_output=True, text=True, check=True, cwd=Path(__file__).resolve().parents[2]).stdout
    ids = [line for line in out.splitlines() if "::test_operations" in line]
    assert len(ids) == len(set(ids)) == len(_spec_labels("greenflux"))
