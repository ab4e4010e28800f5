"""Responses → Swagger 2.0 responses (one schema each), response headers and `produces`."""

from __future__ import annotations

import re
from typing import Any

from generator.convert.context import Context, fresh
from generator.convert.params import flatten_primitive
from generator.convert.schema import SchemaConverter
from generator.ir.model import MediaType, Operation, Response
from generator.util.media import media_base

__all__ = ["convert_responses"]

# The only media types Power Platform accepts in consumes/produces (MimeTypeNotValid).
_STATUS = re.compile(r"^[1-5][0-9][0-9]$")


def _is_file_media(media: MediaType) -> bool:
    base = media_base(media.content_type)
    if media.is_json or base.startswith("text/") or base.endswith("xml"):
        return False
    schema = media.schema or {}
    return schema.get("type") in (None, "string") and not schema.get("properties")


_PLAIN_STATUSES = frozenset(str(n) for n in range(100, 600))  # what _STATUS matches, but for a final newline


def _status(ctx: Context, r: Response, taken: set[str]) -> str | None:
    if r.status in _PLAIN_STATUSES or r.status == "default" or _STATUS.match(r.status):
        return r.status
    if re.match(r"^[1-5]XX$", r.status, re.IGNORECASE):
        code = r.status[0] + "00"
        if code not in taken:
            ctx.losses.warning(
                "response_status_range_mapped",
                r.pointer,
                f"status range {r.status} written as {code} (Swagger 2.0 has no ranges)",
            )
            return code
        ctx.losses.warning(
            "response_dropped",
            r.pointer,
            f"status range {r.status} dropped ({code} is already defined; Swagger 2.0 has no ranges)",
        )
        return None
    ctx.losses.warning(
        "response_dropped", r.pointer, f"response {r.status!r} dropped (not an HTTP status code)"
    )
    return None


def convert_responses(ctx: Context, conv: SchemaConverter, op: Operation) -> tuple[dict[str, Any], list[str]]:
    """The `responses` object of `op` and its `produces` list."""
    memo = ctx.memo
    responses = op.responses
    taken = {r.status for r in responses}
    produces: list[str] = []
    out: dict[str, Any] = {}
    # The keeper is the first success response with a schema (whether or not its status is kept).
    keeper_found = False
    for r in responses:
        # A response shared by many operations (a `$ref` to components/responses: one IR object) is
        # converted once per (status, role, produces so far); its losses are the same each time.
        shared = r.pointer.startswith("/components/")
        if shared:
            found = memo.get(("media", id(r)))
            if found is None:
                memo[("media", id(r))] = found = (r, r.media())
            media = found[1]
        else:
            media = r.media()
        is_keeper = not keeper_found and media is not None and media.schema is not None and r.status.startswith("2")
        keeper_found = keeper_found or is_keeper
        status: str | None = r.status
        if status not in _PLAIN_STATUSES:
            status = _status(ctx, r, taken)
            if status is None:
                continue
            taken.add(status)
        if not shared:
            out[status] = _item(ctx, conv, r, media, status, is_keeper, produces)
            continue
        key = (id(r), status, is_keeper, tuple(produces))
        done = memo.get(key)
        if done is None:
            item = _item(ctx, conv, r, media, status, is_keeper, produces)
            memo[key] = done = (r, item, tuple(produces))
        else:
            produces[:] = done[2]
        out[status] = fresh(done[1])
    if not out:
        ctx.losses.warning(
            "responses_missing",
            op.pointer,
            "operation has no usable response; added an empty default response",
        )
        out["default"] = {"description": "Response"}
    return out, produces


def _item(
    ctx: Context,
    conv: SchemaConverter,
    r: Response,
    media: MediaType | None,
    status: str,
    is_keeper: bool,
    produces: list[str],
) -> dict[str, Any]:
    """Response `r` (whose `r.media()` is `media`) written under `status`, adding its media types to `produces`."""
    item: dict[str, Any] = {"description": r.description}
    for m in r.contents:
        _add_produces(ctx, produces, m, mapped=is_keeper and m is media)
        if m is not media and m.schema is not None and media is not None and m.schema != media.schema:
            ctx.losses.info(
                "response_content_dropped",
                m.pointer,
                f"{m.content_type} schema of response {r.status} dropped; Swagger 2.0 keeps one schema per response",
            )
    if media is not None and (media.schema is not None or _is_file_media(media)):
        is_file = _is_file_media(media)
        if not ctx.profile.default_response_schema and status == "default":
            ctx.losses.info(
                "response_schema_dropped",
                r.pointer,
                "schema of the default response dropped (Power Platform: DefaultResponseHasSchema)",
            )
        elif not ctx.profile.many_response_schemas and not is_keeper:
            ctx.losses.info(
                "response_schema_dropped",
                r.pointer,
                f"schema of response {r.status} dropped (Power Platform: OperationHasManyResponsesWithSchema)",
            )
        else:
            # Binary as string/binary: openapi-spec-validator rejects `type: file` response schemas.
            item["schema"] = (
                {"type": "string", "format": "binary"}
                if is_file
                else conv.convert(media.schema, media.pointer + "/schema")
            )
            example = _example(ctx, media, produces)
            if example is not None:
                item["examples"] = example
    if r.headers:
        headers = _headers(ctx, conv, r)
        if headers:
            item["headers"] = headers
    for link in r.links:
        ctx.losses.info(
            "link_dropped", link.pointer, f"link {link.name!r} dropped (Swagger 2.0 has no links)"
        )
    return item


def _add_produces(ctx: Context, produces: list[str], media: MediaType, mapped: bool) -> None:
    content_type = media.content_type
    accepted = ctx.profile.media_types
    if accepted and media_base(content_type) not in accepted:
        if mapped and media.is_json:
            ctx.losses.warning(
                "media_type_mapped",
                media.pointer,
                f"{content_type} listed as application/json (Power Platform: MimeTypeNotValid)",
            )
            content_type = "application/json"
        else:
            ctx.losses.info(
                "produces_media_type_dropped",
                media.pointer,
                f"{content_type} left out of produces (Power Platform: MimeTypeNotValid)",
            )
            return
    if content_type not in produces:
        produces.append(content_type)


def _example(ctx: Context, media: MediaType, produces: list[str]) -> dict[str, Any] | None:
    if not media.examples:
        return None
    content_type = (
        media.content_type
        if media.content_type in produces
        else ("application/json" if "application/json" in produces else "")
    )
    if not content_type:
        return None
    if len(media.examples) > 1:
        ctx.losses.info(
            "examples_reduced", media.pointer, f"kept the first of {len(media.examples)} response examples"
        )
    return {content_type: media.examples[0].value}


def _headers(ctx: Context, conv: SchemaConverter, r: Response) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for h in r.headers:
        if h.name.lower() == "content-type":
            ctx.losses.info(
                "header_dropped", h.pointer, "Content-Type response header dropped (OpenAPI 3 ignores it)"
            )
            continue
        header: dict[str, Any] = {}
        if h.description:
            header["description"] = h.description
        header.update(
            flatten_primitive(
                ctx, conv, h.schema, h.pointer + "/schema", f"response header {h.name!r}"
            )
        )
        if h.has_example:
            header["x-example"] = h.example
        out[h.name] = header
    return out
