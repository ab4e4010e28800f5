
"""A built connector package folder, read back: the Swagger operations, connection parameters,
policy templates and custom code, as the Power Platform runtime would see them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.util.pointer import unescape_pointer

__all__ = ["EmulatedPackage", "EmulatorError", "Operation", "load_emulated_package"]


class EmulatorError(Exception):
    """A call the platform would refuse before sending anything (unknown operation, missing value…)."""


@dataclass(frozen=True)
class Operation:
    operation_id: str
    path: str
    method: str  # lower case
    spec: dict[str, Any]
    path_item: dict[str, Any]

    @property
    def parameters(self) -> list[dict[str, Any]]:
        return list(self.spec.get("parameters", []))

    @property
    def is_trigger(self) -> bool:
        return "x-ms-trigger" in self.spec


@dataclass
class EmulatedPackage:
    root: Path
    swagger: dict[str, Any]
    properties: dict[str, Any]
    script: Path | None

    @property
    def base_url(self) -> str:
        scheme = (self.swagger.get("schemes") or ["https"])[0]
        base_path = self.swagger.get("basePath", "/").rstrip("/")
        return f"{scheme}://{self.swagger['host']}{base_path}"

    def operations(self) -> list[Operation]:
        out: list[Operation] = []
        for path, item in self.swagger.get("paths", {}).items():
            for method, spec in item.items():
                if isinstance(spec, dict) and "operationId" in spec and not method.startswith("x-"):
                    out.append(Operation(spec["operationId"], path, method, spec, item))
        return out

    def operation(self, operation_id: str) -> Operation:
        for op in self.operations():
            if op.operation_id == operation_id:
                return op
        raise EmulatorError(f"the package has no operation {operation_id!r}")

    def definition(self, ref: str) -> dict[str, Any]:
        name = unescape_pointer(ref.rsplit("/", 1)[-1])
        found = self.swagger.get("definitions", {}).get(name)
        if not isinstance(found, dict):
            raise EmulatorError(f"no definition {ref!r}")
        return found

    def resolve(self, schema: dict[str, Any] | None) -> dict[str, Any]:
        seen: set[str] = set()
        while isinstance(schema, dict) and "$ref" in schema and schema["$ref"] not in seen:
            seen.add(schema["$ref"])
            schema = self.definition(schema["$ref"])
        return schema or {}

    def parameter_sets(self) -> dict[str, dict[str, Any]]:
        """Set name → its connection parameters ("" names the single set of connectionParameters)."""
        sets = self.properties.get("connectionParameterSets")
        if sets:
            return {value["name"]: value.get("parameters", {}) for value in sets.get("values", [])}
        return {"": self.properties.get("connectionParameters", {})}

    def policies(self, operation_id: str) -> list[dict[str, Any]]:
        out = []
        for policy in self.properties.get("policyTemplateInstances", []):
            names = policy.get("parameters", {}).get("x-ms-apimTemplate-operationName")
            if not names or operation_id in names:
                out.append(policy)
        return out

    def runs_script(self, operation_id: str) -> bool:
        if self.script is None:
            return False
        listed = self.properties.get("scriptOperations")
        return listed is None or operation_id in listed


def load_emulated_package(root: Path) -> EmulatedPackage:
    root = Path(root)
    try:
        swagger = json.loads((root / "apiDefinition.swagger.json").read_text(encoding="utf-8"))
        properties = json.loads((root / "apiProperties.json").read_text(encoding="utf-8"))["properties"]
    except (OSError, ValueError, KeyError) as exc:
        raise EmulatorError(f"{root} is not a connector package: {exc}") from exc
    script = root / "script.csx"
    return EmulatedPackage(root, swagger, properties, script if script.is_file() else None)
