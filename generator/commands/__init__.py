"""CLI subcommands. Each module defines `register(subparsers)`; the parser's `func` runs it and
returns the exit code (0 ok, 1 findings, 2 unusable input)."""

from __future__ import annotations

__all__ = ["COMMAND_MODULES"]

COMMAND_MODULES = (
    "generator.commands.build",
    "generator.commands.validate",
    "generator.commands.convert",
    "generator.commands.lint",
    "generator.commands.postman",
    "generator.commands.mock",
)
