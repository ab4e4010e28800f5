"""The package works outside the checkout: a wheel built from the sources, installed into a fresh
virtual environment, runs every command of the README's command table from an empty folder.

The fresh venv gets the wheel only (`--no-deps --no-index`); its dependencies come from the test
environment's site-packages through a plain path entry (not the test venv's `.pth` files, which put
the checkout on `sys.path`), so nothing is downloaded but the build backend (pip's cache).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import httpx
import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow

_SOURCES = ("pyproject.toml", "README.md", "generator", "templates", "specs")


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The `bin` folder of a fresh venv holding connectorgen from a freshly built wheel."""
    root = tmp_path_factory.mktemp("wheel")
    source = root / "src"
    source.mkdir()
    for name in _SOURCES:  # a copy: building writes build/ and *.egg-info beside the sources
        path = REPO / name
        if path.is_dir():
            shutil.copytree(path, source / name, symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(path, source / name)
    dist = root / "dist"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "--quiet", "-w", str(dist)],
        capture_output=True, text=True, timeout=300,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    (wheel,) = dist.glob("connectorgen-*.whl")

    env_dir = root / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], capture_output=True, text=True, check=True
    ).stdout.strip()
    (Path(purelib) / "test-venv-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    install = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", "--quiet", str(wheel)],
        capture_output=True, text=True, timeout=300,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    return env_dir / "bin"


def _run(bin_dir: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "CONNECTORGEN_DEBUG")}
    return subprocess.run([str(bin_dir / "connectorgen"), *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=300)


@pytest.fixture
def empty(tmp_path: Path) -> Path:
    folder = tmp_path / "work"
    folder.mkdir()
    return folder


def test_the_package_is_the_installed_one(installed: Path, empty: Path) -> None:
    where = subprocess.run(
        [str(installed / "python"), "-c", "import generator; print(generator.__file__)"], cwd=empty, capture_output=True, text=True
    )
    assert str(installed.parent) in where.stdout and str(REPO) not in where.stdout


def test_postman_convert_validate_from_an_empty_folder(installed: Path, empty: Path) -> None:
    shutil.copy(REPO / "specs" / "vev-iq" / "openapi.yaml", empty / "api.yaml")  # a sign-in flow: a template
    postman = _run(installed, empty, "postman", "api.yaml", "-o", "out")
    assert postman.returncode == 0, postman.stderr
    collection = json.loads(next((empty / "out").glob("*.postman_collection.json")).read_text())
    assert "MARGIN_MS" in json.dumps(collection["event"])  # the sign-in script, rendered from its template

    convert = _run(installed, empty, "convert", "api.yaml", "-o", "swagger.json")
    assert convert.returncode == 0, convert.stderr
    assert json.loads((empty / "swagger.json").read_text())["swagger"] == "2.0"

    validate = _run(installed, empty, "validate", "api.yaml")
    assert validate.returncode == 0, validate.stderr
    assert "1 spec(s) valid" in validate.stdout


def test_build_and_lint_from_an_empty_folder(installed: Path, empty: Path) -> None:
    nothing = _run(installed, empty, "build")
    assert nothing.returncode == 2 and "no specs found" in nothing.stderr

    shutil.copytree(REPO / "specs" / "greenflux", empty / "my-specs" / "greenflux")
    build = _run(installed, empty, "build", "--specs", "my-specs", "--out", "out", "--jobs", "1")
    assert build.returncode == 0, build.stdout + build.stderr
    package = empty / "out" / "greenflux" / "powerplatform"
    assert (package / "apiDefinition.swagger.json").is_file()
    assert (empty / "out" / "greenflux" / "postman" / "greenflux.postman_collection.json").is_file()

    lint = _run(installed, empty, "lint", str(package))
    assert lint.returncode in (0, 1), lint.stdout + lint.stderr
    assert "Traceback" not in lint.stdout + lint.stderr and "internal error" not in lint.stderr

    tried = _run(installed, empty, "try", str(package), "ListLocations", "--spec", "greenflux")
    assert tried.returncode == 0, tried.stdout + tried.stderr  # the action against a mock started for it
    assert "200" in tried.stdout and "Traceback" not in tried.stdout + tried.stderr


def test_help_shows_relative_defaults_and_required_arguments(installed: Path, empty: Path) -> None:
    build_help = _run(installed, empty, "build", "--help").stdout
    assert "./specs" in build_help and "site-packages" not in build_help and str(REPO) not in build_help
    lint_usage = _run(installed, empty, "lint", "--help").stdout.splitlines()[0]
    assert "PATH" in lint_usage and "[PATH]" not in lint_usage


def test_mock_serves_a_bundled_vendor(installed: Path, empty: Path) -> None:
    process = subprocess.Popen(
        [str(installed / "connectorgen"), "mock", "greenflux", "--port", "0"],
        cwd=empty, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()  # printed once the socket is bound
        assert " at http://127.0.0.1:" in first, first + (process.stderr.read() if process.poll() is not None and process.stderr else "")
        base_url = first.split(" at ")[1].split()[0]
        answer = httpx.get(base_url + "/api/1.0/tariffs", headers={"Authorization": "Token mock-token"}, timeout=10)
        assert answer.status_code == 200
    finally:
        process.send_signal(signal.SIGINT)
        returncode = process.wait(timeout=15)
    assert returncode == 0


def test_import_then_diff_from_an_empty_folder(installed: Path, empty: Path) -> None:
    """`import` of a published connector and `diff` of the rebuilt package against it, both from the wheel."""
    published = empty / "published"
    shutil.copytree(REPO / "tests" / "data" / "calibration" / "connectors" / "certified-connectors" / "VEV-IQ", published)
    imported = _run(installed, empty, "import", "published", "-o", "my-specs/vev-iq-imported")
    assert imported.returncode == 0, imported.stderr
    assert (empty / "my-specs" / "vev-iq-imported" / "openapi.yaml").is_file()

    validate = _run(installed, empty, "validate", "my-specs/vev-iq-imported")
    assert validate.returncode == 0, validate.stdout + validate.stderr

    build = _run(installed, empty, "build", "--specs", "my-specs", "--out", "out", "--target", "powerplatform", "--jobs", "1")
    assert build.returncode == 0, build.stdout + build.stderr
    diff = _run(installed, empty, "diff", "published", "out/vev-iq-imported/powerplatform")
    assert "Traceback" not in diff.stdout + diff.stderr
    assert diff.returncode == 0, diff.stdout + diff.stderr  # nothing breaks between the published and the rebuilt
    same = _run(installed, empty, "diff", "out/vev-iq-imported/powerplatform", "out/vev-iq-imported/powerplatform", "--format", "json")
    assert same.returncode == 0 and json.loads(same.stdout)["changes"] == []
