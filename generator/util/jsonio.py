"""Deterministic JSON serialisation: same data, same bytes, on every machine."""

from __future__ import annotations

from json.encoder import INFINITY, encode_basestring
from pathlib import Path
from typing import Any

__all__ = ["dump_json", "write_json", "write_text"]


def dump_json(data: Any) -> str:
    """JSON text, 2-space indent, UTF-8 (no escapes), trailing newline; key order is the data's own.

    Byte-identical to `json.dumps(data, indent=2, ensure_ascii=False) + "\n"` (a test checks it) but
    about 3x faster: it uses the C string encoder instead of the pure-Python indenting encoder.
    """
    parts: list[str] = []
    append = parts.append

    def walk(value: Any, indent: str) -> None:
        if isinstance(value, str):
            append(encode_basestring(value))
        elif value is True:
            append("true")
        elif value is False:
            append("false")
        elif value is None:
            append("null")
        elif isinstance(value, int):
            append(int.__repr__(value))
        elif isinstance(value, float):
            if value != value or value in (INFINITY, -INFINITY):
                raise ValueError(f"JSON has no {value!r}")
            append(float.__repr__(value))
        elif isinstance(value, dict):
            if not value:
                append("{}")
                return
            inner = indent + "  "
            separator = "{\n" + inner
            for key, item in value.items():
                append(separator)
                append(encode_basestring(key if isinstance(key, str) else str(key)))
                append(": ")
                walk(item, inner)
                separator = ",\n" + inner
            append("\n" + indent + "}")
        elif isinstance(value, list | tuple):
            if not value:
                append("[]")
                return
            inner = indent + "  "
            separator = "[\n" + inner
            for item in value:
                append(separator)
                walk(item, inner)
                separator = ",\n" + inner
            append("\n" + indent + "]")
        else:
            raise TypeError(f"{type(value).__name__} is not JSON serialisable")

    walk(data, "")
    append("\n")
    return "".join(parts)


def write_json(path: Path, data: Any) -> None:
    write_text(path, dump_json(data))


def write_text(path: Path, text: str) -> None:
    """Write UTF-8 with LF line endings, creating parent folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
