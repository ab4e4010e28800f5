"""The cyclic garbage collector paused while a command runs (`convert`, `postman`).

Everything those commands build (the document, the IR, the output) is a tree of dicts, lists and
records that lives until the output is written: the collector's passes find nothing to free but
rescan an ever larger heap, superlinear on large documents (about a third of the CPU time of
`postman` and most of `convert`'s at 10,000 operations, `make bench`). Memory is still freed by
reference counting; peak RSS measured unchanged. The collector is switched back on afterwards for
callers that run a command in their own process (the tests do).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

__all__ = ["without_cyclic_gc"]

T = TypeVar("T")
R = TypeVar("R")


def without_cyclic_gc(run: Callable[[T], R]) -> Callable[[T], R]:
    """`run`, with the cyclic collector paused during the call (and restored as it was)."""

    @functools.wraps(run)
    def paused(args: T) -> R:
        import gc

        enabled = gc.isenabled()
        gc.disable()
        try:
            return run(args)
        finally:
            if enabled:
                gc.enable()

    return paused
