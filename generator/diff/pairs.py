"""What a rule is given: the two documents, one operation on both sides, or one schema node on both."""

from __future__ import annotations

from typing import Any

from msgspec import Struct

from generator.diff.model import Side
from generator.diff.walk import Node, OpInfo, schema_type

__all__ = ["DocPair", "NodePair", "OpPair"]


class DocPair(Struct, frozen=True):
    old: Side
    new: Side
    old_ops: dict[str, OpInfo] = {}
    new_ops: dict[str, OpInfo] = {}

    @property
    def deleted(self) -> list[str]:
        return [k for k in self.old_ops if k not in self.new_ops]

    @property
    def added(self) -> list[str]:
        return [k for k in self.new_ops if k not in self.old_ops]


class OpPair(Struct, frozen=True):
    doc: DocPair
    old: OpInfo
    new: OpInfo


class NodePair(Struct, frozen=True):
    """One input or output on both sides. `label` names it for messages (`Limit`, `body.name`,
    `response.result[].id`); `mode` is "input", "output" or "trigger" (outputs of a trigger)."""

    doc: DocPair
    operation: str
    mode: str
    label: str
    old: Node
    new: Node

    @property
    def old_type(self) -> str:
        return schema_type(self.old.schema)

    @property
    def new_type(self) -> str:
        return schema_type(self.new.schema)

    def member(self, name: str) -> str:
        if not self.label:
            return name
        return f"{self.label}.{name}"

    def old_member(self, name: str) -> dict[str, Any]:
        value = self.old.properties().get(name)
        return value if isinstance(value, dict) else {}

    def new_member(self, name: str) -> dict[str, Any]:
        value = self.new.properties().get(name)
        return value if isinstance(value, dict) else {}
