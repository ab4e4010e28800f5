"""Operational versioning of a published connector's operations: superseded ones stay, deprecated.

An operation of the spec may name the operations of the published connector (its baseline,
`specs/<vendor>/baseline/apiDefinition.swagger.json`) that it supersedes:

    get:
      operationId: ListChargingStations
      x-connectorgen-supersedes: [ChargingStations]

Each named operation is then kept in the Power Platform definition with its published operationId,
path template, method and parameters (so flows bound to it keep working; a parameter the server
requires, as the superseding operation says, is marked required), marked `deprecated: true`,
and implemented by the superseding operation: its request is routed to the same backend path
(`routerequesttoendpoint`) and it answers with the same typed responses (outputs only added). Both
carry `x-ms-api-annotation` with the superseding operation's family: revision 1 for the published
operation, 2 for ours. This is Microsoft's documented operational versioning.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from generator.ir.model import Api

__all__ = ["EXTENSION", "keep_superseded"]

EXTENSION = "x-connectorgen-supersedes"
_BASELINE = Path("baseline") / "apiDefinition.swagger.json"


def _names(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value] if isinstance(value, list) else []


def keep_superseded(swagger: dict[str, Any], routes: dict[str, tuple[str, str]], api: Api, spec_dir: Path) -> None:
    """Add the superseded published operations to `swagger` and their routes to `routes` (in place).
    Raises ValueError when a named operation is not in the baseline or its path is taken."""
    wanted = [(op, _names(op.extensions.get(EXTENSION))) for op in api.operations if op.extensions.get(EXTENSION)]
    if not wanted:
        return
    baseline_file = spec_dir / _BASELINE
    if not baseline_file.is_file():
        raise ValueError(f"{EXTENSION} needs the published connector in {baseline_file}")
    from generator.diff.load import load_side
    from generator.diff.walk import operations

    published = operations(load_side(baseline_file).definition)
    ours = operations(swagger)
    paths = swagger.setdefault("paths", {})
    for op, names in wanted:
        typed = ours.get(op.operation_id)
        if typed is None:
            continue  # excluded from the connector
        family = {"family": op.operation_id, "revision": 2}
        typed.op["x-ms-api-annotation"] = family
        backend = routes.get(op.operation_id, (typed.path, typed.method.upper()))
        typed_params = {p.get("name"): p for p in typed.op.get("parameters", []) if isinstance(p, dict)}
        for name in names:
            old = published.get(name)
            if old is None:
                raise ValueError(f"{op.operation_id} supersedes {name}, which is not an operation of {baseline_file}")
            if old.method in paths.get(old.path, {}):
                raise ValueError(f"{op.operation_id} supersedes {name}, but {old.method.upper()} {old.path} is already an operation")
            kept: dict[str, Any] = {}
            summary = str(typed.op.get("summary") or op.operation_id)
            kept["summary"] = f"{summary} (deprecated)"
            kept["description"] = (
                f"Deprecated: use {summary} ({op.operation_id}), which returns the same data with typed inputs. "
                + str(typed.op.get("description") or "")
            ).strip()
            kept["operationId"] = name
            parameters = copy.deepcopy([p for p in old.op.get("parameters", []) if isinstance(p, dict)])
            for param in parameters:
                better = typed_params.get(param.get("name"))
                if better is not None and better.get("description"):
                    param["description"] = better["description"]
                if better is not None and better.get("required") and better.get("in") == param.get("in"):
                    param["required"] = True  # the server requires it: a request without it is refused anyway
            if parameters:
                kept["parameters"] = parameters
            kept["responses"] = copy.deepcopy(typed.op.get("responses", {}))
            kept["deprecated"] = True
            kept["x-ms-api-annotation"] = {"family": op.operation_id, "revision": 1}
            for key in ("produces", "consumes"):
                if key in typed.op:
                    kept[key] = copy.deepcopy(typed.op[key])
            paths.setdefault(old.path, {})[old.method] = kept
            routes[name] = backend
