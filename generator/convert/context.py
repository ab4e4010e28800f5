"""State shared by the conversion steps: the IR, the options and the loss report."""

from __future__ import annotations

from msgspec import Struct, field

from generator.convert.options import ConvertOptions
from generator.convert.profile import Profile
from generator.ir.model import Api
from generator.problems import Level, Problem
from generator.util.pointer import join_pointer

__all__ = ["Context", "Losses"]


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

    @property
    def profile(self) -> Profile:
        return self.options.profile
