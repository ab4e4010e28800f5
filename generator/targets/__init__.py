"""Build targets: one renderer per artefact family, each reading only the IR.

A target is a module with a module-level `TARGET` object satisfying `Target`. The registry maps names
to module paths so the CLI imports only the targets it runs (a warm no-op build imports none).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generator.targets.base import Target

__all__ = ["TARGET_MODULES", "load_target"]

# Build order matters only for the output listing; targets are independent of each other.
TARGET_MODULES: dict[str, str] = {
    "openapi": "generator.targets.openapi",
    "powerplatform": "generator.targets.powerplatform",
    "postman": "generator.targets.postman",
    "models": "generator.targets.models",
}


def load_target(name: str) -> Target:
    module = importlib.import_module(TARGET_MODULES[name])
    target: Target = module.TARGET
    return target
