"""`connectorgen diff OLD NEW`: breaking changes between two versions of a connector; and
`connectorgen diff --record-baseline VENDOR`: record a vendor's published connector as the baseline
that `connectorgen build` checks against (generator/pipeline/baseline.py)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from generator.commands import summary

__all__ = ["register"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "diff",
        help=summary("diff"),
        description="Compare two versions of a Power Platform connector: two apiDefinition.swagger.json files, two "
        "package folders (apiProperties.json too) or two vendor spec folders (built in memory). Every change has a "
        "stable code, is classed breaking or compatible and points into both sides. Exit 0 nothing breaks, "
        "1 something breaks, 2 unusable input.",
    )
    parser.add_argument("old", type=Path, nargs="?", metavar="OLD", help="the published (old) connector")
    parser.add_argument("new", type=Path, nargs="?", metavar="NEW", help="the updated (new) connector")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--list-rules", action="store_true", help="list the rules with their evidence and exit")
    record = parser.add_argument_group(
        "recording a baseline",
        "After a release, record the published connector as specs/<vendor>/baseline/ (apiDefinition.swagger.json, "
        "apiProperties.json, SOURCE.md): what the build makes now, or the package folder given with --from. "
        "`connectorgen build` then stops on every breaking change against it that connector.yaml's "
        "`acknowledgements` (code, pointer, reason) do not cover.",
    )
    record.add_argument("--record-baseline", metavar="VENDOR", help="record the baseline of this vendor and exit")
    record.add_argument("--from", dest="source", type=Path, help="a published package folder to record instead of the build")
    record.add_argument("--note", default="", help="where the published connector comes from (for SOURCE.md)")
    record.add_argument("--specs", type=Path, default=None, help="specs folder (default: the repository's)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from generator.diff import Kind, compare, load_rules
    from generator.diff.report import format_json, format_text
    from generator.pipeline.sides import load_any_side

    if args.record_baseline:
        return run_baseline(args)
    if args.list_rules:
        for code, rule in sorted(load_rules().items()):
            print(f"{code:40} {rule.kind.value:10} {rule.summary}")
            print(f"{'':40} {rule.evidence}")
        return 0
    if args.old is None or args.new is None:
        sys.stderr.write("connectorgen diff: give OLD and NEW (apiDefinition files, package folders or spec folders)\n")
        return 2
    old, new = load_any_side(args.old), load_any_side(args.new)  # ProblemError: printed by the CLI, exit 2
    changes = compare(old, new)
    sys.stdout.write(format_json(changes, old, new) if args.format == "json" else format_text(changes, old, new))
    return 1 if any(c.kind is Kind.BREAKING for c in changes) else 0


def run_baseline(args: argparse.Namespace) -> int:
    from generator.pipeline.baseline import record_baseline
    from generator.pipeline.vendors import REPO_ROOT, discover_vendors

    specs = args.specs or REPO_ROOT / "specs"
    known = discover_vendors(specs)
    if args.record_baseline not in known:
        sys.stderr.write(f"connectorgen diff: unknown vendor {args.record_baseline!r}; known: {', '.join(known) or 'none'}\n")
        return 2
    folder = record_baseline(specs / args.record_baseline, args.source, args.note)  # ProblemError: exit 2
    print(f"recorded the baseline of {args.record_baseline} in {folder}")
    return 0
