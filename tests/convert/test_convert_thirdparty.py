"""Robustness: a large third-party OpenAPI 3.0 document (tests/data/thirdparty/SOURCE.md) converts to
valid Swagger 2.0 with a loss report, in both modes; and the project's own specs convert cleanly."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from generator.convert import ConvertOptions, convert
from generator.convert.profile import SWAGGER
from generator.targets.powerplatform.profile import POWERPLATFORM
from generator.convert.load import load_input
from generator.ir.model import Api
from generator.problems import Level, ProblemError

REPO = Path(__file__).resolve().parents[2]
EV_SERVER = REPO / "tests" / "data" / "thirdparty" / "ev-server-e-mobility-oas.json"


def errors_of(swagger: dict[str, Any]) -> list[str]:
    from generator.lint.msschemas import validator
    from openapi_spec_validator import OpenAPIV2SpecValidator

    found = [
        f"swagger2 {list(e.absolute_path)}: {e.message[:200]}"
        for e in OpenAPIV2SpecValidator(swagger).iter_errors()
    ]
    found += [
        f"apiDefinition {e.json_path}: {e.message[:200]}"
        for e in validator("apiDefinition", relaxed=False).iter_errors(swagger)
    ]
    return found


@pytest.fixture(scope="module")
def ev_server() -> Api:
    return load_input(EV_SERVER).api


@pytest.mark.parametrize("powerplatform", [False, True], ids=["swagger", "powerplatform"])
def test_ev_server_converts_to_valid_swagger(ev_server: Api, powerplatform: bool) -> None:
    result = convert(ev_server, ConvertOptions(profile=POWERPLATFORM if powerplatform else SWAGGER))
    assert errors_of(result.swagger) == []
    assert len(result.swagger["paths"]) == 177
    operations = sum(
        1 for item in result.swagger["paths"].values() for key in item if not key.startswith("x-")
    )
    assert operations == 226
    codes = Counter(p.code for p in result.losses)
    # The document's own defects are repaired and reported, not passed on.
    assert codes["path_parameter_added"] >= 10
    assert codes["operation_id_generated"] == 226
    assert all(p.pointer.startswith(("/", "#")) for p in result.losses)
    if powerplatform:
        assert codes["host_missing"] == 1  # its only server is relative ("/v1")
        ids = [
            op["operationId"]
            for item in result.swagger["paths"].values()
            for op in item.values()
            if isinstance(op, dict)
        ]
        assert all(i.isalnum() for i in ids) and len(set(ids)) == len(ids)


def test_ev_server_conversion_is_deterministic(ev_server: Api) -> None:
    first = convert(ev_server, ConvertOptions(profile=POWERPLATFORM))
    second = convert(load_input(EV_SERVER).api, ConvertOptions(profile=POWERPLATFORM))
    assert first.swagger == second.swagger
    assert first.losses == second.losses


def _specs() -> list[Path]:
    return sorted((REPO / "specs").glob("*/openapi.yaml"))


@pytest.mark.parametrize("spec", _specs(), ids=lambda p: p.parent.name)
def test_project_specs_convert_cleanly_for_power_platform(spec: Path) -> None:
    api = load_input(spec).api
    result = convert(api, ConvertOptions(profile=POWERPLATFORM))
    assert errors_of(result.swagger) == []
    assert not any(p.level is Level.ERROR for p in result.losses)


def test_fast_writer_matches_the_standard_encoder(ev_server: Api) -> None:
    import json

    from generator.util.jsonio import dump_json_text

    def reference(data: object) -> str:
        return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"

    swagger = convert(ev_server, ConvertOptions()).swagger
    assert dump_json_text(swagger) == reference(swagger)
    odd = {"a": [1.5, -0.0, 10**20, True, None, 'é\u2028"\\', {}, []], "b": {"c": {"d": []}}, "t": (1, "x")}
    assert dump_json_text(odd) == reference(odd)
    # Exponent floats are written the shortest way; the values read back unchanged.
    tiny = {"small": 1e-07, "large": 1.5e300, "negative": -2.5e-12}
    assert dump_json_text(tiny) == '{\n  "small": 1e-7,\n  "large": 1.5e300,\n  "negative": -2.5e-12\n}\n'
    assert json.loads(dump_json_text(tiny)) == tiny
    with pytest.raises(TypeError):
        dump_json_text({"x": object()})
