"""Golden tests: every case under cases/ converts byte for byte to its committed `.swagger.json` and
`.losses.json`, and every output is valid Swagger 2.0 (openapi-spec-validator) and valid against
Microsoft's apiDefinition schema. Rewrite the goldens with CONNECTORGEN_REGEN=1 (`make regen`)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from generator.convert import ConvertOptions, WebhookTrigger, convert
from generator.targets.powerplatform.profile import POWERPLATFORM
from generator.convert.load import load_input
from generator.problems import format_json
from generator.util.jsonio import dump_json_text

CASES = Path(__file__).parent / "cases"
REGEN = os.environ.get("CONNECTORGEN_REGEN") == "1"


def case_names() -> list[str]:
    return sorted(p.name[: -len(".yaml")] for p in CASES.glob("*.yaml"))


def options_for(name: str) -> ConvertOptions:
    path = CASES / f"{name}.options.json"
    raw: dict[str, Any] = json.loads(path.read_text()) if path.exists() else {}
    if "webhook_triggers" in raw:
        raw["webhook_triggers"] = tuple(WebhookTrigger(**t) for t in raw["webhook_triggers"])
    if "connector_metadata" in raw:
        raw["connector_metadata"] = tuple(tuple(pair) for pair in raw["connector_metadata"])
    if raw.pop("powerplatform", False):  # the cases name the dialect; the table is the profile
        raw["profile"] = POWERPLATFORM
    for key in ("exclude_operations",):
        if key in raw:
            raw[key] = frozenset(raw[key])
    return ConvertOptions(**raw)


def run_case(name: str, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str, dict[str, Any]]:
    monkeypatch.chdir(CASES)  # problem file names relative to the cases folder
    source = load_input(Path(f"{name}.yaml"))
    result = convert(source.api, options_for(name))
    losses = [source.relocate(p) for p in result.losses]
    return dump_json_text(result.swagger), format_json(losses), result.swagger


def test_enough_cases() -> None:
    assert len(case_names()) >= 25


@pytest.mark.parametrize("name", case_names())
def test_golden(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    swagger, losses, _ = run_case(name, monkeypatch)
    for suffix, text in ((".swagger.json", swagger), (".losses.json", losses)):
        golden = CASES / f"{name}{suffix}"
        if REGEN:
            golden.write_text(text, encoding="utf-8")
        assert golden.exists(), f"{golden.name} missing: run with CONNECTORGEN_REGEN=1"
        assert golden.read_text(encoding="utf-8") == text, (
            f"{golden.name} differs: check the change, then CONNECTORGEN_REGEN=1"
        )


@pytest.mark.parametrize("name", case_names())
def test_output_is_valid(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.lint.msschemas import validator
    from openapi_spec_validator import OpenAPIV2SpecValidator

    _, _, swagger = run_case(name, monkeypatch)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in OpenAPIV2SpecValidator(swagger).iter_errors()]
    assert errors == []
    ms_errors = [
        f"{e.json_path}: {e.message[:200]}"
        for e in validator("apiDefinition", relaxed=False).iter_errors(swagger)
    ]
    assert ms_errors == []


def test_deterministic(monkeypatch: pytest.MonkeyPatch) -> None:
    first = [run_case(name, monkeypatch)[:2] for name in case_names()]
    second = [run_case(name, monkeypatch)[:2] for name in case_names()]
    assert first == second


def test_documented_codes_are_the_codes_used() -> None:
    """Every loss code the converter can emit is listed in the package docstring (stable codes)."""
    import re

    import generator.convert as package

    source = "".join(
        p.read_text() for p in Path(package.__file__).parent.glob("*.py") if p.name != "__init__.py"
    )
    used = set(
        re.findall(
            r'(?:warning|info|add)\(\s*(?:Level\.\w+(?: if [^,]+ else Level\.\w+)?,\s*)?"([a-z0-9_]+)"',
            source,
        )
    )
    used |= {
        f"{kind}_{suffix}" for kind in ("one_of", "any_of") for suffix in ("merged", "first_alternative")
    }
    documented = set(re.findall(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b", package.__doc__ or ""))
    assert used and used <= documented, sorted(used - documented)
