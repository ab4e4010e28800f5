"""Gives schemathesis's per-operation items unique node ids.

With pytest 9.2, schemathesis 4.32.5's items (`test_operations[GET /site]`) all report the node id
of the test function (`...::test_operations`): pytest-xdist keys its scheduling by node id, so
`--dist loadfile` would run one operation per test function and silently drop the rest. Rebuild
the id from the item's name before xdist reads it (`_id` is pytest 9's internal structured id).
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
