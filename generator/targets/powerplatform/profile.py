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

from generator.convert.context import Context
from generator.convert.naming import pascal_id
from generator.convert.operations import OperationIds, Where, certifiable_summary
from generator.convert.params import schema_description
from generator.convert.profile import Profile
from generator.ir.model import Operation, Parameter
from generator.problems import Level
from generator.targets.powerplatform.webhooks import apply_triggers
from generator.util.naming import title_case

__all__ = ["MIME_TYPES", "POWERPLATFORM"]

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
