"""Reading a connector package: a folder (apiDefinition.swagger.json, apiProperties.json, script.csx,
icon.png, readme) or one apiDefinition file, JSON read with the platform's tolerance."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import msgspec

from generator.problems import Level, Problem, ProblemError
from generator.spec.source import SourceFile, decode_utf8, read_bounded
from generator.util.fsio import display_path
from generator.util.jsonc import loads_tolerant

__all__ = ["Package", "read_package"]

DEFINITION = "apiDefinition.swagger.json"
PROPERTIES = "apiProperties.json"
SCRIPT_NAMES = ("script.csx",)
ICON_NAMES = ("icon.png",)
README_NAMES = ("Readme.md", "readme.md", "README.md")


@dataclass(frozen=True)
class Package:
    definition: SourceFile
    properties: SourceFile | None
    script: Path | None = None
    icon: Path | None = None
    readme: str = ""
    warnings: tuple[Problem, ...] = field(default_factory=tuple)



def _read_json(path: Path, what: str) -> tuple[SourceFile, list[Problem]]:
    shown = display_path(path)
    try:
        raw = read_bounded(path, shown)  # regular files within the input limits only
        text = decode_utf8(raw, shown)
    except ProblemError as exc:
        raise ProblemError([msgspec.structs.replace(p, message=f"{what}: {p.message}") for p in exc.problems]) from None
    if not text.strip():
        raise ProblemError([Problem(Level.ERROR, "empty_document", f"{what}: file is empty", shown, 1, 1, "#")])
    try:
        data, parsed, repairs = loads_tolerant(text)
    except json.JSONDecodeError as exc:
        raise ProblemError(
            [Problem(Level.ERROR, "json_syntax_error", f"{what}: invalid JSON: {exc.msg}", shown, exc.lineno, exc.colno, "#")]
        ) from None
    except RecursionError:
        raise ProblemError([Problem(Level.ERROR, "json_too_deep", f"{what}: nested too deeply", shown, 1, 1, "#")]) from None
    problems = [
        Problem(Level.WARNING, f"json_{r.kind}", f"{what}: {r.message} (the platform tolerates it; the import reads it the same way)", shown, r.line, r.col, "#")
        for r in repairs
    ]
    if not isinstance(data, dict):
        raise ProblemError([Problem(Level.ERROR, "not_a_mapping", f"{what} must be a JSON object", shown, 1, 1, "#")])
    return SourceFile(path, shown, parsed, data), problems


def _first(folder: Path, names: tuple[str, ...]) -> Path | None:
    return next((folder / n for n in names if (folder / n).is_file()), None)


def read_package(path: Path) -> Package:
    """The package at `path`. Raises `ProblemError` (located) when it cannot be read at all."""
    if path.is_dir():
        folder = path
        definition_path = folder / DEFINITION
        if not definition_path.is_file():
            candidates = sorted(p for p in folder.glob("*.swagger.json") if p.is_file())
            if len(candidates) != 1:
                raise ProblemError(
                    [Problem(Level.ERROR, "not_a_connector", f"folder holds no {DEFINITION}: not a connector package", display_path(folder))]
                )
            definition_path = candidates[0]
    elif path.exists():
        folder = path.parent
        definition_path = path
    else:
        raise ProblemError([Problem(Level.ERROR, "file_not_found", "no such file or folder", display_path(path))])
    definition, problems = _read_json(definition_path, "apiDefinition")
    properties = None
    properties_path = folder / PROPERTIES
    if properties_path.exists():
        properties, more = _read_json(properties_path, "apiProperties")
        problems += more
    readme = ""
    readme_path = _first(folder, README_NAMES)
    if readme_path is not None:
        try:
            readme = readme_path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(Problem(Level.WARNING, "readme_unreadable", f"readme not read: {exc}", display_path(readme_path)))
    return Package(
        definition,
        properties,
        _first(folder, SCRIPT_NAMES),
        _first(folder, ICON_NAMES),
        readme,
        tuple(problems),
    )
