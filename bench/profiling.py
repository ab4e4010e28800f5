"""Pure helpers for the profile section: parsing `python -X importtime` output and summarising a
cProfile dump into rows (function, own time, cumulative time, calls)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["ImportLine", "parse_importtime", "profile_rows", "short_path"]

_LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \|( *)(\S.*)$")


@dataclass(frozen=True)
class ImportLine:
    module: str
    self_us: int
    cumulative_us: int
    depth: int  # 0 = imported by the program itself


def parse_importtime(text: str) -> list[ImportLine]:
    found = []
    for line in text.splitlines():
        match = _LINE.match(line.rstrip())
        if match:
            self_us, cumulative_us, indent, module = match.groups()
            found.append(ImportLine(module.strip(), int(self_us), int(cumulative_us), (len(indent) - 1) // 2))
    return found


def short_path(filename: str, repo: Path) -> str:
    """Repo-relative for our code, `site-packages/...` for libraries, as is for built-ins."""
    if filename.startswith(str(repo) + "/") and "/.venv/" not in filename:
        return filename[len(str(repo)) + 1 :]
    marker = "site-packages/"
    if marker in filename:
        return filename[filename.index(marker) + len(marker) :]
    if "/lib/python3" in filename:
        return "stdlib/" + filename.rsplit("/lib/python3", 1)[1].split("/", 1)[-1]
    return filename


def profile_rows(dump: Path, repo: Path, *, sort: str, limit: int, only_ours: bool) -> list[list[str]]:
    """Top `limit` functions of a cProfile dump by `sort` ("tottime" or "cumulative"). only_ours: only
    functions in generator/ other than the CLI wrappers (whose cumulative time is everything)."""
    import pstats

    stats = pstats.Stats(str(dump))
    entries = []
    for (filename, line, name), (_cc, ncalls, tottime, cumtime, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        where = short_path(filename, repo)
        if only_ours and (not where.startswith("generator/") or where in ("generator/cli.py", "generator/__main__.py")):
            continue
        if only_ours and name == "<module>":
            continue
        entries.append((tottime if sort == "tottime" else cumtime, f"{where}:{line}({name})", tottime, cumtime, ncalls))
    entries.sort(key=lambda e: e[0], reverse=True)
    return [[label, f"{own:.3f}", f"{cum:.3f}", str(calls)] for _, label, own, cum, calls in entries[:limit]]
