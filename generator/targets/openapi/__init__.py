"""The `openapi` target: the spec bundled into one JSON file, for tools that want a single document
(schemathesis CLI in `make fuzz`, Prism in `make bench`, API explorers)."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

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
        write_json(out / "openapi.json", export_openapi(api))
        return []


TARGET = OpenApiTarget()
