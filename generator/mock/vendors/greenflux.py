"""GreenFlux platform mock: OCPI 2.1.1 pull endpoints and the Smart Charging capacity groups.

- `Authorization: Token <token>`; anything else answers 401 with OCPI status_code 2000.
- Every answer is the OCPI envelope `{data, status_code, status_message, timestamp}`; errors use
  2001 (invalid parameters, HTTP 400), 2003 (unknown location, HTTP 404) and 2000 (others).
- Lists filter `last_updated` with `date_from` (inclusive) and `date_to` (exclusive), page with
  `offset`/`limit` and send `X-Total-Count`, `X-Limit` and, except on the last page,
  `Link: <next page URL>; rel="next"`.
- Capacity groups, their CAPACITYMANAGEMENTDEFAULT state, day-of-week and date-time scenarios and
  EVSE membership are created, updated and deleted for real. Charge point ids map to EVSEs as in
  the examples (`GFX-ARN-CP0001`), other EVSEs belong to `<location id>-CP`.
"""

from __future__ import annotations

import copy
import hmac
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from generator.mock.behaviour import Behaviour, Handler, MockContext, MockError
from generator.mock.data.greenflux import GreenFluxWorld, build_world
from generator.mock.examples import iso_utc, parse_instant
from generator.mock.http import MockRequest, MockResponse

__all__ = ["BEHAVIOUR", "GreenFluxBehaviour"]

_DEFAULT_STATE = {"default_group_capacity_amps": 32, "session_started_duration": "00:05:00", "min_allocation_amps": 6}


def _instant(text: Any) -> float:
    seconds = parse_instant(text)
    return float("-inf") if seconds is None else seconds


class GreenFluxBehaviour(Behaviour):
    vendor = "greenflux"
    default_credentials = {"token": "mock-token"}

    def __init__(self, ctx: MockContext) -> None:
        super().__init__(ctx)
        self.world: GreenFluxWorld = build_world(ctx.api.api)

    # --- envelope, errors, auth ----------------------------------------------------------------

    def ok(self, data: Any = None, *, status: int = 200, headers: Mapping[str, str] | None = None, with_data: bool = True) -> MockResponse:
        body: dict[str, Any] = {"data": data} if with_data else {}
        body.update(status_code=1000, status_message="Success", timestamp=iso_utc(self.now))
        return MockResponse(status, body, headers=headers)

    def error(self, status: int, message: str, *, request: MockRequest | None = None, **extra: Any) -> MockResponse:
        code = extra.get("ocpi_code", 2001 if status == 400 else 2000)
        body = {"status_code": code, "status_message": message, "timestamp": iso_utc(self.now)}
        return MockResponse(status, body, media_type="application/json")

    def validation_error(self, request: MockRequest, issues: Any) -> MockResponse:
        first = issues[0]
        return self.error(400, f"Invalid or missing parameters: {first.path}: {first.message}")

    def authenticate(self, request: MockRequest) -> MockResponse | None:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme != "Token" or not hmac.compare_digest(token.strip().encode(), self.ctx.credentials["token"].encode()):
            return self.error(401, "Unauthorized")
        request.principal = token.strip()
        return None

    # --- OCPI lists ----------------------------------------------------------------------------

    def _page(self, request: MockRequest, rows: list[dict[str, Any]]) -> MockResponse:
        params = request.params
        date_from, date_to = params.get("date_from"), params.get("date_to")
        if date_from is not None or date_to is not None:
            low = _instant(date_from) if date_from else None
            high = _instant(date_to) if date_to else None
            rows = [r for r in rows if (low is None or _instant(r["last_updated"]) >= low) and (high is None or _instant(r["last_updated"]) < high)]
        offset = params.get("offset", 0)
        limit = params.get("limit") or 1000
        page = rows[offset : offset + limit]
        headers = {"X-Total-Count": str(len(rows)), "X-Limit": str(limit)}
        if offset + limit < len(rows):
            query = {k: v for k, v in request.raw_query.items() if k not in ("offset", "limit")}
            query.update(offset=str(offset + limit), limit=str(limit))
            headers["Link"] = f'<{request.base_url}{request.path}?{urlencode(query)}>; rel="next"'
        return self.ok(page, headers=headers)

    def _location(self, request: MockRequest) -> dict[str, Any]:
        location: dict[str, Any] | None = self.world.locations.get(request.params["location_id"])
        if location is None:
            raise MockError(404, "Unknown location", ocpi_code=2003)
        return location

    def _evse(self, request: MockRequest) -> dict[str, Any]:
        evse: dict[str, Any] | None = next((e for e in self._location(request).get("evses", []) if e["uid"] == request.params["evse_uid"]), None)
        if evse is None:
            raise MockError(404, "Unknown location", ocpi_code=2003)
        return evse

    def get_connector(self, request: MockRequest) -> MockResponse:
        connector = next((c for c in self._evse(request)["connectors"] if c["id"] == request.params["connector_id"]), None)
        if connector is None:
            raise MockError(404, "Unknown location", ocpi_code=2003)
        return self.ok(connector)

    # --- capacity groups -----------------------------------------------------------------------

    def _group_id(self, request: MockRequest) -> str:
        group_id: str = request.params["capacity_group_id"]
        if group_id not in self.world.groups:
            raise MockError(404, "Capacity group not found")
        return group_id

    def list_groups(self, request: MockRequest) -> MockResponse:
        groups = list(self.world.groups.values())
        name, algorithm = request.params.get("name"), request.params.get("algorithm")
        groups = [g for g in groups if (name is None or g["name"] == name) and (algorithm is None or g.get("algorithm") == algorithm)]
        offset, limit = request.params.get("offset", 0), request.params.get("limit") or 1000
        return self.ok(groups[offset : offset + limit])

    def create_group(self, request: MockRequest) -> MockResponse:
        group_id = self.ctx.ids.uuid("capacity-group")
        group = {"id": group_id, "algorithm": "NONE", "capacity_update_method": "DEFAULT", **request.body}
        self.world.groups[group_id] = group
        return self.ok(group, status=201)

    def update_group(self, request: MockRequest) -> MockResponse:
        group_id = self._group_id(request)
        old = self.world.groups[group_id]
        # The CPO a group belongs to cannot change; everything else is replaced.
        self.world.groups[group_id] = {"id": group_id, "cpo_external_id": old.get("cpo_external_id"), **request.body}
        if self.world.groups[group_id]["cpo_external_id"] is None:
            del self.world.groups[group_id]["cpo_external_id"]
        return self.ok(self.world.groups[group_id])

    def delete_group(self, request: MockRequest) -> MockResponse:
        group_id = self._group_id(request)
        del self.world.groups[group_id]
        for table in (self.world.states, self.world.day_of_week, self.world.date_time, self.world.members):
            table.pop(group_id, None)
        return self.ok(with_data=False)

    def put_state(self, request: MockRequest) -> MockResponse:
        group_id = self._group_id(request)
        self.world.states[group_id] = {**self.world.states.get(group_id, _DEFAULT_STATE), **request.body}
        return self.ok(self.world.states[group_id])

    def put_day_of_week(self, request: MockRequest) -> MockResponse:
        self.world.day_of_week[self._group_id(request)] = {"scenarios": [], **request.body}
        return self.ok(self.world.day_of_week[request.params["capacity_group_id"]])

    def put_date_time(self, request: MockRequest) -> MockResponse:
        self.world.date_time[self._group_id(request)] = list(request.body)
        return self.ok(self.world.date_time[request.params["capacity_group_id"]])

    def add_charge_points(self, request: MockRequest) -> MockResponse:
        group_id = self._group_id(request)
        unknown = [cp for cp in request.body["charge_point_ids"] if cp not in self.world.charge_points]
        if unknown:
            raise MockError(404, f"Charge point not found: {unknown[0]}")
        members = self.world.members.setdefault(group_id, {})
        for cp in request.body["charge_point_ids"]:
            for location_id, evse_uid, evse_id in self.world.charge_points[cp]:
                for other in self.world.members.values():  # an EVSE belongs to one group at a time
                    other.pop(evse_uid, None)
                member = {"evse_uid": evse_uid, "charge_point_id": cp, "location_id": location_id}
                if evse_id:
                    member["evse_id"] = evse_id
                members[evse_uid] = member
        return self.ok(list(members.values()))

    def remove_evse(self, request: MockRequest) -> MockResponse:
        members = self.world.members.get(self._group_id(request), {})
        if request.params["evse_uid"] not in members:
            raise MockError(404, "EVSE is not a member of the capacity group")
        del members[request.params["evse_uid"]]
        return self.ok(with_data=False)

    def handlers(self) -> Mapping[str, Handler]:
        world = self.world
        return {
            "ListLocations": lambda r: self._page(r, list(world.locations.values())),
            "GetLocation": lambda r: self.ok(self._location(r)),
            "GetEvse": lambda r: self.ok(self._evse(r)),
            "GetConnector": self.get_connector,
            "ListSessions": lambda r: self._page(r, world.sessions),
            "ListCdrs": lambda r: self._page(r, world.cdrs),
            "ListTariffs": lambda r: self._page(r, world.tariffs),
            "ListCapacityGroups": self.list_groups,
            "CreateCapacityGroup": self.create_group,
            "GetCapacityGroup": lambda r: self.ok(world.groups[self._group_id(r)]),
            "UpdateCapacityGroup": self.update_group,
            "DeleteCapacityGroup": self.delete_group,
            "GetCapacityGroupState": lambda r: self.ok(world.states.get(self._group_id(r), copy.deepcopy(_DEFAULT_STATE))),
            "UpdateCapacityGroupState": self.put_state,
            "GetDayOfWeekScenarios": lambda r: self.ok(
                world.day_of_week.get(self._group_id(r), {"time_zone": "Europe/Amsterdam", "scenarios": []})
            ),
            "UpdateDayOfWeekScenarios": self.put_day_of_week,
            "GetDateTimeScenarios": lambda r: self.ok(world.date_time.get(self._group_id(r), [])),
            "UpdateDateTimeScenarios": self.put_date_time,
            "ListCapacityGroupEvses": lambda r: self.ok(list(world.members.get(self._group_id(r), {}).values())),
            "AddChargePointsToCapacityGroup": self.add_charge_points,
            "RemoveEvseFromCapacityGroup": self.remove_evse,
        }


BEHAVIOUR = GreenFluxBehaviour
