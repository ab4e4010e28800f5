"""`connectorgen postman SPEC [-o OUT]`: a Postman v2.1 collection and environments from any
OpenAPI 3.0/3.1 document (not only the curated specs)."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

from generator.commands import summary
from generator.commands._gc import keep_until_exit, without_cyclic_gc
from generator.commands._options import add_ref_options

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
    add_ref_options(parser)
    parser.set_defaults(func=run)


def slug_for(title: str, fallback: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60].strip("-")
    return slug or re.sub(r"[^a-z0-9]+", "-", fallback.lower()).strip("-") or "api"


@without_cyclic_gc  # its objects all live to the end (commands/_gc.py)
def run(args: argparse.Namespace) -> int:
    from generator.problems import Level, format_text
    from generator.spec.loader import STRUCTURE_ERRORS, api_of, load_spec, structure_error
    from generator.spec.source import InputLimits
    from generator.targets.postman import build_postman
    from generator.targets.postman.environments import DEFAULT_MOCK_URL
    from generator.util.fsio import OutputError, check_output_file, write_bytes_atomic
    from generator.util.jsonio import dump_json_bytes

    if args.out is not None and args.out.exists() and not args.out.is_dir():
        sys.stderr.write(f"connectorgen postman: -o {args.out}: is a file; give a folder for the collection and environments\n")
        return 2
    limits = InputLimits.from_env(tuple(args.ref_root), args.allow_remote_refs)
    # ProblemError → exit 2 in cli.main
    loaded = load_spec(args.spec, strict=False, validate=False, locate=args.verbose, rules=args.verbose, limits=limits)
    api = api_of(loaded)
    slug = args.name or slug_for(api.title, args.spec.stem)
    out: Path = args.out or Path(f"{slug}-postman")
    try:
        result = build_postman(api, slug, args.mock_url or DEFAULT_MOCK_URL)
    except STRUCTURE_ERRORS as exc:
        raise structure_error(loaded, exc) from None
    documents = {out / f"{slug}.postman_collection.json": result.collection}
    for name, document in result.environments.items():
        documents[out / "environments" / f"{slug}-{name}.postman_environment.json"] = document
    try:
        for path in documents:
            check_output_file(path, args.spec)
        texts = {path: dump_json_bytes(document) for path, document in documents.items()}
        for path, text in texts.items():  # each file replaced whole, or not at all
            write_bytes_atomic(path, text)
    except OutputError as exc:
        sys.stderr.write(f"connectorgen postman: {exc}\n")
        return 2
    problems = loaded.problems + result.problems
    errors = [p for p in problems if p.level is Level.ERROR]
    if errors or args.verbose:
        sys.stderr.write(format_text(problems if args.verbose else errors))
    elif problems:
        sys.stderr.write(f"{len(problems)} warning(s) about the document (use --verbose to list them)\n")
    for path in documents:
        print(path)
    keep_until_exit(loaded, api, result, texts)  # freed by the process's end (commands/_gc.py)
    return 1 if errors else 0
