"""The four vendor packages: files, apiProperties, Swagger touches, icon, readme, settings, determinism."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from tests.powerplatform.packages import VENDORS, build_package, built_packages

FILES = {"apiDefinition.swagger.json", "apiProperties.json", "icon.png", "readme.md", "settings.json"}
SCRIPTED = {"vev-iq", "volue", "eevion"}


def _package(vendor: str) -> Path:
    return built_packages()[vendor][0]


def _json(vendor: str, name: str) -> Any:
    return json.loads((_package(vendor) / name).read_text(encoding="utf-8"))


def _operations(swagger: dict[str, Any]) -> dict[str, tuple[str, str, dict[str, Any]]]:
    return {
        op["operationId"]: (path, method, op)
        for path, item in swagger["paths"].items()
        for method, op in item.items()
        if isinstance(op, dict) and "operationId" in op
    }


@pytest.mark.parametrize("vendor", VENDORS)
def test_files(vendor: str) -> None:
    names = {p.name for p in _package(vendor).iterdir()}
    assert names == FILES | ({"script.csx"} if vendor in SCRIPTED else set())


@pytest.mark.parametrize("vendor", VENDORS)
def test_swagger_is_valid_swagger_2(vendor: str) -> None:
    from openapi_spec_validator import OpenAPIV2SpecValidator

    swagger = _json(vendor, "apiDefinition.swagger.json")
    errors = [e.message for e in OpenAPIV2SpecValidator(swagger).iter_errors()]
    assert errors == []
    # One definition per way to connect, paired with its connection parameters by name; no
    # requirement (the connection's policies and custom code authenticate every call).
    expected = {
        "vev-iq": {"signin": {"type": "basic"}, "token": {"type": "apiKey", "in": "header", "name": "Authorization"}},
        "volue": {"clientCredentials": {"type": "basic"}},
        "eevion": {"apiKey": {"type": "apiKey", "in": "header", "name": "Authorization"}},
        "greenflux": {"token": {"type": "apiKey", "in": "header", "name": "Authorization"}},
    }
    assert swagger["securityDefinitions"] == expected[vendor]
    assert "security" not in swagger
    names = {m["propertyName"] for m in swagger["x-ms-connector-metadata"]}
    assert names == {"Website", "Privacy policy", "Categories"}
    assert swagger["x-ms-capabilities"]["testConnection"]["operationId"] in _operations(swagger)
    assert len((_package(vendor) / "apiDefinition.swagger.json").read_bytes()) < 1024 * 1024


@pytest.mark.parametrize("vendor", VENDORS)
def test_settings(vendor: str) -> None:
    settings = _json(vendor, "settings.json")
    assert "connectorId" not in settings and "environment" not in settings
    for key in ("apiDefinition", "apiProperties", "icon", "script"):
        if key in settings:
            assert not Path(settings[key]).is_absolute()
            assert (_package(vendor) / settings[key]).is_file(), key
    assert ("script" in settings) == (vendor in SCRIPTED)


@pytest.mark.parametrize("vendor", VENDORS)
def test_settings_match_microsofts_schema(vendor: str) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    msschemas = pytest.importorskip("generator.lint.msschemas")
    schema = msschemas.load_schema("settings")
    # Microsoft's 2020 schema predates `script` (paconn accepts it): the one relaxation.
    schema = {**schema, "properties": {**schema["properties"], "script": {"type": "string", "default": "script.csx"}}}
    jsonschema.Draft7Validator(schema).validate(_json(vendor, "settings.json"))


@pytest.mark.parametrize("vendor", VENDORS)
def test_icon(vendor: str) -> None:
    brand = _json(vendor, "apiProperties.json")["properties"]["iconBrandColor"]
    assert brand.lower() not in {"#ffffff", "#007ee5"}
    with Image.open(_package(vendor) / "icon.png") as image:
        assert image.size == (230, 230)
        assert image.mode == "RGB"  # no alpha: certification wants an opaque icon
        expected = tuple(int(brand[i : i + 2], 16) for i in (1, 3, 5))
        assert image.getpixel((0, 0)) == expected == image.getpixel((229, 229))
        colours = image.getcolors(maxcolors=100000) or []
        marked = sum(count for count, colour in colours if colour != expected)
        assert marked > 500  # a legible mark, not a blank square


@pytest.mark.parametrize("vendor", VENDORS)
def test_readme(vendor: str) -> None:
    text = (_package(vendor) / "readme.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## (.+)$", text, flags=re.MULTILINE)
    for wanted in ("Publisher", "Prerequisites", "Supported Operations", "Obtaining Credentials", "Getting Started", "Known Issues and Limitations"):
        assert any(h.startswith(wanted) for h in headings), wanted
    for _, _, op in _operations(_json(vendor, "apiDefinition.swagger.json")).values():
        if op.get("x-ms-visibility") != "internal":
            assert f"#### {op['summary']}\n" in text


def _policies(vendor: str, template: str) -> list[dict[str, Any]]:
    return [p for p in _json(vendor, "apiProperties.json")["properties"]["policyTemplateInstances"] if p["templateId"] == template]


def _parameter_value(policy: dict[str, Any], name: str) -> Any:
    return policy["parameters"]["x-ms-apimTemplateParameter." + name]


def test_vev_iq_connection() -> None:
    properties = _json("vev-iq", "apiProperties.json")["properties"]
    assert "connectionParameters" not in properties
    sets = {s["name"]: s["parameters"] for s in properties["connectionParameterSets"]["values"]}
    assert set(sets) == {"signin", "token"}
    assert {k: v["type"] for k, v in sets["signin"].items()} == {"username": "string", "password": "securestring", "tenant": "string"}
    assert sets["token"]["api_key"]["type"] == "securestring"
    headers = {_parameter_value(p, "name"): _parameter_value(p, "value") for p in _policies("vev-iq", "setheader")}
    assert headers == {
        "X-Credential-Username": "@connectionParameters('username')",
        "X-Credential-Password": "@connectionParameters('password')",
        "X-Credential-Tenant": "@connectionParameters('tenant')",
        "Authorization": "Bearer @connectionParameters('api_key')",
    }
    swagger = _json("vev-iq", "apiDefinition.swagger.json")
    assert "SignIn" not in _operations(swagger)  # the custom code signs in; not an action
    assert properties["scriptOperations"] == sorted(_operations(swagger))


def test_volue_connection_and_trigger() -> None:
    properties = _json("volue", "apiProperties.json")["properties"]
    parameters = properties["connectionParameters"]
    assert parameters["password"]["type"] == "securestring" and "defaultValue" not in parameters["password"]
    assert parameters["username"]["uiDefinition"]["displayName"] == "Client ID"
    assert parameters["tokenUrl"]["defaultValue"] == "https://auth.identity.volue.com/connect/token"
    hosts = [v["value"] for v in parameters["environment"]["uiDefinition"]["constraints"]["allowedValues"]]
    assert hosts == ["https://api.voluespark.com/energy-coordination/v1", "https://api.sandbox.voluespark.com/energy-coordination/v1"]
    assert [_parameter_value(p, "urlTemplate") for p in _policies("volue", "dynamichosturl")] == ["@connectionParameters('environment')"]
    ops = _operations(_json("volue", "apiDefinition.swagger.json"))
    path, _method, trigger = ops["CreateWebhook"]
    assert trigger["x-ms-trigger"] == "single" and trigger["summary"] == "When a price delta event occurs"
    body = next(p for p in trigger["parameters"] if p["in"] == "body")["schema"]
    url = body["properties"]["url"]
    assert url["x-ms-notification-url"] is True and url["x-ms-visibility"] == "internal" and url["type"] == "string"
    assert "url" in body["required"]
    assert "Location" in trigger["responses"]["201"]["headers"]
    swagger = _json("volue", "apiDefinition.swagger.json")
    assert swagger["paths"][path]["x-ms-notification-content"]["schema"] == {"$ref": "#/definitions/PriceDeltaNotification"}
    assert ops["DeleteWebhook"][2]["x-ms-visibility"] == "internal"


def test_eevion_connection_variants_and_polling_trigger() -> None:
    properties = _json("eevion", "apiProperties.json")["properties"]
    assert properties["connectionParameters"]["api_key"]["type"] == "securestring"
    headers = {_parameter_value(p, "name"): _parameter_value(p, "value") for p in _policies("eevion", "setheader")}
    # Production must send no `environment` at all, which no policy can say: the custom code adds
    # environment=staging from the choice it gets in a header.
    assert headers == {"Authorization": "Bearer @connectionParameters('api_key')", "X-Connection-Environment": "@connectionParameters('environment')"}
    assert _policies("eevion", "setqueryparameter") == []
    routes = {p["parameters"]["x-ms-apimTemplate-operationName"][0]: (_parameter_value(p, "newPath"), _parameter_value(p, "httpMethod")) for p in _policies("eevion", "routerequesttoendpoint")}
    assert routes == {"ListSessions": ("/session", "POST"), "StartSession": ("/session", "POST"), "WhenStationException": ("/station/exceptions", "GET")}
    ops = _operations(_json("eevion", "apiDefinition.swagger.json"))
    assert "ListOrStartSessions" not in ops
    assert ops["ListSessions"][0] == "/session/list" and ops["StartSession"][0] == "/session/start"
    start_body = next(p for p in ops["StartSession"][2]["parameters"] if p["in"] == "body")
    assert start_body["schema"] == {"$ref": "#/definitions/StartSessionRequest"}
    assert ops["StartSession"][2]["responses"]["200"]["schema"] == {"$ref": "#/definitions/Session"}
    for _, _, op in ops.values():  # the environment is a connection setting now
        assert all(p["name"] != "environment" for p in op.get("parameters", []))
    trigger = ops["WhenStationException"][2]
    assert trigger["x-ms-trigger"] == "batch" and trigger["summary"] == "When a station exception occurs"
    (polling,) = _policies("eevion", "pollingtrigger")
    assert set(_parameter_value(polling, "triggerConfig")) == {"since"}
    assert "ListExceptions" in ops  # still an action


def test_greenflux_connection() -> None:
    properties = _json("greenflux", "apiProperties.json")["properties"]
    (header,) = _policies("greenflux", "setheader")
    assert _parameter_value(header, "value") == "Token @connectionParameters('api_key')"
    hosts = [v["value"] for v in properties["connectionParameters"]["environment"]["uiDefinition"]["constraints"]["allowedValues"]]
    assert hosts == ["https://platform.greenflux.com", "https://platform-a.greenflux.com"]


@pytest.mark.parametrize(
    ("vendor", "operation_id", "parameter", "source"),
    [
        ("vev-iq", "ListChargingStations", "SiteID", "ListSites"),
        ("vev-iq", "GetStatisticsUsersUsage", "SiteID", "ListSites"),
        ("eevion", "GetSite", "siteId", "ListSites"),
        ("greenflux", "GetLocation", "location_id", "ListLocations"),
        ("greenflux", "GetEvse", "location_id", "ListLocations"),
        ("greenflux", "UpdateCapacityGroupState", "capacity_group_id", "ListCapacityGroups"),
        ("volue", "GetVehicle", "userId", "ListUsers"),
        ("eevion", "GetStation", "stationId", "ListStationChoices"),
    ],
)
def test_dynamic_values(vendor: str, operation_id: str, parameter: str, source: str) -> None:
    ops = _operations(_json(vendor, "apiDefinition.swagger.json"))
    found = next(p for p in ops[operation_id][2]["parameters"] if p["name"] == parameter)
    dynamic = found["x-ms-dynamic-values"]
    assert dynamic["operationId"] == source and source in ops
    assert dynamic["value-path"] and dynamic["value-title"]


def test_dynamic_values_on_body_properties() -> None:
    definitions = _json("eevion", "apiDefinition.swagger.json")["definitions"]
    assert definitions["ListSessionsRequest"]["properties"]["sites"]["items"]["x-ms-dynamic-values"]["operationId"] == "ListSites"
    assert definitions["StartSessionRequest"]["properties"]["stationId"]["x-ms-dynamic-values"]["operationId"] == "ListStationChoices"
    assert definitions["EnergyManagementItem"]["properties"]["stationId"]["x-ms-dynamic-values"]["operationId"] == "ListStationChoices"
    ops = _operations(_json("eevion", "apiDefinition.swagger.json"))
    assert ops["ListStationChoices"][2]["x-ms-visibility"] == "internal"


@pytest.mark.parametrize("vendor", VENDORS)
def test_output_is_deterministic(vendor: str, tmp_path: Path) -> None:
    build_package(vendor, tmp_path / "again")
    first, second = _package(vendor), tmp_path / "again"

    def digest(folder: Path) -> dict[str, str]:
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}

    assert digest(first) == digest(second)


@pytest.mark.parametrize("vendor", VENDORS)
def test_no_credentials_in_files(vendor: str) -> None:
    properties = _json(vendor, "apiProperties.json")["properties"]
    sets = properties.get("connectionParameterSets", {}).get("values") or [{"parameters": properties["connectionParameters"]}]
    for parameter_set in sets:
        for parameter in parameter_set["parameters"].values():
            if parameter["type"] == "securestring":
                assert "defaultValue" not in parameter
    for path in _package(vendor).iterdir():
        if path.suffix == ".png":
            continue
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"eyJ[A-Za-z0-9_-]{10,}\.", text), f"{path.name} holds something like a JWT"
        assert not re.search(r"(?i)(client_secret|password)=[^&\s\"']+", text), path.name
        # An opaque value after an auth scheme would be a real token (placeholders are words or <...>).
        assert not re.search(r"\b(?:Bearer|Token) [A-Za-z0-9._~+/=-]{20,}", text), path.name


def test_build_problems_are_warnings_at_most() -> None:
    for vendor, (_, problems) in built_packages().items():
        assert all(p.level.value != "error" for p in problems), vendor


@pytest.mark.parametrize("vendor", VENDORS)
def test_lint_reports_nothing(vendor: str) -> None:
    lint = pytest.importorskip("generator.lint")
    problems = lint.lint_path(_package(vendor))
    assert [f"{p.code}: {p.message} [{p.pointer}]" for p in problems] == []
