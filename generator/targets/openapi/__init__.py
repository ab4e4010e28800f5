"""The `openapi` target: the spec bundled into one JSON file, for tools that want a single document
(schemathesis CLI in `make fuzz`, Prism in `make bench`, API explorers)."""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Any

from generator.ir.model import Api
from generator.problems import Problem
from generator.targets.base import TargetContext
from generator.targets.openapi.export import export_openapi
from generator.util.jsonio import write_json

__all__ = ["TARGET", "OpenApiTarget"]


class OpenApiTarget:
    name = "openapi"

    def output_dir(self, vendor: str) -> PurePosixPath:
        return PurePosixPath(vendor) / "openapi"

    def render(self, api: Api, ctx: TargetContext, out: Path) -> list[Problem]:
        write_json(out / "openapi.json", _without_notes(export_openapi(api)))
        return []


def _without_notes(node: Any) -> Any:
    """The document without `x-connectorgen-source`: where curators found an operation is a note for
    the spec's README, not for the people reading the published document."""
    if isinstance(node, dict):
        return {k: _without_notes(v) for k, v in node.items() if k != "x-connectorgen-source"}
    if isinstance(node, list):
        return [_without_notes(v) for v in node]
    return node


TARGET = OpenApiTarget()
