"""The import, step by step: read the package, map it, write a checked folder."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.importer.connector import connector_yaml, operation_overlay
from generator.importer.notes import Notes
from generator.importer.openapi import add_connection_schemes, check_swagger, component_names, to_openapi
from generator.importer.package import read_package
from generator.importer.verify import check_representable, source_pointer
from generator.importer.write import check_output, dump_yaml, reads_back, staged
from generator.problems import Level, Problem, ProblemError
from generator.spec.source import SourceFile

__all__ = ["ImportResult", "import_connector"]

_SPEC_HEADER = "# OpenAPI 3.1 spec of a published connector (connectorgen import); see specs/CONVENTIONS.md.\n"
_CONNECTOR_HEADER = (
    "# Power Platform metadata (schema: generator/data/connector.schema.json), from the published apiProperties.\n"
    "# `overlay` holds what the model cannot say, as published; the powerplatform build writes it back.\n"
)


@dataclass(frozen=True)
class ImportResult:
    out: Path
    files: tuple[str, ...]
    problems: list[Problem] = field(default_factory=list)


def import_connector(source: Path, out: Path, force: bool = False) -> ImportResult:
    """Import the package at `source` into the folder `out`. Raises `ProblemError` (every problem,
    located) when it cannot, leaving `out` as it was."""
    check_output(out, force)
    package = read_package(source)
    problems: list[Problem] = list(package.warnings)
    notes = Notes(package.definition, package.definition.display)
    doc = package.definition.data
    check_swagger(doc, notes)
    if any(p.level is Level.ERROR for p in notes.items):
        raise ProblemError(problems + notes.items)
    spec, renamed_default, suspects, withheld = to_openapi(doc, notes)
    properties_notes = Notes(package.properties, package.properties.display if package.properties else "apiProperties.json")
    if package.properties is not None and isinstance(package.properties.data.get("properties"), dict):
        add_connection_schemes(spec, package.properties.data["properties"])
    if package.properties is None:
        properties_notes.warning("properties_missing", "", "no apiProperties.json: no connection parameters, policies or brand colour")
    files: dict[str, bytes] = {}
    references: dict[str, str] = {}
    if package.script is not None:
        files["script.csx"] = package.script.read_bytes()
        references["script"] = "script.csx"
    if package.icon is not None:
        files["icon.png"] = package.icon.read_bytes()
        references["icon"] = "icon.png"
    connector = connector_yaml(
        doc,
        package.properties.data if package.properties else None,
        package.readme,
        operation_overlay(doc, renamed_default, component_names(doc.get("definitions"))),
        references,
        notes,
        properties_notes,
        component_names(doc.get("definitions")),
    )
    names = {section: component_names(doc.get(section)) for section in ("definitions", "parameters", "responses", "securityDefinitions")}
    if not any(p.level is Level.ERROR for p in notes.items + properties_notes.items):
        check_representable(spec, connector, doc, names, notes, withheld)
    problems += notes.items + properties_notes.items
    if any(p.level is Level.ERROR for p in problems):
        raise ProblemError(problems)
    files["openapi.yaml"] = dump_yaml(spec, _SPEC_HEADER).encode("utf-8")
    files["connector.yaml"] = dump_yaml(connector, _CONNECTOR_HEADER).encode("utf-8")

    def check(folder: Path) -> list[Problem]:
        found = reads_back(folder / "openapi.yaml", spec, str(out / "openapi.yaml"))
        found += reads_back(folder / "connector.yaml", connector, str(out / "connector.yaml"))
        if found:
            return found
        found = [_in_source(p, folder, doc, names, package.definition) for p in _load(folder)]
        unlocated = [p for p in found if p.code == "openapi_invalid" and p.level is Level.ERROR and p.pointer in ("", "#")]
        return found + suspects if unlocated and suspects else found

    problems += staged(out, files, check)
    return ImportResult(out, tuple(sorted(files)), problems)


def _load(folder: Path) -> list[Problem]:
    """The written folder loaded as `connectorgen build` loads a vendor (strict)."""
    from generator.pipeline.vendors import load_vendor

    try:
        return load_vendor(folder.parent, folder.name).problems
    except ProblemError as exc:
        return exc.problems


def _in_source(p: Problem, folder: Path, doc: dict[str, Any], names: dict[str, dict[str, str]], source: SourceFile) -> Problem:
    """A problem of the written spec, shown where it comes from in the published apiDefinition."""
    if Path(p.file).name != "openapi.yaml" or Path(p.file).resolve().parent != folder.resolve():
        return p
    pointer = source_pointer(p.pointer, doc, names) if p.pointer not in ("", "#") else ""
    line, col = source.locate(pointer)
    where = f" (imported spec {p.pointer})" if p.pointer not in ("", "#") else ""
    return Problem(p.level, p.code, p.message + where, source.display, line, col, pointer or "#")
