"""Parameters and request bodies → Swagger 2.0 parameters (non-body, `body` or `formData`)."""

from __future__ import annotations

from typing import Any

from generator.convert.context import Context, fresh
from generator.convert.schema import SchemaConverter
from generator.ir.model import JsonSchema, MediaType, Operation, Parameter, RequestBody, schema_ref_name
from generator.util.media import media_base
from generator.util.pointer import join_pointer

__all__ = [
    "body_parameters",
    "convert_parameter",
    "flatten_primitive",
    "inline_refs",
    "is_form",
    "schema_description",
]

# Keys a Swagger 2.0 non-body parameter (and its `items`) may carry besides name/in/description/required.
_PRIMITIVE_KEYS = (
    "type", "format", "items", "collectionFormat", "default", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum",
    "maxLength", "minLength", "pattern", "maxItems", "minItems", "uniqueItems", "enum", "multipleOf",
)  # fmt: skip
_IGNORED_HEADERS = {"accept", "content-type", "authorization"}  # OpenAPI 3 ignores these header parameters
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")



def is_form(media: MediaType) -> bool:
    return media_base(media.content_type) in _FORM_TYPES


def inline_refs(ctx: Context, schema: Any, depth: int = 0) -> Any:
    """`schema` with its top-level (and `items`) component refs replaced by their targets."""
    if not isinstance(schema, dict) or depth > 8:
        return schema
    name = schema_ref_name(schema["$ref"]) if isinstance(schema.get("$ref"), str) else None
    if name is not None and name in ctx.api.schemas:
        siblings = {k: v for k, v in schema.items() if k != "$ref"}
        return inline_refs(ctx, {**ctx.api.schemas[name], **siblings}, depth + 1)
    if isinstance(schema.get("items"), dict):
        return {**schema, "items": inline_refs(ctx, schema["items"], depth + 1)}
    return schema


def flatten_primitive(
    ctx: Context, conv: SchemaConverter, schema: JsonSchema, pointer: str, what: str
) -> dict[str, Any]:
    """A converted schema as the primitive fields of a non-body parameter, header or `items`."""
    plain = type(schema) is dict and "$ref" not in schema and "items" not in schema  # inline_refs returns it as it is
    converted = conv.convert(schema if plain else inline_refs(ctx, schema), pointer)
    kind = converted.get("type")
    if kind is None or kind == "object" or "allOf" in converted or "$ref" in converted:
        if (
            converted.get("type") == "object"
            or "properties" in converted
            or "allOf" in converted
            or "$ref" in converted
        ):
            ctx.losses.warning(
                "structured_value_as_string",
                pointer,
                f"{what} with an object schema has no Swagger 2.0 form; typed as a string (serialised value)",
            )
        return {"type": "string", **{k: converted[k] for k in ("x-nullable",) if k in converted}}
    out: dict[str, Any] = {key: converted[key] for key in _PRIMITIVE_KEYS if key in converted}
    if kind == "array":
        items = schema.get("items") if isinstance(schema.get("items"), dict) else {}
        out["items"] = flatten_primitive(ctx, conv, inline_refs(ctx, items), pointer + "/items", f"{what} item")
    for key, value in converted.items():
        if key.startswith("x-") and not key.startswith("x-ms-"):
            out[key] = value
    return out


def _collection_format(ctx: Context, location: str, style: str, explode: bool | None, pointer: str) -> str:
    style = style or ("form" if location in ("query", "formData") else "simple")
    if style == "spaceDelimited":
        return "ssv"
    if style == "pipeDelimited":
        return "pipes"
    if style == "form" and (explode is None or explode):
        if not ctx.profile.collection_multi:
            ctx.losses.warning(
                "collection_format_multi_unsupported",
                pointer,
                "repeated parameter (form, explode) would be collectionFormat multi, which Power Platform rejects; sent comma-separated (csv)",
            )
            return "csv"
        return "multi"
    return "csv"


def convert_parameter(
    ctx: Context, conv: SchemaConverter, p: Parameter, op: Operation
) -> dict[str, Any] | None:
    if p.pointer.startswith("/components/"):
        # A shared parameter (one IR object wherever it is referenced): converted once, its losses
        # reported once at its own pointer; the profile's touches depend on the operation.
        key = ("parameter", id(p))
        done = ctx.memo.get(key)
        if done is None:
            ctx.memo[key] = done = (p, _parameter(ctx, conv, p))
        out: dict[str, Any] | None = fresh(done[1])
    else:
        out = _parameter(ctx, conv, p)
    if out is not None and ctx.profile.parameter is not None:
        ctx.profile.parameter(ctx, out, p, op)
    return out


def _parameter(ctx: Context, conv: SchemaConverter, p: Parameter) -> dict[str, Any] | None:
    """`p` as a Swagger 2.0 non-body parameter, before the profile's touches."""
    if p.location == "cookie":
        ctx.losses.warning(
            "cookie_parameter_dropped",
            p.pointer,
            f"cookie parameter {p.name!r} dropped (Swagger 2.0 has no cookie parameters)",
        )
        return None
    if p.location == "header" and p.name.lower() in _IGNORED_HEADERS:
        ctx.losses.info(
            "header_parameter_dropped",
            p.pointer,
            f"header parameter {p.name!r} dropped (OpenAPI 3 ignores it; the content type or security says it)",
        )
        return None
    out: dict[str, Any] = {"name": p.name, "in": p.location}
    if p.description:
        out["description"] = p.description
    if p.required or p.location == "path":
        out["required"] = True
    out.update(
        flatten_primitive(
            ctx, conv, p.schema, p.pointer + "/schema", f"{p.location} parameter {p.name!r}"
        )
    )
    if out.get("type") == "array":
        fmt = _collection_format(ctx, p.location, p.style, p.explode, p.pointer)
        if fmt != "csv":
            out["collectionFormat"] = fmt
    elif p.style == "deepObject":
        ctx.losses.warning(
            "parameter_style_dropped", p.pointer, f"style deepObject of {p.name!r} has no Swagger 2.0 form"
        )
    _example(ctx, out, p)
    if p.deprecated:
        ctx.losses.info(
            "parameter_deprecated_dropped",
            p.pointer,
            f"deprecated flag of {p.name!r} dropped (Swagger 2.0 parameters cannot be deprecated)",
        )
    if p.extensions:
        for key, value in p.extensions.items():
            if not ctx.losses.drops_own_extension(key, p.pointer):
                out[key] = value
    return out


def _example(ctx: Context, out: dict[str, Any], p: Parameter) -> None:
    found, value = (
        (True, p.example) if p.has_example else ((True, p.examples[0].value) if p.examples else (False, None))
    )
    if not found and isinstance(p.schema, dict):
        if "example" in p.schema:
            found, value = True, p.schema["example"]
        elif isinstance(p.schema.get("examples"), list) and p.schema["examples"]:
            found, value = True, p.schema["examples"][0]
    if found:
        out["x-example"] = value
    if len(p.examples) > (0 if p.has_example else 1):
        ctx.losses.info(
            "examples_reduced",
            p.pointer,
            f"kept one example of parameter {p.name!r} as x-example; dropped the others",
        )


def body_parameters(
    ctx: Context, conv: SchemaConverter, body: RequestBody, op: Operation
) -> tuple[list[dict[str, Any]], str | None]:
    """The `body` or `formData` parameters of a request body, and the content type they stand for."""
    media = next((m for m in body.contents if m.is_json), None) or next(
        (m for m in body.contents if is_form(m)), None
    )
    media = media or (body.contents[0] if body.contents else None)
    if media is None:
        return [], None
    for other in body.contents:
        if other is not media:
            ctx.losses.info(
                "request_content_type_dropped",
                other.pointer,
                f"request body as {other.content_type} dropped; Swagger 2.0 keeps one form ({media.content_type})",
            )
    if is_form(media):
        params = _form_parameters(ctx, conv, body, media)
        if params is not None:
            return params, media.content_type
    schema_ptr = media.pointer + "/schema"
    if not media.is_json and _is_binary(media):
        schema: dict[str, Any] = {"type": "string", "format": "binary"}
    elif media.schema is None:
        schema = {} if media.is_json else {"type": "string"}
    else:
        schema = conv.convert(media.schema, schema_ptr)
    param: dict[str, Any] = {"name": "body", "in": "body"}
    borrow = ctx.profile.body_description
    description = body.description or (borrow(ctx, media.schema) if borrow is not None else "")
    if description:
        param["description"] = description
    if body.required:
        param["required"] = True
    param["schema"] = schema
    if media.examples:
        param["x-example"] = media.examples[0].value
        if len(media.examples) > 1:
            ctx.losses.info(
                "examples_reduced",
                media.pointer,
                f"kept the first of {len(media.examples)} request examples as x-example",
            )
    return [param], media.content_type


def schema_description(ctx: Context, schema: JsonSchema | None) -> str:
    """Power Platform shows the body parameter's description: borrow the schema's when the body has none."""
    resolved = inline_refs(ctx, schema) if schema else None
    return str(resolved.get("description") or "") if isinstance(resolved, dict) else ""


def _is_binary(media: MediaType) -> bool:
    base = media_base(media.content_type)
    return not (base.startswith("text/") or base.endswith("xml") or base in _FORM_TYPES)


def _form_parameters(
    ctx: Context, conv: SchemaConverter, body: RequestBody, media: MediaType
) -> list[dict[str, Any]] | None:
    schema = inline_refs(ctx, media.schema or {})
    properties = schema.get("properties") if isinstance(schema, dict) else None
    if not isinstance(properties, dict):
        ctx.losses.warning(
            "form_body_not_object",
            media.pointer,
            "form body without an object schema sent as one body parameter",
        )
        return None
    required = set(schema.get("required") or []) if isinstance(schema.get("required"), list) else set()
    multipart = media_base(media.content_type) == "multipart/form-data"
    out: list[dict[str, Any]] = []
    ref = media.schema.get("$ref") if isinstance(media.schema, dict) else None
    ref_name = schema_ref_name(ref) if isinstance(ref, str) else None
    base_ptr = (
        join_pointer("/components/schemas", ref_name) if ref_name else join_pointer(media.pointer, "schema")
    )
    for name, prop in properties.items():
        ptr = join_pointer(base_ptr, "properties", name)
        prop = inline_refs(ctx, prop)
        param: dict[str, Any] = {"name": str(name), "in": "formData"}
        description = prop.get("description") if isinstance(prop, dict) else None
        if description:
            param["description"] = str(description)
        if name in required:
            param["required"] = True
        encoding: dict[str, Any] = media.encoding[name] if isinstance(media.encoding.get(name), dict) else {}
        if _is_file(prop, encoding):
            param["type"] = "file"
            if not multipart:
                ctx.losses.warning(
                    "file_in_urlencoded_form",
                    ptr,
                    f"file field {name!r} in an x-www-form-urlencoded body (Power Platform: StringBinaryNotSupportedForFormUrlEncoded)",
                )
        elif isinstance(prop, dict) and prop.get("type") == "array" and _is_file(prop.get("items"), encoding):
            param["type"] = "file"
            ctx.losses.warning(
                "file_array_as_single_file",
                ptr,
                f"array of files {name!r} sent as a single file (Swagger 2.0 has no file arrays)",
            )
        else:
            param.update(
                flatten_primitive(
                    ctx, conv, prop if isinstance(prop, dict) else {}, ptr, f"form field {name!r}"
                )
            )
            if param.get("type") == "array":
                fmt = _collection_format(
                    ctx, "formData", str(encoding.get("style") or ""), encoding.get("explode"), ptr
                )
                if fmt != "csv":
                    param["collectionFormat"] = fmt
        if ctx.profile.form_field is not None:
            ctx.profile.form_field(ctx, param, str(name))
        out.append(param)
    return out


def _is_file(schema: Any, encoding: dict[str, Any]) -> bool:
    if not isinstance(schema, dict):
        return False
    if schema.get("format") == "binary" or (
        schema.get("type") == "string" and "contentMediaType" in schema and "contentEncoding" not in schema
    ):
        return True
    content_type = str(encoding.get("contentType") or "")
    return (
        schema.get("type") in (None, "string")
        and bool(content_type)
        and not content_type.startswith("text/")
        and "json" not in content_type
    )
