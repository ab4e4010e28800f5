import math

import pytest
from bench.stats import growth_exponent, percentile, ratio, summarize


def test_summarize_reports_min_median_max_and_count() -> None:
    stat = summarize([3.0, 1.0, 2.0, 10.0])
    assert (stat.min, stat.median, stat.max, stat.n) == (1.0, 2.5, 10.0, 4)
    assert summarize([5.0]).median == 5.0


def test_summarize_rejects_no_values() -> None:
    with pytest.raises(ValueError):
        summarize([])


def test_percentile_is_nearest_rank() -> None:
    values = [float(v) for v in range(100, 0, -1)]  # unsorted on purpose
    assert percentile(values, 50) == 50.0
    assert percentile(values, 99) == 99.0
    assert percentile(values, 100) == 100.0
    assert percentile(values, 0) == 1.0
    assert percentile([7.0], 99) == 7.0
    assert percentile([1.0, 2.0, 3.0], 50) == 2.0


@pytest.mark.parametrize("q", [-1, 100.5])
def test_percentile_rejects_out_of_range(q: float) -> None:
    with pytest.raises(ValueError):
        percentile([1.0], q)


def test_percentile_rejects_no_values() -> None:
    with pytest.raises(ValueError):
        percentile([], 50)


@pytest.mark.parametrize("k", [0.5, 1.0, 1.1, 2.0])
def test_growth_exponent_recovers_a_power_law(k: float) -> None:
    sizes = [100, 1000, 10000]
    assert growth_exponent(sizes, [3.0 * n**k for n in sizes]) == pytest.approx(k)
    assert growth_exponent(sizes[1:], [3.0 * n**k for n in sizes[1:]]) == pytest.approx(k)


def test_growth_exponent_is_least_squares_over_noisy_points() -> None:
    # log10 sizes 2, 3, 4; log10 values 0, 1, 3 -> slope (0*-1 + 1*0 + 3*1... ) = 1.5
    sizes, values = [100, 1000, 10000], [1.0, 10.0, 1000.0]
    assert growth_exponent(sizes, values) == pytest.approx(1.5)


def test_growth_exponent_undefined_cases() -> None:
    assert growth_exponent([1000], [1.0]) is None
    assert growth_exponent([1000, 1000], [1.0, 2.0]) is None
    assert growth_exponent([100, 1000], [0.0, 1.0]) is None
    with pytest.raises(ValueError):
        growth_exponent([1, 2], [1.0])


def test_ratio() -> None:
    assert ratio(1.0, 4.0) == 0.25
    assert ratio(1.0, 0.0) is None
    assert not math.isnan(ratio(0.0, 1.0) or 0.0)
