"""The layer table of ARCHITECTURE.md is what the code does: every `import generator.…` of a module
is allowed by its layer's row (the table is read from the document, so the two cannot drift)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.conftest import REPO

_ROW = re.compile(r"^\| `(?P<layer>[a-z/]+)` \| (?P<folders>[^|]+) \| (?P<allowed>[^|]+) \|$")


def _table(text: str) -> dict[str, tuple[list[str], set[str] | None]]:
    """layer -> (its folders or files, the layers it may import; None for 'everything')."""
    rows: dict[str, tuple[list[str], set[str] | None]] = {}
    for line in text.splitlines():
        match = _ROW.match(line.strip())
        if not match:
            continue
        folders = re.findall(r"`([^`]+)`", match["folders"])
        allowed_text = match["allowed"]
        allowed = None if allowed_text.strip().startswith("everything") else set(re.findall(r"`([a-z/]+)`", allowed_text))
        rows[match["layer"]] = (folders, allowed)
    return rows


def _layer_of(path: str, rows: dict[str, tuple[list[str], set[str] | None]]) -> str | None:
    best: tuple[int, str] | None = None
    for layer, (folders, _) in rows.items():
        for folder in folders:
            matches = path == folder or (folder.endswith("/") and path.startswith(folder))
            if matches and (best is None or len(folder) > best[0]):
                best = (len(folder), layer)
    return best[1] if best else None


def _module_path(module: str) -> str:
    """`generator.spec.source` -> `generator/spec/source.py` (or the package's `__init__.py`)."""
    base = REPO / Path(*module.split("."))
    if base.is_dir():
        return f"{base.relative_to(REPO).as_posix()}/__init__.py"
    return f"{base.relative_to(REPO).as_posix()}.py"


def _sources() -> list[tuple[str, str]]:
    return [(f.relative_to(REPO).as_posix(), f.read_text(encoding="utf-8")) for f in sorted((REPO / "generator").rglob("*.py"))]


def _violations(rows: dict[str, tuple[list[str], set[str] | None]], sources: list[tuple[str, str]]) -> list[str]:
    out: list[str] = []
    for path, text in sources:
        layer = _layer_of(path, rows)
        assert layer is not None, f"{path} belongs to no layer of ARCHITECTURE.md's table"
        allowed = rows[layer][1]
        if allowed is None:
            continue
        for node in ast.walk(ast.parse(text)):
            modules = []
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            for module in modules:
                if module != "generator" and not module.startswith("generator."):
                    continue
                target = _layer_of(_module_path(module), rows) if module != "generator" else None
                if target and target != layer and target not in allowed:
                    out.append(f"{path}:{node.lineno}: {layer} imports {module} ({target})")
    return out


def test_every_import_follows_the_layer_table() -> None:
    rows = _table((REPO / "ARCHITECTURE.md").read_text(encoding="utf-8"))
    assert {"problems", "util", "spec", "ir", "convert", "mock", "pipeline", "commands"} <= set(rows)
    assert _violations(rows, _sources()) == []


def test_an_import_against_the_table_is_caught() -> None:
    """The check can fail: with `util` allowed nothing, a util module importing the IR is reported."""
    rows = _table((REPO / "ARCHITECTURE.md").read_text(encoding="utf-8"))
    found = _violations(rows, [("generator/util/_layer_probe.py", "from generator.ir.model import Api\n")])
    assert found == ["generator/util/_layer_probe.py:1: util imports generator.ir.model (ir)"]


@pytest.mark.parametrize("path, layer", [("generator/cli.py", "commands"), ("generator/targets/powerplatform/profile.py", "targets/powerplatform")])
def test_files_fall_in_their_layer(path: str, layer: str) -> None:
    assert _layer_of(path, _table((REPO / "ARCHITECTURE.md").read_text(encoding="utf-8"))) == layer
