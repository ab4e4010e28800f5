"""Where every value of a JSON text starts: JSON pointer -> (line, column), from one regex scan.

The lint rules report JSON pointers; the package turns them into `file:line:col`. Composing the
JSON as YAML (as `spec/source.py` does for specs) is slow on 1 MB definitions and gives up on text
YAML refuses (tabs, some escapes), which left findings at `1:1`. This scanner reads the strict JSON
text `util/jsonc.loads_tolerant` parsed (repairs keep every line and column where they were), so
its positions are positions in the original file.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right

from generator.util.pointer import escape_pointer

__all__ = ["JsonPositions"]

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\],:]|[^\s{}\[\],:"]+', re.S)



class JsonPositions:
    """Offsets of every value (by JSON pointer) and of every member's key in one JSON text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._lines = [i for i, c in enumerate(text) if c == "\n"]
        self.values: dict[str, int] = {}
        self.keys: dict[str, int] = {}
        self._scan()

    def _scan(self) -> None:
        # stack of [pointer of the container, is_object, next index or pending key, expecting key]
        stack: list[list[object]] = []
        pending_key: str | None = None
        key_offset = 0
        for match in _TOKEN.finditer(self.text):
            tok = match.group()
            start = match.start()
            if tok in ",:":
                continue
            if tok in "}]":
                if stack:
                    stack.pop()
                continue
            top = stack[-1] if stack else None
            if top is not None and top[1] and pending_key is None:
                # an object member's key
                raw = tok[1:-1] if "\\" not in tok else json.loads(tok) if tok.startswith('"') else tok
                pending_key = raw if isinstance(raw, str) else str(raw)
                key_offset = start
                continue
            if top is None:
                pointer = ""
            elif top[1]:
                pointer = f"{top[0]}/{escape_pointer(pending_key or '')}"
                self.keys.setdefault(pointer, key_offset)
                pending_key = None
            else:
                index = top[2]
                assert isinstance(index, int)
                pointer = f"{top[0]}/{index}"
                top[2] = index + 1
            self.values.setdefault(pointer, start)
            if tok == "{":
                stack.append([pointer, True, 0])
            elif tok == "[":
                stack.append([pointer, False, 0])

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset."""
        line = bisect_right(self._lines, offset - 1)
        start = self._lines[line - 1] + 1 if line else 0
        return line + 1, offset - start + 1

    def offset(self, line: int, col: int) -> int:
        """Character offset of a 1-based (line, column)."""
        start = self._lines[line - 2] + 1 if line > 1 and line - 2 < len(self._lines) else 0
        return start + col - 1

    def pointer_at(self, offset: int) -> str:
        """Pointer of the last value starting at or before `offset` (the value a repair follows)."""
        best, where = "", -1
        for pointer, start in self.values.items():
            if where < start <= offset:
                best, where = pointer, start
        return best

    def locate(self, pointer: str, *, key: bool = False) -> tuple[int, int]:
        """(line, column) of the value at `pointer` (of its key with `key=True`), or of the nearest
        existing ancestor. The root is located at its first member (a finding about the whole
        document is about where its members start, never `1:1` before them)."""
        pointer = pointer[1:] if pointer.startswith("#") else pointer
        while True:
            table = self.keys if key else self.values
            if pointer in table and pointer:
                return self.position(table[pointer])
            if pointer in self.values and pointer:
                return self.position(self.values[pointer])
            if not pointer:
                first = min((o for p, o in self.keys.items() if p.count("/") == 1), default=None)
                return self.position(first if first is not None else self.values.get("", 0))
            pointer = pointer.rsplit("/", 1)[0]
            key = False
