"""How a batch command (`convert`, `postman`) lives and ends.

While it runs, the cyclic garbage collector is paused. Everything those commands build (the
document, the IR, the output) is a tree of dicts, lists and records that lives until the output is
written: the collector's passes find nothing to free but rescan an ever larger heap, superlinear on
large documents (about a third of the CPU time of `postman` and most of `convert`'s at 10,000
operations, `make bench`). Memory is still freed by reference counting; peak RSS measured unchanged.
The collector is switched back on afterwards for callers that run a command in their own process
(the tests do).

When it ends, a process started by the `connectorgen` script (`cli.run`) does not free that tree
object by object, nor tear down its modules: the kernel takes the whole heap back at once. That was
a tenth of the wall time of `convert` at 1,000 operations. `keep_until_exit` holds a command's large
objects so that they are not freed on return either; `exit_now` flushes the standard streams, runs
the `atexit` handlers (temporary folders, logging), then ends the process with the command's code.
Only commands wrapped by `without_cyclic_gc` end this way, and only under `cli.run`: a caller that
runs `cli.main` in its own process (the tests) keeps Python's normal ending, and nothing is held.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["enable_quick_exit", "exit_now", "keep_until_exit", "without_cyclic_gc"]

T = TypeVar("T")
R = TypeVar("R")

_state: dict[str, Any] = {"enabled": False, "batch": False, "held": []}


def without_cyclic_gc(run: Callable[[T], R]) -> Callable[[T], R]:
    """`run`, with the cyclic collector paused during the call (and restored as it was); a batch
    command, which may end its process at once (see the module's docstring)."""

    @functools.wraps(run)
    def paused(args: T) -> R:
        import gc

        _state["batch"] = True
        enabled = gc.isenabled()
        gc.disable()
        try:
            return run(args)
        finally:
            if enabled:
                gc.enable()

    return paused


def enable_quick_exit() -> None:
    """Called by `cli.run` (the process is the command's own): batch commands may hold their
    objects to the end and the process end without freeing them."""
    _state["enabled"] = True


def keep_until_exit(*objects: object) -> None:
    """Hold `objects` until the process ends, when it will end with `exit_now` (otherwise a no-op:
    nothing is held in a process that goes on)."""
    if _state["enabled"]:
        _state["held"].append(objects)


def exit_now(code: int) -> None:
    """End the process with `code`. After a batch command under `cli.run`: flush stdout and stderr,
    run the atexit handlers, and `os._exit` (no freeing, no module teardown). Otherwise, or under a
    profiler or tracer, `sys.exit`.
    A flush that fails ends with Python's own code for it: 120 (0 for a closed pipe, as `main`
    answers a `BrokenPipeError`)."""
    if not (_state["enabled"] and _state["batch"]) or sys.getprofile() is not None or sys.gettrace() is not None:
        sys.exit(code)  # a profiler or tracer (cProfile, coverage) writes its report at the normal end
    import atexit
    import os

    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BrokenPipeError:
            pass
        except (OSError, ValueError):
            code = code or 120
    atexit._run_exitfuncs()
    os._exit(code)
