"""Mutation table over published connectors (tests/data/calibration, see its SOURCE.md): each breaking
mutation is reported with its code and pointer; each compatible one is not reported as breaking."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from generator.diff import Kind, Side, compare, load_side
from generator.diff.walk import OpInfo, operations, resolve
from generator.util.pointer import escape_pointer

CALIBRATION = Path(__file__).resolve().parents[1] / "data" / "calibration" / "connectors"
CONNECTORS = {
    "Calendly": CALIBRATION / "certified-connectors" / "Calendly",  # webhook triggers, OAuth
    "DocuSign": CALIBRATION / "certified-connectors" / "DocuSign",  # enums, bodies, polling triggers
    "Airmeet": CALIBRATION / "certified-connectors" / "Airmeet",  # basic auth, trigger
    "Oneflow": CALIBRATION / "certified-connectors" / "Oneflow",  # API key, connection parameters
}

Expected = tuple[str, str]  # (code, the change's pointer)
Mutation = Callable[[dict[str, Any], dict[str, Any] | None], Expected | None]


def _ops(doc: dict[str, Any]) -> Iterator[OpInfo]:
    yield from operations(doc).values()


def _params(doc: dict[str, Any], info: OpInfo) -> Iterator[tuple[dict[str, Any], str]]:
    for i, raw in enumerate(info.op.get("parameters", [])):
        param, pointer, _ = resolve(doc, raw, f"{info.pointer}/parameters/{i}")
        if isinstance(param, dict) and "$ref" not in raw:
            yield param, pointer


def _output(doc: dict[str, Any], info: OpInfo) -> tuple[dict[str, Any], str] | None:
    """An object schema with properties in the operation's 200 response (followed through refs)."""
    response = info.op.get("responses", {}).get("200")
    if not isinstance(response, dict) or "$ref" in response or not isinstance(response.get("schema"), dict):
        return None
    schema, pointer, _ = resolve(doc, response["schema"], f"{info.pointer}/responses/200/schema")
    if isinstance(schema, dict) and schema.get("type") == "array" and isinstance(schema.get("items"), dict):
        schema, pointer, _ = resolve(doc, schema["items"], pointer + "/items")
    if isinstance(schema, dict) and isinstance(schema.get("properties"), dict) and schema["properties"]:
        return schema, pointer
    return None


def _plain_actions(doc: dict[str, Any]) -> Iterator[OpInfo]:
    for info in _ops(doc):
        if not info.op.get("x-ms-trigger") and info.op.get("x-ms-visibility") != "internal":
            yield info


# -- breaking mutations ------------------------------------------------------------------------------------
def delete_operation(doc: dict[str, Any], props: dict[str, Any] | None) -> Expected | None:
    info = next(_plain_actions(doc))
    del doc["paths"][info.path][info.method]
    return "operation_deleted", info.pointer


def rename_operation(doc: dict[str, Any], props: dict[str, Any] | None) -> Expected | None:
    info = next(_plain_actions(doc))
    info.op["operationId"] = info.key + "V2"
    return "operation_deleted", info.pointer


def hide_operation(doc: dict[str, Any], props: dict[str, Any] | None) -> Expected | None:
    info = next(_plain_actions(doc))
    info.op["x-ms-visibility"] = "internal"
    return "operation_hidden", info.pointer


def change_path(doc: dict[str, Any], props: dict[str, Any] | None) -> Expected | None:
    info = next(_plain_actions(doc))
    item = doc["paths"][info.path]
    doc["paths"].setdefault(info.path.rstrip("/") + "/moved", {})[info.method] = item.pop(info.method)
    return "path_template_changed", info.pointer


def add_required_parameter(doc: dict[str, Any], props: dict[str, Any] | None) -> Expected | None:
    info = next(_plain_actions(doc))
    params = info.op.setdefault("parameters", [])
    params.append({"name": "mutationRequired", "in": "query", "type": "string", "required": True})
    return "required_input_added", f"{info.pointer}/parameters/{len(params) - 1}"


def _optional_query(doc: dict[str, Any]) -> tuple[dict[str, Any], str] | None:
    for info in _plain_actions(doc):
        for param, pointer in _params(doc, info):
            if param.get("in") == "query" and not param.get("required") and param.get("type") == "string" and "enum" not in param:
                return param, pointer
    return None


def make_parameter_required(doc: dict[str, Any], props: dict[str, Any] | None) -> Expected | None:
    found = _optional_query(doc)
    if found is None:
        return None
    found[0]["required"] = True
    return "input_became_required", found[1]


def move_parameter(doc: dict[str, Any], props: dict[str, Any] | None) -> Expected | None:
    found = _optional_query(doc)
    if found is None:
        return None
    found[0]["in"] = "header"
    return "input_location_changed", found[1] + "/in"


def retype_parameter(doc: dict[str, Any], props: dict[str, Any] | None) -> Expected | None:
    found = _optional_query(doc)
    if found is None:
        return None
    found[0]["type"] = "integer"
    return "input_type_changed", found[1]


def remove_enum_value(doc: dict[str, Any], props: dict[str, Any] | None) -> Expected | None:
    for info in _plain_actions(doc):
        for param, pointer in _params(doc, info):
            if isinstance(param.get("enum"), list) and len(param["enum"]) > 1:
                param["enum"] = param["enum"][:-1]
                return "input_enum_value_removed", pointer + "/enum"
    return None


def delete_output(doc: dict[str, Any], props: dict[str, Any] | None) -> Expected | None:
    for info in _plain_actions(doc):
        found = _output(doc, info)
        if found:
            name = next(iter(found[0]["properties"]))
            del found[0]["properties"][name]
            return "output_deleted", f"{found[1]}/properties/{escape_pointer(name)}"
    return None


def retype_output(doc: dict[str, Any], props: dict[str, Any] | None) -> Expected | None:
    for info in _plain_actions(doc):
        found = _output(doc, info)
        if found:
            for name, value in found[0]["properties"].items():
                if isinstance(value, dict) and value.get("type") == "string":
                    value["type"] = "integer"
                    return "output_type_changed", f"{found[1]}/properties/{escape_pointer(name)}"
    return None


def reformat_output(doc: dict[str, Any], props: dict[str, Any] | None) -> Expected | None:
    for info in _plain_actions(doc):
        found = _output(doc, info)
        if found:
            for name, value in found[0]["properties"].items():
                if isinstance(value, dict) and value.get("type") == "string" and "format" not in value:
                    value["format"] = "date-time"
                    return "output_format_changed", f"{found[1]}/properties/{escape_pointer(name)}"
    return None


def change_trigger_type(doc: dict[str, Any], props: dict[str, Any] | None) -> Expected | None:
    for info in _ops(doc):
        if info.op.get("x-ms-trigger"):
            info.op["x-ms-trigger"] = "batch" if info.op["x-ms-trigger"] == "single" else "single"
            return "trigger_type_changed", info.pointer
    return None


def change_trigger_response(doc: dict[str, Any], props: dict[str, Any] | None) -> Expected | None:
    for info in _ops(doc):
        content = info.item.get("x-ms-notification-content")
        if info.op.get("x-ms-trigger") and isinstance(content, dict) and isinstance(content.get("schema"), dict):
            schema, pointer, _ = resolve(doc, content["schema"], info.pointer.rsplit("/", 1)[0] + "/x-ms-notification-content/schema")
            if isinstance(schema, dict) and schema.get("properties"):
                name = next(iter(schema["properties"]))
                del schema["properties"][name]
                return "trigger_response_changed", f"{pointer}/properties/{escape_pointer(name)}"
    return None


def remove_connection_parameter(doc: dict[str, Any], props: dict[str, Any] | None) -> Expected | None:
    params = (props or {}).get("connectionParameters")
    if not isinstance(params, dict) or not params:
        return None
    name = next(iter(params))
    del params[name]
    return "connection_parameter_deleted", f"/properties/connectionParameters/{escape_pointer(name)}"


def change_auth_type(doc: dict[str, Any], props: dict[str, Any] | None) -> Expected | None:
    defs = doc.get("securityDefinitions")
    if not isinstance(defs, dict) or not defs:
        return None
    scheme = next(iter(defs.values()))
    was = scheme.get("type")
    scheme.clear()
    scheme.update({"type": "basic"} if was != "basic" else {"type": "apiKey", "in": "header", "name": "X-Key"})
    return "auth_type_changed", "/securityDefinitions"


def change_base_path(doc: dict[str, Any], props: dict[str, Any] | None) -> Expected | None:
    info = next(_plain_actions(doc))
    doc["basePath"] = str(doc.get("basePath") or "/").rstrip("/") + "/moved"
    return "request_url_changed", info.pointer


def delete_parameter(doc: dict[str, Any], props: dict[str, Any] | None) -> Expected | None:
    for info in _plain_actions(doc):
        for i, raw in enumerate(info.op.get("parameters", [])):
            if isinstance(raw, dict) and "$ref" not in raw and raw.get("in") != "body":
                del info.op["parameters"][i]
                return "input_deleted", f"{info.pointer}/parameters/{i}"
    return None


def change_method(doc: dict[str, Any], props: dict[str, Any] | None) -> Expected | None:
    for info in _plain_actions(doc):
        if info.method == "get" and "post" not in doc["paths"][info.path]:
            doc["paths"][info.path]["post"] = doc["paths"][info.path].pop("get")
            return "method_changed", info.pointer
    return None


def add_required_body_field(doc: dict[str, Any], props: dict[str, Any] | None) -> Expected | None:
    for info in _plain_actions(doc):
        for i, raw in enumerate(info.op.get("parameters", [])):
            if isinstance(raw, dict) and raw.get("in") == "body" and isinstance(raw.get("schema"), dict):
                schema, pointer, _ = resolve(doc, raw["schema"], f"{info.pointer}/parameters/{i}/schema")
                if isinstance(schema, dict) and isinstance(schema.get("properties"), dict):
                    schema["properties"]["mutationRequired"] = {"type": "string"}
                    schema["required"] = [*schema.get("required", []), "mutationRequired"]
                    return "required_input_added", f"{pointer}/properties/mutationRequired"
    return None


def reformat_parameter(doc: dict[str, Any], props: dict[str, Any] | None) -> Expected | None:
    found = _optional_query(doc)
    if found is None or "format" in found[0]:
        return None
    found[0]["format"] = "date-time"
    return "input_format_changed", found[1]


def retype_connection_parameter(doc: dict[str, Any], props: dict[str, Any] | None) -> Expected | None:
    params = (props or {}).get("connectionParameters")
    for name, value in params.items() if isinstance(params, dict) else ():
        if isinstance(value, dict) and value.get("type") in ("string", "securestring"):
            value["type"] = "securestring" if value["type"] == "string" else "string"
            return "connection_parameter_type_changed", f"/properties/connectionParameters/{escape_pointer(name)}"
    return None


BREAKING: dict[str, Mutation] = {f.__name__: f for f in (
    change_base_path, delete_parameter, change_method, add_required_body_field, reformat_parameter, retype_connection_parameter,
    delete_operation, rename_operation, hide_operation, change_path, add_required_parameter, make_parameter_required,
    move_parameter, retype_parameter, remove_enum_value, delete_output, retype_output, reformat_output,
    change_trigger_type, change_trigger_response, remove_connection_parameter, change_auth_type,
)}


# -- compatible mutations ----------------------------------------------------------------------------------
def add_optional_parameter(doc: dict[str, Any], props: dict[str, Any] | None) -> Expected | None:
    info = next(_plain_actions(doc))
    info.op.setdefault("parameters", []).append({"name": "mutationOptional", "in": "query", "type": "string", "required": False})
    return "optional_input_added", ""


def add_operation(doc: dict[str, Any], props: dict[str, Any] | None) -> Expected | None:
    doc["paths"]["/mutation/new"] = {"get": {"operationId": "MutationNew", "summary": "New action", "responses": {"200": {"description": "OK"}}}}
    return "operation_added", "/paths/~1mutation~1new/get"


def add_output(doc: dict[str, Any], props: dict[str, Any] | None) -> Expected | None:
    for info in _plain_actions(doc):
        found = _output(doc, info)
        if found:
            found[0]["properties"]["mutationField"] = {"type": "string", "description": "New."}
            return "output_added", ""
    return None


def add_trigger(doc: dict[str, Any], props: dict[str, Any] | None) -> Expected | None:
    doc["paths"]["/mutation/trigger"] = {
        "get": {"operationId": "MutationTrigger", "summary": "When something happens", "x-ms-trigger": "batch",
                "responses": {"200": {"description": "OK", "schema": {"type": "array", "items": {"type": "object"}}}}}
    }
    return "trigger_added", "/paths/~1mutation~1trigger/get"


def edit_descriptions(doc: dict[str, Any], props: dict[str, Any] | None) -> Expected | None:
    for info in _ops(doc):
        info.op["summary"] = "Edited summary"
        info.op["description"] = "An edited description."
        for param, _ in _params(doc, info):
            param["description"] = "Edited."
            param["x-ms-summary"] = "Edited"
    doc.setdefault("info", {})["description"] = "Edited connector description."
    return None


def version_operation(doc: dict[str, Any], props: dict[str, Any] | None) -> Expected | None:
    """Operational versioning: the old operation deprecated, a revision 2 added in its family."""
    info = next(_plain_actions(doc))
    info.op["deprecated"] = True
    info.op["x-ms-api-annotation"] = {"family": info.key, "revision": 1}
    new = copy.deepcopy(info.op)
    new.update({"operationId": info.key + "V2", "deprecated": False, "x-ms-api-annotation": {"family": info.key, "revision": 2}})
    doc["paths"][info.path.rstrip("/") + "/v2"] = {info.method: new}
    return "operation_versioned", f"/paths/{escape_pointer(info.path.rstrip('/') + '/v2')}/{info.method}"


def add_enum_value(doc: dict[str, Any], props: dict[str, Any] | None) -> Expected | None:
    for info in _plain_actions(doc):
        for param, _pointer in _params(doc, info):
            if isinstance(param.get("enum"), list):
                param["enum"] = [*param["enum"], "mutation-value"]
                return "input_enum_value_added", ""
    return None


COMPATIBLE: dict[str, Mutation] = {f.__name__: f for f in (
    add_optional_parameter, add_operation, add_output, add_trigger, edit_descriptions, version_operation, add_enum_value,
)}

_SIDES: dict[str, Side] = {}


def _side(name: str) -> Side:
    if name not in _SIDES:
        _SIDES[name] = load_side(CONNECTORS[name])
    return _SIDES[name]


def _mutated(name: str, mutation: Mutation) -> tuple[Side, Side, Expected | None]:
    old = _side(name)
    definition, properties = copy.deepcopy(old.definition), copy.deepcopy(old.properties)
    expected = mutation(definition, properties)
    return old, Side("mutated", definition, properties), expected


# Only the (connector, mutation) pairs where the mutation finds something to change; every mutation
# must find something in at least one connector (checked below), so none is silently untested.
BREAKING_CASES = [(c, m) for m in sorted(BREAKING) for c in sorted(CONNECTORS) if _mutated(c, BREAKING[m])[2] is not None]


@pytest.mark.parametrize(("connector", "mutation"), BREAKING_CASES)
def test_breaking_mutation_is_reported_with_code_and_pointer(connector: str, mutation: str) -> None:
    old, new, expected = _mutated(connector, BREAKING[mutation])
    assert expected is not None
    code, pointer = expected
    changes = compare(old, new)
    hits = [c for c in changes if c.code == code and c.anchor == pointer]
    assert hits, f"{mutation} on {connector}: no {code} at {pointer}; got {[(c.code, c.anchor) for c in changes]}"
    assert all(c.kind is Kind.BREAKING for c in hits)
    assert changes == compare(old, new)  # deterministic


def test_every_breaking_mutation_applies_to_some_connector() -> None:
    assert sorted({m for _, m in BREAKING_CASES}) == sorted(BREAKING)
    assert len(BREAKING_CASES) >= 40


@pytest.mark.parametrize("connector", sorted(CONNECTORS))
@pytest.mark.parametrize("mutation", sorted(COMPATIBLE))
def test_compatible_mutation_breaks_nothing(connector: str, mutation: str) -> None:
    old, new, expected = _mutated(connector, COMPATIBLE[mutation])
    changes = compare(old, new)
    assert [c for c in changes if c.kind is Kind.BREAKING] == []
    if expected is not None:
        code, pointer = expected
        assert any(c.code == code and c.kind is Kind.COMPATIBLE and (not pointer or c.anchor == pointer) for c in changes), changes
    if mutation == "edit_descriptions":
        assert changes == []  # description and summary edits are not changes at all


def test_rename_is_a_delete_plus_an_add_with_a_hint() -> None:
    old, new, expected = _mutated("Airmeet", rename_operation)
    assert expected is not None
    changes = compare(old, new)
    deleted = next(c for c in changes if c.code == "operation_deleted")
    added = next(c for c in changes if c.code == "operation_added")
    assert deleted.operation + "V2" == added.operation
    assert f"looks renamed to {added.operation}" in deleted.hint
