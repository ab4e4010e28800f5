"""Pure statistics for the report: min/median of runs, percentiles, ratios and the log-log growth
exponent (least squares of log(value) on log(size))."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Stat", "fit_over", "growth_exponent", "percentile", "ratio", "summarize"]


@dataclass(frozen=True)
class Stat:
    min: float
    median: float
    max: float
    n: int


def summarize(values: Sequence[float]) -> Stat:
    if not values:
        raise ValueError("no values to summarize")
    return Stat(min(values), statistics.median(values), max(values), len(values))


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) — the value a fraction q of requests did not exceed."""
    if not values:
        raise ValueError("no values")
    if not 0 <= q <= 100:
        raise ValueError(f"percentile {q} out of range")
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator > 0 else None


def growth_exponent(sizes: Sequence[float], values: Sequence[float]) -> float | None:
    """Slope k of the least-squares line log(value) = k·log(size) + c: value ∝ size^k. 1 is linear.
    None when it is undefined (fewer than two distinct sizes, or a value ≤ 0)."""
    if len(sizes) != len(values):
        raise ValueError("sizes and values differ in length")
    points = [(math.log(s), math.log(v)) for s, v in zip(sizes, values, strict=True) if s > 0 and v > 0]
    if len(points) != len(sizes) or len({x for x, _ in points}) < 2:
        return None
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    sxx = sum((x - mean_x) ** 2 for x, _ in points)
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in points)
    return sxy / sxx


def fit_over(values: dict[int, float], low: int, high: int) -> tuple[float | None, tuple[int, ...]]:
    """The growth exponent of `values` (size → figure) fitted over the sizes in [low, high] only, and
    the sizes it used. None (with the sizes found) when either end of the range has no figure: a
    fit over part of the range would not be the figure asked for."""
    sizes = tuple(sorted(n for n in values if low <= n <= high))
    if len(sizes) < 2 or sizes[0] != low or sizes[-1] != high:
        return None, sizes
    return growth_exponent(sizes, [values[n] for n in sizes]), sizes
