"""Writing the imported folder: YAML that reads back to the same data, into a temporary folder that
replaces the output only once everything is written and checked."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator.problems import Level, Problem, ProblemError
from generator.spec.source import load_source

__all__ = ["SPEC_FILES", "check_output", "dump_yaml", "reads_back", "staged"]

SPEC_FILES = ("openapi.yaml", "connector.yaml")


def _dumper() -> Any:
    import yaml

    class Dumper(yaml.SafeDumper):
        def ignore_aliases(self, data: Any) -> bool:
            return True  # the same object twice is written twice: no anchors in a spec

    def text(dumper: Any, value: str) -> Any:
        style = "|" if "\n" in value.strip("\n") and not any(c in value for c in "\t\r") and value == value.rstrip(" ") else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, text)
    return Dumper


def dump_yaml(data: Any, header: str = "") -> str:
    import yaml

    body = yaml.dump(data, Dumper=_dumper(), sort_keys=False, allow_unicode=True, width=120, indent=2, default_flow_style=False)
    return (header + body) if header else body


def check_output(out: Path, force: bool) -> None:
    """Refuse an output folder that already holds a spec (unless `force`) or is not a folder."""
    if out.exists() and not out.is_dir():
        raise ProblemError([Problem(Level.ERROR, "output_not_a_folder", "the output must be a folder", str(out))])
    held = [name for name in SPEC_FILES if (out / name).exists()]
    if held and not force:
        raise ProblemError(
            [Problem(Level.ERROR, "output_exists", f"the output folder already holds {', '.join(held)}; use --force to replace it", str(out / held[0]), 1, 1)]
        )


def staged(out: Path, files: dict[str, bytes], check: Callable[[Path], list[Problem]]) -> list[Problem]:
    """Write `files` into a temporary folder beside `out`, re-read every YAML file (it must give the
    same data), run `check` on the folder, and only then move the files into `out`. On any error
    nothing in `out` changes; raises `ProblemError`."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.import-", dir=out.parent))
    try:
        for name, data in files.items():
            (tmp / name).write_bytes(data)
        problems = check(tmp)
        if any(p.level is Level.ERROR for p in problems):
            raise ProblemError(problems)
        if not out.exists():
            os.replace(tmp, out)
            return problems
        for name in files:
            os.replace(tmp / name, out / name)
        return problems
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def reads_back(path: Path, expected: Any, display: str) -> list[Problem]:
    """An error when the YAML written to `path` does not read back as `expected`."""
    data = load_source(path, display).data
    if data == expected:
        return []
    return [Problem(Level.ERROR, "yaml_round_trip", "the YAML written does not read back to the same data", display, 1, 1, "#")]
