"""`python -m bench [--only convert,postman,...] [--runs N]`: run the sections, print one progress
line per measurement, write build/bench/report.md and report.json (also after a failing section)."""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path

from bench.acceptance import acceptance_section
from bench.env import REPO, Context, compile_bytecode, connectorgen_command, environment_info
from bench.model import Report, Section
from bench.report import render_json, render_markdown
from bench.sections import SECTIONS, section_runner

__all__ = ["main", "parse_args", "run"]


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--only", default=",".join(SECTIONS), help=f"comma-separated sections (default: {','.join(SECTIONS)})")
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (default 5, at least 1)")
    parser.add_argument("--out", type=Path, default=REPO / "build" / "bench", help="report folder (default build/bench)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds before one process is killed (default 600)")
    parser.add_argument("--requests", type=int, default=5000, help="requests per mock load run (default 5000)")
    parser.add_argument("--concurrency", type=int, default=50, help="concurrent mock clients (default 50)")
    parser.add_argument("--sizes", default="10,100,1000,10000", help="operations of the synthetic specs (default 10,100,1000,10000)")
    parser.add_argument("--no-scaling-js", action="store_true", help="scaling: run only connectorgen, not the JS tools")
    args = parser.parse_args(argv)
    args.sections = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = [s for s in args.sections if s not in SECTIONS]
    if unknown:
        parser.error(f"unknown section(s) {', '.join(unknown)}; choose from {', '.join(SECTIONS)}")
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    try:
        args.size_list = tuple(sorted({int(x) for x in args.sizes.split(",") if x.strip()}))
    except ValueError:
        parser.error("--sizes takes comma-separated integers")
    return args


def _progress(line: str) -> None:
    print(line, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    ctx = Context(
        repo=REPO,
        out=out,
        runs=args.runs,
        timeout=args.timeout,
        connectorgen=connectorgen_command(),
        progress=_progress,
        requests=args.requests,
        concurrency=args.concurrency,
        scaling_sizes=args.size_list,
        scaling_js=not args.no_scaling_js,
    )
    report = Report(runs=args.runs, environment=environment_info(REPO))
    report.environment["connectorgen bytecode"] = compile_bytecode(REPO)
    started = time.perf_counter()
    for name in args.sections:
        _progress(f"== {name}")
        try:
            section = section_runner(name)(ctx)
        except Exception as exc:  # a broken section must not lose the others' figures
            traceback.print_exc()
            section = Section(name, name, status="skipped", reason=f"the bench itself failed: {type(exc).__name__}: {exc}")
        report.sections.append(section)
        # written after every section so an interrupted run still leaves a report
        _write(out, report)
    elapsed = time.perf_counter() - started
    report.environment["bench duration (sections run)"] = f"{elapsed:.0f} s ({', '.join(args.sections)})"
    report.sections.insert(0, acceptance_section(report))
    _write(out, report)
    _progress(f"done in {elapsed:.0f} s: {out / 'report.md'}, {out / 'report.json'}")
    return 0


def _write(out: Path, report: Report) -> None:
    (out / "report.md").write_text(render_markdown(report), encoding="utf-8")
    (out / "report.json").write_text(render_json(report), encoding="utf-8")


def run() -> None:
    sys.exit(main())
