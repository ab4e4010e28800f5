"""Rendering a `Report` as Markdown (for people) and JSON (for tools): absolute figures (min and
median of the runs), each comparison's ratio beside them, and the targets with pass/fail."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from bench.model import Comparison, Measurement, Report, Section, Table, TargetResult
from bench.stats import ratio

__all__ = ["METRICS", "comparison_figures", "render_json", "render_markdown"]

# metric → (column title, unit, decimals)
METRICS: dict[str, tuple[str, str, int]] = {
    "seconds": ("time", "s", 3),
    "max_rss_mb": ("peak RSS", "MB", 1),
    "rps": ("requests/s", "", 0),
    "p50_ms": ("p50 latency", "ms", 2),
    "p99_ms": ("p99 latency", "ms", 2),
    "client_cpu_ms": ("load client CPU per request", "ms", 3),
}


def _fmt(metric: str, value: float) -> str:
    _, unit, decimals = METRICS.get(metric, (metric, "", 3))
    return f"{value:,.{decimals}f}" + (f" {unit}" if unit else "")


def _cell(m: Measurement, metric: str) -> str:
    stat = m.stat(metric)
    return f"{_fmt(metric, stat.min)} / {_fmt(metric, stat.median)}" if stat else "—"


def _status(m: Measurement) -> str:
    return "ok" if m.status == "ok" else f"**{m.status}**: {m.reason}"


def comparison_figures(section: Section, c: Comparison) -> dict[str, Any]:
    """Both medians, ours ÷ theirs, and the advantage (theirs ÷ ours when lower is better)."""
    ours, theirs = section.find(c.subject, c.ours), section.find(c.subject, c.theirs)
    a = ours.stat(c.metric) if ours else None
    b = theirs.stat(c.metric) if theirs else None
    figures: dict[str, Any] = {"ours_median": a.median if a else None, "theirs_median": b.median if b else None}
    figures["ours_over_theirs"] = ratio(a.median, b.median) if a and b else None
    if a and b:
        figures["advantage"] = ratio(a.median, b.median) if c.higher_is_better else ratio(b.median, a.median)
    else:
        figures["advantage"] = None
        missing = [(n, m) for n, m, s in ((c.ours, ours, a), (c.theirs, theirs, b)) if s is None]
        figures["why"] = "; ".join(f"{n} {m.status if m else 'not run'}" for n, m in missing)
    return figures


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    escape = [[cell.replace("|", "\\|").replace("\n", " ") for cell in row] for row in rows]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    return lines + ["| " + " | ".join(row) + " |" for row in escape]


def _measurement_lines(section: Section) -> list[str]:
    metrics = [k for k in METRICS if any(k in m.metrics for m in section.measurements)]
    header = ["subject", "tool", *(f"{METRICS[k][0]} (min / median)" for k in metrics), "status", "output facts"]
    rows = []
    for m in section.measurements:
        facts = "; ".join(f"{k}: {v}" for k, v in m.info.items())
        rows.append([m.subject, m.tool, *(_cell(m, k) for k in metrics), _status(m), facts])
    return _table(header, rows)


def _comparison_lines(section: Section) -> list[str]:
    header = ["subject", "metric", "ours (median)", "theirs (median)", "ours ÷ theirs", "advantage"]
    rows = []
    for c in section.comparisons:
        f = comparison_figures(section, c)
        name = METRICS.get(c.metric, (c.metric, "", 3))[0]
        ours = f"{c.ours}: {_fmt(c.metric, f['ours_median'])}" if f["ours_median"] is not None else f"{c.ours}: —"
        theirs = f"{c.theirs}: {_fmt(c.metric, f['theirs_median'])}" if f["theirs_median"] is not None else f"{c.theirs}: —"
        if f["advantage"] is None:
            rows.append([c.subject, name, ours, theirs, "—", f"not comparable ({f['why']})"])
            continue
        rows.append([c.subject, name, ours, theirs, f"{f['ours_over_theirs']:.3f}", _advantage(c, f["advantage"])])
    return _table(header, rows)


def _advantage(c: Comparison, advantage: float) -> str:
    """"4.00x faster" — or, when we are behind, "1.10x slower" rather than "0.91x faster"."""
    if c.higher_is_better:
        return f"{advantage:.2f}x the throughput"
    ahead, behind = ("faster", "slower") if c.metric == "seconds" else ("lower", "higher")
    return f"{advantage:.2f}x {ahead}" if advantage >= 1 else f"{1 / advantage:.2f}x {behind}"


def _target_row(t: TargetResult) -> list[str]:
    verdict = "not measured" if t.passed is None else ("**PASS**" if t.passed else "**FAIL**")
    return [t.name, t.goal, t.measured, verdict]


def _extra_table(t: Table) -> list[str]:
    return [f"**{t.title}**", "", *_table(t.header, t.rows), ""]


def render_markdown(report: Report) -> str:
    lines = [
        "# connectorgen benchmark",
        "",
        f"Every figure is the minimum and median of {report.runs} runs, each a whole process (wall time by "
        "`time.perf_counter` around spawn → exit; peak RSS of the process, from a small wrapper that forks it) or, for the mocks, "
        "a whole load run. Competing tools run interleaved in the same run, so ratios compare like with like. "
        "Targets are judged on medians.",
        "",
        "## Environment",
        "",
        *_table(["", ""], [[k, v] for k, v in report.environment.items()]),
        "",
        "## Targets",
        "",
        *_table(["target", "goal", "measured (median)", "result"], [_target_row(t) for s in report.sections for t in s.targets]),
        "",
    ]
    for section in report.sections:
        lines += [f"## {section.title}", ""]
        if section.status == "skipped":
            lines += [f"skipped: {section.reason}", ""]
        if section.measurements:
            lines += [*_measurement_lines(section), ""]
        if section.comparisons:
            lines += [*_comparison_lines(section), ""]
        for table in section.tables:
            lines += _extra_table(table)
        lines += [f"- {note}" for note in section.notes]
        if section.notes:
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _measurement_json(m: Measurement) -> dict[str, Any]:
    data = asdict(m)
    data["summary"] = {k: asdict(s) for k in m.metrics if (s := m.stat(k))}
    return data


def render_json(report: Report) -> str:
    sections = []
    for s in report.sections:
        data = asdict(s)
        data["measurements"] = [_measurement_json(m) for m in s.measurements]
        data["comparisons"] = [{**asdict(c), **comparison_figures(s, c)} for c in s.comparisons]
        sections.append(data)
    document = {"runs": report.runs, "environment": report.environment, "sections": sections}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
