"""`connectorgen validate`: load and check specs without building."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from generator.commands import summary
from generator.commands._options import add_ref_options
from generator.pipeline.vendors import discover_vendors
from generator.problems import Problem, ProblemError, format_json, format_text, has_errors

__all__ = ["register"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "validate",
        help=summary("validate"),
        description="Validate vendor folders (specs/<vendor>/: OpenAPI 3.1, project rules, connector.yaml) "
        "or standalone OpenAPI 3.0/3.1 files. Exit 0 when clean, 2 on errors.",
    )
    parser.add_argument(
        "paths", nargs="*", type=Path, metavar="PATH", help="vendor folders or spec files (default: every vendor folder of ./specs)"
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")
    add_ref_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from generator.pipeline.vendors import load_vendor
    from generator.spec.loader import load_spec
    from generator.spec.source import InputLimits

    specs_dir = Path("specs")
    paths = args.paths or [specs_dir / v for v in discover_vendors(specs_dir)]
    if not paths:
        sys.stderr.write("connectorgen validate: no specs found: give spec files or vendor folders (./specs holds no <vendor>/openapi.yaml)\n")
        return 2
    problems: list[Problem] = []
    for path in paths:
        try:
            if path.is_dir():
                problems.extend(load_vendor(path.parent, path.name).problems)
            else:
                problems.extend(load_spec(path, strict=True, limits=InputLimits.from_env(tuple(args.ref_root), args.allow_remote_refs)).problems)
        except ProblemError as exc:
            problems.extend(exc.problems)
    if args.format == "json":
        sys.stdout.write(format_json(problems))
    elif problems:
        sys.stderr.write(format_text(problems))
    if has_errors(problems):
        return 2
    if args.format == "text":
        print(f"{len(paths)} spec(s) valid")
    return 0
