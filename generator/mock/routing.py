"""Matching request paths against the spec's path templates.

Matching works on the raw (still percent-encoded) path split at `/`, then decodes each segment, so
an id containing `%2F` stays one path parameter instead of missing the route. As OpenAPI says,
concrete segments win over templated ones (`/session/report` before `/session/{sessionId}`); the
most concrete matching template decides, including a 405 when it lacks the method.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar
from urllib.parse import unquote

__all__ = ["PathTemplate", "Router"]

T = TypeVar("T")
_VARIABLE = re.compile(r"\{([^{}/]+)\}")


@dataclass
class PathTemplate(Generic[T]):
    """One spec path with its operations by lower-case method."""

    template: str
    methods: dict[str, T] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.segments = _split(self.template)
        self._matchers: list[str | tuple[re.Pattern[str], list[str]]] = []
        for segment in self.segments:
            names = _VARIABLE.findall(segment)
            if not names:
                self._matchers.append(segment)
                continue
            regex = "".join(
                f"(?P<p{i}>.*?)" if i % 2 else re.escape(part)
                for i, part in enumerate(_VARIABLE.split(segment))
            )
            self._matchers.append((re.compile(regex + r"\Z", re.DOTALL), names))
        # Sort key: concrete segments first, left to right.
        self.rank = tuple(0 if isinstance(m, str) else 1 for m in self._matchers)
        self.is_static = all(isinstance(m, str) for m in self._matchers)

    @property
    def allow(self) -> str:
        return ", ".join(sorted(method.upper() for method in self.methods))

    def match(self, segments: list[str]) -> dict[str, str] | None:
        if len(segments) != len(self._matchers):
            return None
        params: dict[str, str] = {}
        for matcher, raw in zip(self._matchers, segments, strict=True):
            text = unquote(raw) if "%" in raw else raw
            if isinstance(matcher, str):
                if text != matcher:
                    return None
                continue
            regex, names = matcher
            found = regex.match(text)
            if found is None:
                return None
            for index, name in enumerate(names):
                params[name] = found.group(f"p{2 * index + 1}")
        return params


def _split(path: str) -> list[str]:
    # "/a/b" -> ["a", "b"]; "/a/" -> ["a", ""] (an empty path parameter, still routed); "/" -> [""].
    return path.split("/")[1:] if path.startswith("/") else path.split("/")


class Router(Generic[T]):
    """Path templates indexed for lookup: static paths by exact string, the rest by segment count."""

    def __init__(self, templates: Iterable[PathTemplate[T]]) -> None:
        self._static: dict[str, PathTemplate[T]] = {}
        self._templated: dict[int, list[PathTemplate[T]]] = {}
        for template in templates:
            if template.is_static:
                self._static[template.template] = template
            else:
                self._templated.setdefault(len(template.segments), []).append(template)
        for group in self._templated.values():
            group.sort(key=lambda t: t.rank)

    def match(self, raw_path: str) -> tuple[PathTemplate[T], dict[str, str]] | None:
        static = self._static.get(raw_path)
        if static is not None:
            return static, {}
        segments = _split(raw_path)
        # A static template can also match an encoded spelling of its path.
        if "%" in raw_path and all("%2f" not in s.lower() for s in segments):
            decoded = self._static.get("/" + "/".join(unquote(s) for s in segments))
            if decoded is not None:
                return decoded, {}
        for template in self._templated.get(len(segments), ()):
            params = template.match(segments)
            if params is not None:
                return template, params
        return None
