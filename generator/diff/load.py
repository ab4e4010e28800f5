"""Reading one side of a comparison: an apiDefinition file, a package folder or a vendor spec folder.

JSON is read with the platform's tolerance (`util/jsonc.py`: comments, trailing or missing commas),
so a file Power Platform accepts is accepted here. A vendor spec folder (openapi.yaml +
connector.yaml) is built in memory through the Power Platform target's own functions, so the
definition compared is the one `connectorgen build` would write. Anything unusable raises
`ProblemError` with the file, line, column and JSON pointer.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from generator.diff.model import Side
from generator.problems import Level, Problem, ProblemError
from generator.spec.source import SourceFile
from generator.util.jsonc import loads_tolerant

__all__ = ["DEFINITION", "PROPERTIES", "build_vendor_side", "load_side"]

DEFINITION = "apiDefinition.swagger.json"
PROPERTIES = "apiProperties.json"


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _fail(code: str, message: str, file: str, line: int = 0, col: int = 0, pointer: str = "#") -> ProblemError:
    return ProblemError([Problem(Level.ERROR, code, message, file, line, col, pointer)])


def _read_json(path: Path) -> SourceFile:
    display = _display(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise _fail("diff_file_unreadable", f"cannot read the file: {exc}", display) from None
    try:
        data, parsed, _repairs = loads_tolerant(text)
    except json.JSONDecodeError as exc:
        raise _fail("diff_json_invalid", f"not valid JSON: {exc.msg}", display, exc.lineno, exc.colno) from None
    return SourceFile(path, display, parsed, data)


def _check_definition(source: SourceFile) -> dict[str, Any]:
    data = source.data
    if not isinstance(data, dict):
        raise _fail("diff_not_swagger2", "the API definition must be a JSON object", source.display, 1, 1)
    version = data.get("swagger")
    if version != "2.0":
        if "openapi" in data:
            line, col = source.locate("/openapi")
            raise _fail(
                "diff_not_swagger2",
                f"an OpenAPI {data['openapi']} document, not a Swagger 2.0 connector definition; "
                "give its vendor spec folder, or convert it first (connectorgen convert)",
                source.display, line, col, "/openapi",
            )
        pointer = "/swagger" if "swagger" in data else "#"
        line, col = source.locate(pointer) if "swagger" in data else (1, 1)
        found = f"swagger: {version!r}" if "swagger" in data else "no `swagger` member"
        raise _fail("diff_not_swagger2", f"not a Swagger 2.0 connector definition ({found})", source.display, line, col, pointer)
    if not isinstance(data.get("paths", {}), dict):
        line, col = source.locate("/paths")
        raise _fail("diff_not_swagger2", "`paths` must be an object", source.display, line, col, "/paths")
    return data


def _inner_properties(source: SourceFile) -> dict[str, Any]:
    data = source.data
    inner = data.get("properties") if isinstance(data, dict) else None
    if not isinstance(inner, dict):
        raise _fail("diff_properties_invalid", "apiProperties.json must be an object with a `properties` object", source.display, 1, 1)
    return inner


def build_vendor_side(spec_dir: Path, label: str = "") -> Side:
    """Build the Power Platform apiDefinition and apiProperties of `specs/<vendor>/` in memory."""
    from generator.diff.supersede import keep_superseded
    from generator.pipeline.vendors import load_vendor
    from generator.targets.powerplatform import backend_paths
    from generator.targets.powerplatform.config import read_config
    from generator.targets.powerplatform.properties import api_properties
    from generator.targets.powerplatform.swagger import build_swagger

    inputs = load_vendor(spec_dir.parent, spec_dir.name)  # ProblemError: located spec problems
    try:
        config = read_config(inputs.connector, inputs.api)
        swagger, routes, _losses, _missing = build_swagger(inputs.api, config)
        keep_superseded(swagger, routes, inputs.api, spec_dir)  # as the powerplatform target does
    except (ValueError, KeyError) as exc:
        raise _fail("diff_spec_unbuildable", f"connector.yaml does not fit the spec: {exc}", _display(spec_dir / "connector.yaml")) from None
    scripted = sorted(backend_paths(swagger, routes)) if config.needs_script else None
    has_triggers = bool(config.webhook_triggers or config.polling_triggers)
    # A JSON round trip gives plain data, exactly as written to apiDefinition.swagger.json.
    definition = json.loads(json.dumps(swagger))
    properties = json.loads(json.dumps(api_properties(config, routes, scripted, has_triggers)))["properties"]
    shown = _display(spec_dir)
    return Side(label or shown, definition, properties, f"{shown} (built {DEFINITION})", f"{shown} (built {PROPERTIES})")


def load_side(path: Path) -> Side:
    """Read `path`: an apiDefinition file (with the apiProperties.json beside it, if any, when the file is
    named apiDefinition.swagger.json), a package folder, or a vendor spec folder."""
    label = _display(path)
    if path.is_file() or (path.is_dir() and (path / DEFINITION).is_file()):
        # An apiDefinition file is read with the apiProperties.json beside it when there is one: its
        # connection parameters and routing policies are part of what a flow depends on.
        definition = path if path.is_file() else path / DEFINITION
        source = _read_json(definition)
        side = Side(label, _check_definition(source), None, source.display, "", {"definition": source})
        if (definition.parent / PROPERTIES).is_file() and (path.is_dir() or definition.name == DEFINITION):
            props = _read_json(definition.parent / PROPERTIES)
            side.properties = _inner_properties(props)
            side.properties_file = props.display
            side.sources["properties"] = props
        return side
    if path.is_dir():
        if (path / "openapi.yaml").is_file():
            return build_vendor_side(path, label)
        raise _fail(
            "diff_input_unknown",
            f"neither a connector package (no {DEFINITION}) nor a vendor spec folder (no openapi.yaml)",
            label,
        )
    raise _fail("diff_input_unknown", "no such file or folder", label)
