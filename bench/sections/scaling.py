"""scaling: synthetic OpenAPI 3.0 documents of growing size through convert and postman, ours and
(where affordable) the JS tools: time, peak memory and the log-log growth exponent."""

from __future__ import annotations

from pathlib import Path

from bench.acceptance import COMMANDS, growth_table, ratio_table, size_subject
from bench.env import Context, node_tool
from bench.model import Comparison, Measurement, Section
from bench.sections.tools import command_available, convert_contenders, postman_contenders
from bench.series import Contender, format_progress, measure_interleaved
from bench.synth import synthetic_json

__all__ = ["BASELINE_OPS", "LARGE_RUNS", "LARGE_SIZE", "run_scaling", "runs_for"]

BASELINE_OPS = 1  # a 1-operation run gives the fixed cost (start-up, imports) for the net exponent
OURS = ("connectorgen convert", "connectorgen postman")
JS_BUDGET = 60.0  # s: a JS tool slower than this on its first run at a size gets that one run only
PROJECTED_LIMIT = 600.0  # s: a JS tool projected slower than this at the next size is not run there
LARGE_SIZE = 10_000
LARGE_RUNS = 3


def _write_spec(ctx: Context, operations: int) -> Path:
    path = ctx.out / "synthetic" / f"openapi-{operations}-ops.json"
    text = synthetic_json(operations)
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return path


def _contenders(ctx: Context, spec: Path) -> list[Contender]:
    found: list[Contender] = []
    asc, o2p = node_tool(ctx.repo, "api-spec-converter"), node_tool(ctx.repo, "openapi2postmanv2")
    ours_convert, theirs_convert = convert_contenders(ctx, spec, asc or Path("api-spec-converter"), validate=False)
    ours_postman, theirs_postman = postman_contenders(ctx, spec, o2p or Path("openapi2postmanv2"))
    ours_convert.tool, ours_postman.tool = OURS
    found += [ours_convert, ours_postman]
    if ctx.scaling_js:
        for contender, tool in ((theirs_convert, asc), (theirs_postman, o2p)):
            if tool is not None:
                contender.budget = JS_BUDGET
                found.append(contender)
    return found


def runs_for(operations: int, runs: int) -> int:
    """Runs per figure at a size: all `runs` up to 1,000 operations; at most LARGE_RUNS from 10,000 on,
    where one round of the four tools takes a minute or more (openapi2postmanv2 alone ~40 s a run)."""
    return runs if operations < LARGE_SIZE else min(runs, LARGE_RUNS)


def run_scaling(ctx: Context) -> Section:
    section = Section("scaling", "scaling: synthetic OpenAPI 3.0 documents through convert and postman")
    sizes = sorted(ctx.scaling_sizes)
    missing = [name for name in ("convert", "postman") if command_available(ctx, name)]
    if missing:
        section.status, section.reason = "skipped", "; ".join(str(command_available(ctx, n)) for n in missing)
        return section
    base: dict[str, float] = {}  # the 1-operation median: fixed cost, not scaled
    last: dict[str, tuple[int, float]] = {}
    for operations in [BASELINE_OPS, *sizes]:
        spec = _write_spec(ctx, operations)
        subject = size_subject(operations)
        contenders, skipped = [], []
        for c in _contenders(ctx, spec):
            prev = last.get(c.tool)
            fixed = base.get(c.tool, 0.0)
            projected = fixed + (prev[1] - fixed) * operations / prev[0] if prev else 0.0
            if c.tool not in OURS and prev and projected > PROJECTED_LIMIT:
                reason = f"projected {projected:.0f} s per run from its {prev[0]:,}-operation time (limit {PROJECTED_LIMIT:.0f} s)"
                skipped.append(Measurement(subject, c.tool, status="skipped", reason=reason))
            else:
                contenders.append(c)
        measured = measure_interleaved(ctx, "scaling", subject, contenders, runs=runs_for(operations, ctx.runs))
        for m in skipped:
            ctx.progress(format_progress("scaling", m))
        for m in measured:
            if (s := m.stat("seconds")) is not None:
                if operations == BASELINE_OPS:
                    base[m.tool] = s.median
                else:
                    last[m.tool] = (operations, s.median)
            elif m.tool not in OURS:
                last[m.tool] = (operations, float("inf"))  # failed: don't try bigger inputs
        section.measurements += measured + skipped
        if operations != BASELINE_OPS:
            for ours, peer in COMMANDS.values():
                section.comparisons.append(Comparison(subject, "seconds", ours, peer))
    _summaries(ctx, section, sizes)
    return section


def _summaries(ctx: Context, section: Section, sizes: list[int]) -> None:
    tools = list(dict.fromkeys(m.tool for m in section.measurements))
    section.tables.append(ratio_table(section, tuple(sizes)))
    section.tables.append(growth_table(section, tools, tuple(sizes), size_subject(BASELINE_OPS)))
    runs = ", ".join(f"{n:,} ops: {runs_for(n, ctx.runs)}" for n in sizes)
    section.notes += [
        "Exponent k in time ∝ operations^k: least squares on log(median wall) against log(operations) over the sizes "
        "from 100 to 10,000 (10 operations is start-up alone and would flatten it). It includes the fixed start-up "
        f"cost, which flatters; the net exponent subtracts the median of a {BASELINE_OPS}-operation run first. "
        "The memory exponent fits the peak RSS the same way. Peak memory is the highest of the runs.",
        f"Runs per figure (at most): {runs}; at {LARGE_SIZE:,} operations at most {LARGE_RUNS}, as one round of the four "
        "tools there takes minutes.",
        f"Synthetic specs: bench/synth.py, written to {(ctx.out / 'synthetic').relative_to(ctx.repo) if ctx.out.is_relative_to(ctx.repo) else ctx.out}/.",
        f"A JS tool whose first run at a size takes over {JS_BUDGET:.0f} s is run once there (shown as `runs: 1 only`); "
        f"one projected (linearly from the previous size) over {PROJECTED_LIMIT:.0f} s per run is skipped.",
    ]
