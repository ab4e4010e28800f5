"""`connectorgen import`: a published Power Platform connector → a curated spec folder."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from generator.commands import summary

__all__ = ["register"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "import",
        help=summary("import"),
        description="Import a Power Platform connector package (a folder with apiDefinition.swagger.json, "
        "apiProperties.json, script.csx, icon.png, or one apiDefinition file) into a folder with openapi.yaml "
        "(OpenAPI 3.1) and connector.yaml that `connectorgen build` turns back into the same connector. "
        "The report (everything mapped, left out or kept as published, with codes and JSON pointers) goes to "
        "stderr, or as JSON to stdout with --format json. Exit 0 done, 2 when the package cannot be imported "
        "(nothing is written then).",
    )
    parser.add_argument("source", type=Path, metavar="PACKAGE_DIR_OR_APIDEFINITION")
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="DIR", help="folder to write, e.g. specs/<name>/")
    parser.add_argument("--force", action="store_true", help="replace the spec an output folder already holds")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="report format")
    parser.add_argument("--verbose", action="store_true", help="also list the informational notes")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from generator.importer import import_connector
    from generator.problems import Level, ProblemError, format_json, format_text

    try:
        result = import_connector(args.source, args.output, force=args.force)
    except ProblemError as exc:
        if args.format == "json":
            sys.stdout.write(format_json(exc.problems))
            return 2
        raise  # printed by the CLI, exit 2
    except RecursionError:
        sys.stderr.write(f"connectorgen import: {args.source}: nested too deeply to import\n")
        return 2
    shown = result.problems if args.verbose or args.format == "json" else [p for p in result.problems if p.level is not Level.INFO]
    if args.format == "json":
        sys.stdout.write(format_json(shown))
    else:
        if shown:
            sys.stderr.write(format_text(shown))
        notes = sum(1 for p in result.problems if p.level is Level.INFO)
        print(f"imported into {result.out}: {', '.join(result.files)} ({notes} note(s); --verbose lists them)")
    return 0
