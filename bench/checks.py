"""Looking at what a tool wrote (once per input, untimed): is it a document at all, how many
operations/requests does it hold, is a Swagger 2.0 output valid. So a fast tool that drops half the
work, or writes garbage, shows up beside its time."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

from bench.env import count_operations
from bench.series import CheckFailed

__all__ = ["count_requests", "postman_check", "swagger_check"]

MAX_ERRORS = 1000


def _load_json(path: Path) -> Any:
    if not path.is_file() or path.stat().st_size == 0:
        raise CheckFailed(f"no output written ({path.name})")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise CheckFailed(f"output is not JSON ({exc})") from exc


def swagger_check(path: Path, validate: bool) -> dict[str, Any]:
    document = _load_json(path)
    if not isinstance(document, dict) or document.get("swagger") != "2.0":
        raise CheckFailed("output is not a Swagger 2.0 document")
    facts: dict[str, Any] = {"operations out": count_operations(document)}
    if validate:
        from openapi_spec_validator import OpenAPIV2SpecValidator

        errors = itertools.islice(OpenAPIV2SpecValidator(document).iter_errors(), MAX_ERRORS)
        facts["Swagger 2.0 validation errors"] = sum(1 for _ in errors)
    return facts


def count_requests(collection: Any) -> tuple[int, int]:
    """(requests, requests carrying a test script) in a Postman collection, folders included."""
    requests = with_tests = 0
    stack = list(collection.get("item") or []) if isinstance(collection, dict) else []
    while stack:
        item = stack.pop()
        if not isinstance(item, dict):
            continue
        stack.extend(item.get("item") or [])
        if "request" in item:
            requests += 1
            events = item.get("event") or []
            if any(isinstance(e, dict) and e.get("listen") == "test" for e in events):
                with_tests += 1
    return requests, with_tests


def postman_check(path: Path) -> dict[str, Any]:
    if path.is_dir():
        found = sorted(path.glob("*.postman_collection.json"))
        if not found:
            raise CheckFailed("no *.postman_collection.json written")
        path = found[0]
    collection = _load_json(path)
    requests, with_tests = count_requests(collection)
    if requests == 0:
        raise CheckFailed("collection holds no requests")
    return {"requests out": requests, "requests with tests": with_tests}
