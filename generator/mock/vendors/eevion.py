"""Hypercharge Eevion mock: API-key auth, rate limit, sites and stations, sessions with state
transitions, management jobs, exceptions, reports, and the two webhooks.

- `Authorization: Bearer <apiKey>`; 60 requests per 60 s per key, then 429 with `Retry-After`
  (`create_app(rate_limit=False)` / `--no-rate-limit` turns it off).
- `?environment=staging` is served from a separate data set (same ids, own state).
- A started session is `authorizing` until `MockOptions.settings["authorize_seconds"]` (default 3 s) have passed or it has
  been read once, then `charging`; stopping an `authorizing` session answers 400; a stop makes it
  `complete` and POSTs the final session to `webhookOnSessionComplete`; stopping a `complete`
  session again answers it unchanged. The stop body's `portId` is
  required but not compared with the session's port.
- Manage stations queues a job (integer id) that finishes after `MockOptions.settings["job_seconds"]` (default 2 s); the
  management history lists it, and `webhookOnJobFinished` receives it when it finishes.
- Unknown site, station or session ids answer 400 `invalidRequest`, as Eevion does (no 404).
- Exceptions and management history: 750 per page, pages from 1, newest first.
"""

from __future__ import annotations

import hmac
import math
from collections import deque
from collections.abc import Mapping
from typing import Any

from generator.mock.behaviour import Behaviour, Handler, MockContext, MockError
from generator.mock.data.eevion import EevionWorld, build_world, staging_world
from generator.mock.examples import iso_utc, parse_instant
from generator.mock.http import MockRequest, MockResponse, dump_json_bytes
from generator.mock.vendors.eevion_reports import build_report

__all__ = ["BEHAVIOUR", "EXPECTED_STATUSES", "EevionBehaviour"]

PAGE_SIZE = 750
CHARGING_POWER_W = 7200.0
_ERROR_CODES = {400: "invalidRequest", 401: "unauthorized", 404: "notFound", 405: "methodNotAllowed", 429: "rateLimited"}


AUTHORIZE_SECONDS = 3.0  # a new session is `authorizing` this long (or until read)
JOB_SECONDS = 2.0  # a management job finishes after this long

# Statuses the contract runs accept beyond schemathesis's defaults (`tests.support.contract`).
EXPECTED_STATUSES: dict[str, list[str]] = {
    # Eevion answers unknown station / session ids with 400 `invalidRequest`, not 404 (eevion
    # reference, "Get a session": 400 "That station is not allowed").
    "positive_data_acceptance": ["400"],
}


class EevionBehaviour(Behaviour):
    vendor = "eevion"
    default_credentials = {"apiKey": "mock-api-key"}

    def __init__(self, ctx: MockContext) -> None:
        super().__init__(ctx)
        production = build_world(ctx.api.api)
        self.worlds: dict[str, EevionWorld] = {"production": production, "staging": staging_world(production)}
        self._calls: dict[str, deque[float]] = {}
        self._site_lists: dict[int, tuple[int, bytes]] = {}
        self._next_job = max((j for w in self.worlds.values() for j in w.jobs), default=1000) + 1

    def world(self, request: MockRequest) -> EevionWorld:
        return self.worlds["staging" if request.params.get("environment") == "staging" else "production"]

    # --- errors, auth, rate limit -------------------------------------------------------------

    def error(self, status: int, message: str, *, request: MockRequest | None = None, **extra: Any) -> MockResponse:
        body: dict[str, Any] = {"result": "error", "error": _ERROR_CODES.get(status, "invalidRequest"), "message": message}
        if "details" in extra:
            body["details"] = extra["details"]
        headers = {"Retry-After": str(extra["retry_after"])} if "retry_after" in extra else None
        return MockResponse(status, body, headers=headers, media_type="application/json")

    def authenticate(self, request: MockRequest) -> MockResponse | None:
        scheme, _, key = request.headers.get("authorization", "").partition(" ")
        expected = self.ctx.credentials["apiKey"]
        if scheme.lower() != "bearer" or not hmac.compare_digest(key.strip().encode(), expected.encode()):
            return self.error(401, "Invalid API key")
        request.principal = key.strip()
        return None

    def notes(self) -> list[str]:
        options = self.ctx.options
        if not self.ctx.rate_limit:
            return ["rate limit: off"]
        return [f"rate limit: {options.rate_limit_requests} requests per {options.rate_limit_window:g} s per key (--no-rate-limit to turn off)"]

    def admit(self, request: MockRequest) -> MockResponse | None:
        if not self.ctx.rate_limit or request.principal is None:
            return None
        limit, window = self.ctx.options.rate_limit_requests, self.ctx.options.rate_limit_window
        now = self.now
        calls = self._calls.setdefault(request.principal, deque())
        while calls and calls[0] <= now - window:
            calls.popleft()
        if len(calls) >= limit:
            retry = max(1, math.ceil(calls[0] + window - now))
            return self.error(429, f"Too many requests: {limit} requests per {window:g} seconds allowed", retry_after=retry)
        calls.append(now)
        return None

    # --- handlers ----------------------------------------------------------------------------

    def handlers(self) -> Mapping[str, Handler]:
        return {
            "ListSites": self.list_sites,
            "GetSite": self.get_site,
            "CreateTicket": self.create_ticket,
            "GetStation": self.get_station,
            "ManageEnergy": self.manage_energy,
            "ListExceptions": self.list_exceptions,
            "ManageStations": self.manage_stations,
            "ListManagementHistory": self.list_jobs,
            "ListOrStartSessions": self.list_or_start_sessions,
            "GetReport": lambda r: MockResponse(200, build_report(self.world(r), r.body, self.now)),
            "GetSession": self.get_session,
            "StopSession": self.stop_session,
        }

    def list_sites(self, request: MockRequest) -> MockResponse:
        # The full site list is the hot path (dashboards poll it): serialise it once per change.
        world = self.world(request)
        cached = self._site_lists.get(id(world))
        if cached is None or cached[0] != world.version:
            cached = (world.version, dump_json_bytes(list(world.sites.values())))
            self._site_lists[id(world)] = cached
        return MockResponse(200, cached[1])

    def get_site(self, request: MockRequest) -> MockResponse:
        site = self.world(request).sites.get(request.params["siteId"])
        if site is None:
            raise MockError(400, "That site is not allowed")
        return MockResponse(200, site)

    def _station(self, world: EevionWorld, station_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
        found = world.stations.get(station_id)
        if found is None:
            raise MockError(400, "That station is not allowed")
        port, site_id = found
        return port, world.sites[site_id]

    def get_station(self, request: MockRequest) -> MockResponse:
        port, site = self._station(self.world(request), request.params["stationId"])
        return MockResponse(200, {**port, "location": site})

    def create_ticket(self, request: MockRequest) -> MockResponse:
        self.world(request).tickets.append(dict(request.body))
        return MockResponse(200, {"result": "success"})

    def manage_energy(self, request: MockRequest) -> MockResponse:
        world = self.world(request)
        details = []
        for item in request.body:
            if item["stationId"] in world.stations:
                world.limits[item["stationId"]] = item["newChargingProfile"]
                details.append({"message": "", "result": "success", "stationId": item["stationId"]})
            else:
                details.append({"message": "That station is not allowed", "result": "error", "stationId": item["stationId"]})
        result = "success" if all(d["result"] == "success" for d in details) else "error"
        return MockResponse(200, {"result": result, "details": details})

    def list_exceptions(self, request: MockRequest) -> MockResponse:
        since = request.params["since"]
        rows = [e for e in self.world(request).exceptions if e["timestamp"] >= since]
        return MockResponse(200, _page(rows, request.params.get("page", 1)))

    # --- management jobs ---------------------------------------------------------------------

    def manage_stations(self, request: MockRequest) -> MockResponse:
        world = self.world(request)
        body = request.body
        now_ms = int(self.now * 1000)
        known = [s for s in body["stationIds"] if s in world.stations]
        job_id = self._next_job
        self._next_job += 1
        commands = body["commands"]
        original: dict[str, Any] = {}
        for station_id in known:
            port, _ = world.stations[station_id]
            original[port["portId"]] = {"restriction": port.get("restriction"), "chargingCostId": port.get("chargingCostId")}
            if "isPrivate" in commands:
                port["restriction"] = "private" if commands["isPrivate"]["isPrivate"] == "yes" else "public"
            if "tariffId" in commands:
                port["chargingCostId"] = commands["tariffId"]["tariffId"]
        world.version += 1
        job = {
            "id": job_id,
            "type": next(iter(commands)),
            "created_at": now_ms,
            "updated_at": now_ms,
            "content": {
                "commands": commands,
                "locationIds": sorted({world.stations[s][1] for s in known}),
                "originalValues": original,
                "portIds": [world.stations[s][0]["portId"] for s in known],
                "stationNames": list(body["stationIds"]),
                "webhookOnJobFinished": body.get("webhookOnJobFinished", ""),
            },
            "description": f"{next(iter(commands))} on {len(body['stationIds'])} station(s) (mock)",
            "stations": ", ".join(body["stationIds"]),
            "_due": self.now + self.ctx.options.setting("job_seconds", JOB_SECONDS),
            "_unknown": [s for s in body["stationIds"] if s not in world.stations],
        }
        world.jobs[job_id] = job
        if body.get("webhookOnJobFinished"):
            self.ctx.webhooks.send_later(
                self.ctx.options.setting("job_seconds", JOB_SECONDS), body["webhookOnJobFinished"], lambda: dump_json_bytes(_job_view(job, finished=True)), {}
            )
        return MockResponse(200, {"jobId": job_id, "message": "Job queued", "result": "success"})

    def list_jobs(self, request: MockRequest) -> MockResponse:
        since = request.params["since"]
        now = self.now
        jobs = sorted((j for j in self.world(request).jobs.values() if (j.get("created_at") or 0) >= since), key=lambda j: -j["id"])
        return MockResponse(200, _page([_job_view(j, finished=now >= j.get("_due", 0)) for j in jobs], request.params.get("page", 1)))

    # --- sessions ----------------------------------------------------------------------------

    def list_or_start_sessions(self, request: MockRequest) -> MockResponse:
        body = request.body if isinstance(request.body, dict) else {}
        if "stationId" in body:
            return self.start_session(request, body)
        world = self.world(request)
        sites, stations = body.get("sites"), body.get("stations")
        since_ms = body.get("updatedOnOrAfter")
        rows = []
        for session in sorted(world.sessions.values(), key=lambda s: s.get("createdAt") or "", reverse=True):
            if stations is not None and session.get("stationId") not in stations:
                continue
            if sites is not None and (session.get("location") or {}).get("id") not in sites:
                continue
            rows.append(self._session_view(session, read=True))
        if since_ms is not None:
            rows = [s for s in rows if _millis(s.get("updatedAt")) >= since_ms]
        offset, limit = body.get("offset", 0), body.get("limit", 500)
        return MockResponse(200, rows[offset : offset + limit])

    def start_session(self, request: MockRequest, body: dict[str, Any]) -> MockResponse:
        world = self.world(request)
        port, site = self._station(world, body["stationId"])
        if port.get("status") in ("offline", "removed", "coming soon") or any(
            s.get("stationId") == body["stationId"] and s["status"] in ("authorizing", "charging") for s in world.sessions.values()
        ):
            raise MockError(
                400,
                "Could not start the session",
                details={"code": 707, "errorDescription": "The station is not available for a new session.", "portId": port["portId"]},
            )
        now = self.now
        session_id = self.ctx.ids.hex("session", 24)
        location = {k: site.get(k) for k in ("id", "name", "streetNum", "street", "city", "state", "country", "zip", "lat", "long")}
        session = {
            "sessionId": session_id,
            "status": "authorizing",
            "authId": self.ctx.ids.hex("auth", 10),
            "portId": port["portId"],
            "stationId": body["stationId"],
            "currency": "CAD",
            "cost": 0,
            "costBeforeTaxes": 0,
            "taxIncluded": True,
            "taxes": [],
            "energy": 0,
            "duration": 0,
            "endReason": "",
            "startWith": "Eevion",
            "stationStatus": "Preparing",
            "location": location,
            "vehicle": "Unknown",
            "createdAt": iso_utc(now, millis=True),
            "updatedAt": iso_utc(now, millis=True),
            "_created": now,
            "_webhook": body.get("webhookOnSessionComplete"),
            "_continueIfBatteryFull": body.get("continueIfBatteryFull", True),
        }
        world.sessions[session_id] = session
        port["status"] = "in use"
        world.version += 1
        return MockResponse(200, self._session_view(session, read=False))

    def _refresh(self, session: dict[str, Any], *, read: bool) -> None:
        """Advance a mock-started session: authorizing -> charging on a read or after the delay."""
        if "_created" not in session or session["status"] == "complete":
            return
        now = self.now
        if session["status"] == "authorizing" and (read or now >= session["_created"] + self.ctx.options.setting("authorize_seconds", AUTHORIZE_SECONDS)):
            session["status"] = "charging"
            session["stationStatus"] = "Charging"
            session["startTime"] = iso_utc(now, millis=True)
            session["_charging_since"] = now
        if session["status"] == "charging":
            elapsed = max(0.0, now - session["_charging_since"])
            session["duration"] = int(elapsed)
            session["energy"] = round(CHARGING_POWER_W * elapsed / 3600)
            session["updatedAt"] = iso_utc(now, millis=True)

    def _session_view(self, session: dict[str, Any], *, read: bool) -> dict[str, Any]:
        self._refresh(session, read=read)
        return {k: v for k, v in session.items() if not k.startswith("_")}

    def _session(self, request: MockRequest) -> dict[str, Any]:
        session = self.world(request).sessions.get(request.params["sessionId"])
        if session is None:
            raise MockError(400, "That station is not allowed")
        return session

    def get_session(self, request: MockRequest) -> MockResponse:
        session = self._session(request)
        if "_created" in session and session["status"] != "complete":
            return MockResponse(200, self._session_view(session, read=True))
        # A session that no longer changes: serialise it once (followers poll this route).
        if "_json" not in session:
            session["_json"] = dump_json_bytes(self._session_view(session, read=True))
        return MockResponse(200, session["_json"])

    def stop_session(self, request: MockRequest) -> MockResponse:
        world = self.world(request)
        session = self._session(request)
        self._refresh(session, read=False)
        if session["status"] == "authorizing":
            raise MockError(400, "The session is authorizing and cannot be stopped yet")
        if session["status"] == "complete":
            return MockResponse(200, self._session_view(session, read=True))  # stopping again changes nothing
        now = self.now
        session.pop("_json", None)
        session.update(status="complete", stationStatus="Available", endReason="Local", endTime=iso_utc(now, millis=True))
        session["updatedAt"] = session["endTime"]
        found = world.stations.get(str(session.get("stationId")))
        if found is not None:
            found[0]["status"] = "available"
            world.version += 1
        final = self._session_view(session, read=True)
        if session.get("_webhook"):
            self.ctx.webhooks.send(session["_webhook"], dump_json_bytes(final), {})
        return MockResponse(200, final)


def _page(rows: list[dict[str, Any]], page: int) -> list[dict[str, Any]]:
    return rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]


def _millis(text: Any) -> int:
    seconds = parse_instant(text)
    return 0 if seconds is None else int(seconds * 1000)


def _job_view(job: dict[str, Any], *, finished: bool) -> dict[str, Any]:
    view = {k: v for k, v in job.items() if not k.startswith("_")}
    if "_due" not in job:
        return view  # a seeded job, already finished
    unknown = job["_unknown"]
    names = job["content"]["stationNames"]
    done = len(names) - len(unknown)
    if finished:
        view.update(
            status="success" if not unknown else "failed",
            status_message=f"{done} of {len(names)} stations done",
            ids_completed=list(job["content"]["portIds"]),
            errors=[f"{s}: That station is not allowed" for s in unknown],
            updated_at=int(job["_due"] * 1000),
        )
    else:
        view.update(status="queued", status_message=f"0 of {len(names)} stations done", ids_completed=[], errors=[])
    return view


BEHAVIOUR = EevionBehaviour
