"""build: `connectorgen build --force` of every vendor and target (cold), then the same build with
nothing changed (warm, the no-op path every `make` hits)."""

from __future__ import annotations

import shutil

from bench.env import Context, vendors
from bench.model import Measurement, Section
from bench.proc import run_measured
from bench.series import first_error_line, format_progress
from bench.targets import below, unavailable

__all__ = ["run_build"]

COLD, WARM = "cold (--force)", "warm (no change)"


def run_build(ctx: Context) -> Section:
    section = Section("build", "build: connectorgen build of every vendor and target")
    names = vendors(ctx.repo)
    if not names:
        section.status, section.reason = "skipped", "no specs/<vendor>/openapi.yaml found"
        section.targets += [unavailable("build: cold, all vendors and targets", "< 10 s", section.reason),
                            unavailable("build: warm no-op", "< 0.5 s", section.reason)]
        return section
    subject = f"{len(names)} vendors ({', '.join(names)}), all targets"
    out = ctx.out / "work" / "build" / "out"
    shutil.rmtree(out, ignore_errors=True)
    cold, warm = Measurement(subject, COLD), Measurement(subject, WARM)
    for run in range(ctx.runs):
        for m, extra in ((cold, ["--force"]), (warm, [])):
            if cold.status != "ok" or m.status != "ok":
                continue
            command = [*ctx.connectorgen, "build", *extra, "--out", str(out)]
            m.command = " ".join(command)
            sample = run_measured(command, cwd=ctx.repo, logs=ctx.out / "work" / "build" / "logs", timeout=ctx.timeout)
            if sample.timed_out or sample.exit_code != 0:
                m.status = "timeout" if sample.timed_out else "failed"
                m.reason = f"run {run + 1}: " + ("timed out" if sample.timed_out else f"exit {sample.exit_code}: {first_error_line(sample.stderr_tail)}")
                continue
            m.add("seconds", sample.seconds)
            m.add("max_rss_mb", sample.max_rss_mb)
            m.info["jobs"] = "default (one per core)"
    if warm.status == "ok" and cold.status != "ok":
        warm.status, warm.reason = "skipped", "the cold build failed"
    section.measurements += [cold, warm]
    for m in section.measurements:
        ctx.progress(format_progress("build", m))
    c, w = cold.stat("seconds"), warm.stat("seconds")
    section.targets.append(below("build: cold, all vendors and targets", 10, c.median if c else None, " s"))
    section.targets.append(below("build: warm no-op", 0.5, w.median if w else None, " s"))
    section.notes.append(
        "Cold: every vendor re-rendered (--force) into a scratch folder; warm: the same command without --force right "
        "after, when every fingerprint matches. Peak RSS is the largest single process (build runs vendors in a process pool)."
    )
    return section
