"""Building the four vendor packages once per test session (the target, called directly)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from generator.pipeline.vendors import load_vendor
from generator.problems import Level, Problem
from generator.targets.base import TargetContext
from generator.targets.powerplatform import TARGET

from tests.conftest import SPECS, VENDORS

__all__ = ["VENDORS", "build_package", "built_packages"]

_BUILT: dict[str, tuple[Path, list[Problem]]] = {}
_ROOT: Path | None = None


def build_package(vendor: str, out: Path) -> list[Problem]:
    inputs = load_vendor(SPECS, vendor)
    out.mkdir(parents=True, exist_ok=True)
    return TARGET.render(inputs.api, TargetContext(vendor, inputs.spec_dir, inputs.connector), out)


def built_packages() -> dict[str, tuple[Path, list[Problem]]]:
    """vendor → (package folder, problems), built once into a temporary folder."""
    global _ROOT
    if _ROOT is None:
        _ROOT = Path(tempfile.mkdtemp(prefix="connectorgen-pp-"))
    for vendor in VENDORS:
        if vendor not in _BUILT:
            out = _ROOT / vendor / "powerplatform"
            problems = build_package(vendor, out)
            assert not [p for p in problems if p.level is Level.ERROR], problems
            _BUILT[vendor] = (out, problems)
    return _BUILT
