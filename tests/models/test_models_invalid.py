"""Invalid payloads are rejected, and the error names the offending field by its wire name.

Each JSON object example of the spec is broken three ways, one top-level field at a time: a required
field removed, an enum field given a value outside the enum, a field given a value of the wrong type.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from pydantic import BaseModel, RootModel, TypeAdapter, ValidationError

from tests.models.conftest import VENDORS
from tests.models.model_checks import (
    RenderedVendor,
    annotation_parts,
    body_examples,
    body_models,
    import_package,
    is_enum_type,
)

Render = Callable[[str], RenderedVendor]

_WRONG_VALUES: tuple[Any, ...] = (["wrong", "type"], "wrong type", {"wrong": "type"}, 12345)


def _wrong_value(annotation: Any) -> tuple[bool, Any]:
    """(found, a value of the wrong type for `annotation`)."""
    if any(part is Any for part in annotation_parts(annotation)):
        return False, None
    adapter: TypeAdapter[Any] = TypeAdapter(annotation)
    for candidate in _WRONG_VALUES:
        try:
            adapter.validate_python(candidate)
        except ValidationError:
            return True, candidate
    return False, None


def mutations(model: type[BaseModel], value: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(kind, wire name, broken copy of `value`): at most one per kind."""
    fields = [(field.alias or name, field) for name, field in model.model_fields.items()]
    present = [(wire, field) for wire, field in fields if wire in value]
    required = next((wire for wire, field in present if field.is_required()), None)
    if required:
        yield "missing required field", required, {k: v for k, v in value.items() if k != required}
    enum_field = next((wire for wire, field in present if is_enum_type(field.annotation) and isinstance(value[wire], str)), None)
    if enum_field:
        yield "value outside the enum", enum_field, {**value, enum_field: "NOT-A-MEMBER-OF-THE-ENUM"}
    for wire, field in present:
        found, wrong = _wrong_value(field.annotation)
        if found:
            yield "wrong type", wire, {**value, wire: wrong}
            break


@pytest.mark.parametrize("vendor", VENDORS)
def test_invalid_payloads_raise_naming_the_field(rendered: Render, vendor: str) -> None:
    target = rendered(vendor)
    _, operations = import_package(target)
    models = body_models(operations)
    failures: list[str] = []
    kinds: dict[str, int] = {}
    for ex in body_examples(target.api):
        model = models[(ex.operation_id, ex.status, ex.content_type)]
        if issubclass(model, RootModel) or not isinstance(ex.value, dict):
            continue  # unions and lists: a broken member may still fit another branch
        for kind, wire, broken in mutations(model, ex.value):
            kinds[kind] = kinds.get(kind, 0) + 1
            try:
                model.model_validate(broken)
            except ValidationError as exc:
                if not any(err["loc"] and err["loc"][0] == wire for err in exc.errors()):
                    failures.append(f"{ex.label}, {kind} {wire!r}: the error does not name it: {exc}")
            else:
                failures.append(f"{ex.label}, {kind} {wire!r}: {model.__name__} accepted it")
    assert failures == [], "\n".join(failures)
    assert kinds.get("missing required field") and kinds.get("wrong type"), kinds


def test_every_vendor_has_enum_fields_checked(rendered: Render) -> None:
    """Across the vendors, enum violations are exercised (the mutation finds enum fields)."""
    checked = 0
    for vendor in VENDORS:
        target = rendered(vendor)
        _, operations = import_package(target)
        models = body_models(operations)
        for ex in body_examples(target.api):
            model = models[(ex.operation_id, ex.status, ex.content_type)]
            if not issubclass(model, RootModel) and isinstance(ex.value, dict):
                checked += sum(1 for kind, _, _ in mutations(model, ex.value) if kind == "value outside the enum")
    assert checked > 0
