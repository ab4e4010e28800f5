"""Records of the breaking-change check: one side of a comparison, and one change found."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from msgspec import Struct

from generator.spec.source import SourceFile

__all__ = ["Change", "Kind", "Side"]


class Kind(StrEnum):
    BREAKING = "breaking"
    COMPATIBLE = "compatible"


class Side(Struct):
    """One connector as `diff` sees it: its apiDefinition and, when known, its apiProperties.

    `sources` locate a pointer in the file it came from (absent for a definition built in memory)."""

    label: str  # what the user gave (file, package folder or spec folder)
    definition: dict[str, Any]
    properties: dict[str, Any] | None = None  # the inner `properties` object of apiProperties.json
    # (pointers into apiProperties.json start with /properties)
    definition_file: str = ""
    properties_file: str = ""
    sources: dict[str, SourceFile] = {}

    def locate(self, key: str, pointer: str) -> tuple[str, int, int]:
        """(file, line, col) of `pointer` in the definition (`key` "definition") or apiProperties.json."""
        file = self.definition_file if key == "definition" else self.properties_file
        source = self.sources.get(key)
        if source is None or not pointer:
            return file, 0, 0
        line, col = source.locate(pointer)
        return file, line, col


class Change(Struct, frozen=True):
    """One difference between OLD and NEW. `code` is stable (see `connectorgen diff --list-rules`).

    Pointers are JSON pointers into each side's file (`file` says which: "definition" for
    apiDefinition.swagger.json, "properties" for apiProperties.json). A change
    to something that exists on one side only points at its nearest parent on the other."""

    code: str
    kind: Kind
    message: str
    old_pointer: str
    new_pointer: str
    operation: str = ""  # the operationId concerned, "" for connector-level changes
    file: str = "definition"
    hint: str = ""
    anchor: str = ""  # the pointer that names the change (acknowledgements use it): new for additions, else old

    def sort_key(self) -> tuple[int, str, str, str, str]:
        return (0 if self.kind is Kind.BREAKING else 1, self.file, self.operation, self.old_pointer, self.code + self.new_pointer)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "code": self.code,
            "kind": self.kind.value,
            "operation": self.operation,
            "file": self.file,
            "old": self.old_pointer,
            "new": self.new_pointer,
            "pointer": self.anchor,
            "message": self.message,
        }
        if self.hint:
            out["hint"] = self.hint
        return out
