"""`specs/<vendor>/connector.yaml`: Power Platform metadata for a vendor, checked against a JSON
schema (`generator/data/connector.schema.json`) with located problems."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from generator.problems import Level, Problem, ProblemError
from generator.spec.source import load_source
from generator.util.fsio import display_path
from generator.util.pointer import escape_pointer

__all__ = ["CONNECTOR_SCHEMA_PATH", "connector_problem", "load_connector"]

CONNECTOR_SCHEMA_PATH = Path(__file__).resolve().parents[1] / "data" / "connector.schema.json"


@lru_cache(maxsize=1)
def _validator() -> Any:
    import jsonschema

    schema = json.loads(CONNECTOR_SCHEMA_PATH.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())



def connector_problem(path: Path, level: Level, code: str, message: str, pointer: str) -> Problem:
    """A problem at `pointer` of connector.yaml, located (file:line:col) by reading the file again:
    used on the error path only, so a build pays nothing for it."""
    try:
        source = load_source(path, display_path(path))
    except ProblemError:
        return Problem(level, code, message, display_path(path), 0, 0, pointer or "#")
    return source.problem(level, code, message, pointer)


def load_connector(path: Path) -> tuple[dict[str, Any], list[Problem]]:
    """The connector metadata and its (non-fatal) problems; raises `ProblemError` on errors."""
    source = load_source(path, display_path(path))
    problems: list[Problem] = []
    if not isinstance(source.data, dict):
        raise ProblemError([source.problem(Level.ERROR, "connector_invalid", "connector.yaml must be a mapping", "")])
    for error in sorted(_validator().iter_errors(source.data), key=lambda e: list(map(str, e.absolute_path))):
        pointer = "".join("/" + escape_pointer(t) for t in error.absolute_path)
        problems.append(source.problem(Level.ERROR, "connector_invalid", f"connector.yaml: {error.message}", pointer))
    if problems:
        raise ProblemError(problems)
    return source.data, problems
