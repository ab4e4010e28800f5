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


_KEYS_ONLY_CASES = [
    (b'{"a": {"$ref": "#/b"}, "b": {"type": "string"}}', True),
    (b'{"a": {"$ref" : "#/b"}, "b": {}}', True),
    (b'{"a": {"$ref": "other.json#/b"}}', True),  # a key, but not local: the bundler still searches
    (b'{"a": {"description": "see $ref: other.yaml"}}', False),
    (b'{"a": {"$ref": "#/x$ref"}}', False),
    (b'{"a": {"$ref": 5}}', False),
    (b'{"a": {"x$ref": "#/b"}}', False),
    (b'{"a": {"$ref": "#/b", "d": "a \\" quote"}}', False),  # an escape: the careful pattern, no shortcut
]


@pytest.mark.parametrize("text, keys_only", _KEYS_ONLY_CASES)
def test_ref_keys_only_is_set_only_when_every_ref_is_a_key(text: bytes, keys_only: bool) -> None:
    source = parse_source(text, Path("doc.json"), "doc.json", InputLimits())
    assert source.ref_keys_only is keys_only


@pytest.mark.parametrize("path", _CORPUS, ids=lambda p: p.name)
def test_ref_keys_only_spares_only_a_search_that_finds_nothing(path: Path) -> None:
    """The bundler skips its search for external refs when every ref is a key with a local value:
    on the corpus (and the cases above) the search then indeed finds nothing."""
    from generator.spec.refs import _EXTERNAL_REF

    source = load_source(path)
    if source.ref_keys_only and source.ref_values is not None and all(r.startswith("#") for r in source.ref_values):
        assert _EXTERNAL_REF.search(source.text) is None
    for text, _ in _KEYS_ONLY_CASES:
        case = parse_source(text, Path("doc.json"), "doc.json", InputLimits())
        if case.ref_keys_only and case.ref_values is not None and all(r.startswith("#") for r in case.ref_values):
            assert _EXTERNAL_REF.search(case.text) is None


_CHAIN_DOCUMENT = {
    "a": {"b": [{"c": 1}, {"$ref": "#/a/b/0"}]},
    "loop1": {"$ref": "#/loop2"},
    "loop2": {"$ref": "#/loop1"},
    "x~y": {"z": 1},
    "p%q": 2,
    "": {"e": 3},
}


@pytest.mark.parametrize(
    "ref",
    [
        "#/a", "#/a/b/0", "#/a/b/1", "#/a/b/2", "#/a/b/x", "#/a/b/0/c", "#/a/b/0/c/d", "#/nowhere", "#/loop1",
        "#/x~0y", "#/x~0y/z", "#/p%25q", "#/", "#", "#//e", "#/a/b/01", "#/a/b/-1",
    ],
)
def test_the_inline_chain_check_agrees_with_check_chain(ref: str) -> None:
    from generator.spec.refs import _Bundler
    from generator.spec.source import SourceFile

    root = SourceFile(Path("doc.json"), "doc.json", "{}", _CHAIN_DOCUMENT)
    fast = _Bundler(root, InputLimits())._local_chains_ok([ref])
    assert fast == _Bundler(root, InputLimits())._check_chain(root, ref, "")
