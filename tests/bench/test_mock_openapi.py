"""Helpers of the generic-mock-vs-Prism bench section (the bench itself never runs in tests)."""

from __future__ import annotations

import json

from bench.env import REPO
from bench.sections.mock_openapi import DOCUMENT, flow_from_document


def test_flow_takes_plain_gets_without_required_parameters() -> None:
    document = {
        "components": {"parameters": {"Q": {"name": "q", "in": "query", "required": True}}},
        "paths": {
            "/a/{id}": {"get": {}},
            "/b": {"get": {"parameters": [{"$ref": "#/components/parameters/Q"}]}},
            "/c": {"post": {}},
            "/d": {"get": {"parameters": [{"name": "x-version", "in": "header", "required": True}]}},
            "/e": {"get": {}},
            "/f": {"get": {}},
        },
    }
    assert flow_from_document(document) == ["/e", "/f"]
    assert flow_from_document(document, count=5) == ["/e", "/f"]


def test_the_bench_document_has_a_flow() -> None:
    assert len(flow_from_document(json.loads((REPO / DOCUMENT).read_text()))) == 2
