"""`python -m bench.rerender [REPORT_JSON]`: write report.md and report.json again from a report.json
(default build/bench/report.json) with the current tables and issue 20's acceptance, recomputed from
the figures already measured. No process is run: the figures stay those of the one run."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from bench.acceptance import acceptance_section, growth_table, ratio_table, size_subject
from bench.env import REPO
from bench.model import Comparison, Measurement, Report, Section, Table, TargetResult
from bench.report import render_json, render_markdown

__all__ = ["load_report", "main", "rerender"]


def _section(data: dict[str, Any]) -> Section:
    section = Section(data["name"], data["title"], data.get("status", "ok"), data.get("reason", ""))
    for m in data.get("measurements", []):
        section.measurements.append(Measurement(m["subject"], m["tool"], m["status"], m["reason"], m["command"],
                                                {k: list(v) for k, v in m["metrics"].items()}, dict(m["info"])))
    section.comparisons = [Comparison(c["subject"], c["metric"], c["ours"], c["theirs"], c["higher_is_better"])
                           for c in data.get("comparisons", [])]
    section.tables = [Table(t["title"], t["header"], t["rows"]) for t in data.get("tables", [])]
    section.targets = [TargetResult(t["name"], t["goal"], t["measured"], t["passed"]) for t in data.get("targets", [])]
    section.notes = list(data.get("notes", []))
    return section


def load_report(path: Path) -> Report:
    data = json.loads(path.read_text(encoding="utf-8"))
    return Report(data["runs"], dict(data["environment"]), [_section(s) for s in data["sections"]])


def rerender(report: Report) -> Report:
    """The report with the scaling section's ratio and growth tables and the acceptance section
    computed again (the sizes are those the run measured)."""
    sections = [s for s in report.sections if s.name != "acceptance"]
    for s in sections:
        if s.name != "scaling":
            continue
        sizes = tuple(sorted({int(m.subject.split()[0].replace(",", "")) for m in s.measurements} - {1}))
        tools = list(dict.fromkeys(m.tool for m in s.measurements))
        kept = [t for t in s.tables if not t.title.startswith(("Ratio against", "Growth"))]
        s.tables = [*kept, ratio_table(s, sizes), growth_table(s, tools, sizes, size_subject(1))]
    fresh = Report(report.runs, report.environment, sections)
    fresh.sections.insert(0, acceptance_section(fresh))
    return fresh


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else REPO / "build" / "bench" / "report.json"
    report = rerender(load_report(path))
    path.with_name("report.md").write_text(render_markdown(report), encoding="utf-8")
    path.write_text(render_json(report), encoding="utf-8")
    print(f"rewritten: {path.with_name('report.md')}, {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
