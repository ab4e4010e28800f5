"""`convert(api, options)`: the IR → one Swagger 2.0 document plus its loss report."""

from __future__ import annotations

from typing import Any

from generator.convert.context import Context, Losses
from generator.convert.operations import OperationIds, convert_paths
from generator.convert.options import ConvertOptions, ConvertResult
from generator.convert.repair import repair_swagger
from generator.convert.schema import SchemaConverter
from generator.convert.security import SecurityConverter
from generator.convert.servers import convert_server
from generator.ir.model import Api

__all__ = ["convert"]


def convert(api: Api, options: ConvertOptions | None = None) -> ConvertResult:
    """Swagger 2.0 for `api`. Never raises on odd input: whatever cannot be said is reported."""
    options = options or ConvertOptions()
    ctx = Context(api, options, Losses(api.source_file))
    conv = SchemaConverter(ctx)
    definitions = conv.definitions()
    security = SecurityConverter(ctx)
    operations = tuple(op for op in api.operations if op.operation_id not in options.exclude_operations)
    ids = OperationIds(ctx, operations)

    doc: dict[str, Any] = {"swagger": "2.0", "info": _info(ctx)}
    doc.update(convert_server(ctx))
    paths, where = convert_paths(ctx, conv, security, ids)
    doc["paths"] = paths
    if definitions:
        doc["definitions"] = definitions
    if security.definitions:
        doc["securityDefinitions"] = security.definitions
    requirements = security.requirements(api.security, "/security")
    if requirements:
        doc["security"] = requirements
    if api.tags:
        doc["tags"] = [
            {"name": t.name, **({"description": t.description} if t.description else {})} for t in api.tags
        ]
    for webhook in api.webhooks:
        ctx.losses.warning(
            "webhook_dropped",
            webhook.pointer,
            f"webhook {webhook.name!r} dropped (Swagger 2.0 has no webhooks)",
        )
    for key, value in api.extensions.items():
        if not ctx.losses.drops_own_extension(key, ""):
            doc[key] = value
    if ctx.profile.document is not None:
        ctx.profile.document(ctx, doc, ids, where)
    doc = repair_swagger(doc, ctx.losses)
    return ConvertResult(doc, ctx.losses.problems())


def _info(ctx: Context) -> dict[str, Any]:
    api, options = ctx.api, ctx.options
    info: dict[str, Any] = {"title": options.title or api.title, "version": api.version}
    description = options.description or api.description
    if description:
        info["description"] = description
    contact = dict(options.contact) or {
        "name": api.contact.name,
        "url": api.contact.url,
        "email": api.contact.email,
    }
    contact = {k: v for k, v in contact.items() if v}
    if contact:
        info["contact"] = contact
    if api.license_name:
        info["license"] = {"name": api.license_name}
    return info

