"""One build at a time per output folder: an exclusive `fcntl.flock` on `<out>/.lock`.

The lock file is removed when the build ends (so a finished build leaves no trace in its output);
a waiting build that wakes up on a removed file takes the lock again on the new one (the usual
open / lock / check-the-inode loop), so two builds never both believe they hold the folder.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sys
from collections.abc import Iterator
from pathlib import Path

__all__ = ["LOCK_NAME", "BuildLocked", "output_lock"]

LOCK_NAME = ".lock"


class BuildLocked(Exception):
    """Another build holds the output folder and the caller asked not to wait."""


def _take(path: Path, wait: bool, announce: bool) -> int:
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if not wait:
                    raise BuildLocked(f"another connectorgen build is writing to {path.parent}; stopped (--no-wait)") from None
                if announce:
                    sys.stderr.write(f"connectorgen build: another build is writing to {path.parent}; waiting for it to finish\n")
                    sys.stderr.flush()
                    announce = False
                fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                same = os.fstat(fd).st_ino == os.stat(path).st_ino
            except FileNotFoundError:
                same = False
            if same:
                return fd
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)  # the holder removed the file while we waited: lock the current one


@contextlib.contextmanager
def output_lock(folder: Path, *, wait: bool = True) -> Iterator[None]:
    """Hold the lock of `folder` (created if missing) for the duration of the block."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK_NAME
    fd = _take(path, wait, announce=True)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            path.unlink()  # before unlocking: a waiter then sees a new inode and locks that one
        os.close(fd)
