"""Reading JSON the way Power Platform reads connector files: strict first, tolerant when needed.

Published connectors hold files that `json.loads` refuses but the platform's parser (Json.NET)
accepts: `//` and `/* */` comments, a comma before `}` or `]`, and a missing comma between two
members or items. `repair` rewrites such text into strict JSON while keeping every line (and the
column of every value) where it was, so a location found in the repaired text is the location in
the original file, and says what it changed. Anything else (an unclosed string, a stray token) is
left for the strict parser to report.
"""

from __future__ import annotations

import json
import re
from typing import Any

from msgspec import Struct

__all__ = ["Repair", "loads_tolerant", "repair"]

_TOKEN = re.compile(
    r"""
    (?P<ws>[ \t\r\n]+)
  | (?P<line_comment>//[^\n]*)
  | (?P<block_comment>/\*.*?\*/)
  | (?P<string>"(?:[^"\\\n]|\\.)*")
  | (?P<punct>[{}\[\],:])
  | (?P<scalar>[^\s{}\[\],:"/]+)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_VALUE_END = frozenset(("string", "scalar", "}", "]"))
_VALUE_START = frozenset(("string", "scalar", "{", "["))


class Repair(Struct, frozen=True):
    """One change `repair` made: where (1-based line and column of the original text) and what."""

    line: int
    col: int
    kind: str  # "comment", "trailing_comma", "missing_comma", "unclosed"
    message: str


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def repair(text: str) -> tuple[str, list[Repair]]:
    """Strict JSON text for `text` (unchanged when nothing needed repair) and the list of repairs."""
    out: list[str] = []
    repairs: list[Repair] = []
    # (index in `out` of the last significant token, its kind, its end offset in `text`)
    last: tuple[int, str, int] | None = None
    stack: list[str] = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        value = match.group()
        if kind == "ws":
            out.append(value)
            continue
        if kind in ("line_comment", "block_comment"):
            line, col = _position(text, match.start())
            repairs.append(Repair(line, col, "comment", "a comment, which JSON does not allow"))
            out.append(re.sub(r"[^\n]", " ", value))  # keep lines and columns
            continue
        sig = value if kind == "punct" else kind
        if last is not None:
            index, prev, end = last
            if prev == "," and sig in ("}", "]"):
                line, col = _position(text, end - 1)
                repairs.append(Repair(line, col, "trailing_comma", f"a comma before '{value}'"))
                out[index] = " "
            elif prev in _VALUE_END and sig in _VALUE_START:
                line, col = _position(text, end)
                repairs.append(Repair(line, col, "missing_comma", "a missing comma between two values"))
                out[index] = out[index] + ","
        if sig in ("{", "["):
            stack.append("}" if sig == "{" else "]")
        elif sig in ("}", "]") and stack and stack[-1] == sig:
            stack.pop()
        out.append(value)
        last = (len(out) - 1, sig, match.end())
    if stack and last is not None and last[1] in _VALUE_END:
        line, col = _position(text, len(text))
        closers = "".join(reversed(stack))
        repairs.append(Repair(line, col, "unclosed", f"the file ends before '{closers}'"))
        out.append(closers)
    if not repairs:
        return text, []
    return "".join(out), repairs


def loads_tolerant(text: str) -> tuple[Any, str, list[Repair]]:
    """Parse `text` as JSON, repairing what Json.NET tolerates. Returns (data, the text that was
    parsed, repairs). Raises `json.JSONDecodeError` (located in the original text) otherwise."""
    try:
        return json.loads(text), text, []
    except json.JSONDecodeError:
        repaired, repairs = repair(text)
        if not repairs:
            raise
        return json.loads(repaired), repaired, repairs
