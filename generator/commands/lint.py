"""`connectorgen lint`: offline certification checks of Power Platform connector packages."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from generator.commands import summary

__all__ = ["register"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "lint",
        help=summary("lint"),
        usage="%(prog)s [-h] [--format {text,json}] [--summary] PATH [PATH ...]\n       %(prog)s --list-rules",
        description="Check connector package folders (apiDefinition.swagger.json, apiProperties.json, settings.json, "
        "icon.png, script.csx, readme.md), single apiDefinition files, or folders holding packages: Swagger 2.0 "
        "validity, Microsoft's schemas, the validator's rules and the certification checklist. Several packages "
        "end with one summary table per rule. Exit 0 clean, 1 findings (errors or warnings), 2 unusable input.",
    )
    parser.add_argument(
        "paths",
        type=Path,
        nargs="*",
        metavar="PATH",
        help="package folder, apiDefinition.swagger.json, or a folder of package folders",
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument(
        "--summary", action="store_true", help="print only the per-rule summary table (text format)"
    )
    parser.add_argument(
        "--list-rules",
        action="store_true",
        help="list the rules and exit (with --format json: and their evidence)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from generator.lint.registry import RULES
    from generator.lint.report import find_packages, format_findings, format_summary, lint_many, to_json
    from generator.lint.runner import load_rules
    from generator.problems import Level

    if args.list_rules:
        load_rules()
        if args.format == "json":  # with each rule's evidence (its docstring)
            import json

            rules = [
                {
                    "code": c,
                    "level": r.level.value,
                    "summary": r.summary,
                    "microsoft": r.microsoft,
                    "evidence": r.evidence,
                }
                for c, r in RULES.items()
            ]
            sys.stdout.write(json.dumps(rules, indent=2, ensure_ascii=False) + "\n")
            return 0
        for code, rule in RULES.items():
            print(f"{code:52} {rule.level.value:7} {rule.summary}")
        return 0
    if not args.paths:
        sys.stderr.write(
            "connectorgen lint: give package folders, apiDefinition files or a folder of packages\n"
        )
        return 2
    packages, missing = find_packages(args.paths)
    if missing:
        sys.stderr.write(format_findings(missing))
    results = lint_many(packages)
    for result in results:
        if result.unreadable:  # unusable input: located on stderr, never a traceback
            sys.stderr.write(format_findings(result.problems))
    if args.format == "json":
        sys.stdout.write(to_json(results))
    else:
        if not args.summary:
            for result in results:
                if not result.unreadable:
                    sys.stdout.write(format_findings(result.problems) or f"{result.path}: no findings\n")
        if len(results) > 1 or args.summary:
            sys.stdout.write(("\n" if not args.summary else "") + format_summary(results))
        elif results and results[0].problems and not results[0].unreadable:
            problems = results[0].problems
            errors = sum(1 for p in problems if p.level is Level.ERROR)
            warnings = sum(1 for p in problems if p.level is Level.WARNING)
            print(f"\n{errors} error(s), {warnings} warning(s)")
    if missing or any(r.unreadable for r in results):
        return 2
    findings = (p for r in results for p in r.problems)
    return 1 if any(p.level in (Level.ERROR, Level.WARNING) for p in findings) else 0
