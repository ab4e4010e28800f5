"""The `openapi` target (generator/targets/openapi/): the IR back to one OpenAPI 3.1 document."""

from __future__ import annotations

import json
from pathlib import Path

from generator.ir.model import Api
from generator.targets.base import TargetContext
from generator.targets.openapi import TARGET
from generator.targets.openapi.export import export_openapi
from openapi_spec_validator import OpenAPIV31SpecValidator

from tests.conftest import REPO


def test_export_is_a_valid_openapi_31_document_with_every_operation(api: Api) -> None:
    document = export_openapi(api)
    assert document["openapi"].startswith("3.1")
    assert [e.message for e in OpenAPIV31SpecValidator(document).iter_errors()] == []
    exported = [op["operationId"] for item in document["paths"].values() for op in item.values() if isinstance(op, dict) and "operationId" in op]
    assert sorted(exported) == sorted(op.operation_id for op in api.operations)


def test_the_target_writes_no_curation_notes(api: Api, vendor: str, tmp_path: Path) -> None:
    """`x-connectorgen-source` (where curators found an operation) stays in the spec's README."""
    assert any("x-connectorgen-source" in op.extensions for op in api.operations)
    TARGET.render(api, TargetContext(vendor=vendor, spec_dir=REPO / "specs" / vendor), tmp_path)
    text = (tmp_path / "openapi.json").read_text(encoding="utf-8")
    assert "x-connectorgen-source" not in text
    assert json.loads(text)["info"]["title"] == api.title
