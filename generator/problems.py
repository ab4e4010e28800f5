"""Problems as values: every check reports `Problem`s; the CLI prints them once, grouped per file.

A check (spec rule, lint rule, diff rule) yields `Finding`s, the one record of what it found before
it is located; its registry entry supplies the level (and the code, unless the finding names its
own), and the check's runner turns the finding into a located `Problem` (or, for diff, a `Change`)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from enum import StrEnum

from msgspec import Struct
from msgspec.structs import asdict

__all__ = ["Finding", "Level", "Problem", "ProblemError", "format_json", "format_text", "has_errors"]


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


_LEVEL_ORDER = {Level.ERROR: 0, Level.WARNING: 1, Level.INFO: 2}


class Problem(Struct, frozen=True):
    """One finding. `code` is a stable snake_case identifier users may grep for or suppress."""

    level: Level
    code: str
    message: str
    file: str = ""
    line: int = 0
    col: int = 0
    pointer: str = ""

    @property
    def location(self) -> str:
        where = self.file or "<input>"
        if self.line:
            where += f":{self.line}:{self.col or 1}"
        return where

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["level"] = self.level.value
        return data

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line, self.col, self.pointer, self.code)


class Finding(Struct, frozen=True):
    """What one check found, not yet located. The same record for every kind of check:

    - spec rules (`spec/rules.py`): `code` names it (one rule reports several codes), `pointer` is a
      JSON pointer into the bundled document;
    - lint rules (`lint/rules_*.py`): `file` is the key of `LintPackage.files` ("package" for the
      folder), with a JSON `pointer` in a JSON file or a character `offset` in a text file
      (script.csx, readme.md), or neither for the whole file; the code is the rule's;
    - diff rules (`diff/rules.py`): `pointer` on the old side, `new_pointer` on the new side, and a
      `hint` on what to do; code, kind and file are the rule's.
    """

    message: str
    pointer: str = ""
    code: str = ""
    file: str = ""
    offset: int | None = None
    new_pointer: str = ""
    hint: str = ""


class ProblemError(Exception):
    """Raised when problems make further work impossible; carries every problem found so far."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__("; ".join(p.message for p in self.problems[:3]))


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(p.level is Level.ERROR for p in problems)


def format_text(problems: Iterable[Problem]) -> str:
    """Human-readable report: one block per file, one line per problem, then a summary line."""
    items = sorted(set(problems), key=lambda p: (p.sort_key(), _LEVEL_ORDER[p.level], p.message))
    if not items:
        return ""
    lines: list[str] = []
    current_file: str | None = None
    for p in items:
        if p.file != current_file:
            current_file = p.file
            if lines:
                lines.append("")
            lines.append(f"{p.file or '<input>'}:")
        pointer = f" [{p.pointer}]" if p.pointer else " [#]"
        lines.append(f"  {p.location}: {p.level.value} {p.code}{pointer}: {p.message}")
    errors = sum(1 for p in items if p.level is Level.ERROR)
    warnings = sum(1 for p in items if p.level is Level.WARNING)
    lines.append("")
    lines.append(f"{errors} error(s), {warnings} warning(s)")
    return "\n".join(lines) + "\n"


def format_json(problems: Iterable[Problem]) -> str:
    items = sorted(set(problems), key=lambda p: (p.sort_key(), _LEVEL_ORDER[p.level], p.message))
    return json.dumps([p.to_dict() for p in items], indent=2, ensure_ascii=False) + "\n"
