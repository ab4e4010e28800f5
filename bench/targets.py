"""The issue's targets as pass/fail rows. Medians decide (minimums flatter on a busy machine); a
target whose inputs could not be measured is reported as not measured, never as passed."""

from __future__ import annotations

from bench.model import Measurement, TargetResult

__all__ = ["at_least", "below", "faster_by", "unavailable"]


def unavailable(name: str, goal: str, why: str) -> TargetResult:
    return TargetResult(name, goal, f"not measured ({why})", None)


def faster_by(name: str, factor: float, ours: Measurement | None, theirs: Measurement | None) -> TargetResult:
    goal = f"≥ {factor:g}x faster"
    a = ours.stat("seconds") if ours else None
    b = theirs.stat("seconds") if theirs else None
    if a is None or b is None:
        who = "ours" if a is None else "theirs"
        m = ours if a is None else theirs
        return unavailable(name, goal, f"{who} {m.status if m else 'missing'}")
    speedup = b.median / a.median
    return TargetResult(name, goal, f"{speedup:.2f}x ({a.median:.3f} s vs {b.median:.3f} s)", speedup >= factor)


def below(name: str, limit: float, value: float | None, unit: str, inclusive: bool = False) -> TargetResult:
    goal = f"{'≤' if inclusive else '<'} {limit:.3g}{unit}"
    if value is None:
        return unavailable(name, goal, "no value")
    passed = value <= limit if inclusive else value < limit
    return TargetResult(name, goal, f"{value:.3g}{unit}", passed)


def at_least(name: str, limit: float, value: float | None, unit: str) -> TargetResult:
    goal = f"≥ {limit:.3g}{unit}"
    if value is None:
        return unavailable(name, goal, "no value")
    return TargetResult(name, goal, f"{value:.3g}{unit}", value >= limit)
