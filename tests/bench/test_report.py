import json

from bench.model import Comparison, Measurement, Report, Section, Table
from bench.report import comparison_figures, render_json, render_markdown
from bench.targets import at_least, below, faster_by, unavailable


def _measured(subject: str, tool: str, seconds: list[float], rss: list[float] | None = None) -> Measurement:
    m = Measurement(subject, tool)
    for s in seconds:
        m.add("seconds", s)
    for r in rss or [10.0] * len(seconds):
        m.add("max_rss_mb", r)
    return m


def _report() -> Report:
    ours = _measured("big doc", "connectorgen", [0.5, 0.4, 0.6])
    theirs = _measured("big doc", "jstool", [2.0, 1.8, 2.2], [120.0, 121.0, 119.0])
    theirs.info["validation errors"] = 12
    failed = Measurement("v31 doc", "jstool", status="failed", reason="exit 2: Unsupported version | bad")
    ok31 = _measured("v31 doc", "connectorgen", [0.3])
    convert = Section("convert", "convert: ours vs theirs", measurements=[ours, theirs, ok31, failed])
    convert.comparisons = [Comparison("big doc", "seconds", "connectorgen", "jstool"),
                           Comparison("v31 doc", "seconds", "connectorgen", "jstool")]
    convert.targets = [faster_by("convert: big doc", 5, ours, theirs)]
    convert.tables = [Table("Growth", ["tool", "exponent"], [["connectorgen", "1.02"]])]
    convert.notes = ["a note"]
    skipped = Section("mock", "mock throughput", status="skipped", reason="`connectorgen mock` is not available yet")
    skipped.targets = [unavailable("mock: throughput", "≥ 3x", skipped.reason)]
    return Report(runs=3, environment={"python": "3.11"}, sections=[convert, skipped])


def test_markdown_shows_absolute_figures_and_ratio_side_by_side() -> None:
    text = render_markdown(_report())
    assert "0.400 s / 0.500 s" in text  # ours: min / median
    assert "1.800 s / 2.000 s" in text  # theirs
    assert "| 0.250 | 4.00x faster |" in text  # ours ÷ theirs, theirs ÷ ours
    assert "connectorgen: 0.500 s" in text and "jstool: 2.000 s" in text
    assert "minimum and median of 3 runs" in text


def test_markdown_reports_failures_skips_and_targets() -> None:
    text = render_markdown(_report())
    assert "**failed**: exit 2: Unsupported version \\| bad" in text  # pipe escaped inside a table
    assert "not comparable (jstool failed)" in text
    assert "skipped: `connectorgen mock` is not available yet" in text
    assert "| convert: big doc | ≥ 5x faster | 4.00x (0.500 s vs 2.000 s) | **FAIL** |" in text
    assert "| mock: throughput | ≥ 3x | not measured (`connectorgen mock` is not available yet) | not measured |" in text
    assert "validation errors: 12" in text
    assert "**Growth**" in text and "- a note" in text


def test_json_carries_summaries_and_comparison_figures() -> None:
    data = json.loads(render_json(_report()))
    convert = data["sections"][0]
    assert convert["measurements"][0]["summary"]["seconds"]["median"] == 0.5
    assert convert["measurements"][3]["summary"] == {}
    big = convert["comparisons"][0]
    assert big["ours_over_theirs"] == 0.25 and big["advantage"] == 4.0
    assert convert["comparisons"][1]["advantage"] is None
    assert data["sections"][1]["status"] == "skipped"
    assert data["sections"][0]["targets"][0]["passed"] is False


def test_higher_is_better_comparison_divides_ours_by_theirs() -> None:
    ours, theirs = Measurement("load", "ours"), Measurement("load", "prism")
    for v in (900.0, 1000.0, 1100.0):
        ours.add("rps", v)
    for v in (250.0, 300.0, 200.0):
        theirs.add("rps", 250.0 if v == 250.0 else v)
    section = Section("mock", "mock", measurements=[ours, theirs])
    figures = comparison_figures(section, Comparison("load", "rps", "ours", "prism", higher_is_better=True))
    assert figures["advantage"] == 4.0
    section.comparisons = [Comparison("load", "rps", "ours", "prism", higher_is_better=True)]
    assert "4.00x the throughput" in render_markdown(Report(1, {}, [section]))


def test_targets_pass_fail_and_unmeasured() -> None:
    fast, slow = Measurement("d", "ours"), Measurement("d", "theirs")
    fast.add("seconds", 0.1)
    slow.add("seconds", 1.0)
    assert faster_by("t", 5, fast, slow).passed is True
    assert faster_by("t", 5, slow, fast).passed is False
    assert faster_by("t", 5, fast, Measurement("d", "theirs", status="failed")).passed is None
    assert faster_by("t", 5, None, slow).passed is None
    assert below("t", 1.1, 1.1, "", inclusive=True).passed is True
    assert below("t", 500, 500.0, " MB").passed is False
    assert below("t", 0.5, None, " s").passed is None
    assert at_least("t", 3, 3.2, "x").passed is True
    assert at_least("t", 3, 2.9, "x").passed is False


def test_behind_is_reported_as_slower_not_as_a_fraction_faster() -> None:
    ours, theirs = Measurement("d", "ours"), Measurement("d", "theirs")
    ours.add("seconds", 1.1)
    theirs.add("seconds", 1.0)
    section = Section("s", "s", measurements=[ours, theirs], comparisons=[Comparison("d", "seconds", "ours", "theirs")])
    assert "| 1.100 | 1.10x slower |" in render_markdown(Report(1, {}, [section]))
