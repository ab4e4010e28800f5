"""Tolerant JSON reading (`generator.util.jsonc`): what Json.NET accepts in published connectors."""

from __future__ import annotations

import json

import pytest
from generator.util.jsonc import loads_tolerant, repair


def test_strict_json_is_left_alone() -> None:
    text = '{"a": [1, 2, {"b": "//not a comment, /* nor this */"}]}'
    assert repair(text) == (text, [])
    assert loads_tolerant(text) == (json.loads(text), text, [])


@pytest.mark.parametrize(
    ("text", "kinds", "expected"),
    [
        ('{"a": 1, // note\n "b": 2}', ["comment"], {"a": 1, "b": 2}),
        ('{"a": /* x */ 1}', ["comment"], {"a": 1}),
        ('{"a": [1, 2,],\n}', ["trailing_comma", "trailing_comma"], {"a": [1, 2]}),
        ('{"a": "x"\n "b": {"c": true}\n "d": null}', ["missing_comma", "missing_comma"], {"a": "x", "b": {"c": True}, "d": None}),
        ('{"a": {"b": [1', ["unclosed"], {"a": {"b": [1]}}),
    ],
)
def test_repairs(text: str, kinds: list[str], expected: object) -> None:
    data, repaired, repairs = loads_tolerant(text)
    assert data == expected
    assert [r.kind for r in repairs] == kinds
    assert repaired.count("\n") == text.count("\n")  # lines kept, so locations stay true


def test_repair_is_located_in_the_original() -> None:
    text = '{\n  "a": 1,\n  "b": 2,\n}'
    (only,) = repair(text)[1]
    assert (only.line, only.col, only.kind) == (3, 9, "trailing_comma")


def test_what_cannot_be_repaired_raises_located() -> None:
    with pytest.raises(json.JSONDecodeError) as info:
        loads_tolerant('{"a": 1,\n "b": }')
    assert info.value.lineno == 2
