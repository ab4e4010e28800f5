"""The Jinja2 environment for text artefacts. Templates are the repository's `templates/`, shipped as
package data (`generator/data/templates`, see `util/resources.py`)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from generator.util.resources import templates_dir as _shipped_templates

__all__ = ["TEMPLATES_DIR", "render_template"]

TEMPLATES_DIR = _shipped_templates()


@lru_cache(maxsize=4)
def _environment(root: str) -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(root),
        undefined=jinja2.StrictUndefined,  # a missing value is a bug, not an empty string
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )


def render_template(name: str, templates_dir: Path | None = None, **context: Any) -> str:
    """Render `templates/<name>` with `context` (IR objects and plain values only)."""
    env = _environment(str(templates_dir or TEMPLATES_DIR))
    text: str = env.get_template(name).render(**context)
    return text
