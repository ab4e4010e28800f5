"""Response schemas for Postman test scripts: every `$ref` inlined, in the dialect Postman can check.

`pm.response.to.have.jsonSchema` runs Ajv 6 (JSON Schema draft-07) inside the Postman sandbox. It
throws on formats it does not know (`int64`, `binary`…), and 2020-12 keywords (`prefixItems`,
`dependentRequired`) mean nothing to it. So the IR's 2020-12 schemas are rewritten: validation
keywords only (descriptions and examples would just bloat the scripts), known formats only,
2020-12 array/dependency keywords mapped to their draft-07 forms, `$ref`s inlined with recursion cut
off (a recursive or too deep reference becomes `{}`, which accepts anything).
"""

from __future__ import annotations

from typing import Any

from generator.ir.model import Api, JsonSchema, schema_ref_name

__all__ = ["MAX_REF_DEPTH", "SchemaInliner", "has_pointer", "inline_schema"]

MAX_REF_DEPTH = 8

# Formats Ajv 6 knows; any other format makes it throw instead of validating.
_AJV_FORMATS = frozenset(
    {
        "date", "time", "date-time", "uri", "uri-reference", "uri-template", "url", "email", "hostname",
        "ipv4", "ipv6", "regex", "uuid", "json-pointer", "relative-json-pointer",
    }
)
_PLAIN = frozenset(
    {
        "type", "enum", "const", "required", "minItems", "maxItems", "uniqueItems", "minLength", "maxLength",
        "pattern", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
        "minProperties", "maxProperties",
    }
)
_SUBSCHEMA = frozenset({"additionalProperties", "not", "propertyNames", "contains", "if", "then", "else"})
_SUBSCHEMA_LISTS = frozenset({"allOf", "anyOf", "oneOf"})
_SUBSCHEMA_MAPS = frozenset({"properties", "patternProperties"})


class SchemaInliner:
    """Inlines schemas of one API; fully inlined components are cached across calls."""

    def __init__(self, api: Api, max_depth: int = MAX_REF_DEPTH):
        self.api = api
        self.max_depth = max_depth
        self.cache: dict[str, Any] = {}  # ref name -> inlined schema, for refs inlined without a cut

    def inline(self, schema: JsonSchema | None) -> Any:
        """The self-contained draft-07 version of `schema` (None when there is nothing to check)."""
        if schema is None:
            return None
        return self.schema(schema, ())[0]

    def schema(self, node: Any, stack: tuple[str, ...]) -> tuple[Any, bool]:
        """(draft-07 schema, whether a recursion cut happened inside it)."""
        if isinstance(node, bool):
            return node, False
        if not isinstance(node, dict):
            return {}, False
        ref = node.get("$ref")
        if isinstance(ref, str):
            name = schema_ref_name(ref)
            if name is None or name not in self.api.schemas:
                return {}, False
            if name in self.cache:
                return self.cache[name], False
            if name in stack or len(stack) >= self.max_depth:
                return {}, True
            inlined, cut = self.schema(self.api.schemas[name], (*stack, name))
            if not cut:
                self.cache[name] = inlined
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            if siblings:  # 2020-12 allows keywords next to $ref: both apply
                extra, extra_cut = self.schema(siblings, stack)
                if extra:
                    return {"allOf": [inlined, extra]}, cut or extra_cut
            return inlined, cut
        return self.keywords(node, stack)

    def keywords(self, node: dict[str, Any], stack: tuple[str, ...]) -> tuple[dict[str, Any], bool]:
        out: dict[str, Any] = {}
        cut = False
        for key, value in node.items():
            if key in _PLAIN:
                out[key] = value
            elif key == "format":
                if value in _AJV_FORMATS:
                    out[key] = value
            elif key in _SUBSCHEMA:
                out[key], c = self.schema(value, stack)
                cut |= c
            elif key in _SUBSCHEMA_LISTS and isinstance(value, list):
                items = [self.schema(v, stack) for v in value]
                out[key] = [s for s, _ in items]
                cut |= any(c for _, c in items)
            elif key in _SUBSCHEMA_MAPS and isinstance(value, dict):
                mapped = {k: self.schema(v, stack) for k, v in value.items()}
                out[key] = {k: s for k, (s, _) in mapped.items()}
                cut |= any(c for _, c in mapped.values())
            elif key == "items":
                out["additionalItems" if "prefixItems" in node else "items"], c = self.schema(value, stack)
                cut |= c
            elif key == "prefixItems" and isinstance(value, list):
                items = [self.schema(v, stack) for v in value]
                out["items"] = [s for s, _ in items]
                cut |= any(c for _, c in items)
            elif key == "dependentRequired" and isinstance(value, dict):
                out.setdefault("dependencies", {}).update(value)
            elif key == "dependentSchemas" and isinstance(value, dict):
                for k, v in value.items():
                    out.setdefault("dependencies", {})[k], c = self.schema(v, stack)
                    cut |= c
        if isinstance(out.get("required"), list) and isinstance(node.get("properties"), dict):
            # A writeOnly property is never in a response, so it cannot be required there.
            write_only = {k for k, v in node["properties"].items() if _is_write_only(self.api, v)}
            if write_only:
                out["required"] = [r for r in out["required"] if r not in write_only]
        return out, cut


def _is_write_only(api: Api, schema: Any) -> bool:
    resolved = api.resolve_schema(schema) if isinstance(schema, dict) else None
    return bool(resolved and resolved.get("writeOnly") is True) or bool(isinstance(schema, dict) and schema.get("writeOnly") is True)


def inline_schema(api: Api, schema: JsonSchema | None, max_depth: int = MAX_REF_DEPTH) -> Any:
    """The self-contained draft-07 version of `schema` (None when there is nothing to check)."""
    return SchemaInliner(api, max_depth).inline(schema)



def has_pointer(api: Api, schema: JsonSchema | None, tokens: list[str], _depth: int = 0) -> bool:
    """Whether a JSON pointer (as tokens) can exist in an instance of `schema` (loosely: properties,
    items and the branches of allOf/anyOf/oneOf are followed)."""
    if not tokens:
        return True
    if _depth > MAX_REF_DEPTH:
        return False
    schema = api.resolve_schema(schema)
    if not isinstance(schema, dict):
        return False
    head, rest = tokens[0], tokens[1:]
    props = schema.get("properties")
    if isinstance(props, dict) and head in props and has_pointer(api, props[head], rest, _depth + 1):
        return True
    if head.isdigit() and isinstance(schema.get("items"), dict) and has_pointer(api, schema["items"], rest, _depth + 1):
        return True
    for key in ("allOf", "anyOf", "oneOf"):
        for branch in schema.get(key) or ():
            if has_pointer(api, branch, tokens, _depth + 1):
                return True
    return False
