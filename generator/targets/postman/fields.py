"""Field references for folder documentation: a Markdown table of a schema's properties (name, type,
description), then one table per object schema it refers to, as vendors document their payloads
(Eevion's session Field Reference).

The spec asks for them at top level, folder (tag) name to schema name:
`x-connectorgen-field-references: {Sessions: Session}`.
"""

from __future__ import annotations

from typing import Any

from generator.ir.model import Api

__all__ = ["FIELDS_KEY", "field_reference", "folder_references"]

FIELDS_KEY = "x-connectorgen-field-references"
_REF = "#/components/schemas/"


def _ref_name(schema: Any) -> str:
    ref = schema.get("$ref") if isinstance(schema, dict) else None
    return ref[len(_REF) :] if isinstance(ref, str) and ref.startswith(_REF) else ""


def _type(api: Api, schema: Any) -> tuple[str, str]:
    """(type text, name of the object schema it refers to or "")."""
    name = _ref_name(schema)
    if name:
        resolved = api.schemas.get(name) or {}
        kind = resolved.get("type")
        if kind == "object" or "properties" in resolved:
            return "object", name
        return _type(api, resolved)[0], ""
    if not isinstance(schema, dict):
        return "", ""
    kinds = schema.get("type")
    kinds = [k for k in (kinds if isinstance(kinds, list) else [kinds]) if k and k != "null"]
    if kinds == ["array"]:
        inner, target = _type(api, schema.get("items"))
        return (f"list of {inner}" if inner else "list"), target
    for key in ("allOf", "oneOf", "anyOf"):
        for branch in schema.get(key) or ():
            text, target = _type(api, branch)
            if text:
                return text, target
    return " or ".join(str(k) for k in kinds), ""


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def field_reference(api: Api, name: str) -> str:
    """Markdown tables of schema `name` and the object schemas under it ("" for an unknown schema)."""
    out: list[str] = []
    queue, seen = [(name, "")], {name}
    while queue:
        current, via = queue.pop(0)
        schema = api.schemas.get(current)
        if not isinstance(schema, dict) or not isinstance(schema.get("properties"), dict):
            continue
        title = f"Field reference: {current}" if not via else f"{via} ({current})"
        out += [f"### {title}", ""]
        if schema.get("description") and via:
            out += [_cell(str(schema["description"])), ""]
        out += ["| Field | Type | Description |", "| --- | --- | --- |"]
        for prop, sub in schema["properties"].items():
            kind, target = _type(api, sub)
            description = sub.get("description", "") if isinstance(sub, dict) else ""
            if not description and target:
                description = str((api.schemas.get(target) or {}).get("description", ""))
            out.append(f"| `{prop}` | {kind} | {_cell(str(description))} |")
            if target and target not in seen:
                seen.add(target)
                queue.append((target, f"`{prop}`"))
        out.append("")
    return "\n".join(out).rstrip("\n")


def folder_references(api: Api) -> dict[str, str]:
    """Folder (tag) name -> its field reference Markdown."""
    spec = api.extensions.get(FIELDS_KEY)
    if not isinstance(spec, dict):
        return {}
    out = {str(tag): field_reference(api, str(schema)) for tag, schema in spec.items()}
    return {tag: text for tag, text in out.items() if text}
