"""GreenFlux platform: what its spec cannot say, over the generic engine.

The engine serves the spec (`Authorization: Token <token>`, the OCPI envelope `{data, status_code,
status_message, timestamp}` and its error examples' status codes, offset/limit paging with
`X-Total-Count`, `X-Limit` and `Link: <next page>; rel="next"`, `date_from`/`date_to` on
`last_updated`, EVSEs and connectors read from inside their location, capacity groups and their
state and scenarios, seeded from the examples). This
module adds what OCPI and the Smart Charging API define outside the spec's schemas:
- charge points join a capacity group with their EVSEs (an EVSE belongs to one group at a time);
  a charge point is known from the examples' group members, else it is `<location id>-CP` with
  every EVSE of its location.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.mock.behaviour import Handler
from generator.mock.engine import GenericBehaviour
from generator.mock.examples import response_examples
from generator.mock.http import MockRequest, MockResponse

__all__ = ["BEHAVIOUR", "GreenFluxBehaviour"]

LOCATIONS = "/api/1.0/locations"
MEMBERS = "/api/1.0/smartcharging/capacitygroups/{capacity_group_id}/evses"


class GreenFluxBehaviour(GenericBehaviour):
    vendor = "greenflux"

    def handlers(self) -> Mapping[str, Handler]:
        return {
            **super().handlers(),
            "AddChargePointsToCapacityGroup": self.add_charge_points,
        }

    def charge_points(self) -> dict[str, list[dict[str, Any]]]:
        """Charge point id -> the group members its EVSEs become."""
        points: dict[str, list[dict[str, Any]]] = {}
        for example in response_examples(self.api, "ListCapacityGroupEvses"):
            for member in example.get("data", []) if isinstance(example, dict) else []:
                points.setdefault(member["charge_point_id"], []).append(member)
        known = {m["evse_uid"] for members in points.values() for m in members}
        for location in self.stored(LOCATIONS):
            for evse in location.get("evses", []):
                if evse["uid"] not in known:
                    member = {"evse_uid": evse["uid"], "charge_point_id": f"{location['id']}-CP", "location_id": location["id"]}
                    points.setdefault(member["charge_point_id"], []).append({**member, **({"evse_id": evse["evse_id"]} if evse.get("evse_id") else {})})
        return points

    def add_charge_points(self, request: MockRequest) -> MockResponse:
        if self.missing_parent(request):
            return self.generic(request)  # the engine's 404 for an unknown group
        points = self.charge_points()
        unknown = [cp for cp in request.body["charge_point_ids"] if cp not in points]
        if unknown:
            return self.not_found(request, f"Charge point not found: {unknown[0]}")
        group = (request.params["capacity_group_id"],)
        for cp in request.body["charge_point_ids"]:
            for member in points[cp]:
                for scope, other in self.collections_of(MEMBERS):  # an EVSE belongs to one group at a time
                    if other["evse_uid"] == member["evse_uid"]:
                        self.store.delete(MEMBERS, scope, member["evse_uid"])
                self.store.put(MEMBERS, group, member["evse_uid"], dict(member))
        return self.respond(request, self.stored(MEMBERS, group))


BEHAVIOUR = GreenFluxBehaviour
