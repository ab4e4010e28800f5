"""State shared by the conversion steps: the IR, the options and the loss report."""

from __future__ import annotations

from typing import Any

from msgspec import Struct, field

from generator.convert.options import ConvertOptions
from generator.convert.profile import Profile
from generator.ir.model import Api
from generator.problems import Level, Problem
from generator.util.pointer import join_pointer

__all__ = ["Context", "Losses", "fresh"]


class Losses:
    """The loss report: one problem per (pointer, code, message), in the order found."""

    def __init__(self, file: str):
        self.file = file
        self._items: dict[tuple[str, str, str], Problem] = {}

    def add(self, level: Level, code: str, pointer: str, message: str) -> None:
        key = (pointer, code, message)
        if key not in self._items:
            self._items[key] = Problem(level, code, message, self.file, 0, 0, pointer or "#")

    def warning(self, code: str, pointer: str, message: str) -> None:
        self.add(Level.WARNING, code, pointer, message)

    def info(self, code: str, pointer: str, message: str) -> None:
        self.add(Level.INFO, code, pointer, message)

    def drops_own_extension(self, key: str, pointer: str, note: str = "") -> bool:
        """True, with an info loss, if `key` is one of connectorgen's own `x-connectorgen-*`
        extensions: they steer the generator and no output carries them."""
        if not key.startswith("x-connectorgen-"):
            return False
        self.info("extension_dropped", join_pointer(pointer, key), f"{key} dropped (connectorgen's own extension){note}")
        return True

    def problems(self) -> list[Problem]:
        return sorted(self._items.values(), key=lambda p: (p.pointer, p.code, p.message))


class Context(Struct):
    api: Api
    options: ConvertOptions
    losses: Losses
    used_tags: list[str] = field(default_factory=list)
    # Work done once per shared IR object (a component response or parameter: one object wherever
    # it is referenced), keyed by the object's id and what else the result depends on. The entries
    # keep their IR object alive, so an id is never reused while the conversion runs.
    memo: dict[Any, Any] = field(default_factory=dict)

    @property
    def profile(self) -> Profile:
        return self.options.profile


def fresh(value: Any) -> Any:
    """`value` with every dict and list copied (the leaves shared): a memoized result handed out
    again, so that later touches on one place of the document (the profile's `document` hook, the
    repair pass, a target) never show at another."""
    if type(value) is dict:
        out = value.copy()
        for key, item in out.items():  # assigning an existing key leaves the iteration valid
            if type(item) is dict:
                inner = out[key] = item.copy()  # one level done here: most are leaves (a $ref)
                for inner_key, leaf in inner.items():
                    if type(leaf) is dict or type(leaf) is list:
                        inner[inner_key] = fresh(leaf)
            elif type(item) is list:
                out[key] = fresh(item)
        return out
    if type(value) is list:
        items = value.copy()
        for i, item in enumerate(items):
            if type(item) is dict or type(item) is list:
                items[i] = fresh(item)
        return items
    return value
