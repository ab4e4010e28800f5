"""`connectorgen build`: determinism, incremental rebuilds, golden records."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

GOLDEN = REPO / "tests" / "golden"


def _build(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", *args], cwd=cwd, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def _hashes(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".state" not in p.relative_to(root).parts
    }


@pytest.fixture(scope="module")
def fresh_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("build")
    _build("--force", "--out", str(out), cwd=REPO)
    return out


def test_force_build_twice_is_byte_identical(fresh_build: Path, tmp_path: Path) -> None:
    _build("--force", "--out", str(tmp_path), cwd=REPO)
    first, second = _hashes(fresh_build), _hashes(tmp_path)
    assert first, "the build wrote nothing"
    assert first == second


def test_build_matches_golden_records(fresh_build: Path) -> None:
    golden, built = _hashes(GOLDEN), _hashes(fresh_build)
    missing = sorted(set(golden) - set(built))
    extra = sorted(set(built) - set(golden))
    changed = sorted(k for k in set(golden) & set(built) if golden[k] != built[k])
    assert not (missing or extra or changed), (
        f"build differs from tests/golden (run `make regen` if intended): "
        f"missing {missing[:5]}, extra {extra[:5]}, changed {changed[:5]}"
    )


def test_only_the_edited_vendor_is_rebuilt(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    shutil.copytree(REPO / "specs", specs)
    out = tmp_path / "build"
    _build("--out", str(out), "--specs", str(specs), "--target", "openapi", cwd=tmp_path)
    first = _hashes(out)

    unchanged = _build("--out", str(out), "--specs", str(specs), "--target", "openapi", cwd=tmp_path)
    assert "nothing to do" in unchanged.stdout

    spec = specs / "volue" / "openapi.yaml"
    spec.write_text(spec.read_text().replace("title: ", "title: Edited ", 1))
    second = _build("--out", str(out), "--specs", str(specs), "--target", "openapi", cwd=tmp_path)
    rebuilt = {line.split()[0] for line in second.stdout.splitlines() if line.split()[1:2] == ["openapi"]}
    fresh = {line.split()[0] for line in second.stdout.splitlines() if "up to date" in line}
    assert rebuilt == {"volue"}
    assert fresh == {"eevion", "greenflux", "vev-iq"}
    after = _hashes(out)
    assert after["volue/openapi/openapi.json"] != first["volue/openapi/openapi.json"]
    assert {k: v for k, v in after.items() if not k.startswith("volue/")} == {
        k: v for k, v in first.items() if not k.startswith("volue/")
    }
