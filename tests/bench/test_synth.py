import json
from typing import Any

import pytest
from bench.env import HTTP_METHODS, count_operations
from bench.synth import synthetic_json, synthetic_spec


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [r for v in node.values() for r in _refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []


def _resolve(document: dict[str, Any], ref: str) -> Any:
    node: Any = document
    for token in ref.removeprefix("#/").split("/"):
        node = node[token]
    return node


@pytest.mark.parametrize("operations", [1, 4, 5, 6, 99, 100, 1000])
def test_exact_operation_count(operations: int) -> None:
    assert count_operations(synthetic_spec(operations)) == operations


def test_deterministic_bytes() -> None:
    assert synthetic_json(250) == synthetic_json(250)
    assert json.loads(synthetic_json(10)) == synthetic_spec(10)


def test_every_ref_resolves_and_operation_ids_are_unique() -> None:
    document = synthetic_spec(200)
    refs = _refs(document)
    assert len(refs) > 200  # shared parameters, responses and schemas are referenced, not inlined
    for ref in set(refs):
        assert _resolve(document, ref) is not None, ref
    ids = [op["operationId"] for item in document["paths"].values() for m, op in item.items() if m in HTTP_METHODS]
    assert len(ids) == len(set(ids)) == 200


def test_realistic_shapes() -> None:
    document = synthetic_spec(60)
    schemas = document["components"]["schemas"]
    assert any("allOf" in s for s in schemas.values())
    assert any(p.get("nullable") for s in schemas.values() for p in (s.get("properties") or {}).values())
    methods = {m for item in document["paths"].values() for m in item}
    assert methods == {"get", "post", "put", "delete"}
    assert document["openapi"] == "3.0.3"


def test_valid_openapi_30() -> None:
    from openapi_spec_validator import OpenAPIV30SpecValidator

    errors = list(OpenAPIV30SpecValidator(synthetic_spec(12)).iter_errors())
    assert errors == []


def test_rejects_zero_operations() -> None:
    with pytest.raises(ValueError):
        synthetic_spec(0)
