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


def items(collection: dict[str, Any], skip: frozenset[str] = frozenset()) -> list[dict[str, Any]]:
    """Every request item, in run order (folders flattened), leaving out the folders named in `skip`."""
    out: list[dict[str, Any]] = []
    for node in collection["item"]:
        if node.get("name") in skip and "item" in node:
            continue
        out.extend(items(node) if "item" in node else [node])
    return out


def walkthroughs(vendor: str) -> frozenset[str]:
    """The names of the vendor's walkthrough folders (x-connectorgen-walkthroughs)."""
    spec = loaded_spec(vendor).api.extensions.get("x-connectorgen-walkthroughs") or ()
    return frozenset(str(w["name"]) for w in spec)


def operation_items(vendor: str, collection: dict[str, Any]) -> list[dict[str, Any]]:
    """The request of each operation (or variant), without the walkthrough folders' copies."""
    return items(collection, walkthroughs(vendor))


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
