"""The mock's format and pattern checks agree with jsonschema-rs, the validator schemathesis uses to
decide what is invalid data: a disagreement either lets invalid data through or refuses valid data."""

from __future__ import annotations

from typing import Any

import pytest
from generator.mock.formats import FORMAT_CHECKS, INTEGER_FORMATS, ecma_regex
from generator.mock.schema import SchemaSet, fast_check
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

jsonschema_rs = pytest.importorskip("jsonschema_rs")

CASES = {
    "date-time": [
        "2023-01-01T00:00:00Z",
        "2023-01-01t00:00:00z",
        "2023-06-30T23:59:60Z",
        "2023-01-01T00:59:60+01:00",
        "2023-01-01T00:00:60Z",
        "2023-02-29T00:00:00Z",
        "2024-02-29T00:00:00.123+05:30",
        "2023-01-01 00:00:00Z",
        "2023-01-01T00:00:00",
        "2023-01-01T24:00:00Z",
        "2023-01-01T00:00:00+01:60",
        "2023-01-01T00:00:00.Z",
    ],
    "date": ["2024-02-29", "2023-02-29", "2023-1-01", "2023-13-01"],
    "email": [
        "a@b",
        "a@b.c",
        '"a b"@c.d',
        "a@[127.0.0.1]",
        "a@[IPv6:::1]",
        "a..b@c.d",
        ".a@b.c",
        "a@b..c",
        "a@-b.c",
        "a@b_c.d",
        "é@b.c",
        "a" * 65 + "@b.c",
        "a@ab--c.d",
        "a@xn--bcher-kva.de",
        "a@xn--abc.de",
        "a@b.XN--VERMGENSBERATER-CTB",
    ],
    "uri": [
        "a:b",
        "http://x",
        "http://x y",
        "//x",
        "x",
        "http://[::1]/",
        "http://%zz",
        "a:%41",
        "ftp://a/b?c#d",
        "http://é.com",
        "1a:b",
        "http://u:p@h:80/p?q#f",
        "http://[v1.x]/",
        "http://h:8a/",
    ],
}
URI_ALPHABET = "abAZ09:/?#[]@!$&'()*+,;=-._~% é\n"
DATE_TIME_ALPHABET = "0123456789-:TtZz+.,"
EMAIL_ALPHABET = 'abZ09.@"[]\\ -_!#+:é'


def _rs(fmt: str) -> Any:
    return jsonschema_rs.Draft202012Validator({"format": fmt}, validate_formats=True)


@pytest.mark.parametrize(("fmt", "value"), [(fmt, value) for fmt, values in CASES.items() for value in values])
def test_known_cases_agree_with_jsonschema_rs(fmt: str, value: str) -> None:
    assert FORMAT_CHECKS[fmt](value) == _rs(fmt).is_valid(value)


@pytest.mark.parametrize(("fmt", "alphabet"), [("uri", URI_ALPHABET), ("date-time", DATE_TIME_ALPHABET), ("email", EMAIL_ALPHABET)])
def test_random_strings_agree_with_jsonschema_rs(fmt: str, alphabet: str) -> None:
    reference = _rs(fmt)

    @settings(max_examples=400, database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.text(alphabet=alphabet, max_size=24))
    def check(value: str) -> None:
        assert FORMAT_CHECKS[fmt](value) == reference.is_valid(value), value

    check()


@pytest.mark.parametrize("pattern", [r"^[SABD](\|[SABD])*$", r"^[0-9]{2}:[0-5][0-9]:[0-5][0-9]$", r"^\d+$", r"[$]x$"])
@pytest.mark.parametrize("value", ["S", "S\n", "S|A", "12:00:00", "12:00:00\n", "١٢", "12", "$x", "$x\n"])
def test_patterns_follow_ecma_262(pattern: str, value: str) -> None:
    expected = jsonschema_rs.Draft202012Validator({"pattern": pattern}).is_valid(value)
    assert bool(ecma_regex(pattern).search(value)) == expected


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "string", "minLength": 1, "maxLength": 3},
        {"type": "integer", "minimum": 0, "format": "int64"},
        {"type": "integer", "format": "int32", "exclusiveMinimum": 0},
        {"type": "number", "maximum": 90},
        {"type": "string", "enum": ["staging"]},
        {"type": "string", "format": "date-time"},
        {"type": "boolean"},
        {"type": "string", "pattern": "^[IWE](\\|[IWE])*$"},
    ],
)
@pytest.mark.parametrize("value", ["", "ab", "abcd", "staging", "I|W", "2024-01-01T00:00:00Z", 0, 1, -1, 2**31, 2**63, 90, 90.5, True, None])
def test_fast_check_never_accepts_what_the_full_validator_refuses(schema: dict[str, Any], value: object) -> None:
    fast = fast_check(schema)
    assert fast is not None
    full = SchemaSet({}).validator(schema)
    if fast(value):
        assert full.is_valid(value)
    if schema.get("format") not in INTEGER_FORMATS:  # integer widths: schemathesis's bounds, not a JSON Schema format
        assert full.is_valid(value) == jsonschema_rs.Draft202012Validator(schema, validate_formats=True).is_valid(value)
