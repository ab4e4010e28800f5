"""`connectorgen convert`: any OpenAPI 3.0/3.1 document → Swagger 2.0, with a loss report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from generator.commands import summary
from generator.commands._gc import keep_until_exit, without_cyclic_gc
from generator.commands._options import add_ref_options

__all__ = ["register"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "convert",
        help=summary("convert"),
        description="Convert an OpenAPI 3.0/3.1 document (YAML or JSON, $refs to other files followed) to one "
        "Swagger 2.0 JSON document. Everything Swagger 2.0 cannot express is reported with its JSON pointer. "
        "The report goes to stderr (with --format json: to stdout when -o is given, else to stderr). "
        "The input is checked with openapi-spec-validator first: a document that is not valid OpenAPI is refused "
        "with its located errors unless --lenient. Exit 0 done, 1 warnings with --strict, 2 unusable input or output.",
    )
    parser.add_argument("spec", type=Path, metavar="SPEC", help="OpenAPI 3.0/3.1 document")
    parser.add_argument("-o", "--output", type=Path, help="write the Swagger 2.0 JSON here (default: stdout)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when the report has warnings")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="loss report format")
    parser.add_argument(
        "--lenient",
        action="store_true",
        help="convert a document that is not valid OpenAPI (its validator errors become warnings; the output stays valid)",
    )
    parser.add_argument(
        "--validate-input",
        action="store_true",
        help="also apply the project's style rules to the input and report them as warnings",
    )
    add_ref_options(parser)
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


@without_cyclic_gc  # its objects all live to the end (commands/_gc.py)
def run(args: argparse.Namespace) -> int:
    from generator.problems import Level, Problem, ProblemError, format_json, format_text
    from generator.util.fsio import OutputError, check_output_file

    if args.output is not None:
        try:
            check_output_file(args.output, args.spec)
        except OutputError as exc:
            sys.stderr.write(f"connectorgen convert: {exc}\n")
            return 2
    try:
        source, loaded = _load(args)
    except ProblemError:
        raise  # printed by the CLI, exit 2
    except RecursionError:
        sys.stderr.write(f"connectorgen convert: {args.spec}: document is nested too deeply to convert\n")
        return 2

    from generator.convert import ConvertOptions, convert
    from generator.convert.profile import SWAGGER
    from generator.util.jsonio import dump_json_bytes, dump_json_text

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
    from generator.spec.loader import STRUCTURE_ERRORS, structure_error

    try:
        result = convert(source.api, options)
    except STRUCTURE_ERRORS as exc:
        raise structure_error(loaded, exc) from None
    except RecursionError:
        sys.stderr.write(f"connectorgen convert: {args.spec}: schemas are nested too deeply to convert\n")
        return 2
    problems: list[Problem] = [p for p in source.problems if p.level is not Level.ERROR]
    problems += [source.relocate(p) for p in result.losses]
    text: str | bytes
    if args.output:
        from generator.util.fsio import write_bytes_atomic

        text = dump_json_bytes(result.swagger)
        try:
            write_bytes_atomic(args.output, text)
        except OutputError as exc:
            sys.stderr.write(f"connectorgen convert: {exc}\n")
            return 2
    else:
        text = dump_json_text(result.swagger)
        sys.stdout.write(text)
    if args.format == "json":
        (sys.stdout if args.output else sys.stderr).write(format_json(problems))
    elif problems:
        sys.stderr.write(format_text(problems))
    keep_until_exit(source, loaded, result, text, problems)  # freed by the process's end (commands/_gc.py)
    if args.strict and any(p.level in (Level.WARNING, Level.ERROR) for p in problems):
        return 1
    return 0


def _load(args: argparse.Namespace) -> tuple[Any, Any]:
    """The input with its IR built; `ProblemError` (exit 2) when it is unusable or, unless
    --lenient, not valid OpenAPI."""
    from generator.convert.load import Input
    from generator.problems import Level, Problem, ProblemError
    from generator.spec.loader import api_of, load_spec
    from generator.spec.source import InputLimits

    limits = InputLimits.from_env(tuple(args.ref_root), args.allow_remote_refs)
    loaded = load_spec(
        args.spec, strict=False, validate=True, locate=True, rules=args.validate_input, limits=limits
    )
    invalid = [p for p in loaded.problems if p.code in ("openapi_invalid", "openapi_unverifiable")]
    if invalid and not args.lenient:
        note = Problem(
            Level.ERROR,
            "openapi_invalid",
            f"{len(invalid)} validator error(s): the document is not valid OpenAPI {loaded.version} (or could not be "
            "checked); fix them, or convert anyway with --lenient",
            loaded.bundle.root.display,
            1,
            1,
            "#",
        )
        raise ProblemError([note, *(_as_error(p) for p in invalid)])
    api = api_of(loaded)  # only --lenient gets a malformed document this far
    return Input(api, loaded.bundle, loaded.problems), loaded


def _as_error(problem: Any) -> Any:
    from msgspec.structs import replace

    from generator.problems import Level

    return replace(problem, level=Level.ERROR)
