"""What every build target implements, and what it is given."""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Any, Protocol

from msgspec import Struct, field

from generator.ir.model import Api
from generator.problems import Problem

__all__ = ["Target", "TargetContext"]


class TargetContext(Struct, frozen=True):
    """Everything a target may read besides the IR."""

    vendor: str  # folder name under specs/, e.g. "vev-iq"
    spec_dir: Path  # specs/<vendor>
    connector: dict[str, Any] = field(default_factory=dict)  # validated specs/<vendor>/connector.yaml
    templates_dir: Path | None = None  # None: the repository's templates/


class Target(Protocol):
    name: str

    def output_dir(self, vendor: str) -> PurePosixPath:
        """Where the target's files go, relative to build/ (e.g. `vev-iq/postman`)."""
        ...

    def render(self, api: Api, ctx: TargetContext, out: Path) -> list[Problem]:
        """Write every file into `out` (an empty temporary folder). Return problems; errors fail the build."""
        ...
