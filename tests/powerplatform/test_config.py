"""connector.yaml → typed config: derived names and the checks against the spec."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from generator.spec.connector import load_connector
from generator.targets.powerplatform.config import credential_header, read_config

from tests.conftest import SPECS, loaded_spec


def _connector(vendor: str) -> dict[str, Any]:
    return copy.deepcopy(load_connector(SPECS / vendor / "connector.yaml")[0])


@pytest.mark.parametrize(
    ("name", "header"),
    [("email", "X-Credential-Email"), ("client_id", "X-Credential-Client-Id"), ("clientSecret", "X-Credential-Client-Secret"), ("tokenUrl", "X-Credential-Token-Url")],
)
def test_credential_header(name: str, header: str) -> None:
    assert credential_header(name) == header


def test_every_vendor_reads() -> None:
    for vendor in ("vev-iq", "volue", "eevion", "greenflux"):
        config = read_config(_connector(vendor), loaded_spec(vendor).api)
        assert config.sets
    volue = read_config(_connector("volue"), loaded_spec("volue").api)
    assert volue.needs_script and volue.environment is not None and volue.environment.apply == "host"
    token_url = next(p for p in volue.sets[0].parameters if p.name == "tokenUrl")
    assert token_url.default == "https://auth.identity.volue.com/connect/token"


def test_missing_connection_section() -> None:
    connector = _connector("eevion")
    del connector["connection"]
    with pytest.raises(ValueError, match="no `connection` section"):
        read_config(connector, loaded_spec("eevion").api)


def test_a_credential_without_parameter_is_refused() -> None:
    connector = _connector("vev-iq")
    signin = connector["connection"]["sets"][0]
    signin["parameters"] = [p for p in signin["parameters"] if p["name"] != "tenant"]
    with pytest.raises(ValueError, match="credential"):
        read_config(connector, loaded_spec("vev-iq").api)


def test_header_auth_must_name_its_parameter() -> None:
    connector = _connector("greenflux")
    connector["connection"]["sets"][0]["auth"]["parameter"] = "nope"
    with pytest.raises(ValueError, match="must be the connection parameter 'api_key'"):
        read_config(connector, loaded_spec("greenflux").api)


def test_code_auth_needs_username_and_password() -> None:
    """Power Platform pairs `username`/`password` with the basic security definition."""
    connector = _connector("volue")
    parameters = connector["connection"]["sets"][0]["parameters"]
    next(p for p in parameters if p["name"] == "username")["name"] = "clientId"
    with pytest.raises(ValueError, match="need connection parameters username and password"):
        read_config(connector, loaded_spec("volue").api)


def test_environment_server_must_exist() -> None:
    connector = _connector("greenflux")
    connector["connection"]["environment"]["values"][1]["server"] = 7
    with pytest.raises(ValueError, match="no server 7"):
        read_config(connector, loaded_spec("greenflux").api)


def _render(vendor: str, connector: dict[str, Any], out: Any) -> list[Any]:
    from generator.targets.base import TargetContext
    from generator.targets.powerplatform import TARGET

    return TARGET.render(loaded_spec(vendor).api, TargetContext(vendor, SPECS / vendor, connector), out)


@pytest.mark.parametrize(
    ("section", "code"),
    [("connection", "powerplatform_config_invalid"), ("readme", "powerplatform_readme_missing")],
)
def test_target_reports_unusable_connector_yaml(section: str, code: str, tmp_path: Any) -> None:
    connector = _connector("greenflux")
    del connector[section]
    problems = _render("greenflux", connector, tmp_path)
    assert [(p.level.value, p.code) for p in problems] == [("error", code)]
    assert problems[0].file.endswith("connector.yaml")
    assert list(tmp_path.iterdir()) == []


def test_unmatched_dynamic_values_are_a_warning(tmp_path: Any) -> None:
    connector = _connector("greenflux")
    connector["dynamicValues"].append({"parameter": "no_such_parameter", "source": {"operationId": "ListLocations", "valuePath": "id", "valueTitle": "name"}})
    problems = _render("greenflux", connector, tmp_path)
    assert [(p.level.value, p.code) for p in problems if p.code == "dynamic_values_unused"] == [("warning", "dynamic_values_unused")]


def _line_of(vendor: str, text: str) -> int:
    lines = (SPECS / vendor / "connector.yaml").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)


@pytest.mark.parametrize(
    ("vendor", "change", "pointer", "marker"),
    [
        ("greenflux", lambda c: c["connection"]["environment"]["values"][1].update(server=7), "/connection/environment/values/1/server", "server: 1"),
        ("greenflux", lambda c: c["connection"]["sets"][0]["auth"].update(parameter="nope"), "/connection/sets/0/auth/parameter", "parameter: api_key"),
        ("eevion", lambda c: c["triggers"][0].update(source="NoSuchList"), "/triggers/0/source", "source: ListExceptions"),
        ("eevion", lambda c: c["triggers"][0].pop("initial"), "/triggers/0/state/since", "since: \"@{add"),
        ("eevion", lambda c: c["lookups"][0].update(source="GetSite"), "/lookups/0/source", "source: ListSites"),
    ],
)
def test_misfits_are_located_in_connector_yaml(vendor: str, change: Any, pointer: str, marker: str, tmp_path: Any) -> None:
    """A connector.yaml that does not fit the spec: one error with the file, the line and the JSON
    pointer of the value concerned (the file's own line, as the user sees it), and no output."""
    connector = _connector(vendor)
    change(connector)
    problems = _render(vendor, connector, tmp_path)
    assert [(p.code, p.pointer) for p in problems] == [("powerplatform_config_invalid", pointer)]
    assert problems[0].file.endswith(f"{vendor}/connector.yaml")
    assert problems[0].line == _line_of(vendor, marker)
    assert problems[0].col > 0
    assert list(tmp_path.iterdir()) == []


def test_schema_refuses_a_header_credential_not_named_api_key(tmp_path: Any) -> None:
    """Caught by `connectorgen validate` already: located at the value in connector.yaml."""
    from generator.problems import ProblemError
    from generator.spec.connector import load_connector

    text = (SPECS / "greenflux" / "connector.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "connector.yaml"
    broken.write_text(text.replace("parameter: api_key}", "parameter: token}"), encoding="utf-8")
    with pytest.raises(ProblemError) as failure:
        load_connector(broken)
    (problem,) = failure.value.problems
    assert problem.pointer == "/connection/sets/0/auth"
    assert problem.line == next(i for i, line in enumerate(text.splitlines(), 1) if "parameter: api_key}" in line)
