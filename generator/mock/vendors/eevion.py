"""Hypercharge Eevion: what its spec cannot say, on top of the generic engine.

The engine answers List sites, Get a site and Create ticket from the spec (seeded with its examples),
enforces the API key of the spec's recipe (`Authorization: Bearer <apiKey>`), renders errors from
the spec's examples and rate-limits: 60 requests per 60 s per key, then 429 with `Retry-After`
(`create_app(rate_limit=False)` / `--no-rate-limit` turns it off). This module adds:
- `?environment=staging`: its own copy of the store (same ids, site names `[Staging] ...`).
- Unknown site, station or session ids answer 400 `invalidRequest`, as Eevion does (no 404).
- A station is a port of a stored site (`displayName`), answered with its site as `location`.
- `POST /session` lists (body filters, newest first) or, with a `stationId`, starts a session: it is
  `authorizing` until `MockOptions.settings["authorize_seconds"]` (default 3 s) have passed or it has
  been read, then `charging`; an offline or busy station answers 400 with `details.code` 707.
  Stopping an `authorizing` session answers 400; a stop makes it `complete` and POSTs the final
  session to `webhookOnSessionComplete`; stopping it again answers it unchanged. The stop body's
  `portId` is required but not compared with the session's port.
- Manage stations queues a job (integer id) that finishes after `MockOptions.settings["job_seconds"]`
  (default 2 s); the management history lists it, and `webhookOnJobFinished` receives it then.
- Exceptions and management history: 750 per page, pages from 1, newest first, `since` in ms; the
  exceptions are the spec's examples plus 1,000 synthetic ones (more than one page).
- Energy management answers per station; the report (`eevion_reports`) sums the stored sessions.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from generator.mock.behaviour import Handler, MockContext, MockError
from generator.mock.engine import GenericBehaviour
from generator.mock.examples import iso_utc, parse_instant, response_examples
from generator.mock.http import MockRequest, MockResponse, dump_json_bytes
from generator.mock.operations import CompiledOperation
from generator.mock.resources import Resource
from generator.mock.vendors.eevion_reports import build_report

__all__ = ["BEHAVIOUR", "EXPECTED_STATUSES", "EevionBehaviour"]

PAGE_SIZE = 750
CHARGING_POWER_W = 7200.0
AUTHORIZE_SECONDS = 3.0  # a new session is `authorizing` this long (or until read)
JOB_SECONDS = 2.0  # a management job finishes after this long
SYNTHETIC_EXCEPTIONS = 1000
SITES, SESSIONS, JOBS = "/site", "/session", "/station/management-history"
_EXCEPTION_TYPES = (("Offline", "No logs or heartbeats in at least 15 minutes"), ("ConnectionClosed", "Connection closed"), ("Faulted", "Station reported a fault"))
_NOT_ALLOWED = {"GetSite": "That site is not allowed"}

# Statuses the contract runs accept beyond schemathesis's defaults (`tests.support.contract`).
EXPECTED_STATUSES: dict[str, list[str]] = {
    # Eevion answers unknown station / session ids with 400 `invalidRequest`, not 404 (eevion
    # reference, "Get a session": 400 "That station is not allowed").
    "positive_data_acceptance": ["400"],
}


class EevionBehaviour(GenericBehaviour):
    vendor = "eevion"
    default_credentials = {"apiKey": "mock-api-key"}

    def __init__(self, ctx: MockContext) -> None:
        ctx.extras.setdefault("rate_limit", (ctx.options.rate_limit_requests, ctx.options.rate_limit_window))
        self.exceptions: list[dict[str, Any]] = []
        super().__init__(ctx)

    # --- hooks of the engine -------------------------------------------------------------------

    def reset(self) -> None:
        super().reset()
        for example in response_examples(self.api, "ListOrStartSessions"):
            for session in example if isinstance(example, list) else []:
                if not self.store.has(SESSIONS, (), session["sessionId"]):
                    self.store.put(SESSIONS, (), session["sessionId"], session)
        for example in response_examples(self.api, "ListManagementHistory"):
            for job in example if isinstance(example, list) else []:
                self.store.put(JOBS, (), str(job["id"]), job)
        for collection in (SITES, SESSIONS, JOBS):
            for key, item in [(self._key(collection, i), copy.deepcopy(i)) for i in self.store.items(collection, ())]:
                if collection == SITES:
                    item["name"] = f"[Staging] {item['name']}"
                self.store.put(collection, ("staging",), key, item)
        self.exceptions = _exceptions(self.api, self.store.items(SITES, ()))

    def store_scope(self, request: MockRequest, resource: Resource) -> tuple[str, ...]:
        return super().store_scope(request, resource) + _env(request)

    def unknown_item(self, request: MockRequest, op: CompiledOperation) -> MockResponse:
        return self.error(400, _NOT_ALLOWED.get(op.operation_id, "That station is not allowed"), request=request)

    def error(self, status: int, message: str, *, request: MockRequest | None = None, **extra: Any) -> MockResponse:
        if request is None:  # no operation (unknown route or method): the spec's error shape
            return MockResponse(status, {"result": "error", "error": "notFound" if status == 404 else "invalidRequest", "message": message}, media_type="application/json")
        answer = super().error(status, message, request=request)
        if isinstance(answer.body, dict):
            answer.body.pop("details", None)  # an example's details describe another failure
            if "details" in extra:
                answer.body["details"] = extra["details"]
        return answer

    def handlers(self) -> Mapping[str, Handler]:
        return {
            **super().handlers(),
            "GetStation": self.get_station,
            "ManageEnergy": self.manage_energy,
            "ListExceptions": lambda r: MockResponse(200, _page([e for e in self.exceptions if e["timestamp"] >= r.params["since"]], r)),
            "ManageStations": self.manage_stations,
            "ListManagementHistory": self.list_jobs,
            "ListOrStartSessions": self.list_or_start_sessions,
            "GetReport": lambda r: MockResponse(200, build_report(self.store.items(SESSIONS, _env(r)), r.body)),
            "GetSession": lambda r: MockResponse(200, self._view(r, self._session(r), read=True)),
            "StopSession": self.stop_session,
        }

    # --- stations ----------------------------------------------------------------------------

    def _station(self, request: MockRequest, station_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
        for site in self.store.items(SITES, _env(request)):
            for port in site.get("ports") or ():
                if port.get("displayName") == station_id:
                    return port, site
        raise MockError(400, "That station is not allowed")

    def _save_site(self, request: MockRequest, site: dict[str, Any]) -> None:
        self.store.put(SITES, _env(request), site["id"], site)  # through the store: the engine's cached site list follows

    def get_station(self, request: MockRequest) -> MockResponse:
        port, site = self._station(request, request.params["stationId"])
        return MockResponse(200, {**port, "location": site})

    def manage_energy(self, request: MockRequest) -> MockResponse:
        details = []
        for item in request.body:
            try:
                self._station(request, item["stationId"])
                details.append({"message": "", "result": "success", "stationId": item["stationId"]})
            except MockError as exc:
                details.append({"message": exc.message, "result": "error", "stationId": item["stationId"]})
        return MockResponse(200, {"result": "success" if all(d["result"] == "success" for d in details) else "error", "details": details})

    # --- management jobs ---------------------------------------------------------------------

    def manage_stations(self, request: MockRequest) -> MockResponse:
        body, commands = request.body, request.body["commands"]
        now_ms, delay = int(self.now * 1000), self.ctx.options.setting("job_seconds", JOB_SECONDS)
        found, unknown, original = [], [], {}
        for station_id in body["stationIds"]:
            try:
                port, site = self._station(request, station_id)
            except MockError:
                unknown.append(station_id)
                continue
            found.append((port, site))
            original[port["portId"]] = {"restriction": port.get("restriction"), "chargingCostId": port.get("chargingCostId")}
            if "isPrivate" in commands:
                port["restriction"] = "private" if commands["isPrivate"]["isPrivate"] == "yes" else "public"
            if "tariffId" in commands:
                port["chargingCostId"] = commands["tariffId"]["tariffId"]
            self._save_site(request, site)
        seeded = [j["id"] for j in self.store.items(JOBS, ())]
        job_id = self.ctx.ids.next_int("job", max(seeded, default=1000) + 1)
        kind = next(iter(commands))
        job = {
            "id": job_id,
            "type": kind,
            "created_at": now_ms,
            "updated_at": now_ms,
            "content": {
                "commands": commands,
                "locationIds": sorted({site["id"] for _, site in found}),
                "originalValues": original,
                "portIds": [port["portId"] for port, _ in found],
                "stationNames": list(body["stationIds"]),
                "webhookOnJobFinished": body.get("webhookOnJobFinished", ""),
            },
            "description": f"{kind} on {len(body['stationIds'])} station(s) (mock)",
            "stations": ", ".join(body["stationIds"]),
            "_due": self.now + delay,
            "_unknown": unknown,
        }
        self.store.put(JOBS, _env(request), str(job_id), job)
        if body.get("webhookOnJobFinished"):
            self.ctx.webhooks.send_later(delay, body["webhookOnJobFinished"], lambda: dump_json_bytes(_job_view(job, finished=True)), {})
        return MockResponse(200, {"jobId": job_id, "message": "Job queued", "result": "success"})

    def list_jobs(self, request: MockRequest) -> MockResponse:
        jobs = sorted((j for j in self.store.items(JOBS, _env(request)) if (j.get("created_at") or 0) >= request.params["since"]), key=lambda j: -j["id"])
        return MockResponse(200, _page([_job_view(j, finished=self.now >= j.get("_due", 0)) for j in jobs], request))

    # --- sessions ----------------------------------------------------------------------------

    def list_or_start_sessions(self, request: MockRequest) -> MockResponse:
        body = request.body if isinstance(request.body, dict) else {}
        if "stationId" in body:
            return self.start_session(request, body)
        sites, stations, since_ms = body.get("sites"), body.get("stations"), body.get("updatedOnOrAfter")
        rows = []
        for session in sorted(self.store.items(SESSIONS, _env(request)), key=lambda s: s.get("createdAt") or "", reverse=True):
            if (stations is None or session.get("stationId") in stations) and (sites is None or (session.get("location") or {}).get("id") in sites):
                view = self._view(request, session, read=True)
                if since_ms is None or _millis(view.get("updatedAt")) >= since_ms:
                    rows.append(view)
        offset = body.get("offset", 0)
        return MockResponse(200, rows[offset : offset + body.get("limit", 500)])

    def start_session(self, request: MockRequest, body: dict[str, Any]) -> MockResponse:
        port, site = self._station(request, body["stationId"])
        busy = any(s.get("stationId") == body["stationId"] and s.get("status") in ("authorizing", "charging") for s in self.store.items(SESSIONS, _env(request)))
        if busy or port.get("status") in ("offline", "removed", "coming soon"):
            details = {"code": 707, "errorDescription": "The station is not available for a new session.", "portId": port["portId"]}
            raise MockError(400, "Could not start the session", details=details)
        now = iso_utc(self.now, millis=True)
        session = {
            "sessionId": self.ctx.ids.hex("session", 24),
            "status": "authorizing",
            "authId": self.ctx.ids.hex("auth", 10),
            "portId": port["portId"],
            "stationId": body["stationId"],
            **{"currency": "CAD", "cost": 0, "costBeforeTaxes": 0, "taxIncluded": True, "taxes": [], "energy": 0, "duration": 0},
            **{"endReason": "", "startWith": "Eevion", "stationStatus": "Preparing", "vehicle": "Unknown", "createdAt": now, "updatedAt": now},
            "location": {k: site.get(k) for k in ("id", "name", "streetNum", "street", "city", "state", "country", "zip", "lat", "long")},
            "_created": self.now,
            "_webhook": body.get("webhookOnSessionComplete"),
        }
        port["status"] = "in use"
        self._save_site(request, site)
        return MockResponse(200, self._view(request, session, read=False))

    def _session(self, request: MockRequest) -> dict[str, Any]:
        session = self.store.get(SESSIONS, _env(request), str(request.params["sessionId"]))
        if session is None:
            raise MockError(400, "That station is not allowed")
        return dict(session)

    def _view(self, request: MockRequest, session: dict[str, Any], *, read: bool) -> dict[str, Any]:
        """Advance a mock-started session (authorizing -> charging on a read or after the delay),
        store it, and answer it without the mock's own `_` fields."""
        now = self.now
        if "_created" in session and session["status"] != "complete":
            if session["status"] == "authorizing" and (read or now >= session["_created"] + self.ctx.options.setting("authorize_seconds", AUTHORIZE_SECONDS)):
                session.update(status="charging", stationStatus="Charging", startTime=iso_utc(now, millis=True), _charging_since=now)
            if session["status"] == "charging":
                elapsed = max(0.0, now - session["_charging_since"])
                session.update(duration=int(elapsed), energy=round(CHARGING_POWER_W * elapsed / 3600), updatedAt=iso_utc(now, millis=True))
            self.store.put(SESSIONS, _env(request), session["sessionId"], session)
        return {k: v for k, v in session.items() if not k.startswith("_")}

    def stop_session(self, request: MockRequest) -> MockResponse:
        session = self._session(request)
        self._view(request, session, read=False)
        if session["status"] == "authorizing":
            raise MockError(400, "The session is authorizing and cannot be stopped yet")
        if session["status"] == "complete":
            return MockResponse(200, self._view(request, session, read=True))  # stopping again changes nothing
        end = iso_utc(self.now, millis=True)
        session.update(status="complete", stationStatus="Available", endReason="Local", endTime=end, updatedAt=end)
        try:
            port, site = self._station(request, str(session.get("stationId")))
            port["status"] = "available"
            self._save_site(request, site)
        except MockError:
            pass
        final = self._view(request, session, read=True)
        self.store.put(SESSIONS, _env(request), session["sessionId"], session)
        if session.get("_webhook"):
            self.ctx.webhooks.send(session["_webhook"], dump_json_bytes(final), {})
        return MockResponse(200, final)

    def _key(self, collection: str, item: dict[str, Any]) -> str:
        return str(item["id"] if collection != SESSIONS else item["sessionId"])


def _env(request: MockRequest) -> tuple[str, ...]:
    return ("staging",) if request.params.get("environment") == "staging" else ()


def _page(rows: list[dict[str, Any]], request: MockRequest) -> list[dict[str, Any]]:
    page = request.params.get("page", 1)
    return rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]


def _millis(text: Any) -> int:
    seconds = parse_instant(text)
    return 0 if seconds is None else int(seconds * 1000)


def _exceptions(api: Any, sites: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The spec's example exceptions, then synthetic ones at the stored stations, newest first."""
    rows = [e for example in response_examples(api, "ListExceptions") if isinstance(example, list) for e in example if isinstance(e, dict)]
    stations = sorted((port["displayName"], site) for site in sites for port in site.get("ports") or ())
    base = 1714743000000  # early May 2024, like the spec's examples
    for i in range(SYNTHETIC_EXCEPTIONS):
        station, site = stations[i % len(stations)]
        kind, description = _EXCEPTION_TYPES[i % len(_EXCEPTION_TYPES)]
        start = base - 600_000 * (i + 1)
        end = start + 900_000 if i % 4 else None
        rows.append({"id": 8400000 - i, "timestamp": start, "station_id": station, "location_id": site["id"], "type": kind, "description": description, "end_timestamp": end, "location": site["name"]})
    return sorted(rows, key=lambda e: (-e["timestamp"], -e["id"]))


def _job_view(job: dict[str, Any], *, finished: bool) -> dict[str, Any]:
    view = {k: v for k, v in job.items() if not k.startswith("_")}
    if "_due" not in job:
        return view  # a seeded job, already finished
    unknown, names = job["_unknown"], job["content"]["stationNames"]
    if not finished:
        return {**view, "status": "queued", "status_message": f"0 of {len(names)} stations done", "ids_completed": [], "errors": []}
    return {
        **view,
        "status": "success" if not unknown else "failed",
        "status_message": f"{len(names) - len(unknown)} of {len(names)} stations done",
        "ids_completed": list(job["content"]["portIds"]),
        "errors": [f"{s}: That station is not allowed" for s in unknown],
        "updated_at": int(job["_due"] * 1000),
    }


BEHAVIOUR = EevionBehaviour
