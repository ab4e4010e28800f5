"""Broken inputs: each gets exit code 2, located messages, a committed snapshot, and build/ untouched.

Each folder of tests/bad_specs/ is a vendor folder (openapi.yaml + connector.yaml) with the expected
problem report in `expected.txt` (and, optionally, `environment`: KEY=VALUE lines set for the run,
e.g. a lower input limit). Set CONNECTORGEN_REGEN=1 (`make regen`) to rewrite the snapshots.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent / "bad_specs"
CASES = sorted(p.name for p in HERE.iterdir() if p.is_dir())


def _tree_hash(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()
    }


def _environment(case: Path) -> dict[str, str]:
    path = case / "environment"
    lines = path.read_text().splitlines() if path.is_file() else []
    return dict(line.split("=", 1) for line in lines if "=" in line)


def test_at_least_fifteen_cases() -> None:
    assert len(CASES) >= 15


@pytest.mark.parametrize("case", CASES)
def test_bad_spec_is_reported_and_build_untouched(case: str, tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    shutil.copytree(HERE / case, specs / case, ignore=shutil.ignore_patterns("expected.txt", "environment"))
    build = tmp_path / "build"
    (build / "other" / "postman").mkdir(parents=True)
    (build / "other" / "postman" / "keep.json").write_text('{"previous": "output"}\n')
    before = _tree_hash(build)

    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--specs", "specs", "--out", "build", "--jobs", "1"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "CONNECTORGEN_DEBUG": "", **_environment(HERE / case)},
        timeout=120,
    )
    report = result.stderr
    assert result.returncode == 2, report + result.stdout
    assert "Traceback" not in report + result.stdout
    assert _tree_hash(build) == before
    assert sorted(p.name for p in build.iterdir()) == ["other"]

    problem_lines = [line for line in report.splitlines() if line.startswith("  ")]
    assert problem_lines
    for line in problem_lines:
        # file:line:col: level code [json-pointer]: message
        assert re.match(rf"  specs/{case}/[\w.]+:\d+:\d+: error [a-z0-9_]+ \[(#|/[^\]]*)\]: \S", line), line

    expected = HERE / case / "expected.txt"
    if os.environ.get("CONNECTORGEN_REGEN"):
        expected.write_text(report)
    assert report == expected.read_text(), f"snapshot differs for {case}; `make regen` rewrites it"
