"""The generated packages as users get them: mypy --strict clean, byte-identical across runs, installable."""

from __future__ import annotations

import enum
import importlib.util
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from generator.pipeline.vendors import REPO_ROOT

from tests.models.conftest import VENDORS
from tests.models.model_checks import RenderedVendor, import_package

Render = Callable[[str], RenderedVendor]


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file() and "__pycache__" not in p.parts}


@pytest.mark.skipif(importlib.util.find_spec("mypy") is None, reason="mypy is not installed")
def test_every_package_passes_mypy_strict(rendered: Render, tmp_path: Path) -> None:
    targets = [rendered(vendor) for vendor in VENDORS]
    command = [sys.executable, "-m", "mypy", "--strict", "--python-version", "3.11", "--cache-dir", str(tmp_path / "cache")]
    for target in targets:
        command += ["-p", target.package]
    env = {**os.environ, "MYPYPATH": os.pathsep.join(str(t.root) for t in targets)}
    # Run outside the repository so its own mypy settings (files = generator) do not apply.
    result = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success" in result.stdout


_RENDER_SCRIPT = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from generator.spec.loader import load_spec
    from generator.targets.base import TargetContext
    from generator.targets.models import TARGET

    out_root = Path(sys.argv[1])
    for vendor in sys.argv[2:]:
        spec_dir = Path("specs") / vendor
        out = out_root / TARGET.output_dir(vendor)
        out.mkdir(parents=True)
        TARGET.render(load_spec(spec_dir / "openapi.yaml", strict=False, validate=False).api, TargetContext(vendor, spec_dir), out)
    """
)


def test_output_is_identical_in_another_process(rendered: Render, tmp_path: Path) -> None:
    """A fresh interpreter with another hash seed writes the same bytes (no set or id order leaks)."""
    env = {**os.environ, "PYTHONHASHSEED": "4242", "PYTHONPATH": str(REPO_ROOT)}
    subprocess.run([sys.executable, "-c", _RENDER_SCRIPT, str(tmp_path), *VENDORS], cwd=REPO_ROOT, env=env, check=True, timeout=300)
    for vendor in VENDORS:
        here = rendered(vendor)
        there = tmp_path / here.root.relative_to(here.root.parents[1])
        assert _files(there) == _files(here.root), vendor


def _can_build_without_isolation() -> bool:
    return importlib.util.find_spec("wheel") is not None or importlib.util.find_spec("setuptools.command.bdist_wheel") is not None


@pytest.mark.slow
@pytest.mark.skipif(not VENDORS, reason="no vendor specs")
def test_pip_install_then_import(rendered: Render, tmp_path: Path) -> None:
    """`pip install build/python/<vendor>_models` works and installs the py.typed marker."""
    target = rendered(VENDORS[0])
    site = tmp_path / "site"
    command = [sys.executable, "-m", "pip", "install", "--no-deps", "--target", str(site), str(target.root)]
    if _can_build_without_isolation():
        command.insert(4, "--no-build-isolation")  # no download of setuptools
    subprocess.run(command, check=True, capture_output=True, timeout=300)
    assert (site / target.package / "py.typed").is_file()
    check = f"import {target.package}.operations as o; assert o.BODIES; print(len(o.BODIES))"
    result = subprocess.run([sys.executable, "-c", check], cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(site)}, capture_output=True, text=True, timeout=60, check=True)
    assert int(result.stdout) > 0


def test_packages_import_without_warnings(rendered: Render) -> None:
    """No pydantic warning (shadowed attributes, protected namespaces) when a package is imported."""
    targets = [rendered(vendor) for vendor in VENDORS]
    code = "; ".join(f"import {t.package}, {t.package}.operations" for t in targets) or "pass"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(str(t.root) for t in targets)}
    result = subprocess.run([sys.executable, "-W", "error", "-c", code], env=env, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr


def test_no_enum_has_a_none_member(rendered: Render) -> None:
    """Nullable enums become `SomeEnum | None`, not an Enum with a `None` member (see SETTINGS.md)."""
    checked = 0
    for vendor in VENDORS:
        models, _ = import_package(rendered(vendor))
        for name in models.__all__:
            cls = getattr(models, name)
            if isinstance(cls, type) and issubclass(cls, enum.Enum):
                checked += 1
                assert None not in [m.value for m in cls], f"{vendor}: {name}"
                assert issubclass(cls, str | int), f"{vendor}: {name} is a plain Enum, not a StrEnum/IntEnum"
    assert checked
