"""The fast error path (`spec/fasterrors.py`) gives openapi-spec-validator's own error list: on every
invalid document the tests hold (the APIs.guru corpus, the bad specs, the converter cases, the
vendor and third-party specs), on each kind of error broken into a small document, and on seeded
random breakages of real documents, the errors it returns — class, message, path, instance, order —
are the validator's, and the loader's problems (codes, messages, pointers, lines) are the same
whichever path produced them. Where it says "not sure" (None) the loader runs the validator."""

from __future__ import annotations

import copy
import random
from functools import cache
from typing import Any

import pytest
from generator.problems import ProblemError
from generator.spec import fasterrors
from generator.spec.fasterrors import Found, validator_errors
from generator.spec.loader import _slow_errors, _Unverifiable, load_spec
from generator.util.pointer import split_pointer

from tests.conftest import REPO

EV_SERVER = "tests/data/thirdparty/ev-server-e-mobility-oas.json"
DOCUMENTS = sorted(
    str(p.relative_to(REPO))
    for pattern in (
        "tests/data/corpus/*.json",
        "tests/bad_specs/*/openapi.yaml",
        "tests/convert/cases/*.yaml",
        "tests/convert/broken/*",
        "tests/data/thirdparty/*.json",
        "tests/data/thirdparty/*.yaml",
        "specs/*/openapi.yaml",
    )
    for p in REPO.glob(pattern)
)


@cache
def _bundled(relative: str) -> tuple[Any, str] | None:
    try:
        loaded = load_spec(REPO / relative, strict=False, validate=False, rules=False, locate=False)
    except (ProblemError, RecursionError):
        return None  # refused before validation
    return loaded.document, loaded.version


def _slow(document: Any, version: str) -> list[Found] | str:
    try:
        return _slow_errors(document, version)
    except _Unverifiable:
        return "unverifiable"


def _key(found: Found) -> tuple[Any, ...]:
    # An error without a path is located at the document (the loader never searches for its
    # instance); one with a path is searched for by its instance, which must be equal.
    return (found.kind, found.message, found.path, found.instance if found.path else None)


def _assert_same(document: Any, version: str, *, served: bool = False) -> list[Found] | None:
    fast = validator_errors(document, version)
    if served:
        assert fast is not None, "the fast path must serve this document"
    if fast is not None:
        slow = _slow(document, version)
        assert isinstance(slow, list), slow
        assert [_key(f) for f in fast] == [_key(f) for f in slow]
    return fast


def test_the_backend_is_the_one_mirrored() -> None:
    from openapi_spec_validator.schemas import get_validator_backend

    assert get_validator_backend() == "jsonschema-rs"


def test_documents_are_found() -> None:
    assert len(DOCUMENTS) > 100
    assert EV_SERVER in DOCUMENTS


@pytest.mark.parametrize("relative", DOCUMENTS)
def test_same_errors_as_openapi_spec_validator(relative: str) -> None:
    bundled = _bundled(relative)
    if bundled is not None:
        _assert_same(*bundled)


def test_the_ev_server_document_is_served_with_its_twelve_errors() -> None:
    bundled = _bundled(EV_SERVER)
    assert bundled is not None
    fast = _assert_same(*bundled, served=True)
    assert fast is not None and len(fast) == 12
    assert [f.kind for f in fast].count("UnresolvableParameterError") == 11


@pytest.mark.parametrize("relative", [EV_SERVER, "tests/bad_specs/wrong_typed_fields/openapi.yaml", "tests/data/corpus/apptigent.com.json"])
def test_the_loader_reports_the_same_problems_either_way(relative: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def problems() -> list[tuple[Any, ...]]:
        loaded = load_spec(REPO / relative, strict=False)
        return [(p.level, p.code, p.message, p.file, p.line, p.col, p.pointer) for p in loaded.problems]

    fast = problems()
    monkeypatch.setattr(fasterrors, "validator_errors", lambda document, version: None)
    slow = problems()
    assert fast == slow
    assert any(code == "openapi_invalid" for _, code, *_ in fast)


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
        },
        "/other": {"get": {"operationId": "other", "responses": {"200": {"description": "ok"}}}},
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


# Each kind of error openapi-spec-validator reports, in a document the fast path serves.
BROKEN = {
    "duplicate tag": ("/tags/1", {"name": "a"}),
    "duplicate parameter": ("/paths/~1things~1{id}/parameters", [_ID, _ID]),
    "default of the wrong type": ("/components/parameters/Limit/schema/default", "ten"),
    "default outside int32": ("/components/parameters/Limit/schema/default", 2**40),
    "default not in the enum": ("/components/schemas/Thing/properties/kind/default", "z"),
    "default not a date-time": ("/components/schemas/Thing/properties/when/default", "yesterday"),
    "object default with a wrong property": (
        "/components/schemas/Base/properties/id",
        {"type": "object", "properties": {"n": {"type": "integer"}}, "default": {"n": "x"}},
    ),
    "required property no branch declares": ("/components/schemas/Thing/required", ["id", "nowhere", "elsewhere"]),
    "pattern that is not a regex": ("/components/schemas/Thing/properties/code/pattern", "(["),
    "schema that is not a mapping": ("/components/schemas/Thing/properties/kind", 5),
    "top-level schema that is not a mapping": ("/components/schemas/Base", [1]),
    "schema keyword of the wrong type": ("/components/schemas/Base/type", 5),
    "boolean schema": ("/components/schemas/Base", True),
    "missing info": ("/info", None),
    "path parameter not declared": ("/paths/~1other~1{x}", {"get": {"responses": {"200": {"description": "ok"}}}}),
    "duplicate operation id": ("/paths/~1other/get/operationId", "getThing"),
    "operation that is not a mapping": ("/paths/~1other/get", 5),
    "wrong defaults under every keyword, in the validator's order": (
        "/components/schemas/Base",
        {
            "type": "object",
            "default": "not an object",
            **{k: [{"type": "integer", "default": k}] for k in ("allOf", "anyOf", "oneOf")},
            **{k: {"type": "integer", "default": k} for k in ("items", "not")},
            "properties": {"a": {"type": "integer", "default": "a"}, "b": {"type": "boolean", "default": "b"}},
        },
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
def test_each_kind_of_error_is_served_and_the_same(case: str, version: str) -> None:
    pointer, value = BROKEN[case]
    document = _set(_set(_BASE, pointer, value), "/openapi", version)
    if version == "3.1.0" and case == "boolean schema":
        document = _set(document, "/components/schemas/Base", {"type": "object", "default": 5})  # 3.1 allows True
    fast = _assert_same(document, version, served=True)
    assert fast, "the case must be an error for openapi-spec-validator"


@pytest.mark.parametrize(
    "pointer, value",
    [
        ("/components/schemas/Base/properties/id", {"$ref": "other.yaml#/Thing"}),
        ("/components/schemas/Base/properties/id", {"$ref": "#/components/schemas/Nowhere"}),
        ("/components/schemas/Base/properties/id", {"$id": "https://example.com/id", "type": "string"}),
        ("/components/schemas/Base/properties/id", {"type": "object", "properties": {"a": {"$ref": "#/components/schemas/Base"}}, "default": {"a": 5}}),
        ("/paths/~1other/get/parameters", [{"name": "q"}]),
        ("/tags/0", {"description": "no name"}),
    ],
)
def test_what_it_cannot_mirror_is_left_to_the_validator(pointer: str, value: Any) -> None:
    document = _set(_BASE, pointer, value)
    assert validator_errors(document, "3.0.3") is None


def test_a_configured_validator_is_left_to_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    document = _set(_BASE, "/tags/1", {"name": "a"})
    assert validator_errors(document, "3.0.3")
    monkeypatch.setenv("OPENAPI_SPEC_VALIDATOR_SCHEMA_VALIDATOR_BACKEND", "jsonschema")
    assert validator_errors(document, "3.0.3") is None


# Random breakages: a node replaced by one of these, a list item doubled or a key removed.
_VALUES: list[Any] = [
    5, "x", [], {}, None, True, 2.5, "/{x}", "{bad",
    {"type": "strin"}, {"type": "integer", "default": "abc"}, {"type": "string", "pattern": "(["},
    {"type": "string", "format": "date-time", "default": "yesterday"},
    {"allOf": [{"type": "object", "properties": {"a": {"type": "string"}}}], "required": ["a", "zz"]},
    {"type": "object", "properties": {"p": 5}}, {"oneOf": [{"type": "string"}, 5]}, {"not": {"type": "strin"}},
    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
    {"name": "q", "in": "query", "schema": {"type": "string", "enum": ["a"], "default": "b"}},
    {"type": "array", "items": [{"type": "string"}]}, {"type": "string", "nullable": True, "default": None},
    {"type": "object", "default": {"a": 1}, "properties": {"a": {"type": "string"}}},
    {"$ref": "#/nowhere"}, {"$ref": 5}, {"$ref": "#"}, {"anyOf": 5}, {"name": "a", "in": 5},
]


def _break(document: Any, rng: random.Random) -> Any:
    document = copy.deepcopy(document)
    for _ in range(rng.choice((1, 1, 2, 3))):
        places: list[tuple[Any, Any]] = []
        todo: list[Any] = [document]
        while todo:
            node = todo.pop()
            keys = list(node) if isinstance(node, dict) else range(len(node)) if isinstance(node, list) else []
            for key in keys:
                places.append((node, key))
                todo.append(node[key])
        parent, key = rng.choice(places)
        schemas = document.get("components", {}).get("schemas") if isinstance(document.get("components"), dict) else None
        roll = rng.random()
        if roll < 0.1 and isinstance(schemas, dict) and schemas:
            parent[key] = {"$ref": "#/components/schemas/" + rng.choice(sorted(schemas))}
        elif roll < 0.2 and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[key]))
        elif roll < 0.25 and isinstance(parent, dict):
            del parent[key]
        else:
            parent[key] = copy.deepcopy(rng.choice(_VALUES))
    return document


_FUZZ_SOURCES = ("tests/bad_specs/wrong_typed_fields/openapi.yaml", "tests/convert/cases/path_parameters.yaml", "tests/data/corpus/apptigent.com.json")


@pytest.mark.parametrize("seed", range(4))
def test_random_breakages_get_the_same_errors(seed: int) -> None:
    rng = random.Random(seed)
    sources = [(_BASE, "3.0.3"), (_set(_BASE, "/openapi", "3.1.0"), "3.1.0")]
    sources += [b for b in map(_bundled, _FUZZ_SOURCES) if b is not None]
    served = 0
    for _ in range(40):
        document, version = rng.choice(sources)
        broken = _break(document, rng)
        if _assert_same(broken, version) is not None:
            served += 1
    assert served >= 20  # most breakages are served, not left to the validator
