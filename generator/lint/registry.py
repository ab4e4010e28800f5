"""The lint rule registry: one function per rule, registered with its code, level and summary.

Codes reuse Microsoft's Swagger Validator rule identifiers where one exists (e.g.
`OperationSummaryTooLong`) and are our own PascalCase names otherwise. A rule yields
`(file, pointer, message)` findings; `file` is a key of `Package.files` (e.g. "definition").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from generator.problems import Level

if TYPE_CHECKING:
    from generator.lint.package import Package

__all__ = ["RULES", "Finding", "Rule", "rule"]

Finding = tuple[str, str, str]  # (file key, JSON pointer or "", message)
Check = Callable[["Package"], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    code: str
    level: Level
    summary: str
    check: Check
    microsoft: bool  # the code is a Microsoft validator rule identifier


RULES: dict[str, Rule] = {}


def rule(code: str, level: Level, summary: str, *, microsoft: bool = False) -> Callable[[Check], Check]:
    def register(func: Check) -> Check:
        if code in RULES:
            raise ValueError(f"lint rule {code} registered twice")
        RULES[code] = Rule(code, level, summary, func, microsoft)
        return func

    return register
