"""Work done once for what many places share (generator/convert: `Context.memo`, the repair pass's
fit memo): the output is the same as converting each place on its own, every place gets its own
containers, and a shared component's losses are reported once, at the component."""

from __future__ import annotations

from typing import Any

from generator.convert import ConvertOptions, convert
from generator.convert.context import fresh
from generator.ir.build import build_api
from generator.targets.powerplatform.profile import POWERPLATFORM


def _op(op_id: str) -> dict[str, Any]:
    return {
        "operationId": op_id,
        "parameters": [{"$ref": "#/components/parameters/Limit"}],
        "responses": {
            "200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}},
            "404": {"$ref": "#/components/responses/NotFound"},
        },
    }


DOC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "T", "version": "1"},
    "servers": [{"url": "https://api.example.com/v1"}],
    "paths": {"/a": {"get": _op("listA")}, "/b": {"get": _op("listB")}, "/c": {"post": _op("makeC")}},
    "components": {
        "parameters": {
            "Limit": {
                "name": "limit",
                "in": "query",
                "deprecated": True,  # a loss, reported at the component
                "schema": {"type": "integer", "format": "int32", "minimum": 1, "default": 20},
            }
        },
        "responses": {
            "NotFound": {
                "description": "Not found.",
                "headers": {
                    "X-Request-Id": {"schema": {"type": "string"}},
                    "Content-Type": {"schema": {"type": "string"}},  # a loss, reported at the component
                },
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
            }
        },
        "schemas": {
            "Error": {
                "type": "object",
                "properties": {
                    # `True == 1` and hash alike: the repair memo must not take one for the other.
                    "flag": {"maximum": 0, "default": True},
                    "count": {"maximum": 0, "default": 1},
                    "again": {"maximum": 0, "default": True},
                },
            }
        },
    },
}


def _swagger(options: ConvertOptions | None = None) -> tuple[dict[str, Any], list[Any]]:
    result = convert(build_api(DOC, "shared.json"), options or ConvertOptions())
    return result.swagger, result.losses


def test_shared_response_and_parameter_written_alike_in_containers_of_their_own() -> None:
    swagger, _ = _swagger()
    ops = [swagger["paths"]["/a"]["get"], swagger["paths"]["/b"]["get"], swagger["paths"]["/c"]["post"]]
    first, *others = ops
    assert first["responses"]["404"] == {
        "description": "Not found.",
        "schema": {"$ref": "#/definitions/Error"},
        "headers": {"X-Request-Id": {"type": "string"}},
    }
    assert first["parameters"] == [
        {"name": "limit", "in": "query", "type": "integer", "format": "int32", "default": 20, "minimum": 1}
    ]
    for op in others:
        assert op["responses"]["404"] == first["responses"]["404"]
        assert op["parameters"] == first["parameters"]
        assert op["responses"]["404"] is not first["responses"]["404"]
        assert op["responses"]["404"]["headers"] is not first["responses"]["404"]["headers"]
        assert op["responses"]["404"]["schema"] is not first["responses"]["404"]["schema"]
        assert op["parameters"][0] is not first["parameters"][0]
    first["responses"]["404"]["headers"]["Location"] = {"type": "string"}  # a later touch on one place
    assert all("Location" not in op["responses"]["404"]["headers"] for op in others)


def test_shared_component_losses_once_at_the_component() -> None:
    _, losses = _swagger()
    pointers = [(p.code, p.pointer) for p in losses]
    assert pointers.count(("parameter_deprecated_dropped", "/components/parameters/Limit")) == 1
    assert pointers.count(("header_dropped", "/components/responses/NotFound/headers/Content-Type")) == 1
    assert not [p for p in losses if p.pointer.startswith("/paths/") and "Limit" in p.message]


def test_repair_memo_tells_true_from_one() -> None:
    swagger, losses = _swagger()
    props = swagger["definitions"]["Error"]["properties"]
    assert props["flag"] == {"maximum": 0, "default": True}  # not a number: `maximum` says nothing
    assert props["again"] == {"maximum": 0, "default": True}
    assert props["count"] == {"maximum": 0}  # 1 > 0: dropped
    assert [p.pointer for p in losses if p.code == "default_dropped"] == [
        "/components/schemas/Error/properties/count/default"
    ]


def test_powerplatform_touches_each_operation_parameter_on_its_own() -> None:
    options = ConvertOptions(
        profile=POWERPLATFORM, operation_parameter_visibility={"listB": {"limit": "advanced"}}
    )
    swagger, _ = _swagger(options)
    a = swagger["paths"]["/a"]["get"]["parameters"][0]
    b = swagger["paths"]["/b"]["get"]["parameters"][0]
    assert b.get("x-ms-visibility") == "advanced"
    assert "x-ms-visibility" not in a
    assert a["x-ms-summary"] == b["x-ms-summary"] == "Limit"


def test_fresh_copies_every_container_and_shares_the_leaves() -> None:
    leaf = object()
    value = {"a": [1, {"b": leaf}], "c": {"d": []}}
    copy = fresh(value)
    assert copy == value
    assert copy is not value and copy["a"] is not value["a"] and copy["a"][1] is not value["a"][1]
    assert copy["c"]["d"] is not value["c"]["d"]
    assert copy["a"][1]["b"] is leaf
    assert fresh(None) is None
