"""Where things are: the repo, our CLI, the npm tools, the benchmark inputs; and the run context
that every section receives."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "LARGE_DOC",
    "REPO",
    "BenchInput",
    "Context",
    "compile_bytecode",
    "connectorgen_command",
    "count_operations",
    "environment_info",
    "node_tool",
    "vendors",
]

REPO = Path(__file__).resolve().parents[1]
LARGE_DOC = REPO / "bench" / "data" / "ev-server-e-mobility-oas.json"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass(frozen=True)
class BenchInput:
    name: str
    path: Path
    operations: int
    version: str  # the document's `openapi` field


@dataclass
class Context:
    repo: Path
    out: Path
    runs: int
    timeout: float
    connectorgen: list[str]
    progress: Callable[[str], None]
    requests: int = 5000
    concurrency: int = 50
    scaling_sizes: tuple[int, ...] = (10, 100, 1000, 10000)
    scaling_js: bool = True
    cache: dict[str, Any] = field(default_factory=dict)


def connectorgen_command() -> list[str]:
    """The console script next to this interpreter (what users run), else `python -m generator`."""
    script = Path(sys.executable).parent / "connectorgen"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "generator"]


def compile_bytecode(repo: Path) -> str:
    """Compile the generator package to .pyc before timing it, as `pip install` does for an installed
    package. An editable install run with PYTHONDONTWRITEBYTECODE=1 (set on some CI machines) would
    otherwise recompile every module from source on each start: about 90 ms of every command."""
    import compileall

    ok = compileall.compile_dir(str(repo / "generator"), quiet=1, workers=1)
    return "compiled before timing (as pip does on install)" if ok else "compilation failed: timings include compiling from source"


def node_tool(repo: Path, name: str) -> Path | None:
    path = repo / "node_modules" / ".bin" / name
    return path if path.exists() else None


def vendors(repo: Path) -> list[str]:
    specs = repo / "specs"
    return sorted(p.name for p in specs.iterdir() if (p / "openapi.yaml").is_file()) if specs.is_dir() else []


def load_document(path: Path) -> Any:
    if path.suffix == ".json":
        return json.loads(path.read_text(encoding="utf-8"))
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8"))


def count_operations(document: Any) -> int:
    paths = document.get("paths") or {} if isinstance(document, dict) else {}
    return sum(1 for item in paths.values() if isinstance(item, dict) for m in item if m in HTTP_METHODS)


def _npm_version(repo: Path, package: str) -> str:
    try:
        data = json.loads((repo / "node_modules" / package / "package.json").read_text())
        return str(data.get("version", "?"))
    except (OSError, ValueError):
        return "not installed"


def _command_output(command: list[str]) -> str:
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=30).stdout.strip() or "?"
    except (OSError, subprocess.SubprocessError):
        return "not found"


def environment_info(repo: Path) -> dict[str, str]:
    load = os.getloadavg()
    return {
        "python": platform.python_version(),
        "node": _command_output(["node", "--version"]),
        "platform": platform.platform(),
        "cpus": str(os.cpu_count()),
        "load average at start (1/5/15 min)": " / ".join(f"{x:.2f}" for x in load),
        "api-spec-converter": _npm_version(repo, "api-spec-converter"),
        "openapi-to-postmanv2": _npm_version(repo, "openapi-to-postmanv2"),
        "@stoplight/prism-cli": _npm_version(repo, "@stoplight/prism-cli"),
    }
