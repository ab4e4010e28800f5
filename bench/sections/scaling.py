"""scaling: synthetic OpenAPI 3.0 documents of growing size through convert and postman, ours and
(where affordable) the JS tools: time, peak memory and the log-log growth exponent."""

from __future__ import annotations

from pathlib import Path

from bench.env import Context, node_tool
from bench.model import Comparison, Measurement, Section, Table
from bench.sections.tools import command_available, convert_contenders, postman_contenders
from bench.series import Contender, format_progress, measure_interleaved
from bench.stats import growth_exponent
from bench.synth import synthetic_json
from bench.targets import below, unavailable

__all__ = ["BASELINE_OPS", "exponent_rows", "run_scaling"]

BASELINE_OPS = 1  # a 1-operation run gives the fixed cost (start-up, imports) for the net exponent
OURS = ("connectorgen convert", "connectorgen postman")
JS_BUDGET = 60.0  # s: a JS tool slower than this on its first run at a size gets that one run only
PROJECTED_LIMIT = 600.0  # s: a JS tool projected slower than this at the next size is not run there


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


def exponent_rows(sizes: list[int], medians: dict[int, float], baseline: float | None) -> list[str]:
    """[exponent between the two largest sizes, over all sizes, net of the fixed cost (two largest)]."""
    def fmt(value: float | None) -> str:
        return f"{value:.2f}" if value is not None else "—"

    have = [n for n in sizes if n in medians]
    top = have[-2:] if len(have) >= 2 else []
    pair = growth_exponent(top, [medians[n] for n in top]) if top else None
    every = growth_exponent(have, [medians[n] for n in have]) if len(have) == len(sizes) and len(have) >= 2 else None
    net = None
    if top and baseline is not None and all(medians[n] > baseline for n in top):
        net = growth_exponent(top, [medians[n] - baseline for n in top])
    return [fmt(pair), fmt(every), fmt(net)]


def run_scaling(ctx: Context) -> Section:
    section = Section("scaling", "scaling: synthetic OpenAPI 3.0 documents through convert and postman")
    sizes = sorted(ctx.scaling_sizes)
    missing = [name for name in ("convert", "postman") if command_available(ctx, name)]
    if missing:
        section.status, section.reason = "skipped", "; ".join(str(command_available(ctx, n)) for n in missing)
        for tool in OURS:
            section.targets.append(unavailable(f"scaling: {tool} exponent", "≤ 1.1", section.reason))
        return section
    base: dict[str, float] = {}  # the 1-operation median: fixed cost, not scaled
    last: dict[str, tuple[int, float]] = {}
    for operations in [BASELINE_OPS, *sizes]:
        spec = _write_spec(ctx, operations)
        subject = f"{operations:,} ops"
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
        measured = measure_interleaved(ctx, "scaling", subject, contenders)
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
            section.comparisons.append(Comparison(subject, "seconds", "connectorgen convert", "api-spec-converter"))
            section.comparisons.append(Comparison(subject, "seconds", "connectorgen postman", "openapi2postmanv2"))
    _summaries(ctx, section, sizes)
    return section


def _summaries(ctx: Context, section: Section, sizes: list[int]) -> None:
    tools = list(dict.fromkeys(m.tool for m in section.measurements))
    top = sizes[-2:]
    pair_label = f"{top[0]:,}→{top[-1]:,}" if len(top) == 2 else "n/a"
    header = ["tool", *(f"{n:,} ops: time / peak RSS" for n in sizes), f"exponent {pair_label}",
              f"exponent over {', '.join(f'{n:,}' for n in sizes)}", f"net exponent {pair_label}", f"memory exponent {pair_label}"]
    rows = []
    for tool in tools:
        times: dict[int, float] = {}
        memory: dict[int, float] = {}
        cells = []
        for n in sizes:
            m = section.find(f"{n:,} ops", tool)
            t, r = (m.stat("seconds"), m.stat("max_rss_mb")) if m else (None, None)
            if t and r:
                times[n], memory[n] = t.median, r.median
                cells.append(f"{t.median:.3f} s / {r.median:.0f} MB")
            else:
                cells.append(m.status if m else "—")
        base = section.find(f"{BASELINE_OPS:,} ops", tool)
        base_stat = base.stat("seconds") if base else None
        exps = exponent_rows(sizes, times, base_stat.median if base_stat else None)
        rows.append([tool, *cells, *exps, exponent_rows(sizes, memory, None)[0]])
        if tool in OURS:
            value = float(exps[0]) if exps[0] != "—" else None
            section.targets.append(below(f"scaling: {tool} time exponent {pair_label}", 1.1, value, "", inclusive=True))
            biggest = sizes[-1]
            section.targets.append(below(f"scaling: {tool} peak memory at {biggest:,} ops", 500, memory.get(biggest), " MB"))
    section.tables.append(Table("Growth (medians)", header, rows))
    section.notes += [
        "Exponent k in time ∝ operations^k, least squares on log-log medians (1 = linear). It includes the fixed "
        f"start-up cost, which flatters small sizes; the net exponent subtracts the {BASELINE_OPS}-operation run's median.",
        f"Synthetic specs: bench/synth.py, written to {(ctx.out / 'synthetic').relative_to(ctx.repo) if ctx.out.is_relative_to(ctx.repo) else ctx.out}/.",
        f"A JS tool whose first run at a size takes over {JS_BUDGET:.0f} s is run once there (shown as `runs: 1 only`); "
        f"one projected (linearly from the previous size) over {PROJECTED_LIMIT:.0f} s per run is skipped.",
    ]
