"""`connectorgen lint`: offline certification checks of a Power Platform connector package."""

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
        usage="%(prog)s [-h] [--format {text,json}] PATH\n       %(prog)s --list-rules",
        description="Check a connector package folder (apiDefinition.swagger.json, apiProperties.json, settings.json, "
        "icon.png, script.csx, readme.md) or a single apiDefinition file: Swagger 2.0 validity, Microsoft's schemas "
        "and the certification checklist. Exit 0 clean, 1 findings (errors or warnings), 2 unusable input.",
    )
    parser.add_argument(
        "path", type=Path, nargs="?", metavar="PATH", help="package folder or apiDefinition.swagger.json"
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--list-rules", action="store_true", help="list the rules and exit")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from generator.lint.registry import RULES
    from generator.lint.runner import lint_path, load_rules
    from generator.problems import Level, format_json, format_text

    if args.list_rules:
        load_rules()
        for code, rule in RULES.items():
            print(f"{code:52} {rule.level.value:7} {rule.summary}")
        return 0
    if args.path is None:
        sys.stderr.write("connectorgen lint: give a package folder or an apiDefinition.swagger.json\n")
        return 2
    problems = lint_path(args.path)  # ProblemError (unusable input) is printed by the CLI, exit 2
    if args.format == "json":
        sys.stdout.write(format_json(problems))
    elif problems:
        sys.stdout.write(format_text(problems))
    else:
        print(f"{args.path}: no findings")
    return 1 if any(p.level in (Level.ERROR, Level.WARNING) for p in problems) else 0
