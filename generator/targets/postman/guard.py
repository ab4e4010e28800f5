"""A pre-request guard for requests that change real things (Eevion's station commands): against the
production server they are not sent unless a collection variable allows it.

The spec names them at top level:
`x-connectorgen-production-guard: {variable: allowProductionChanges, operations: [StartSession, ...]}`
(operation or variant ids). Production is the first server with none of the environment-selecting
query parameters set (Eevion's staging is the same URL with `environment=staging`).
"""

from __future__ import annotations

import json

from msgspec import Struct

from generator.ir.model import Api

__all__ = ["GUARD_KEY", "Guard", "plan_guard"]

GUARD_KEY = "x-connectorgen-production-guard"

_SCRIPT = """// Changes real stations: not sent to production unless {variable} is "true".
(function () {{
    var production = {production};
    var base = pm.variables.replaceIn('{{{{baseUrl}}}}').replace(/\\/+$/, '');
    var elsewhere = {keys}.some(function (key) {{
        var value = pm.variables.replaceIn(String(pm.variables.get(key) || ''));
        return value !== '' && !/\\{{\\{{/.test(value);
    }});
    if (base !== production || elsewhere || String(pm.variables.get({variable_json})) === 'true') {{
        return;
    }}
    pm.test({title}, function () {{
        pm.expect.fail('this request changes stations in production; set {variable} to true to send it');
    }});
    pm.execution.skipRequest();
}})();"""


class Guard(Struct, frozen=True):
    variable: str
    operations: frozenset[str]
    production_url: str
    query_keys: tuple[str, ...] = ()

    def note(self) -> str:
        """The sentence added to each guarded request's description."""
        return (
            f"Safety: this request changes stations, so against production ({self.production_url}) it is not "
            f"sent unless the collection variable `{self.variable}` is `true` (its pre-request script checks)."
        )

    def script(self) -> str:
        return _SCRIPT.format(
            variable=self.variable,
            variable_json=json.dumps(self.variable),
            production=json.dumps(self.production_url.rstrip("/")),
            keys=json.dumps(list(self.query_keys)),
            title=json.dumps(f"Not sent to production: set {self.variable} to true to allow it"),
        )


def plan_guard(api: Api, query_keys: list[str]) -> Guard | None:
    spec = api.extensions.get(GUARD_KEY)
    if not isinstance(spec, dict) or not api.servers:
        return None
    operations = frozenset(str(o) for o in spec.get("operations") or ())
    if not operations:
        return None
    variable = str(spec.get("variable") or "allowProductionChanges")
    return Guard(variable, operations, api.servers[0].resolved_url, tuple(query_keys))
