"""What a benchmark section produces: measurements (series of per-run metrics), comparisons between
two tools on the same subject, extra tables, and the issue's targets with pass/fail."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bench.stats import Stat, summarize

__all__ = ["Comparison", "Measurement", "Report", "Section", "Table", "TargetResult"]


@dataclass
class Measurement:
    """One tool on one subject, `metrics[name]` holding one value per run."""

    subject: str
    tool: str
    status: str = "ok"  # ok | failed | timeout | skipped
    reason: str = ""
    command: str = ""
    metrics: dict[str, list[float]] = field(default_factory=dict)
    info: dict[str, Any] = field(default_factory=dict)

    def add(self, metric: str, value: float) -> None:
        self.metrics.setdefault(metric, []).append(value)

    def stat(self, metric: str) -> Stat | None:
        values = self.metrics.get(metric)
        return summarize(values) if values and self.status == "ok" else None


@dataclass
class Comparison:
    """`ours` against `theirs` on `subject`, for one metric (both tools measured in the same run)."""

    subject: str
    metric: str
    ours: str
    theirs: str
    higher_is_better: bool = False


@dataclass
class Table:
    title: str
    header: list[str]
    rows: list[list[str]]


@dataclass
class TargetResult:
    name: str
    goal: str
    measured: str
    passed: bool | None  # None: could not be measured


@dataclass
class Section:
    name: str
    title: str
    status: str = "ok"  # ok | skipped
    reason: str = ""
    measurements: list[Measurement] = field(default_factory=list)
    comparisons: list[Comparison] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    targets: list[TargetResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def find(self, subject: str, tool: str) -> Measurement | None:
        return next((m for m in self.measurements if m.subject == subject and m.tool == tool), None)


@dataclass
class Report:
    runs: int
    environment: dict[str, str]
    sections: list[Section] = field(default_factory=list)
