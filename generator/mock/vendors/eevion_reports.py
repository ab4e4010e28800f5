"""Eevion's session report (`POST /session/report`): per-group rows, then a `total` and an `average` row."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from generator.mock.examples import parse_instant

__all__ = ["build_report"]

_GROUP_FIELD = {"station": "station_id", "site": "location_id", "region": "region"}


def _millis(text: Any) -> int | None:
    seconds = parse_instant(text)
    return None if seconds is None else int(seconds * 1000)


def _number(value: Any) -> float:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0.0


def _clean(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 2)


def build_report(sessions_stored: list[dict[str, Any]], request: Mapping[str, Any]) -> list[dict[str, Any]]:
    start, end = request["startTimestamp"], request["endTimestamp"]
    group_by = request.get("groupBy", "station")
    field = _GROUP_FIELD[group_by]
    sites, stations, regions = request.get("sites"), request.get("stations"), request.get("regions")
    groups: dict[str, list[dict[str, Any]]] = {}
    for session in sessions_stored:
        created = _millis(session.get("createdAt"))
        location = session.get("location") or {}
        if created is None or not start <= created < end:
            continue
        if stations is not None and session.get("stationId") not in stations:
            continue
        if sites is not None and location.get("id") not in sites:
            continue
        if regions is not None and location.get("state") not in regions:
            continue
        key = {"station_id": session.get("stationId"), "location_id": location.get("id"), "region": location.get("state")}[field]
        groups.setdefault(str(key or "unknown"), []).append(session)
    rows: list[dict[str, Any]] = []
    for key, sessions in sorted(groups.items()):
        cost = sum(_number(s.get("cost")) * 100 for s in sessions)
        duration = sum(_number(s.get("duration")) for s in sessions)
        starts = Counter(str(s.get("startWith") or "Unknown") for s in sessions)
        row: dict[str, Any] = {field: key}
        if group_by != "region":
            location = sessions[0].get("location") or {}
            row.update(location=str(location.get("name") or ""), location_id=str(location.get("id") or ""))
        row.update(
            count=len(sessions),
            cancel_count=0,
            unique_customers=len({s.get("customerId") or s["sessionId"] for s in sessions}),
            most_common_start_with=starts.most_common(1)[0][0],
            average_cost_cents=_clean(cost / len(sessions)),
            total_cost_cents=_clean(cost),
            total_energy_cost_cents=_clean(cost),
            average_duration_seconds=_clean(duration / len(sessions)),
            total_duration_seconds=_clean(duration),
            total_energy_watt_hours=_clean(sum(_number(s.get("energy")) for s in sessions)),
            maximum_current_amps=0,
            maximum_limit_amps=0,
            minimum_limit_amps=0,
            maximum_power_watts=0,
        )
        rows.append(row)
    totals = ("count", "total_cost_cents", "total_duration_seconds", "total_energy_cost_cents", "total_energy_watt_hours")
    total = {field: "total", "cancel_count": 0, **{k: _clean(sum(_number(r[k]) for r in rows)) for k in totals}}
    divisor = max(len(rows), 1)
    average = {field: "average", "cancel_count": 0, **{k: _clean(_number(total[k]) / divisor) for k in totals}}
    return [*rows, total, average]
