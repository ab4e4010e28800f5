"""The four curated specs: valid, complete, and every embedded example true to its schema."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from generator.spec.refs import resolve_pointer
from generator.util.pointer import join_pointer
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tests.conftest import REPO, VENDORS, loaded_spec

# Minimum operation/webhook counts from the spec issue (Eevion: List and Start share POST /session).
EXPECTED_COUNTS = {
    "vev-iq": {"operations": (23, 23), "webhooks_and_callbacks": 0},
    "eevion": {"operations": (12, 12), "webhooks_and_callbacks": 3},
    "volue": {"operations": (7 + 10, 99), "webhooks_and_callbacks": 2},
    "greenflux": {"operations": (17, 99), "webhooks_and_callbacks": 3},
}


def test_all_four_vendors_present() -> None:
    assert VENDORS == ["eevion", "greenflux", "vev-iq", "volue"]


@pytest.mark.parametrize("vendor", VENDORS)
def test_spec_is_valid_openapi_31_with_no_problems(vendor: str) -> None:
    loaded = loaded_spec(vendor)  # strict: raises on any error
    assert loaded.version == "3.1.0"
    assert loaded.problems == []


@pytest.mark.parametrize("vendor", VENDORS)
def test_operation_counts(vendor: str) -> None:
    api = loaded_spec(vendor).api
    low, high = EXPECTED_COUNTS[vendor]["operations"]
    assert low <= len(api.operations) <= high
    hooks = len(api.webhooks) + sum(len(op.callbacks) for op in api.operations)
    assert hooks >= EXPECTED_COUNTS[vendor]["webhooks_and_callbacks"]


@pytest.mark.parametrize("vendor", VENDORS)
def test_operations_follow_conventions(vendor: str) -> None:
    api = loaded_spec(vendor).api
    for op in api.operations:
        assert op.operation_id[:1].isupper() and op.operation_id.isalnum(), op.operation_id
        assert 0 < len(op.summary) <= 80 and op.summary[-1] not in ".!?:;", op.summary
        assert op.description.rstrip().endswith("."), op.operation_id
        assert len(op.tags) == 1, op.operation_id
        assert op.extensions.get("x-connectorgen-source"), op.operation_id
        assert op.success_responses, op.operation_id
        for param in op.parameters:
            assert param.description, (op.operation_id, param.name)
            assert param.example_value()[0], (op.operation_id, param.name)


def _rebase(node: Any) -> Any:
    """Point local refs at the registered document (`#/x` → `urn:spec#/x`)."""
    if isinstance(node, dict):
        return {k: ("urn:spec" + v if k == "$ref" and isinstance(v, str) and v.startswith("#") else _rebase(v)) for k, v in node.items()}
    if isinstance(node, list):
        return [_rebase(v) for v in node]
    return node


def _validator(document: dict[str, Any], schema: dict[str, Any]) -> Any:
    """A validator for `schema` whose `#/components/...` refs resolve against the whole document."""
    registry: Registry = Registry().with_resource("urn:spec", Resource.from_contents(document, default_specification=DRAFT202012))
    return jsonschema.Draft202012Validator(
        _rebase(schema), registry=registry, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def _examples(document: dict[str, Any]) -> Iterator[tuple[str, Any, dict[str, Any]]]:
    """(pointer, example value, schema) for every example in the document."""
    todo: list[tuple[Any, str]] = [(document, "")]
    while todo:
        node, ptr = todo.pop()
        if isinstance(node, dict):
            schema = node.get("schema")
            if isinstance(schema, dict):  # parameter, header or media type object
                if "example" in node:
                    yield ptr + "/example", node["example"], schema
                for name, ex in (node.get("examples") or {}).items():
                    if isinstance(ex, dict) and "$ref" in ex:
                        ex = resolve_pointer(document, ex["$ref"][1:])
                    if isinstance(ex, dict) and "value" in ex:
                        yield join_pointer(ptr, "examples", name, "value"), ex["value"], schema
            is_schema = "properties" in node or "type" in node
            if is_schema and isinstance(node.get("examples"), list):  # a schema's own `examples` list
                    for i, value in enumerate(node["examples"]):
                        yield f"{ptr}/examples/{i}", value, node
            for key, value in node.items():
                if key not in ("example", "examples", "enum", "default", "const") and isinstance(value, dict | list):
                    todo.append((value, join_pointer(ptr, key)))
        elif isinstance(node, list):
            todo.extend((v, f"{ptr}/{i}") for i, v in enumerate(node) if isinstance(v, dict | list))


@pytest.mark.parametrize("vendor", VENDORS)
def test_every_embedded_example_validates(vendor: str) -> None:
    document = loaded_spec(vendor).document
    checked = 0
    failures = []
    for pointer, value, schema in _examples(document):
        errors = list(_validator(document, schema).iter_errors(value))
        checked += 1
        if errors:
            failures.append(f"{pointer}: {errors[0].message}")
    assert checked >= 10, f"only {checked} examples found"
    assert not failures, "\n".join(failures[:20])


def _operation_for(vendor: str, method: str, path: str) -> Any:
    api = loaded_spec(vendor).api
    return next(op for op in api.operations if op.method == method.lower() and op.path == path)


SEED004 = sorted((REPO / "tests" / "data" / "eevion" / "seed004").glob("*.json"))


def test_seed004_examples_copied() -> None:
    assert len(SEED004) >= 15


@pytest.mark.parametrize("path", SEED004, ids=lambda p: p.stem)
def test_seed004_example_response_validates(path: Path) -> None:
    sample = json.loads(path.read_text())
    op = _operation_for("eevion", sample["method"], sample["path"])
    response = op.response(str(sample["status"]))
    assert response is not None, f"{op.operation_id} documents no {sample['status']}"
    media = response.media()
    assert media is not None and media.schema is not None
    document = loaded_spec("eevion").document
    errors = list(_validator(document, media.schema).iter_errors(sample["body"]))
    assert not errors, errors[0].message


def test_example_check_catches_a_broken_example() -> None:
    document = loaded_spec("eevion").document
    schema = {"$ref": "#/components/schemas/Session"}
    assert list(_validator(document, schema).iter_errors({"sessionId": 5}))


@pytest.mark.parametrize("vendor", VENDORS)
def test_yaml_reads_the_same_in_yaml_11_and_12(vendor: str) -> None:
    """Other tools read our specs with YAML 1.1 (PyYAML, datamodel-code-generator): values such as
    `402E11`, `yes` or `2024-01-01` must be quoted so every reader sees the same data."""
    import yaml

    text = (REPO / "specs" / vendor / "openapi.yaml").read_text()
    as_11 = json.loads(json.dumps(yaml.load(text, Loader=yaml.CSafeLoader), default=lambda v: f"<{type(v).__name__}>"))
    assert as_11 == loaded_spec(vendor).document


def test_catalogue_is_current() -> None:
    from generator.pipeline.catalog import render_catalog

    expected = render_catalog({v: loaded_spec(v).api for v in VENDORS})
    assert (REPO / "specs" / "README.md").read_text() == expected, "specs/README.md is stale: run `make regen`"
