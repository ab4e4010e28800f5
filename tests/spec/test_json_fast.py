"""The msgspec fast path of JSON reading (`spec/source.py: _json_fast`) gives exactly what the
hooked `json.loads` gives (same values, same types, same `$ref` set), or steps aside (None) so the
hooked reader decides: duplicate keys, numbers it would refuse, escapes, deep nesting."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest
from generator.problems import ProblemError
from generator.spec.source import InputLimits, _json_fast, _json_loads, parse_source

_CORPUS = sorted((Path(__file__).parent.parent / "data" / "corpus").glob("*.json"))


def _hooked(text: str, limits: InputLimits) -> tuple[bytes, frozenset[str]]:
    refs: set[str] = set()
    data = _json_loads(text, limits, refs)
    return msgspec.json.encode(data), frozenset(refs)  # (the encoding tells 1 from 1.0 from True)


@pytest.mark.parametrize("path", _CORPUS, ids=lambda p: p.name)
def test_the_corpus_reads_the_same(path: Path) -> None:
    text = path.read_text(encoding="utf-8-sig")
    fast = _json_fast(text, InputLimits())
    if fast is not None:
        assert (msgspec.json.encode(fast[0]), fast[1]) == _hooked(text, InputLimits())


def test_the_fast_path_serves_most_of_the_corpus() -> None:
    served = sum(_json_fast(p.read_text(encoding="utf-8-sig"), InputLimits()) is not None for p in _CORPUS)
    assert served > len(_CORPUS) // 2


READ_FAST = [
    '{"a": 1, "b": 1.0, "c": true, "d": null, "e": [0.1, -0.0, 22.5], "f": "x\\ny\\"z"}',
    '{"$ref": "#/x", "b": {"$ref": "#/y"}, "c": [{"$ref": 3}], "d": {"example": {"$ref": "#/z"}}}',
    '{"big": 123456789012345678901234567890}',
    '[{"a": "é ü"}, [], {}]',
]


@pytest.mark.parametrize("text", READ_FAST)
def test_plain_documents_take_the_fast_path(text: str) -> None:
    fast = _json_fast(text, InputLimits())
    assert fast is not None
    assert (msgspec.json.encode(fast[0]), fast[1]) == _hooked(text, InputLimits())


LEFT_TO_THE_HOOKS = {
    "duplicate key": '{"a": 1, "a": 2}',
    "duplicate key, same value": '{"a": {"b": 1, "b": 1}}',
    "NaN": '{"a": NaN}',
    "out-of-range number": '{"a": 1e400}',
    "integer longer than max_int_digits": '{"a": ' + "1" * 101 + "}",
    "exponent written out": '{"a": 1e5}',
    "non-shortest float": '{"a": 0.30000000000000001}',
    "negative zero integer": '{"a": -0}',
    "unicode escape": '{"a": "\\u00e9"}',
    "lone surrogate": '{"a": "\\ud800"}',
    "escaped slash": '{"a": "\\/"}',
    "escape in a $ref": '{"$ref": "#/a\\"b"}',
    "escaped $ref key": '{"\\u0024ref": "#/x"}',
    "raw control character": '{"a": "\x01"}',
    "trailing text": '{"a": 1} x',
    "too deep": "[" * 250 + "]" * 250,
}


@pytest.mark.parametrize("case", sorted(LEFT_TO_THE_HOOKS))
def test_anything_unsure_is_left_to_the_hooked_reader(case: str) -> None:
    assert _json_fast(LEFT_TO_THE_HOOKS[case], InputLimits()) is None


def test_the_integer_bound_follows_the_limit() -> None:
    text = '{"a": 123456}'
    assert _json_fast(text, InputLimits(max_int_digits=6)) is not None
    assert _json_fast(text, InputLimits(max_int_digits=5)) is None
    with pytest.raises(ProblemError) as caught:
        parse_source(text.encode(), Path("doc.json"), "doc.json", InputLimits(max_int_digits=5))
    assert caught.value.problems[0].code == "number_out_of_range"


def test_duplicate_keys_are_still_located_errors() -> None:
    with pytest.raises(ProblemError) as caught:
        parse_source(b'{\n  "a": 1,\n  "a": 2\n}\n', Path("doc.json"), "doc.json", InputLimits())
    problem = caught.value.problems[0]
    assert (problem.code, problem.line) == ("json_duplicate_key", 3)


def test_depth_within_the_limit_reads_and_beyond_is_refused() -> None:
    limits = InputLimits(max_depth=50)
    inside = '{"a": ' * 40 + "1" + "}" * 40
    # read whichever reader takes it (the fast one may decline under another test's global state)
    assert parse_source(inside.encode(), Path("doc.json"), "doc.json", limits) is not None
    with pytest.raises(ProblemError) as caught:
        parse_source(("[" * 60 + "]" * 60).encode(), Path("doc.json"), "doc.json", limits)
    assert caught.value.problems[0].code == "nesting_too_deep"
