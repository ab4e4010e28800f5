"""`oneOf` / `anyOf` → something Swagger 2.0 can say (best effort, always reported).

- Alternatives that are all objects: one object with the union of their properties (the first
  alternative defining a property wins); a property stays required only if every alternative
  requires it; a discriminator property gets the discriminator values as its `enum`.
- Anything else (mixed types, arrays, primitives): the first alternative.
A null alternative is not an alternative at all: it becomes `x-nullable` (see schema.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.convert.context import Losses
from generator.ir.model import JsonSchema, schema_ref_name
from generator.util.pointer import join_pointer, unescape_pointer

__all__ = ["Origins", "combine", "is_null_schema", "merge_alternative"]

ObjectView = tuple[dict[str, tuple[Any, str]], list[str]]  # properties (schema, pointer), required
# Where each property schema of a merged object came from: (schema, pointer in the input).
Origins = list[tuple[Any, str]]


def is_null_schema(schema: Any) -> bool:
    if not isinstance(schema, dict):
        return False
    keys = set(schema) - {"description", "title"}
    if keys == {"type"}:
        return bool(schema["type"] == "null" or schema["type"] == ["null"])
    if keys == {"const"}:
        return schema["const"] is None
    if keys == {"enum"}:
        return bool(schema["enum"] == [None])
    return False


def merge_alternative(outer: JsonSchema, alternative: Any) -> JsonSchema:
    """`outer` (without its oneOf/anyOf) and its only alternative as one schema; outer's keys win."""
    if not isinstance(alternative, dict):
        return outer if alternative is not False else {**outer, "not": {}}
    return {**alternative, **outer}


def _ref_name(schema: Any) -> str | None:
    if isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
        return schema_ref_name(schema["$ref"])
    return None


def combine(
    schemas: Mapping[str, Any], losses: Losses, s: JsonSchema, key: str, pointer: str
) -> tuple[JsonSchema, Origins]:
    """`s` with its `key` (oneOf/anyOf) resolved against the component `schemas`, and where the
    properties of a merged object came from (for the pointers of their losses). Called by
    `SchemaConverter.combine`, which keeps the origins."""
    alternatives = s.get(key)
    rest = {k: v for k, v in s.items() if k not in (key, "discriminator")}
    if not isinstance(alternatives, list) or not alternatives:
        return rest, []
    if len(alternatives) == 1:
        return merge_alternative(rest, alternatives[0]), []
    names = ", ".join(_ref_name(a) or f"#{i}" for i, a in enumerate(alternatives))
    views = [_object_view(schemas, a, join_pointer(pointer, key, i), ()) for i, a in enumerate(alternatives)]
    own = _object_view(schemas, rest, pointer, ()) if ("properties" in rest or "allOf" in rest) else ({}, [])
    if own is not None and all(v is not None for v in views):
        merged, origins = _merge_objects(rest, own, [v for v in views if v is not None], s.get("discriminator"), alternatives)
        prop = _discriminator_name(s.get("discriminator"))
        extra = (
            f"; discriminator {prop!r} kept as an enum of its values"
            if prop and "enum" in merged["properties"].get(prop, {})
            else ""
        )
        losses.warning(
            f"{snake(key)}_merged",
            pointer,
            f"{key} of {len(alternatives)} objects ({names}) merged into one object with the union of their properties; "
            f"only properties every alternative requires stay required{extra}",
        )
        return merged, origins
    # A definition whose first alternative is itself would become a $ref loop: take the next one.
    own_name = (
        pointer[len("/components/schemas/") :]
        if pointer.count("/") == 3 and pointer.startswith("/components/schemas/")
        else None
    )
    index = next(
        (
            i
            for i, a in enumerate(alternatives)
            if own_name is None or _ref_name(a) != unescape_pointer(own_name)
        ),
        0,
    )
    which = (
        "first alternative"
        if index == 0
        else f"alternative #{index} (the first that is not the schema itself)"
    )
    losses.warning(
        f"{snake(key)}_first_alternative",
        pointer,
        f"{key} of {len(alternatives)} alternatives ({names}) has no Swagger 2.0 form; kept the {which} only",
    )
    return merge_alternative(rest, alternatives[index]), []


def _discriminator_name(discriminator: Any) -> str:
    if isinstance(discriminator, dict) and isinstance(discriminator.get("propertyName"), str):
        return str(discriminator["propertyName"])
    return ""


def snake(key: str) -> str:
    return "one_of" if key == "oneOf" else "any_of"


def _merge_objects(
    rest: JsonSchema,
    own: ObjectView,
    views: list[ObjectView],
    discriminator: Any,
    alternatives: list[Any],
) -> tuple[JsonSchema, Origins]:
    properties: dict[str, Any] = {}
    origins: Origins = []
    for view in (own, *views):
        for name, (schema, ptr) in view[0].items():
            if name not in properties:
                properties[name] = schema
                if isinstance(schema, dict):
                    origins.append((schema, ptr))
    required = [n for n in own[1]]
    common = set.intersection(*(set(v[1]) for v in views)) if views else set()
    required += [
        n for n in dict.fromkeys(n for v in views for n in v[1]) if n in common and n not in required
    ]
    if _discriminator_name(discriminator):
        prop = discriminator["propertyName"]
        mapping = discriminator.get("mapping")
        values = (
            list(mapping)
            if isinstance(mapping, dict) and mapping
            else [n for n in map(_ref_name, alternatives) if n]
        )
        target = properties.get(prop)
        if (
            isinstance(target, dict)
            and "enum" not in target
            and "const" not in target
            and "$ref" not in target
            and values
        ):
            properties[prop] = {**target, "enum": values}
    merged: JsonSchema = {
        k: v for k, v in rest.items() if k not in ("properties", "required", "allOf", "type")
    }
    merged["type"] = "object"
    merged["properties"] = properties
    if required:
        merged["required"] = required
    return merged, origins


def _object_view(
    schemas: Mapping[str, Any], schema: Any, pointer: str, seen: tuple[str, ...]
) -> ObjectView | None:
    """The properties and required names of an object schema (following $ref and allOf), or None."""
    if not isinstance(schema, dict) or "oneOf" in schema or "anyOf" in schema:
        return None
    name = _ref_name(schema)
    if name is not None:
        target = schemas.get(name)
        if name in seen or target is None:
            return None
        return _object_view(schemas, target, join_pointer("/components/schemas", name), (*seen, name))
    kind = schema.get("type")
    if kind not in (None, "object") and not (isinstance(kind, list) and "object" in kind):
        return None
    if kind is None and "properties" not in schema and "allOf" not in schema:
        # `anyOf: [{required: [a]}, {required: [b]}]`: constraint-only alternatives of the outer object.
        if "required" in schema and set(schema) <= {
            "required",
            "description",
            "title",
            "minProperties",
            "maxProperties",
        }:
            return {}, [str(n) for n in schema["required"]] if isinstance(schema["required"], list) else []
        return None
    properties: dict[str, tuple[Any, str]] = {}
    required: list[str] = []
    for i, part in enumerate(schema.get("allOf") or []):
        view = _object_view(schemas, part, join_pointer(pointer, "allOf", i), seen)
        if view is None:
            return None
        for prop, value in view[0].items():
            properties.setdefault(prop, value)
        required += [n for n in view[1] if n not in required]
    own = schema.get("properties")
    if isinstance(own, dict):
        for prop, value in own.items():
            properties.setdefault(str(prop), (value, join_pointer(pointer, "properties", prop)))
    if isinstance(schema.get("required"), list):
        required += [str(n) for n in schema["required"] if str(n) not in required]
    return properties, required
