"""Run every registered rule on a package."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache
from pathlib import Path

from generator.lint.package import LintPackage, load_lint_package
from generator.lint.registry import RULES
from generator.problems import Problem

__all__ = ["lint_package", "lint_path", "load_rules"]


@cache
def load_rules() -> None:
    """Import the rule modules, every `generator/lint/rules_*.py` (registration happens on import)."""
    import generator.lint as lint_package_module

    for info in sorted(pkgutil.iter_modules(lint_package_module.__path__), key=lambda m: m.name):
        if info.name.startswith("rules_"):
            importlib.import_module(f"generator.lint.{info.name}")


def lint_package(package: LintPackage, only: set[str] | None = None) -> list[Problem]:
    load_rules()
    problems = list(package.problems)
    for code, rule in RULES.items():
        if only is not None and code not in only:
            continue
        for found in rule.check(package):
            where = found.pointer if found.offset is None else found.offset
            problems.append(package.problem(rule.level, code, found.message, found.file, where))
    return sorted(set(problems), key=lambda p: (p.file, p.line, p.col, p.pointer, p.code, p.message))


def lint_path(path: Path, only: set[str] | None = None) -> list[Problem]:
    """Lint a package folder or a single apiDefinition file. Raises `ProblemError` if unusable."""
    return lint_package(load_lint_package(path), only)
