"""`connectorgen` command line. Problems are printed once, by the command; bad input exits 2 without
a traceback (set CONNECTORGEN_DEBUG=1 to see one for internal errors)."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from generator import __version__
from generator.commands import COMMANDS
from generator.problems import ProblemError, format_text

__all__ = ["main"]


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser; of the commands only the one named in `argv` is imported and fully registered
    (all of them when none is named, e.g. for `--help`): the others appear with their summary."""
    parser = argparse.ArgumentParser(
        prog="connectorgen",
        description=(
            "Generate Power Platform connectors, Postman collections, typed Python models and "
            "stateful mock servers from curated OpenAPI specs."
        ),
    )
    parser.add_argument("--version", action="version", version=f"connectorgen {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    chosen = _command_named(sys.argv[1:] if argv is None else argv)
    for name, (module_name, summary) in COMMANDS.items():
        if chosen in (None, name):
            importlib.import_module(module_name).register(subparsers)
        else:
            subparsers.add_parser(name, help=summary)
    return parser


def _command_named(argv: Sequence[str]) -> str | None:
    # The top-level parser takes no option with a value, so the first word is the command.
    first = next((arg for arg in argv if not arg.startswith("-")), None)
    return first if first in COMMANDS else None


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        code: int = args.func(args)
        return code
    except ProblemError as exc:
        sys.stderr.write(format_text(exc.problems))
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:
        if os.environ.get("CONNECTORGEN_DEBUG"):
            raise
        sys.stderr.write(
            f"connectorgen: internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in connectorgen; rerun with CONNECTORGEN_DEBUG=1 for details.\n"
        )
        return 70


def run() -> None:
    """The `connectorgen` script: the process is the command's own, so a batch command may end it
    without freeing what it built (`commands/_gc.py`)."""
    from generator.commands._gc import enable_quick_exit, exit_now

    enable_quick_exit()
    exit_now(main())
