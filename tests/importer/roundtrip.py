"""Round trip support: import a published connector, build the imported folder's Power Platform
package in-process (the pipeline's loader and the target's render), and compare the rebuilt
apiDefinition and apiProperties with the originals after normalisation ($refs resolved).

A difference is breaking when something of the original is deleted or changed: an operation, its
operationId, path, summary or description, a parameter's location, type, format, required flag,
description or x-ms-* value, a response or its schema, a trigger, dynamic values or schema, a policy,
a connection parameter. Additions (x-ms-summary, x-ms-url-encoding, descriptions where there were
none, ...) are compatible unless they narrow what is accepted (required, enum, type, bounds).
`python -m tests.importer.measure` runs it over every calibration connector.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.problems import Level, Problem, ProblemError
from generator.util.jsonc import loads_tolerant
from generator.util.pointer import unescape_pointer

__all__ = ["Outcome", "compare", "rebuild", "round_trip"]

_RECURSIVE = "$recursive"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch")
# Added keys that narrow what a request or response may be: an addition of these is breaking.
_NARROWING = frozenset({"required", "enum", "type", "format", "minimum", "maximum", "pattern", "minLength", "maxLength", "maxItems", "minItems", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"})
# Keys a Power Platform reader treats as absent when they hold these values.
_DEFAULTS = {
    "x-nullable": False, "required": False, "readOnly": False, "collectionFormat": "csv", "deprecated": False,
    "exclusiveMaximum": False, "exclusiveMinimum": False, "description": "", "summary": "", "default": None, "headers": {}, "format": "",
}  # fmt: skip
# Validation keywords Power Platform does not accept (the converter drops them): not a difference.
_PP_DROPPED = frozenset({"uniqueItems"})
_DEFINITION_KEYS = ("info", "host", "basePath", "schemes", "securityDefinitions", "security", "x-ms-connector-metadata", "x-ms-capabilities")
_PROPERTY_KEYS = ("connectionParameters", "connectionParameterSets", "policyTemplateInstances", "capabilities", "publisher", "stackOwner", "iconBrandColor", "scriptOperations")


@dataclass(frozen=True)
class Difference:
    breaking: bool
    pointer: str
    message: str


@dataclass(frozen=True)
class Outcome:
    name: str
    status: str  # "equivalent" | "refused" | "different" | "crashed"
    reasons: tuple[str, ...] = ()  # refusal codes, or breaking differences
    detail: str = ""


def _load_json(path: Path) -> Any:
    text = path.read_text(encoding="utf-8-sig")
    return loads_tolerant(text)[0]


class _Resolver:
    def __init__(self, doc: dict[str, Any]):
        self.doc = doc

    def target(self, ref: str) -> Any:
        node: Any = self.doc
        for token in ref.lstrip("#/").split("/"):
            token = unescape_pointer(token)
            node = node.get(token) if isinstance(node, dict) else None
        return node

    def resolve(self, value: Any, stack: tuple[str, ...] = ()) -> Any:
        if isinstance(value, dict):
            ref = value.get("$ref")
            if isinstance(ref, str):
                if ref in stack or len(stack) > 40:
                    return {_RECURSIVE: True}  # recursion: the first expansion was compared
                return self.resolve(self.target(ref), (*stack, ref))  # siblings of $ref are ignored by PP
            return {k: self.resolve(v, stack) for k, v in value.items()}
        if isinstance(value, list):
            return [self.resolve(v, stack) for v in value]
        return value


def _clean(value: Any) -> Any:
    """Equivalent spellings made equal: `type: file` is a binary string, defaults dropped."""
    if isinstance(value, dict):
        out = {k: _clean(v) for k, v in value.items() if not (k in _DEFAULTS and v == _DEFAULTS[k]) and k not in _PP_DROPPED}
        if out.get("type") == "file":
            out["type"] = "string"
            out.setdefault("format", "binary")
        return out
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def _deep(old: Any, new: Any, ptr: str, out: list[Difference]) -> None:
    if (isinstance(old, dict) and _RECURSIVE in old) or (isinstance(new, dict) and _RECURSIVE in new):
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for key, value in old.items():
            child = f"{ptr}/{key}"
            if key not in new:
                out.append(Difference(True, child, f"{key} deleted"))
            elif key == "required" and isinstance(value, list) and isinstance(new[key], list):
                if set(value) != set(new[key]):
                    out.append(Difference(True, child, f"required {sorted(value)} became {sorted(new[key])}"))
            else:
                _deep(value, new[key], child, out)
        for key in new:
            if key not in old:
                implied = key == "type" and isinstance(old.get("enum"), list)  # the enum already says it
                out.append(Difference(key in _NARROWING and not implied, f"{ptr}/{key}", f"{key} added"))
        return
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for i, (a, b) in enumerate(zip(old, new, strict=True)):
            _deep(a, b, f"{ptr}/{i}", out)
        return
    if old != new:
        out.append(Difference(True, ptr, f"{json.dumps(old)[:80]} became {json.dumps(new)[:80]}"))


def _operations(doc: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    resolver = _Resolver(doc)
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for path, item in (doc.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        shared = item.get("parameters") or []
        for method, op in item.items():
            if method not in METHODS or not isinstance(op, dict):
                continue
            op = _clean(resolver.resolve(op))
            params = {}
            for p in [*(_clean(resolver.resolve(shared))), *(op.get("parameters") or [])]:
                if isinstance(p, dict):
                    key = "body" if p.get("in") == "body" else f"{p.get('in')}:{p.get('name')}"
                    params[key] = p
            for p in params.values():
                if p.get("in") in ("query", "path", "header") and isinstance(p.get("default"), bool | int | float | str):
                    # A query, path or header value is text on the wire: "1000" and 1000 are the same request.
                    value = p["default"]
                    p["default"] = str(value).lower() if isinstance(value, bool) else str(value)
            op["parameters"] = params
            op.pop("consumes", None)  # one media type kept, the others are the same body
            op.pop("produces", None)
            for r in (op.get("responses") or {}).values():
                if isinstance(r, dict):
                    r.pop("examples", None) if not r.get("examples") else None
            out[(str(path), method)] = op
    return out


def compare(original: dict[str, Any], rebuilt: dict[str, Any], properties: dict[str, Any], rebuilt_properties: dict[str, Any]) -> list[Difference]:
    out: list[Difference] = []
    old_ops, new_ops = _operations(original), _operations(rebuilt)
    for key, op in old_ops.items():
        ptr = f"/paths/{key[0]}/{key[1]}"
        if key not in new_ops:
            out.append(Difference(True, ptr, "operation deleted"))
            continue
        new = new_ops[key]
        for field in ("summary", "description"):
            if not op.get(field) and new.get(field):
                out.append(Difference(False, f"{ptr}/{field}", f"{field} added"))
                op[field] = new[field]
        _deep(op, new, ptr, out)
    for key in new_ops:
        if key not in old_ops:
            out.append(Difference(False, f"/paths/{key[0]}/{key[1]}", "operation added"))
    for key in _DEFINITION_KEYS:
        if key in original and original[key] != rebuilt.get(key):
            out.append(Difference(True, f"/{key}", f"{key} changed"))
    old_p, new_p = properties.get("properties") or {}, rebuilt_properties.get("properties") or {}
    for key in _PROPERTY_KEYS:
        if key in old_p and old_p[key] != new_p.get(key):
            out.append(Difference(True, f"apiProperties/properties/{key}", f"{key} changed"))
    return out


def rebuild(folder: Path, out: Path, validate: bool = False) -> list[Problem]:
    """The Power Platform package of the imported `folder`, rendered into `out` in-process: the
    pipeline's strict loading (openapi-spec-validator only with `validate`: the import already ran
    it on the same files) and the target's render."""
    from generator.spec.connector import load_connector
    from generator.spec.loader import load_spec
    from generator.targets.base import TargetContext
    from generator.targets.powerplatform import TARGET

    loaded = load_spec(folder / "openapi.yaml", strict=True, require=("3.1",), validate=validate)
    connector, _ = load_connector(folder / "connector.yaml")
    out.mkdir(parents=True, exist_ok=True)
    ctx = TargetContext(folder.name, folder, connector)
    return TARGET.render(loaded.api, ctx, out)


def round_trip(package: Path, work: Path | None = None) -> Outcome:
    """Import `package`, rebuild it, compare. Never raises for a refused import."""
    from generator.importer import import_connector

    name = package.name
    with tempfile.TemporaryDirectory(dir=work) as tmp:
        folder = Path(tmp) / "imported"
        try:
            import_connector(package, folder)
        except ProblemError as exc:
            errors = [p for p in exc.problems if p.level is Level.ERROR]
            located = all(p.file and (p.line or p.pointer) for p in errors)
            codes = tuple(sorted({p.code for p in errors}))
            return Outcome(name, "refused" if located and errors else "crashed", codes, "; ".join(f"{p.location} {p.pointer} {p.message}" for p in errors[:3]))
        built = Path(tmp) / "built"
        problems = rebuild(folder, built)
        errors = [p for p in problems if p.level is Level.ERROR]
        if errors:
            return Outcome(name, "different", tuple(sorted({"build:" + p.code for p in errors})), errors[0].message)
        definition = package / "apiDefinition.swagger.json" if package.is_dir() else package
        original = _load_json(definition)
        properties_path = (package if package.is_dir() else package.parent) / "apiProperties.json"
        properties = _load_json(properties_path) if properties_path.exists() else {}
        diffs = compare(
            original,
            json.loads((built / "apiDefinition.swagger.json").read_text(encoding="utf-8")),
            properties,
            json.loads((built / "apiProperties.json").read_text(encoding="utf-8")),
        )
        folder_of = package if package.is_dir() else package.parent
        for file_name in ("script.csx", "icon.png"):
            published, rebuilt = folder_of / file_name, built / file_name
            if published.is_file() and (not rebuilt.is_file() or rebuilt.read_bytes() != published.read_bytes()):
                diffs.append(Difference(True, file_name, f"{file_name} is not the published one"))
        breaking = [d for d in diffs if d.breaking]
        if breaking:
            return Outcome(name, "different", tuple(f"{d.pointer}: {d.message}" for d in breaking))
        return Outcome(name, "equivalent")
