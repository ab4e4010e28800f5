"""generator/spec/source.py: YAML 1.2 core schema, JSON fast path, located parse errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from generator.problems import ProblemError
from generator.spec.source import load_source


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_yaml_reads_with_the_core_schema(tmp_path: Path) -> None:
    data = load_source(_write(tmp_path, "a.yaml", "a: yes\nb: 2024-01-01\nc: 0x1F\nd: 1.5\ne: ~\n")).data
    assert data == {"a": "yes", "b": "2024-01-01", "c": 31, "d": 1.5, "e": None}


def test_json_and_yaml_give_the_same_data(tmp_path: Path) -> None:
    as_json = load_source(_write(tmp_path, "a.json", '{"x": [1, "two", {"y": null}]}')).data
    as_yaml = load_source(_write(tmp_path, "a.yaml", "x:\n  - 1\n  - two\n  - y: null\n")).data
    assert as_json == as_yaml


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_json_nan_and_infinity_are_located_errors(tmp_path: Path, literal: str) -> None:
    text = '{\n  "description": "NaN is fine in a string",\n  "x": [1, ' + literal + "]\n}"
    with pytest.raises(ProblemError) as raised:
        load_source(_write(tmp_path, "a.json", text), "a.json")
    (problem,) = raised.value.problems
    assert (problem.code, problem.line) == ("non_finite_number", 3)
    assert problem.col == text.splitlines()[2].index(literal) + 1


@pytest.mark.parametrize("literal", [".inf", "-.Inf", ".nan"])
def test_yaml_nan_and_infinity_are_errors_at_their_pointer(tmp_path: Path, literal: str) -> None:
    with pytest.raises(ProblemError) as raised:
        load_source(_write(tmp_path, "a.yaml", f"a:\n  b: [1, {literal}]\n"), "a.yaml")
    (problem,) = raised.value.problems
    assert (problem.code, problem.pointer, problem.line) == ("non_finite_number", "/a/b/1", 2)


def test_duplicate_yaml_keys_are_reported(tmp_path: Path) -> None:
    with pytest.raises(ProblemError) as raised:
        load_source(_write(tmp_path, "a.yaml", "a: 1\nb: 2\na: 3\n"), "a.yaml")
    assert [(p.code, p.line, p.pointer) for p in raised.value.problems] == [("yaml_duplicate_key", 3, "/a")]
