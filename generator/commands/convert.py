"""`connectorgen convert`: any OpenAPI 3.0/3.1 document → Swagger 2.0, with a loss report."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from generator.commands import summary

__all__ = ["register"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "convert",
        help=summary("convert"),
        description="Convert an OpenAPI 3.0/3.1 document (YAML or JSON, $refs to other files followed) to one "
        "Swagger 2.0 JSON document. Everything Swagger 2.0 cannot express is reported with its JSON pointer. "
        "The report goes to stderr (with --format json: to stdout when -o is given, else to stderr). "
        "Exit 0 done, 1 warnings with --strict, 2 unusable input.",
    )
    parser.add_argument("spec", type=Path, metavar="SPEC", help="OpenAPI 3.0/3.1 document")
    parser.add_argument("-o", "--output", type=Path, help="write the Swagger 2.0 JSON here (default: stdout)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when the report has warnings")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="loss report format")
    parser.add_argument(
        "--validate-input",
        action="store_true",
        help="also validate the input with openapi-spec-validator (slower)",
    )
    pp = parser.add_argument_group("Power Platform")
    pp.add_argument(
        "--powerplatform",
        action="store_true",
        help="Power Platform connector definition (x-ms-* extensions, PP limits)",
    )
    pp.add_argument(
        "--server", type=int, default=0, metavar="INDEX", help="servers entry for host/basePath (default 0)"
    )
    pp.add_argument(
        "--server-url", default="", metavar="URL", help="use this URL instead of the spec's servers"
    )
    pp.add_argument("--title", default="", help="info.title override")
    pp.add_argument("--description", default="", help="info.description override")
    for level in ("internal", "advanced", "important"):
        pp.add_argument(
            f"--{level}",
            action="append",
            default=[],
            metavar="OPERATION_ID",
            help=f"x-ms-visibility {level} (repeatable)",
        )
    pp.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="OPERATION_ID",
        help="leave this operation out (repeatable)",
    )
    pp.add_argument(
        "--no-x-ms-summary", action="store_true", help="no x-ms-summary on parameters and properties"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from generator.convert.load import load_input
    from generator.problems import Level, Problem, ProblemError, format_json, format_text

    try:
        source = load_input(args.spec, validate=args.validate_input)
    except ProblemError:
        raise  # printed by the CLI, exit 2
    except RecursionError:
        sys.stderr.write(f"connectorgen convert: {args.spec}: document is nested too deeply to convert\n")
        return 2
    except (TypeError, ValueError, AttributeError, KeyError) as exc:
        if os.environ.get("CONNECTORGEN_DEBUG"):
            raise
        sys.stderr.write(
            f"connectorgen convert: {args.spec}: document structure not understood ({type(exc).__name__}: {exc})\n"
        )
        return 2

    from generator.convert import ConvertOptions, convert
    from generator.convert.profile import SWAGGER
    from generator.util.jsonio import dump_json

    visibility = {op: level for level in ("important", "advanced", "internal") for op in getattr(args, level)}
    profile = SWAGGER
    if args.powerplatform:
        from generator.targets.powerplatform.profile import POWERPLATFORM as profile
    options = ConvertOptions(
        profile=profile,
        server_index=args.server,
        server_url=args.server_url,
        title=args.title,
        description=args.description,
        exclude_operations=frozenset(args.exclude),
        operation_visibility=visibility,  # type: ignore[arg-type]
        x_ms_summary=not args.no_x_ms_summary,
    )
    try:
        result = convert(source.api, options)
    except RecursionError:
        sys.stderr.write(f"connectorgen convert: {args.spec}: schemas are nested too deeply to convert\n")
        return 2
    problems: list[Problem] = [p for p in source.problems if p.level is not Level.ERROR]
    problems += [source.relocate(p) for p in result.losses]
    text = dump_json(result.swagger)  # same bytes as generator.util.jsonio.dump_json
    if args.output:
        from generator.util.jsonio import write_text

        write_text(args.output, text)
    else:
        sys.stdout.write(text)
    if args.format == "json":
        (sys.stdout if args.output else sys.stderr).write(format_json(problems))
    elif problems:
        sys.stderr.write(format_text(problems))
    if args.strict and any(p.level in (Level.WARNING, Level.ERROR) for p in problems):
        return 1
    return 0
