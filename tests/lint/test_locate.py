"""The JSON position scanner behind every finding's `file:line:col`, and the C# blanker of script rules."""

from __future__ import annotations

import json

from generator.lint.csharp import blank_code
from generator.lint.jsonlocate import JsonPositions

TEXT = """{
  "swagger": "2.0",
  "paths": {
    "/a/{id}": {"get": {"parameters": [{"name": "id"}, {"name": "x\\"y"}]}},
    "b~c": [1, [2, 3], {"d": null}]
  }
}
"""


def test_every_value_is_located_by_pointer() -> None:
    json.loads(TEXT)  # the fixture is strict JSON
    positions = JsonPositions(TEXT)
    assert positions.locate("/swagger") == (2, 14)
    assert positions.locate("/paths/~1a~1{id}/get/parameters/1/name") == (4, 65)
    assert positions.locate("/paths/b~0c/1/1") == (5, 20)
    assert positions.locate("/paths/b~0c/2/d") == (5, 30)
    assert positions.locate("/paths/b~0c/2/d", key=True) == (5, 25)


def test_missing_pointers_fall_back_to_the_nearest_ancestor_and_the_root_to_its_first_member() -> None:
    positions = JsonPositions(TEXT)
    assert positions.locate("/paths/nope/get") == positions.locate("/paths")
    assert positions.locate("") == positions.locate("#") == (2, 3)


def test_offsets_and_pointers_round_trip() -> None:
    positions = JsonPositions(TEXT)
    line, col = positions.locate("/paths/b~0c/1")
    assert positions.position(positions.offset(line, col)) == (line, col)
    assert positions.pointer_at(positions.offset(line, col)) == "/paths/b~0c/1"
    assert positions.pointer_at(positions.offset(line, col) + 1) == "/paths/b~0c/1/0"


def test_blank_code_keeps_offsets_and_hides_strings_and_comments() -> None:
    code = 'var a = "class X {"; // class Y\nvar b = @"p""q{"; char c = \'{\'; /* {\n*/ var d = $"{a}";\n'
    blanked = blank_code(code)
    assert len(blanked) == len(code) and blanked.count("\n") == code.count("\n")
    assert "class" not in blanked and "{" not in blanked
    assert blanked.index("var d") == code.index("var d")
