"""The fast validation path (`spec/quickcheck.py`) gives openapi-spec-validator's verdict: on every
real document (the APIs.guru corpus, the bad specs, the converter cases, the vendor specs) it calls a
document valid exactly when openapi-spec-validator finds no error the loader reports, and each check
it stands in for is shown to refuse a document that breaks it."""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from generator.problems import ProblemError
from generator.spec.loader import _COVERED_BY_RULES, load_spec
from generator.spec.quickcheck import certainly_valid
from generator.util.pointer import split_pointer

from tests.conftest import REPO

DOCUMENTS = sorted(
    str(p.relative_to(REPO))
    for pattern in (
        "tests/data/corpus/*.json",
        "tests/bad_specs/*/openapi.yaml",
        "tests/convert/cases/*.yaml",
        "tests/convert/broken/*",
        "specs/*/openapi.yaml",
    )
    for p in REPO.glob(pattern)
)


def _validator_errors(document: Any, version: str) -> list[str]:
    """What openapi-spec-validator reports that the loader keeps (an exception counts as an error:
    the loader then reports the schema errors or `openapi_unverifiable`)."""
    from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

    cls = OpenAPIV31SpecValidator if version.startswith("3.1") else OpenAPIV30SpecValidator
    try:
        return [
            f"{type(e).__name__}: {str(getattr(e, 'message', e))[:120]}"
            for e in cls(document).iter_errors()
            if type(e).__name__ not in _COVERED_BY_RULES
        ]
    except Exception as exc:
        return [f"raised {type(exc).__name__}: {exc}"]


@cache
def _bundled(relative: str) -> tuple[Any, str] | None:
    try:
        loaded = load_spec(REPO / relative, strict=False, validate=False, rules=False, locate=False)
    except (ProblemError, RecursionError):
        return None  # refused before validation: no verdict to compare
    return loaded.document, loaded.version


def test_documents_are_found() -> None:
    assert len(DOCUMENTS) > 100
    assert sum(_bundled(d) is not None for d in DOCUMENTS) > 80


@pytest.mark.parametrize("relative", DOCUMENTS)
def test_same_verdict_as_openapi_spec_validator(relative: str) -> None:
    bundled = _bundled(relative)
    if bundled is None:
        return
    document, version = bundled
    errors = _validator_errors(document, version)
    assert certainly_valid(document, version) == (not errors), errors[:5]


def test_the_fast_path_serves_the_vendor_specs() -> None:
    for vendor in ("volue", "greenflux", "eevion", "vev-iq"):
        bundled = _bundled(f"specs/{vendor}/openapi.yaml")
        assert bundled is not None
        assert certainly_valid(*bundled), vendor


_ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
_BASE: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "t", "version": "1"},
    "tags": [{"name": "a"}, {"name": "b"}],
    "paths": {
        "/things/{id}": {
            "parameters": [_ID],
            "get": {
                "operationId": "getThing",
                "parameters": [{"$ref": "#/components/parameters/Limit"}],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
                    }
                },
            },
        }
    },
    "components": {
        "parameters": {
            "Limit": {"name": "limit", "in": "query", "schema": {"type": "integer", "format": "int32", "default": 10}}
        },
        "schemas": {
            "Base": {"type": "object", "properties": {"id": {"type": "string"}}},
            "Thing": {
                "allOf": [{"$ref": "#/components/schemas/Base"}],
                "required": ["id"],
                "properties": {
                    "kind": {"type": "string", "enum": ["x", "y"], "default": "x"},
                    "code": {"type": "string", "pattern": "^[a-z]+$"},
                    "when": {"type": "string", "format": "date-time", "default": "2024-01-01T00:00:00Z"},
                },
            },
        },
    },
}


def _set(document: dict[str, Any], pointer: str, value: Any) -> dict[str, Any]:
    document = copy.deepcopy(document)
    *parents, last = split_pointer(pointer)
    node: Any = document
    for token in parents:
        node = node[int(token)] if isinstance(node, list) else node[token]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return document


BROKEN = {
    "duplicate tag": ("/tags/1", {"name": "a"}),
    "duplicate parameter": ("/paths/~1things~1{id}/parameters", [_ID, _ID]),
    "default of the wrong type": ("/components/parameters/Limit/schema/default", "ten"),
    "default outside int32": ("/components/parameters/Limit/schema/default", 2**40),
    "default not in the enum": ("/components/schemas/Thing/properties/kind/default", "z"),
    "default not a date-time": ("/components/schemas/Thing/properties/when/default", "yesterday"),
    "required property no branch declares": ("/components/schemas/Thing/required", ["id", "nowhere"]),
    "pattern that is not a regex": ("/components/schemas/Thing/properties/code/pattern", "(["),
    "schema that is not a mapping": ("/components/schemas/Thing/properties/kind", 5),
    "schema keyword of the wrong type": ("/components/schemas/Base/type", 5),
    "missing info": ("/info", None),
}


def test_the_base_document_is_valid() -> None:
    assert not _validator_errors(_BASE, "3.0.3")
    assert certainly_valid(_BASE, "3.0.3")


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_each_check_refuses_what_the_validator_refuses(case: str) -> None:
    pointer, value = BROKEN[case]
    document = _set(_BASE, pointer, value)
    assert _validator_errors(document, "3.0.3"), "the case must break openapi-spec-validator's verdict"
    assert not certainly_valid(document, "3.0.3")


def test_a_31_document_gets_the_31_checks() -> None:
    document = _set(_BASE, "/openapi", "3.1.0")
    assert certainly_valid(document, "3.1.0") == (not _validator_errors(document, "3.1.0"))
    broken = _set(document, "/components/schemas/Base/properties/id", {"type": "strin"})
    assert _validator_errors(broken, "3.1.0")
    assert not certainly_valid(broken, "3.1.0")


def test_an_unresolvable_ref_is_left_to_the_validator(tmp_path: Path) -> None:
    document = _set(_BASE, "/components/schemas/Thing/properties/code", {"$ref": "#/components/schemas/Nowhere"})
    assert not certainly_valid(document, "3.0.3")


# (schema, value, whether the shortcut is expected to decide it)
_PLAIN_CASES: list[tuple[dict[str, Any], Any, bool]] = [
    ({"type": "integer", "minimum": 1, "maximum": 500}, 50, True),
    ({"type": "integer", "minimum": 1}, 0, False),
    ({"type": "integer", "format": "int32"}, 2**31, False),
    ({"type": "integer", "format": "int64"}, 2**40, True),
    ({"type": "integer"}, True, False),
    ({"type": "integer"}, 1.0, False),
    ({"type": "number", "format": "double"}, 2.5, True),
    ({"type": "string", "enum": ["a", "b"]}, "b", True),
    ({"type": "string", "enum": ["a", "b"]}, "c", False),
    ({"type": "boolean", "enum": [1]}, True, False),
    ({"type": "string", "minLength": 2, "maxLength": 3}, "abc", True),
    ({"type": "string", "maxLength": 2}, "abc", False),
    ({"type": "string", "pattern": "^[A-Z]{3}$"}, "NLD", True),
    ({"type": "string", "pattern": "^[A-Z]{3}$"}, "nl", False),
    ({"type": "string", "format": "date-time"}, "2024-01-01T00:00:00Z", False),
    ({"type": "array", "items": {"type": "string"}, "maxItems": 2}, ["a", "b"], True),
    ({"type": "array", "items": {"type": "string"}, "maxItems": 1}, ["a", "b"], False),
    ({"type": "object", "required": ["a"], "properties": {"a": {"type": "integer"}}}, {"a": 1, "b": 2}, True),
    ({"type": "object", "required": ["a"], "properties": {"a": {"type": "integer"}}}, {"b": 2}, False),
    ({"type": "object", "properties": {"a": {"$ref": "#/Thing"}}}, {"a": "x"}, True),
    ({"type": "object", "additionalProperties": False}, {"a": 1}, False),
    ({"type": "object", "additionalProperties": {"type": "string"}}, {"a": "x"}, True),
    ({"type": "string", "nullable": True}, None, False),
    ({"type": "string", "multipleOf": 2}, "x", False),
]


@pytest.mark.parametrize("case", range(len(_PLAIN_CASES)))
def test_the_plain_value_shortcut_agrees_with_the_validators(case: int) -> None:
    from generator.util.valuefit import plain_value_fits
    from openapi_schema_validator import (
        OAS30Validator,
        OAS31Validator,
        oas30_format_checker,
        oas31_format_checker,
    )

    schema, value, decided = _PLAIN_CASES[case]
    document = {"Thing": {"type": "string"}}
    fits = plain_value_fits(schema, value, lambda ref: document.get(ref.removeprefix("#/")))
    assert fits == decided
    if fits:
        inlined = _inline(schema, document)
        for cls, checker in ((OAS30Validator, oas30_format_checker), (OAS31Validator, oas31_format_checker)):
            assert cls(inlined, format_checker=checker).is_valid(value), cls.__name__


def _inline(node: Any, document: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        if "$ref" in node:
            return document[node["$ref"].removeprefix("#/")]
        return {k: _inline(v, document) for k, v in node.items()}
    return node


@pytest.mark.parametrize("seed", range(4))
def test_random_breakages_never_pass_what_the_validator_refuses(seed: int) -> None:
    """The fast verdict stays conservative under random breakage (a node replaced, an item
    doubled, a key removed — `test_fast_errors._break`): when it says valid, openapi-spec-validator
    finds nothing the loader reports; and the unbroken documents are served."""
    import random

    from tests.spec.test_fast_errors import _BASE as ERRORS_BASE
    from tests.spec.test_fast_errors import _FUZZ_SOURCES, _break

    rng = random.Random(1000 + seed)
    sources = [(_BASE, "3.0.3"), (ERRORS_BASE, "3.0.3"), (_set(_BASE, "/openapi", "3.1.0"), "3.1.0")]
    sources += [b for b in map(_bundled, _FUZZ_SOURCES) if b is not None]
    for document, version in sources:
        assert certainly_valid(document, version) == (not _validator_errors(document, version))
    for _ in range(40):
        document, version = rng.choice(sources)
        broken = _break(document, rng)
        if certainly_valid(broken, version):
            assert not _validator_errors(broken, version)
