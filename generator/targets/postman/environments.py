"""Postman environments: the local mock, then one per server (named by its description) and per
entry of `x-connectorgen-environments` (environments chosen by a query parameter, not a URL)."""

from __future__ import annotations

import re
from typing import Any

from msgspec import Struct, field

from generator.ir.model import Api
from generator.targets.postman.auth import Variable
from generator.targets.postman.ids import stable_id

__all__ = ["DEFAULT_MOCK_URL", "Environment", "environment_document", "plan_environments", "query_keys"]

DEFAULT_MOCK_URL = "http://127.0.0.1:4010"


class Environment(Struct):
    name: str  # short slug used in file names: mock, production, sandbox…
    base_url: str
    query: dict[str, str] = field(default_factory=dict)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40]


def query_keys(api: Api) -> list[str]:
    """Query parameters that select an environment (e.g. Eevion's `environment=staging`)."""
    keys: list[str] = []
    for entry in api.extensions.get("x-connectorgen-environments") or ():
        if isinstance(entry, dict) and isinstance(entry.get("query"), dict):
            keys += [str(k) for k in entry["query"] if str(k) not in keys]
    return keys


def plan_environments(api: Api, mock_url: str = DEFAULT_MOCK_URL) -> list[Environment]:
    envs = [Environment("mock", mock_url)]
    for i, server in enumerate(api.servers):
        name = _slug(server.description) or ("production" if i == 0 else f"server-{i + 1}")
        if name == "mock" or any(e.name == name for e in envs):
            name = f"{name}-{i + 1}"
        envs.append(Environment(name, server.resolved_url))
    default_url = envs[1].base_url if len(envs) > 1 else mock_url
    for entry in api.extensions.get("x-connectorgen-environments") or ():
        if not isinstance(entry, dict) or not entry.get("name"):
            continue
        name = _slug(str(entry["name"]))
        query = {str(k): str(v) for k, v in (entry.get("query") or {}).items()}
        existing = next((e for e in envs if e.name == name), None)
        if existing is not None:
            existing.query.update(query)
        else:
            envs.append(Environment(name, str(entry.get("url") or default_url), query))
    return envs


def environment_document(slug: str, title: str, env: Environment, variables: list[Variable], keys: list[str]) -> dict[str, Any]:
    values: list[dict[str, Any]] = [{"key": "baseUrl", "value": env.base_url, "type": "default", "enabled": True}]
    for var in variables:
        if not var.in_environments:
            continue
        value = dict(var.env_values).get(env.name, "" if var.secret else var.value)
        values.append({"key": var.key, "value": value, "type": "secret" if var.secret else "default", "enabled": True})
    for key in keys:
        values.append({"key": key, "value": env.query.get(key, ""), "type": "default", "enabled": True})
    return {
        "id": stable_id(slug, "environment", env.name),
        "name": f"{title} ({env.name})",
        "values": values,
        "_postman_variable_scope": "environment",
    }
