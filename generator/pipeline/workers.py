"""Worker processes that die with their parent (Linux `prctl(PR_SET_PDEATHSIG, SIGKILL)`; elsewhere
a watchdog thread that polls the parent pid), so a `kill -9` of `connectorgen build` leaves no
worker behind."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time

__all__ = ["die_with_parent"]

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int) -> None:
    """Process-pool initializer: arrange for this process to end when `parent_pid` ends."""
    if sys.platform.startswith("linux") and _prctl_deathsig():
        if os.getppid() != parent_pid:  # the parent died before the signal was armed
            os._exit(1)
        return
    threading.Thread(target=_watch, args=(parent_pid,), daemon=True, name="parent-watchdog").start()


def _prctl_deathsig() -> bool:
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0)
    return False


def _watch(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(0.5)
    os._exit(1)
