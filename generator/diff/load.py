"""Reading one side of a comparison: an apiDefinition file or a package folder.

JSON is read with the platform's tolerance (`util/jsonc.py`: comments, trailing or missing commas),
so a file Power Platform accepts is accepted here. Anything unusable raises `ProblemError` with the
file, line, column and JSON pointer. A vendor spec folder is built into a side one layer up
(`pipeline/sides.py`), since building it needs the Power Platform target, which needs this layer.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from generator.diff.model import Side
from generator.problems import Level, Problem, ProblemError
from generator.spec.source import SourceFile
from generator.util.fsio import display_path
from generator.util.jsonc import loads_tolerant

__all__ = ["DEFINITION", "PROPERTIES", "fail", "load_side"]

DEFINITION = "apiDefinition.swagger.json"
PROPERTIES = "apiProperties.json"


def fail(code: str, message: str, file: str, line: int = 0, col: int = 0, pointer: str = "#") -> ProblemError:
    return ProblemError([Problem(Level.ERROR, code, message, file, line, col, pointer)])


def _read_json(path: Path) -> SourceFile:
    display = display_path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise fail("diff_file_unreadable", f"cannot read the file: {exc}", display) from None
    try:
        data, parsed, _repairs = loads_tolerant(text)
    except json.JSONDecodeError as exc:
        raise fail("diff_json_invalid", f"not valid JSON: {exc.msg}", display, exc.lineno, exc.colno) from None
    return SourceFile(path, display, parsed, data)


def _check_definition(source: SourceFile) -> dict[str, Any]:
    data = source.data
    if not isinstance(data, dict):
        raise fail("diff_not_swagger2", "the API definition must be a JSON object", source.display, 1, 1)
    version = data.get("swagger")
    if version != "2.0":
        if "openapi" in data:
            line, col = source.locate("/openapi")
            raise fail(
                "diff_not_swagger2",
                f"an OpenAPI {data['openapi']} document, not a Swagger 2.0 connector definition; "
                "give its vendor spec folder, or convert it first (connectorgen convert)",
                source.display, line, col, "/openapi",
            )
        pointer = "/swagger" if "swagger" in data else "#"
        line, col = source.locate(pointer) if "swagger" in data else (1, 1)
        found = f"swagger: {version!r}" if "swagger" in data else "no `swagger` member"
        raise fail("diff_not_swagger2", f"not a Swagger 2.0 connector definition ({found})", source.display, line, col, pointer)
    if not isinstance(data.get("paths", {}), dict):
        line, col = source.locate("/paths")
        raise fail("diff_not_swagger2", "`paths` must be an object", source.display, line, col, "/paths")
    return data


def _inner_properties(source: SourceFile) -> dict[str, Any]:
    data = source.data
    inner = data.get("properties") if isinstance(data, dict) else None
    if not isinstance(inner, dict):
        raise fail("diff_properties_invalid", "apiProperties.json must be an object with a `properties` object", source.display, 1, 1)
    return inner


def load_side(path: Path) -> Side:
    """Read `path`: an apiDefinition file (with the apiProperties.json beside it, if any, when the file is
    named apiDefinition.swagger.json) or a package folder."""
    label = display_path(path)
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
    if path.is_dir() and (path / "openapi.yaml").is_file():
        raise fail("diff_input_unknown", f"a vendor spec folder, not a connector package (no {DEFINITION})", label)
    if path.is_dir():
        raise fail(
            "diff_input_unknown",
            f"neither a connector package (no {DEFINITION}) nor a vendor spec folder (no openapi.yaml)",
            label,
        )
    raise fail("diff_input_unknown", "no such file or folder", label)
