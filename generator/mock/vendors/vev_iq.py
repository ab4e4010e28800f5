"""VEV-IQ (ev-server REST API v1): what its spec cannot say, on top of the generic engine.

- `POST /auth/signin` `{email, password, acceptEula, tenant}` (the tenant may also come as a query
  parameter): a missing tenant answers 400, an unknown tenant, user or a wrong password 404 (as
  VEV-IQ does), `acceptEula` false 520, and the third wrong password in a row locks the account
  for 5 minutes (`MockOptions.settings["lockout_seconds"]`): 590 until then, even with the right password.
  The test user is an active admin. The example users of the spec can sign in with the test
  password too, and answer as their status says (592 pending, 593 blocked, 594 inactive, 590 locked).
- The token is an HS256 JWT signed with a key random per app, valid 12 hours
  (`MockOptions.token_lifetime`). `/api/*` answers a missing, forged or expired token with 401 and
  the plain-text body `Unauthorized`.
- Lists: the items of the spec's list examples (plus synthetic completed transactions, enough that
  an unfiltered list reaches 500 rows and answers `count: -1`; they end before now, spread over the
  last 18 months); filters from the spec's query parameters (`vev_iq_query.spec_filters`, with the
  exceptions below), Search, SortFields, ProjectFields, Skip/Limit, OnlyRecordCount and WithAuth
  (`vev_iq_query`). Statistics: see `vev_iq_stats`.
- Errors are `{errorCode, errorMessage, errorDetailedMessage}` with HTTP status = errorCode.
"""

from __future__ import annotations

import copy
import hmac
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from generator.mock.behaviour import Behaviour, Handler, MockContext, MockError
from generator.mock.engine import GenericBehaviour
from generator.mock.examples import iso_utc, response_examples
from generator.mock.http import MockRequest, MockResponse
from generator.mock.jwt import Hs256
from generator.mock.vendors import vev_iq_query as q
from generator.mock.vendors.vev_iq_stats import statistics

__all__ = ["BEHAVIOUR", "EXPECTED_STATUSES", "VevIqBehaviour"]

TOKEN_LIFETIME = 43200.0
LOCKOUT_SECONDS = 300.0  # an account stays locked this long after 3 wrong passwords
MAX_WRONG_PASSWORDS = 3
SYNTHETIC_TRANSACTIONS = 540
MOCK_USER_ID = "6650c0ffee0000000000b001"
_STATUS_ERRORS = {
    "P": (592, "Account is pending", "The account has not been activated yet."),
    "B": (593, "Account is blocked", "The account has been blocked by an administrator."),
    "I": (594, "Account is inactive", "The account has been deactivated."),
    "L": (590, "Account is locked", "Too many wrong passwords; try again later."),
}
_WRONG = (404, "Unknown user or wrong password", "The user does not exist in this tenant or the password is wrong.")

# Filters whose field the parameter's name does not tell (the others come from the spec).
_NO_SITE_AREA = {"WithNoSiteArea": q.is_null("siteAreaID")}
_TX = {
    "StartDateTime": q.time_from("timestamp"),
    "EndDateTime": q.time_to("timestamp"),
    "ChargingStationID": q.one_of("chargeBoxID"),
    "VisualTagID": q.one_of("tag.visualID"),
    "InactivityStatus": q.one_of("stop.inactivityStatus"),
    "MinimalPrice": q.at_least("stop.price"),
}
_STATIONS = {**_NO_SITE_AREA, "ConnectorStatus": q.any_connector("status"), "ConnectorType": q.any_connector("type")}
# operationId: (table, explicit filters, the list's conventions: Search fields, default sort, ...)
LISTS: dict[str, tuple[str, Mapping[str, q.Predicate], q.ListSpec]] = {
    "ListSites": ("sites", {}, q.ListSpec("sites", search=("id", "name", "address.city"), location="address.coordinates")),
    "ListChargingStations": (
        "chargingStations",
        _STATIONS,
        q.ListSpec("chargingStations", search=("id", "chargePointVendor", "chargePointModel", "site.name", "siteArea.name"), sort="id", location="coordinates"),
    ),
    "GetTransactions": (
        "transactions",
        _TX,
        q.ListSpec("transactions", search=("id", "chargeBoxID", "tagID", "user.name", "user.firstName", "user.email", "site.name"), sort="-timestamp", auth_flags=False, can_create=False),
    ),
    "ListUsers": ("users", {}, q.ListSpec("users", search=("id", "name", "firstName", "email"))),
    "ListTags": ("tags", {}, q.ListSpec("tags", search=("id", "visualID", "description"), sort="id")),
    "ListAssets": ("assets", {**_NO_SITE_AREA, "DynamicOnly": q.equals("dynamicAsset")}, q.ListSpec("assets")),
    "ListCarCatalogs": ("carCatalogs", {"CarMaker": q.one_of("vehicleMake")}, q.ListSpec("carCatalogs", search=("vehicleMake", "vehicleModel", "vehicleModelVersion"), sort="vehicleMake")),
    "ListCars": ("cars", {"CarMaker": q.one_of("carCatalog.vehicleMake")}, q.ListSpec("cars", search=("vin", "licensePlate", "carCatalog.vehicleMake", "carCatalog.vehicleModel"), sort="licensePlate")),
    "ListSiteAreas": ("siteAreas", {}, q.ListSpec("siteAreas", location="address.coordinates")),
    "GetInvoices": (
        "invoices",
        {"StartDateTime": q.time_from("createdOn"), "EndDateTime": q.time_to("createdOn")},
        q.ListSpec("invoices", search=("id", "number", "user.name", "user.email"), sort="-createdOn"),
    ),
}
_TRANSACTIONS = {"GetTransactions": None, "GetCompletedTransactions": True, "GetActiveTransactions": False}
_STATISTICS = {
    f"GetStatistics{per_name}{kind.capitalize()}": (per, kind)
    for per, per_name, kinds in (
        ("chargingStations", "ChargingStations", ("consumption", "inactivity", "usage", "transaction")),
        ("users", "Users", ("consumption", "inactivity", "usage", "transaction", "pricing")),
    )
    for kind in kinds
}

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


class VevIqBehaviour(GenericBehaviour):
    vendor = "vev-iq"
    default_credentials = {"email": "integrator@example.com", "password": "mock-password", "tenant": "demo"}

    def __init__(self, ctx: MockContext) -> None:
        self.signer = Hs256()  # kept by reset(): tokens signed before a reset stay valid
        self.tables: dict[str, list[dict[str, Any]]] = {}
        self.accounts: dict[str, _Account] = {}
        super().__init__(ctx)
        self.lists = {op_id: replace(conventions, filters=self._filters(op_id, table, explicit)) for op_id, (table, explicit, conventions) in LISTS.items()}

    # --- seed --------------------------------------------------------------------------------

    def reset(self) -> None:
        """The spec's list examples, the test user and synthetic transactions; accounts for every user."""
        super().reset()
        ops = {table: op_id for op_id, (table, _, _) in LISTS.items()} | {"carMakers": "ListCarMakers"}
        self.tables = {table: self._results(op_id) for table, op_id in ops.items()}
        self.tables["transactions"] = _with_synthetic(self._results("GetTransactions", "GetCompletedTransactions", "GetActiveTransactions"), self.now)
        creds = self.ctx.credentials
        test_user = {"id": MOCK_USER_ID, "name": "Integrator", "firstName": "Mock", "email": creds["email"], "role": "A", "status": "A", "issuer": True, "technical": False}
        self.tables["users"].append(test_user)
        self.accounts = {}
        for user in self.tables["users"]:
            email = str(user.get("email", "")).lower()
            if email and email not in self.accounts:
                self.accounts[email] = _Account(user["id"], user["email"], user.get("name", ""), user.get("firstName", ""), user.get("role", "B"), user.get("status", "A"))

    def _results(self, *operation_ids: str) -> list[dict[str, Any]]:
        out: dict[Any, dict[str, Any]] = {}
        for operation_id in operation_ids:
            for example in response_examples(self.api, operation_id):
                for item in example.get("result", []) if isinstance(example, dict) else []:
                    out.setdefault(item.get("id", item.get("carMaker")), item)
        return list(out.values())

    def _filters(self, operation_id: str, table: str, explicit: Mapping[str, q.Predicate]) -> dict[str, q.Predicate]:
        schemas = self.ctx.api.schemas
        op = self.api.operation(operation_id)
        params = [(p.name, schemas.resolve(p.schema).get("type")) for p in op.parameters if p.location == "query"]
        response = op.response("200")
        media = response.media() if response is not None else None
        listed = schemas.resolve(media.schema if media is not None and media.schema is not None else {})
        item = schemas.resolve(schemas.resolve((listed.get("properties") or {}).get("result") or {}).get("items") or {})
        properties = [name for part in (item, *(schemas.resolve(b) for b in item.get("allOf") or ())) for name in part.get("properties") or {}]
        return q.spec_filters(params, properties, table[:-1], explicit)

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

    def describe(self, base_url: str) -> dict[str, Any]:
        return Behaviour.describe(self, base_url)  # the token comes from signing in, not from --describe

    def sign_in(self, request: MockRequest) -> MockResponse:
        body = request.body
        tenant = body.get("tenant") or request.raw_query.get("tenant")
        if not tenant:
            raise MockError(400, "Request validation failed: must have required property 'tenant'")
        if not body["acceptEula"]:
            raise MockError(520, "The End-user License Agreement has not been accepted", detail="Set acceptEula to true to sign in.")
        account = self.accounts.get(str(body["email"]).lower())
        if tenant != self.ctx.credentials["tenant"] or account is None:
            raise MockError(*_WRONG[:2], detail=_WRONG[2])
        now = self.now
        if account.locked_until > now:
            raise MockError(*_STATUS_ERRORS["L"][:2], detail=_STATUS_ERRORS["L"][2])
        if account.locked_until:
            account.locked_until, account.failures = 0.0, 0
        if not hmac.compare_digest(str(body["password"]).encode(), self.ctx.credentials["password"].encode()):
            account.failures += 1
            if account.failures < MAX_WRONG_PASSWORDS:
                raise MockError(*_WRONG[:2], detail=_WRONG[2])
            account.locked_until = now + self.ctx.options.setting("lockout_seconds", LOCKOUT_SECONDS)
            raise MockError(*_STATUS_ERRORS["L"][:2], detail=_STATUS_ERRORS["L"][2])
        account.failures = 0
        if account.status in _STATUS_ERRORS:
            code, message, detail = _STATUS_ERRORS[account.status]
            raise MockError(code, message, detail=detail)
        lifetime = self.ctx.options.token_lifetime or TOKEN_LIFETIME
        claims = {"id": account.user_id, "email": account.email, "name": account.name, "firstName": account.first_name, "role": account.role}
        token = self.signer.encode({**claims, "tenantSubdomain": tenant, "iat": int(now), "exp": int(now + lifetime)})
        return MockResponse(200, {"token": token})

    # --- handlers ----------------------------------------------------------------------------

    def handlers(self) -> Mapping[str, Handler]:
        handlers: dict[str, Handler] = {**super().handlers(), "SignIn": self.sign_in, "ListCarMakers": self.list_car_makers}
        for operation_id in LISTS:
            handlers[operation_id] = self._listing(operation_id)
        for operation_id, completed in _TRANSACTIONS.items():
            handlers[operation_id] = self._transactions(completed)
        for operation_id, (per, kind) in _STATISTICS.items():
            handlers[operation_id] = self._statistics(per, kind)
        return handlers

    def _listing(self, operation_id: str) -> Handler:
        return lambda request: MockResponse(200, q.run_list(self.tables[LISTS[operation_id][0]], self.lists[operation_id], request.params))

    def _transactions(self, completed: bool | None) -> Handler:
        def handle(request: MockRequest) -> MockResponse:
            spec, rows = self.lists["GetTransactions"], self.tables["transactions"]
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
        makers = {m["carMaker"] for m in self.tables["carMakers"]} | {str(c.get("vehicleMake")) for c in self.tables["carCatalogs"] if c.get("vehicleMake")}
        search = str(request.params.get("Search") or "").lower()
        result = [{"carMaker": m} for m in sorted(makers) if search in m.lower()]
        return MockResponse(200, {"count": len(result), "result": result})

    def _statistics(self, per: str, kind: str) -> Handler:
        return lambda request: MockResponse(200, statistics(self.tables["transactions"], kind, per, request.params, self.now))


def _with_synthetic(transactions: list[dict[str, Any]], now: float) -> list[dict[str, Any]]:
    """The example transactions, then copies of the completed ones on other days (amounts varied)."""
    completed = [t for t in transactions if isinstance(t.get("stop"), dict)]
    next_id = max((t["id"] for t in transactions), default=1_000_000) + 1
    span = 540 * 86400  # 18 months
    out = list(transactions)
    for i in range(SYNTHETIC_TRANSACTIONS if completed else 0):
        template = completed[i % len(completed)]
        clone = copy.deepcopy(template)
        end = now - 3600 - (span * i) / SYNTHETIC_TRANSACTIONS
        factor = 0.6 + (i * 37 % 80) / 100  # 0.6 .. 1.39, varies the amounts
        clone.pop("billingData", None)
        stop = clone["stop"]
        clone.update(id=next_id + i, timestamp=iso_utc(end - template["stop"].get("totalDurationSecs", 3600), millis=True))
        stop["timestamp"] = iso_utc(end, millis=True)
        for key in ("totalConsumptionWh", "price", "roundedPrice"):
            if isinstance(stop.get(key), (int, float)):
                stop[key] = round(stop[key] * factor) if key == "totalConsumptionWh" else round(stop[key] * factor, 2)
        if isinstance(clone.get("meterStart"), int) and isinstance(stop.get("totalConsumptionWh"), int):
            stop["meterStop"] = clone["meterStart"] + stop["totalConsumptionWh"]
        out.append(clone)
    return out


BEHAVIOUR = VevIqBehaviour
