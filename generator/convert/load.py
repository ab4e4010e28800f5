"""Reading the document to convert.

By default this skips what `connectorgen validate` is for: openapi-spec-validator (~0.5 s on a
500 KB document) and the project's style rules, whose findings would also have to be located line
by line (another ~0.1 s). Unusable input (unparsable, not OpenAPI 3.x, broken `$ref`s) fails exactly
as in `load_spec`. `validate=True` also runs the validator and the rules and returns their findings
as warnings.
"""

from __future__ import annotations

from pathlib import Path

from msgspec import Struct

from generator.ir.model import Api
from generator.problems import Problem
from generator.spec.refs import Bundle

__all__ = ["Input", "load_input"]


class Input(Struct):
    api: Api
    bundle: Bundle
    problems: list[Problem]

    def relocate(self, problem: Problem) -> Problem:
        """`problem` with file and pointer in the file the bundled part came from (multi-file specs)."""
        pointer = "" if problem.pointer == "#" else problem.pointer
        source, source_pointer = self.bundle.origin_of(pointer)
        if source is self.bundle.root and source_pointer == pointer:
            return problem
        return Problem(
            problem.level, problem.code, problem.message, source.display, 0, 0, source_pointer or "#"
        )


def load_input(path: Path, *, validate: bool = False) -> Input:
    """The IR of `path`. Raises `ProblemError` when the document cannot be converted at all."""
    from generator.spec.loader import load_spec

    loaded = load_spec(path, strict=False, validate=validate, locate=validate, rules=validate)
    return Input(loaded.api, loaded.bundle, loaded.problems)
