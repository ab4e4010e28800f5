"""`connectorgen build` under concurrency and failure: one build at a time per output folder,
workers that die with their parent, file-system errors reported with the old outputs kept."""

from __future__ import annotations

import errno
import fcntl
import hashlib
import os
import select
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from generator.cli import main

from tests.conftest import REPO

VENDORS = ("greenflux", "volue")


def _hashes(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def specs(tmp_path: Path) -> Path:
    folder = tmp_path / "specs"
    for vendor in VENDORS:
        shutil.copytree(REPO / "specs" / vendor, folder / vendor)
    return folder


def _build_command(specs: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "generator", "build", "--specs", str(specs), "--out", str(out), "--target", "openapi", "--target", "postman", *extra]


def test_two_concurrent_builds_leave_a_consistent_build(specs: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    reference = tmp_path / "reference"
    assert subprocess.run(_build_command(specs, reference, "--force"), capture_output=True, timeout=300).returncode == 0
    runs = [
        subprocess.Popen(_build_command(specs, out, "--force", "--jobs", "2"), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    results = [(p.wait(timeout=300), *p.communicate()) for p in runs]
    assert [code for code, _, _ in results] == [0, 0], results
    expected = {k: v for k, v in _hashes(reference).items() if not k.startswith(".state/")}
    assert {k: v for k, v in _hashes(out).items() if not k.startswith(".state/")} == expected
    assert sorted(p.name for p in out.iterdir()) == [".state", *VENDORS]  # no .tmp, no .lock left


def test_a_held_lock_makes_the_build_wait_or_stop(specs: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    out.mkdir()
    with (out / ".lock").open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        stopped = subprocess.run(_build_command(specs, out, "--no-wait"), capture_output=True, text=True, timeout=120)
        assert stopped.returncode == 2
        assert "another connectorgen build is writing to" in stopped.stderr
        waiting = subprocess.Popen(_build_command(specs, out), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert waiting.stderr is not None
        line = waiting.stderr.readline()  # blocks until the build says it waits
        assert "waiting for it to finish" in line
        assert waiting.poll() is None
        (out / ".lock").unlink()  # as the holder does before it unlocks
    _, stderr = waiting.communicate(timeout=300)
    assert waiting.returncode == 0, stderr
    assert (out / "greenflux" / "openapi" / "openapi.json").is_file()
    assert not (out / ".lock").exists()


_PARENT = """
import os, sys
from concurrent.futures import ProcessPoolExecutor
from generator.pipeline.workers import die_with_parent

def pid():
    return os.getpid()

with ProcessPoolExecutor(max_workers=1, initializer=die_with_parent, initargs=(os.getpid(),)) as pool:
    print(pool.submit(pid).result(), flush=True)
    sys.stdin.read()  # until killed
"""


def test_workers_die_with_their_parent() -> None:
    parent = subprocess.Popen([sys.executable, "-c", _PARENT], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=REPO)
    assert parent.stdout is not None
    worker = int(parent.stdout.readline())
    handle = os.pidfd_open(worker)
    try:
        parent.kill()  # SIGKILL: no clean-up code of the parent runs
        parent.wait(timeout=30)
        ready, _, _ = select.select([handle], [], [], 30)  # readable once the worker has ended
        assert ready, f"worker {worker} outlived its parent"
    finally:
        os.close(handle)


def test_out_naming_a_file_is_refused(specs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "file"
    out.write_text("keep\n")
    assert main(["build", "--specs", str(specs), "--out", str(out)]) == 2
    assert "is a file" in capsys.readouterr().err
    assert out.read_text() == "keep\n"


@pytest.mark.parametrize("error", [errno.ENOSPC, errno.EROFS])
def test_a_failing_file_system_keeps_the_previous_build(
    specs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, error: int
) -> None:
    out = tmp_path / "build"
    argv = ["build", "--specs", str(specs), "--out", str(out), "--jobs", "1", "--target", "openapi"]
    assert main(argv) == 0
    before = _hashes(out)

    def failing(path: Path, text: str) -> None:
        raise OSError(error, os.strerror(error), str(path))

    monkeypatch.setattr("generator.util.jsonio.write_text", failing)
    assert main([*argv, "--force"]) == 2
    err = capsys.readouterr().err
    assert ("no space left" if error == errno.ENOSPC else "read-only") in err
    assert "Traceback" not in err and "internal error" not in err
    assert _hashes(out) == before


def test_no_specs_found_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "empty").mkdir()
    assert main(["build", "--specs", str(tmp_path / "empty"), "--out", str(tmp_path / "out")]) == 2
    assert "no specs found" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
