"""instructions: how many instructions `connectorgen postman` and `convert` execute on 10 and 1,000
synthetic operations and on a vendor spec, counted by valgrind's callgrind (one run each: the count
barely moves with machine load, unlike wall time, so it shows what a change saved)."""

from __future__ import annotations

import sys
from pathlib import Path

from bench.env import Context
from bench.instructions import count_instructions, valgrind_available
from bench.model import Section, Table
from bench.sections.tools import command_available
from bench.synth import synthetic_json

__all__ = ["SIZES", "run_instructions"]

SIZES = (10, 1_000)
VENDOR = "volue"  # a vendor spec whose collection has a pre-request (OAuth2) script


def _inputs(ctx: Context, scratch: Path) -> list[tuple[str, Path]]:
    found = []
    for n in SIZES:
        path = scratch / f"openapi-{n}-ops.json"
        path.write_text(synthetic_json(n), encoding="utf-8")
        found.append((f"{n:,} synthetic ops", path))
    vendor = ctx.repo / "specs" / VENDOR / "openapi.yaml"
    if vendor.is_file():
        found.append((f"{VENDOR} spec", vendor))
    return found


def run_instructions(ctx: Context) -> Section:
    section = Section("instructions", "instructions: callgrind instruction counts (one run each)")
    why = valgrind_available()
    if why:
        section.status, section.reason = "skipped", why
        return section
    scratch = ctx.out / "work" / "instructions"
    scratch.mkdir(parents=True, exist_ok=True)
    rows: list[list[str]] = []
    python_alone, _ = count_instructions([sys.executable, "-c", "pass"], cwd=ctx.repo, timeout=ctx.timeout)
    rows.append(["python -c pass", "—", f"{python_alone / 1e6:,.1f}" if python_alone else "—", "interpreter start-up alone"])
    for command in ("postman", "convert"):
        if (reason := command_available(ctx, command)) is not None:
            rows.append([f"connectorgen {command}", "—", "—", reason])
            continue
        for label, spec in _inputs(ctx, scratch):
            out = scratch / f"{command}-{spec.stem}"
            args = ["-o", str(out)] if command == "postman" else ["--lenient", "-o", str(out.with_suffix(".json"))]
            count, code = count_instructions([*ctx.connectorgen, command, str(spec), *args], cwd=ctx.repo, timeout=ctx.timeout)
            note = f"no result within {ctx.timeout:.0f} s under callgrind" if code is None else f"exit {code}" if code not in (0, 1) else ""
            rows.append([f"connectorgen {command}", label, f"{count / 1e6:,.1f}" if count else "—", note])
            ctx.progress(f"instr    {command:<8} {label:<22} {count / 1e6 if count else float('nan'):10,.1f} M instructions")
    section.tables.append(Table("Instructions executed (millions, whole process under callgrind)",
                                ["command", "input", "instructions (M)", "note"], rows))
    section.notes.append("valgrind --tool=callgrind; one run per figure. Before/after figures of a change: run this section on both.")
    return section
