"""Volue Spark Energy Coordination mock: OAuth2 tokens, users and their things, webhooks, events.

- `POST /connect/token` (outside the spec, like Volue's identity server): client credentials in the
  form body or as HTTP Basic; opaque bearer tokens that expire after 30 minutes
  (`MockOptions.token_lifetime`). Errors as OAuth2 says (RFC 6749 5.2).
- Users, vehicles, meters, resources and webhooks are created, read and deleted for real; deleting a
  user deletes their vehicles, meters and resources. Errors are RFC 7807 problem details.
- `POST /webhooks/{webhookId}/test` and PriceDelta events are POSTed to the webhook URL with
  `Spark-Signature` = Base64(HMAC-SHA256(key = webhook secret as UTF-8, message = raw body)),
  retried up to 3 times with exponential back-off.
- `POST /_mock/events/price-delta` (outside the spec; a bearer token or HTTP Basic client_id:client_secret): emit a PriceDelta event, optional
  JSON body `{priceArea, operation, currency, energyUnit, points: [{price, timestamp}]}`; answers
  201 `{"event": ..., "deliveries": n}`. The Python equivalent is `VolueBehaviour.emit_price_delta`.
- Seed: the events of the spec's examples; no users (the quickstart registers them).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, unquote

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from generator.mock.auth import MAX_TOKENS
from generator.mock.behaviour import Behaviour, Handler, MockError
from generator.mock.examples import iso_utc, response_examples
from generator.mock.http import MockRequest, MockResponse, dump_json_bytes
from generator.mock.schema import SchemaIssue

__all__ = ["BEHAVIOUR", "VolueBehaviour", "spark_signature"]

TOKEN_LIFETIME = 1800.0
DEFAULT_PROGRAM_ID = "55838672-89cb-406f-88a8-fe4b46b057bc"
_RFC9110 = "https://tools.ietf.org/html/rfc9110#section-"
_PROBLEMS = {
    400: ("15.5.1", "One or more validation errors occurred."),
    401: ("15.5.2", "Unauthorized"),
    404: ("15.5.5", "Not Found"),
    405: ("15.5.6", "Method Not Allowed"),
    409: ("15.5.10", "Conflict"),
}


def spark_signature(secret: str, body: bytes) -> str:
    """Base64(HMAC-SHA256(key = secret as UTF-8, message = body))."""
    return base64.b64encode(hmac.new(secret.encode("utf-8"), body, hashlib.sha256).digest()).decode("ascii")


@dataclass
class _User:
    user_id: str
    vehicles: dict[str, dict[str, Any]] = field(default_factory=dict)
    meters: dict[str, dict[str, Any]] = field(default_factory=dict)
    resources: dict[str, dict[str, Any]] = field(default_factory=dict)


class VolueBehaviour(Behaviour):
    vendor = "volue"
    default_credentials = {"client_id": "mock-client", "client_secret": "mock-client-secret"}
    error_media_type = "application/problem+json"

    reset_keeps = ("tokens",)

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.tokens: dict[str, float] = {}
        self.users: dict[str, _User] = {}
        self.webhooks: dict[str, dict[str, Any]] = {}
        self.events: dict[str, dict[str, Any]] = {}
        self.reports: dict[str, dict[str, Any]] = {}
        api = ctx.api.api
        listed = [item for example in response_examples(api, "ListEvents") if isinstance(example, list) for item in example]
        for item in [*listed, *response_examples(api, "GetEvent")]:
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                self.events.setdefault(item["id"], item)

    @property
    def token_lifetime(self) -> float:
        return self.ctx.options.token_lifetime or TOKEN_LIFETIME

    # --- errors and auth ---------------------------------------------------------------------

    def _trace_id(self) -> str:
        return f"00-{self.ctx.ids.hex('trace', 32)}-{self.ctx.ids.hex('span', 16)}-00"

    def error(self, status: int, message: str, *, request: MockRequest | None = None, **extra: Any) -> MockResponse:
        section, title = _PROBLEMS.get(status, ("15.5.1", "Bad Request"))
        body: dict[str, Any] = {"type": _RFC9110 + section, "title": title, "status": status}
        issues: Sequence[SchemaIssue] = extra.get("issues", ())
        if issues:
            errors: dict[str, list[str]] = {}
            for issue in issues:
                errors.setdefault(issue.path, []).append(issue.message)
            body["errors"] = errors
        else:
            body["detail"] = message
        body["traceId"] = self._trace_id()
        headers = {"WWW-Authenticate": 'Bearer error="invalid_token"'} if status == 401 else {}
        return MockResponse(status, body, headers=headers, media_type=self.error_media_type)

    def authenticate(self, request: MockRequest) -> MockResponse | None:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        expiry = self.tokens.get(token.strip()) if scheme.lower() == "bearer" else None
        if expiry is None or self.now >= expiry:
            return self.error(401, "The access token is missing, invalid or expired.")
        request.principal = self.ctx.credentials["client_id"]
        return None

    # --- token endpoint (outside the spec) -----------------------------------------------------

    def routes(self) -> list[BaseRoute]:
        return [
            Route("/connect/token", self.token_endpoint, methods=["POST"]),
            Route("/_mock/events/price-delta", self.price_delta_endpoint, methods=["POST"]),
        ]

    def issue_token(self) -> str:
        now = self.now  # expired tokens are pruned, and at most MAX_TOKENS kept (oldest dropped first)
        for stale in [t for t, expiry in self.tokens.items() if expiry <= now]:
            del self.tokens[stale]
        while len(self.tokens) >= MAX_TOKENS:
            del self.tokens[next(iter(self.tokens))]
        token = secrets.token_urlsafe(32)
        self.tokens[token] = self.now + self.token_lifetime
        return token

    async def token_endpoint(self, request: Request) -> Response:
        form = {k: v[0] for k, v in parse_qs((await request.body()).decode("utf-8", "replace")).items()}
        client_id, client_secret = form.get("client_id"), form.get("client_secret")
        scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() == "basic":
            try:
                client_id, _, client_secret = base64.b64decode(encoded, validate=True).decode("utf-8").partition(":")
            except (binascii.Error, UnicodeDecodeError):
                return _oauth_error(400, "invalid_request", "Malformed HTTP Basic credentials.")
        if form.get("grant_type") != "client_credentials":
            return _oauth_error(400, "unsupported_grant_type", "Only grant_type=client_credentials is supported.")
        creds = self.ctx.credentials
        if not (
            hmac.compare_digest((client_id or "").encode(), creds["client_id"].encode())
            and hmac.compare_digest((client_secret or "").encode(), creds["client_secret"].encode())
        ):
            return _oauth_error(401, "invalid_client", "Unknown client or wrong secret.")
        body = {"access_token": self.issue_token(), "token_type": "Bearer", "expires_in": int(self.token_lifetime)}
        return JSONResponse(body, headers={"Cache-Control": "no-store"})

    def adapt_openapi(self, document: dict[str, Any], base_url: str) -> dict[str, Any]:
        for scheme in document.get("components", {}).get("securitySchemes", {}).values():
            for flow in scheme.get("flows", {}).values():
                if "tokenUrl" in flow:
                    flow["tokenUrl"] = base_url + "/connect/token"
        return document

    def describe(self, base_url: str) -> dict[str, Any]:
        return {**super().describe(base_url), "tokenUrl": base_url + "/connect/token"}

    # --- handlers ----------------------------------------------------------------------------

    def handlers(self) -> Mapping[str, Handler]:
        return {
            "ListUsers": lambda r: MockResponse(200, [{"userId": u} for u in self.users]),
            "RegisterUser": self.register_user,
            "GetUser": lambda r: MockResponse(200, {"userId": self._user(r).user_id}),
            "DeleteUser": self.delete_user,
            "ListVehicles": lambda r: MockResponse(200, list(self._user(r).vehicles.values())),
            "RegisterVehicle": lambda r: self._register(r, "vehicles", "vehicleId", "Vehicle"),
            "GetVehicle": lambda r: MockResponse(200, self._item(r, "vehicles", "vehicleId", "Vehicle")),
            "DeleteVehicle": lambda r: self._delete(r, "vehicles", "vehicleId", "Vehicle"),
            "ListMeters": lambda r: MockResponse(200, list(self._user(r).meters.values())),
            "RegisterMeter": self.register_meter,
            "GetMeter": lambda r: MockResponse(200, self._item(r, "meters", "meterId", "Meter")),
            "DeleteMeter": lambda r: self._delete(r, "meters", "meterId", "Meter"),
            "ListResources": lambda r: MockResponse(200, list(self._user(r).resources.values())),
            "RegisterResource": lambda r: self._register(r, "resources", "resourceId", "Resource"),
            "GetResource": lambda r: MockResponse(200, self._item(r, "resources", "resourceId", "Resource")),
            "DeleteResource": lambda r: self._delete(r, "resources", "resourceId", "Resource"),
            "ListWebhooks": lambda r: MockResponse(200, [_public(w) for w in self.webhooks.values()]),
            "CreateWebhook": self.create_webhook,
            "GetWebhook": lambda r: MockResponse(200, _public(self._webhook(r))),
            "UpdateWebhook": self.update_webhook,
            "DeleteWebhook": self.delete_webhook,
            "TestWebhook": self.test_webhook,
            "SendReport": self.send_report,
            "ListEvents": lambda r: MockResponse(200, list(self.events.values())),
            "GetEvent": self.get_event,
        }

    def _user(self, request: MockRequest) -> _User:
        user_id = request.params["userId"]
        user = self.users.get(user_id)
        if user is None:
            raise MockError(404, f"User '{user_id}' was not found.")
        return user

    def register_user(self, request: MockRequest) -> MockResponse:
        user_id = request.body["userId"]
        if _key(user_id) in self.users:
            raise MockError(409, f"User '{user_id}' already exists.")
        self.users[_key(user_id)] = _User(user_id)
        return MockResponse(201, {"userId": user_id})

    def delete_user(self, request: MockRequest) -> MockResponse:
        # The user's vehicles, meters and resources go with them.
        self._user(request)
        del self.users[request.params["userId"]]
        return MockResponse(204)

    def _register(self, request: MockRequest, kind: str, id_field: str, label: str) -> MockResponse:
        items: dict[str, dict[str, Any]] = getattr(self._user(request), kind)
        item_id = request.body[id_field]
        if _key(item_id) in items:
            raise MockError(409, f"{label} '{item_id}' already exists.")
        items[_key(item_id)] = {id_field: item_id, "metadata": request.body["metadata"]}
        return MockResponse(201, items[_key(item_id)])

    def _item(self, request: MockRequest, kind: str, id_field: str, label: str) -> dict[str, Any]:
        items: dict[str, dict[str, Any]] = getattr(self._user(request), kind)
        item = items.get(request.params[id_field])
        if item is None:
            raise MockError(404, f"{label} '{request.params[id_field]}' was not found.")
        return item

    def _delete(self, request: MockRequest, kind: str, id_field: str, label: str) -> MockResponse:
        self._item(request, kind, id_field, label)
        del getattr(self._user(request), kind)[request.params[id_field]]
        return MockResponse(204)

    def register_meter(self, request: MockRequest) -> MockResponse:
        user = self._user(request)
        body = request.body
        if any(m["meterPointId"] == body["meterPointId"] for m in user.meters.values()):
            raise MockError(409, f"Meter point '{body['meterPointId']}' is already registered for the user.")
        meter_id = self.ctx.ids.uuid("meter")
        user.meters[meter_id] = {"meterId": meter_id, **body}
        return MockResponse(201, {"meterId": meter_id})

    # --- webhooks and events -------------------------------------------------------------------

    def _webhook(self, request: MockRequest) -> dict[str, Any]:
        webhook = self.webhooks.get(request.params["webhookId"])
        if webhook is None:
            raise MockError(404, f"Webhook '{request.params['webhookId']}' was not found.")
        return webhook

    def create_webhook(self, request: MockRequest) -> MockResponse:
        webhook_id = self.ctx.ids.uuid("webhook")
        self.webhooks[webhook_id] = {"webhookId": webhook_id, **request.body}
        # The spec documents `Location` on 201: the absolute URL Power Platform sends DELETE to.
        location = f"{request.base_url}/webhooks/{webhook_id}"
        return MockResponse(201, _public(self.webhooks[webhook_id]), headers={"Location": location})

    def update_webhook(self, request: MockRequest) -> MockResponse:
        webhook = self._webhook(request)
        webhook.clear()
        webhook.update({"webhookId": request.params["webhookId"], **request.body})
        return MockResponse(200, _public(webhook))

    def delete_webhook(self, request: MockRequest) -> MockResponse:
        del self.webhooks[self._webhook(request)["webhookId"]]
        return MockResponse(204)

    def _deliver(self, webhook: Mapping[str, Any], notification: Mapping[str, Any]) -> None:
        body = dump_json_bytes(notification)
        secret = str(webhook["webhookSecret"])
        self.ctx.webhooks.send(str(webhook["url"]), body, {"Spark-Signature": spark_signature(secret, body)})

    def test_webhook(self, request: MockRequest) -> MockResponse:
        webhook = self._webhook(request)
        now = self.now
        notification = {
            "notificationId": self.ctx.ids.uuid("notification"),
            "eventId": self.ctx.ids.uuid("test-event"),
            "eventCreatedAtUtc": iso_utc(now),
            "notificationSentUtc": iso_utc(now),
            "notificationType": "Test",
            "payload": {"payloadType": "Test"},
        }
        self._deliver(webhook, notification)
        return MockResponse(202)

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
        targets = []
        for user in self.users.values():
            location = next(iter(user.meters), None)
            for resource_id in [*user.vehicles, *user.resources]:
                targets.append({"resourceId": resource_id, **({"locationId": location} if location else {})})
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
        self.events[event_id] = event
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
        for webhook in self.webhooks.values():
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

    def send_report(self, request: MockRequest) -> MockResponse:
        body = request.body
        event = self.events.get(body["eventId"])
        created = iso_utc(self.now, millis=True)
        report = {
            "id": self.ctx.ids.uuid("report"),
            "eventId": body["eventId"],
            "programId": event["programId"] if event else DEFAULT_PROGRAM_ID,
            "name": body["name"],
            "createdDateTime": created,
            "modificationDateTime": created,
        }
        self.reports[report["id"]] = {**report, "payloads": body["payloads"]}
        return MockResponse(201, report)

    def get_event(self, request: MockRequest) -> MockResponse:
        event = self.events.get(request.params["eventId"])
        if event is None:
            raise MockError(404, f"Event '{request.params['eventId']}' was not found.")
        return MockResponse(200, event)


def _key(client_id: str) -> str:
    """Where an id you choose is stored: as it arrives in a path. Postman and schemathesis send an id
    that looks percent-encoded (`a%C2%A2`) as it is, so the server reads it decoded (`a¢`)."""
    return unquote(client_id) if "%" in client_id else client_id


def _public(webhook: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in webhook.items() if k != "webhookSecret"}


def _oauth_error(status: int, code: str, description: str) -> Response:
    headers = {"Cache-Control": "no-store"}
    if status == 401:
        headers["WWW-Authenticate"] = 'Basic realm="token"'
    return JSONResponse({"error": code, "error_description": description}, status_code=status, headers=headers)


BEHAVIOUR = VolueBehaviour
