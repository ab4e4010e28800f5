"""Starting a server as a subprocess on a free loopback port, waiting until it answers, and always
stopping it (its whole process group) — also when the bench fails or is interrupted."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from bench.proc import kill_group

__all__ = ["ServerFailed", "free_port", "http_status", "peak_rss_mb", "serve"]


class ServerFailed(Exception):
    pass


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def http_status(port: int, path: str, headers: Mapping[str, str], timeout: float = 2.0) -> int | None:
    """Status of one GET, or None when nothing answers."""
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers=dict(headers))
        response = conn.getresponse()
        response.read()
        return response.status
    except (OSError, http.client.HTTPException):
        return None
    finally:
        conn.close()


def _group_pids(pgid: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, ValueError):
                if os.getpgid(int(entry.name)) == pgid:
                    pids.append(int(entry.name))
    return pids


def peak_rss_mb(pgid: int) -> float | None:
    """Largest VmHWM (peak resident set) among the server's processes, read before it is stopped."""
    peaks = []
    for pid in _group_pids(pgid):
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) / 1024)
    return max(peaks) if peaks else None


def _log_tail(path: Path) -> str:
    try:
        lines = [line for line in path.read_text(errors="replace").splitlines() if line.strip()]
    except OSError:
        return ""
    return " / ".join(lines[-3:])[:400]


@contextlib.contextmanager
def serve(
    command: Sequence[str], *, cwd: Path, log: Path, port: int, probe: str, headers: Mapping[str, str], timeout: float = 90
) -> Iterator[subprocess.Popen[bytes]]:
    """Run `command` until the block ends; ready when GET `probe` gets any HTTP answer."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        proc = subprocess.Popen(list(command), cwd=cwd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + timeout
        while http_status(port, probe, headers, timeout=1.0) is None:
            if proc.poll() is not None:
                raise ServerFailed(f"exited with {proc.returncode} before answering: {_log_tail(log)}")
            if time.monotonic() > deadline:
                raise ServerFailed(f"no answer on port {port} within {timeout:.0f} s: {_log_tail(log)}")
            time.sleep(0.2)
        yield proc
    finally:
        kill_group(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            kill_group(proc.pid, signal.SIGKILL)
            proc.wait()
        kill_group(proc.pid, signal.SIGKILL)  # anything the server forked and left behind
