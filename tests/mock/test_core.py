"""The shared pipeline: routing, 404/405, parameter coercion, body validation (never a 500), the
response check, and the documents served under /_mock/."""

from __future__ import annotations

import pytest
from generator.mock import MockContractError, create_app, spec_path_for, vendor_names
from generator.mock.http import MockResponse
from generator.mock.operations import load_api
from generator.mock.params import coerce_scalar
from generator.mock.routing import PathTemplate, Router

from tests.mock.conftest import MakeClient
from tests.mock.test_volue import token

INT = frozenset({"integer"})


@pytest.mark.parametrize(
    ("text", "types", "expected"),
    [
        ("12", INT, 12),
        ("-3", INT, -3),
        ("2.0", INT, 2),
        ("2.5", INT, 2.5),  # a number, which the integer schema then refuses
        ("1_000", INT, "1_000"),
        (" 1", INT, " 1"),
        ("٣", INT, "٣"),  # a non-ASCII digit
        ("1e3", frozenset({"number"}), 1000.0),
        ("nan", frozenset({"number"}), "nan"),
        ("true", frozenset({"boolean"}), True),
        ("True", frozenset({"boolean"}), "True"),
        ("007", frozenset({"string"}), "007"),
    ],
)
def test_coerce_scalar(text: str, types: frozenset[str], expected: object) -> None:
    assert coerce_scalar(text, types) == expected
    assert type(coerce_scalar(text, types)) is type(expected)


def test_router_prefers_concrete_segments_and_decodes_parameters() -> None:
    templates = [PathTemplate[str](p, {"get": p}) for p in ("/session/{id}", "/session/report", "/a/{x}/c", "/a/b/{y}")]
    router = Router(templates)
    assert router.match("/session/report")[0].template == "/session/report"  # type: ignore[index]
    assert router.match("/session/abc") == (templates[0], {"id": "abc"})
    assert router.match("/session/a%2Fb") == (templates[0], {"id": "a/b"})
    assert router.match("/session/") == (templates[0], {"id": ""})  # routed: the parameter is then refused
    assert router.match("/a/b/c")[0].template == "/a/b/{y}"  # type: ignore[index]
    assert router.match("/session/a/b") is None
    assert router.match("/nope") is None


def test_unknown_path_and_method_in_the_vendors_format(make_client: MakeClient) -> None:
    client = make_client("greenflux")
    client.headers["Authorization"] = "Token mock-token"
    unknown = client.get("/api/1.0/nope")
    assert unknown.status_code == 404 and unknown.json()["status_code"] == 2000
    method = client.post("/api/1.0/smartcharging/capacitygroups/x")
    assert method.status_code == 405 and method.headers["allow"] == "DELETE, GET, PUT"
    assert client.request("OPTIONS", "/api/1.0/locations").headers["allow"] == "GET"
    # The concrete path decides: /evses/chargepoints only has PUT, even though /evses/{evse_uid} has DELETE.
    assert client.delete("/api/1.0/smartcharging/capacitygroups/x/evses/chargepoints").status_code == 405


@pytest.mark.parametrize(
    ("content", "headers"),
    [
        (b"{not json", {"Content-Type": "application/json"}),
        (b"NaN", {"Content-Type": "application/json"}),
        (b'{"userId": 1}', {"Content-Type": "application/json"}),
        (b"userId=u1", {"Content-Type": "application/x-www-form-urlencoded"}),
        (b"", {"Content-Type": "application/json"}),
        (b"\xff\xfe", {"Content-Type": "application/json"}),
        (b"[]", {}),
    ],
)
def test_bad_bodies_get_the_vendors_400(make_client: MakeClient, content: bytes, headers: dict[str, str]) -> None:
    client = make_client("volue")
    answer = client.post("/users", content=content, headers={**headers, "Authorization": f"Bearer {token(client)}"})
    assert answer.status_code == 400
    assert answer.json()["status"] == 400 and answer.headers["content-type"] == "application/problem+json"


def test_query_parameters_are_coerced_and_validated(make_client: MakeClient) -> None:
    client = make_client("eevion", rate_limit=False)
    client.headers["Authorization"] = "Bearer mock-api-key"
    assert client.get("/station/exceptions", params={"since": "0", "page": "2"}).status_code == 200
    for params in ({"since": "abc"}, {"since": "1.5"}, {"since": "-1"}, {"since": str(2**63)}, {"since": "0", "page": "0"}, {"since": "0", "environment": "prod"}):
        answer = client.get("/station/exceptions", params=params)
        assert answer.status_code == 400, params
        assert answer.json()["error"] == "invalidRequest"


def test_authentication_comes_before_validation(make_client: MakeClient) -> None:
    client = make_client("eevion")
    assert client.get("/station/exceptions", params={"since": "abc"}).status_code == 401


def test_response_check_refuses_undocumented_answers() -> None:
    op = load_api(spec_path_for("volue")).operations["GetUser"]
    op.check(MockResponse(200, {"userId": "u"}), "application/json", {"userId": "u"})
    with pytest.raises(MockContractError, match="status not documented"):
        op.check(MockResponse(500, {}), "application/json", {})
    with pytest.raises(MockContractError, match="does not match"):
        op.check(MockResponse(200, {}), "application/json", {})
    with pytest.raises(MockContractError, match="media type"):
        op.check(MockResponse(200, {"userId": "u"}), "text/plain", {"userId": "u"})


@pytest.mark.parametrize("vendor", vendor_names())
def test_mock_serves_its_spec_and_description(make_client: MakeClient, vendor: str) -> None:
    client = make_client(vendor)
    document = client.get("/_mock/openapi.json").json()
    assert document["openapi"].startswith("3.1") and document["servers"] == [{"url": "http://mock.test", "description": f"connectorgen mock of {vendor}"}]
    served = {op["operationId"] for path in document["paths"].values() for op in path.values() if isinstance(op, dict) and "operationId" in op}
    assert served == set(client.server.compiled.operations)
    described = client.get("/_mock/describe").json()
    assert described["baseUrl"] == "http://mock.test" and described["credentials"]


def test_volue_served_spec_points_the_token_url_at_the_mock(make_client: MakeClient) -> None:
    document = make_client("volue").get("/_mock/openapi.json").json()
    assert document["components"]["securitySchemes"]["oauth2"]["flows"]["clientCredentials"]["tokenUrl"] == "http://mock.test/connect/token"


def test_credentials_from_options_and_environment(make_client: MakeClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONNECTORGEN_MOCK_EEVION_APIKEY", "from-env")
    client = make_client("eevion")
    assert client.get("/site", headers={"Authorization": "Bearer from-env"}).status_code == 200
    client = make_client("eevion", credentials={"apiKey": "from-options"})
    assert client.get("/site", headers={"Authorization": "Bearer from-options"}).status_code == 200
    with pytest.raises(ValueError, match="unknown credential"):
        create_app("eevion", credentials={"password": "x"})
    with pytest.raises(ValueError, match="neither a vendor"):
        create_app("acme")


def test_lone_surrogates_and_odd_paths_are_answered(make_client: MakeClient) -> None:
    client = make_client("volue")
    client.headers["Authorization"] = f"Bearer {token(client)}"
    created = client.post("/users", content=b'{"userId": "a\\ud800b"}', headers={"Content-Type": "application/json"})
    assert created.status_code == 201 and created.json() == {"userId": "a\ud800b"}
    assert client.get("/users/%E2%82%AC").status_code == 404
    assert client.get("/users/%ZZ").status_code == 404
