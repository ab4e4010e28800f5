"""Reading the spec's examples (seed data for the mocks) and small helpers shared by behaviours."""

from __future__ import annotations

import copy
import re
import time
from datetime import UTC, datetime
from typing import Any

from generator.ir.model import Api

__all__ = ["iso_utc", "param_examples", "parse_instant", "request_examples", "response_examples"]


def response_examples(api: Api, operation_id: str, status: str = "200") -> list[Any]:
    """Deep copies of the example values of one response (every media type, every named example)."""
    try:
        op = api.operation(operation_id)
    except KeyError:
        return []
    response = op.response(status)
    if response is None:
        return []
    return [copy.deepcopy(example.value) for media in response.contents for example in media.examples]


def request_examples(api: Api, operation_id: str) -> list[Any]:
    try:
        op = api.operation(operation_id)
    except KeyError:
        return []
    if op.request_body is None:
        return []
    return [copy.deepcopy(ex.value) for media in op.request_body.contents for ex in media.examples]


def param_examples(api: Api, name: str) -> list[Any]:
    """The example values of every parameter called `name`, in operation order, without repeats."""
    out: list[Any] = []
    for op in api.operations:
        for param in op.parameters:
            if param.name != name:
                continue
            found, value = param.example_value()
            values = [value] if found else []
            values += [ex.value for ex in param.examples]
            for item in values:
                if item not in out:
                    out.append(item)
    return out


def iso_utc(seconds: float, *, millis: bool = False) -> str:
    """`2024-01-22T08:11:06Z` (or `...06.417Z`) for a POSIX time."""
    text = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds))
    if millis:
        text += f".{round(seconds * 1000) % 1000:03d}"
    return text + "Z"


_INSTANT = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt ]([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})?")


def parse_instant(text: object) -> float | None:
    """POSIX seconds of an RFC 3339 date-time, or None. Unlike `datetime.fromisoformat` it takes
    every date-time the request validation lets through (lower-case t/z, a leap second, year 0)."""
    match = _INSTANT.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        return None
    year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
    try:
        moment = datetime(max(year, 1), month, day, hour, minute, min(second, 59), tzinfo=UTC)
    except ValueError:
        return None
    seconds = moment.timestamp() + float(match.group(7) or 0)
    offset = match.group(8)
    if offset and offset not in "Zz":
        sign = 1 if offset[0] == "+" else -1
        seconds -= sign * (int(offset[1:3]) * 3600 + int(offset[4:6]) * 60)
    return seconds
