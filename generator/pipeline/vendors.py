"""Finding the vendors under `specs/` and loading one vendor's inputs (spec + connector.yaml)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from msgspec import Struct

from generator.problems import Level, Problem, ProblemError

if TYPE_CHECKING:
    from generator.ir.model import Api
    from generator.spec.loader import LoadedSpec

__all__ = ["REPO_ROOT", "VendorInputs", "discover_vendors", "load_vendor"]

REPO_ROOT = Path(__file__).resolve().parents[2]


def discover_vendors(specs_dir: Path) -> list[str]:
    """Every folder of `specs_dir` holding an `openapi.yaml`, sorted."""
    if not specs_dir.is_dir():
        return []
    return sorted(p.name for p in specs_dir.iterdir() if (p / "openapi.yaml").is_file())


class VendorInputs(Struct):
    vendor: str
    spec_dir: Path
    api: Api
    connector: dict[str, Any]
    problems: list[Problem]
    loaded: LoadedSpec | None = None

    def locate(self, problem: Problem) -> Problem:
        """Targets report problems by JSON pointer only; add the spec file's line and column."""
        if self.loaded is None or problem.line or not problem.pointer or problem.file not in ("", self.api.source_file):
            return problem
        return self.loaded.bundle.problem(problem.level, problem.code, problem.message, problem.pointer)


def load_vendor(specs_dir: Path, vendor: str) -> VendorInputs:
    """Load and check `specs/<vendor>/`: the spec strictly (OpenAPI 3.1 and every project rule) and
    its connector.yaml. Raises `ProblemError` listing every error."""
    from generator.spec.connector import load_connector
    from generator.spec.loader import load_spec

    spec_dir = specs_dir / vendor
    problems: list[Problem] = []
    api = None
    loaded = None
    try:
        loaded = load_spec(spec_dir / "openapi.yaml", strict=True, require=("3.1",))
        problems.extend(loaded.problems)
        api = loaded.api
    except ProblemError as exc:
        problems.extend(exc.problems)
    connector: dict[str, Any] = {}
    try:
        connector, connector_problems = load_connector(spec_dir / "connector.yaml")
        problems.extend(connector_problems)
    except ProblemError as exc:
        problems.extend(exc.problems)
    if api is None or any(p.level is Level.ERROR for p in problems):
        raise ProblemError(problems)
    return VendorInputs(vendor, spec_dir, api, connector, problems, loaded)
