"""The `$ref` set gathered while parsing JSON equals the bundler's own walk over the data."""

from __future__ import annotations

from pathlib import Path

import pytest
from generator.spec.refs import _ref_values
from generator.spec.source import InputLimits, load_source, parse_source

_CORPUS = sorted((Path(__file__).parent.parent / "data" / "corpus").glob("*.json"))


@pytest.mark.parametrize("path", _CORPUS, ids=lambda p: p.name)
def test_gathered_refs_equal_the_walk(path: Path) -> None:
    source = load_source(path)
    assert source.ref_values is not None
    assert source.ref_values == _ref_values(source.data)


def test_refs_in_examples_and_non_string_refs() -> None:
    text = b'{"a": {"$ref": "#/x"}, "b": [{"$ref": "#/y"}, {"$ref": 3}], "c": {"example": {"$ref": "#/z"}}}'
    source = parse_source(text, Path("doc.json"), "doc.json", InputLimits())
    assert source.ref_values == frozenset({"#/x", "#/y", "#/z"}) == _ref_values(source.data)


def test_yaml_leaves_the_walk_to_the_bundler() -> None:
    source = parse_source(b"a:\n  $ref: '#/x'\n", Path("doc.yaml"), "doc.yaml", InputLimits())
    assert source.ref_values is None
    assert _ref_values(source.data) == {"#/x"}
