"""Minimal HS256 JSON Web Tokens (RFC 7519) with the standard library, for mocks whose sign-in answers a JWT.

Each signer has its own key (random per app unless given), so a token from another mock process,
or one with an altered payload, fails verification.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from typing import Any

__all__ = ["Hs256"]


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Hs256:
    def __init__(self, key: bytes | None = None) -> None:
        self._key = key if key is not None else secrets.token_bytes(32)

    def _sign(self, signing_input: str) -> str:
        return _b64encode(hmac.new(self._key, signing_input.encode("ascii"), hashlib.sha256).digest())

    def encode(self, claims: dict[str, Any]) -> str:
        header = _b64encode(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
        payload = _b64encode(json.dumps(claims, separators=(",", ":")).encode())
        signing_input = f"{header}.{payload}"
        return f"{signing_input}.{self._sign(signing_input)}"

    def decode(self, token: str, now: float) -> dict[str, Any] | None:
        """The claims of a token this signer issued that has not expired at `now`; else None."""
        parts = token.split(".")
        if len(parts) != 3 or not token.isascii():
            return None
        header_b64, payload_b64, signature = parts
        if not hmac.compare_digest(self._sign(f"{header_b64}.{payload_b64}"), signature):
            return None
        try:
            header = json.loads(_b64decode(header_b64))
            claims = json.loads(_b64decode(payload_b64))
        except (ValueError, UnicodeDecodeError):
            return None
        if not isinstance(header, dict) or header.get("alg") != "HS256" or not isinstance(claims, dict):
            return None
        expiry = claims.get("exp")
        if not isinstance(expiry, (int, float)) or now >= expiry:
            return None
        return claims
