"""The Power Platform dialect of Swagger 2.0: the converter's profile table (generator/convert/profile.py)
filled in for Power Platform, in one place instead of flags threaded through the converter.

What it accepts follows Microsoft's validator (the rule named in each loss message): its media types,
no uniqueItems, no default null, nothing but constraints beside $ref, one response schema per
operation and none on `default`, no collectionFormat multi, no body on GET, one security definition,
no OAuth2 client credentials, a host. What it adds: certifiable operationIds and summaries,
x-ms-summary labels, x-ms-url-encoding, x-ms-visibility, connector metadata, testConnection and the
webhook triggers (webhooks.py). The options it reads are the Power Platform fields of ConvertOptions.
"""

from __future__ import annotations

from typing import Any

from msgspec.structs import replace

from generator.convert.context import Context
from generator.convert.naming import pascal_id
from generator.convert.operations import OperationIds, Where, certifiable_summary
from generator.convert.params import schema_description
from generator.convert.profile import Profile
from generator.ir.model import Operation, Parameter
from generator.problems import Level
from generator.targets.powerplatform.config import (
    ConfigError,
    ConnectorConfig,
    DynamicSource,
    security_definitions,
)
from generator.targets.powerplatform.conventions import apply_conventions
from generator.targets.powerplatform.webhooks import apply_triggers
from generator.util.naming import title_case
from generator.util.pointer import escape_pointer

__all__ = ["CATEGORIES", "MIME_TYPES", "POWERPLATFORM", "connector_profile"]

# Microsoft's connector categories (x-ms-connector-metadata "Categories"), read by lint and the importer.
CATEGORIES = frozenset(
    {
        "AI", "Business Management", "Business Intelligence", "Collaboration", "Commerce", "Communication",
        "Content and Files", "Data", "Finance", "Human Resources", "Internet of Things", "IT Operations",
        "Lifestyle and Entertainment", "Marketing", "Productivity", "Sales and CRM", "Security", "Social Media", "Website",
    }
)  # fmt: skip
MIME_TYPES = ("application/json", "text/plain", "multipart/form-data", "application/x-www-form-urlencoded")


def _operation_id(ctx: Context, operation_id: str) -> str:
    return pascal_id(operation_id) if ctx.options.sanitize_operation_ids else operation_id


def _summary(ctx: Context, op: Operation) -> str:
    return certifiable_summary(ctx, op) if ctx.options.sanitize_summaries else op.summary


def _parameter(ctx: Context, out: dict[str, Any], p: Parameter, op: Operation) -> None:
    options = ctx.options
    if options.x_ms_summary and "x-ms-summary" not in out:
        title = p.schema.get("title") if isinstance(p.schema, dict) else None
        out["x-ms-summary"] = str(title) if title else title_case(p.name)
    if p.location == "path" and options.url_encoding and "x-ms-url-encoding" not in out:
        out["x-ms-url-encoding"] = "single"
    visibility = options.operation_parameter_visibility.get(op.operation_id, {}).get(
        p.name
    ) or options.parameter_visibility.get(p.name)
    enum = out.get("enum")
    if visibility:
        out["x-ms-visibility"] = visibility
    elif out.get("required") and isinstance(enum, list) and len(enum) == 1:
        out["x-ms-visibility"] = "internal"  # a constant the user never has to see
        out.setdefault("default", enum[0])
    if p.name == "connectionId":
        ctx.losses.warning(
            "parameter_name_reserved",
            p.pointer,
            "Power Platform reserves the parameter name 'connectionId' (ConnectionIdParameterNotAllowed)",
        )


def _added_path_parameter(ctx: Context, out: dict[str, Any], name: str) -> None:
    out.update({"x-ms-summary": title_case(name), "x-ms-url-encoding": "single"})


def _form_field(ctx: Context, out: dict[str, Any], name: str) -> None:
    if ctx.options.x_ms_summary:
        out["x-ms-summary"] = title_case(name)


def _property_schema(ctx: Context, out: dict[str, Any], source: dict[str, Any], name: str) -> None:
    if ctx.options.x_ms_summary and "x-ms-summary" not in out:
        out["x-ms-summary"] = str(source.get("title") or title_case(name))


def _callbacks_described(ctx: Context, op: Operation) -> bool:
    return any(t.operation_id == op.operation_id for t in ctx.options.webhook_triggers)


def _document(ctx: Context, doc: dict[str, Any], ids: OperationIds, where: Where) -> None:
    options = ctx.options
    if options.connector_metadata:
        doc["x-ms-connector-metadata"] = [
            {"propertyName": k, "propertyValue": v} for k, v in options.connector_metadata
        ]
    if options.test_connection:
        test: dict[str, Any] = {
            "operationId": ids.by_original.get(options.test_connection, options.test_connection)
        }
        if options.test_connection_parameters:
            test["parameters"] = {k: {"value": v} for k, v in options.test_connection_parameters.items()}
        doc["x-ms-capabilities"] = {"testConnection": test}
    apply_triggers(ctx, doc, where)


POWERPLATFORM = Profile(
    name="powerplatform",
    media_types=MIME_TYPES,
    unique_items=False,
    default_null=False,
    annotations_beside_ref=False,
    default_response_schema=False,
    many_response_schemas=False,
    collection_multi=False,
    body_on_get=False,
    security_definitions_max=1,
    client_credentials=False,
    host_required=True,
    lost_security_requirement=Level.INFO,  # connection parameters authenticate there
    operation_id=_operation_id,
    summary=_summary,
    parameter=_parameter,
    added_path_parameter=_added_path_parameter,
    form_field=_form_field,
    property_schema=_property_schema,
    body_description=schema_description,
    callbacks_described=_callbacks_described,
    document=_document,
)


# -- one connector's profile: the table above plus what only its connector.yaml knows ---------------


def connector_profile(config: ConnectorConfig) -> tuple[Profile, list[str]]:
    """POWERPLATFORM with a document hook that also writes the connection's security definitions,
    dynamic values, polling-trigger marks, the webhook trigger's Location and the published
    conventions (conventions.py). The list is filled with the dynamic-values parameters found nowhere."""
    missing: list[str] = []
    generic_test = {k: v.generic_test for k, v in config.operations.items() if v.generic_test is not None}

    def document(ctx: Context, doc: dict[str, Any], ids: OperationIds, where: Where) -> None:
        _document(ctx, doc, ids, where)
        _security(doc, config)
        missing.extend(_add_dynamic_values(doc, config))
        _finish_triggers(doc, config)
        apply_conventions(doc, config.keywords, generic_test)

    return replace(POWERPLATFORM, document=document), missing


def _operations(doc: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, op)
        for path, item in doc.get("paths", {}).items()
        for method, op in item.items()
        if isinstance(op, dict) and not method.startswith("x-") and method != "parameters"
    ]


def _dynamic(source: DynamicSource) -> dict[str, Any]:
    out: dict[str, Any] = {"operationId": source.operation_id}
    if source.value_collection:
        out["value-collection"] = source.value_collection
    out["value-path"] = source.value_path
    out["value-title"] = source.value_title
    if source.parameters:
        out["parameters"] = dict(source.parameters)
    return out


def _body_schema(doc: dict[str, Any], op: dict[str, Any]) -> dict[str, Any] | None:
    """The object schema of the body (of its items when the body is an array), refs followed."""
    body = next((p for p in op.get("parameters", []) if p.get("in") == "body"), None)
    schema = body.get("schema") if body else None
    for _ in range(3):
        if isinstance(schema, dict) and "$ref" in schema:
            schema = doc.get("definitions", {}).get(schema["$ref"].rsplit("/", 1)[-1])
        elif isinstance(schema, dict) and schema.get("type") == "array":
            schema = schema.get("items")
        else:
            break
    return schema if isinstance(schema, dict) else None


def _add_dynamic_values(doc: dict[str, Any], config: ConnectorConfig) -> list[str]:
    missing: list[str] = []
    for dv in config.dynamic_values:
        extension = _dynamic(dv.source)
        hits = 0
        for _, _, op in _operations(doc):
            if op.get("operationId") == dv.source.operation_id or (dv.operations and op.get("operationId") not in dv.operations):
                continue
            if dv.parameter:
                for parameter in op.get("parameters", []):
                    if parameter.get("name") == dv.parameter and parameter.get("in") in ("path", "query"):
                        parameter["x-ms-dynamic-values"] = dict(extension)
                        hits += 1
                continue
            schema = _body_schema(doc, op)
            prop = (schema or {}).get("properties", {}).get(dv.property)
            if isinstance(prop, dict):
                target = prop["items"] if prop.get("type") == "array" and isinstance(prop.get("items"), dict) else prop
                target["x-ms-dynamic-values"] = dict(extension)
                hits += 1
        if not hits:
            missing.append(dv.parameter or dv.property)
    return missing


def _finish_triggers(doc: dict[str, Any], config: ConnectorConfig) -> None:
    by_id = {op.get("operationId"): op for _, _, op in _operations(doc)}
    for lookup in config.lookups:
        by_id[lookup.operation_id]["x-ms-visibility"] = "internal"  # only pickers call it
    for trigger in config.polling_triggers:
        op = by_id[trigger.operation_id]
        op["x-ms-trigger"] = "batch" if trigger.batch else "single"
        if trigger.hint:
            op["x-ms-trigger-hint"] = trigger.hint
        op["x-ms-trigger-metadata"] = {"kind": "query", "mode": "polling"}
        for parameter in op.get("parameters", []):
            name = parameter.get("name")
            if name not in trigger.state:
                continue
            # The trigger state carries the cursor: nobody types it; the first poll uses `initial`.
            parameter["x-ms-visibility"] = "internal"
            if name in trigger.initial:
                parameter["default"] = trigger.initial[name]
            elif parameter.get("required") and "default" not in parameter:
                raise ConfigError(
                    f"polling trigger {trigger.operation_id}: state parameter {name!r} is required and needs an `initial` value",
                    trigger.pointer + "/state/" + escape_pointer(name),
                )
    for webhook in config.webhook_triggers:
        registration = by_id.get(webhook.operation_id)
        if registration is None:
            continue
        created = registration.get("responses", {}).get("201")
        if isinstance(created, dict):
            headers = created.setdefault("headers", {})
            headers.setdefault(
                "Location",
                {"type": "string", "description": "Address of the subscription; the platform DELETEs it when the trigger is removed."},
            )


def _security(doc: dict[str, Any], config: ConnectorConfig) -> None:
    """The security definitions the connection parameters stand for, as Power Platform pairs them
    (`security_definitions`); no requirement (the connection, with its policies and custom code,
    authenticates every call)."""
    doc.pop("security", None)
    doc["securityDefinitions"] = security_definitions(config)
    for _, _, op in _operations(doc):
        op.pop("security", None)
