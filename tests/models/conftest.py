"""Fixtures for the models tests: every vendor with a spec, rendered once per session."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator

import pytest
from generator.pipeline.vendors import REPO_ROOT, discover_vendors
from generator.spec.loader import load_spec

from tests.models.model_checks import RenderedVendor, render_vendor

SPECS_DIR = REPO_ROOT / "specs"
VENDORS = discover_vendors(SPECS_DIR)


@pytest.fixture(scope="session")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], RenderedVendor]]:
    """`rendered(vendor)`: the vendor's models package, rendered into a temporary build/ once."""
    build_dir = tmp_path_factory.mktemp("models-build")
    cache: dict[str, RenderedVendor] = {}
    path_before = list(sys.path)
    modules_before = set(sys.modules)

    def get(vendor: str) -> RenderedVendor:
        if vendor not in cache:
            api = load_spec(SPECS_DIR / vendor / "openapi.yaml", strict=False, validate=False).api  # validity is tested in tests/spec
            cache[vendor] = render_vendor(api, vendor, build_dir, SPECS_DIR / vendor)
        return cache[vendor]

    yield get
    sys.path[:] = path_before
    for name in set(sys.modules) - modules_before:
        if name.endswith("_models") or "_models." in name:
            del sys.modules[name]
