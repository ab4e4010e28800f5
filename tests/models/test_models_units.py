"""Unit tests of the models target's own steps: document preparation, post-processing, package text."""

from __future__ import annotations

import ast
from typing import Any

import pytest
from generator.targets.models.document import (
    Binding,
    VariantBinding,
    _bind_operation,
    _Hoister,
    _open_objects,
    _split_nullable_enums,
)
from generator.targets.models.package import init_source, operations_source
from generator.targets.models.postprocess import add_dunder_all, model_classes


def test_nullable_enum_split_everywhere() -> None:
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {
            "tags": {"type": "array", "items": {"type": ["string", "null"], "enum": ["a", None]}},
            "level": {"description": "d", "default": None, "type": ["integer", "string", "null"], "enum": [1, "x", None]},
            "plain": {"type": "string", "enum": ["a"]},
        },
    }
    out = _split_nullable_enums(schema)
    assert out["properties"]["tags"]["items"] == {"anyOf": [{"type": "string", "enum": ["a"]}, {"type": "null"}]}
    level = out["properties"]["level"]
    assert level == {"description": "d", "default": None, "anyOf": [{"type": ["integer", "string"], "enum": [1, "x"]}, {"type": "null"}]}
    assert out["properties"]["plain"] == {"type": "string", "enum": ["a"]}
    assert schema["properties"]["tags"]["items"]["enum"] == ["a", None]  # the input is not modified


def test_open_objects_makes_the_default_explicit_only() -> None:
    schemas: list[Any] = [
        {"type": "object", "properties": {"inner": {"type": "object"}, "list": {"type": "array", "items": {"properties": {}}}}},
        {"type": "object", "additionalProperties": False},
        {"type": "object", "additionalProperties": {"type": "number"}},
        {"$ref": "#/components/schemas/X"},
        {"oneOf": [{"type": "object"}, {"type": "string"}]},
    ]
    _open_objects(schemas)
    assert schemas[0]["additionalProperties"] is True
    assert schemas[0]["properties"]["inner"]["additionalProperties"] is True
    assert schemas[0]["properties"]["list"]["items"]["additionalProperties"] is True
    assert schemas[1]["additionalProperties"] is False
    assert schemas[2]["additionalProperties"] == {"type": "number"}
    assert schemas[3] == {"$ref": "#/components/schemas/X"}
    assert schemas[4]["oneOf"] == [{"type": "object", "additionalProperties": True}, {"type": "string"}]


def test_hoister_names() -> None:
    schemas: dict[str, Any] = {"Thing": {"type": "object"}, "MakeRequest": {"type": "object"}}
    hoister = _Hoister(schemas)
    assert hoister.bind({"$ref": "#/components/schemas/Thing", "description": "d"}, "MakeResponse") == "Thing"
    assert hoister.bind({"type": "array", "items": {"type": "string"}}, "MakeRequest") == "MakeRequest2"
    assert hoister.bind({"type": "array", "items": {"type": "string"}}, "OtherRequest") == "MakeRequest2"  # same schema
    assert hoister.bind({"type": "integer"}, "MakeRequest") == "MakeRequest3"
    # A $ref with siblings that change its meaning is a new schema.
    assert hoister.bind({"$ref": "#/components/schemas/Thing", "maxProperties": 1}, "Narrow") == "Narrow"


def test_bind_operation_names_statuses() -> None:
    inline = {"type": "object", "properties": {"n": {"type": "integer"}}}
    op = {
        "operationId": "Make",
        "requestBody": {"content": {"application/json": {"schema": {"type": "string"}}, "text/plain": {"schema": {"type": "string"}}}},
        "responses": {
            "200": {"content": {"application/json": {"schema": inline}}},
            "202": {"content": {"application/json": {"schema": {"type": "object", "required": ["id"]}}}},
            "4XX": {"content": {"application/problem+json": {"schema": {"type": "object", "required": ["title"]}}}},
            "default": {"content": {"application/json": {"schema": {"type": "object", "required": ["code"]}}}},
            "204": {"description": "no body"},
        },
    }
    schemas: dict[str, Any] = {}
    bindings: list[Binding] = []
    _bind_operation(op, "operation", "/paths/~1make/post", _Hoister(schemas), bindings)
    assert [(b.status, b.content_type, b.schema_name) for b in bindings] == [
        ("", "application/json", "MakeRequest"),
        ("200", "application/json", "MakeResponse"),
        ("202", "application/json", "MakeResponse202"),
        ("4XX", "application/problem+json", "MakeResponse4xx"),
        ("default", "application/json", "MakeResponseDefault"),
    ]
    assert bindings[3].pointer == "/paths/~1make/post/responses/4XX/content/application~1problem+json"
    assert set(schemas) == {b.schema_name for b in bindings}


_GENERATED = '''# header

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel


class Color(StrEnum):
    RED = "red"


@some_decorator
class Thing(BaseModel):
    color: Color
'''


def test_add_dunder_all_before_the_first_class() -> None:
    tree = ast.parse(_GENERATED)
    assert [(c.name, c.is_enum) for c in model_classes(tree)] == [("Color", True), ("Thing", False)]
    out = add_dunder_all(_GENERATED, tree)
    assert '\n\n__all__ = [\n    "Color",\n    "Thing",\n]\n\n\nclass Color(StrEnum):' in out
    assert ast.literal_eval(ast.parse(out).body[3].value) == ["Color", "Thing"]  # type: ignore[attr-defined]
    with pytest.raises(ValueError, match="__all__"):
        add_dunder_all(out, ast.parse(out))


def test_package_sources_compile_and_wrap_long_lines() -> None:
    long_name = "A" * 80
    bindings = [
        Binding("Op", "", "application/json", "Req", "operation", ""),
        Binding("Op", "200", "application/json", long_name, "operation", ""),
    ]
    variants = [VariantBinding("Part", "Op", "Req", "", "")]
    text = operations_source("# h", "T", bindings, variants)
    compile(text, "operations.py", "exec")
    assert 'Body("Op", "", "application/json", "operation", models.Req),' in text
    assert f"        models.{long_name},\n" in text  # the long entry is split one argument per line
    assert 'Variant("Part", "Op", models.Req, None),' in text
    assert max(len(line) for line in text.splitlines()[1:]) <= 110
    init = init_source("# h", "T", ["Req", long_name])
    compile(init, "__init__.py", "exec")
    assert "from .models import (\n    Req,\n" in init
    assert init.endswith(f'__all__ = [\n    "Req",\n    "{long_name}",\n]\n')
