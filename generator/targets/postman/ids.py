"""Postman ids derived from what they identify, so reruns (and re-imports) keep them."""

from __future__ import annotations

import uuid

try:  # the built-in SHA-1 (what `hashlib` falls back to): importing hashlib loads OpenSSL, ~3 ms a run
    from _sha1 import sha1
except ImportError:  # pragma: no cover - a Python built without it
    from hashlib import sha1

__all__ = ["NAMESPACE", "stable_id"]


def _uuid5(namespace: uuid.UUID, name: str) -> uuid.UUID:
    """`uuid.uuid5` (RFC 4122 name-based, SHA-1), without the import of hashlib it makes."""
    return uuid.UUID(bytes=sha1(namespace.bytes + name.encode("utf-8")).digest()[:16], version=5)


NAMESPACE = _uuid5(uuid.NAMESPACE_URL, "https://github.com/connectorgen/connectorgen/postman")


def stable_id(*parts: str) -> str:
    """uuid5 of the parts (e.g. the collection slug and an operation id)."""
    return str(_uuid5(NAMESPACE, "\x1f".join(parts)))
