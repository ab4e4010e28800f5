"""`connectorgen build`: every vendor and target into build/."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from generator.commands import summary
from generator.pipeline.vendors import REPO_ROOT, discover_vendors
from generator.targets import TARGET_MODULES

__all__ = ["register"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "build",
        help=summary("build"),
        description="Build Power Platform packages, Postman collections, Python models and the bundled "
        "OpenAPI document for each vendor under specs/. Unchanged vendors are skipped.",
    )
    parser.add_argument("vendors", nargs="*", metavar="VENDOR", help="vendors to build (default: all under specs/)")
    parser.add_argument(
        "--target", action="append", choices=sorted(TARGET_MODULES), help="build only this target (repeatable)"
    )
    parser.add_argument("--force", action="store_true", help="rebuild even if the inputs are unchanged")
    parser.add_argument("--quiet", "-q", action="store_true", help="print problems only")
    parser.add_argument("--jobs", "-j", type=int, default=0, help="parallel vendor builds (default: cores)")
    parser.add_argument("--specs", type=Path, default=REPO_ROOT / "specs", help="specs folder (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=Path("build"), help="output folder (default: build)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from generator.pipeline.build import BuildRequest, run_build
    from generator.util.templates import TEMPLATES_DIR

    available = discover_vendors(args.specs)
    vendors = args.vendors or available
    unknown = [v for v in vendors if v not in available]
    if unknown:
        print(f"connectorgen build: unknown vendor(s) {', '.join(unknown)}; known: {', '.join(available) or 'none'}")
        return 2
    request = BuildRequest(
        specs_dir=args.specs,
        build_dir=args.out,
        templates_dir=TEMPLATES_DIR,
        vendors=tuple(vendors),
        targets=tuple(args.target or TARGET_MODULES),
        force=args.force,
        jobs=args.jobs,
        quiet=args.quiet,
    )
    return run_build(request)
