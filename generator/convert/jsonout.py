"""`dump_json`'s exact output (2-space indent, UTF-8, trailing newline), about 3x faster.

`json.dumps(indent=2)` runs the pure-Python encoder; this writer builds the same text with the C
string encoder. A test checks it is byte-identical to `generator.util.jsonio.dump_json`.
"""

from __future__ import annotations

from json.encoder import INFINITY, encode_basestring
from typing import Any

__all__ = ["dump_pretty"]


def dump_pretty(data: Any) -> str:
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
