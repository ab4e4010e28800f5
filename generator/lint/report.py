"""Linting many packages at once (`connectorgen lint DIR...`) and reporting them: findings per
package, and one summary table per rule (findings, packages), as text or JSON."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from msgspec import Struct

from generator.lint.package import is_package_folder
from generator.problems import Level, Problem, ProblemError

__all__ = [
    "LintResult",
    "RuleRow",
    "find_packages",
    "format_findings",
    "format_summary",
    "lint_many",
    "summary_rows",
    "to_json",
]

_ORDER = {Level.ERROR: 0, Level.WARNING: 1, Level.INFO: 2}


class LintResult(Struct, frozen=True):
    """The findings of one package; `unreadable` when it could not be linted (then `problems` say why)."""

    path: str
    problems: tuple[Problem, ...]
    unreadable: bool = False

    @property
    def has_errors(self) -> bool:
        return self.unreadable or any(p.level is Level.ERROR for p in self.problems)


class RuleRow(Struct, frozen=True):
    code: str
    level: str
    findings: int
    packages: int


def find_packages(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """Package folders and definition files named by `paths`: a package folder or a file as given,
    any other folder searched for package folders below it. Problems for paths that hold none."""
    found: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_file() or is_package_folder(path):
            found.append(path)
        elif path.is_dir():
            below = sorted(
                {d for d in path.rglob("*") if d.is_dir() and is_package_folder(d)}, key=lambda d: str(d)
            )
            if not below:
                problems.append(
                    Problem(Level.ERROR, "FileNotFound", "no connector package in this folder", str(path))
                )
            found.extend(below)
        else:
            problems.append(Problem(Level.ERROR, "FileNotFound", "no such file or folder", str(path)))
    return list(dict.fromkeys(found)), problems


def lint_many(paths: Sequence[Path]) -> list[LintResult]:
    """Lint every package; an unusable one is a result with `unreadable=True`, not an exception."""
    from generator.lint.runner import lint_path

    results: list[LintResult] = []
    for path in paths:
        try:
            results.append(LintResult(str(path), tuple(lint_path(path))))
        except ProblemError as exc:
            results.append(LintResult(str(path), tuple(exc.problems), unreadable=True))
    return results


def summary_rows(results: Iterable[LintResult]) -> list[RuleRow]:
    """One row per rule that fired: its level, how many findings, in how many packages."""
    findings: dict[tuple[str, Level], int] = {}
    packages: dict[tuple[str, Level], int] = {}
    for result in results:
        seen: set[tuple[str, Level]] = set()
        for problem in result.problems:
            key = (problem.code, problem.level)
            findings[key] = findings.get(key, 0) + 1
            seen.add(key)
        for key in seen:
            packages[key] = packages.get(key, 0) + 1
    rows = [
        RuleRow(code, level.value, findings[(code, level)], packages[(code, level)])
        for code, level in findings
    ]
    return sorted(rows, key=lambda r: (_ORDER[Level(r.level)], -r.packages, -r.findings, r.code))


def format_findings(problems: Iterable[Problem]) -> str:
    """One line per finding: `file:line:col: level Code [pointer]: message` (the pointer only in JSON
    files, where it is never empty)."""
    lines = []
    for p in sorted(set(problems), key=lambda p: (p.file, p.line, p.col, _ORDER[p.level], p.code, p.message)):
        pointer = f" [{p.pointer}]" if p.pointer else ""
        lines.append(f"{p.location}: {p.level.value} {p.code}{pointer}: {p.message}")
    return "\n".join(lines) + "\n" if lines else ""


def format_summary(results: Sequence[LintResult]) -> str:
    """The per-rule table and a totals line (no paths, no timings: stable enough to be a golden)."""
    rows = summary_rows(results)
    width = max([len("rule")] + [len(r.code) for r in rows])
    out = [f"{'rule':{width}}  level    findings  packages", f"{'-' * width}  -------  --------  --------"]
    out += [f"{r.code:{width}}  {r.level:7}  {r.findings:8}  {r.packages:8}" for r in rows]
    total = len(results)
    clean = sum(1 for r in results if not r.has_errors)
    unreadable = sum(1 for r in results if r.unreadable)
    rate = f"{100 * clean / total:.1f} %" if total else "-"
    out.append("")
    out.append(f"{total} package(s): {clean} without errors ({rate}), {unreadable} unreadable")
    return "\n".join(out) + "\n"


def to_json(results: Sequence[LintResult]) -> str:
    """`{"packages": [{path, unreadable, problems}], "summary": {...}}`."""
    total = len(results)
    data = {
        "packages": [
            {
                "path": r.path,
                "unreadable": r.unreadable,
                "problems": [p.to_dict() for p in sorted(set(r.problems), key=Problem.sort_key)],
            }
            for r in results
        ],
        "summary": {
            "packages": total,
            "without_errors": sum(1 for r in results if not r.has_errors),
            "unreadable": sum(1 for r in results if r.unreadable),
            "rules": [
                {"code": r.code, "level": r.level, "findings": r.findings, "packages": r.packages}
                for r in summary_rows(results)
            ],
        },
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
