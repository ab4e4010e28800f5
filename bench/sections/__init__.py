"""The benchmark sections, in report order. Each is `run(ctx) -> Section` and never raises for a
missing tool or a failing contender: it reports "skipped: <reason>" or "failed" instead."""

from __future__ import annotations

from collections.abc import Callable

from bench.env import Context
from bench.model import Section

__all__ = ["SECTIONS", "section_runner"]

SECTIONS: dict[str, str] = {
    "convert": "bench.sections.tools:run_convert",
    "postman": "bench.sections.tools:run_postman",
    "build": "bench.sections.build:run_build",
    "scaling": "bench.sections.scaling:run_scaling",
    "lint": "bench.sections.lint:run_lint",
    "mock": "bench.sections.mock:run_mock",
    "mock-openapi": "bench.sections.mock_openapi:run_mock_openapi",
    "profile": "bench.sections.profile:run_profile",
    "instructions": "bench.sections.instructions:run_instructions",
}


def section_runner(name: str) -> Callable[[Context], Section]:
    import importlib

    module_name, _, attr = SECTIONS[name].partition(":")
    runner: Callable[[Context], Section] = getattr(importlib.import_module(module_name), attr)
    return runner
