"""Run one whole process and measure it: wall time (perf_counter around spawn → exit) and its peak
RSS. The RSS comes from a small wrapper (GNU `time -f %M`, else bench/rsswrap.py) that forks the tool:
ru_maxrss of a child forked by the bench itself would start at the bench's own RSS (fork/vfork carry
the parent's high-water mark), and RUSAGE_CHILDREN deltas only ever grow. For a process tree it is
the largest single process. Output goes to files, never pipes, so a chatty tool cannot block."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Sample", "kill_group", "rss_wrapper", "run_measured"]

GNU_TIME = Path("/usr/bin/time")
RSSWRAP = Path(__file__).with_name("rsswrap.py")
_WRAPPER: list[str] = []


def rss_wrapper(rss_file: Path) -> list[str]:
    """The argv prefix that runs a command and writes its peak RSS in KiB to `rss_file` (last line)."""
    if not _WRAPPER:
        try:
            probe = subprocess.run([str(GNU_TIME), "-f", "%M", "-o", os.devnull, "true"], capture_output=True, timeout=10)
            gnu = probe.returncode == 0
        except (OSError, subprocess.SubprocessError):
            gnu = False
        _WRAPPER.append("gnu-time" if gnu else "rsswrap")
    if _WRAPPER[0] == "gnu-time":
        return [str(GNU_TIME), "-f", "%M", "-o", str(rss_file)]
    return [sys.executable, "-S", "-I", str(RSSWRAP), str(rss_file)]


def _read_rss_kib(path: Path) -> float:
    try:
        lines = [line for line in path.read_text().splitlines() if line.strip()]
        return float(lines[-1].split()[-1])
    except (OSError, IndexError, ValueError):
        return float("nan")


@dataclass
class Sample:
    seconds: float
    max_rss_mb: float
    exit_code: int
    timed_out: bool
    stderr_tail: str


def kill_group(pid: int, sig: int = signal.SIGKILL) -> None:
    """Signal the process group led by `pid` (started with start_new_session=True)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, sig)


def _excerpt(path: Path, head: int = 3000, tail: int = 1000) -> str:
    """The start (where tools name the error) and the end (where they summarise) of a log."""
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return ""
    return text.strip() if len(text) <= head + tail else f"{text[:head]}\n...\n{text[-tail:]}".strip()


def run_measured(
    command: Sequence[str],
    *,
    cwd: Path,
    logs: Path,
    timeout: float,
    stdout_to: Path | None = None,
    env: dict[str, str] | None = None,
) -> Sample:
    """Run `command` to completion; stdout goes to `stdout_to` (or a log), stderr to a log in `logs`."""
    logs.mkdir(parents=True, exist_ok=True)
    out_path = stdout_to or logs / "stdout.txt"
    err_path = logs / "stderr.txt"
    rss_path = logs / "maxrss.txt"
    rss_path.unlink(missing_ok=True)
    argv = [*rss_wrapper(rss_path), *command]  # probe for GNU time before the clock starts
    expired = threading.Event()

    def expire(pid: int) -> None:
        expired.set()
        kill_group(pid)

    with out_path.open("wb") as out, err_path.open("wb") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env, start_new_session=True)
        # A blocking wait returns the moment the process exits. (`wait(timeout=...)` polls with
        # sleeps of up to 50 ms: that added 0-50 ms to every figure, a third of a 0.17 s run.)
        timer = threading.Timer(timeout, expire, (proc.pid,))
        timer.start()
        try:
            proc.wait()
        finally:
            timer.cancel()
        elapsed = time.perf_counter() - started
    timed_out = expired.is_set()
    kill_group(proc.pid)  # stray grandchildren (none expected)
    return Sample(
        seconds=elapsed,
        max_rss_mb=_read_rss_kib(rss_path) / 1024,
        exit_code=proc.returncode,
        timed_out=timed_out,
        stderr_tail=_excerpt(err_path),
    )
