"""Generated Postman output for the four vendors and a third-party document, built once per session."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from generator.spec.loader import load_spec
from generator.targets.postman.collection import PostmanOutput, build_postman

from tests.conftest import REPO, VENDORS, loaded_spec

THIRD_PARTY = Path(__file__).parent / "data" / "ev-server-e-mobility-oas.json"
THIRD_PARTY_SLUG = "e-mobility"
POSTMAN_SCHEMA = REPO / "generator" / "data" / "schemas" / "postman-collection-v2.1.0.schema.json"
VARIABLE = re.compile(r"\{\{([^{}]+)\}\}")

_BUILT: dict[str, PostmanOutput] = {}


def built(name: str) -> PostmanOutput:
    """The Postman output of a vendor, or of the third-party document (`THIRD_PARTY_SLUG`)."""
    if name not in _BUILT:
        if name == THIRD_PARTY_SLUG:
            api = load_spec(THIRD_PARTY, strict=False, validate=False).api
        else:
            api = loaded_spec(name).api
        _BUILT[name] = build_postman(api, name)
    return _BUILT[name]


def items(collection: dict[str, Any]) -> list[dict[str, Any]]:
    """Every request item, in run order (folders flattened)."""
    out: list[dict[str, Any]] = []
    for node in collection["item"]:
        out.extend(items(node) if "item" in node else [node])
    return out


def script(node: dict[str, Any], listen: str) -> str:
    return "\n".join("\n".join(e["script"]["exec"]) for e in node.get("event", []) if e["listen"] == listen)


def used_variables(document: Any) -> set[str]:
    return {m for m in VARIABLE.findall(json.dumps(document, ensure_ascii=False)) if not m.startswith("$")}


@pytest.fixture(params=[*VENDORS, THIRD_PARTY_SLUG])
def any_output(request: pytest.FixtureRequest) -> PostmanOutput:
    return built(str(request.param))


@pytest.fixture
def output(vendor: str) -> PostmanOutput:
    return built(vendor)
