"""A side of `connectorgen diff` (and of the build's baseline check) built from a vendor spec folder.

A vendor spec folder (openapi.yaml + connector.yaml) is built in memory through the Power Platform
target's own functions, so the definition compared is the one `connectorgen build` would write.
This lives in the pipeline layer, not in `diff/`: building needs the Power Platform target, and the
target needs `diff/` (the superseded operations it keeps are read from the baseline with it).
"""

from __future__ import annotations

import json
from pathlib import Path

from generator.diff.load import DEFINITION, PROPERTIES, fail, load_side
from generator.diff.model import Side
from generator.util.fsio import display_path

__all__ = ["build_vendor_side", "load_any_side"]


def build_vendor_side(spec_dir: Path, label: str = "") -> Side:
    """Build the Power Platform apiDefinition and apiProperties of `specs/<vendor>/` in memory."""
    from generator.diff.supersede import keep_superseded
    from generator.pipeline.vendors import load_vendor
    from generator.targets.powerplatform import backend_paths
    from generator.targets.powerplatform.config import read_config
    from generator.targets.powerplatform.properties import api_properties
    from generator.targets.powerplatform.swagger import build_swagger

    inputs = load_vendor(spec_dir.parent, spec_dir.name)  # ProblemError: located spec problems
    try:
        config = read_config(inputs.connector, inputs.api)
        swagger, routes, _losses, _missing = build_swagger(inputs.api, config)
        keep_superseded(swagger, routes, inputs.api, spec_dir)  # as the powerplatform target does
    except (ValueError, KeyError) as exc:
        raise fail("diff_spec_unbuildable", f"connector.yaml does not fit the spec: {exc}", display_path(spec_dir / "connector.yaml")) from None
    scripted = sorted(backend_paths(swagger, routes)) if config.needs_script else None
    has_triggers = bool(config.webhook_triggers or config.polling_triggers)
    # A JSON round trip gives plain data, exactly as written to apiDefinition.swagger.json.
    definition = json.loads(json.dumps(swagger))
    properties = json.loads(json.dumps(api_properties(config, routes, scripted, has_triggers)))["properties"]
    shown = display_path(spec_dir)
    return Side(label or shown, definition, properties, f"{shown} (built {DEFINITION})", f"{shown} (built {PROPERTIES})")


def load_any_side(path: Path) -> Side:
    """What `connectorgen diff` takes: a vendor spec folder (built) or what `diff.load_side` reads
    (an apiDefinition file or a package folder)."""
    if path.is_dir() and not (path / DEFINITION).is_file() and (path / "openapi.yaml").is_file():
        return build_vendor_side(path, display_path(path))
    return load_side(path)
