"""Offline checks of a Power Platform connector package (`connectorgen lint`).

Swagger 2.0 validation, Microsoft's JSON schemas (msschemas.py, with explicit additions) and the
validator's and certification's rules as functions in a registry (registry.py; every rules_*.py is
loaded; rules_script.py for custom code, with csharp.py). Files are read as the platform reads them
(package.py: JSON with comments and trailing commas, names in any case) and every finding is located
(jsonlocate.py). Severities are calibrated on 121 published connectors (tests/lint/CALIBRATION.md).
Entry points: `lint_path(path)`; report.py for many packages and the per-rule summary.
"""

from __future__ import annotations

from generator.lint.runner import lint_package, lint_path

__all__ = ["lint_package", "lint_path"]
