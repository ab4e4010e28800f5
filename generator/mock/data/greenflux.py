"""GreenFlux seed data: the spec's example Location, Session, CDR, Tariffs and capacity groups, plus
deterministic copies of the example location, session and CDR at other Dutch sites so that lists
have more than one page. Copies keep the example's structure; only ids, places and times change."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from generator.ir.model import Api
from generator.mock.examples import response_examples

__all__ = ["GreenFluxWorld", "build_world"]

# (code, city, site name, street, postal code, latitude, longitude)
_SITES = (
    ("UTR", "Utrecht", "Jaarbeurs P1", "Jaarbeursplein 6", "3521 AL", "52.088600", "5.107700"),
    ("AMS", "Amsterdam", "Parkeergarage Zuidas", "Gustav Mahlerlaan 10", "1082 PP", "52.338100", "4.872300"),
    ("RTM", "Rotterdam", "P+R Kralingse Zoom", "Abram van Rijckevorselweg 1", "3063 NA", "51.921300", "4.533700"),
    ("EHV", "Eindhoven", "Strijp-S Garage", "Torenallee 20", "5617 BC", "51.448800", "5.457100"),
    ("NIJ", "Nijmegen", "P+R Nijmegen Lent", "Laauwikstraat 1", "6663 AA", "51.860600", "5.866800"),
    ("ZWO", "Zwolle", "Parkeergarage Katwolderplein", "Katwolderplein 1", "8011 DC", "52.512400", "6.087800"),
    ("GRO", "Groningen", "P+R Hoogkerk", "Zuiderweg 2", "9744 AP", "53.210900", "6.498700"),
    ("MST", "Maastricht", "Parkeergarage Sphinx", "Boschstraat 110", "6211 AX", "50.855700", "5.693900"),
    ("LEI", "Leiden", "P+R Haagse Schouw", "Haagse Schouwweg 10", "2332 KG", "52.163100", "4.449800"),
    ("HRL", "Haarlem", "Parkeergarage Raaks", "Raaks 1", "2011 VB", "52.382900", "4.632800"),
    ("DHG", "Den Haag", "P+R Hoornwijck", "Laan van Hoornwijck 2", "2289 DG", "52.048700", "4.327100"),
)
SESSIONS_PER_SITE = 4
_NAMESPACE = uuid.UUID("5d1bb6a3-4c8f-5f0e-9a65-0c0ffee0f1f1")


@dataclass
class GreenFluxWorld:
    locations: dict[str, dict[str, Any]] = field(default_factory=dict)
    sessions: list[dict[str, Any]] = field(default_factory=list)
    cdrs: list[dict[str, Any]] = field(default_factory=list)
    tariffs: list[dict[str, Any]] = field(default_factory=list)
    groups: dict[str, dict[str, Any]] = field(default_factory=dict)
    states: dict[str, dict[str, Any]] = field(default_factory=dict)
    day_of_week: dict[str, dict[str, Any]] = field(default_factory=dict)
    date_time: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    members: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)  # group -> evse uid -> member
    charge_points: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)  # cp -> (loc, evse uid, evse id)


def _data(api: Api, operation_id: str, status: str = "200") -> list[Any]:
    return [e["data"] for e in response_examples(api, operation_id, status) if isinstance(e, dict) and "data" in e]


def _shift(text: str, delta: timedelta) -> str:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00")) + delta
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _clone(item: dict[str, Any], location: dict[str, Any], site: tuple[str, ...], index: int, delta: timedelta) -> dict[str, Any]:
    """A copy of an example Location, Session or CDR moved to another site and time."""
    code, city, name, street, postal, lat, lon = site
    text = json.dumps(item)
    text = text.replace(location["id"], f"GFX-{code}-0001").replace(location["name"], name).replace(location["address"], street)
    text = text.replace(location["postal_code"], postal).replace(f'"{location["city"]}"', json.dumps(city))
    text = text.replace(location["coordinates"]["latitude"], lat).replace(location["coordinates"]["longitude"], lon)
    text = text.replace("E0001234", f"E{2000 + index:07d}")
    clone: dict[str, Any] = _shift_all(json.loads(text), delta)
    return clone


_TIME_KEYS = frozenset({"start_datetime", "end_datetime", "start_date_time", "stop_date_time", "last_updated", "period_begin", "period_end"})


def _shift_all(value: Any, delta: timedelta) -> Any:
    if isinstance(value, dict):
        return {k: _shift(v, delta) if k in _TIME_KEYS and isinstance(v, str) and "T" in v else _shift_all(v, delta) for k, v in value.items()}
    if isinstance(value, list):
        return [_shift_all(v, delta) for v in value]
    return value


def build_world(api: Api) -> GreenFluxWorld:
    world = GreenFluxWorld()
    for page in _data(api, "ListLocations"):
        for location in page:
            world.locations.setdefault(location["id"], location)
    for location in _data(api, "GetLocation"):
        world.locations.setdefault(location["id"], location)
    world.sessions = [s for page in _data(api, "ListSessions") for s in page]
    world.cdrs = [c for page in _data(api, "ListCdrs") for c in page]
    world.tariffs = [t for page in _data(api, "ListTariffs") for t in page]
    if world.locations:
        base = next(iter(world.locations.values()))
        for index, site in enumerate(_SITES):
            copy = _clone(base, base, site, index, timedelta(days=-(index + 1)))
            world.locations[copy["id"]] = copy
            for n in range(SESSIONS_PER_SITE):
                delta = timedelta(days=-(index * SESSIONS_PER_SITE + n + 1), hours=n)
                for template, target in ((world.sessions[:1], world.sessions), (world.cdrs[:1], world.cdrs)):
                    for item in template:
                        clone = _clone(item, base, site, index, delta)
                        clone["id"] = str(uuid.uuid5(_NAMESPACE, f"{item['id']}/{site[0]}/{n}"))
                        target.append(clone)
    for group in [g for page in _data(api, "ListCapacityGroups") for g in page] + _data(api, "GetCapacityGroup"):
        world.groups.setdefault(group["id"], group)
    example_group = next(iter(world.groups), None)
    for member_list in _data(api, "ListCapacityGroupEvses"):
        for member in member_list:
            world.charge_points.setdefault(member["charge_point_id"], []).append(
                (member.get("location_id", ""), member["evse_uid"], member.get("evse_id", ""))
            )
            if example_group:
                world.members.setdefault(example_group, {})[member["evse_uid"]] = member
    known = {evse for cps in world.charge_points.values() for _, evse, _ in cps}
    for location in world.locations.values():
        for evse in location.get("evses", []):
            if evse["uid"] not in known:
                cp = f"{location['id']}-CP"
                world.charge_points.setdefault(cp, []).append((location["id"], evse["uid"], evse.get("evse_id", "")))
    if example_group:
        for state in _data(api, "GetCapacityGroupState"):
            world.states[example_group] = state
        for scenarios in _data(api, "GetDayOfWeekScenarios"):
            world.day_of_week[example_group] = scenarios
        for periods in _data(api, "GetDateTimeScenarios"):
            world.date_time[example_group] = periods
    return world
