"""Offline checks of a Power Platform connector package (`connectorgen lint`).

Swagger 2.0 validation, Microsoft's JSON schemas (msschemas.py) and the certification checklist as
rule functions in a registry (registry.py; rules_*.py). Entry point: `lint_path(path)`.
"""

from __future__ import annotations

from generator.lint.runner import lint_package, lint_path

__all__ = ["lint_package", "lint_path"]
