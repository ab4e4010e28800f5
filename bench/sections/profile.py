"""profile: where connectorgen spends its time — import cost at start-up (`python -X importtime`)
and cProfile of the slow paths (large-document convert and postman, a 1,000-operation postman, a
cold build in one process). Raw dumps go to build/bench/profile/ for `python -m pstats`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bench.env import LARGE_DOC, Context
from bench.model import Section, Table
from bench.profiling import parse_importtime, profile_rows
from bench.sections.tools import command_available
from bench.synth import synthetic_json

__all__ = ["run_profile"]

TOP = 12


def _python() -> list[str]:
    return [sys.executable]


def _importtime(ctx: Context, section: Section, label: str, args: list[str]) -> None:
    """Import cost of one run (the figure is noisy: read it next to the cumulative column)."""
    done = subprocess.run([*_python(), "-X", "importtime", "-m", "generator", *args], cwd=ctx.repo,
                          capture_output=True, text=True, timeout=ctx.timeout)
    lines = parse_importtime(done.stderr)
    if not lines:
        section.notes.append(f"importtime {label}: no output (exit {done.returncode})")
        return
    total = sum(line.self_us for line in lines) / 1000
    ours = sum(line.self_us for line in lines if line.module.startswith("generator")) / 1000
    rows = [[line.module, f"{line.self_us / 1000:.1f}", f"{line.cumulative_us / 1000:.1f}"]
            for line in sorted(lines, key=lambda x: x.cumulative_us, reverse=True)
            if line.module.startswith("generator") or line.depth <= 1][:TOP]
    title = f"Imports for `connectorgen {label}`: {total:.0f} ms in all, {ours:.0f} ms in generator.* modules (one run)"
    section.tables.append(Table(title, ["module (largest cumulative)", "self ms", "cumulative ms"], rows))
    ctx.progress(f"profile  importtime {label:<28} {total:6.0f} ms of imports")


def _cprofile(ctx: Context, section: Section, label: str, args: list[str]) -> None:
    dump = ctx.out / "profile" / f"{label.replace(' ', '-')}.prof"
    dump.parent.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([*_python(), "-m", "cProfile", "-o", str(dump), "-m", "generator", *args], cwd=ctx.repo,
                          capture_output=True, text=True, timeout=ctx.timeout)
    if not dump.is_file():
        section.notes.append(f"cProfile {label}: no profile written (exit {done.returncode})")
        return
    header = ["function", "own s", "cumulative s", "calls"]
    cumulative = profile_rows(dump, ctx.repo, sort="cumulative", limit=TOP, only_ours=True)
    own = profile_rows(dump, ctx.repo, sort="tottime", limit=TOP, only_ours=False)
    section.tables.append(Table(f"cProfile `{label}`: generator functions by cumulative time (one run, profiler overhead included)", header, cumulative))
    section.tables.append(Table(f"cProfile `{label}`: all functions by own time", header, own))
    ctx.progress(f"profile  cProfile {label:<30} -> {dump.relative_to(ctx.out)}")


def run_profile(ctx: Context) -> Section:
    section = Section("profile", "profile: where the time goes")
    scratch = ctx.out / "work" / "profile"
    scratch.mkdir(parents=True, exist_ok=True)
    synthetic = scratch / "openapi-1000-ops.json"
    synthetic.write_text(synthetic_json(1000), encoding="utf-8")
    large = str(LARGE_DOC)
    _importtime(ctx, section, "--help", ["--help"])
    warm = ["build", "--out", str(scratch / "build")]
    subprocess.run([*_python(), "-m", "generator", *warm, "--quiet"], cwd=ctx.repo, capture_output=True, timeout=ctx.timeout)
    _importtime(ctx, section, "build (warm)", warm)
    jobs: list[tuple[str, list[str], str]] = [
        ("convert ev-server", ["convert", large, "--lenient", "-o", str(scratch / "convert.json")], "convert"),
        ("postman ev-server", ["postman", large, "-o", str(scratch / "postman")], "postman"),
        ("postman 1000 ops", ["postman", str(synthetic), "-o", str(scratch / "postman-1000")], "postman"),
        ("convert 1000 ops", ["convert", str(synthetic), "-o", str(scratch / "convert-1000.json")], "convert"),
        ("build --force --jobs 1", ["build", "--force", "--jobs", "1", "--quiet", "--out", str(scratch / "build")], "build"),
    ]
    for label, args, command in jobs:
        why = command_available(ctx, command)
        if why:
            section.notes.append(f"cProfile {label}: skipped: {why}")
            continue
        _cprofile(ctx, section, label, args)
    section.notes.append(f"Dumps: `python -m pstats {Path(ctx.out, 'profile').relative_to(ctx.repo) if ctx.out.is_relative_to(ctx.repo) else ctx.out}/<name>.prof`.")
    return section
