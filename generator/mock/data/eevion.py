"""Eevion seed data: sites, stations, sessions, exceptions and management jobs from the spec's
examples, plus a station for every station id the spec's request examples use (so examples work
against the mock) and enough synthetic exceptions to fill more than one 750-row page."""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass, field
from typing import Any

from generator.ir.model import Api
from generator.mock.examples import param_examples, request_examples, response_examples

__all__ = ["EevionWorld", "build_world", "staging_world"]

MOCK_SITE_ID = "6650c0ffee0000000000a001"
SYNTHETIC_EXCEPTIONS = 1000
_EXCEPTION_TYPES = (
    ("Offline", "No logs or heartbeats in at least 15 minutes"),
    ("ConnectionClosed", "Connection closed"),
    ("Faulted", "Station reported a fault"),
)


@dataclass
class EevionWorld:
    """One environment's data. Stations are the ports of the sites, indexed by `displayName`."""

    sites: dict[str, dict[str, Any]] = field(default_factory=dict)
    stations: dict[str, tuple[dict[str, Any], str]] = field(default_factory=dict)  # id -> (port, site id)
    sessions: dict[str, dict[str, Any]] = field(default_factory=dict)
    exceptions: list[dict[str, Any]] = field(default_factory=list)
    jobs: dict[int, dict[str, Any]] = field(default_factory=dict)
    tickets: list[dict[str, Any]] = field(default_factory=list)
    limits: dict[str, dict[str, Any]] = field(default_factory=dict)
    version: int = 0  # bumped whenever a site or station changes (the site list is cached by it)

    def add_site(self, site: dict[str, Any]) -> dict[str, Any]:
        existing = self.sites.setdefault(site["id"], {**site, "ports": []})
        for port in site.get("ports", []):
            self.add_port(port, site["id"])
        return existing

    def add_port(self, port: dict[str, Any], site_id: str) -> None:
        if port["displayName"] in self.stations:
            return
        port = {k: v for k, v in port.items() if k != "location"}
        self.sites[site_id]["ports"].append(port)
        self.stations[port["displayName"]] = (port, site_id)


def _port_id(station_id: str) -> str:
    # 21 URL-safe characters, like the vendor's port ids, derived from the station id.
    return hashlib.sha256(station_id.encode()).hexdigest()[:21]


def _synthetic_port(station_id: str, port_id: str | None = None) -> dict[str, Any]:
    return {
        "portId": port_id or _port_id(station_id),
        "connectors": [5],
        "displayName": station_id,
        "level": 2,
        "tariffTimeSlots": None,
        "kW": 7.2,
        "volts": 208,
        "model": "JointTech EVC-10 48A",
        "dateAdded": "2024-01-15T17:00:00.000Z",
        "restriction": "public",
        "amps": 32,
        "chargingCostUnit": 3,
        "chargingCost": 0,
        "status": "available",
    }


def _site_from_location(location: dict[str, Any]) -> dict[str, Any]:
    keys = ("id", "name", "lat", "long", "streetNum", "street", "city", "state", "country", "zip")
    return {**{k: location.get(k) for k in keys}, "ports": []}


def build_world(api: Api) -> EevionWorld:
    world = EevionWorld()
    for example in response_examples(api, "ListSites"):
        for site in example if isinstance(example, list) else []:
            world.add_site(site)
    for site in response_examples(api, "GetSite"):
        world.add_site(site)
    for station in response_examples(api, "GetStation"):
        if isinstance(station.get("location"), dict):
            world.add_site(station["location"])
            world.add_port(station, station["location"]["id"])
    sessions = [s for example in response_examples(api, "ListOrStartSessions") if isinstance(example, list) for s in example]
    sessions += response_examples(api, "GetSession")
    for session in sessions:
        world.sessions.setdefault(session["sessionId"], session)
        location = session.get("location") or {}
        station_id = session.get("stationId")
        if station_id and station_id not in world.stations and location.get("id"):
            site = world.add_site(_site_from_location(location))
            world.add_port(_synthetic_port(station_id, session.get("portId")), site["id"])
    # Station ids used by request examples: make them exist so the examples run against the mock.
    wanted: list[str] = [str(v) for v in param_examples(api, "stationId")]
    for operation_id in ("ListOrStartSessions", "ManageStations", "ManageEnergy", "CreateTicket", "GetReport"):
        for body in request_examples(api, operation_id):
            items = body if isinstance(body, list) else [body]
            for item in items:
                if isinstance(item, dict):
                    wanted += [str(s) for s in [item.get("stationId"), *item.get("stationIds", []), *item.get("stations", []), *item.get("stationNames", [])] if s]
    missing = [s for s in dict.fromkeys(wanted) if s not in world.stations]
    if missing:
        world.add_site(
            {
                "id": MOCK_SITE_ID,
                "name": "Hypercharge Mock Lab",
                "lat": 49.2827,
                "long": -123.1207,
                "street": " West Georgia Street",
                "streetNum": "700",
                "city": "Vancouver",
                "state": "BC",
                "country": "CAN",
                "zip": "V7Y 1G5",
                "dateAdded": "2024-01-15T17:00:00.000Z",
                "ports": [_synthetic_port(s) for s in missing],
            }
        )
    for example in response_examples(api, "ListExceptions"):
        world.exceptions += [e for e in example if isinstance(e, dict)] if isinstance(example, list) else []
    world.exceptions += _synthetic_exceptions(world)
    world.exceptions.sort(key=lambda e: (-e["timestamp"], -e["id"]))
    for example in response_examples(api, "ListManagementHistory"):
        for job in example if isinstance(example, list) else []:
            world.jobs.setdefault(job["id"], job)
    return world


def _synthetic_exceptions(world: EevionWorld) -> list[dict[str, Any]]:
    stations = sorted(world.stations)
    base = 1714743000000  # early May 2024, like the spec's examples
    out = []
    for i in range(SYNTHETIC_EXCEPTIONS):
        station = stations[i % len(stations)]
        _, site_id = world.stations[station]
        kind, description = _EXCEPTION_TYPES[i % len(_EXCEPTION_TYPES)]
        start = base - 600_000 * (i + 1)
        out.append(
            {
                "id": 8400000 - i,
                "timestamp": start,
                "station_id": station,
                "location_id": site_id,
                "type": kind,
                "description": description,
                "end_timestamp": start + 900_000 if i % 4 else None,
                "location": world.sites[site_id]["name"],
            }
        )
    return out


def staging_world(production: EevionWorld) -> EevionWorld:
    """The staging data set: the same ids (so examples work) with staging names, its own state."""
    world = copy.deepcopy(production)
    for site in world.sites.values():
        site["name"] = f"[Staging] {site['name']}"
    world.exceptions = world.exceptions[: len(world.exceptions) // 10]
    return world

