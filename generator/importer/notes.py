"""The import report: located problems about one source file, collected as values."""

from __future__ import annotations

from generator.problems import Level, Problem
from generator.spec.source import SourceFile

__all__ = ["Notes"]


class Notes:
    """Problems about `source` (an apiDefinition or apiProperties file), located by JSON pointer."""

    def __init__(self, source: SourceFile | None, display: str):
        self.source = source
        self.display = display
        self.items: list[Problem] = []

    def add(self, level: Level, code: str, pointer: str, message: str) -> None:
        if self.source is not None:
            self.items.append(self.source.problem(level, code, message, pointer))
        else:
            self.items.append(Problem(level, code, message, self.display, 0, 0, pointer or "#"))

    def error(self, code: str, pointer: str, message: str) -> None:
        self.add(Level.ERROR, code, pointer, message)

    def warning(self, code: str, pointer: str, message: str) -> None:
        self.add(Level.WARNING, code, pointer, message)

    def info(self, code: str, pointer: str, message: str) -> None:
        self.add(Level.INFO, code, pointer, message)
