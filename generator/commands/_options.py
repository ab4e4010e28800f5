"""Options several commands share."""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["add_ref_options"]


def add_ref_options(parser: Any) -> None:
    """`--ref-root` and `--allow-remote-refs`: how far a `$ref` may reach (generator/spec/refs.py)."""
    parser.add_argument(
        "--ref-root",
        action="append",
        default=[],
        type=Path,
        metavar="DIR",
        help="let $ref read files in DIR too (default: only the spec's own folder tree; repeatable)",
    )
    parser.add_argument(
        "--allow-remote-refs", action="store_true", help="fetch $ref to http(s) URLs (default: refused, nothing is fetched)"
    )
