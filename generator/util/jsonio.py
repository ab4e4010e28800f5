"""Deterministic JSON serialisation: same data, same bytes, on every machine."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = ["dump_json", "write_json", "write_text"]


def dump_json(data: Any, indent: int = 2) -> str:
    """JSON text with a trailing newline; key order is the data's own (taken from the spec)."""
    return json.dumps(data, indent=indent, ensure_ascii=False, allow_nan=False) + "\n"


def write_json(path: Path, data: Any) -> None:
    write_text(path, dump_json(data))


def write_text(path: Path, text: str) -> None:
    """Write UTF-8 with LF line endings, creating parent folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
