"""The lint rule registry: one function per rule, registered with its code, level and summary.

Codes reuse Microsoft's Swagger Validator rule identifiers where one exists (e.g.
`OperationSummaryTooLong`) and are our own PascalCase names otherwise. A rule yields
`Finding`s (generator/problems.py): `file` is a key of `LintPackage.files` (e.g. "definition"), or
"package" for a finding about the folder (a missing file), with a JSON `pointer` in a JSON file or a
character `offset` in script.csx / readme.md (see `LintPackage.problem`).

Severity (issue 13): `error` only for what Microsoft's validator rejects today; `warning` for what
certification reviewers ask for and for conventions; `info` for the rest. Each rule's docstring names
its evidence: a Learn page, a validator message, or the published connectors of
tests/data/calibration that break it (the ones changed in the last 12 months before its commit are
the strictest: a rule they break is not an error).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

import msgspec

from generator.problems import Finding, Level
from generator.util.registry import Registry, evidence_of

if TYPE_CHECKING:
    from generator.lint.package import LintPackage

__all__ = ["RULES", "Rule", "rule"]

Check = Callable[["LintPackage"], Iterable[Finding]]


class Rule(msgspec.Struct, frozen=True):
    code: str
    level: Level
    summary: str
    check: Check
    microsoft: bool  # the code is a Microsoft validator rule identifier

    @property
    def evidence(self) -> str:
        """The rule's docstring: why it exists and why it has its level."""
        return evidence_of(self.check)


RULES: Registry[Rule] = Registry("lint rule")


def rule(code: str, level: Level, summary: str, *, microsoft: bool = False) -> Callable[[Check], Check]:
    def register(func: Check) -> Check:
        RULES.add(code, Rule(code, level, summary, func, microsoft))
        return func

    return register
