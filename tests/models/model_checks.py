"""Helpers for the models tests: rendering a vendor's package, walking examples, comparing round trips."""

from __future__ import annotations

import enum
import importlib
import sys
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from generator.ir.model import Api, Operation
from generator.problems import Problem
from generator.targets.base import TargetContext
from generator.targets.models import TARGET
from generator.util.naming import python_package_name
from pydantic import BaseModel, RootModel

__all__ = [
    "BodyExample",
    "RenderedVendor",
    "all_operations",
    "annotation_parts",
    "body_examples",
    "body_models",
    "differences",
    "import_package",
    "is_enum_type",
    "render_vendor",
    "undeclared_fields",
]


@dataclass
class RenderedVendor:
    vendor: str
    api: Api
    root: Path  # the distribution folder: pyproject.toml, README.md, <package>/
    package: str
    problems: list[Problem]


def render_vendor(api: Api, vendor: str, build_dir: Path, spec_dir: Path) -> RenderedVendor:
    out = build_dir / TARGET.output_dir(vendor)
    out.mkdir(parents=True)
    problems = TARGET.render(api, TargetContext(vendor, spec_dir), out)
    return RenderedVendor(vendor, api, out, python_package_name(vendor), problems)


def import_package(rendered: RenderedVendor) -> tuple[types.ModuleType, types.ModuleType]:
    """(models, operations) of the rendered package, imported from its folder."""
    if str(rendered.root) not in sys.path:
        sys.path.insert(0, str(rendered.root))
    models = importlib.import_module(f"{rendered.package}.models")
    operations = importlib.import_module(f"{rendered.package}.operations")
    return models, operations


def all_operations(api: Api) -> Iterator[Operation]:
    """Operations, their callbacks' operations and the webhooks' operations."""

    def walk(ops: tuple[Operation, ...]) -> Iterator[Operation]:
        for op in ops:
            yield op
            for callback in op.callbacks:
                yield from walk(callback.operations)

    yield from walk(api.operations)
    for webhook in api.webhooks:
        yield from walk(webhook.operations)


@dataclass(frozen=True)
class BodyExample:
    operation_id: str
    status: str  # "" for a request body
    content_type: str
    name: str
    value: Any
    pointer: str

    @property
    def label(self) -> str:
        return f"{self.operation_id} {self.status or 'request'} {self.content_type} example {self.name!r}"


def body_examples(api: Api) -> list[BodyExample]:
    """Every named example of every JSON body (requests, responses, callbacks, webhooks)."""
    found: list[BodyExample] = []
    for op in all_operations(api):
        media = [("", m) for m in op.request_body.contents] if op.request_body else []
        media += [(r.status, m) for r in op.responses for m in r.contents]
        for status, m in media:
            if m.is_json and m.schema is not None:
                for ex in m.examples:
                    found.append(BodyExample(op.operation_id, status, m.content_type, ex.name, ex.value, m.pointer))
    return found


def body_models(operations: types.ModuleType) -> dict[tuple[str, str, str], type[BaseModel]]:
    """(operationId, status, content type) -> model, from the package's `operations.BODIES`."""
    return {(b.operation_id, b.status, b.content_type): b.model for b in operations.BODIES}


def _same_instant(a: str, b: str) -> bool:
    """Both RFC 3339 date-times naming the same instant: pydantic writes `Z` and drops `.000`."""
    try:
        left, right = datetime.fromisoformat(a), datetime.fromisoformat(b)
    except ValueError:
        return False
    if (left.tzinfo is None) != (right.tzinfo is None) or "T" not in a or "T" not in b:
        return False
    return left == right


def differences(expected: Any, actual: Any, path: str = "") -> list[str]:
    """Where two JSON values differ (empty when equal); date-time strings compare as instants."""
    where = path or "/"
    if isinstance(expected, dict) and isinstance(actual, dict):
        out = [f"{path}/{k}: missing after the round trip" for k in expected if k not in actual]
        out += [f"{path}/{k}: added by the round trip ({actual[k]!r})" for k in actual if k not in expected]
        for key in expected:
            if key in actual:
                out += differences(expected[key], actual[key], f"{path}/{key}")
        return out
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return [f"{where}: {len(expected)} items became {len(actual)}"]
        return [d for i, (e, a) in enumerate(zip(expected, actual, strict=True)) for d in differences(e, a, f"{path}/{i}")]
    if isinstance(expected, bool) or isinstance(actual, bool):
        return [] if expected is actual else [f"{where}: {expected!r} became {actual!r}"]
    if isinstance(expected, int | float) and isinstance(actual, int | float):
        return [] if expected == actual else [f"{where}: {expected!r} became {actual!r}"]
    if isinstance(expected, str) and isinstance(actual, str) and (expected == actual or _same_instant(expected, actual)):
        return []
    if expected is None and actual is None:
        return []
    return [f"{where}: {expected!r} became {actual!r}"]


def _declares_extra(model: BaseModel) -> bool:
    """The schema types its additional properties (`additionalProperties: {schema}`)."""
    return any("__pydantic_extra__" in vars(cls).get("__annotations__", {}) for cls in type(model).__mro__)


def undeclared_fields(value: Any, path: str = "") -> list[str]:
    """Paths of fields a model kept only as extras (the spec does not name them)."""
    if isinstance(value, RootModel):
        return undeclared_fields(value.root, path)
    if isinstance(value, BaseModel):
        out = [] if _declares_extra(value) else [f"{path}/{k}" for k in (value.model_extra or {})]
        for name, field in type(value).model_fields.items():
            out += undeclared_fields(getattr(value, name), f"{path}/{field.alias or name}")
        return out
    if isinstance(value, list):
        return [p for i, item in enumerate(value) for p in undeclared_fields(item, f"{path}/{i}")]
    if isinstance(value, dict):
        return [p for k, item in value.items() for p in undeclared_fields(item, f"{path}/{k}")]
    return []


def annotation_parts(annotation: Any) -> list[Any]:
    """The members of a union annotation (the annotation itself otherwise), `Annotated` unwrapped."""
    if typing.get_origin(annotation) is typing.Annotated:
        return annotation_parts(typing.get_args(annotation)[0])
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return [p for arg in typing.get_args(annotation) for p in annotation_parts(arg)]
    return [annotation]


def is_enum_type(annotation: Any) -> bool:
    return any(isinstance(p, type) and issubclass(p, enum.Enum) for p in annotation_parts(annotation))
