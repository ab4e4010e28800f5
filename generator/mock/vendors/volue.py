"""Volue Spark Energy Coordination: what its spec cannot say, over the generic engine.

The engine serves the spec (client-credentials tokens at `/connect/token`, users and their
vehicles, meters and resources under client-chosen ids with 409 and cascading deletes, webhooks
without their secret, events seeded from the examples, RFC 7807 errors). This module adds:
- a meter point is registered once per user (409 otherwise), as the spec's Conflict response says
  in prose;
- `POST /webhooks/{webhookId}/test` and PriceDelta events are POSTed to the webhook URL with
  `Spark-Signature` = Base64(HMAC-SHA256(key = webhook secret as UTF-8, message = raw body)),
  retried up to 3 times with exponential back-off;
- `POST /_mock/events/price-delta` (outside the spec; the mock's credentials): emit a PriceDelta
  event, optional JSON body `{priceArea, operation, currency, energyUnit, points: [{price,
  timestamp}]}`; answers 201 `{"event": ..., "deliveries": n}` (in Python: `emit_price_delta`);
- a report names the program of the event it answers.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Mapping, Sequence
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from generator.mock.behaviour import Handler
from generator.mock.engine import GenericBehaviour
from generator.mock.examples import iso_utc
from generator.mock.http import MockRequest, MockResponse, dump_json_bytes

__all__ = ["BEHAVIOUR", "VolueBehaviour", "spark_signature"]

DEFAULT_PROGRAM_ID = "55838672-89cb-406f-88a8-fe4b46b057bc"


def spark_signature(secret: str, body: bytes) -> str:
    """Base64(HMAC-SHA256(key = secret as UTF-8, message = body))."""
    return base64.b64encode(hmac.new(secret.encode("utf-8"), body, hashlib.sha256).digest()).decode("ascii")


class VolueBehaviour(GenericBehaviour):
    vendor = "volue"

    def handlers(self) -> Mapping[str, Handler]:
        return {
            **super().handlers(),
            "RegisterMeter": self.register_meter,
            "TestWebhook": self.test_webhook,
            "SendReport": self.send_report,
        }

    def routes(self) -> list[BaseRoute]:
        return [*super().routes(), Route("/_mock/events/price-delta", self.price_delta_endpoint, methods=["POST"])]

    def register_meter(self, request: MockRequest) -> MockResponse:
        point = request.body["meterPointId"] if isinstance(request.body, dict) else None
        meters = self.stored("/users/{userId}/meters", (request.params["userId"],))
        if not self.missing_parent(request) and any(m.get("meterPointId") == point for m in meters):
            return self.conflict(request, f"Meter point '{point}' is already registered for the user.")
        return self.generic(request)

    def test_webhook(self, request: MockRequest) -> MockResponse:
        webhook = self.stored_item("/webhooks", (), request.params["webhookId"])
        if webhook is None:
            return self.generic(request)  # the engine's 404
        now = self.now
        self._deliver(webhook, {
            "notificationId": self.ctx.ids.uuid("notification"),
            "eventId": self.ctx.ids.uuid("test-event"),
            "eventCreatedAtUtc": iso_utc(now),
            "notificationSentUtc": iso_utc(now),
            "notificationType": "Test",
            "payload": {"payloadType": "Test"},
        })
        return MockResponse(202)

    def send_report(self, request: MockRequest) -> MockResponse:
        answer = self.generic(request)
        if isinstance(answer.body, dict) and isinstance(request.body, dict):
            event = self.stored_item("/events", (), str(request.body["eventId"]))
            created = iso_utc(self.now, millis=True)
            answer.body.update(
                id=self.ctx.ids.uuid("report"),
                eventId=request.body["eventId"],
                programId=event["programId"] if isinstance(event, dict) else DEFAULT_PROGRAM_ID,
                name=request.body["name"],
                createdDateTime=created,
                modificationDateTime=created,
            )
        return answer

    # --- deliveries ----------------------------------------------------------------------------

    def _deliver(self, webhook: Mapping[str, Any], notification: Mapping[str, Any]) -> None:
        body = dump_json_bytes(notification)
        secret = str(webhook["webhookSecret"])
        self.ctx.webhooks.send(str(webhook["url"]), body, {"Spark-Signature": spark_signature(secret, body)})

    def emit_price_delta(
        self,
        *,
        price_area: str = "NO3",
        operation: str = "Create",
        currency: str = "NOK",
        energy_unit: str = "kWh",
        points: Sequence[Mapping[str, Any]] | None = None,
    ) -> tuple[dict[str, Any], int]:
        """Issue a PriceDelta event for every registered vehicle and resource; deliver it to the
        webhooks subscribed to PriceDelta with `operation`. Returns (event, deliveries queued)."""
        now = self.now
        start = (int(now) // 3600 + 1) * 3600
        if points is None:
            points = [{"price": round(0.12 - 0.05 * i, 4), "timestamp": iso_utc(start + 3600 * i)} for i in range(4)]
        meters: dict[tuple[str, ...], str] = {}
        for scope, meter in self.collections_of("/users/{userId}/meters"):
            meters.setdefault(scope, meter["meterId"])
        targets = []
        for collection, field in (("/users/{userId}/vehicles", "vehicleId"), ("/users/{userId}/resources", "resourceId")):
            for scope, item in self.collections_of(collection):
                location = meters.get(scope)
                targets.append({"resourceId": item[field], **({"locationId": location} if location else {})})
        event_id = self.ctx.ids.uuid("event")
        event = {
            "id": event_id,
            "name": f"Price delta {price_area}",
            "priority": 0,
            "programId": DEFAULT_PROGRAM_ID,
            "reportDescriptors": [{"payloadType": "VehicleChargeAction", "targetResources": [t["resourceId"] for t in targets]}],
            "targetResources": targets,
            "intervalPeriod": {"start": iso_utc(start), "duration": f"PT{len(points)}H", "randomizeStart": "PT0S"},
            "payload": {"payloadType": "PriceDelta", "priceArea": price_area},
            "createdAt": iso_utc(now),
            "modifiedAt": iso_utc(now),
        }
        self.store.put("/events", (), event_id, event)
        notification = {
            "notificationId": self.ctx.ids.uuid("notification"),
            "eventId": event_id,
            "eventCreatedAtUtc": iso_utc(now),
            "notificationSentUtc": iso_utc(now),
            "notificationType": "PriceDelta",
            "payload": {
                "payloadType": "PriceDelta",
                "targets": targets,
                "priceCurveDelta": {"points": list(points), "energyUnit": energy_unit, "currency": currency, "resolution": "01:00:00"},
                "priceArea": price_area,
            },
        }
        sent = 0
        for webhook in self.stored("/webhooks"):
            if "PriceDelta" in webhook["eventTypes"] and operation in webhook["operations"]:
                self._deliver(webhook, notification)
                sent += 1
        return event, sent

    async def price_delta_endpoint(self, request: Request) -> Response:
        raw = await request.body()
        try:
            options = json.loads(raw) if raw.strip() else {}
        except ValueError:
            options = None
        if not isinstance(options, dict):
            return JSONResponse({"error": "The body must be a JSON object."}, status_code=400)
        try:
            event, sent = self.emit_price_delta(
                price_area=str(options.get("priceArea", "NO3")),
                operation=str(options.get("operation", "Create")),
                currency=str(options.get("currency", "NOK")),
                energy_unit=str(options.get("energyUnit", "kWh")),
                points=options.get("points"),
            )
        except (TypeError, ValueError) as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        return JSONResponse({"event": event, "deliveries": sent}, status_code=201)


BEHAVIOUR = VolueBehaviour
