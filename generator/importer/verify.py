"""Whether the imported folder builds back into the published connector: the connector build's own
loss report on the imported spec, and every loss the overlay does not undo refused, located in the
published apiDefinition."""

from __future__ import annotations

import re
from typing import Any

from generator.importer.notes import Notes
from generator.problems import Problem
from generator.util.pointer import escape_pointer, split_pointer

__all__ = ["BREAKING_LOSSES", "check_representable", "source_pointer"]

# Converter losses that change a published connector (deleted or changed operation, parameter, type,
# format, schema or media type) and that the overlay does not write back.
BREAKING_LOSSES = frozenset(
    {
        "collection_format_multi_unsupported", "cookie_parameter_dropped", "discriminator_dropped",
        "false_schema_dropped", "file_array_as_single_file", "form_body_not_object", "format_dropped",
        "operation_dropped", "parameter_style_dropped", "path_parameter_added", "path_parameter_dropped", "ref_cycle_broken",
        "ref_unsupported", "response_dropped", "response_status_range_mapped", "schema_keyword_unsupported",
        "structured_value_as_string", "type_array_dropped", "type_unsupported", "operation_id_duplicate",
        "default_dropped", "enum_value_dropped", "security_definition_dropped",
    }
)  # fmt: skip
# Formats the overlay restores: of a non-body parameter, of an answer's schema itself.
_RESTORED_FORMAT = re.compile(r"^/paths/[^/]+/[a-z]+/(parameters/\d+/schema|responses/[^/]+/content/[^/]+/schema|responses/[^/]+/headers/[^/]+/schema)(/format)?$")
# Repair-pass drops of a published value (repair.py): the output pointer is in the message, or the
# definition's own when the loss is of a definition.
_AS_PUBLISHED = frozenset({"default_dropped", "enum_value_dropped", "example_dropped"})
_OUTPUT_AT = re.compile(r"\(Swagger 2\.0 output at (/[^ )]*)\)")
_SECTIONS = {"schemas": "definitions", "parameters": "parameters", "responses": "responses", "securitySchemes": "securityDefinitions"}



def _scheme(pointer: str) -> str:
    tokens = split_pointer(pointer)
    return tokens[2] if len(tokens) > 2 and tokens[:2] == ["components", "securitySchemes"] else ""


def _output_pointer(loss: Problem) -> str:
    key = split_pointer(loss.pointer)[-1:]
    found = _OUTPUT_AT.search(loss.message)
    if found and key:
        return found.group(1) + "/" + escape_pointer(key[0])
    if loss.pointer.startswith("/components/schemas/"):
        return "/definitions/" + loss.pointer[len("/components/schemas/") :]
    return ""


def _deref(doc: dict[str, Any], node: Any) -> Any:
    for _ in range(20):
        ref = node.get("$ref") if isinstance(node, dict) else None
        if not (isinstance(ref, str) and ref.startswith("#/")):
            break
        node = _walk(doc, doc, split_pointer(ref))[1]
    return node


def _walk(doc: dict[str, Any], node: Any, tokens: list[str]) -> tuple[bool, Any]:
    """Follow `tokens` from `node` in the published apiDefinition, through its local $refs."""
    for token in tokens:
        node = _deref(doc, node)
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return False, None
    return True, node


def _published(doc: dict[str, Any], built: dict[str, Any], pointer: str, names: dict[str, dict[str, str]]) -> tuple[bool, Any]:
    """The published value at `pointer` of the built apiDefinition: the same definition (by its
    published name), or the same parameter (by location and name) or answer of the same operation."""
    tokens = split_pointer(pointer)
    if len(tokens) > 2 and tokens[0] == "definitions":
        back = {new: old for old, new in names.get("definitions", {}).items()}
        return _walk(doc, doc, ["definitions", back.get(tokens[1], tokens[1]), *tokens[2:]])
    if len(tokens) < 6 or tokens[0] != "paths":
        return False, None
    item = (doc.get("paths") or {}).get(tokens[1])
    op = item.get(tokens[2]) if isinstance(item, dict) else None
    if not isinstance(item, dict) or not isinstance(op, dict):
        return False, None
    if tokens[3] == "responses":
        return _walk(doc, op, tokens[3:])
    found, held = _walk(built, built, tokens[:5])
    if tokens[3] != "parameters" or not found or not isinstance(held, dict):
        return False, None
    for candidate in [*(op.get("parameters") or []), *(item.get("parameters") or [])]:
        param = _deref(doc, candidate)
        if isinstance(param, dict) and (param.get("in"), param.get("name")) == (held.get("in"), held.get("name")):
            return _walk(doc, param, tokens[5:])
    return False, None


def source_pointer(pointer: str, doc: dict[str, Any], names: dict[str, dict[str, str]]) -> str:
    """The published apiDefinition's pointer nearest to `pointer` of the imported OpenAPI 3.1 spec."""
    tokens = split_pointer(pointer)
    if len(tokens) >= 3 and tokens[0] == "components" and tokens[1] in _SECTIONS:
        section = _SECTIONS[tokens[1]]
        back = {new: old for old, new in names.get(section, {}).items()}
        tokens = [section, back.get(tokens[2], tokens[2]), *tokens[3:]]
    out: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token in ("content", "requestBody") and out and out[-1] not in ("properties",):
            if token == "content":
                i += 2  # content/<media type>
                continue
            break
        if token == "schema" and len(out) >= 2 and out[-2] == "parameters":
            i += 1
            continue
        out.append(token)
        i += 1
    node: Any = doc
    kept: list[str] = []
    for token in out:
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, dict) and token == "200" and "default" in node:
            token, node = "default", node["default"]
        elif isinstance(node, list) and re.fullmatch(r"\d+", token) and int(token) < len(node):
            node = node[int(token)]
        else:
            break
        kept.append(token)
    return "".join("/" + escape_pointer(t) for t in kept)


def _built_pointer(doc: dict[str, Any], built: dict[str, Any], pointer: str, names: dict[str, str]) -> tuple[str, bool]:
    """The built apiDefinition's pointer for `pointer` of the published one, and whether the build
    has its holder; ("", True) for a definition the build prunes (nothing refers to it)."""
    tokens = split_pointer(pointer)
    if len(tokens) > 2 and tokens[0] == "definitions":
        out = ["definitions", names.get(tokens[1], tokens[1]), *tokens[2:]]
        if out[1] not in (built.get("definitions") or {}):
            return "", True
    elif len(tokens) > 5 and tokens[0] == "paths" and tokens[3] == "parameters" and tokens[4].isdigit():
        param = _deref(doc, _walk(doc, doc, tokens[:5])[1])
        op = _walk(built, built, tokens[:3])[1]
        params: list[Any] = op["parameters"] if isinstance(op, dict) and isinstance(op.get("parameters"), list) else []
        key = (param.get("in"), param.get("name")) if isinstance(param, dict) else None
        index = next((i for i, p in enumerate(params) if isinstance(p, dict) and (p.get("in"), p.get("name")) == key), None)
        if index is None:
            return "", False
        out = [*tokens[:4], str(index), *tokens[5:]]
    else:
        return "", False
    return "".join("/" + escape_pointer(t) for t in out), _walk(built, built, out[:-1])[0]


def check_representable(
    spec: dict[str, Any], connector: dict[str, Any], doc: dict[str, Any], names: dict[str, dict[str, str]], notes: Notes, withheld: dict[str, Any] | None = None
) -> list[Problem]:
    """Build the connector from the imported spec in memory; refuse (errors in `notes`) what the
    build would delete or change. Returns the build's other losses. Published values the build drops
    (repair pass) or the spec cannot hold (`withheld`) go into the overlay's `values`."""
    from generator.ir.build import build_api
    from generator.targets.powerplatform.config import read_config
    from generator.targets.powerplatform.swagger import build_swagger

    api = build_api(spec, "openapi.yaml")
    try:
        config = read_config(connector, api)
        swagger, _, losses, _ = build_swagger(api, config)
    except (ValueError, KeyError) as exc:
        notes.error("not_representable", "", f"the connector build cannot take the imported spec: {exc}")
        return []
    overlay = connector.setdefault("overlay", {})  # filled in below: `values`
    restored = set(overlay.get("definitionFormats") or {})
    schemes = (overlay.get("apiDefinition") or {}).get("securityDefinitions") or {}
    others: list[Problem] = []
    for pointer, value in (withheld or {}).items():
        target, placed = _built_pointer(doc, swagger, pointer, names.get("definitions", {}))
        if target and placed:
            overlay.setdefault("values", {})[target] = value
            notes.info("default_kept_as_published", pointer, f"default {value!r} kept as published (a 3.1 validator refuses it): connector.yaml overlay")
        elif not placed:
            notes.error("default_not_representable", pointer, f"not representable: default {value!r} that an OpenAPI 3.1 validator refuses")
    for loss in losses:
        built = re.sub(r"^/components/schemas/", "/definitions/", loss.pointer.removesuffix("/format"))
        if loss.code == "format_dropped" and (_RESTORED_FORMAT.match(loss.pointer) or built in restored):
            others.append(loss)  # the overlay writes it back (connector.py `formats`)
        elif loss.code == "security_definition_dropped" and _scheme(loss.pointer) in schemes:
            others.append(loss)  # the overlay writes the published securityDefinitions back
        elif loss.code in _AS_PUBLISHED and (target := _output_pointer(loss)) and (found := _published(doc, swagger, target, names))[0]:
            # A published value the repair pass drops: Microsoft accepted it, the overlay writes it back.
            overlay.setdefault("values", {})[target] = found[1]
            others.append(loss)
        elif loss.code in BREAKING_LOSSES:
            notes.error(loss.code, source_pointer(loss.pointer, doc, names), f"not representable: {loss.message} (imported spec {loss.pointer})")
        else:
            others.append(loss)
    return others
