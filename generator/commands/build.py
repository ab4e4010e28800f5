"""`connectorgen build`: every vendor and target into build/."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from generator.commands import summary
from generator.pipeline.vendors import discover_vendors
from generator.targets import TARGET_MODULES

__all__ = ["register"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "build",
        help=summary("build"),
        description="Build Power Platform packages, Postman collections, Python models and the bundled "
        "OpenAPI document for each vendor folder (DIR/<vendor>/openapi.yaml + connector.yaml) of --specs. "
        "Unchanged vendors are skipped. A lock on the output folder makes a second build wait (or stop "
        "with --no-wait). Exit 0 built, 2 unusable input or output.",
    )
    parser.add_argument("vendors", nargs="*", metavar="VENDOR", help="vendors to build (default: every vendor folder of --specs)")
    parser.add_argument(
        "--target", action="append", choices=sorted(TARGET_MODULES), help="build only this target (repeatable)"
    )
    parser.add_argument("--force", action="store_true", help="rebuild even if the inputs are unchanged")
    parser.add_argument("--quiet", "-q", action="store_true", help="print problems only")
    parser.add_argument("--jobs", "-j", type=int, default=0, help="parallel vendor builds (default: cores)")
    parser.add_argument(
        "--specs",
        type=Path,
        default=Path("specs"),
        metavar="DIR",
        help="folder of vendor folders (default: ./specs; `--specs bundled` builds the vendor specs shipped with connectorgen)",
    )
    parser.add_argument("--out", type=Path, default=Path("build"), metavar="DIR", help="output folder (default: ./build)")
    parser.add_argument("--no-wait", action="store_true", help="stop instead of waiting when another build holds the output folder")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from generator.pipeline.build import BuildRequest, run_build
    from generator.util.resources import specs_dir
    from generator.util.templates import TEMPLATES_DIR

    specs: Path = specs_dir() if str(args.specs) == "bundled" else args.specs
    if not specs.is_dir():
        sys.stderr.write(f"connectorgen build: no specs found: {specs} is not a folder (give --specs DIR, a folder of vendor folders)\n")
        return 2
    available = discover_vendors(specs)
    if not available:
        sys.stderr.write(
            f"connectorgen build: no specs found in {specs}: no <vendor>/openapi.yaml below it "
            "(give --specs DIR, a folder of vendor folders each with openapi.yaml and connector.yaml)\n"
        )
        return 2
    vendors = args.vendors or available
    unknown = [v for v in vendors if v not in available]
    if unknown:
        sys.stderr.write(f"connectorgen build: unknown vendor(s) {', '.join(unknown)}; known: {', '.join(available)}\n")
        return 2
    if args.out.exists() and not args.out.is_dir():
        sys.stderr.write(f"connectorgen build: --out {args.out}: is a file; give a folder for the outputs\n")
        return 2
    if args.jobs < 0:
        sys.stderr.write(f"connectorgen build: --jobs must be 0 (cores) or more, got {args.jobs}\n")
        return 2
    request = BuildRequest(
        specs_dir=specs,
        build_dir=args.out,
        templates_dir=TEMPLATES_DIR,
        vendors=tuple(vendors),
        targets=tuple(args.target or TARGET_MODULES),
        force=args.force,
        jobs=args.jobs,
        quiet=args.quiet,
        wait=not args.no_wait,
    )
    return run_build(request)
