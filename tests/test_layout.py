"""tests/ mirrors the package, as the README says: a test folder for every package of generator/
(`tests/<pkg>` for `generator/<pkg>/`, `tests/<target>` for `generator/targets/<target>/`) and for
bench/; any other folder of tests/ is one of the few the README names (inputs, goldens, tooling).
Test tooling stays out of the package the wheel ships."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import REPO

# tests/ folders that mirror no package (README "Layout" names each of them).
NOT_MIRRORS = {
    "bad_specs": "broken specs, one folder per check (tests/test_bad_specs.py)",
    "contract": "schemathesis runs against the mocks, per vendor",
    "data": "inputs: third-party documents, published connectors, corpora",
    "golden": "golden records of build/",
    "support": "test tooling (schemathesis set-up, make fuzz)",
}


def expected_test_folders(generator: Path) -> dict[str, str]:
    """tests/ folder name -> the package folder it mirrors, for every package of `generator` holding
    a module (targets/<name> flattened to <name>; `targets/` itself holds only the target protocol
    and registry, which the pipeline tests cover)."""
    out: dict[str, str] = {}
    for init in sorted(generator.rglob("__init__.py")):
        folder = init.parent.relative_to(generator)
        parts = folder.parts
        if not parts or parts == ("targets",) or "__pycache__" in parts:
            continue
        if parts[0] == "targets":
            parts = parts[1:]
        if len(parts) == 1:  # subpackages of a package (mock/vendors) are its tests'
            out[parts[0]] = f"generator/{folder.as_posix()}"
    return out


def missing_test_folders(generator: Path, tests: Path) -> list[str]:
    return [
        f"{package}/ has no tests/{name}/ with a test module"
        for name, package in expected_test_folders(generator).items()
        if not (tests / name / "__init__.py").is_file() or not any((tests / name).glob("test_*.py"))
    ]


def test_every_package_has_its_test_folder() -> None:
    assert missing_test_folders(REPO / "generator", REPO / "tests") == []
    assert (REPO / "tests" / "bench" / "__init__.py").is_file()


def test_a_package_without_tests_is_caught(tmp_path: Path) -> None:
    """The check can fail: a new package (and a new target) without a test folder is reported."""
    for folder in ("generator/spec", "generator/newpkg", "generator/targets/newtarget", "generator/targets", "tests/spec"):
        (tmp_path / folder).mkdir(parents=True, exist_ok=True)
        (tmp_path / folder / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "tests" / "spec" / "test_x.py").write_text("", encoding="utf-8")
    assert missing_test_folders(tmp_path / "generator", tmp_path / "tests") == [
        "generator/newpkg/ has no tests/newpkg/ with a test module",
        "generator/targets/newtarget/ has no tests/newtarget/ with a test module",
    ]


def test_every_test_folder_mirrors_a_package_or_is_named() -> None:
    mirrors = set(expected_test_folders(REPO / "generator")) | {"bench"}
    folders = {p.name for p in (REPO / "tests").iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert folders - mirrors - set(NOT_MIRRORS) == set()
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert [name for name in NOT_MIRRORS if f"`tests/{name}/`" not in readme] == []


def test_the_package_imports_no_test_tooling() -> None:
    """schemathesis and tests/ are not needed by the wheel: no module of generator/ imports them."""
    found = []
    for path in sorted((REPO / "generator").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            found += [f"{path.relative_to(REPO)}:{node.lineno} {n}" for n in names if n.split(".")[0] in ("tests", "schemathesis", "hypothesis")]
    assert found == []
