"""The policy expression subset: inline calls, @{...} interpolation, trigger state."""

from __future__ import annotations

import pytest
from generator.emulator.expressions import ExpressionContext, ExpressionError, evaluate, evaluate_template

CTX = ExpressionContext(
    connection={"apiKey": "k-1", "environment": "staging"},
    headers={"x-tenant": "acme"},
    query={"page": "2"},
    trigger_body=[{"timestamp": 1714743736230, "id": 8404122}, {"timestamp": 1714743562490}],
)


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("Bearer @connectionParameters('apiKey')", "Bearer k-1"),
        ("Token @connectionParameters('apiKey')", "Token k-1"),
        ("@connectionParameters('missing')", ""),
        ("@connectionParameters('missing', 'prod')", "prod"),
        ("https://@connectionParameters('environment').example.com/v1", "https://staging.example.com/v1"),
        ("@headers('X-Tenant')/@queryParameters('page')", "acme/2"),
        ("@{add(triggerBody()[0]['timestamp'], 1)}", "1714743736231"),
        ("@{triggerBody()[1].timestamp}", "1714743562490"),
        ("@{string(sub(5, 2))}", "3"),
        ("mail@@example.com", "mail@example.com"),
        ("plain text", "plain text"),
    ],
)
def test_templates(template: str, expected: str) -> None:
    assert evaluate_template(template, CTX) == expected


def test_values_keep_their_type() -> None:
    assert evaluate("triggerBody()[0]", CTX) == {"timestamp": 1714743736230, "id": 8404122}
    assert evaluate("'it''s'", CTX) == "it's"


@pytest.mark.parametrize("template", ["@{utcNow()}", "@{triggerBody()[5]}", "@{add(1", "@{triggerBody()[0]['nope']}"])
def test_unsupported_or_broken_expressions_fail(template: str) -> None:
    with pytest.raises(ExpressionError):
        evaluate_template(template, CTX)
