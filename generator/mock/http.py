"""The request and response objects behaviour handlers work with."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from starlette.datastructures import Headers, QueryParams
from starlette.requests import Request

if TYPE_CHECKING:
    from generator.mock.operations import CompiledOperation

__all__ = ["MockRequest", "MockResponse", "dump_json_bytes"]


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)
_ASCII_ENCODER = json.JSONEncoder(ensure_ascii=True, separators=(",", ":"), allow_nan=False)


def dump_json_bytes(value: Any) -> bytes:
    try:
        return _ENCODER.encode(value).encode("utf-8")
    except UnicodeEncodeError:
        # A lone surrogate (JSON allows "\ud800" in requests) has no UTF-8 form: escape everything.
        return _ASCII_ENCODER.encode(value).encode("ascii")


class MockResponse:
    """What a handler answers. `body`: JSON-able value, `str`/`bytes` for text, None for no body.
    `media_type` None means the first media type the spec documents for this status."""

    __slots__ = ("body", "headers", "media_type", "status")

    def __init__(
        self,
        status: int,
        body: Any = None,
        *,
        headers: Mapping[str, str] | None = None,
        media_type: str | None = None,
    ) -> None:
        self.status = status
        self.body = body
        self.headers = dict(headers or {})
        self.media_type = media_type

    def __repr__(self) -> str:
        return f"MockResponse({self.status}, {self.body!r})"


class MockRequest:
    """A validated request: typed parameters, the parsed JSON body and the authenticated principal."""

    __slots__ = ("_request", "body", "headers", "method", "operation", "params", "path", "principal", "raw_body", "raw_query")

    def __init__(
        self,
        *,
        operation: CompiledOperation,
        method: str,
        path: str,
        request: Request,
        headers: Headers,
        raw_query: QueryParams,
        raw_body: bytes,
    ) -> None:
        self.operation = operation
        self.method = method
        self.path = path
        self._request = request
        self.headers = headers
        self.raw_query = raw_query
        # Decoded path, query and header parameters by name, defaults filled in.
        self.params: dict[str, Any] = {}
        self.raw_body = raw_body
        self.body: Any = None
        self.principal: str | None = None

    @property
    def base_url(self) -> str:
        """`http://host:port` as the client addressed the mock (computed on demand: it is slow)."""
        return str(self._request.base_url).rstrip("/")

    @property
    def operation_id(self) -> str:
        return self.operation.operation_id
