"""Swagger 2.0 (a connector's apiDefinition) → OpenAPI 3.1, following specs/CONVENTIONS.md as far as
the source allows.

Mappings: body and formData parameters → `requestBody`; `consumes`/`produces` → `content` media
types; `definitions`, `parameters`, `responses` → `components` (every `$ref` rewritten);
`securityDefinitions` → `securitySchemes` with their `x-connectorgen-auth` recipe; `x-nullable` →
`type` lists; `collectionFormat` → `style`/`explode`; `x-example` → `example`; `type: file` →
binary strings; `x-ms-*` and other extensions kept where they stood. What has no 3.1 form is noted.
"""

from __future__ import annotations

import re
from typing import Any, TypeGuard

from generator.convert.naming import sentence_from_id
from generator.importer.notes import Notes
from generator.problems import Problem
from generator.util.pointer import escape_pointer, join_pointer, unescape_pointer

__all__ = ["METHODS", "add_connection_schemes", "check_swagger", "component_names", "to_openapi"]

METHODS = ("get", "put", "post", "delete", "options", "head", "patch")
_REFS = {
    "#/definitions/": "#/components/schemas/",
    "#/parameters/": "#/components/parameters/",
    "#/responses/": "#/components/responses/",
}
_PRIMITIVE = (
    "type", "format", "items", "default", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum", "maxLength",
    "minLength", "pattern", "maxItems", "minItems", "uniqueItems", "enum", "multipleOf",
)  # fmt: skip
_PARAMETER_OWN = ("name", "in", "description", "required", "schema", "collectionFormat", "allowEmptyValue", "x-example", "x-nullable")
_DATE_TIME = re.compile(r"^\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)$")
_COMPONENT = re.compile(r"^[a-zA-Z0-9._-]+$")
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _is_dict(value: Any) -> TypeGuard[dict[str, Any]]:
    return isinstance(value, dict)


def check_swagger(doc: dict[str, Any], notes: Notes) -> None:
    """Structural errors that make `doc` no usable Swagger 2.0 connector definition."""
    if "swagger" not in doc:
        what = "an OpenAPI 3 document" if "openapi" in doc else "no Swagger 2.0 document"
        notes.error("not_a_connector", "", f"{what}: a connector's apiDefinition has `swagger: \"2.0\"`")
        return
    if str(doc["swagger"]) != "2.0":
        notes.error("unsupported_swagger_version", "/swagger", f"swagger version {doc['swagger']!r}; expected \"2.0\"")
    info = doc.get("info")
    if not _is_dict(info):
        notes.error("invalid_swagger", "/info" if "info" in doc else "", "`info` (an object with title and version) is required")
    else:
        for key in ("title", "version"):
            if not isinstance(info.get(key), str | int | float) or info.get(key) in ("", None):
                notes.error("invalid_swagger", "/info", f"info.{key} is required")
    paths = doc.get("paths")
    if not _is_dict(paths):
        notes.error("invalid_swagger", "/paths" if "paths" in doc else "", "`paths` (an object) is required")
        return
    for key in ("definitions", "parameters", "responses", "securityDefinitions"):
        if key in doc and not _is_dict(doc[key]):
            notes.error("invalid_swagger", "/" + key, f"`{key}` must be an object")
    for path, item in paths.items():
        ptr = join_pointer("/paths", path)
        if not str(path).startswith("/") and not str(path).startswith("x-"):
            notes.error("invalid_swagger", ptr, f"path {path!r} must start with /")
        if not _is_dict(item):
            notes.error("invalid_swagger", ptr, "a path item must be an object")
            continue
        if "$ref" in item:
            notes.error("path_item_ref_unsupported", join_pointer(ptr, "$ref"), "path item $ref is not supported")
        for method, op in item.items():
            if method not in METHODS:
                continue
            op_ptr = join_pointer(ptr, method)
            if not _is_dict(op):
                notes.error("invalid_swagger", op_ptr, "an operation must be an object")
                continue
            if "responses" in op and not _is_dict(op["responses"]):
                notes.error("invalid_swagger", join_pointer(op_ptr, "responses"), "`responses` must be an object")
            elif not op.get("responses"):
                notes.warning(
                    "responses_missing",
                    op_ptr,
                    "no `responses` (Swagger 2.0 requires them; the platform answers `default`): the spec says 200, the connector `default`",
                )
            params = op.get("parameters", [])
            if not isinstance(params, list):
                notes.error("invalid_swagger", join_pointer(op_ptr, "parameters"), "`parameters` must be a list")
                continue
            for i, raw in enumerate(params):
                p_ptr = join_pointer(op_ptr, "parameters", i)
                if not _is_dict(raw):
                    notes.error("invalid_swagger", p_ptr, "a parameter must be an object")
                elif "$ref" not in raw and ("name" not in raw or "in" not in raw):
                    notes.error("invalid_swagger", p_ptr, "a parameter needs `name` and `in`")
                elif raw.get("in") == "body" and not _is_dict(raw.get("schema")):
                    notes.error("invalid_swagger", p_ptr, "a body parameter needs a `schema`")
                elif "$ref" not in raw and raw.get("in") not in ("query", "header", "path", "formData", "body"):
                    notes.error("invalid_swagger", join_pointer(p_ptr, "in"), f"parameter location {raw.get('in')!r} is not a Swagger 2.0 location")


def _typed(text: str, kind: str) -> Any:
    """`text` as a value of JSON type `kind` when it says one exactly ("1000" → 1000), else None."""
    if kind == "boolean":
        return {"true": True, "false": False}.get(text)
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if kind == "number" and re.fullmatch(r"-?\d+\.\d+", text) and str(float(text)) == text:
        return float(text)
    return None


def component_names(section: Any) -> dict[str, str]:
    """Published component name → a unique OpenAPI 3.1 component name."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    names = [str(n) for n in section] if isinstance(section, dict) else []
    valid = {n for n in names if _COMPONENT.match(n)}
    for name in names:
        new = name if name in valid else (re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("_") or "Component")
        base, n = new, 2
        while new in taken or (new != name and new in valid):
            new, n = f"{base}_{n}", n + 1
        taken.add(new)
        out[name] = new
    return out


class _Converter:
    def __init__(self, doc: dict[str, Any], notes: Notes):
        self.doc = doc
        self.notes = notes
        # Swagger section → {published name: component name} (3.1 names are letters, digits, . _ -).
        self.names: dict[str, dict[str, str]] = {
            section: component_names(doc.get(section)) for section in ("definitions", "parameters", "responses", "securityDefinitions")
        }
        for section, names in self.names.items():
            for old, new in names.items():
                if old != new:
                    self.notes.info(
                        "component_renamed",
                        join_pointer("/" + section, old),
                        f"{old!r} is written {new!r} (OpenAPI 3.1 component names are letters, digits, '.', '_' and '-'); the connector keeps its names where they show",
                    )
        self.inlining: list[str] = []
        # Values of another type than their schema's: reported if a validator refuses the spec.
        self.suspects: Notes = Notes(notes.source, notes.display)
        self.consumes = [str(c) for c in doc.get("consumes") or []]
        self.produces = [str(c) for c in doc.get("produces") or []]
        # (path, method) of operations whose only success answer is `default`, written as 200.
        self.renamed_default: set[tuple[str, str]] = set()
        # 3.1 pointer → a published default an OpenAPI 3.1 validator refuses: left out of the spec,
        # written back by the overlay (verify.py `withheld`).
        self.withheld: dict[str, Any] = {}

    # -- references -----------------------------------------------------------------------------
    def ref(self, ref: Any, pointer: str) -> str:
        text = str(ref)
        for old, new in _REFS.items():
            if text.startswith(old):
                target = self._resolve(text)
                if target is None:
                    self.notes.error("ref_unresolved", pointer, f"$ref {text!r} points nowhere")
                name = unescape_pointer(text[len(old):])
                section = old.strip("#/")
                return new + escape_pointer(self.names[section].get(name, name))
        self.notes.error("ref_unsupported", pointer, f"$ref {text!r} is not a local definition, parameter or response")
        return text

    def _resolve(self, ref: str) -> Any:
        node: Any = self.doc
        for token in ref[2:].split("/"):
            token = unescape_pointer(token)
            if not _is_dict(node) or token not in node:
                return None
            node = node[token]
        return node

    def deref(self, raw: Any) -> Any:
        seen: set[str] = set()
        while _is_dict(raw) and isinstance(raw.get("$ref"), str) and raw["$ref"] not in seen:
            seen.add(raw["$ref"])
            raw = self._resolve(raw["$ref"])
        return raw

    def extension(self, value: Any, pointer: str) -> Any:
        """An x-* value with every `$ref` to a definition replaced by the definition (converted):
        the spec's extensions stand alone, as the connector's do once its refs are followed."""
        if isinstance(value, list):
            return [self.extension(v, join_pointer(pointer, i)) for i, v in enumerate(value)]
        if not _is_dict(value):
            return value
        ref = value.get("$ref")
        if isinstance(ref, str):
            if ref in self.inlining:
                self.notes.error("recursive_extension_ref", join_pointer(pointer, "$ref"), f"{ref!r} refers to itself inside an extension: no standalone form")
                return {}
            target = self._resolve(ref) if ref.startswith("#/") else None
            if not _is_dict(target):
                self.notes.error("ref_unresolved", join_pointer(pointer, "$ref"), f"$ref {ref!r} points nowhere")
                return {}
            self.inlining.append(ref)
            try:
                return self.extension(self.schema(target, pointer, inline=True), pointer)
            finally:
                self.inlining.pop()
        return {k: self.extension(v, join_pointer(pointer, k)) for k, v in value.items()}

    def extensions(self, raw: dict[str, Any], out: dict[str, Any], pointer: str, skip: tuple[str, ...] = ()) -> None:
        for key, value in raw.items():
            if key.startswith("x-") and key not in skip:
                out[key] = self.extension(value, join_pointer(pointer, key))

    # -- schemas --------------------------------------------------------------------------------
    def schema(self, s: Any, pointer: str, inline: bool = False) -> Any:
        """`inline`: refs left for `extension` to replace (a schema inside an extension)."""
        if not _is_dict(s):
            return s
        if "$ref" in s and not inline:
            ignored = [k for k in s if k not in ("$ref", "x-nullable")]
            if ignored:
                self.notes.info(
                    "ref_siblings_ignored",
                    pointer,
                    f"{', '.join(ignored)} beside $ref left out (Swagger 2.0 and Power Platform ignore them)",
                )
                s = {k: v for k, v in s.items() if k in ("$ref", "x-nullable")}
        self._check_default(s, pointer)
        if join_pointer(pointer, "default") in self.withheld:
            s = {k: v for k, v in s.items() if k != "default"}
        out: dict[str, Any] = {}
        for key, value in s.items():
            child = join_pointer(pointer, key)
            if key == "$ref":
                out["$ref"] = value if inline else self.ref(value, child)
            elif key.startswith("x-") and key != "x-nullable":
                out[key] = value if inline else self.extension(value, child)
            elif key == "default" and value is None:
                self.notes.info("default_null_dropped", child, "default null dropped (no default; the connector has none either)")
            elif key == "x-nullable":
                if value is not True:
                    out[key] = value
            elif key == "type":
                if value == "file":
                    out["type"] = "string"
                    out.setdefault("format", "binary")
                else:
                    out["type"] = value
            elif key == "format" and out.get("format") == "binary":
                continue
            elif key == "format" and value == "":
                self.notes.info("empty_format_dropped", child, "empty format left out (it says nothing)")
            elif key == "discriminator" and isinstance(value, str):
                out[key] = {"propertyName": value}
            elif key == "properties" and _is_dict(value):
                out[key] = {name: self.schema(sub, join_pointer(child, name), inline) for name, sub in value.items()}
            elif key in ("items", "additionalProperties", "not") and _is_dict(value):
                out[key] = self.schema(value, child, inline)
            elif key in ("allOf", "anyOf", "oneOf") and isinstance(value, list):
                out[key] = [self.schema(sub, join_pointer(child, i), inline) for i, sub in enumerate(value)]
            elif key in ("exclusiveMaximum", "exclusiveMinimum") and isinstance(value, bool):
                bound = "maximum" if key == "exclusiveMaximum" else "minimum"
                if value and bound in s:
                    out[key] = s[bound]
            elif key in ("maximum", "minimum") and s.get("exclusive" + key.capitalize()) is True:
                continue
            else:
                out[key] = value
        if s.get("x-nullable") is True:
            out = self._nullable(out)
        return out

    _PYTHON_TYPES: dict[str, tuple[type, ...]] = {
        "string": (str,), "integer": (int,), "number": (int, float), "boolean": (bool,), "array": (list,), "object": (dict,),
    }  # fmt: skip

    def _check_default(self, s: dict[str, Any], pointer: str) -> None:
        """A default or enum value of another type than the schema's: OpenAPI 3.1 validators refuse it."""
        if "default" in s and "type" not in s and isinstance(s.get("allOf"), list) and len(s["allOf"]) == 1:
            target = self.deref(s["allOf"][0])  # a default beside allOf: [$ref] must fit the target
            if _is_dict(target) and ("type" in target or "enum" in target):
                self._check_default({**{k: target[k] for k in ("type", "enum") if k in target}, "default": s["default"]}, pointer)
            return
        kind = s.get("type")
        if not isinstance(kind, str) or kind not in self._PYTHON_TYPES:
            return
        wanted = self._PYTHON_TYPES[kind]

        def fits(value: Any) -> bool:
            if value is None:
                return True
            if kind in ("integer", "number") and isinstance(value, bool):
                return False
            return isinstance(value, wanted) and not (kind == "integer" and isinstance(value, float) and not value.is_integer())

        if "default" in s and fits(s["default"]) and isinstance(s.get("enum"), list) and s["default"] is not None and s["default"] not in s["enum"]:
            self.suspects.error("default_not_in_enum", join_pointer(pointer, "default"), f"default {s['default']!r} is not one of the enum values")
            self.withheld[join_pointer(pointer, "default")] = s["default"]
        if kind == "string" and s.get("format") == "date-time":
            for key in ("default", "example", "x-example"):
                if isinstance(s.get(key), str) and not _DATE_TIME.match(s[key]):
                    self.suspects.error("date_time_invalid", join_pointer(pointer, key), f"{key} {s[key]!r} is not an RFC 3339 date-time")
                    if key == "default":
                        self.withheld[join_pointer(pointer, key)] = s[key]
        if "default" in s and not fits(s["default"]):
            self.suspects.error("default_type_mismatch", join_pointer(pointer, "default"), f"default {s['default']!r} is not of the schema's type {kind}")
        for i, value in enumerate(s.get("enum") or [] if isinstance(s.get("enum"), list) else []):
            if not fits(value):
                self.suspects.error("enum_type_mismatch", join_pointer(pointer, "enum", i), f"enum value {value!r} is not of the schema's type {kind}")
                break

    @staticmethod
    def _nullable(out: dict[str, Any]) -> dict[str, Any]:
        kind = out.get("type")
        if isinstance(kind, str):
            out["type"] = [kind, "null"]
            if isinstance(out.get("enum"), list) and None not in out["enum"]:
                out["enum"] = [*out["enum"], None]
            return out
        if "$ref" in out:
            rest = {k: v for k, v in out.items() if k != "$ref"}
            return {"anyOf": [{"$ref": out["$ref"]}, {"type": "null"}], **rest}
        out["x-nullable"] = True  # no type to widen: keep the flag as it was
        return out

    # -- parameters -----------------------------------------------------------------------------
    def parameter_schema(self, p: dict[str, Any], pointer: str) -> dict[str, Any]:
        raw = {k: p[k] for k in _PRIMITIVE if k in p}
        if p.get("x-nullable") is True:
            raw["x-nullable"] = True
        if "items" in raw and _is_dict(raw["items"]):
            items = dict(raw["items"])
            if "collectionFormat" in items:
                self.notes.warning(
                    "nested_collection_format_dropped",
                    join_pointer(pointer, "items", "collectionFormat"),
                    "collectionFormat of nested array items has no OpenAPI 3.1 form; dropped",
                )
                items.pop("collectionFormat")
            raw["items"] = items
        return dict(self.schema(raw, pointer))

    def parameter(self, p: dict[str, Any], pointer: str) -> dict[str, Any]:
        location = p["in"]
        default = p.get("default")
        if isinstance(default, str) and p.get("type") in ("integer", "number", "boolean"):
            typed = _typed(default, str(p["type"]))
            if typed is not None:
                p = {**p, "default": typed}
                self.notes.info(
                    "default_typed",
                    join_pointer(pointer, "default"),
                    f"default {default!r} of a {location} parameter written as {typed!r}: the same text on the wire",
                )
        out: dict[str, Any] = {"name": p["name"], "in": location}
        if "description" in p:
            out["description"] = p["description"]
        if p.get("required") or location == "path":
            out["required"] = True if location == "path" else bool(p.get("required"))
        if p.get("allowEmptyValue") is True and location == "query":
            out["allowEmptyValue"] = True
        out["schema"] = self.parameter_schema(p, pointer)
        fmt = p.get("collectionFormat")
        if p.get("type") == "array" or fmt:
            style = self._style(location, str(fmt or "csv"), pointer)
            out.update(style)
        if "x-example" in p:
            out["example"] = p["x-example"]
        self.extensions(p, out, pointer, _PARAMETER_OWN)
        for key in p:
            if key not in _PARAMETER_OWN and key not in _PRIMITIVE and not key.startswith("x-"):
                self.notes.warning("parameter_keyword_dropped", join_pointer(pointer, key), f"parameter keyword {key!r} is not Swagger 2.0; dropped")
        return out

    def _style(self, location: str, fmt: str, pointer: str) -> dict[str, Any]:
        if fmt == "multi":
            return {"style": "form", "explode": True}
        if fmt == "ssv" and location == "query":
            return {"style": "spaceDelimited", "explode": False}
        if fmt == "pipes" and location == "query":
            return {"style": "pipeDelimited", "explode": False}
        if fmt != "csv":
            self.notes.error(
                "collection_format_unsupported",
                join_pointer(pointer, "collectionFormat"),
                f"collectionFormat {fmt} of a {location} parameter has no OpenAPI 3.1 form",
            )
        if location in ("query", "formData"):
            return {"style": "form", "explode": False}
        return {"style": "simple"} if location in ("path", "header") else {}

    def operation_parameters(self, raw_list: list[Any], pointer: str) -> tuple[list[Any], list[tuple[dict[str, Any], str]]]:
        """(3.1 parameters, the body/formData Swagger parameters with their pointers)."""
        params: list[Any] = []
        body: list[tuple[dict[str, Any], str]] = []
        for i, raw in enumerate(raw_list):
            ptr = join_pointer(pointer, "parameters", i)
            target = self.deref(raw)
            if not _is_dict(target):
                self.notes.error("ref_unresolved", ptr, "parameter $ref points nowhere")
                continue
            if target.get("in") in ("body", "formData"):
                body.append((target, ptr))
            elif "$ref" in raw:
                params.append({"$ref": self.ref(raw["$ref"], join_pointer(ptr, "$ref"))})
            else:
                params.append(self.parameter(target, ptr))
        return params, body

    def request_body(self, body: list[tuple[dict[str, Any], str]], consumes: list[str], pointer: str) -> dict[str, Any] | None:
        bodies = [(p, ptr) for p, ptr in body if p["in"] == "body"]
        forms = [(p, ptr) for p, ptr in body if p["in"] == "formData"]
        if bodies and forms:
            self.notes.error("body_and_form_parameters", bodies[0][1], "an operation with both body and formData parameters is not Swagger 2.0")
            return None
        if len(bodies) > 1:
            self.notes.error("several_body_parameters", bodies[1][1], "Swagger 2.0 allows one body parameter")
            return None
        if bodies:
            p, ptr = bodies[0]
            if p.get("name") != "body":
                self.notes.info(
                    "body_name_kept",
                    join_pointer(ptr, "name"),
                    f"body parameter name {p.get('name')!r} has no OpenAPI 3.1 form; the connector keeps it (connector.yaml overlay)",
                )
            media_types = [c for c in consumes if c not in _FORM_TYPES] or ["application/json"]
            content: dict[str, Any] = {}
            for ct in media_types:
                media: dict[str, Any] = {"schema": self.schema(p["schema"], join_pointer(ptr, "schema"))}
                if "x-example" in p:
                    media["example"] = p["x-example"]
                content[ct] = media
            out: dict[str, Any] = {}
            if p.get("description"):
                out["description"] = p["description"]
            out["content"] = content
            if p.get("required"):
                out["required"] = True
            for key, value in p.items():
                if key.startswith("x-") and key != "x-example":
                    out[key] = value
                    self.notes.info(
                        "body_extension_kept",
                        join_pointer(ptr, key),
                        f"{key} of the body parameter kept on requestBody (OpenAPI 3.1 has no body parameter); the connector keeps it (connector.yaml overlay)",
                    )
            return out
        if not forms:
            return None
        has_file = any(p.get("type") == "file" for p, _ in forms)
        ct = "multipart/form-data" if has_file or "multipart/form-data" in consumes else "application/x-www-form-urlencoded"
        properties: dict[str, Any] = {}
        required: list[str] = []
        encoding: dict[str, Any] = {}
        for p, ptr in forms:
            prop = self.parameter_schema(p, ptr)
            if p.get("description"):
                prop["description"] = p["description"]
            for key, value in p.items():
                if key.startswith("x-") and key not in _PARAMETER_OWN:
                    prop[key] = value
                    if key.startswith("x-ms-"):
                        self.notes.info(
                            "form_extension_kept",
                            join_pointer(ptr, key),
                            f"{key} of form field {p['name']!r} kept on its property (the connector keeps it: connector.yaml overlay)",
                        )
            if p.get("x-example") is not None:
                prop["example"] = p["x-example"]
            properties[p["name"]] = prop
            if p.get("required"):
                required.append(p["name"])
            fmt = p.get("collectionFormat")
            if p.get("type") == "array" and fmt and fmt != "csv":
                style = self._style("formData", str(fmt), ptr)
                encoding[p["name"]] = style
        schema: dict[str, Any] = {"type": "object", "properties": properties}
        if required:
            schema["required"] = required
        media = {"schema": schema}
        if encoding:
            media["encoding"] = encoding
        return {"content": {ct: media}, **({"required": True} if required else {})}

    # -- responses ------------------------------------------------------------------------------
    def response(self, raw: Any, produces: list[str], pointer: str) -> dict[str, Any]:
        if _is_dict(raw) and "$ref" in raw:
            return {"$ref": self.ref(raw["$ref"], join_pointer(pointer, "$ref"))}
        if not _is_dict(raw):
            self.notes.error("invalid_swagger", pointer, "a response must be an object")
            return {"description": ""}
        out: dict[str, Any] = {"description": str(raw.get("description") or "")}
        if "description" not in raw:
            self.notes.info("response_description_added", pointer, "response has no description (required); written as empty")
        if "headers" in raw and _is_dict(raw["headers"]):
            headers: dict[str, Any] = {}
            for name, h in raw["headers"].items():
                h_ptr = join_pointer(pointer, "headers", name)
                if not _is_dict(h):
                    continue
                header: dict[str, Any] = {}
                if "description" in h:
                    header["description"] = h["description"]
                header["schema"] = self.parameter_schema(h, h_ptr)
                if "x-example" in h:
                    header["example"] = h["x-example"]
                headers[name] = header
            out["headers"] = headers
        if "schema" in raw:
            examples: dict[str, Any] = raw["examples"] if _is_dict(raw.get("examples")) else {}
            schema = self.schema(raw["schema"], join_pointer(pointer, "schema"))
            media_types = list(produces) or ["application/json"]
            for ct in examples:
                if ct not in media_types:
                    media_types.append(ct)
            content: dict[str, Any] = {}
            for ct in media_types:
                media: dict[str, Any] = {"schema": schema}
                if ct in examples:
                    media["example"] = examples[ct]
                content[ct] = media
            out["content"] = content
        self.extensions(raw, out, pointer)
        return out

    # -- operations -----------------------------------------------------------------------------
    def operation(self, path: str, method: str, op: dict[str, Any], shared: list[Any], pointer: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key in ("tags", "summary", "description", "externalDocs", "operationId"):
            if key in op:
                out[key] = op[key]
        if not str(op.get("operationId") or ""):
            self.notes.error("missing_operation_id", pointer, f"{method.upper()} {path} has no operationId (a connector operation needs one)")
        if not str(out.get("summary") or "").strip():
            out["summary"] = sentence_from_id(str(op.get("operationId") or method))
            self.notes.info("summary_added", pointer, f"no summary; the spec says {out['summary']!r}")
        if not str(out.get("description") or "").strip():
            out["description"] = str(out["summary"]).rstrip(".") + "."
            self.notes.info("description_added", pointer, f"no description; the spec says {out['description']!r}")
        own = op.get("parameters") or []
        names = {(self.deref(p) or {}).get("name") for p in own if _is_dict(self.deref(p))}
        inherited = [p for p in shared if (self.deref(p) or {}).get("name") not in names]
        params, body = self.operation_parameters(own, pointer)
        if inherited:
            extra, extra_body = self.operation_parameters(inherited, pointer)
            params = extra + params
            body = extra_body + body
        if params:
            out["parameters"] = params
        consumes = [str(c) for c in op.get("consumes") or self.consumes]
        request = self.request_body(body, consumes, pointer)
        if request is not None:
            out["requestBody"] = request
        produces = [str(c) for c in op.get("produces") or self.produces]
        responses = op.get("responses") or {"default": {"description": "Response"}}
        rename = "default" in responses and not any(str(s).startswith("2") for s in responses)
        if rename:
            self.renamed_default.add((path, method))
            self.notes.info(
                "default_response_as_200",
                join_pointer(pointer, "responses", "default"),
                "the only success answer is `default`: the spec says 200 (CONVENTIONS), the connector keeps default (connector.yaml overlay)",
            )
        out["responses"] = {
            ("200" if rename and str(status) == "default" else str(status)): self.response(r, produces, join_pointer(pointer, "responses", status))
            for status, r in responses.items()
            if not str(status).startswith("x-")
        }
        if op.get("deprecated"):
            out["deprecated"] = True
        if "security" in op:
            out["security"] = self.security(op["security"], join_pointer(pointer, "security"))
        if "schemes" in op:
            self.notes.warning("operation_schemes_dropped", join_pointer(pointer, "schemes"), "per-operation schemes have no OpenAPI 3.1 form; dropped")
        self.extensions(op, out, pointer)
        return out

    def paths(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for path, item in (self.doc.get("paths") or {}).items():
            if str(path).startswith("x-") or not _is_dict(item):
                continue
            ptr = join_pointer("/paths", path)
            shared = [p for p in item.get("parameters") or [] if _is_dict(p)]
            new_item: dict[str, Any] = {}
            for method, op in item.items():
                if method in METHODS and _is_dict(op):
                    new_item[method] = self.operation(str(path), method, op, shared, join_pointer(ptr, method))
                elif method.startswith("x-"):
                    new_item[method] = self.extension(op, join_pointer(ptr, method))
            out[str(path)] = new_item
        return out

    # -- document -------------------------------------------------------------------------------
    def servers(self) -> list[dict[str, Any]]:
        host = str(self.doc.get("host") or "")
        base = str(self.doc.get("basePath") or "")
        schemes = [str(s) for s in self.doc.get("schemes") or ["https"]]
        if not host:
            self.notes.info("server_relative", "/host", "no host: the server URL is the base path alone")
            return [{"url": base or "/", "description": "Production"}]
        servers = []
        for i, scheme in enumerate(schemes):
            servers.append({"url": f"{scheme}://{host}{base}", "description": "Production" if i == 0 else f"Production ({scheme})"})
        return servers

    def security(self, requirements: Any, pointer: str) -> Any:
        if not isinstance(requirements, list):
            self.notes.error("invalid_swagger", pointer, "`security` must be a list of requirements")
            return []
        names = self.names["securityDefinitions"]
        return [{names.get(str(k), str(k)): v for k, v in r.items()} if _is_dict(r) else r for r in requirements]

    def security_schemes(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, raw in (self.doc.get("securityDefinitions") or {}).items():
            ptr = join_pointer("/securityDefinitions", name)
            if not _is_dict(raw):
                self.notes.error("invalid_swagger", ptr, "a security definition must be an object")
                continue
            kind = raw.get("type")
            scheme: dict[str, Any]
            if kind == "apiKey":
                scheme = {"type": "apiKey", "name": raw.get("name", ""), "in": raw.get("in", "header")}
                recipe: dict[str, Any] = {"kind": "static", "credential": str(name), "prefix": ""}
            elif kind == "basic":
                scheme = {"type": "http", "scheme": "basic"}
                recipe = {"kind": "basic"}
            elif kind == "oauth2":
                flow = str(raw.get("flow") or "")
                names = {"implicit": "implicit", "password": "password", "application": "clientCredentials", "accessCode": "authorizationCode"}
                if flow not in names:
                    self.notes.error("invalid_swagger", join_pointer(ptr, "flow"), f"oauth2 flow {flow!r} is not a Swagger 2.0 flow")
                    continue
                body: dict[str, Any] = {}
                if flow in ("implicit", "accessCode"):
                    body["authorizationUrl"] = raw.get("authorizationUrl", "")
                if flow != "implicit":
                    body["tokenUrl"] = raw.get("tokenUrl", "")
                body["scopes"] = dict(raw.get("scopes") or {})
                scheme = {"type": "oauth2", "flows": {names[flow]: body}}
                recipe = {"kind": "oauth2-client-credentials", "credentials": ["client_id", "client_secret"]} if flow == "application" else {"kind": "oauth2"}
            else:
                self.notes.error("invalid_swagger", join_pointer(ptr, "type"), f"security type {kind!r} is not a Swagger 2.0 type")
                continue
            if raw.get("description"):
                scheme["description"] = raw["description"]
            for key, value in raw.items():
                if key.startswith("x-"):
                    scheme[key] = value
            scheme["x-connectorgen-auth"] = recipe
            out[self.names["securityDefinitions"].get(str(name), str(name))] = scheme
        return out

    def document(self) -> dict[str, Any]:
        doc = self.doc
        info = dict(doc.get("info") or {})
        info["title"] = str(info.get("title"))
        info["version"] = str(info.get("version"))
        out: dict[str, Any] = {"openapi": "3.1.0", "info": info, "servers": self.servers()}
        if "security" in doc:
            out["security"] = self.security(doc["security"], "/security")
        if doc.get("tags"):
            out["tags"] = doc["tags"]
        out["paths"] = self.paths()
        components: dict[str, Any] = {}
        schemes = self.security_schemes()
        if schemes:
            components["securitySchemes"] = schemes
        shared = {}
        for name, p in (doc.get("parameters") or {}).items():
            if _is_dict(p) and p.get("in") not in ("body", "formData") and "name" in p and "in" in p:
                shared[self.names["parameters"][str(name)]] = self.parameter(p, join_pointer("/parameters", name))
        if shared:
            components["parameters"] = shared
        responses = {
            self.names["responses"][str(name)]: self.response(r, self.produces, join_pointer("/responses", name))
            for name, r in (doc.get("responses") or {}).items()
        }
        if responses:
            components["responses"] = responses
        schemas = {
            self.names["definitions"][str(name)]: self.schema(s, join_pointer("/definitions", name)) for name, s in (doc.get("definitions") or {}).items()
        }
        if schemas:
            components["schemas"] = schemas
        if components:
            out["components"] = components
        for key, value in doc.items():
            if key.startswith("x-"):
                out[key] = value
        if "externalDocs" in doc:
            out["externalDocs"] = doc["externalDocs"]
        return out


def to_openapi(doc: dict[str, Any], notes: Notes) -> tuple[dict[str, Any], set[tuple[str, str]], list[Problem], dict[str, Any]]:
    """The OpenAPI 3.1 document for the Swagger 2.0 `doc` (already passed `check_swagger`), the
    (path, method) of the operations whose `default` answer the spec calls 200, the values of
    another type than their schema (located; the reason when a validator refuses the spec), and the
    published defaults left out of the spec because a 3.1 validator refuses them (3.1 pointer → value)."""
    converter = _Converter(doc, notes)
    spec = converter.document()
    return spec, converter.renamed_default, converter.suspects.items, converter.withheld



_PARAMETER_VALUE = re.compile(r"^(?P<prefix>[^@]*)@connectionParameters\('(?P<name>[^']+)'\)$")


def add_connection_schemes(spec: dict[str, Any], properties: dict[str, Any]) -> None:
    """Connection parameters as security schemes with their `x-connectorgen-auth` recipe: a header
    a setheader policy fills from a connection parameter (when the definition declares no scheme),
    and the credential behind a declared API key (the connector's one secure parameter)."""
    connection: dict[str, Any] = properties["connectionParameters"] if _is_dict(properties.get("connectionParameters")) else {}
    secure = [name for name, p in connection.items() if isinstance(p, dict) and p.get("type") == "securestring"]
    components = spec.setdefault("components", {})
    schemes: dict[str, Any] = components.get("securitySchemes") or {}
    for scheme in schemes.values():
        recipe = scheme.get("x-connectorgen-auth") or {}
        if scheme.get("type") == "apiKey" and recipe.get("kind") == "static" and len(secure) == 1:
            recipe["credential"] = secure[0]
    if schemes:
        return
    added: dict[str, Any] = {}
    for policy in properties.get("policyTemplateInstances") or []:
        if not _is_dict(policy) or str(policy.get("templateId", "")).lower() != "setheader":
            continue
        parameters: dict[str, Any] = policy["parameters"] if _is_dict(policy.get("parameters")) else {}
        header = parameters.get("x-ms-apimTemplateParameter.name")
        match = _PARAMETER_VALUE.match(str(parameters.get("x-ms-apimTemplateParameter.value") or ""))
        if not isinstance(header, str) or match is None or match.group("name") not in secure:
            continue
        name = re.sub(r"[^A-Za-z0-9._-]+", "_", f"connection_{match.group('name')}")
        added[name] = {
            "type": "apiKey",
            "in": "header",
            "name": header,
            "description": f"The {match.group('name')} connection parameter, sent in {header} by the connector's policy.",
            "x-connectorgen-auth": {"kind": "static", "credential": match.group("name"), "prefix": match.group("prefix")},
        }
    if not added:
        if not components:
            spec.pop("components")
        return
    components["securitySchemes"] = added
    components.update({k: components.pop(k) for k in list(components) if k != "securitySchemes"})
    if "security" not in spec:
        ordered: dict[str, Any] = {}
        for key, value in spec.items():
            if key == "paths" or (key == "tags" and "paths" in spec):
                ordered.setdefault("security", [{n: []} for n in added])
            ordered[key] = value
        spec.clear()
        spec.update(ordered)
