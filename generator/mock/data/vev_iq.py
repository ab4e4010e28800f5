"""VEV-IQ seed data: the entities of the spec's list examples, plus synthetic completed transactions
(copies of the example ones on other days, enough that an unfiltered list reaches 500 rows and
answers `count: -1`). Synthetic transactions end before `now`, spread over the last 18 months, so
the statistics of the current year are never empty."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from generator.ir.model import Api
from generator.mock.examples import iso_utc, response_examples

__all__ = ["SYNTHETIC_TRANSACTIONS", "VevIqWorld", "build_world"]

SYNTHETIC_TRANSACTIONS = 540
_LISTS = {
    "sites": "ListSites",
    "chargingStations": "ListChargingStations",
    "users": "ListUsers",
    "tags": "ListTags",
    "assets": "ListAssets",
    "carCatalogs": "ListCarCatalogs",
    "carMakers": "ListCarMakers",
    "cars": "ListCars",
    "siteAreas": "ListSiteAreas",
    "invoices": "GetInvoices",
}


@dataclass
class VevIqWorld:
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def transactions(self) -> list[dict[str, Any]]:
        return self.tables["transactions"]


def _results(api: Api, operation_id: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for example in response_examples(api, operation_id):
        if isinstance(example, dict):
            for item in example.get("result", []):
                key = item.get("id", item.get("carMaker"))
                if all(o.get("id", o.get("carMaker")) != key for o in out):
                    out.append(item)
    return out


def build_world(api: Api, now: float) -> VevIqWorld:
    world = VevIqWorld({name: _results(api, op) for name, op in _LISTS.items()})
    transactions = _results(api, "GetTransactions")
    for op in ("GetCompletedTransactions", "GetActiveTransactions"):
        transactions += [t for t in _results(api, op) if all(t["id"] != o["id"] for o in transactions)]
    completed = [t for t in transactions if isinstance(t.get("stop"), dict)]
    next_id = max((t["id"] for t in transactions), default=1_000_000) + 1
    span = 540 * 86400  # 18 months
    for i in range(SYNTHETIC_TRANSACTIONS if completed else 0):
        template = completed[i % len(completed)]
        clone = copy.deepcopy(template)
        duration = template["stop"].get("totalDurationSecs", 3600)
        end = now - 3600 - (span * i) / SYNTHETIC_TRANSACTIONS
        start = end - duration
        factor = 0.6 + (i * 37 % 80) / 100  # 0.6 .. 1.39, varies the amounts
        clone["id"] = next_id + i
        clone["timestamp"] = iso_utc(start, millis=True)
        stop = clone["stop"]
        stop["timestamp"] = iso_utc(end, millis=True)
        for key in ("totalConsumptionWh", "price", "roundedPrice"):
            if isinstance(stop.get(key), (int, float)):
                stop[key] = round(stop[key] * factor, 2 if "rice" in key else 0)
                if key == "totalConsumptionWh":
                    stop[key] = int(stop[key])
        if isinstance(clone.get("meterStart"), int) and isinstance(stop.get("totalConsumptionWh"), int):
            stop["meterStop"] = clone["meterStart"] + stop["totalConsumptionWh"]
        clone.pop("billingData", None)
        transactions.append(clone)
    world.tables["transactions"] = transactions
    return world

