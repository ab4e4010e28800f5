"""Requests and responses as they travel: a small mutable request model the policies edit."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

__all__ = ["WireRequest", "WireResponse"]


@dataclass
class WireRequest:
    method: str  # upper case
    base: str  # scheme://host[:port][/base path]
    path: str  # encoded path under the base, starting with "/"
    query: list[tuple[str, str]] = field(default_factory=list)
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes | None = None

    @property
    def url(self) -> str:
        query = ("?" + urlencode(self.query, quote_via=quote)) if self.query else ""
        return self.base.rstrip("/") + self.path + query

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)

    def set_header(self, name: str, value: str, action: str = "override") -> None:
        present = self.header(name) is not None
        if action == "skip" and present:
            return
        if action != "append":
            self.headers = [(k, v) for k, v in self.headers if k.lower() != name.lower()]
        self.headers.append((name, value))

    def set_query(self, name: str, value: str, action: str = "override") -> None:
        present = any(k == name for k, _ in self.query)
        if action == "skip" and present:
            return
        if action != "append":
            self.query = [(k, v) for k, v in self.query if k != name]
        self.query.append((name, value))

    def json(self) -> Any:
        return None if self.body is None else json.loads(self.body)


@dataclass
class WireResponse:
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    reason: str = ""
    sent: list[str] = field(default_factory=list)  # calls the custom code made ("METHOD URL")
    logs: list[str] = field(default_factory=list)

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300
