"""The generated collections: valid Postman v2.1, every variable declared, no secrets, deterministic,
one request per operation with the spec's own names, parameters, bodies and examples."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from generator.ir.model import Operation
from generator.targets.postman import write_postman
from generator.targets.postman.auth import plan_auth
from generator.targets.postman.collection import PostmanOutput
from generator.targets.postman.examples import protect_secrets
from generator.targets.postman.flow import CLEANUP_FOLDER
from generator.targets.postman.requests import EXAMPLES_KEY

from tests.conftest import loaded_spec
from tests.postman.conftest import (
    POSTMAN_SCHEMA,
    items,
    operation_items,
    script,
    used_variables,
    walkthroughs,
)

MOCK_SECRETS = ("mock-api-key", "mock-password", "mock-client-secret", "mock-token")


def _validator() -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(json.loads(POSTMAN_SCHEMA.read_text()))


def _names(op: Operation) -> list[str]:
    """The item names of an operation: its summary, or one per variant."""
    return [v.summary for v in op.variants] or [op.summary]


def test_validates_against_postman_v21_schema(any_output: PostmanOutput) -> None:
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in _validator().iter_errors(any_output.collection)]
    assert errors == []
    assert any_output.collection["info"]["schema"] == "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"


def _env_keys(output: PostmanOutput) -> set[str]:
    """Variables every environment declares (credentials and cached tokens live only there)."""
    keys = [{v["key"] for v in env["values"]} for env in output.environments.values()]
    return set.intersection(*keys) if keys else set()


def test_every_variable_used_is_declared(any_output: PostmanOutput) -> None:
    declared = {v["key"] for v in any_output.collection["variable"]} | _env_keys(any_output)
    assert used_variables(any_output.collection) - declared == set()
    for env in any_output.environments.values():
        assert used_variables(env) - declared == set()
        assert {v["key"] for v in env["values"]} <= declared


def test_no_secret_values(any_output: PostmanOutput) -> None:
    """Secrets are empty everywhere but in the mock environment, which carries the mock's placeholders;
    the collection declares no secret at all (nor the token its scripts cache)."""
    shared = [any_output.collection] + [env for name, env in any_output.environments.items() if name != "mock"]
    text = json.dumps(shared)
    assert not [s for s in MOCK_SECRETS if s in text]
    secret_keys = {v["key"] for env in any_output.environments.values() for v in env["values"] if v["type"] == "secret"}
    for name, env in any_output.environments.items():
        if name != "mock":
            assert [v for v in env["values"] if v["type"] == "secret" and v["value"] != ""] == []
    collection_keys = {v["key"] for v in any_output.collection["variable"]}
    assert secret_keys & collection_keys == set()
    assert "accessToken" not in collection_keys


def test_mock_environment_carries_the_mock_credentials(vendor: str, output: PostmanOutput) -> None:
    from generator.mock.vendors import behaviour_class

    mock = {v["key"]: v for v in output.environments["mock"]["values"]}
    expected = behaviour_class(vendor).default_credentials
    assert {k: (mock[k]["value"], mock[k]["type"]) for k in expected} == {k: (v, "secret") for k, v in expected.items()}


def test_credentials_are_secret_variables(vendor: str, output: PostmanOutput) -> None:
    credentials = plan_auth(loaded_spec(vendor).api).credentials
    assert credentials, "every vendor API is authenticated"
    for env in output.environments.values():
        types = {v["key"]: v["type"] for v in env["values"]}
        assert {c: types.get(c) for c in credentials} == {c: "secret" for c in credentials}
    assert credentials & {v["key"] for v in output.collection["variable"]} == set()
    descriptions = json.dumps([i["request"].get("description", "") for i in items(output.collection)])
    assert not [c for c in credentials if "{{" + c + "}}" in descriptions]


def test_rerun_writes_identical_bytes_and_stable_ids(vendor: str, tmp_path: Path) -> None:
    api = loaded_spec(vendor).api
    first, _ = write_postman(api, vendor, tmp_path / "a")
    second, _ = write_postman(api, vendor, tmp_path / "b")
    assert [p.relative_to(tmp_path / "a") for p in first] == [p.relative_to(tmp_path / "b") for p in second]
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    collection = json.loads(first[0].read_text())
    ids = [collection["info"]["_postman_id"]] + [i["id"] for i in items(collection)]
    ids += [r["id"] for i in items(collection) for r in i["response"]]
    ids += [json.loads(p.read_text())["id"] for p in first[1:]]
    assert len(ids) == len(set(ids))
    assert {uuid.UUID(i).version for i in ids} == {5}


def test_one_request_per_operation_named_by_summary(vendor: str, output: PostmanOutput) -> None:
    api = loaded_spec(vendor).api
    expected = sorted(name for op in api.operations for name in _names(op))
    assert sorted(i["name"] for i in operation_items(vendor, output.collection)) == expected


def test_folders_follow_tags(vendor: str, output: PostmanOutput) -> None:
    api = loaded_spec(vendor).api
    tag_by_name = {name: op.tags[0] for op in api.operations for name in _names(op)}
    for folder in output.collection["item"]:
        if folder["name"] in walkthroughs(vendor):
            continue
        for item in folder["item"]:
            if folder["name"] == CLEANUP_FOLDER:
                assert item["request"]["method"] == "DELETE"
            else:
                assert tag_by_name[item["name"]] == folder["name"]


def test_parameters_have_descriptions_and_example_values(vendor: str, output: PostmanOutput) -> None:
    api = loaded_spec(vendor).api
    ops = {name: op for op in api.operations for name in _names(op)}
    for item in operation_items(vendor, output.collection):
        op, url = ops[item["name"]], item["request"]["url"]
        path_params = {p.name: p for p in op.parameters_in("path")}
        assert {v["key"] for v in url.get("variable", [])} == set(path_params)
        for var in url.get("variable", []):
            assert var["value"] and var["description"] == path_params[var["key"]].description
            assert ":" + var["key"] in url["path"]
        by_name = {p.name: p for p in op.parameters_in("query")}
        for query in url.get("query", []):
            param = by_name.get(query["key"])
            if query["value"] == "{{" + query["key"] + "}}":  # environment selector (Eevion's `environment`)
                continue
            assert param is not None
            assert query["description"] == param.description
            assert query.get("disabled", False) is (not param.required)
            assert query["value"] != ""


def test_bodies_are_the_spec_examples(vendor: str, output: PostmanOutput) -> None:
    api = loaded_spec(vendor).api
    credentials = plan_auth(api).credentials
    checked = 0
    for op in api.operations:
        media = op.request_body.media() if op.request_body else None
        if media is None or not media.examples:
            continue
        for variant in op.variants or (None,):
            wanted = next((e for e in media.examples if variant and e.name == variant.example), media.examples[0])
            item = next(i for i in items(output.collection) if i["name"] == (variant.summary if variant else op.summary))
            expected, _ = protect_secrets(wanted.value, credentials)
            sent = json.loads(item["request"]["body"]["raw"])
            # fields fed by an earlier request's response (links' requestBody) are variables whose
            # default is the example's value
            defaults = {v["key"]: v["value"] for v in output.collection["variable"]}
            for key, value in sent.items() if isinstance(sent, dict) else ():
                if isinstance(value, str) and value.startswith("{{") and expected.get(key) != value:
                    assert defaults[value[2:-2]] == expected[key]
                    sent[key] = expected[key]
            assert sent == expected
            checked += 1
    text = json.dumps(output.collection)
    assert "<string>" not in text and "<integer>" not in text
    assert checked > 0 or vendor == "vev-iq"


def _body(example: Any, is_json: bool) -> str:
    plain = isinstance(example.value, str) and not is_json
    return example.value if plain else json.dumps(example.value, indent=2, ensure_ascii=False)


def test_saved_examples_are_the_operations_own(vendor: str, output: PostmanOutput) -> None:
    """Every saved example has a status the operation documents and a body documented for that status:
    all examples of the operation's own responses, of shared responses only those it chooses
    (x-connectorgen-examples), and an empty one for each documented bodiless 2xx (202, 204)."""
    api = loaded_spec(vendor).api
    checked = 0
    for op in api.operations:
        if op.variants:
            continue
        item = next(i for i in items(output.collection) if i["name"] == op.summary)
        saved = [(r["code"], r["body"]) for r in item["response"]]
        assert len(saved) == len(set(saved)), op.operation_id
        documented: dict[int, set[str]] = {}
        expected: set[tuple[int, str]] = set()
        chosen = op.extensions.get(EXAMPLES_KEY) or {}
        for response in op.responses:
            code = int(response.status)
            media = response.media()
            own = response.pointer.startswith(op.pointer + "/")
            bodies = {_body(e, media.is_json) for e in media.examples} if media else {""}
            documented[code] = bodies
            if media is None and own and code < 300:
                expected.add((code, ""))
            for example in media.examples if media else ():
                if own or example.name in chosen.get(response.status, ()):
                    expected.add((code, _body(example, media.is_json)))
        assert {code for code, _ in saved} <= set(documented), op.operation_id
        assert [(c, b) for c, b in saved if b not in documented[c]] == [], op.operation_id
        assert set(saved) == expected, op.operation_id
        checked += len(saved)
        for response in item["response"]:
            assert response["name"].startswith(f"{response['code']} ") and len(response["name"]) > 4
    assert checked > 0


def test_every_request_has_status_and_schema_tests(any_output: PostmanOutput) -> None:
    for item in items(any_output.collection):
        code = script(item, "test")
        assert code.count("pm.test(") >= 1
        assert "pm.response.to.have.status(" in code or "to.be.within(200, 299)" in code


def test_status_test_expects_the_first_documented_2xx(vendor: str, output: PostmanOutput) -> None:
    api = loaded_spec(vendor).api
    for op in api.operations:
        status = op.success_responses[0].status
        for name in _names(op):
            item = next(i for i in items(output.collection) if i["name"] == name)
            assert f"pm.response.to.have.status({status});" in script(item, "test")


def _test_schema(item: dict[str, Any]) -> Any:
    for line in script(item, "test").splitlines():
        if line.startswith("var schema = "):
            return json.loads(line[len("var schema = ") : -1])
    return None


def test_schema_tests_accept_the_spec_success_examples(vendor: str, output: PostmanOutput) -> None:
    """The inlined draft-07 schemas in the test scripts accept the spec's own 2xx examples."""
    checked = 0
    for item in items(output.collection):
        schema = _test_schema(item)
        if schema is None:
            continue
        jsonschema.Draft7Validator.check_schema(schema)
        validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
        for saved in item["response"]:
            if 200 <= saved.get("code", 0) < 300 and saved["_postman_previewlanguage"] == "json":
                errors = [e.message for e in validator.iter_errors(json.loads(saved["body"]))]
                assert errors == [], (item["name"], saved["name"])
                checked += 1
    assert checked > 0


@pytest.mark.parametrize("text", ['"$ref":', '"prefixItems":', '"dependentRequired":', '"format":"int64"', '"format":"binary"'])
def test_schema_tests_are_self_contained_draft07(any_output: PostmanOutput, text: str) -> None:
    for item in items(any_output.collection):
        schema = _test_schema(item)
        assert schema is None or text not in json.dumps(schema, separators=(",", ":")), item["name"]
