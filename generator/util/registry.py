"""One registry type for every kind of check (spec rules, lint rules, diff rules).

A `Registry` maps a stable code to what is registered under it, in registration order (the order
the rules run and are listed in), and refuses a second registration of a code: two rules with one
code would make a finding's code ambiguous, and a silent overwrite would drop a check.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any, Generic, TypeVar

__all__ = ["DuplicateCodeError", "Registry", "evidence_of"]

T = TypeVar("T")


def evidence_of(check: Callable[..., Any]) -> str:
    """A check's docstring on one line: why the check exists and why it has its level."""
    return " ".join((check.__doc__ or "").split())


class DuplicateCodeError(ValueError):
    """A code registered twice in one registry."""


class Registry(Mapping[str, T], Generic[T]):
    """Checks of one kind keyed by stable code; read-only as a mapping, grown by `add`."""

    __slots__ = ("_entries", "kind")

    def __init__(self, kind: str) -> None:
        self.kind = kind  # e.g. "lint rule": names the registry in the duplicate message
        self._entries: dict[str, T] = {}

    def add(self, code: str, entry: T) -> T:
        if not code:
            raise ValueError(f"{self.kind} registered without a code")
        if code in self._entries:
            raise DuplicateCodeError(f"{self.kind} {code} registered twice")
        self._entries[code] = entry
        return entry

    def __getitem__(self, code: str) -> T:
        return self._entries[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"Registry({self.kind!r}, {len(self)} codes)"
