"""lint: `connectorgen lint` over the calibration sample (tests/data/calibration, 121 published
connectors) as ONE command, as a user lints a folder of packages: wall time and peak RSS."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from bench.acceptance import LINT_SUBJECT, LINT_TOOL
from bench.env import Context
from bench.model import Section
from bench.sections.tools import command_available
from bench.series import CheckFailed, Contender, measure_interleaved

__all__ = ["LINT_RUNS", "SAMPLE", "lint_check", "run_lint"]

SAMPLE = Path("tests") / "data" / "calibration"
LINT_RUNS = 3  # at most: one run lints 121 packages (~20 s of CPU), and its spread is small
_SUMMARY = re.compile(r"^(\d+) package\(s\): (\d+) without errors .*?, (\d+) unreadable", re.MULTILINE)


def lint_check(stdout: Path) -> dict[str, Any]:
    """The packages linted, from the summary's last line; a run that linted none is no figure."""
    text = stdout.read_text(encoding="utf-8", errors="replace") if stdout.is_file() else ""
    match = _SUMMARY.search(text)
    if match is None:
        raise CheckFailed("no `N package(s): ...` summary line in the output")
    packages, clean, unreadable = (int(g) for g in match.groups())
    if packages == 0:
        raise CheckFailed("no package linted")
    return {"packages": packages, "without errors": clean, "unreadable": unreadable}


def run_lint(ctx: Context) -> Section:
    section = Section("lint", "lint: connectorgen lint over the calibration sample, one command")
    sample = ctx.repo / SAMPLE
    why = command_available(ctx, "lint") or (None if sample.is_dir() else f"{SAMPLE} not found")
    if why:
        section.status, section.reason = "skipped", why
        return section

    def command(work: Path) -> tuple[list[str], Path | None]:
        return [*ctx.connectorgen, "lint", str(SAMPLE), "--summary"], work / "summary.txt"

    contender = Contender(LINT_TOOL, command, ok_exit_codes=frozenset({0, 1}),  # 1: findings, as expected
                          check=lambda work: lint_check(work / "summary.txt"))
    runs = min(ctx.runs, LINT_RUNS)
    section.measurements += measure_interleaved(ctx, "lint", LINT_SUBJECT, [contender], runs=runs)
    section.notes += [
        f"`connectorgen lint {SAMPLE} --summary` (exit 1 expected: the sample has findings), {runs} run(s) "
        f"(at most {LINT_RUNS}: each lints every package of the sample); peak RSS is the largest single process.",
    ]
    return section
