"""The rule registry of `connectorgen diff`: one plain function per stable code.

Each rule's docstring gives its evidence: the message of Microsoft's connector change validator it
mirrors (quoted in pull requests of microsoft/PowerPlatformConnectors), or why a flow bound to the
old definition fails (or keeps working) with the new one. A rule runs at one level:

- `document`: the whole comparison (`DocPair`): operations deleted or added, host, connection;
- `operation`: one operation present on both sides (`OpPair`);
- `schema`: one input or output node present on both sides (`NodePair`), walked recursively.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import msgspec

from generator.diff.model import Kind
from generator.problems import Finding
from generator.util.registry import Registry, evidence_of

__all__ = ["RULES", "Rule", "rule"]

# A rule yields `Finding`s (message, old `pointer`, `new_pointer`, `hint`); code, kind and file are its Rule's.


class Rule(msgspec.Struct, frozen=True):
    code: str
    kind: Kind
    level: str  # "document", "operation" or "schema"
    summary: str
    check: Callable[[Any], Iterable[Finding]]
    modes: tuple[str, ...] = ()  # schema rules: "input", "output", "trigger"
    file: str = "definition"
    anchor: str = "old"  # which side's pointer names the change ("new" for additions)

    @property
    def evidence(self) -> str:
        return evidence_of(self.check)


RULES: Registry[Rule] = Registry("diff rule")


def rule(
    code: str,
    kind: Kind,
    level: str,
    summary: str,
    *,
    modes: tuple[str, ...] = (),
    file: str = "definition",
    anchor: str = "old",
) -> Callable[[Callable[[Any], Iterable[Finding]]], Callable[[Any], Iterable[Finding]]]:
    def register(func: Callable[[Any], Iterable[Finding]]) -> Callable[[Any], Iterable[Finding]]:
        if not (func.__doc__ or "").strip():
            raise ValueError(f"diff rule {code} has no evidence in its docstring")
        RULES.add(code, Rule(code, kind, level, summary, func, modes, file, anchor))
        return func

    return register
