"""VEV-IQ statistics: completed transactions summed per time bucket (DataScope) and per charging
station or user, as a bare array of rows (an envelope with WithAuth=true)."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from generator.mock.examples import parse_instant
from generator.mock.vendors.vev_iq_query import get_path, one_of, time_from, time_to

__all__ = ["statistics"]

_FILTERS = {
    "SiteID": one_of("siteID"),
    "SiteAreaID": one_of("siteAreaID"),
    "ChargingStationID": one_of("chargeBoxID"),
    "UserID": one_of("userID"),
    "StartDateTime": time_from("timestamp"),
    "EndDateTime": time_to("timestamp"),
}
# What each statistic sums, from a completed transaction's `stop`.
_MEASURES: dict[str, Callable[[dict[str, Any]], float]] = {
    "consumption": lambda stop: (stop.get("totalConsumptionWh") or 0) / 1000,  # kWh
    "usage": lambda stop: (stop.get("totalDurationSecs") or 0) / 3600,  # hours
    "inactivity": lambda stop: (stop.get("totalInactivitySecs") or 0) / 3600,  # hours
    "transaction": lambda stop: 1,
    "pricing": lambda stop: stop.get("price") or 0,
}


def _bucket(moment: datetime, scope: str) -> tuple[str, Any] | None:
    if scope == "sum":
        return None
    values: dict[str, Any] = {
        "year": moment.year,
        "month": moment.month - 1,  # 0-based, as the server answers
        "date": moment.strftime("%Y-%m-%d"),
        "hour": moment.hour,
        "dayOfMonth": moment.day,
        "dayOfWeek": (moment.isoweekday() % 7) + 1,  # 1 = Sunday, as MongoDB's $dayOfWeek
        "dayOfYear": moment.timetuple().tm_yday,
    }
    return scope, values[scope]


def statistics(transactions: list[dict[str, Any]], kind: str, per: str, params: Mapping[str, Any], now: float) -> Any:
    """`kind`: consumption, usage, inactivity, transaction or pricing; `per`: chargingStations or users."""
    year = params.get("Year", time.gmtime(now).tm_year)
    scope = params.get("DataScope", "month")
    measure = _MEASURES[kind]
    rows: dict[tuple[Any, ...], dict[str, Any]] = {}
    for tx in transactions:
        stop = tx.get("stop")
        if not isinstance(stop, dict) or not all(check(tx, params[n]) for n, check in _FILTERS.items() if n in params):
            continue
        moment = datetime.fromtimestamp(parse_instant(tx["timestamp"]) or 0.0, UTC)
        if year and moment.year != year:
            continue
        if per == "chargingStations":
            series = str(tx.get("chargeBoxID"))
        else:
            series = f"{get_path(tx, 'user.name') or ''} {get_path(tx, 'user.firstName') or ''}".strip() or str(tx.get("userID"))
        bucket = _bucket(moment, scope)
        unit = stop.get("priceUnit") if kind == "pricing" else None
        key = (bucket[1] if bucket else None, unit)
        row = rows.setdefault(key, {**({bucket[0]: bucket[1]} if bucket else {}), **({"unit": unit} if unit else {})})
        row[series] = row.get(series, 0) + measure(stop)
    result = []
    for _, row in sorted(rows.items(), key=lambda kv: (str(kv[0][0]).zfill(10), str(kv[0][1]))):
        result.append({k: (round(v, 2) if isinstance(v, float) else v) for k, v in row.items()})
    if params.get("WithAuth"):
        flags = ("canExport", "canListUsers", "canListChargingStations", "canListSites", "canListSiteAreas")
        return {"count": len(result), "result": result, **dict.fromkeys(flags, True)}
    return result
