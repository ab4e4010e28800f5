"""apiProperties (and the apiDefinition's connector-level facts) → connector.yaml.

The connector.yaml model says what it can: title, description, publisher, stack owner, brand colour,
website, privacy policy, categories, contact, the connection parameters' nearest form, the readme.
What a published connector has and the model cannot say goes into `overlay` (see
`generator/targets/powerplatform/overlay.py`), verbatim: the connection parameters or sets and the
policy templates as published, the capabilities, the script operations, the apiDefinition's
top-level facts (info, host, security definitions, x-ms-connector-metadata, ...) and, per operation,
the published names the converter's certification touch-ups would change.
"""

from __future__ import annotations

import re
from typing import Any

from generator.convert.naming import pascal_id, sanitize_summary
from generator.convert.schema import ALLOWED_FORMATS
from generator.importer.notes import Notes
from generator.importer.openapi import METHODS
from generator.targets.powerplatform.config import API_KEY_PARAMETER
from generator.targets.powerplatform.profile import CATEGORIES
from generator.targets.powerplatform.profile import MIME_TYPES as PP_MIME_TYPES
from generator.util.media import media_base
from generator.util.pointer import escape_pointer, join_pointer, unescape_pointer

__all__ = ["OVERLAID_DEFINITION_KEYS", "connector_yaml", "definition_formats", "operation_overlay"]

_NAME = re.compile(r"^[a-zA-Z][a-zA-Z0-9_]*$")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# apiDefinition top-level keys the connector build writes from connector.yaml rather than from the spec.
OVERLAID_DEFINITION_KEYS = (
    "info", "host", "basePath", "schemes", "consumes", "produces", "securityDefinitions", "security",
    "x-ms-connector-metadata", "x-ms-capabilities",
)  # fmt: skip
_FROM_SPEC = ("swagger", "paths", "definitions", "parameters", "responses", "tags")
_MODEL_PROPERTIES = ("publisher", "stackOwner", "iconBrandColor")
_README_SECTIONS = {
    "publisher": ("publisher",),
    "prerequisites": ("prerequisite",),
    "obtainingCredentials": ("credential", "authentication", "api key", "obtain"),
    "gettingStarted": ("getting started", "get started", "how to use", "usage"),
    "knownIssues": ("known issue", "limitation"),
}


def _metadata(doc: dict[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in doc.get("x-ms-connector-metadata") or []:
        if isinstance(item, dict) and isinstance(item.get("propertyName"), str):
            out[item["propertyName"].lower()] = str(item.get("propertyValue") or "")
    return out


def _https(url: str) -> bool:
    return bool(re.match(r"^https://[^\s/]+\.[^\s]+$", url))


def _sections(readme: str) -> dict[str, str]:
    """Markdown sections of the package readme by heading (lower case)."""
    out: dict[str, str] = {}
    current = ""
    lines: list[str] = []
    for line in readme.splitlines():
        heading = re.match(r"^#{1,4}\s+(.*?)\s*#*\s*$", line)
        if heading:
            if current:
                out[current] = "\n".join(lines).strip()
            current, lines = heading.group(1).strip().lower(), []
        else:
            lines.append(line)
    if current:
        out[current] = "\n".join(lines).strip()
    return out


def _readme(readme: str, publisher: str, title: str) -> dict[str, Any]:
    sections = _sections(readme)

    def find(key: str) -> str:
        for heading, text in sections.items():
            if text and any(word in heading for word in _README_SECTIONS[key]):
                return text
        return ""

    def items(text: str) -> list[str]:
        bullets = [re.sub(r"^\s*(?:[-*+]|\d+\.)\s+", "", b).strip() for b in text.splitlines() if re.match(r"^\s*(?:[-*+]|\d+\.)\s+", b)]
        return [b for b in bullets if b] or ([" ".join(text.split())] if text.strip() else [])

    intro = ""
    head = readme.split("\n#", 1)[0] if not readme.lstrip().startswith("#") else ""
    if not head and sections:
        first = next(iter(sections.values()))
        intro = first.split("\n\n", 1)[0].strip()
    else:
        intro = head.strip()
    out: dict[str, Any] = {"publisher": find("publisher").split("\n\n", 1)[0].strip() or publisher}
    if intro:
        out["intro"] = intro
    out["prerequisites"] = items(find("prerequisites")) or [f"An account with {title}."]
    out["obtainingCredentials"] = find("obtainingCredentials") or f"See the documentation of {title}."
    out["gettingStarted"] = find("gettingStarted") or f"Create a connection, then add an action of {title} to a flow."
    out["knownIssues"] = items(find("knownIssues")) or ["None known."]
    return out


def _connection(properties: dict[str, Any], doc: dict[str, Any], notes: Notes) -> dict[str, Any]:
    """The model's nearest form of the published connection (the build takes the published one from
    the overlay): one set per parameter set, string or securestring parameters."""
    header = "Authorization"
    for scheme in (doc.get("securityDefinitions") or {}).values():
        if isinstance(scheme, dict) and scheme.get("type") == "apiKey" and scheme.get("in") == "header" and scheme.get("name"):
            header = str(scheme["name"])
            break
    if isinstance(properties.get("connectionParameterSets"), dict):
        raw_sets = [
            (str(s.get("name") or f"set{i + 1}"), s.get("uiDefinition") or {}, s.get("parameters") or {})
            for i, s in enumerate(properties["connectionParameterSets"].get("values") or [])
            if isinstance(s, dict)
        ]
    else:
        raw_sets = [("default", {}, properties.get("connectionParameters") or {})]
    sets: list[dict[str, Any]] = []
    for name, ui, parameters in raw_sets:
        params = []
        for p_name, p in parameters.items() if isinstance(parameters, dict) else ():
            if not isinstance(p, dict):
                continue
            p_ui: dict[str, Any] = p["uiDefinition"] if isinstance(p.get("uiDefinition"), dict) else {}
            model_name = p_name if _NAME.match(p_name) else "p_" + re.sub(r"[^A-Za-z0-9_]", "_", p_name)
            params.append(
                {
                    "name": model_name,
                    "type": "securestring" if p.get("type") == "securestring" else "string",
                    "displayName": str(p_ui.get("displayName") or p_name),
                    "description": str(p_ui.get("description") or p_ui.get("displayName") or p_name),
                }
            )
        if not params:
            params = [{"name": "connection", "type": "string", "displayName": "Connection", "description": "The connection."}]
        # Power Platform pairs the apiKey security definition with the parameter `api_key` (the model
        # insists on it); the published names come back from the overlay.
        if not any(p["name"] == API_KEY_PARAMETER for p in params):
            params[0]["name"] = API_KEY_PARAMETER
        sets.append(
            {
                "name": name if _NAME.match(name) else "set" + str(len(sets) + 1),
                "displayName": str(ui.get("displayName") or name),
                "description": str(ui.get("description") or ui.get("displayName") or name),
                "auth": {"kind": "header", "header": header, "parameter": API_KEY_PARAMETER},
                "parameters": params,
            }
        )
    return {"sets": sets}


def _renamed_refs(value: Any, names: dict[str, str]) -> Any:
    """`value` with `#/definitions/<published name>` refs pointing at the names the build writes."""
    if isinstance(value, dict):
        out = {k: _renamed_refs(v, names) for k, v in value.items()}
        ref = value.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/definitions/"):
            name = unescape_pointer(ref[len("#/definitions/"):])
            out["$ref"] = "#/definitions/" + escape_pointer(names.get(name, name))
        return out
    if isinstance(value, list):
        return [_renamed_refs(v, names) for v in value]
    return value


def _is_file(schema: Any) -> bool:
    return isinstance(schema, dict) and (schema.get("type") == "file" or schema.get("format") == "binary")


def _is_json(media_type: str) -> bool:
    base = media_base(media_type)
    return base.endswith("json") or base.startswith("text/") or base.endswith("xml")


def _responses(doc: dict[str, Any], op: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    """Published answers the build writes otherwise: schemas beside the one Power Platform
    certification keeps (the first success answer with a schema), file answers, extensions and
    Content-Type headers (which OpenAPI 3 ignores)."""
    responses: dict[str, Any] = op["responses"] if isinstance(op.get("responses"), dict) else {}
    resolved = {str(k): _deref_response(doc, v) for k, v in responses.items() if not str(k).startswith("x-")}
    has_success = any(k.startswith("2") for k in resolved)
    keeper = next(
        (k for k, r in resolved.items() if (k.startswith("2") or (k == "default" and not has_success)) and "schema" in r),
        None,
    )
    produces = [str(m) for m in op.get("produces") or doc.get("produces") or []]
    # No JSON, text or XML answer: the build writes the schema as a file (binary string).
    as_file = bool(produces) and not any(_is_json(m) for m in produces)
    out: dict[str, Any] = {}
    for status, r in resolved.items():
        entry: dict[str, Any] = {}
        if "schema" in r and (status != keeper or _is_file(r["schema"]) or as_file):
            entry["schema"] = _renamed_refs(r["schema"], names)
            if r.get("examples") and status != keeper:
                entry["examples"] = r["examples"]
        headers: dict[str, Any] = r["headers"] if isinstance(r.get("headers"), dict) else {}
        if any(str(h).lower() == "content-type" for h in headers):
            entry["headers"] = headers
        entry.update({k: v for k, v in r.items() if k.startswith("x-")})
        if entry:
            out[status] = entry
    return out


def _deref_response(doc: dict[str, Any], r: Any) -> dict[str, Any]:
    ref = r.get("$ref") if isinstance(r, dict) else None
    if isinstance(ref, str) and ref.startswith("#/responses/"):
        target = (doc.get("responses") or {}).get(unescape_pointer(ref[len("#/responses/"):]))
        return target if isinstance(target, dict) else {}
    return r if isinstance(r, dict) else {}


_IGNORED_HEADERS = ("accept", "content-type", "authorization")


def operation_overlay(doc: dict[str, Any], renamed_default: set[tuple[str, str]], names: dict[str, str]) -> dict[str, Any]:
    """Per operation (`METHOD /path`), the published values the build writes otherwise."""
    out: dict[str, Any] = {}
    for path, item in (doc.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        for method, op in item.items():
            if method not in METHODS or not isinstance(op, dict):
                continue
            entry: dict[str, Any] = {}
            op_id = str(op.get("operationId") or "")
            if op_id and pascal_id(op_id) != op_id:
                entry["operationId"] = op_id
            summary = op.get("summary")
            if isinstance(summary, str) and summary.strip() and sanitize_summary(summary) != summary:
                entry["summary"] = summary
            if "security" in op:
                entry["security"] = op["security"]
            own = [_deref(doc, p) for p in op.get("parameters") or [] if isinstance(p, dict)]
            names_own = {(p.get("in"), p.get("name")) for p in own}
            shared = [_deref(doc, p) for p in item.get("parameters") or [] if isinstance(p, dict)]
            resolved = own + [p for p in shared if (p.get("in"), p.get("name")) not in names_own]
            body = next((p for p in resolved if p.get("in") == "body"), None)
            if body is not None:
                published = {k: v for k, v in body.items() if k.startswith("x-") and k != "x-example"}
                if body.get("name") != "body":
                    published = {"name": body.get("name"), **published}
                if published:
                    entry["body"] = published
            form = {
                str(p["name"]): {k: v for k, v in p.items() if k.startswith("x-ms-")}
                for p in resolved
                if p.get("in") == "formData" and any(k.startswith("x-ms-") for k in p)
            }
            if form:
                entry["formData"] = form
            # Parameters the build leaves out: headers OpenAPI 3 ignores, a body on GET (certification).
            dropped = [p for p in resolved if p.get("in") == "header" and str(p.get("name", "")).lower() in _IGNORED_HEADERS]
            if method == "get":
                dropped += [p for p in resolved if p.get("in") in ("body", "formData")]
            if dropped:
                entry["parameters"] = _renamed_refs(dropped, names)
            for key in ("consumes", "produces"):
                effective = op.get(key) or doc.get(key) or []
                if any(media_base(str(m)) not in PP_MIME_TYPES for m in effective):
                    entry[key] = op.get(key)  # None: the operation inherits the document's
            formats = {
                f"{p.get('in')}:{p.get('name')}": p["format"]
                for p in resolved
                if p.get("in") not in ("body", "formData") and isinstance(p.get("format"), str) and p["format"] and p["format"] not in ALLOWED_FORMATS
            }
            for status, r in (op.get("responses") or {}).items() if isinstance(op.get("responses"), dict) else ():
                schema = _deref_response(doc, r).get("schema")
                fmt = schema.get("format") if isinstance(schema, dict) else None
                if isinstance(fmt, str) and fmt and fmt not in ALLOWED_FORMATS:
                    formats[f"response:{status}"] = fmt
                headers = _deref_response(doc, r).get("headers")
                for h_name, header in headers.items() if isinstance(headers, dict) else ():
                    h_fmt = header.get("format") if isinstance(header, dict) else None
                    if isinstance(h_fmt, str) and h_fmt and h_fmt not in ALLOWED_FORMATS and str(h_name).lower() != "content-type":
                        formats[f"responseHeader:{status}:{h_name}"] = h_fmt
            if formats:
                entry["formats"] = formats
            responses = _responses(doc, op, names)
            if responses:
                entry["responses"] = responses
            if (str(path), method) in renamed_default:
                entry["defaultResponse"] = "200"
            if entry:
                out[f"{method.upper()} {path}"] = entry
    return out


def _definition_refs(value: Any, found: set[str]) -> set[str]:
    if isinstance(value, dict):
        ref = value.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/definitions/"):
            found.add(unescape_pointer(ref[len("#/definitions/") :]))
        for v in value.values():
            _definition_refs(v, found)
    elif isinstance(value, list):
        for v in value:
            _definition_refs(v, found)
    return found


def answer_definitions(doc: dict[str, Any], operations: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    """Published definitions (renamed, verbatim) that only answers written by the overlay refer to:
    the build prunes them, as it writes no schema for those answers."""
    published: dict[str, Any] = doc["definitions"] if isinstance(doc.get("definitions"), dict) else {}
    definitions = {names.get(str(k), str(k)): _renamed_refs(v, names) for k, v in published.items()}

    def closure(found: set[str]) -> set[str]:
        todo = list(found)
        while todo:
            for extra in _definition_refs(definitions.get(todo.pop()), set()) - found:
                found.add(extra)
                todo.append(extra)
        return found

    wanted = closure(
        {r for e in operations.values() for a in (e.get("responses") or {}).values() for r in _definition_refs(a.get("schema"), set())}
        | _definition_refs([e.get("parameters") for e in operations.values()], set())
    )
    if not wanted:
        return {}
    rest: set[str] = set()
    for path, item in (doc.get("paths") or {}).items():
        for method, op in item.items() if isinstance(item, dict) else ():
            if not isinstance(op, dict):
                _definition_refs(op, rest)
                continue
            entry = operations.get(f"{str(method).upper()} {path}") or {}
            restored = entry.get("responses") or {}
            readded = {(p.get("in"), p.get("name")) for p in entry.get("parameters") or [] if isinstance(p, dict)}
            _definition_refs({k: v for k, v in op.items() if k not in ("responses", "parameters")}, rest)
            for p in op.get("parameters") or [] if isinstance(op.get("parameters"), list) else ():
                if (_deref(doc, p).get("in"), _deref(doc, p).get("name")) not in readded:
                    _definition_refs(_deref(doc, p), rest)
            for status, r in (op.get("responses") or {}).items() if isinstance(op.get("responses"), dict) else ():
                if "schema" not in (restored.get(str(status)) or {}):
                    _definition_refs(_deref_response(doc, r), rest)
    kept = closure({names.get(n, n) for n in _definition_refs(doc.get("parameters"), rest)})
    return {n: definitions[n] for n in sorted(wanted - kept) if n in definitions}


def definition_formats(doc: dict[str, Any], names: dict[str, str]) -> dict[str, str]:
    """Pointer (in the built apiDefinition) → format, for the definitions' formats certification drops."""
    out: dict[str, str] = {}

    def walk(schema: Any, pointer: str) -> None:
        if not isinstance(schema, dict) or "$ref" in schema:
            return
        fmt = schema.get("format")
        if isinstance(fmt, str) and fmt and fmt not in ALLOWED_FORMATS and schema.get("type") != "file":
            out[pointer] = fmt
        for key in ("items", "additionalProperties"):
            walk(schema.get(key), f"{pointer}/{key}")
        for name, sub in (schema.get("properties") or {}).items() if isinstance(schema.get("properties"), dict) else ():
            walk(sub, f"{pointer}/properties/{escape_pointer(str(name))}")
        for i, sub in enumerate(schema.get("allOf") or []) if isinstance(schema.get("allOf"), list) else ():
            walk(sub, f"{pointer}/allOf/{i}")

    for name, schema in (doc.get("definitions") or {}).items():
        walk(schema, "/definitions/" + escape_pointer(names.get(str(name), str(name))))
    return out



def _deref(doc: dict[str, Any], p: dict[str, Any]) -> dict[str, Any]:
    ref = p.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/parameters/"):
        target = (doc.get("parameters") or {}).get(unescape_pointer(ref[len("#/parameters/"):]))
        return target if isinstance(target, dict) else {}
    return p


def connector_yaml(
    doc: dict[str, Any],
    properties_doc: dict[str, Any] | None,
    readme: str,
    operations: dict[str, Any],
    files: dict[str, str],
    notes: Notes,
    properties_notes: Notes,
    names: dict[str, str] | None = None,
) -> dict[str, Any]:
    """connector.yaml for the published connector (`files`: overlay file keys → file names; `names`:
    published definition names → the names the build writes)."""
    names = names or {}
    properties: dict[str, Any] = {}
    if properties_doc is not None:
        raw = properties_doc.get("properties")
        if not isinstance(raw, dict):
            properties_notes.error("not_a_connector", "/properties" if "properties" in properties_doc else "", "apiProperties has no `properties` object")
        else:
            properties = raw
        for key in properties_doc:
            if key != "properties":
                properties_notes.warning("properties_key_dropped", join_pointer("", key), f"apiProperties key {key!r} is outside `properties`; dropped")
    info: dict[str, Any] = doc["info"] if isinstance(doc.get("info"), dict) else {}
    title = str(info.get("title") or "Connector")
    host = str(doc.get("host") or "")
    meta = _metadata(doc)
    contact: dict[str, Any] = info["contact"] if isinstance(info.get("contact"), dict) else {}
    publisher = str(properties.get("publisher") or contact.get("name") or title)
    stack_owner = str(properties.get("stackOwner") or publisher)

    short_title = title if len(title) <= 30 else title[:30].rstrip()
    description = " ".join(str(info.get("description") or "").split())
    if not 30 <= len(description) <= 500:
        description = (description[:497].rsplit(" ", 1)[0] + "...") if len(description) > 500 else f"The {title} connector: the operations of the {title} service."
    website = meta.get("website", "") or str(contact.get("url") or "")
    fallback_site = f"https://{host}/" if host and "." in host else "https://www.microsoft.com/"
    if not _https(website):
        website = fallback_site
    privacy = meta.get("privacy policy", "")
    if not _https(privacy):
        privacy = website
    categories = [c.strip() for c in meta.get("categories", "").split(";") if c.strip() in CATEGORIES][:2]
    colour = str(properties.get("iconBrandColor") or "")
    brand = colour if _COLOUR.match(colour) and colour.lower() not in ("#ffffff", "#007ee5") else "#333333"
    email = str(contact.get("email") or "")
    contact_out = {
        "name": str(contact.get("name") or publisher),
        "url": str(contact.get("url") or website) if _https(str(contact.get("url") or website)) else website,
        "email": email if _EMAIL.match(email) else f"support@{host or 'example.com'}",
    }
    connector: dict[str, Any] = {
        "title": short_title,
        "description": description,
        "publisher": publisher,
        "stackOwner": stack_owner,
        "brandColor": brand,
        "website": website,
        "privacyPolicy": privacy,
        "categories": list(dict.fromkeys(categories)) or ["Productivity"],
        "contact": contact_out,
        "connection": _connection(properties, doc, properties_notes),
        "readme": _readme(readme, publisher, title),
    }
    overlay: dict[str, Any] = {}
    definition = {k: doc[k] for k in doc if k not in _FROM_SPEC}
    for key in OVERLAID_DEFINITION_KEYS:
        definition.setdefault(key, None)
    overlay["apiDefinition"] = definition
    model = {"publisher": publisher, "stackOwner": stack_owner, "iconBrandColor": brand.lower()}
    published: dict[str, Any] = {}
    for key, value in properties.items():
        if key in _MODEL_PROPERTIES and model[key] == value:
            continue
        published[key] = value
    for key in ("publisher", "stackOwner", "iconBrandColor", "capabilities", "policyTemplateInstances", "scriptOperations"):
        if key not in properties:
            published[key] = None
    if "connectionParameterSets" in properties:
        published.setdefault("connectionParameters", None)
    else:
        published.setdefault("connectionParameters", {})
        published["connectionParameterSets"] = None
    overlay["apiProperties"] = published
    if operations:
        overlay["operations"] = operations
    answers = answer_definitions(doc, operations, names)
    if answers:
        overlay["definitions"] = answers
    formats = definition_formats(doc, names)
    if formats:
        overlay["definitionFormats"] = formats
    overlay.update(files)
    connector["overlay"] = overlay
    return connector
