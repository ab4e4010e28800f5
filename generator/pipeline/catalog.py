"""`specs/README.md`: the table of every operation and webhook with its source, generated from the
specs' `x-connectorgen-source` so it never drifts (`make regen` rewrites it, a test checks it).

It reads every vendor of `specs/`, so it lives in the pipeline layer, above `spec/`."""

from __future__ import annotations

import sys
from pathlib import Path

from generator.ir.model import Api

__all__ = ["render_catalog"]

_HEADER = """# The curated specs

One folder per vendor: `openapi.yaml` (OpenAPI 3.1.0, the single source of every artefact) and
`connector.yaml` (Power Platform metadata). How the specs are written: [CONVENTIONS.md](CONVENTIONS.md).
Each vendor folder has a README with its modelling decisions.

This page is generated from the specs (`make regen`); do not edit it by hand.
"""


def _cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())


def render_catalog(apis: dict[str, Api]) -> str:
    lines = [_HEADER]
    for vendor, api in apis.items():
        hooks = len(api.webhooks) + sum(len(op.callbacks) for op in api.operations)
        lines.append(f"## {api.title} (`specs/{vendor}`)\n")
        lines.append(f"{len(api.operations)} operations, {hooks} webhooks and callbacks. Details: [{vendor}/README.md]({vendor}/README.md).\n")
        lines.append("| method | path | operationId | summary | source |")
        lines.append("| --- | --- | --- | --- | --- |")
        for op in api.operations:
            source = str(op.extensions.get("x-connectorgen-source", ""))
            lines.append(f"| {op.method.upper()} | `{op.path}` | {op.operation_id} | {_cell(op.summary)} | {_cell(source)} |")
        for op in api.operations:
            for cb in op.callbacks:
                for cb_op in cb.operations:
                    source = str(cb_op.extensions.get("x-connectorgen-source", ""))
                    lines.append(
                        f"| {cb_op.method.upper()} (callback of {op.operation_id}) | `{cb.expression}` | {cb_op.operation_id} "
                        f"| {_cell(cb_op.summary)} | {_cell(source)} |"
                    )
        for hook in api.webhooks:
            for hook_op in hook.operations:
                source = str(hook_op.extensions.get("x-connectorgen-source", ""))
                lines.append(
                    f"| {hook_op.method.upper()} (webhook) | `{hook.name}` | {hook_op.operation_id} | {_cell(hook_op.summary)} | {_cell(source)} |"
                )
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    from generator.pipeline.vendors import REPO_ROOT, discover_vendors
    from generator.spec.loader import load_spec

    specs = REPO_ROOT / "specs"
    apis = {v: load_spec(specs / v / "openapi.yaml", strict=True).api for v in discover_vendors(specs)}
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else specs / "README.md"
    out.write_text(render_catalog(apis), encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
