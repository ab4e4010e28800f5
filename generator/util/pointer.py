"""JSON pointers (RFC 6901): the one place tokens are escaped, joined, split and resolved."""

from __future__ import annotations

from typing import Any

__all__ = ["MISSING", "escape_pointer", "join_pointer", "pointer_of", "resolve_pointer", "split_pointer", "unescape_pointer"]

MISSING: Any = object()  # what `resolve_pointer` returns for a pointer that names nothing


def escape_pointer(token: object) -> str:
    """One reference token, escaped (`~` → `~0`, `/` → `~1`)."""
    return str(token).replace("~", "~0").replace("/", "~1")


def unescape_pointer(token: str) -> str:
    """One reference token, unescaped (`~1` → `/`, `~0` → `~`)."""
    return token.replace("~1", "/").replace("~0", "~")


def join_pointer(base: str, *tokens: object) -> str:
    """`base` followed by each token, escaped."""
    out = base
    for token in tokens:
        out += "/" + escape_pointer(token)
    return out


def pointer_of(tokens: Any) -> str:
    """The pointer of a sequence of tokens (e.g. a jsonschema error's `absolute_path`)."""
    return join_pointer("", *tokens)


def split_pointer(pointer: str) -> list[str]:
    """The unescaped tokens of `pointer`; a leading `#` (a fragment) is allowed."""
    if pointer in ("", "#", "#/", "/"):
        return []
    body = pointer[1:] if pointer.startswith("#") else pointer
    return [unescape_pointer(t) for t in body.split("/")[1:]]


def resolve_pointer(data: Any, pointer: str) -> Any:
    """The value at `pointer` inside `data`, or `MISSING`."""
    node = data
    for token in split_pointer(pointer):
        if isinstance(node, dict):
            node = node.get(token, MISSING)
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return MISSING
        if node is MISSING:
            return MISSING
    return node
