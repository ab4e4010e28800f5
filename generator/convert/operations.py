"""Operations → Swagger 2.0 operations grouped into `paths`."""

from __future__ import annotations

import re
from typing import Any

from generator.convert.context import Context
from generator.convert.naming import SUMMARY_MAX, sanitize_summary, sentence_from_id
from generator.convert.params import body_parameters, convert_parameter
from generator.convert.responses import convert_responses
from generator.convert.schema import SchemaConverter
from generator.convert.security import SecurityConverter
from generator.ir.model import Operation
from generator.util.media import media_base
from generator.util.pointer import join_pointer

__all__ = ["OperationIds", "Where", "certifiable_summary", "convert_paths"]

_TEMPLATE = re.compile(r"{([^{}]+)}")
_SWAGGER_METHODS = ("get", "put", "post", "delete", "options", "head", "patch")


class OperationIds:
    """Output operationIds: unique always, alphanumeric PascalCase in Power Platform mode."""

    def __init__(self, ctx: Context, operations: tuple[Operation, ...]):
        self.by_original: dict[str, str] = {}
        self._ids: dict[int, str] = {}
        taken: set[str] = set()
        rename = ctx.profile.operation_id
        for op in operations:
            if op.operation_id_generated:
                ctx.losses.info(
                    "operation_id_generated",
                    op.pointer,
                    f"operation has no operationId; named {op.operation_id!r}",
                )
            wanted = rename(ctx, op.operation_id) if rename is not None else op.operation_id
            new, n = wanted, 2
            while new in taken:
                new, n = f"{wanted}{n}", n + 1
            taken.add(new)
            self._ids[id(op)] = new
            self.by_original.setdefault(op.operation_id, new)
            if new != op.operation_id:
                code = "operation_id_renamed" if new == wanted else "operation_id_duplicate"
                why = (
                    "Power Platform wants letters and digits only"
                    if new == wanted
                    else "operationIds must be unique"
                )
                ctx.losses.warning(
                    code, op.pointer, f"operationId {op.operation_id!r} written as {new!r} ({why})"
                )

    def of(self, op: Operation) -> str:
        return self._ids[id(op)]


Where = dict[str, tuple[str, str, str]]  # original operationId -> (output path, method, IR pointer)


def convert_paths(
    ctx: Context, conv: SchemaConverter, sec: SecurityConverter, ids: OperationIds
) -> tuple[dict[str, Any], Where]:
    """`paths`, and where each operation went."""
    paths: dict[str, Any] = {}
    where: Where = {}
    options = ctx.options
    for op in ctx.api.operations:
        if op.operation_id in options.exclude_operations:
            continue
        if op.method not in _SWAGGER_METHODS:
            ctx.losses.warning(
                "operation_dropped",
                op.pointer,
                f"{op.method.upper()} {op.path} dropped (Swagger 2.0 has no {op.method.upper()} operations)",
            )
            continue
        path = op.path if op.path.startswith("/") else "/" + op.path
        paths.setdefault(path, {})[op.method] = _operation(ctx, conv, sec, ids, op)
        where.setdefault(op.operation_id, (path, op.method, op.pointer))
    return paths, where


def _operation(
    ctx: Context, conv: SchemaConverter, sec: SecurityConverter, ids: OperationIds, op: Operation
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if op.tags:
        out["tags"] = list(dict.fromkeys(op.tags))
    summary = _summary(ctx, op)
    if summary:
        out["summary"] = summary
    if op.description:
        out["description"] = op.description
    out["operationId"] = ids.of(op)
    parameters = []
    for param in op.parameters:
        converted = convert_parameter(ctx, conv, param, op)
        if converted is not None:
            parameters.append(converted)
    parameters = _path_parameters(ctx, op, parameters)
    consumes: list[str] = []
    if op.request_body is not None:
        body, content_type = body_parameters(ctx, conv, op.request_body, op)
        if body and not ctx.profile.body_on_get and op.method == "get":
            ctx.losses.warning(
                "body_on_get_dropped",
                op.request_body.pointer,
                "request body of a GET dropped (Power Platform: BodyOrFormDataParameterInFetchOperationNotAllowed)",
            )
        elif body and content_type:
            parameters.extend(body)
            consumes.append(_consumes(ctx, content_type, op))
    if consumes:
        out["consumes"] = consumes
    responses, produces = convert_responses(ctx, conv, op)
    if produces:
        out["produces"] = produces
    if parameters:
        out["parameters"] = parameters
    out["responses"] = responses
    if op.deprecated:
        out["deprecated"] = True
    if op.security is not None:
        requirements = sec.requirements(op.security, join_pointer(op.pointer, "security"))
        if requirements is not None:
            out["security"] = requirements
    visibility = ctx.options.operation_visibility.get(op.operation_id)
    if visibility:
        out["x-ms-visibility"] = visibility
    described = ctx.profile.callbacks_described
    is_trigger = bool(op.callbacks) and described is not None and described(ctx, op)  # a question with no side effects
    for callback in op.callbacks:
        if is_trigger:
            ctx.losses.info(
                "callback_dropped",
                callback.pointer,
                f"callback {callback.name!r} dropped (the trigger's x-ms-notification-content describes it)",
            )
        else:
            ctx.losses.warning(
                "callback_dropped",
                callback.pointer,
                f"callback {callback.name!r} dropped (Swagger 2.0 has no callbacks)",
            )
    for key, value in op.extensions.items() if op.extensions else ():
        note = "; its variants are not separate operations" if key == "x-connectorgen-variants" else ""
        if not ctx.losses.drops_own_extension(key, op.pointer, note) and key not in out:
            out[key] = value
    return out


def _path_parameters(ctx: Context, op: Operation, parameters: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Make path parameters match the path template, as Swagger 2.0 requires."""
    key = ("template", op.path)  # a path's several operations share its template
    template: list[str] | None = ctx.memo.get(key)
    if template is None:
        ctx.memo[key] = template = list(dict.fromkeys(_TEMPLATE.findall(op.path)))
    out = []
    for p in parameters:
        if p["in"] == "path" and p["name"] not in template:
            ctx.losses.warning(
                "path_parameter_dropped",
                op.pointer,
                f"path parameter {p['name']!r} is not in the path {op.path}; dropped",
            )
        else:
            out.append(p)
    declared = {p["name"] for p in out if p["in"] == "path"}
    for name in template:
        if name not in declared:
            ctx.losses.warning(
                "path_parameter_added",
                op.pointer,
                f"path parameter {name!r} of {op.path} was not declared; added as a string",
            )
            added: dict[str, Any] = {"name": name, "in": "path", "required": True, "type": "string"}
            if ctx.profile.added_path_parameter is not None:
                ctx.profile.added_path_parameter(ctx, added, name)
            out.append(added)
    return out


def _summary(ctx: Context, op: Operation) -> str:
    return op.summary if ctx.profile.summary is None else ctx.profile.summary(ctx, op)


def certifiable_summary(ctx: Context, op: Operation) -> str:
    """A summary of letters, digits, spaces and parentheses, at most 80 characters (a Profile hook)."""
    if op.summary:
        fixed = sanitize_summary(op.summary)
    elif op.description and len(op.description) <= SUMMARY_MAX and "\n" not in op.description.strip():
        fixed = sanitize_summary(op.description)
    else:
        fixed = sentence_from_id(op.operation_id)
    if fixed != op.summary:
        why = (
            "summary missing"
            if not op.summary
            else "letters, digits, spaces and parentheses only, at most 80 characters"
        )
        ctx.losses.info(
            "summary_changed",
            join_pointer(op.pointer, "summary"),
            f"summary written as {fixed!r} (Power Platform: {why})",
        )
    return fixed


def _consumes(ctx: Context, content_type: str, op: Operation) -> str:
    accepted = ctx.profile.media_types
    if not accepted or media_base(content_type) in accepted:
        return content_type
    pointer = op.request_body.pointer if op.request_body else op.pointer
    if media_base(content_type).endswith("+json"):
        ctx.losses.warning(
            "media_type_mapped",
            pointer,
            f"request content type {content_type} written as application/json (Power Platform: MimeTypeNotValid)",
        )
        return "application/json"
    ctx.losses.warning(
        "consumes_media_type_unsupported",
        pointer,
        f"request content type {content_type} is not accepted by Power Platform (MimeTypeNotValid)",
    )
    return content_type
