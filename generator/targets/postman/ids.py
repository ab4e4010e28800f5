"""Postman ids derived from what they identify, so reruns (and re-imports) keep them."""

from __future__ import annotations

import uuid

__all__ = ["NAMESPACE", "stable_id"]

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/connectorgen/connectorgen/postman")


def stable_id(*parts: str) -> str:
    """uuid5 of the parts (e.g. the collection slug and an operation id)."""
    return str(uuid.uuid5(NAMESPACE, "\x1f".join(parts)))
