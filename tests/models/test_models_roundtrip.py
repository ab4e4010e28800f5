"""Every spec example and every real payload validates with its generated model and comes back equal.

Round trip: `model_validate(value)` then `model_dump(by_alias=True, exclude_unset=True, mode="json")`
must give the same JSON (date-times compare as instants: pydantic writes `Z` and drops `.000`), and no
field may survive only as an unknown extra (that would mean the spec does not name it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from generator.pipeline.vendors import REPO_ROOT
from pydantic import BaseModel, TypeAdapter, ValidationError

from tests.models.conftest import VENDORS
from tests.models.model_checks import (
    RenderedVendor,
    all_operations,
    body_examples,
    body_models,
    differences,
    import_package,
    undeclared_fields,
)
from tests.models.model_payloads import find_payloads

DATA_DIR = REPO_ROOT / "tests" / "data"

Render = Callable[[str], RenderedVendor]


def _round_trip(model: type[BaseModel], value: Any, label: str) -> list[str]:
    try:
        instance = model.model_validate(value)
    except ValidationError as exc:
        return [f"{label}: does not validate with {model.__name__}: {exc}"]
    dumped = instance.model_dump(by_alias=True, exclude_unset=True, mode="json")
    found = [f"{label} ({model.__name__}): {d}" for d in differences(value, dumped)]
    found += [f"{label} ({model.__name__}): {p}: not in the spec" for p in undeclared_fields(instance)]
    return found


@pytest.mark.parametrize("vendor", VENDORS)
def test_render_reports_no_problems(rendered: Render, vendor: str) -> None:
    assert [p.message for p in rendered(vendor).problems] == []


@pytest.mark.parametrize("vendor", VENDORS)
def test_every_json_body_has_a_model(rendered: Render, vendor: str) -> None:
    target = rendered(vendor)
    _, operations = import_package(target)
    models = body_models(operations)
    missing = []
    for op in all_operations(target.api):
        media = [("", m) for m in op.request_body.contents] if op.request_body else []
        media += [(r.status, m) for r in op.responses for m in r.contents]
        missing += [f"{op.operation_id} {s or 'request'} {m.content_type}" for s, m in media if m.is_json and m.schema and (op.operation_id, s, m.content_type) not in models]
    assert missing == []


@pytest.mark.parametrize("vendor", VENDORS)
def test_spec_body_examples_round_trip(rendered: Render, vendor: str) -> None:
    target = rendered(vendor)
    _, operations = import_package(target)
    models = body_models(operations)
    examples = body_examples(target.api)
    assert examples, "the spec has no body examples"
    failures: list[str] = []
    for ex in examples:
        failures += _round_trip(models[(ex.operation_id, ex.status, ex.content_type)], ex.value, ex.label)
    assert failures == [], "\n".join(failures)


@pytest.mark.parametrize("vendor", VENDORS)
def test_spec_schema_examples_round_trip(rendered: Render, vendor: str) -> None:
    target = rendered(vendor)
    models, _ = import_package(target)
    failures: list[str] = []
    for name, schema in target.api.schemas.items():
        values = list(schema.get("examples") or []) + ([schema["example"]] if "example" in schema else [])
        model = getattr(models, name)
        for i, value in enumerate(values):
            label = f"components/schemas/{name} example {i}"
            if isinstance(model, type) and issubclass(model, BaseModel):
                failures += _round_trip(model, value, label)
            else:  # an enum: its examples must be members
                adapter: TypeAdapter[Any] = TypeAdapter(model)
                if adapter.dump_python(adapter.validate_python(value), mode="json") != value:
                    failures.append(f"{label}: {value!r} does not round-trip")
    assert failures == [], "\n".join(failures)


# Only Eevion has `x-connectorgen-variants`; a test below checks that no other vendor gained some.
VARIANT_VENDORS = [v for v in VENDORS if v == "eevion"]


def test_variants_only_where_expected(rendered: Render) -> None:
    for vendor in VENDORS:
        has_variants = any(op.variants for op in rendered(vendor).api.operations)
        assert has_variants == (vendor in VARIANT_VENDORS), vendor


@pytest.mark.parametrize("vendor", VARIANT_VENDORS)
def test_variant_examples_validate_with_the_variant_models(rendered: Render, vendor: str) -> None:
    """`x-connectorgen-variants`: the example a variant names fits the variant's own models."""
    target = rendered(vendor)
    _, operations = import_package(target)
    assert operations.VARIANTS, f"{vendor}: the package lists no variants"
    failures: list[str] = []
    checked = 0
    for variant in operations.VARIANTS:
        example_name = next(v.example for op in target.api.operations for v in op.variants if v.operation_id == variant.operation_id)
        for ex in body_examples(target.api):
            if ex.operation_id != variant.wire_operation_id or not ex.name.startswith(example_name):
                continue
            model = variant.request if ex.status == "" else variant.response
            if model is not None and (ex.status == "" or ex.status.startswith("2")):
                failures += _round_trip(model, ex.value, f"variant {variant.operation_id}: {ex.label}")
                checked += 1
    assert checked, "no example is named after a variant"
    assert failures == [], "\n".join(failures)


@pytest.mark.parametrize("vendor", VENDORS)
def test_real_payloads_round_trip(rendered: Render, vendor: str) -> None:
    data_dir = DATA_DIR / vendor
    if not data_dir.is_dir():
        pytest.skip(f"no tests/data/{vendor}/")
    target = rendered(vendor)
    models_module, operations = import_package(target)
    models = body_models(operations)
    payloads, unknown = find_payloads(vendor, target.api, data_dir)
    assert unknown == [], f"files in tests/data/{vendor}/ that match no body of the spec"
    assert payloads
    failures: list[str] = []
    for p in payloads:
        if p.schema:
            model = getattr(models_module, p.schema)
            label = f"tests/data/{vendor}/{p.file} as {p.schema}"
        else:
            model = models[(p.operation_id, p.status, p.content_type)]
            label = f"tests/data/{vendor}/{p.file} as {p.operation_id} {p.status or 'request'}"
        failures += _round_trip(model, p.value, label)
    assert failures == [], "\n".join(failures)
