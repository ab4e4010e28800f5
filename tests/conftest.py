"""Shared fixtures: the repository layout and the loaded vendor specs (loaded once per session)."""

from __future__ import annotations

from pathlib import Path

import pytest
from generator.ir.model import Api
from generator.pipeline.vendors import discover_vendors
from generator.spec.loader import LoadedSpec, load_spec

REPO = Path(__file__).resolve().parents[1]
SPECS = REPO / "specs"
VENDORS = discover_vendors(SPECS)

_LOADED: dict[str, LoadedSpec] = {}


def loaded_spec(vendor: str) -> LoadedSpec:
    if vendor not in _LOADED:
        _LOADED[vendor] = load_spec(SPECS / vendor / "openapi.yaml", strict=True, require=("3.1",))
    return _LOADED[vendor]


@pytest.fixture(params=VENDORS)
def vendor(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def api(vendor: str) -> Api:
    return loaded_spec(vendor).api
