"""Small, checked edits of datamodel-code-generator's output.

Only one edit is needed: an `__all__` listing every generated class, so `from pkg.models import *`
and the package's re-exports are explicit under `mypy --strict` (no implicit re-export).
`model_classes` tells the target which classes exist and which are enums, so it never binds a body to
a name the generator renamed or to an enum (not a pydantic model).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

__all__ = ["ModelClass", "add_dunder_all", "format_name_list", "model_classes"]

_ENUM_BASES = {"Enum", "StrEnum", "IntEnum", "IntFlag", "Flag"}


@dataclass(frozen=True)
class ModelClass:
    name: str
    is_enum: bool


def model_classes(tree: ast.Module) -> list[ModelClass]:
    """Top-level classes of a parsed module, in order."""
    classes: list[ModelClass] = []
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            bases = {b.id if isinstance(b, ast.Name) else b.attr if isinstance(b, ast.Attribute) else "" for b in node.bases}
            classes.append(ModelClass(node.name, bool(bases & _ENUM_BASES)))
    return classes


def format_name_list(target: str, names: list[str]) -> str:
    """`target = [...]`, one quoted name per line (black style)."""
    if not names:
        return f"{target} = []\n"
    return f"{target} = [\n" + "".join(f'    "{name}",\n' for name in names) + "]\n"


def add_dunder_all(source: str, tree: ast.Module) -> str:
    """`source` (parsed as `tree`) with `__all__` (every top-level class) inserted before the first class."""
    if any(isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets) for node in tree.body):
        raise ValueError("generated models already define __all__")
    first = next((node for node in tree.body if isinstance(node, ast.ClassDef)), None)
    if first is None:
        return source
    start = min([first.lineno, *(d.lineno for d in first.decorator_list)]) - 1
    lines = source.splitlines(keepends=True)
    block = format_name_list("__all__", [c.name for c in model_classes(tree)]) + "\n\n"
    return "".join(lines[:start]) + block + "".join(lines[start:])
