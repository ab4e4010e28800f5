"""Robustness on a large OpenAPI 3.1 document: 1,000 operations in the 3.1 dialect with the
constructs Swagger 2.0 lacks (type arrays, oneOf with discriminator, anyOf, const, callbacks,
webhooks, links) convert to valid Swagger 2.0 with a loss report; the same document with a broken
`$ref` exits 2 with the reason. Built from the benchmark's deterministic synthetic spec."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from bench.synth import synthetic_spec
from generator.convert import ConvertOptions, convert
from generator.convert.profile import SWAGGER
from generator.targets.powerplatform.profile import POWERPLATFORM
from generator.convert.load import load_input

from tests.convert.test_convert_thirdparty import errors_of

OPERATIONS = 1000


def _to_31(node: Any) -> Any:
    """The 3.0 dialect rewritten in 3.1's: `nullable` becomes a type array."""
    if isinstance(node, list):
        return [_to_31(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {k: _to_31(v) for k, v in node.items() if k != "nullable"}
    if node.get("nullable") is True and isinstance(node.get("type"), str):
        out["type"] = [node["type"], "null"]
    return out


def _large_31() -> dict[str, Any]:
    doc: dict[str, Any] = _to_31(synthetic_spec(OPERATIONS))
    doc["openapi"] = "3.1.0"
    schemas = doc["components"]["schemas"]
    schemas["Card"] = {"type": "object", "required": ["kind"], "properties": {"kind": {"const": "card"}, "uid": {"type": "string"}}}
    schemas["App"] = {"type": "object", "required": ["kind"], "properties": {"kind": {"const": "app"}, "appId": {"type": "string"}}}
    schemas["Token"] = {
        "oneOf": [{"$ref": "#/components/schemas/Card"}, {"$ref": "#/components/schemas/App"}],
        "discriminator": {"propertyName": "kind"},
    }
    schemas["Limit"] = {"anyOf": [{"type": "integer"}, {"type": "string", "pattern": "^[0-9]+A$"}]}
    hook = {
        "post": {
            "operationId": "TokenChanged",
            "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Token"}}}},
            "responses": {"200": {"description": "received"}},
        }
    }
    doc["webhooks"] = {"tokenChanged": hook}
    for item in list(doc["paths"].values())[:50]:
        for op in item.values():
            if isinstance(op, dict) and "requestBody" in op:
                op["callbacks"] = {"done": {"{$request.body#/callbackUrl}": hook}}
                op["responses"].setdefault("201", {"description": "created"})["links"] = {
                    "self": {"operationId": op["operationId"]}
                }
    return doc


@pytest.fixture(scope="module")
def large31(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("large31") / "large31.json"
    path.write_text(json.dumps(_large_31()))
    return path


@pytest.mark.parametrize("powerplatform", [False, True], ids=["swagger", "powerplatform"])
def test_large_31_document_converts_to_valid_swagger(large31: Path, powerplatform: bool) -> None:
    result = convert(load_input(large31).api, ConvertOptions(profile=POWERPLATFORM if powerplatform else SWAGGER))
    assert errors_of(result.swagger) == []
    operations = sum(1 for item in result.swagger["paths"].values() for key in item if not key.startswith("x-"))
    assert operations == OPERATIONS
    codes = Counter(p.code for p in result.losses)
    assert codes["callback_dropped"] >= 1
    assert codes["webhook_dropped"] == 1
    assert any("one_of" in c for c in codes), codes
    assert all(p.pointer.startswith(("/", "#")) for p in result.losses)


def test_large_31_document_with_broken_ref_exits_2(large31: Path, tmp_path: Path) -> None:
    doc = json.loads(large31.read_text())
    first = next(iter(doc["paths"].values()))
    op = next(v for v in first.values() if isinstance(v, dict))
    op["responses"]["200"]["content"] = {"application/json": {"schema": {"$ref": "#/components/schemas/Missing"}}}
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(doc))
    result = subprocess.run(
        [sys.executable, "-m", "generator", "convert", str(broken), "-o", str(tmp_path / "out.json")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "unresolved_ref" in result.stderr and "#/components/schemas/Missing" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out.json").exists()
