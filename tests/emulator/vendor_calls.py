"""Driving every action of a vendor package against its mock: connection values from the mock's
`describe`, parameter values and bodies from the package's own examples, ids captured from earlier
answers (creates run before reads, deletes last)."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from generator.emulator import EmulatedPackage, Emulator
from generator.spec.connector import load_connector
from generator.targets.powerplatform.config import ConnectorConfig, read_config

from tests.conftest import SPECS, loaded_spec

__all__ = ["ActionPlan", "call_order", "config_for", "connection_for", "example_arguments"]

_ORDER = {"post": 0, "put": 1, "get": 2, "patch": 3, "delete": 5}  # a read moves an Eevion session on


def config_for(vendor: str) -> ConnectorConfig:
    connector, _ = load_connector(SPECS / vendor / "connector.yaml")
    return read_config(connector, loaded_spec(vendor).api)


def connection_for(vendor: str, describe: dict[str, Any], set_index: int = 0) -> tuple[dict[str, str], str | None]:
    """(connection values, parameter set name or None) for the mock's credentials."""
    config = config_for(vendor)
    connection_set = config.sets[set_index]
    values = {p.name: str(describe["credentials"][p.credential]) for p in connection_set.parameters if p.credential}
    if connection_set.auth.kind == "header":
        credential = next(p.credential for p in connection_set.parameters if p.name == connection_set.auth.parameter)
        if credential:
            values[connection_set.auth.parameter] = str(describe["credentials"][credential])
    if connection_set.auth.token_url_parameter and "tokenUrl" in describe:
        values[connection_set.auth.token_url_parameter] = describe["tokenUrl"]
    return values, (connection_set.name if len(config.sets) > 1 else None)


def call_order(package: EmulatedPackage) -> list[str]:
    """Creates first (parents before children), reads next, deletes last (children before parents);
    triggers are not actions."""
    ops = [op for op in package.operations() if not op.is_trigger]

    def key(op: Any) -> tuple[int, int, str]:
        depth = op.path.count("/")
        return (_ORDER.get(op.method, 4), -depth if op.method == "delete" else depth, op.path)

    return [op.operation_id for op in sorted(ops, key=key)]


def _example(parameter: dict[str, Any]) -> tuple[bool, Any]:
    for key in ("x-ms-test-value", "default"):
        if key in parameter:
            return True, parameter[key]
    if parameter.get("enum"):
        return True, parameter["enum"][0]
    return False, None


@dataclass
class ActionPlan:
    """Known ids (from examples and answers) by parameter name."""

    ids: dict[str, Any] = field(default_factory=dict)

    def learn(self, body: Any) -> None:
        if isinstance(body, dict):
            for key, value in body.items():
                if isinstance(value, (str, int)) and (key.lower().endswith("id") or key == "id"):
                    self.ids.setdefault(key, value)


def example_arguments(package: EmulatedPackage, operation_id: str, plan: ActionPlan, learnt: bool = True) -> tuple[dict[str, Any], Any]:
    """(parameters, body) for one call: required parameters and the body from the examples, ids
    learnt from earlier answers in preference to the examples (unless `learnt` is false)."""
    op = package.operation(operation_id)
    parameters: dict[str, Any] = {}
    body: Any = None
    for parameter in op.parameters:
        if parameter["in"] == "body":
            body = copy.deepcopy(parameter.get("x-ms-test-value"))
            continue
        if not parameter.get("required") or parameter.get("x-ms-visibility") == "internal":
            continue
        if learnt and parameter["in"] == "path" and parameter["name"] in plan.ids:
            parameters[parameter["name"]] = plan.ids[parameter["name"]]
            continue
        found, value = _example(parameter)
        if found:
            parameters[parameter["name"]] = value
    return parameters, body


def run_all(emulator: Emulator, notification_url: str, examples_only: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Call every action once in `call_order`, after registering every webhook trigger (so that the
    actions on subscriptions have one); returns operationId → Call. Operations in `examples_only`
    use the examples' ids (e.g. a seeded object in the right state) rather than learnt ones."""
    plan = ActionPlan()
    calls: dict[str, Any] = {}
    for op in emulator.package.operations():
        if op.is_trigger and "x-ms-notification-content" in op.path_item:
            _, body = example_arguments(emulator.package, op.operation_id, plan)
            subscription = emulator.register_webhook(op.operation_id, notification_url, body=body)
            plan.learn(subscription.registration.response.json())
    for operation_id in call_order(emulator.package):
        parameters, body = example_arguments(emulator.package, operation_id, plan, operation_id not in examples_only)
        call = emulator.call(operation_id, parameters, body)
        calls[operation_id] = call
        if call.response.ok and call.response.body:
            plan.learn(call.response.json())
    return calls
