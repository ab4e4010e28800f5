"""apiDefinition.swagger.json: the converter's Swagger 2.0 plus what only connector.yaml knows.

Steps: (1) derive the connector's view of the IR — variants become operations at their own paths,
polling triggers become operations routed to their list, the connection-level environment parameter
leaves the operations; (2) the Swagger 2.0 converter, with Power Platform options from connector.yaml
(`run_converter` is the one call) with this connector's Power Platform profile (profile.py:
`connector_profile`), whose document hook also writes what only connector.yaml knows.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from msgspec.structs import replace

from generator.ir.model import Api, MediaType, Operation, RequestBody, Response
from generator.problems import Problem
from generator.targets.powerplatform.config import ConfigError, ConnectorConfig, Lookup
from generator.targets.powerplatform.profile import connector_profile
from generator.util.naming import snake_case

__all__ = ["ConnectorView", "build_swagger", "connector_view", "run_converter"]

Routes = dict[str, tuple[str, str]]  # operationId → (backend path, METHOD)


@dataclasses.dataclass
class ConnectorView:
    api: Api
    routes: Routes


def _variant_path(config: ConnectorConfig, op: Operation, variant_id: str) -> str:
    settings = config.operations.get(variant_id)
    configured = settings.path if settings else ""
    return configured if configured else op.path.rstrip("/") + "/" + snake_case(variant_id).replace("_", "-")


def _with_schema(media: MediaType, schema: dict[str, Any] | None, example: str) -> MediaType:
    examples = tuple(e for e in media.examples if example and e.name.startswith(example))
    return replace(media, schema=schema, examples=examples)


def _described(api: Api, schema: dict[str, Any] | None, fallback: str) -> str:
    resolved = api.resolve_schema(schema)
    return str((resolved or {}).get("description") or fallback)


def _variants(api: Api, config: ConnectorConfig, op: Operation, drop: set[str]) -> tuple[list[Operation], Routes]:
    out: list[Operation] = []
    routes: Routes = {}
    for variant in op.variants:
        body = op.request_body
        if body is not None and variant.request_schema is not None:
            body = RequestBody(
                body.required,
                tuple(_with_schema(m, variant.request_schema, variant.example) for m in body.contents if m.is_json) or body.contents,
                # The shared operation describes both bodies; each action describes its own.
                _described(api, variant.request_schema, variant.summary + "."),
                body.pointer,
            )
        responses = tuple(
            replace(
                r,
                description=_described(api, variant.response_schema, r.description),
                contents=tuple(_with_schema(m, variant.response_schema, variant.example) for m in r.contents),
            )
            if r.is_success and variant.response_schema is not None
            else r
            for r in op.responses
        )
        out.append(
            replace(
                op,
                operation_id=variant.operation_id,
                path=_variant_path(config, op, variant.operation_id),
                summary=variant.summary,
                description=variant.description,
                parameters=tuple(p for p in op.parameters if p.name not in drop),
                request_body=body,
                responses=responses,
                callbacks=(),
                variants=(),
                extensions={},
            )
        )
        routes[variant.operation_id] = (op.path, op.method.upper())
    return out, routes


def connector_view(api: Api, config: ConnectorConfig) -> ConnectorView:
    """The IR as the connector exposes it (see the module docstring)."""
    env = config.environment
    drop = {env.query_name} if env and env.apply == "query" else set()
    operations: list[Operation] = []
    routes: Routes = {}
    for op in api.operations:
        if op.variants:
            split, variant_routes = _variants(api, config, op, drop)
            operations.extend(split)
            routes.update(variant_routes)
            continue
        if drop and any(p.name in drop and p.location == "query" for p in op.parameters):
            op = replace(op, parameters=tuple(p for p in op.parameters if not (p.name in drop and p.location == "query")))
        operations.append(op)
    for trigger in config.polling_triggers:
        source = next((o for o in operations if o.operation_id == trigger.source), None)
        if source is None:
            raise ConfigError(f"polling trigger {trigger.operation_id}: no operation {trigger.source}", trigger.pointer + "/source")
        keep = set(trigger.state)
        parameters = tuple(p for p in source.parameters if p.required or p.name in keep)
        operations.append(_copy(source, trigger.operation_id, trigger.path, trigger.summary, trigger.description, parameters=parameters))
        routes[trigger.operation_id] = (source.path, source.method.upper())
    for webhook in config.webhook_triggers:
        action = webhook.action
        registration = next((o for o in operations if o.operation_id == webhook.operation_id), None)
        if action is None or registration is None:
            continue
        operations.append(_copy(registration, action.operation_id, action.path, action.summary, action.description))
        routes[action.operation_id] = (registration.path, registration.method.upper())
    schemas = dict(api.schemas)
    for lookup in config.lookups:
        operations.append(_lookup_operation(lookup, operations, schemas))
    return ConnectorView(replace(api, operations=tuple(operations), schemas=schemas), routes)


CHOICE = "ConnectorChoice"


def _lookup_operation(lookup: Lookup, operations: list[Operation], schemas: dict[str, Any]) -> Operation:
    """An internal GET the custom code answers with [{value, title}] (see connector.yaml `lookups`)."""
    source = next((o for o in operations if o.operation_id == lookup.source), None)
    if source is None or source.method != "get" or any(p.required for p in source.parameters):
        raise ConfigError(f"lookup {lookup.operation_id}: {lookup.source} must be a GET without required parameters", lookup.pointer + "/source")
    schemas.setdefault(
        CHOICE,
        {
            "type": "object",
            "description": "A value to pick, with the text shown for it.",
            "required": ["value", "title"],
            "properties": {
                "value": {"type": "string", "description": "The value."},
                "title": {"type": "string", "description": "The text shown."},
            },
        },
    )
    answer = Response(
        "200",
        "The choices.",
        (MediaType("application/json", {"type": "array", "items": {"$ref": f"#/components/schemas/{CHOICE}"}}),),
    )
    return replace(
        source,
        operation_id=lookup.operation_id,
        path=lookup.path,
        summary=lookup.summary,
        description=lookup.description,
        parameters=(),
        responses=(answer, *(r for r in source.responses if not r.is_success)),
        callbacks=(),
        extensions={},
    )


def _options(config: ConnectorConfig, profile: Any) -> Any:
    from generator.convert import ConvertOptions

    meta = config.metadata
    metadata = (
        ("Website", meta.website),
        ("Privacy policy", meta.privacy_policy),
        ("Categories", ";".join(meta.categories)),
    )
    return ConvertOptions(
        profile=profile,
        server_index=meta.server,
        title=meta.title,
        description=meta.description,
        contact=dict(meta.contact),
        connector_metadata=metadata,
        exclude_operations=config.excluded,
        operation_visibility={k: v.visibility for k, v in config.operations.items() if v.visibility},
        parameter_visibility=dict(meta.parameter_visibility),
        operation_parameter_visibility={k: dict(v.parameters) for k, v in config.operations.items() if v.parameters},
        webhook_triggers=config.webhook_triggers,  # the one WebhookTrigger record, passed through
        test_connection=meta.test_operation,
        test_connection_parameters=dict(meta.test_parameters),
    )


def run_converter(api: Api, options: Any) -> tuple[dict[str, Any], list[Problem]]:
    """The Swagger 2.0 converter (generator/convert): the only place the target calls it."""
    from generator.convert import convert

    result = convert(api, options)
    return result.swagger, list(result.losses)


def _order(doc: dict[str, Any]) -> dict[str, Any]:
    """The usual key order of connector definitions (deterministic whatever the converter does)."""
    first = ["swagger", "info", "host", "basePath", "schemes", "consumes", "produces", "paths", "definitions",
             "parameters", "responses", "securityDefinitions", "security", "tags"]
    return {**{k: doc[k] for k in first if k in doc}, **{k: v for k, v in doc.items() if k not in first}}


def build_swagger(api: Api, config: ConnectorConfig) -> tuple[dict[str, Any], Routes, list[Problem], list[str]]:
    """(swagger, routes, converter losses, dynamic-value parameters found nowhere)."""
    view = connector_view(api, config)
    profile, missing = connector_profile(config)
    doc, losses = run_converter(view.api, _options(config, profile))
    return _order(doc), view.routes, losses, missing


def _copy(op: Operation, operation_id: str, path: str, summary: str, description: str, **changes: Any) -> Operation:
    """`op` published again under another operationId and path (a polling trigger, a webhook action)."""
    return replace(
        op, operation_id=operation_id, path=path, summary=summary, description=description, callbacks=(), extensions={}, **changes
    )
