"""Power Platform connector package: build/<vendor>/powerplatform/ with apiDefinition.swagger.json,
apiProperties.json, icon.png, readme.md, settings.json and, when the auth needs it, script.csx.

Everything vendor-specific comes from the IR and `specs/<vendor>/connector.yaml` (see
generator/data/connector.schema.json); text files come from templates/powerplatform/.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Any

from generator.ir.model import Api
from generator.problems import Level, Problem
from generator.targets.base import TargetContext
from generator.util.jsonio import write_json, write_text

__all__ = ["TARGET", "PowerPlatformTarget", "backend_paths"]

_HANDLED_LOSSES = {
    # Handled by the package itself, so not worth a warning on every build.
    "oauth2_client_credentials_unsupported": "client credentials are handled by the custom code",
    "security_scheme_dropped": "connection parameters and policies authenticate",
    "callback_dropped": "callbacks become the webhook trigger's notification content",
    "webhook_dropped": "pushes are configured out of band; see the readme's known issues",
}


def backend_paths(swagger: dict[str, Any], routes: dict[str, tuple[str, str]]) -> dict[str, str]:
    """operationId → the path under the base URL the request has after routing policies."""
    out: dict[str, str] = {}
    for path, item in swagger.get("paths", {}).items():
        for method, op in item.items():
            if isinstance(op, dict) and "operationId" in op and not method.startswith("x-"):
                out[op["operationId"]] = routes.get(op["operationId"], (path, method))[0]
    return out


class PowerPlatformTarget:
    name = "powerplatform"

    def output_dir(self, vendor: str) -> PurePosixPath:
        return PurePosixPath(vendor) / "powerplatform"

    def render(self, api: Api, ctx: TargetContext, out: Path) -> list[Problem]:
        from generator.spec.connector import connector_problem
        from generator.targets.powerplatform.assets import readme_text, render_icon, settings
        from generator.targets.powerplatform.config import ConfigError, read_config
        from generator.targets.powerplatform.properties import api_properties
        from generator.targets.powerplatform.script import check_script, render_script
        from generator.targets.powerplatform.swagger import build_swagger

        connector_file = ctx.spec_dir / "connector.yaml"

        def problem(level: Level, code: str, message: str, pointer: str = "") -> Problem:
            return connector_problem(connector_file, level, code, message, pointer)

        if not ctx.connector.get("readme"):
            return [problem(Level.ERROR, "powerplatform_readme_missing", "connector.yaml has no `readme` section")]
        script: str | None = None
        try:
            config = read_config(ctx.connector, api)
            swagger, routes, losses, missing = build_swagger(api, config)
            # Published operations kept, deprecated (generator/diff/supersede.py).
            from generator.diff.supersede import keep_superseded

            try:
                keep_superseded(swagger, routes, api, ctx.spec_dir)
            except ValueError as exc:  # a supersede entry that does not fit the baseline
                raise ConfigError(str(exc)) from exc
            paths = backend_paths(swagger, routes)
            if config.needs_script:
                script = render_script(config, api, ctx.vendor, paths, ctx.templates_dir)
        except ConfigError as exc:
            return [problem(Level.ERROR, "powerplatform_config_invalid", f"connector.yaml does not fit the spec: {exc}", exc.pointer)]
        problems = [
            Problem(Level.INFO, p.code, f"{p.message} ({_HANDLED_LOSSES[p.code]})", p.file, p.line, p.col, p.pointer)
            if p.code in _HANDLED_LOSSES and p.level is Level.WARNING
            else p
            for p in losses
            if p.level is not Level.INFO  # the full loss report is `connectorgen convert`'s job
        ]
        problems += [
            problem(Level.WARNING, "dynamic_values_unused", f"dynamicValues {name!r} matches no parameter", "/dynamicValues")
            for name in missing
        ]

        script_operations: list[str] | None = None
        if script is not None:
            for message in check_script(script):
                problems.append(problem(Level.ERROR, "powerplatform_script_invalid", message))
            write_text(out / "script.csx", script)
            script_operations = sorted(paths)

        has_triggers = bool(config.webhook_triggers or config.polling_triggers)
        meta = config.metadata
        write_json(out / "apiDefinition.swagger.json", swagger)
        write_json(out / "apiProperties.json", api_properties(config, routes, script_operations, has_triggers))
        (out / "icon.png").write_bytes(render_icon(meta.icon_text, meta.brand_color, meta.icon_text_color))
        write_text(out / "readme.md", readme_text(config.raw, swagger, script is not None, ctx.templates_dir))
        write_json(out / "settings.json", settings(script is not None))
        # connectorgen import: a published connector's values the model cannot say (overlay.py).
        return _overlay(ctx, out, problems)


def _overlay(ctx: TargetContext, out: Path, problems: list[Problem]) -> list[Problem]:
    from generator.targets.powerplatform.overlay import apply_overlay

    return apply_overlay(ctx.connector, ctx.spec_dir, out, problems)


TARGET = PowerPlatformTarget()
