"""The one registry type of every kind of check: keyed by code, refusing duplicates."""

from __future__ import annotations

import pytest
from generator.util.registry import DuplicateCodeError, Registry


def test_registry_keeps_order_and_refuses_a_second_code() -> None:
    registry: Registry[int] = Registry("test rule")
    assert registry.add("b_rule", 2) == 2
    registry.add("a_rule", 1)
    assert list(registry) == ["b_rule", "a_rule"]
    assert dict(registry.items()) == {"b_rule": 2, "a_rule": 1}
    with pytest.raises(DuplicateCodeError, match="test rule b_rule registered twice"):
        registry.add("b_rule", 3)
    assert registry["b_rule"] == 2 and len(registry) == 2
    with pytest.raises(ValueError, match="without a code"):
        registry.add("", 4)


def test_every_kind_of_check_uses_the_one_registry() -> None:
    import generator.diff.rules  # noqa: F401  (registers the diff rules)
    import generator.lint.runner as lint_runner
    from generator.diff.registry import RULES as DIFF_RULES
    from generator.lint.registry import RULES as LINT_RULES
    from generator.spec.rules import RULES as SPEC_RULES

    lint_runner.load_rules()
    for registry in (SPEC_RULES, LINT_RULES, DIFF_RULES):
        assert isinstance(registry, Registry)
        assert len(registry) > 0
    assert "rules_script" in {LINT_RULES[c].check.__module__.rsplit(".", 1)[-1] for c in LINT_RULES}


def test_spec_rule_registered_twice_is_refused() -> None:
    from generator.spec import rules

    first = next(iter(rules.RULES.values()))
    with pytest.raises(DuplicateCodeError, match="spec rule"):
        rules.rule(first)


def test_lint_and_diff_rules_registered_twice_are_refused() -> None:
    import generator.diff.rules  # noqa: F401  (registers the diff rules)
    import generator.lint.runner as lint_runner
    from generator.diff import registry as diff_registry
    from generator.lint import registry as lint_registry

    lint_runner.load_rules()
    lint_code = next(iter(lint_registry.RULES))
    before = lint_registry.RULES[lint_code]
    with pytest.raises(DuplicateCodeError, match=f"lint rule {lint_code} registered twice"):
        lint_registry.rule(lint_code, before.level, "again")(before.check)
    assert lint_registry.RULES[lint_code] is before

    diff_code, diff_rule = next(iter(diff_registry.RULES.items()))
    with pytest.raises(DuplicateCodeError, match=f"diff rule {diff_code} registered twice"):
        diff_registry.rule(diff_code, diff_rule.kind, diff_rule.level, "again")(diff_rule.check)
    assert diff_registry.RULES[diff_code] is diff_rule
