"""Instruction counts of one whole process under valgrind's callgrind (`Collected : N` on stderr):
unlike wall time, nearly the same number on a busy machine, so it shows what a change saved."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

__all__ = ["count_instructions", "parse_collected", "valgrind_available"]

_COLLECTED = re.compile(r"^==\d+== Collected : (\d+)\s*$", re.MULTILINE)


def valgrind_available() -> str | None:
    """None when valgrind is on PATH, else why not."""
    return None if shutil.which("valgrind") else "valgrind is not installed (apt-get install -y valgrind)"


def parse_collected(stderr: str) -> int | None:
    """The instruction count callgrind reports for the process it ran (the first, the traced one)."""
    match = _COLLECTED.search(stderr)
    return int(match.group(1)) if match else None


def count_instructions(
    command: Sequence[str], *, cwd: Path, timeout: float, env: dict[str, str] | None = None
) -> tuple[int | None, int | None]:
    """(instructions executed by `command`, its exit code) under callgrind (some 50x slower than
    without); (None, None) when it did not finish within `timeout` seconds, None when no count."""
    argv = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *command]
    try:
        done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return None, None
    return parse_collected(done.stderr), done.returncode
