"""The layer table of ARCHITECTURE.md is what the code does: every `import generator.…` of a module
is allowed by its layer's row (the table is read from the document, so the two cannot drift), and no
two layers import each other, directly or through others (no package-level cycle)."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest

from tests.conftest import REPO

_ROW = re.compile(r"^\| `(?P<layer>[a-z/]+)` \| (?P<folders>[^|]+) \| (?P<allowed>[^|]+) \|$")

Rows = dict[str, tuple[list[str], set[str] | None]]


def _table(text: str) -> Rows:
    """layer -> (its folders or files, the layers it may import; None for 'everything')."""
    rows: Rows = {}
    for line in text.splitlines():
        match = _ROW.match(line.strip())
        if not match:
            continue
        folders = re.findall(r"`([^`]+)`", match["folders"])
        allowed_text = match["allowed"]
        allowed = None if allowed_text.strip().startswith("everything") else set(re.findall(r"`([a-z/]+)`", allowed_text))
        rows[match["layer"]] = (folders, allowed)
    return rows


def _layer_of(path: str, rows: Rows) -> str | None:
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


def _imports(rows: Rows, sources: list[tuple[str, str]]) -> Iterator[tuple[str, int, str, str, str]]:
    """(file, line, its layer, module imported, the module's layer) for every import of another layer,
    at the top of a module or inside a function (a lazy import is a dependency too)."""
    for path, text in sources:
        layer = _layer_of(path, rows)
        assert layer is not None, f"{path} belongs to no layer of ARCHITECTURE.md's table"
        for node in ast.walk(ast.parse(text)):
            modules = []
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            for module in modules:
                if not module.startswith("generator."):
                    continue
                target = _layer_of(_module_path(module), rows)
                if target and target != layer:
                    yield path, node.lineno, layer, module, target


def _violations(rows: Rows, sources: list[tuple[str, str]]) -> list[str]:
    out: list[str] = []
    for path, line, layer, module, target in _imports(rows, sources):
        allowed = rows[layer][1]
        if allowed is not None and target not in allowed:
            out.append(f"{path}:{line}: {layer} imports {module} ({target})")
    return out


def _cycles(rows: Rows, sources: list[tuple[str, str]]) -> list[str]:
    """Every cycle of the layer graph the imports make, as `a -> b -> a` with the imports that close
    it; each cycle once, from its first layer in the table's order."""
    edges: dict[str, dict[str, str]] = {}
    for path, line, layer, module, target in _imports(rows, sources):
        edges.setdefault(layer, {}).setdefault(target, f"{path}:{line} imports {module}")
    order = list(rows)
    found: list[str] = []

    def walk(start: str, node: str, trail: list[str]) -> None:
        for nxt in sorted(edges.get(node, {}), key=order.index):
            if nxt == start:
                hops = [*trail, start]
                why = "; ".join(edges[a][b] for a, b in pairwise(hops))
                found.append(f"{' -> '.join(hops)} ({why})")
            elif nxt not in trail and order.index(nxt) > order.index(start):
                walk(start, nxt, [*trail, nxt])

    for start in order:
        walk(start, start, [start])
    return found


def _rows() -> Rows:
    return _table((REPO / "ARCHITECTURE.md").read_text(encoding="utf-8"))


def test_every_import_follows_the_layer_table() -> None:
    rows = _rows()
    assert {"problems", "util", "spec", "ir", "convert", "mock", "pipeline", "commands"} <= set(rows)
    assert _violations(rows, _sources()) == []


def test_an_import_against_the_table_is_caught() -> None:
    """The check can fail: with `util` allowed nothing, a util module importing the IR is reported."""
    found = _violations(_rows(), [("generator/util/_layer_probe.py", "from generator.ir.model import Api\n")])
    assert found == ["generator/util/_layer_probe.py:1: util imports generator.ir.model (ir)"]


def test_no_two_layers_import_each_other() -> None:
    assert _cycles(_rows(), _sources()) == []


def test_a_cycle_between_layers_is_caught() -> None:
    """The check can fail: a lazy import of the pipeline in `spec/` (which the pipeline imports) closes
    a cycle, even though each import alone could be allowed by a table that lists both."""
    probe = ("generator/spec/_cycle_probe.py", "def f():\n    from generator.pipeline.vendors import discover_vendors\n")
    found = _cycles(_rows(), [*_sources(), probe])
    assert found and all(" -> ".join(["spec", "pipeline", "spec"]) in f for f in found[:1]), found
    assert "generator/spec/_cycle_probe.py:2 imports generator.pipeline.vendors" in found[0]


def test_a_longer_cycle_is_caught() -> None:
    """Through three layers, each import allowed by its row: reported once, from the first layer."""
    rows: Rows = {name: ([f"generator/{name}/"], {other}) for name, other in (("a", "b"), ("b", "c"), ("c", "a"))}
    sources = [("a/x.py", "import generator.b.y\n"), ("b/y.py", "import generator.c.z\n"), ("c/z.py", "import generator.a.x\n")]
    sources = [(f"generator/{path}", text) for path, text in sources]
    assert _violations(rows, sources) == []
    found = _cycles(rows, sources)
    assert [f.split(" (")[0] for f in found] == ["a -> b -> c -> a"]


@pytest.mark.parametrize("path, layer", [("generator/cli.py", "commands"), ("generator/targets/powerplatform/profile.py", "targets/powerplatform")])
def test_files_fall_in_their_layer(path: str, layer: str) -> None:
    assert _layer_of(path, _rows()) == layer
