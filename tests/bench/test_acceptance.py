"""Issue 20's acceptance computed from measurements: growth fit, ratio table, pass/fail per target."""

from __future__ import annotations

from pathlib import Path

import pytest
from bench.acceptance import (
    COMMANDS,
    LINT_SUBJECT,
    LINT_TOOL,
    acceptance_section,
    acceptance_targets,
    growth_figures,
    growth_table,
    ratio_of,
    ratio_table,
    size_subject,
    steepest_step,
)
from bench.cli import parse_args
from bench.instructions import parse_collected
from bench.model import Measurement, Report, Section, TargetResult
from bench.sections.lint import lint_check
from bench.sections.scaling import LARGE_RUNS, runs_for
from bench.series import CheckFailed
from bench.stats import fit_over

SIZES = (10, 100, 1_000, 10_000)


def _m(subject: str, tool: str, seconds: list[float], rss: float = 50.0) -> Measurement:
    m = Measurement(subject, tool)
    for s in seconds:
        m.add("seconds", s)
        m.add("max_rss_mb", rss)
    return m


def _scaling(ours_seconds: dict[int, float], peer_factor: float = 10.0, rss: float = 100.0) -> Section:
    """Ours takes `ours_seconds[n]` (3 runs around it), each peer `peer_factor` times as long."""
    section = Section("scaling", "scaling")
    for n, t in ours_seconds.items():
        for ours, peer in COMMANDS.values():
            section.measurements.append(_m(size_subject(n), ours, [t * 0.9, t, t * 1.2], rss))
            section.measurements.append(_m(size_subject(n), peer, [t * peer_factor] * 3, 2 * rss))
    return section


def _lint(seconds: float) -> Section:
    return Section("lint", "lint", measurements=[_m(LINT_SUBJECT, LINT_TOOL, [seconds])])


LINEAR = {10: 0.05, 100: 0.08, 1_000: 0.8, 10_000: 8.0}  # 100..10,000: exactly linear


def _verdicts(targets: list[TargetResult]) -> dict[str, bool | None]:
    return {t.name: t.passed for t in targets}


def test_fit_over_uses_only_the_range() -> None:
    values = {10: 5.0, 100: 1.0, 1_000: 10.0, 10_000: 100.0}  # the 10-op figure would bend a fit over all
    exponent, used = fit_over(values, 100, 10_000)
    assert used == (100, 1_000, 10_000) and exponent == pytest.approx(1.0)
    quadratic = {n: (n / 100) ** 2 for n in (100, 1_000, 10_000)}
    assert fit_over(quadratic, 100, 10_000)[0] == pytest.approx(2.0)


def test_fit_over_refuses_a_range_missing_an_end() -> None:
    assert fit_over({100: 1.0, 1_000: 10.0}, 100, 10_000) == (None, (100, 1_000))
    assert fit_over({1_000: 10.0, 10_000: 100.0}, 100, 10_000)[0] is None
    assert fit_over({}, 100, 10_000) == (None, ())


def test_steepest_step_shows_a_curve_bending_up() -> None:
    bends = {10: 1.7, 100: 2.35, 1_000: 5.5, 10_000: 150.0}  # fits as 0.9 over 100..10,000
    assert fit_over(bends, 100, 10_000)[0] == pytest.approx(0.90, abs=0.01)
    k, step = steepest_step(bends, 100, 10_000)
    assert step == (1_000, 10_000) and k == pytest.approx(1.436, abs=0.001)
    assert steepest_step({100: 1.0}, 100, 10_000) == (None, None)
    verdicts = _verdicts(acceptance_targets(Report(3, {}, [_scaling(bends)])))
    assert verdicts["issue 20: convert growth exponent (median wall, fit over 100..10,000 ops)"] is True
    assert verdicts["issue 20: convert growth exponent, steepest step between sizes (1,000..10,000 ops)"] is False


def test_growth_figures_net_of_the_fixed_cost() -> None:
    section = _scaling({1: 0.5, 100: 0.5 + 0.01, 1_000: 0.5 + 0.1, 10_000: 0.5 + 1.0})
    exponent, net, used = growth_figures(section, "connectorgen postman", SIZES, size_subject(1))
    assert used == (100, 1_000, 10_000)
    assert exponent is not None and exponent < 0.6  # start-up flatters the raw exponent
    assert net == pytest.approx(1.0)


def test_ratio_of_medians_and_minimums() -> None:
    ours = _m("x", "a", [1.0, 2.0, 4.0])
    theirs = _m("x", "b", [5.0, 12.0, 30.0])
    r = ratio_of(ours, theirs)
    assert r is not None and r.median == pytest.approx(6.0) and r.minimum == pytest.approx(5.0)
    assert ratio_of(ours, None) is None
    assert ratio_of(ours, Measurement("x", "b", status="failed", reason="exit 1")) is None


def test_ratio_table_has_a_row_per_size_and_command() -> None:
    section = _scaling({10: 0.1, 100: 0.2})
    section.measurements = [m for m in section.measurements if not (m.subject == "100 ops" and m.tool == "openapi2postmanv2")]
    section.measurements.append(_m("100 ops", "openapi2postmanv2", [0.6]))  # only 3x
    table = ratio_table(section, (10, 100, 1_000))
    rows = {(r[0], r[1]): r for r in table.rows}
    assert len(table.rows) == 6
    assert rows[("10", "convert")][3:] == ["api-spec-converter", "1.000 / 1.000 s", "10.00x", "11.11x", "yes"]
    assert rows[("100", "postman")][5:] == ["3.00x", "3.33x", "**no**"]
    assert rows[("1,000", "convert")][2] == "—" and rows[("1,000", "convert")][7] == "not measured"


def test_growth_table_reports_exponent_and_memory() -> None:
    section = _scaling(LINEAR, rss=120.0)
    table = growth_table(section, ["connectorgen convert"], SIZES, None)
    row = table.rows[0]
    assert row[0] == "connectorgen convert" and row[1] == "0.045 / 0.050 s, 120 MB"
    assert row[-4:-2] == ["1.00", "—"] and row[-2].startswith("1.00 (") and row[-1] == "0.00"  # linear: every step 1
    assert "100..10,000" in table.title


def test_all_targets_pass_on_good_figures() -> None:
    report = Report(runs=3, environment={}, sections=[_scaling(LINEAR), _lint(30.0)])
    targets = acceptance_targets(report)
    assert len(targets) == 2 * 4 + 2 * 2 + 2 + 1 + 1
    assert all(t.passed is True for t in targets), [t for t in targets if not t.passed]


def test_each_target_can_fail() -> None:
    slow_small = {**LINEAR, 10: 0.2}  # convert of 10 ops over 0.1 s; every peer only 4x as slow
    report = Report(runs=3, environment={}, sections=[_scaling(slow_small, peer_factor=4.0, rss=600.0), _lint(61.0)])
    verdicts = _verdicts(acceptance_targets(report))
    assert verdicts["issue 20: convert vs api-spec-converter at 1,000 ops"] is False  # 4x < 5x
    assert verdicts["issue 20: postman vs openapi2postmanv2 at 10 ops"] is False
    assert verdicts["issue 20: convert peak memory at 10,000 ops"] is False  # 600 MB
    assert verdicts["issue 20: convert of a 10-operation document (median wall)"] is False
    assert verdicts["issue 20: lint of the calibration sample in one command (median wall)"] is False
    quadratic = {n: 1e-5 * n**1.5 for n in SIZES}
    verdicts = _verdicts(acceptance_targets(Report(3, {}, [_scaling(quadratic), _lint(1.0)])))
    assert verdicts["issue 20: postman growth exponent (median wall, fit over 100..10,000 ops)"] is False
    assert verdicts["issue 20: convert growth exponent (median wall, fit over 100..10,000 ops)"] is False


def test_unmeasured_targets_are_never_passed() -> None:
    partial = _scaling({10: 0.05, 100: 0.08})  # no 1,000 or 10,000 run
    partial.measurements = [m for m in partial.measurements if m.tool != "api-spec-converter"]
    targets = acceptance_targets(Report(3, {}, [partial]))
    verdicts = _verdicts(targets)
    assert verdicts["issue 20: convert vs api-spec-converter at 10 ops"] is None
    assert verdicts["issue 20: postman vs openapi2postmanv2 at 10 ops"] is True
    assert verdicts["issue 20: postman vs openapi2postmanv2 at 10,000 ops"] is None
    assert verdicts["issue 20: postman growth exponent (median wall, fit over 100..10,000 ops)"] is None
    assert verdicts["issue 20: lint of the calibration sample in one command (median wall)"] is None
    empty = acceptance_targets(Report(3, {}, []))
    assert all(t.passed is None for t in empty)
    section = acceptance_section(Report(3, {}, [partial]))
    assert section.notes[0].startswith("3 of 16 targets pass, 0 fail, 13 not measured")


def test_lint_check_reads_the_summary(tmp_path: Path) -> None:
    out = tmp_path / "summary.txt"
    out.write_text("Rule  level  n\n\n121 package(s): 119 without errors (98.3 %), 0 unreadable\n", encoding="utf-8")
    assert lint_check(out) == {"packages": 121, "without errors": 119, "unreadable": 0}
    out.write_text("0 package(s): 0 without errors (0.0 %), 0 unreadable\n", encoding="utf-8")
    with pytest.raises(CheckFailed):
        lint_check(out)
    with pytest.raises(CheckFailed):
        lint_check(tmp_path / "missing.txt")


def test_runs_per_size_and_default_sizes() -> None:
    assert runs_for(10, 5) == 5 and runs_for(1_000, 5) == 5
    assert runs_for(10_000, 5) == LARGE_RUNS and runs_for(10_000, 1) == 1
    assert parse_args([]).size_list == SIZES


def test_parse_collected_reads_callgrinds_count() -> None:
    stderr = "==812== Callgrind, a call-graph generating cache profiler\n==812== Events    : Ir\n==812== Collected : 312748160\n==812==\n==812== I   refs:      312,748,160\n"
    assert parse_collected(stderr) == 312_748_160
    assert parse_collected("valgrind: command not found\n") is None


def test_rerender_recomputes_tables_and_acceptance_from_a_report_json(tmp_path: Path) -> None:
    from bench.report import render_json
    from bench.rerender import load_report, rerender

    old = Report(3, {"python": "3.11"}, [Section("acceptance", "stale"), _scaling({1: 0.04, **LINEAR}), _lint(30.0)])
    path = tmp_path / "report.json"
    path.write_text(render_json(old), encoding="utf-8")
    fresh = rerender(load_report(path))
    assert [s.name for s in fresh.sections] == ["acceptance", "scaling", "lint"]
    assert all(t.passed is True for t in fresh.sections[0].targets) and len(fresh.sections[0].targets) == 16
    titles = [t.title for t in fresh.sections[1].tables]
    assert titles[0].startswith("Ratio against") and titles[1].startswith("Growth")
    assert [r[0] for r in fresh.sections[1].tables[0].rows][::2] == ["10", "100", "1,000", "10,000"]  # the 1-op baseline left out
