"""A connector package as the lint rules see it: the files, parsed, and how to locate a pointer."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.problems import Level, Problem, ProblemError
from generator.spec.source import SourceFile, split_pointer

__all__ = ["FILE_NAMES", "Package", "load_package"]

FILE_NAMES = {
    "definition": "apiDefinition.swagger.json",
    "properties": "apiProperties.json",
    "settings": "settings.json",
    "icon": "icon.png",
    "script": "script.csx",
    "readme": "readme.md",
}
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch")


@dataclass
class Package:
    """`files[key]` is the path of each file present; JSON files are parsed into `data[key]`."""

    root: Path
    folder: bool  # a package folder (else a single apiDefinition file)
    display: dict[str, str] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    _sources: dict[str, SourceFile] = field(default_factory=dict)

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

    def problem(self, level: Level, code: str, message: str, key: str, pointer: str) -> Problem:
        display = self.display.get(key) or str(self.root / FILE_NAMES.get(key, ""))
        source = self._sources.get(key)
        line, col = source.locate(pointer) if source is not None else (0, 0)
        return Problem(level, code, message, display, line, col, pointer or "#")

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
                    yield str(path), method, op, item, "/paths/" + _escape(str(path)) + "/" + method

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


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _read_json(package: Package, key: str, path: Path) -> None:
    display = _display(path)
    package.display[key] = display
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        problem = Problem(Level.ERROR, "FileNotReadable", f"cannot read the file: {exc}", display, 0, 0, "#")
        if key == "definition":
            raise ProblemError([problem]) from None
        package.problems.append(problem)
        return
    package.texts[key] = text
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        problem = Problem(
            Level.ERROR, "JsonNotValid", f"not valid JSON: {exc.msg}", display, exc.lineno, exc.colno, "#"
        )
        if key == "definition":
            raise ProblemError([problem]) from None
        package.problems.append(problem)
        return
    package.data[key] = data
    package._sources[key] = SourceFile(path, display, text, data)


def load_package(path: Path) -> Package:
    """Read a package folder, or a single apiDefinition file. Raises `ProblemError` if unusable."""
    if path.is_dir():
        package = Package(path, folder=True)
        for key, name in FILE_NAMES.items():
            if (path / name).is_file():
                package.files[key] = path / name
        if "definition" not in package.files:
            raise ProblemError(
                [
                    Problem(
                        Level.ERROR,
                        "FileNotFound",
                        f"no {FILE_NAMES['definition']} in this folder",
                        _display(path),
                        0,
                        0,
                        "#",
                    )
                ]
            )
    elif path.is_file():
        package = Package(path.parent, folder=False)
        package.files["definition"] = path
    else:
        raise ProblemError(
            [Problem(Level.ERROR, "FileNotFound", "no such file or folder", str(path), 0, 0, "#")]
        )
    for key in ("definition", "properties", "settings"):
        if key in package.files:
            _read_json(package, key, package.files[key])
    for key in ("script", "readme"):
        if key in package.files:
            package.display[key] = _display(package.files[key])
            try:
                package.texts[key] = package.files[key].read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError) as exc:
                package.problems.append(
                    Problem(
                        Level.ERROR,
                        "FileNotReadable",
                        f"cannot read the file: {exc}",
                        package.display[key],
                        0,
                        0,
                        "#",
                    )
                )
    if "icon" in package.files:
        package.display["icon"] = _display(package.files["icon"])
    if not isinstance(package.data.get("definition"), dict):
        raise ProblemError(
            [
                Problem(
                    Level.ERROR,
                    "JsonNotValid",
                    "the API definition must be a JSON object",
                    package.display["definition"],
                    1,
                    1,
                    "#",
                )
            ]
        )
    return package
