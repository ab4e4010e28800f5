"""VEV-IQ's list conventions: `|`-joined filters, Search, SortFields (`-` = descending),
ProjectFields, Skip/Limit, `count` of -1 from 500 matches, OnlyRecordCount and WithAuth."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from generator.mock.examples import parse_instant

__all__ = ["COUNT_CAP", "ListSpec", "get_path", "run_list", "spec_filters"]

COUNT_CAP = 500  # from this many matches on, `count` is -1 (the server stops counting)
DEFAULT_LIMIT = 100

Predicate = Callable[[dict[str, Any], Any], bool]


def get_path(item: Mapping[str, Any], path: str) -> Any:
    value: Any = item
    for part in path.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def one_of(path: str) -> Predicate:
    """`SiteID=a|b`: the field equals one of the `|`-joined values (compared as strings)."""
    return lambda item, value: str(get_path(item, path)) in str(value).split("|")


def equals(path: str) -> Predicate:
    return lambda item, value: get_path(item, path) == value


def none_of(path: str) -> Predicate:
    return lambda item, value: str(get_path(item, path)) not in str(value).split("|")


def is_null(path: str) -> Predicate:
    return lambda item, value: (get_path(item, path) is None) == bool(value)


def any_connector(key: str) -> Predicate:
    def check(item: dict[str, Any], value: Any) -> bool:
        wanted = str(value).split("|")
        return any(str(c.get(key)) in wanted for c in item.get("connectors") or [])

    return check


def at_least(path: str) -> Predicate:
    def check(item: dict[str, Any], value: Any) -> bool:
        found = get_path(item, path)
        return isinstance(found, (int, float)) and found >= value

    return check


def time_from(path: str) -> Predicate:
    def check(item: dict[str, Any], value: Any) -> bool:
        found, bound = parse_instant(get_path(item, path)), parse_instant(value)
        return found is not None and bound is not None and found >= bound

    return check


def time_to(path: str) -> Predicate:
    def check(item: dict[str, Any], value: Any) -> bool:
        found, bound = parse_instant(get_path(item, path)), parse_instant(value)
        return found is not None and bound is not None and found <= bound

    return check


def spec_filters(params: Sequence[tuple[str, Any]], properties: Sequence[str], entity: str, explicit: Mapping[str, Predicate]) -> dict[str, Predicate]:
    """A list route's filters from its query parameters (name, JSON type): `explicit` first; a
    parameter named like an item property (case-insensitively) filters it, `|`-joined values for
    strings, equality otherwise; `<Entity>ID` filters the item's `id`, `Exclude<Entity>ID` excludes ids."""
    by_lower = {p.lower(): p for p in properties}
    out: dict[str, Predicate] = {}
    for name, kind in params:
        lowered = name.lower()
        if name in explicit:
            out[name] = explicit[name]
        elif lowered == f"exclude{entity.lower()}id":
            out[name] = none_of("id")
        elif lowered == f"{entity.lower()}id" or lowered in by_lower:
            target = "id" if lowered == f"{entity.lower()}id" else by_lower[lowered]
            out[name] = one_of(target) if kind == "string" else equals(target)
    return out


@dataclass(frozen=True)
class ListSpec:
    table: str
    filters: Mapping[str, Predicate] = field(default_factory=dict)
    search: tuple[str, ...] = ("id", "name")
    sort: str = "name"
    auth_flags: bool = True
    can_create: bool = True
    location: str | None = None  # path of [lng, lat] coordinates for Loc* filters


def _distance_m(a: Sequence[float], lng: float, lat: float) -> float:
    lng1, lat1, lng2, lat2 = map(math.radians, (a[0], a[1], lng, lat))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    return 2 * 6_371_000 * math.asin(min(1.0, math.sqrt(h)))


def _sort_key(value: Any) -> tuple[int, Any]:
    if value is None:
        return (2, "")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (0, value)
    return (1, str(value).lower())


def _sort(rows: list[dict[str, Any]], spec_text: str) -> list[dict[str, Any]]:
    for part in reversed([p for p in spec_text.split("|") if p.strip("-")]):
        descending = part.startswith("-")
        path = part.lstrip("-")
        present = [r for r in rows if get_path(r, path) is not None]
        missing = [r for r in rows if get_path(r, path) is None]
        present.sort(key=lambda r: _sort_key(get_path(r, path)), reverse=descending)
        rows = present + missing  # records without the field come last either way
    return rows


def _project(item: Mapping[str, Any], paths: Sequence[str]) -> dict[str, Any]:
    out: dict[str, Any] = {"id": item["id"]} if "id" in item else {}
    for path in paths:
        value = get_path(item, path)
        if value is None and path.split(".")[0] not in item:
            continue
        target = out
        parts = path.split(".")
        for part in parts[:-1]:
            target = target.setdefault(part, {})
        target[parts[-1]] = value
    return out


def run_list(rows: list[dict[str, Any]], spec: ListSpec, params: Mapping[str, Any], *, extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Filter, sort, count, page and project `rows` as the VEV-IQ list routes do."""
    matched = [r for r in rows if all(check(r, params[name]) for name, check in spec.filters.items() if name in params)]
    search = params.get("Search")
    if search:
        needle = str(search).lower()
        matched = [r for r in matched if any(needle in str(get_path(r, f) or "").lower() for f in spec.search)]
    if spec.location and "LocLongitude" in params and "LocLatitude" in params:
        lng, lat = params["LocLongitude"], params["LocLatitude"]
        placed = []
        for row in matched:
            coords = get_path(row, spec.location)
            if isinstance(coords, list) and len(coords) == 2:
                placed.append({**row, "distanceMeters": round(_distance_m(coords, lng, lat))})
        limit_m = params.get("LocMaxDistanceMeters")
        matched = sorted((r for r in placed if limit_m is None or r["distanceMeters"] <= limit_m), key=lambda r: r["distanceMeters"])
    else:
        matched = _sort(matched, params.get("SortFields") or spec.sort)
    body: dict[str, Any] = dict(extra or {})
    if params.get("OnlyRecordCount"):
        return {"count": len(matched), **body, "result": []}
    skip, limit = params.get("Skip", 0), params.get("Limit", DEFAULT_LIMIT)
    page = matched[skip : skip + limit]
    fields = [p for p in str(params.get("ProjectFields") or "").split("|") if p]
    if fields:
        page = [_project(r, fields) for r in page]
    with_auth = bool(params.get("WithAuth"))
    if with_auth and spec.auth_flags:
        page = [{**r, "canRead": True, "canUpdate": True, "canDelete": True} for r in page]
    body["count"] = -1 if len(matched) >= COUNT_CAP else len(matched)
    body["result"] = page
    if with_auth and spec.can_create:
        body["canCreate"] = True
    return body
