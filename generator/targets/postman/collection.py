"""Assemble the Postman v2.1 collection and its environments from the IR."""

from __future__ import annotations

from typing import Any

from msgspec import Struct, field

from generator.ir.model import Api
from generator.problems import Problem
from generator.targets.postman.auth import AuthPlan, Variable, item_auth, plan_auth
from generator.targets.postman.environments import (
    DEFAULT_MOCK_URL,
    environment_document,
    plan_environments,
    query_keys,
)
from generator.targets.postman.fields import folder_references
from generator.targets.postman.flow import Entry, plan_requests
from generator.targets.postman.guard import plan_guard
from generator.targets.postman.ids import stable_id
from generator.targets.postman.requests import RequestBuilder, script_event
from generator.targets.postman.walkthrough import body_variables, plan_walkthroughs

__all__ = ["SCHEMA_URL", "PostmanOutput", "build_postman"]

SCHEMA_URL = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"


class PostmanOutput(Struct):
    collection: dict[str, Any]
    environments: dict[str, dict[str, Any]]  # environment name (mock, production…) -> document
    problems: list[Problem] = field(default_factory=list)


def _entries(api: Api) -> list[Entry]:
    entries: list[Entry] = []
    for op in api.operations:
        for variant in op.variants or (None,):
            entries.append(Entry(op, variant, len(entries)))
    return entries


def _variable(var: Variable) -> dict[str, Any]:
    out: dict[str, Any] = {"key": var.key, "value": var.value, "type": "string"}
    if var.description:
        out["description"] = var.description
    return out


def _description(api: Api, slug: str, credentials: list[str], mock_credentials: bool) -> str:
    how = (
        "Requests run in dependency order (ids created by one request feed the next through collection "
        "variables) and every request tests its status and response schema. Choose an environment: the "
        "real ones leave the credentials empty (typed secret) for you to fill in"
        + (f" ({', '.join(credentials)})" if credentials else "")
        + ("; the mock environment carries the local mock's placeholder credentials" if mock_credentials else "")
        + ". Run it with newman against a mock served on http://127.0.0.1:4010:\n\n"
        f"    newman run {slug}.postman_collection.json -e environments/{slug}-mock.postman_environment.json"
    )
    return f"{api.description}\n\n{how}" if api.description else how


def build_postman(api: Api, slug: str, mock_url: str = DEFAULT_MOCK_URL) -> PostmanOutput:
    auth: AuthPlan = plan_auth(api)
    keys = query_keys(api)
    guard = plan_guard(api, keys)
    builder = RequestBuilder(api, slug, auth.credentials, keys, guard)
    entries = _entries(api)
    values = {e.index: builder.values(e) for e in entries}
    plan = plan_requests(api, entries, values)
    bodies = {e.index: values[e.index].get("body", (False, None))[1] for e in entries}
    shared = body_variables(entries, bodies, set(plan.variables))
    walkthroughs, walkthrough_problems = plan_walkthroughs(api, entries, bodies, set(plan.variables) | set(shared))

    extra: list[Variable] = []
    items: list[dict[str, Any]] = []
    for walkthrough in walkthroughs:
        steps = [
            _numbered(builder.item(e, item_auth(api, e.op, auth, extra), walkthrough.name), f"{n}. ")
            for n, e in enumerate(walkthrough.steps, 1)
        ]
        steps += [
            _numbered(builder.item(e, item_auth(api, e.op, auth, extra), walkthrough.name), "Cleanup: ")
            for e in walkthrough.cleanup
        ]
        folder_item: dict[str, Any] = {"name": walkthrough.name, "description": walkthrough.description, "item": steps}
        items.append({k: v for k, v in folder_item.items() if v != ""})
    references = folder_references(api)
    for folder in plan.folders:
        children = [builder.item(e, item_auth(api, e.op, auth, extra)) for e in folder.entries]
        if folder.name:
            group: dict[str, Any] = {"name": folder.name}
            description = "\n\n".join(t for t in (folder.description, references.get(folder.name, "")) if t)
            if description:
                group["description"] = description
            group["item"] = children
            items.append(group)
        else:
            items.extend(children)

    first_url = api.servers[0].resolved_url if api.servers else mock_url
    variables: list[Variable] = [Variable("baseUrl", first_url, "Base URL of the API; each environment sets its own.")]
    variables += auth.variables
    variables += [Variable(k, "", "Environment-selecting query parameter; sent only when not empty.") for k in keys]
    variables += [Variable(k, v, d) for k, (v, d) in plan.variables.items()]
    variables += [Variable(k, v, d) for k, (v, d) in shared.items()]
    variables += [Variable(k, v, d) for w in walkthroughs for k, (v, d) in w.variables.items()]
    if guard is not None:
        variables.append(Variable(guard.variable, "false", "Set to true to let the requests that change stations run against production."))
    variables += [
        Variable(k, v, "Secret sent in a request body; the value is the spec's placeholder. Replace it.")
        for k, v in sorted(builder.secrets.items())
    ]
    variables += extra
    declared: dict[str, Variable] = {}
    for var in variables:
        declared.setdefault(var.key, var)

    scripts = []
    if keys:
        from generator.targets.postman.prerequest import query_script  # few APIs have environment query keys

        scripts.append(query_script(keys))
    if auth.script:
        scripts.append(auth.script)

    info: dict[str, Any] = {"_postman_id": stable_id(slug, "collection"), "name": api.title or slug}
    mock_credentials = any(v.secret and v.env_values for v in auth.variables)
    info["description"] = _description(api, slug, sorted(auth.credentials), mock_credentials)
    info["schema"] = SCHEMA_URL
    collection: dict[str, Any] = {"info": info, "item": items}
    if auth.auth is not None:
        collection["auth"] = auth.auth
    if scripts:
        collection["event"] = [script_event("prerequest", "\n".join(scripts))]
    collection["variable"] = [_variable(v) for v in declared.values() if v.in_collection]

    title = api.title or slug
    env_vars = list(declared.values())
    environments = {
        env.name: environment_document(slug, title, env, env_vars, keys) for env in plan_environments(api, mock_url)
    }
    return PostmanOutput(collection, environments, [*auth.problems, *walkthrough_problems])


def _numbered(item: dict[str, Any], prefix: str) -> dict[str, Any]:
    return {**item, "name": prefix + str(item["name"])}
