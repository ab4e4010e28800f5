"""JSON Schema 2020-12 (the IR's OpenAPI 3.1 dialect) → Swagger 2.0 Schema Object.

Meaning-keeping rewrites are silent: `$ref` paths, `type: [T, "null"]` / null alternatives / `null`
in `enum` → `x-nullable: true`, `const` → one-value `enum`, `exclusiveMinimum: n` → `minimum` plus
flag, `examples: [v]` → `example: v`, `contentEncoding: base64` → `format: byte`. Everything else a
Swagger 2.0 reader would no longer see is reported: dropped validation keywords as warnings, dropped
annotations as info. `oneOf`/`anyOf` are handled in `combine.py`.
"""

from __future__ import annotations

from typing import Any

from generator.convert.combine import combine, is_null_schema, merge_alternative
from generator.convert.context import Context
from generator.ir.model import JsonSchema, schema_ref_name
from generator.util.media import media_base
from generator.util.pointer import escape_pointer, join_pointer, unescape_pointer

__all__ = ["ALLOWED_FORMATS", "SchemaConverter", "definition_ref"]

# Swagger 2.0's formats plus Power Platform's (Microsoft's apiDefinition schema rejects any other).
ALLOWED_FORMATS = frozenset(
    {
        "int32",
        "int64",
        "float",
        "double",
        "byte",
        "binary",
        "date",
        "date-time",
        "password",
        "date-no-tz",
        "email",
        "html",
        "uri",
        "uuid",
    }
)
SWAGGER_TYPES = frozenset({"string", "number", "integer", "boolean", "array", "object"})
_KEEP = frozenset(
    {
        "title", "description", "multipleOf", "maximum", "minimum", "maxLength", "minLength", "pattern",
        "maxItems", "minItems", "maxProperties", "minProperties", "readOnly", "xml", "externalDocs", "example",
    }
)  # fmt: skip
# Annotations: dropping them changes no validation.
_ANNOTATIONS = frozenset(
    {
        "$comment", "$schema", "$id", "$anchor", "$dynamicAnchor", "$vocabulary", "writeOnly", "deprecated",
        "$defs", "definitions", "contentMediaType", "contentEncoding", "contentSchema",
    }
)  # fmt: skip
# A typed schema made only of these keywords is written as it is (see `convert`).
_LEAF_KEYS = _KEEP | {"type", "format", "enum", "items"}
_MAX_COMBINE = 16
# Keys `_strip_null` may rewrite (besides a list or "null" `type` and `null` in `enum`).
_NULL_KEYS = frozenset({"anyOf", "oneOf", "const"})
_REF_ANNOTATIONS = frozenset(
    {
        "title",
        "description",
        "example",
        "examples",
        "default",
        "readOnly",
        "writeOnly",
        "deprecated",
        "$comment",
    }
)


def definition_ref(name: str) -> str:
    return "#/definitions/" + escape_pointer(name)


class SchemaConverter:
    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.api = ctx.api
        self.profile = ctx.profile
        self.losses = ctx.losses
        # Input pointers of property schemas that come from elsewhere (merged oneOf/anyOf
        # alternatives), by identity: the schemas are the IR's, alive as long as the converter.
        self._origins: dict[int, str] = {}
        # `$ref` → its `#/definitions/...` form, for the refs that name a component schema.
        self._refs: dict[Any, str] = {}

    def definitions(self) -> dict[str, Any]:
        out = {
            name: self.convert(schema, join_pointer("/components/schemas", name))
            for name, schema in self.api.schemas.items()
        }
        for name in out:
            # A definition that is only a $ref chain back to itself (left by oneOf handling) validates nothing.
            seen: set[str] = {name}
            current: Any = out[name]
            while isinstance(current, dict) and len(current) == 1 and "$ref" in current:
                target = _definition_name(current["$ref"])
                if target in seen:
                    self.losses.warning(
                        "ref_cycle_broken",
                        join_pointer("/components/schemas", name),
                        f"{name} only refers back to itself; emitted as {{}}",
                    )
                    out[name] = {}
                    break
                seen.add(target)
                current = out.get(target)
        return out

    # -- entry point -------------------------------------------------------------------------------
    def convert(self, schema: Any, pointer: str, property_name: str = "") -> dict[str, Any]:
        if type(schema) is dict:
            pass  # the usual case, tested first
        elif isinstance(schema, bool):
            if not schema:
                self.losses.warning(
                    "false_schema_dropped",
                    pointer,
                    "schema `false` (nothing is valid) has no Swagger 2.0 form; emitted as {}",
                )
            return {}
        elif not isinstance(schema, dict):
            return {}
        if len(schema) == 1 and "$ref" in schema:  # the commonest schema of all: a bare $ref
            target = self._refs.get(schema["$ref"]) if type(schema["$ref"]) is str else None
            if target is not None:
                return {"$ref": target}
        kind = schema.get("type")
        enum = schema.get("enum")
        if (
            type(kind) is str
            and kind in SWAGGER_TYPES
            and _LEAF_KEYS.issuperset(schema)
            and ("format" not in schema or (type(schema["format"]) is str and schema["format"] in ALLOWED_FORMATS))
            and ("enum" not in schema or (type(enum) is list and enum and None not in enum))
            and (type(schema.get("items")) is dict if kind == "array" or "items" in schema else True)
        ):
            # The next commonest: a typed schema whose every keyword is kept as it is (what
            # `_keywords` would write, in the same order), but for its `items`, converted.
            out = schema.copy()
            if "items" in out:
                out["items"] = self.convert(schema["items"], pointer + "/items")
            if property_name and self.profile.property_schema is not None:
                self.profile.property_schema(self.ctx, out, schema, property_name)
            return out
        if (
            _NULL_KEYS.isdisjoint(schema)
            and not isinstance(kind, list)
            and kind != "null"
            and not (isinstance(enum, list) and None in enum)
        ):
            s, nullable = schema, False  # nothing to strip: read as it is (nothing here writes to it)
        else:
            s, nullable = self._strip_null(dict(schema), pointer)
        if "oneOf" in s or "anyOf" in s:
            for _ in range(_MAX_COMBINE):  # a chosen alternative may itself be a oneOf/anyOf
                key = "oneOf" if "oneOf" in s else "anyOf" if "anyOf" in s else None
                if key is None:
                    break
                s, more = self._strip_null(self.combine(s, key, pointer), pointer)
                nullable = nullable or more
        if "$ref" in s:
            return self._ref(s, pointer, nullable)
        out = self._keywords(s, pointer)
        if "type" not in out and isinstance(out.get("enum"), list):
            kind = _json_type(out["enum"])
            if kind:
                out = {"type": kind, **out}  # the enum already says it; Swagger 2.0 readers need the type
        if out.get("type") == "array" and "items" not in out:
            out["items"] = {}  # Swagger 2.0 arrays need `items`; {} keeps "any item"
        if property_name and self.profile.property_schema is not None:
            self.profile.property_schema(self.ctx, out, s, property_name)
        if nullable or s.get("nullable") is True:
            out["x-nullable"] = True
        return out

    # -- oneOf / anyOf ------------------------------------------------------------------------------
    def combine(self, s: JsonSchema, key: str, pointer: str) -> JsonSchema:
        """`s` with its `key` (oneOf/anyOf) replaced by what Swagger 2.0 can say (`combine.py`);
        the properties of a merged object keep the pointers they had in the input."""
        merged, origins = combine(self.api.schemas, self.losses, s, key, pointer)
        for schema, origin in origins:
            self._origins[id(schema)] = origin
        return merged

    # -- nullability -------------------------------------------------------------------------------
    def _strip_null(self, s: JsonSchema, pointer: str) -> tuple[JsonSchema, bool]:
        nullable = False
        for key in ("anyOf", "oneOf"):
            alts = s.get(key)
            if isinstance(alts, list) and any(is_null_schema(a) for a in alts):
                nullable = True
                rest = [a for a in alts if not is_null_schema(a)]
                del s[key]
                if len(rest) == 1:
                    s = merge_alternative(s, rest[0])
                elif rest:
                    s[key] = rest
        kind = s.get("type")
        if isinstance(kind, list):
            types = [str(t) for t in kind if t != "null"]
            nullable = nullable or len(types) < len(kind)
            if len(types) == 1:
                s["type"] = types[0]
            elif set(types) == {"integer", "number"}:
                s["type"] = "number"
            else:
                del s["type"]
                if types:
                    self.losses.warning(
                        "type_array_dropped",
                        pointer,
                        f"type {kind} has no Swagger 2.0 form; the type is left open (any value)",
                    )
        elif kind == "null":
            nullable = True
            del s["type"]
        enum = s.get("enum")
        if isinstance(enum, list) and None in enum:
            nullable = True
            s["enum"] = [v for v in enum if v is not None]
        if "const" in s:
            value = s.pop("const")
            if value is None:
                nullable = True
            elif "enum" not in s:
                s["enum"] = [value]
        return s, nullable

    # -- $ref ---------------------------------------------------------------------------------------
    def _ref(self, s: JsonSchema, pointer: str, nullable: bool) -> dict[str, Any]:
        name = schema_ref_name(str(s["$ref"]))
        if name is None or name not in self.api.schemas:
            self.losses.warning(
                "ref_unsupported",
                pointer,
                f"$ref {s['$ref']!r} does not name a component schema; emitted as {{}}",
            )
            return {}
        ref = {"$ref": definition_ref(name)}
        self._refs[s["$ref"]] = ref["$ref"]
        siblings = {k: v for k, v in s.items() if k != "$ref"}
        if not siblings and not nullable:
            return ref
        annotations = {k: v for k, v in siblings.items() if k in _REF_ANNOTATIONS or k.startswith("x-")}
        constraints = {k: v for k, v in siblings.items() if k not in annotations}
        keys = ", ".join(sorted(siblings) + (["nullable"] if nullable else []))
        if not self.profile.annotations_beside_ref and not constraints:
            # Power Platform rejects anything next to $ref (AdditionalPropertyNotAllowedAdjacentToRef).
            self.losses.info(
                "ref_siblings_dropped",
                pointer,
                f"dropped {keys} next to $ref (not allowed beside $ref in Power Platform)",
            )
            return ref
        out: dict[str, Any] = {"allOf": [ref]}
        if constraints:
            out["allOf"].append(self.convert(constraints, pointer))
        out.update(self._keywords(annotations, pointer))
        if nullable:
            out["x-nullable"] = True
        self.losses.info(
            "ref_siblings_wrapped",
            pointer,
            f"{keys} next to $ref moved into an allOf wrapper (Swagger 2.0 ignores $ref siblings)",
        )
        return out

    # -- keywords -----------------------------------------------------------------------------------
    def _keywords(self, s: JsonSchema, pointer: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in s.items():
            if key in _KEEP:
                out[key] = value
            elif key == "type":
                if isinstance(value, str) and value in SWAGGER_TYPES:
                    out["type"] = value
                else:
                    self.losses.warning(
                        "type_unsupported", pointer, f"type {value!r} has no Swagger 2.0 form; dropped"
                    )
            elif key == "format":
                self._format(out, value, pointer)
            elif key == "enum":
                if isinstance(value, list) and value:
                    out["enum"] = value
            elif key in ("exclusiveMinimum", "exclusiveMaximum"):
                self._exclusive(out, s, key, value)
            elif key == "examples":
                if isinstance(value, list) and value and "example" not in s:
                    out["example"] = value[0]
                    if len(value) > 1:
                        self.losses.info(
                            "examples_reduced",
                            pointer,
                            f"kept the first of {len(value)} schema examples as `example`",
                        )
            elif key == "default":
                if value is None and not self.profile.default_null:
                    self.losses.info(
                        "default_null_dropped",
                        pointer,
                        "default null dropped (Power Platform: DefaultValueMustMatchType)",
                    )
                else:
                    out["default"] = value
            elif key == "items":
                if isinstance(value, list):
                    self.losses.warning(
                        "schema_keyword_unsupported",
                        pointer,
                        "tuple-form `items` has no Swagger 2.0 form; items left open",
                    )
                    out["items"] = {}
                else:
                    out["items"] = self.convert(value, pointer + "/items")
            elif key == "properties" and isinstance(value, dict):
                origins = self._origins
                out["properties"] = {
                    str(name): self.convert(
                        sub,
                        origins[id(sub)] if origins and id(sub) in origins else _child(pointer + "/properties", name),
                        str(name),
                    )
                    for name, sub in value.items()
                }
            elif key == "additionalProperties":
                out[key] = (
                    value if isinstance(value, bool) else self.convert(value, pointer + "/additionalProperties")
                )
            elif key == "required":
                names = list(dict.fromkeys(str(n) for n in value)) if isinstance(value, list) else []
                if names:
                    out["required"] = names
            elif key == "allOf" and isinstance(value, list):
                if value:
                    out["allOf"] = [
                        self.convert(sub, join_pointer(pointer, "allOf", i)) for i, sub in enumerate(value)
                    ]
            elif key == "discriminator":
                self._discriminator(out, s, value, pointer)
            elif key == "uniqueItems":
                if not self.profile.unique_items and value:
                    self.losses.info(
                        "unique_items_dropped",
                        pointer,
                        "uniqueItems dropped (Power Platform: SwaggerKeywordNotSupported)",
                    )
                elif self.profile.unique_items:
                    out[key] = value
            elif key in ("nullable", "x-nullable"):
                continue  # handled by the caller
            elif key.startswith("x-"):
                if not self.losses.drops_own_extension(key, pointer):
                    out[key] = value
            elif key == "contentEncoding" and value == "base64" and "format" not in s:
                out["format"] = "byte"
            elif (
                key == "contentMediaType"
                and s.get("type") == "string"
                and "format" not in s
                and _is_binary_media(str(value))
            ):
                out["format"] = "binary"
            elif key in _ANNOTATIONS:
                self.losses.info(
                    "schema_keyword_dropped",
                    join_pointer(pointer, key),
                    f"{key} dropped (no Swagger 2.0 form)",
                )
            else:
                self.losses.warning(
                    "schema_keyword_unsupported",
                    join_pointer(pointer, key),
                    f"{key} has no Swagger 2.0 form; dropped (validation is looser)",
                )
        return out

    def _format(self, out: dict[str, Any], value: Any, pointer: str) -> None:
        if isinstance(value, str) and value in ALLOWED_FORMATS:
            out["format"] = value
        else:
            self.losses.info(
                "format_dropped",
                join_pointer(pointer, "format"),
                f"format {value!r} dropped (not a Swagger 2.0 or Power Platform format)",
            )

    @staticmethod
    def _exclusive(out: dict[str, Any], s: JsonSchema, key: str, value: Any) -> None:
        bound = "minimum" if key == "exclusiveMinimum" else "maximum"
        if isinstance(value, bool):
            if value and bound in s:
                out[key] = True
            return
        if not isinstance(value, int | float):
            return
        other = s.get(bound)
        stricter = isinstance(other, int | float) and (other > value if bound == "minimum" else other < value)
        if not stricter:  # the inclusive bound, if any, is looser: the exclusive one wins
            out[bound] = value
            out[key] = True

    def _discriminator(self, out: dict[str, Any], s: JsonSchema, value: Any, pointer: str) -> None:
        name = value.get("propertyName") if isinstance(value, dict) else value
        properties: dict[str, Any] = s["properties"] if isinstance(s.get("properties"), dict) else {}
        required: list[Any] = s["required"] if isinstance(s.get("required"), list) else []
        if isinstance(name, str) and name in properties and name in required:
            out["discriminator"] = name
            if isinstance(value, dict) and value.get("mapping"):
                self.losses.info(
                    "discriminator_mapping_dropped",
                    join_pointer(pointer, "discriminator"),
                    "discriminator mapping dropped (Swagger 2.0 maps by definition name)",
                )
        else:
            self.losses.info(
                "discriminator_dropped",
                join_pointer(pointer, "discriminator"),
                "discriminator dropped (Swagger 2.0 needs it to name a required property of the same schema)",
            )


def _child(base: str, token: Any) -> str:
    """`join_pointer(base, token)`, without the escaping work for the usual token that needs none."""
    return base + "/" + (token if type(token) is str and "~" not in token and "/" not in token else escape_pointer(token))


def _json_type(values: list[Any]) -> str:
    kinds = {
        "boolean" if isinstance(v, bool) else "integer" if isinstance(v, int) else "number" if isinstance(v, float)
        else "string" if isinstance(v, str) else "other"
        for v in values
    }  # fmt: skip
    if kinds == {"integer", "number"}:
        return "number"
    return next(iter(kinds)) if len(kinds) == 1 and "other" not in kinds else ""


def _definition_name(ref: str) -> str:
    return unescape_pointer(ref.rsplit("/", 1)[-1])


def _is_binary_media(media: str) -> bool:
    media = media_base(media)
    return not (
        media.startswith("text/")
        or media.endswith("json")
        or media.endswith("xml")
        or media == "application/x-www-form-urlencoded"
    )
