"""connector.yaml `overlay`: values of a published connector, written back over the built package.

`connectorgen import` writes it for what the connector.yaml model cannot say (see
generator/importer/connector.py): top-level apiDefinition keys, apiProperties keys (a `null` value
removes the key), per-operation published names (`METHOD /path`: operationId, summary, the body
parameter's name and extensions, x-ms-* of form fields, security, media types, formats Power Platform certification drops, Content-Type and Accept headers and a body on GET,
answers' schemas beside the one certification keeps, `default` for an answer the spec calls 200),
`definitions` (published definitions only answers of the overlay refer to, which the build prunes),
`values` (pointer → a default, enum or example as published that the build's repair pass drops
because it does not fit the schema, or a default an OpenAPI 3.1 validator refuses: Microsoft accepted
it), `definitionFormats` (pointer → format certification
drops), and the custom code and icon files. A connector.yaml without `overlay` builds exactly as before.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from generator.problems import Level, Problem
from generator.util.jsonio import write_json
from generator.util.pointer import escape_pointer, unescape_pointer

__all__ = ["apply_overlay"]


def _set(target: dict[str, Any], values: dict[str, Any]) -> None:
    for key, value in values.items():
        if value is None:
            target.pop(key, None)
        else:
            target[key] = value


def _operation(op: dict[str, Any], entry: dict[str, Any]) -> None:
    _set(op, {k: entry[k] for k in ("operationId", "summary", "security", "consumes", "produces") if k in entry})
    params = [p for p in op.get("parameters", []) if isinstance(p, dict)]
    for p in params:
        if p.get("in") == "body":
            p.update(entry.get("body") or {})
    for name, extensions in (entry.get("formData") or {}).items():
        for p in params:
            if p.get("in") == "formData" and p.get("name") == name:
                p.update(extensions)
    if entry.get("parameters"):
        op["parameters"] = [*op.get("parameters", []), *entry["parameters"]]
    responses = op.get("responses")
    for where, fmt in (entry.get("formats") or {}).items():
        kind, _, name = str(where).partition(":")
        if kind == "responseHeader" and isinstance(responses, dict):
            answer_status, _, header_name = name.partition(":")
            answer = responses.get(answer_status)
            header = ((answer or {}).get("headers") or {}).get(header_name)
            if isinstance(header, dict):
                header["format"] = fmt
            continue
        if kind == "response" and isinstance(responses, dict):
            answer = responses.get(name) or (responses.get("default") if name == entry.get("defaultResponse") else None)
            if isinstance(answer, dict) and isinstance(answer.get("schema"), dict):
                answer["schema"]["format"] = fmt
        for p in params:
            if p.get("in") == kind and p.get("name") == name:
                p["format"] = fmt
    if isinstance(responses, dict):
        status = entry.get("defaultResponse")
        if status and status in responses and "default" not in responses:
            responses = op["responses"] = {("default" if k == status else k): v for k, v in responses.items()}
        for code, values in (entry.get("responses") or {}).items():
            if isinstance(responses.get(code), dict):
                responses[code].update(values)


def _node(doc: Any, pointer: str) -> Any:
    node = doc
    for token in pointer.lstrip("/").split("/") if pointer else ():
        token = unescape_pointer(token)
        node = node.get(token) if isinstance(node, dict) else node[int(token)] if isinstance(node, list) and token.isdigit() and int(token) < len(node) else None
    return node


def apply_overlay(connector: dict[str, Any], spec_dir: Path, out: Path, build_problems: list[Problem] | None = None) -> list[Problem]:
    """Write `connector["overlay"]` over the package in `out`. Returns `build_problems` less the
    renames it undid, plus problems for what it could not place."""
    overlay = connector.get("overlay")
    if not isinstance(overlay, dict):
        return list(build_problems or [])
    shown = str(spec_dir / "connector.yaml")
    restored = {str(e["operationId"]) for e in (overlay.get("operations") or {}).values() if isinstance(e, dict) and "operationId" in e}
    problems: list[Problem] = [
        p for p in build_problems or [] if not (p.code == "operation_id_renamed" and any(f"operationId {op_id!r} " in p.message for op_id in restored))
    ]
    definition_path = out / "apiDefinition.swagger.json"
    properties_path = out / "apiProperties.json"
    swagger = json.loads(definition_path.read_text(encoding="utf-8"))
    properties = json.loads(properties_path.read_text(encoding="utf-8"))
    _set(swagger, overlay.get("apiDefinition") or {})
    paths = swagger.get("paths") or {}
    for key, entry in (overlay.get("operations") or {}).items():
        method, _, path = str(key).partition(" ")
        op = (paths.get(path) or {}).get(method.lower())
        if not isinstance(op, dict):
            problems.append(Problem(Level.ERROR, "overlay_operation_missing", f"overlay names {key}, which the connector does not have", shown, 0, 0, "/overlay/operations/" + escape_pointer(key)))
            continue
        _operation(op, entry)
    definitions = overlay.get("definitions") or {}
    if definitions:
        built = swagger.setdefault("definitions", {})
        for name, schema in definitions.items():
            built.setdefault(name, schema)
    for section, code, what in (("values", "overlay_value_missing", "value"), ("definitionFormats", "overlay_schema_missing", "format")):
        for pointer, value in (overlay.get(section) or {}).items():
            parent, _, key = str(pointer).rpartition("/")
            node = _node(swagger, parent) if section == "values" else _node(swagger, str(pointer))
            tokens = str(pointer).split("/")
            if tokens[1:2] == ["definitions"] and len(tokens) > 2 and unescape_pointer(tokens[2]) not in (swagger.get("definitions") or {}):
                continue  # a definition nothing refers to: the build prunes it, as the platform ignores it
            if isinstance(node, dict):
                node[unescape_pointer(key) if section == "values" else "format"] = value
            else:
                escaped = escape_pointer(pointer)
                problems.append(Problem(Level.ERROR, code, f"overlay {what} of {pointer}, which the connector does not have", shown, 0, 0, f"/overlay/{section}/{escaped}"))
    _set(properties.setdefault("properties", {}), overlay.get("apiProperties") or {})
    write_json(definition_path, swagger)
    write_json(properties_path, properties)
    for key, name in (("script", "script.csx"), ("icon", "icon.png")):
        if overlay.get(key):
            source = spec_dir / str(overlay[key])
            if not source.is_file():
                problems.append(Problem(Level.ERROR, "overlay_file_missing", f"overlay {key} {source.name!r} is not in {spec_dir}", shown, 0, 0, f"/overlay/{key}"))
                continue
            shutil.copyfile(source, out / name)
    settings_path = out / "settings.json"
    if overlay.get("script") and settings_path.is_file():
        settings = json.loads(settings_path.read_text(encoding="utf-8"))
        if "script" not in settings:
            settings = {**{k: v for k, v in settings.items() if k in ("apiDefinition", "apiProperties", "icon")}, "script": "script.csx", **settings}
            write_json(settings_path, settings)
    return problems
