"""A connector package as the lint rules see it: the files, parsed, and how to locate a pointer."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.lint.jsonlocate import JsonPositions
from generator.problems import Level, Problem, ProblemError
from generator.util.fsio import display_path
from generator.util.jsonc import loads_tolerant
from generator.util.pointer import escape_pointer, split_pointer

__all__ = ["FILE_NAMES", "JSON_FILES", "LintPackage", "is_package_folder", "load_lint_package"]

FILE_NAMES = {
    "definition": "apiDefinition.swagger.json",
    "properties": "apiProperties.json",
    "settings": "settings.json",
    "icon": "icon.png",
    "script": "script.csx",
    "readme": "readme.md",
}
JSON_FILES = frozenset({"definition", "properties", "settings"})
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch")


@dataclass
class LintPackage:
    """`files[key]` is the path of each file present; JSON files are parsed into `data[key]`."""

    root: Path
    folder: bool  # a package folder (else a single apiDefinition file)
    display: dict[str, str] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    _positions: dict[str, JsonPositions] = field(default_factory=dict)

    @property
    def definition(self) -> dict[str, Any]:
        value = self.data.get("definition")
        return value if isinstance(value, dict) else {}

    @property
    def properties(self) -> dict[str, Any] | None:
        """The inner `properties` object of apiProperties.json, or None without that file."""
        raw = self.data.get("properties")
        if not isinstance(raw, dict):
            return None
        inner = raw.get("properties")
        return inner if isinstance(inner, dict) else {}

    def problem(self, level: Level, code: str, message: str, key: str, where: str | int) -> Problem:
        """A located finding. `where` is a JSON pointer in a JSON file (located at its value, or at
        its nearest existing ancestor) or a character offset in a text file (script.csx,
        readme.md); a finding about a whole file (missing, too large, an image) has neither."""
        display = self.display.get(key) or display_path(self.root / FILE_NAMES.get(key, ""))
        if key in JSON_FILES:
            pointer = where if isinstance(where, str) else ""
            positions = self._positions.get(key)
            line, col = positions.locate(pointer) if positions is not None else (0, 0)
            return Problem(level, code, message, display, line, col, pointer or "#")
        if isinstance(where, int) and key in self.texts:
            line, col = self.position(key, where)
            return Problem(level, code, message, display, line, col, "")
        return Problem(level, code, message, display, 0, 0, "")

    def position(self, key: str, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset in the text of file `key`."""
        text = self.texts.get(key, "")
        offset = max(0, min(offset, len(text)))
        line = text.count("\n", 0, offset) + 1
        return line, offset - (text.rfind("\n", 0, offset) + 1) + 1

    # -- helpers shared by the rules ---------------------------------------------------------------
    def operations(self) -> Iterator[tuple[str, str, dict[str, Any], dict[str, Any], str]]:
        """(path, method, operation, path item, pointer) for every operation of the definition."""
        paths = self.definition.get("paths")
        for path, item in paths.items() if isinstance(paths, dict) else ():
            if not isinstance(item, dict):
                continue
            for method in HTTP_METHODS:
                op = item.get(method)
                if isinstance(op, dict):
                    yield str(path), method, op, item, "/paths/" + escape_pointer(str(path)) + "/" + method

    def resolve(self, value: Any) -> Any:
        """Follow local `$ref`s (e.g. `#/definitions/X`) inside the definition."""
        seen: set[str] = set()
        while (
            isinstance(value, dict) and isinstance(value.get("$ref"), str) and value["$ref"].startswith("#/")
        ):
            ref = value["$ref"]
            if ref in seen:
                return {}
            seen.add(ref)
            node: Any = self.definition
            for token in split_pointer(ref[1:]):
                node = node.get(token) if isinstance(node, dict) else None
            value = node
        return value

    def parameters(
        self, op: dict[str, Any], item: dict[str, Any], pointer: str
    ) -> Iterator[tuple[dict[str, Any], str]]:
        """(parameter, pointer) of an operation, path-level ones included, refs resolved."""
        item_pointer = pointer.rsplit("/", 1)[0]
        for where, params in ((item_pointer, item.get("parameters")), (pointer, op.get("parameters"))):
            for i, raw in enumerate(params if isinstance(params, list) else []):
                param = self.resolve(raw)
                if isinstance(param, dict):
                    yield param, f"{where}/parameters/{i}"




def _unusable(code: str, message: str, display: str, line: int = 0, col: int = 0) -> ProblemError:
    return ProblemError([Problem(Level.ERROR, code, message, display, line, col, "")])


def _read_text(package: LintPackage, key: str, path: Path) -> str | None:
    display = display_path(path)
    package.display[key] = display
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        if key == "definition":
            raise _unusable("FileNotReadable", f"cannot read the file: {exc}", display) from None
        package.problems.append(
            Problem(Level.ERROR, "FileNotReadable", f"cannot read the file: {exc}", display)
        )
        return None
    package.texts[key] = text
    return text


def _read_json(package: LintPackage, key: str, path: Path) -> None:
    """Parse a JSON file as Power Platform does (Json.NET: comments, trailing and missing commas are
    accepted): each repair is a located `JsonRepaired` warning; anything else is `JsonNotValid`."""
    text = _read_text(package, key, path)
    if text is None:
        return
    display = package.display[key]
    try:
        data, parsed, repairs = loads_tolerant(text)
    except json.JSONDecodeError as exc:
        message = f"not valid JSON: {exc.msg}"
        pointer = JsonPositions(text).pointer_at(exc.pos) or "#"  # the value the error follows
        if key == "definition":
            raise ProblemError(
                [Problem(Level.ERROR, "JsonNotValid", message, display, exc.lineno, exc.colno, pointer)]
            ) from None
        package.problems.append(
            Problem(Level.ERROR, "JsonNotValid", message, display, exc.lineno, exc.colno, pointer)
        )
        return
    package.data[key] = data
    positions = package._positions[key] = JsonPositions(parsed)
    for repair in repairs:
        pointer = positions.pointer_at(positions.offset(repair.line, repair.col)) or "#"
        package.problems.append(
            Problem(
                Level.WARNING,
                "JsonRepaired",
                f"{repair.message}: Power Platform's parser accepts it, strict JSON tools do not",
                display,
                repair.line,
                repair.col,
                pointer,
            )
        )


def _find_files(folder: Path) -> dict[str, Path]:
    """The package files in `folder`, names matched ignoring case (published connectors have
    `Readme.md`, `README.MD`, ...); an exact name wins over another spelling."""
    by_lower: dict[str, list[Path]] = {}
    for entry in sorted(folder.iterdir()):
        if entry.is_file():
            by_lower.setdefault(entry.name.lower(), []).append(entry)
    found: dict[str, Path] = {}
    for key, name in FILE_NAMES.items():
        candidates = by_lower.get(name.lower(), [])
        exact = [c for c in candidates if c.name == name]
        if exact or candidates:
            found[key] = (exact or candidates)[0]
    return found


def is_package_folder(path: Path) -> bool:
    """A folder holding an apiDefinition.swagger.json (any case)."""
    return path.is_dir() and "definition" in _find_files(path)


def load_lint_package(path: Path) -> LintPackage:
    """Read a package folder, or a single apiDefinition file. Raises `ProblemError` if unusable."""
    if path.is_dir():
        package = LintPackage(path, folder=True)
        package.files.update(_find_files(path))
        if "definition" not in package.files:
            raise _unusable("FileNotFound", f"no {FILE_NAMES['definition']} in this folder", display_path(path))
    elif path.is_file():
        package = LintPackage(path.parent, folder=False)
        package.files["definition"] = path
    else:
        raise _unusable("FileNotFound", "no such file or folder", str(path))
    for key in ("definition", "properties", "settings"):
        if key in package.files:
            _read_json(package, key, package.files[key])
    for key in ("script", "readme"):
        if key in package.files:
            _read_text(package, key, package.files[key])
    if "icon" in package.files:
        package.display["icon"] = display_path(package.files["icon"])
    if not isinstance(package.data.get("definition"), dict):
        line, col = package._positions["definition"].locate("")
        raise _unusable(
            "JsonNotValid",
            "the API definition must be a JSON object",
            package.display["definition"],
            line,
            col,
        )
    return package
