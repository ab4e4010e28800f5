"""Power Platform webhook triggers: `x-ms-trigger` on the registration operation, the notification-URL
body property (string, internal, required) and `x-ms-notification-content` on its path item. Part
of the Power Platform profile (profile.py), run on the converted document."""

from __future__ import annotations

import copy
from typing import Any

from generator.convert.context import Context
from generator.convert.operations import Where
from generator.convert.options import WebhookTrigger
from generator.convert.schema import definition_ref
from generator.util.pointer import unescape_pointer

__all__ = ["apply_triggers"]


def apply_triggers(ctx: Context, doc: dict[str, Any], where: Where) -> None:
    for trigger in ctx.options.webhook_triggers:
        if trigger.operation_id not in where:
            ctx.losses.warning(
                "trigger_operation_not_found",
                "/paths",
                f"webhook trigger operation {trigger.operation_id!r} not found",
            )
            continue
        path, method, pointer = where[trigger.operation_id]
        item = doc["paths"][path]
        op = item[method]
        op["x-ms-trigger"] = trigger.kind
        if trigger.hint:
            op["x-ms-trigger-hint"] = trigger.hint
        if trigger.summary:
            op["summary"] = trigger.summary
        if trigger.description:
            op["description"] = trigger.description
        _notification_url(ctx, doc, op, trigger, pointer)
        if trigger.notification_schema not in doc.get("definitions", {}):
            ctx.losses.warning(
                "trigger_schema_not_found",
                pointer,
                f"notification schema {trigger.notification_schema!r} is not a component schema",
            )
        else:
            content: dict[str, Any] = {}
            if trigger.notification_description:
                content["description"] = trigger.notification_description
            content["schema"] = {"$ref": definition_ref(trigger.notification_schema)}
            item["x-ms-notification-content"] = content
        if trigger.delete_operation_id:
            if trigger.delete_operation_id in where:
                delete_path, delete_method, _ = where[trigger.delete_operation_id]
                doc["paths"][delete_path][delete_method]["x-ms-visibility"] = "internal"
            else:
                ctx.losses.warning(
                    "trigger_operation_not_found",
                    pointer,
                    f"delete operation {trigger.delete_operation_id!r} not found",
                )


def _notification_url(
    ctx: Context, doc: dict[str, Any], op: dict[str, Any], trigger: WebhookTrigger, pointer: str
) -> None:
    body = next((p for p in op.get("parameters", []) if p.get("in") == "body"), None)
    schema = body.get("schema") if body else None
    if isinstance(schema, dict) and "$ref" in schema:
        # Inline a copy: the extension must not leak into other operations sharing the definition.
        name = unescape_pointer(schema["$ref"].rsplit("/", 1)[-1])
        schema = copy.deepcopy(doc.get("definitions", {}).get(name, {}))
    properties = schema.get("properties") if isinstance(schema, dict) else None
    if (
        body is None
        or not isinstance(schema, dict)
        or not isinstance(properties, dict)
        or trigger.notification_url_property not in properties
    ):
        ctx.losses.warning(
            "trigger_notification_url_missing",
            pointer,
            f"{trigger.operation_id}: no body property {trigger.notification_url_property!r} to carry the notification URL",
        )
        return
    required = list(schema.get("required") or [])
    url = dict(properties[trigger.notification_url_property])
    url.update({"type": "string", "x-ms-notification-url": True, "x-ms-visibility": "internal"})
    url.pop("format", None)
    properties[trigger.notification_url_property] = url
    for name in [trigger.notification_url_property, *trigger.fixed]:
        if name not in required:
            required.append(name)
    for name, value in trigger.fixed.items():
        fixed = dict(properties.get(name) or {})
        fixed.update({"default": value, "x-ms-visibility": "internal"})
        properties[name] = fixed
    schema["required"] = required
    body["schema"] = schema
    body["required"] = True
