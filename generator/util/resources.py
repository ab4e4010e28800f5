"""Files the runtime reads, found through `importlib.resources` inside the installed package.

`generator/data/` holds the package data: vendored schemas, the C# harness, and — as links to the
repository's `templates/` and `specs/` folders, which setuptools copies into the wheel — the Jinja
templates and the curated vendor specs. A checkout and an installed wheel find them the same way.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

__all__ = ["data_path", "specs_dir", "templates_dir"]


@cache
def _data_root() -> Path:
    root = files("generator").joinpath("data")
    # A wheel is installed unpacked, so the package's Traversable is a real folder.
    return Path(str(root))


def data_path(*parts: str) -> Path:
    """`generator/data/<parts...>` of the installed package."""
    return _data_root().joinpath(*parts)


def templates_dir() -> Path:
    """The Jinja templates (the repository's `templates/`)."""
    return data_path("templates")


def specs_dir() -> Path:
    """The curated vendor specs shipped with the package (the repository's `specs/`)."""
    return data_path("specs")
