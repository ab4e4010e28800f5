"""Media types: the one place a Content-Type is reduced to its base type."""

from __future__ import annotations

__all__ = ["media_base"]


def media_base(content_type: object) -> str:
    """`application/json; charset=utf-8` → `application/json` (lower case, parameters dropped)."""
    return str(content_type or "").split(";")[0].strip().lower()
