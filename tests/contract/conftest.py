"""Gives schemathesis's per-operation items unique node ids.

With pytest 9, schemathesis 4.32's items (`test_operations[GET /site]`) all get the node id of the
test function (`...::test_operations`); pytest-xdist schedules by node id, so it would run one
operation per module and drop the rest. Rebuild the id from the item's name before xdist sees it
(`_id`: pytest 9's structured node id; `_pytest.nodeid` is internal, hence the guard in the test).
"""

from __future__ import annotations

import pytest
from _pytest.nodeid import coerce_node_id


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if type(item).__name__ == "SchemathesisFunction" and item.parent is not None:
            expected = f"{item.parent.nodeid}::{item.name}"
            if item.nodeid != expected:
                item._id = coerce_node_id(expected)
