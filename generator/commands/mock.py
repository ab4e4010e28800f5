"""`connectorgen mock` (placeholder until its issue lands)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

__all__ = ["register"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("mock", help="(not yet available)")
    parser.add_argument("args", nargs="*")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    sys.stderr.write("connectorgen mock: not yet available\n")
    return 2
