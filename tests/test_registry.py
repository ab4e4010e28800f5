"""The one registry type of every kind of check: keyed by code, refusing duplicates."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from generator.problems import Finding
from generator.util.registry import DuplicateCodeError, Registry

from tests.conftest import REPO


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


def test_every_kind_of_check_yields_the_one_finding_record(tmp_path: Path) -> None:
    """Spec, lint and diff rules report one frozen record, `problems.Finding`, not three tuple layouts."""
    import generator.diff.rules  # noqa: F401  (registers the diff rules)
    from generator.diff.model import Side
    from generator.diff.pairs import DocPair
    from generator.diff.registry import RULES as DIFF_RULES
    from generator.diff.walk import operations
    from generator.lint.package import load_lint_package
    from generator.lint.registry import RULES as LINT_RULES
    from generator.lint.runner import load_rules
    from generator.spec.rules import iter_findings

    spec = list(iter_findings({"paths": {"/a/{id}": {"get": {"responses": {}}}}}))
    assert all(type(f) is Finding for f in spec)
    assert Finding("GET /a/{id} has no operationId", "/paths/~1a~1{id}/get", code="missing_operation_id") in spec

    load_rules()
    shutil.copytree(REPO / "tests" / "lint" / "base", tmp_path / "package")
    (tmp_path / "package" / "readme.md").unlink()
    (tmp_path / "package" / "script.csx").write_text("public class Script : ScriptBase { }\n", encoding="utf-8")
    package = load_lint_package(tmp_path / "package")
    assert list(LINT_RULES["ReadmeMissing"].check(package)) == [Finding("readme.md is missing", file="package")]
    assert list(LINT_RULES["ScriptExecuteAsyncMissing"].check(package)) == [
        Finding("no `public override async Task<HttpResponseMessage> ExecuteAsync()`", file="script", offset=0)
    ]

    old = {"swagger": "2.0", "paths": {"/a": {"get": {"operationId": "ListA", "responses": {"200": {"description": "ok"}}}}}}
    new = {"swagger": "2.0", "paths": {}}
    doc = DocPair(Side("old", old), Side("new", new), operations(old), operations(new))
    found = list(DIFF_RULES["operation_deleted"].check(doc))
    assert found == [Finding("the operation ListA (GET /a) has been deleted", "/paths/~1a/get", new_pointer="/paths")]
    with pytest.raises(AttributeError):
        found[0].message = "changed"  # type: ignore[misc]  (frozen)
