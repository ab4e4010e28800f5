"""bench/proc.py: one measured process, its exit status, peak RSS and timeout."""

from __future__ import annotations

import sys
from pathlib import Path

from bench.proc import run_measured


def test_measures_exit_code_rss_and_output(tmp_path: Path) -> None:
    code = "import sys; data = bytearray(30 * 1024 * 1024); print('out'); sys.stderr.write('err'); sys.exit(3)"
    sample = run_measured([sys.executable, "-c", code], cwd=tmp_path, logs=tmp_path / "logs", timeout=60)
    assert sample.exit_code == 3
    assert not sample.timed_out
    assert sample.max_rss_mb >= 30  # the 30 MiB buffer is in the child's peak, not the bench's
    assert sample.seconds > 0
    assert "err" in sample.stderr_tail
    assert (tmp_path / "logs" / "stdout.txt").read_text().strip() == "out"


def test_a_process_over_its_time_is_killed(tmp_path: Path) -> None:
    sample = run_measured([sys.executable, "-c", "import time; time.sleep(60)"], cwd=tmp_path, logs=tmp_path / "logs", timeout=0.5)
    assert sample.timed_out
    assert sample.exit_code != 0
