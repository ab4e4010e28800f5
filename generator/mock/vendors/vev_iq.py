"""VEV-IQ (ev-server REST API v1) mock: sign-in with a signed JWT, the list routes, statistics.

- `POST /auth/signin` `{email, password, acceptEula, tenant}` (the tenant may also come as a query
  parameter): a missing tenant answers 400, an unknown tenant, user or a wrong password 404 (as
  VEV-IQ does), `acceptEula` false 520, and the third wrong password in a row locks the account
  for 5 minutes (`MockOptions.settings["lockout_seconds"]`): 590 until then, even with the right password.
  The test user is an active admin. The example users of the spec can sign in with the test
  password too, and answer as their status says (592 pending, 593 blocked, 594 inactive, 590 locked).
- The token is an HS256 JWT signed with a key random per app, valid 12 hours
  (`MockOptions.token_lifetime`). `/api/*` answers a missing, forged or expired token with 401 and
  the plain-text body `Unauthorized`.
- Lists: see `vev_iq_query` (filters, Search, SortFields, ProjectFields, Skip/Limit, count -1 from
  500 matches, OnlyRecordCount, WithAuth). Statistics: see `vev_iq_stats`.
- Errors are `{errorCode, errorMessage, errorDetailedMessage}` with HTTP status = errorCode.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from generator.mock.behaviour import Behaviour, Handler, MockContext, MockError
from generator.mock.data.vev_iq import VevIqWorld, build_world
from generator.mock.http import MockRequest, MockResponse
from generator.mock.jwt import Hs256
from generator.mock.vendors import vev_iq_query as q
from generator.mock.vendors.vev_iq_stats import statistics

__all__ = ["BEHAVIOUR", "EXPECTED_STATUSES", "VevIqBehaviour"]

TOKEN_LIFETIME = 43200.0
MAX_WRONG_PASSWORDS = 3
MOCK_USER_ID = "6650c0ffee0000000000b001"
_STATUS_ERRORS = {
    "P": (592, "Account is pending", "The account has not been activated yet."),
    "B": (593, "Account is blocked", "The account has been blocked by an administrator."),
    "I": (594, "Account is inactive", "The account has been deactivated."),
    "L": (590, "Account is locked", "Too many wrong passwords; try again later."),
}

_SITE_FILTERS = {"SiteID": q.one_of("id"), "CompanyID": q.one_of("companyID"), "Issuer": q.equals("issuer")}
_TX_FILTERS = {
    "Issuer": q.equals("issuer"),
    "StartDateTime": q.time_from("timestamp"),
    "EndDateTime": q.time_to("timestamp"),
    "ChargingStationID": q.one_of("chargeBoxID"),
    "ConnectorID": q.one_of("connectorId"),
    "SiteID": q.one_of("siteID"),
    "SiteAreaID": q.one_of("siteAreaID"),
    "UserID": q.one_of("userID"),
    "TagID": q.one_of("tagID"),
    "VisualTagID": q.one_of("tag.visualID"),
    "InactivityStatus": q.one_of("stop.inactivityStatus"),
    "MinimalPrice": q.at_least("stop.price"),
}
_TX_SEARCH = ("id", "chargeBoxID", "tagID", "user.name", "user.firstName", "user.email", "site.name")
LISTS: dict[str, q.ListSpec] = {
    "ListSites": q.ListSpec("sites", _SITE_FILTERS, ("id", "name", "address.city"), location="address.coordinates"),
    "ListChargingStations": q.ListSpec(
        "chargingStations",
        {
            "Issuer": q.equals("issuer"),
            "SiteID": q.one_of("siteID"),
            "SiteAreaID": q.one_of("siteAreaID"),
            "ChargingStationID": q.one_of("id"),
            "WithNoSiteArea": q.is_null("siteAreaID"),
            "ConnectorStatus": q.any_connector("status"),
            "ConnectorType": q.any_connector("type"),
            "Public": q.equals("public"),
        },
        ("id", "chargePointVendor", "chargePointModel", "site.name", "siteArea.name"),
        sort="id",
        location="coordinates",
    ),
    "GetTransactions": q.ListSpec("transactions", _TX_FILTERS, _TX_SEARCH, "-timestamp", auth_flags=False, can_create=False),
    "ListUsers": q.ListSpec(
        "users",
        {
            "Issuer": q.equals("issuer"),
            "UserID": q.one_of("id"),
            "Role": q.one_of("role"),
            "Status": q.one_of("status"),
            "Technical": q.equals("technical"),
            "FreeAccess": q.equals("freeAccess"),
        },
        ("id", "name", "firstName", "email"),
    ),
    "ListTags": q.ListSpec(
        "tags",
        {"Active": q.equals("active"), "Issuer": q.equals("issuer"), "UserID": q.one_of("userID")},
        ("id", "visualID", "description"),
        sort="id",
    ),
    "ListAssets": q.ListSpec(
        "assets",
        {
            "Issuer": q.equals("issuer"),
            "SiteID": q.one_of("siteID"),
            "SiteAreaID": q.one_of("siteAreaID"),
            "WithNoSiteArea": q.is_null("siteAreaID"),
            "DynamicOnly": q.equals("dynamicAsset"),
        },
    ),
    "ListCarCatalogs": q.ListSpec(
        "carCatalogs", {"CarMaker": q.one_of("vehicleMake")}, ("vehicleMake", "vehicleModel", "vehicleModelVersion"), sort="vehicleMake"
    ),
    "ListCars": q.ListSpec(
        "cars",
        {"CarMaker": q.one_of("carCatalog.vehicleMake"), "UserID": q.one_of("userID")},
        ("vin", "licensePlate", "carCatalog.vehicleMake", "carCatalog.vehicleModel"),
        sort="licensePlate",
    ),
    "ListSiteAreas": q.ListSpec(
        "siteAreas",
        {"Issuer": q.equals("issuer"), "SiteID": q.one_of("siteID"), "ExcludeSiteAreaID": q.none_of("id")},
        location="address.coordinates",
    ),
    "GetInvoices": q.ListSpec(
        "invoices",
        {
            "UserID": q.one_of("userID"),
            "Status": q.one_of("status"),
            "StartDateTime": q.time_from("createdOn"),
            "EndDateTime": q.time_to("createdOn"),
        },
        ("id", "number", "user.name", "user.email"),
        sort="-createdOn",
    ),
}
_STATISTICS = {
    f"GetStatistics{per_name}{kind.capitalize()}": (per, kind)
    for per, per_name, kinds in (
        ("chargingStations", "ChargingStations", ("consumption", "inactivity", "usage", "transaction")),
        ("users", "Users", ("consumption", "inactivity", "usage", "transaction", "pricing")),
    )
    for kind in kinds
}


LOCKOUT_SECONDS = 300.0  # an account stays locked this long after 3 wrong passwords

# Statuses the contract runs accept beyond schemathesis's defaults (`tests.support.contract`).
EXPECTED_STATUSES: dict[str, list[str]] = {
    # VEV-IQ's business statuses are documented responses, not server faults (vev-iq reference,
    # "Sign-in errors" / "/api errors"): 520 EULA not accepted, 590 account locked, 592 pending,
    # 593 blocked, 594 inactive, 598 technical user from a browser, 595/596 sign in again.
    "not_a_server_error": ["520", "590", "592", "593", "594", "595", "596", "598"],
    # A sign-in body without `tenant` is schema-valid (tenant may come in the query string) but
    # VEV-IQ answers 400 "missing tenant" (vev-iq reference, "Sign-in errors"); wrong generated
    # credentials get 404 (unknown user / tenant) and the business statuses above.
    "positive_data_acceptance": ["400", "520", "590", "592", "593", "594", "598"],
}


@dataclass
class _Account:
    user_id: str
    email: str
    name: str
    first_name: str
    role: str
    status: str
    failures: int = 0
    locked_until: float = 0.0


class VevIqBehaviour(Behaviour):
    vendor = "vev-iq"
    default_credentials = {"email": "integrator@example.com", "password": "mock-password", "tenant": "demo"}

    reset_keeps = ("signer",)  # tokens signed before a reset stay valid

    def __init__(self, ctx: MockContext) -> None:
        super().__init__(ctx)
        self.world: VevIqWorld = build_world(ctx.api.api, ctx.clock())
        self.signer = Hs256()
        creds = ctx.credentials
        self.accounts: dict[str, _Account] = {
            creds["email"].lower(): _Account(MOCK_USER_ID, creds["email"], "Integrator", "Mock", "A", "A")
        }
        self.world.tables["users"].append(
            {"id": MOCK_USER_ID, "name": "Integrator", "firstName": "Mock", "email": creds["email"], "role": "A", "status": "A", "issuer": True, "technical": False}
        )
        for user in self.world.tables["users"]:
            email = str(user.get("email", "")).lower()
            if email and email not in self.accounts:
                self.accounts[email] = _Account(user["id"], user["email"], user.get("name", ""), user.get("firstName", ""), user.get("role", "B"), user.get("status", "A"))

    # --- errors and auth ---------------------------------------------------------------------

    def error(self, status: int, message: str, *, request: MockRequest | None = None, **extra: Any) -> MockResponse:
        if status == 401:
            return MockResponse(401, "Unauthorized", media_type="text/plain")
        detailed = extra.get("detail") or message
        return MockResponse(status, {"errorCode": status, "errorMessage": message, "errorDetailedMessage": detailed}, media_type="application/json")

    def validation_error(self, request: MockRequest, issues: Any) -> MockResponse:
        first = issues[0]
        return self.error(400, f"Request validation failed: {first.path}: {first.message}", detail="; ".join(f"{i.path}: {i.message}" for i in issues[:5]))

    def authenticate(self, request: MockRequest) -> MockResponse | None:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        claims = self.signer.decode(token.strip(), self.now) if scheme.lower() == "bearer" else None
        if claims is None or claims.get("tenantSubdomain") != self.ctx.credentials["tenant"]:
            return self.error(401, "Unauthorized")
        request.principal = str(claims.get("id"))
        return None

    def sign_in(self, request: MockRequest) -> MockResponse:
        body = request.body
        tenant = body.get("tenant") or request.raw_query.get("tenant")
        if not tenant:
            raise MockError(400, "Request validation failed: must have required property 'tenant'")
        if not body["acceptEula"]:
            raise MockError(520, "The End-user License Agreement has not been accepted", detail="Set acceptEula to true to sign in.")
        account = self.accounts.get(str(body["email"]).lower())
        if tenant != self.ctx.credentials["tenant"] or account is None:
            raise MockError(404, "Unknown user or wrong password", detail="The user does not exist in this tenant or the password is wrong.")
        now = self.now
        if account.locked_until > now:
            raise MockError(*_STATUS_ERRORS["L"][:2], detail=_STATUS_ERRORS["L"][2])
        if account.locked_until:
            account.locked_until, account.failures = 0.0, 0
        if not hmac.compare_digest(str(body["password"]).encode(), self.ctx.credentials["password"].encode()):
            account.failures += 1
            if account.failures >= MAX_WRONG_PASSWORDS:
                account.locked_until = now + self.ctx.options.setting("lockout_seconds", LOCKOUT_SECONDS)
                raise MockError(*_STATUS_ERRORS["L"][:2], detail=_STATUS_ERRORS["L"][2])
            raise MockError(404, "Unknown user or wrong password", detail="The user does not exist in this tenant or the password is wrong.")
        account.failures = 0
        if account.status in _STATUS_ERRORS:
            code, message, detail = _STATUS_ERRORS[account.status]
            raise MockError(code, message, detail=detail)
        lifetime = self.ctx.options.token_lifetime or TOKEN_LIFETIME
        claims = {
            "id": account.user_id,
            "email": account.email,
            "name": account.name,
            "firstName": account.first_name,
            "role": account.role,
            "tenantSubdomain": tenant,
            "iat": int(now),
            "exp": int(now + lifetime),
        }
        return MockResponse(200, {"token": self.signer.encode(claims)})

    # --- handlers ----------------------------------------------------------------------------

    def _list(self, operation_id: str) -> Handler:
        spec = LISTS[operation_id]
        return lambda request: MockResponse(200, q.run_list(self.world.tables[spec.table], spec, request.params))

    def _transactions(self, completed: bool | None) -> Handler:
        spec = LISTS["GetTransactions"]

        def handle(request: MockRequest) -> MockResponse:
            rows = self.world.transactions
            if completed is not None:
                rows = [t for t in rows if isinstance(t.get("stop"), dict) == completed]
            return MockResponse(200, q.run_list(rows, spec, request.params, extra={"stats": self._stats(rows, spec, request)}))

        return handle

    def _stats(self, rows: list[dict[str, Any]], spec: q.ListSpec, request: MockRequest) -> dict[str, Any]:
        matched = q.run_list(rows, spec, {**request.params, "OnlyRecordCount": True})["count"]
        if request.params.get("Statistics") != "history":
            return {"count": matched}
        everything = q.run_list(rows, spec, {**request.params, "Skip": 0, "Limit": len(rows) or 1, "ProjectFields": None, "WithAuth": False})
        stops = [t["stop"] for t in everything["result"] if isinstance(t.get("stop"), dict)]
        times = sorted(t["timestamp"] for t in everything["result"])
        stats: dict[str, Any] = {
            "count": matched,
            "totalConsumptionWattHours": sum(s.get("totalConsumptionWh") or 0 for s in stops),
            "totalDurationSecs": sum(s.get("totalDurationSecs") or 0 for s in stops),
            "totalPrice": round(sum(s.get("price") or 0 for s in stops), 2),
            "totalInactivitySecs": sum(s.get("totalInactivitySecs") or 0 for s in stops),
            "currency": sorted({str(s["priceUnit"]) for s in stops if s.get("priceUnit")}),
        }
        if times:
            stats.update(firstTimestamp=times[0], lastTimestamp=times[-1])
        return stats

    def list_car_makers(self, request: MockRequest) -> MockResponse:
        makers = {m["carMaker"] for m in self.world.tables["carMakers"]} | {str(c.get("vehicleMake")) for c in self.world.tables["carCatalogs"] if c.get("vehicleMake")}
        search = str(request.params.get("Search") or "").lower()
        result = [{"carMaker": m} for m in sorted(makers) if search in m.lower()]
        return MockResponse(200, {"count": len(result), "result": result})

    def handlers(self) -> Mapping[str, Handler]:
        handlers: dict[str, Handler] = {"SignIn": self.sign_in, "ListCarMakers": self.list_car_makers}
        for operation_id in LISTS:
            handlers[operation_id] = self._list(operation_id)
        handlers["GetTransactions"] = self._transactions(None)
        handlers["GetCompletedTransactions"] = self._transactions(True)
        handlers["GetActiveTransactions"] = self._transactions(False)
        for operation_id, (per, kind) in _STATISTICS.items():
            handlers[operation_id] = self._statistics(per, kind)
        return handlers

    def _statistics(self, per: str, kind: str) -> Handler:
        return lambda request: MockResponse(200, statistics(self.world.transactions, kind, per, request.params, self.now))


BEHAVIOUR = VevIqBehaviour
