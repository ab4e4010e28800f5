"""Run every registered rule on a package."""

from __future__ import annotations

from pathlib import Path

from generator.lint.package import Package, load_package
from generator.lint.registry import RULES
from generator.problems import Problem

__all__ = ["lint_package", "lint_path", "load_rules"]


def load_rules() -> None:
    """Import the rule modules (registration happens on import)."""
    from generator.lint import (  # noqa: F401
        rules_conventions,
        rules_document,
        rules_files,
        rules_operations,
        rules_schemas,
        rules_webhooks,
    )


def lint_package(package: Package, only: set[str] | None = None) -> list[Problem]:
    load_rules()
    problems = list(package.problems)
    for code, rule in RULES.items():
        if only is not None and code not in only:
            continue
        for key, pointer, message in rule.check(package):
            problems.append(package.problem(rule.level, code, message, key, pointer))
    return sorted(set(problems), key=lambda p: (p.file, p.line, p.col, p.pointer, p.code, p.message))


def lint_path(path: Path, only: set[str] | None = None) -> list[Problem]:
    """Lint a package folder or a single apiDefinition file. Raises `ProblemError` if unusable."""
    return lint_package(load_package(path), only)
