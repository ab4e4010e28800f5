"""`connectorgen postman SPEC [-o OUT]`: a Postman v2.1 collection and environments from any
OpenAPI 3.0/3.1 document (not only the curated specs)."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

from generator.commands import summary

__all__ = ["register", "slug_for"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "postman",
        help=summary("postman"),
        description="Convert an OpenAPI 3.0 or 3.1 document (YAML or JSON) into a Postman v2.1 collection with "
        "example bodies from the spec, collection-level auth with declared variables, tests on every request "
        "(status and response schema), and one environment per server plus a local mock. Output is "
        "deterministic. Exit 0 when written, 2 when the document is unusable.",
    )
    parser.add_argument("spec", type=Path, metavar="SPEC", help="OpenAPI document (.yaml, .yml or .json)")
    parser.add_argument("-o", "--out", type=Path, help="output folder (default: ./<slug>-postman/)")
    parser.add_argument("--name", help="file name stem (default: derived from info.title)")
    parser.add_argument("--mock-url", default=None, help="baseUrl of the mock environment (default: http://127.0.0.1:4010)")
    parser.add_argument("--verbose", "-v", action="store_true", help="list every warning about the document")
    parser.set_defaults(func=run)


def slug_for(title: str, fallback: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60].strip("-")
    return slug or re.sub(r"[^a-z0-9]+", "-", fallback.lower()).strip("-") or "api"


def run(args: argparse.Namespace) -> int:
    from generator.problems import Level, format_text
    from generator.spec.loader import load_spec
    from generator.targets.postman import write_postman
    from generator.targets.postman.environments import DEFAULT_MOCK_URL

    if not args.spec.is_file():
        sys.stderr.write(f"connectorgen postman: {args.spec}: no such file\n")
        return 2
    loaded = load_spec(args.spec, strict=False, validate=False, locate=args.verbose, rules=args.verbose)  # ProblemError → exit 2 in cli.main
    api = loaded.api
    slug = args.name or slug_for(api.title, args.spec.stem)
    out: Path = args.out or Path(f"{slug}-postman")
    files, problems = write_postman(api, slug, out, mock_url=args.mock_url or DEFAULT_MOCK_URL)
    problems = loaded.problems + problems
    errors = [p for p in problems if p.level is Level.ERROR]
    if errors or args.verbose:
        sys.stderr.write(format_text(problems if args.verbose else errors))
    elif problems:
        sys.stderr.write(f"{len(problems)} warning(s) about the document (use --verbose to list them)\n")
    for path in files:
        print(path)
    return 1 if errors else 0
