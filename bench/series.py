"""Measuring contenders run by run, interleaved (ours, theirs, ours, theirs, ...) so both see the
same machine load and their ratio is fair; a contender that fails or times out stops there."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.env import Context
from bench.model import Measurement
from bench.proc import run_measured

__all__ = ["CheckFailed", "Contender", "first_error_line", "format_progress", "measure_interleaved", "slug"]


class CheckFailed(Exception):
    """The process exited cleanly but its output is missing or unusable."""


@dataclass
class Contender:
    tool: str
    # work dir → (argv, file for stdout or None)
    command: Callable[[Path], tuple[list[str], Path | None]]
    ok_exit_codes: frozenset[int] = frozenset({0})
    # inspects the first successful run's output; returns facts for the report or raises CheckFailed
    check: Callable[[Path], dict[str, Any]] | None = None
    # a first run slower than this (seconds) is the only run: its figure is reported with n = 1
    budget: float | None = None


def slug(text: str) -> str:
    return re.sub(r"[^a-zA-Z0-9.]+", "-", text).strip("-").lower() or "x"


def first_error_line(stderr: str) -> str:
    """The most telling line of a tool's stderr: the first mentioning an error, else the last one."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    if not lines:
        return "no output on stderr"
    for line in lines:
        if re.search(r"error|exception|unsupported|invalid", line, re.IGNORECASE):
            return line[:200]
    return lines[-1][:200]


def format_progress(section: str, m: Measurement) -> str:
    head = f"{section:<8} {m.subject[:34]:<34} {m.tool[:20]:<20}"
    seconds, rss = m.stat("seconds"), m.stat("max_rss_mb")
    if m.status != "ok" or seconds is None:
        return f"{head} {m.status}: {m.reason}"
    text = f"{head} {seconds.n} runs  min {seconds.min:7.3f} s  median {seconds.median:7.3f} s"
    return text + (f"  peak {rss.median:6.1f} MB" if rss else "")


def measure_interleaved(
    ctx: Context, section: str, subject: str, contenders: list[Contender], runs: int | None = None
) -> list[Measurement]:
    """`runs` (default `ctx.runs`) rounds of one run per contender, in turn."""
    measurements = [Measurement(subject, c.tool) for c in contenders]
    finished: set[str] = set()  # over budget: no more runs
    rounds = ctx.runs if runs is None else runs
    for run in range(rounds):
        for contender, m in zip(contenders, measurements, strict=True):
            if m.status != "ok" or m.tool in finished:
                continue
            work = ctx.out / "work" / section / slug(subject) / slug(contender.tool)
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir(parents=True)
            argv, stdout_to = contender.command(work)
            m.command = " ".join(argv) + (f" > {stdout_to.name}" if stdout_to else "")
            sample = run_measured(argv, cwd=ctx.repo, logs=work / "logs", timeout=ctx.timeout, stdout_to=stdout_to)
            if sample.timed_out:
                m.status, m.reason = "timeout", f"no result within {ctx.timeout:.0f} s (run {run + 1})"
                continue
            if sample.exit_code not in contender.ok_exit_codes:
                m.status = "failed"
                m.reason = f"exit {sample.exit_code}: {first_error_line(sample.stderr_tail)}"
                continue
            if run == 0 and contender.check:
                try:
                    m.info.update(contender.check(work))
                except CheckFailed as exc:
                    m.status, m.reason = "failed", str(exc)
                    continue
            m.add("seconds", sample.seconds)
            m.add("max_rss_mb", sample.max_rss_mb)
            if run == 0 and contender.budget is not None and sample.seconds > contender.budget and rounds > 1:
                m.info["runs"] = f"1 only: the first took {sample.seconds:.0f} s (budget {contender.budget:.0f} s)"
                finished.add(m.tool)
    for m in measurements:
        ctx.progress(format_progress(section, m))
    return measurements
