"""The spec IR compiled for serving: routes, parameter decoders, body and response validators.

Compiled once per spec file (cached by path and modification time) and shared by every app built
from it; the compiled objects are read-only, state lives in the apps.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jsonschema.protocols import Validator

from generator.ir.model import Api, MediaType, Operation, Response
from generator.mock.http import MockResponse
from generator.mock.params import ParamDecoder, param_types
from generator.mock.routing import PathTemplate, Router
from generator.mock.schema import SchemaSet
from generator.problems import Problem
from generator.util.media import media_base
from generator.util.pointer import escape_pointer

__all__ = ["CompiledApi", "CompiledOperation", "CompiledResponse", "MockContractError", "compile_spec", "load_api", "servable_problems"]


class MockContractError(AssertionError):
    """A response the spec does not document (raised only when the app checks its responses)."""



@dataclass
class CompiledResponse:
    response: Response
    schemas: SchemaSet
    media_types: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        self.media_types = tuple(media_base(m.content_type) for m in self.response.contents)
        self._validators: dict[str, Validator] = {}

    @property
    def default_media_type(self) -> str | None:
        return self.response.contents[0].content_type if self.response.contents else None

    def validator(self, media: MediaType) -> Validator | None:
        if media.schema is None:
            return None
        if media.content_type not in self._validators:
            self._validators[media.content_type] = self.schemas.validator(media.schema)
        return self._validators[media.content_type]


@dataclass
class CompiledOperation:
    operation: Operation
    secured: bool
    params: tuple[ParamDecoder, ...]
    body_required: bool
    body_media: tuple[str, ...]
    body_validator: Validator | None
    responses: dict[str, CompiledResponse] = field(default_factory=dict)
    # application/x-www-form-urlencoded bodies: (validator, JSON types of each property)
    form: tuple[Validator, dict[str, frozenset[str]]] | None = None

    @property
    def operation_id(self) -> str:
        return self.operation.operation_id

    def documents(self, status: int) -> bool:
        code = str(status)
        return code in self.responses or f"{code[0]}XX" in self.responses or "default" in self.responses

    def response_for(self, status: int) -> CompiledResponse | None:
        code = str(status)
        return self.responses.get(code) or self.responses.get(f"{code[0]}XX") or self.responses.get("default")

    def check(self, response: MockResponse, content_type: str | None, payload: Any) -> None:
        """Raise MockContractError unless the spec documents this status, media type, body and headers."""
        compiled = self.response_for(response.status)
        label = f"{self.operation_id} -> {response.status}"
        if compiled is None:
            raise MockContractError(f"{label}: status not documented (documented: {sorted(self.responses)})")
        if not compiled.media_types:
            if response.body is not None:
                raise MockContractError(f"{label}: the spec documents no body")
        else:
            base = media_base(content_type or "")
            media = next((m for m in compiled.response.contents if media_base(m.content_type) == base), None)
            if media is None:
                raise MockContractError(f"{label}: media type {content_type!r} not in {compiled.media_types}")
            validator = compiled.validator(media)
            if validator is not None:
                issues = SchemaSet.issues(validator, payload)
                if issues:
                    raise MockContractError(f"{label}: body does not match the schema: {issues[:5]}")
        names = {name.lower() for name in response.headers}
        for header in compiled.response.headers:
            if header.required and header.name.lower() not in names:
                raise MockContractError(f"{label}: required header {header.name} missing")


@dataclass
class CompiledApi:
    api: Api
    schemas: SchemaSet
    router: Router[CompiledOperation]
    operations: dict[str, CompiledOperation]


def _secured(api: Api, op: Operation) -> bool:
    requirements = api.effective_security(op)
    # An empty alternative (`- {}`) makes authentication optional.
    return bool(requirements) and all(req.schemes for req in requirements)


def _compile_operation(api: Api, op: Operation, schemas: SchemaSet) -> CompiledOperation:
    params = tuple(ParamDecoder(p, schemas) for p in op.parameters if p.location != "cookie")
    body_media: tuple[str, ...] = ()
    body_validator: Validator | None = None
    body_required = False
    if op.request_body is not None:
        body_required = op.request_body.required
        body_media = tuple(media_base(m.content_type) for m in op.request_body.contents)
        media = op.request_body.media()
        if media is not None and media.is_json and media.schema is not None:
            body_validator = schemas.validator(media.schema)
    responses = {r.status.upper() if r.status != "default" else r.status: CompiledResponse(r, schemas) for r in op.responses}
    compiled = CompiledOperation(op, _secured(api, op), params, body_required, body_media, body_validator, responses)
    form = next((m for m in (op.request_body.contents if op.request_body else ()) if media_base(m.content_type) == _FORM), None)
    if form is not None and form.schema is not None:
        properties = schemas.resolve(form.schema).get("properties") or {}
        types = {str(name): param_types(prop, schemas) for name, prop in properties.items() if isinstance(prop, dict)}
        compiled.form = (schemas.validator(form.schema), types)
    return compiled


_FORM = "application/x-www-form-urlencoded"


def compile_spec(api: Api) -> CompiledApi:
    schemas = SchemaSet(api.schemas)
    templates: dict[str, PathTemplate[CompiledOperation]] = {}
    operations: dict[str, CompiledOperation] = {}
    for op in api.operations:
        compiled = _compile_operation(api, op, schemas)
        operations[op.operation_id] = compiled
        templates.setdefault(op.path, PathTemplate(op.path)).methods[op.method] = compiled
    return CompiledApi(api, schemas, Router(templates.values()), operations)


_CACHE: dict[tuple[str, int], CompiledApi] = {}
_LOCK = threading.Lock()



def servable_problems(loaded: Any) -> list[Problem]:
    """Why the engine cannot serve a loaded document: no operations at all, or no operation whose
    request and responses use a media type it speaks (JSON, text, or none)."""
    from generator.problems import Level

    document = loaded.document
    root = loaded.bundle.root
    paths = document.get("paths")
    if not isinstance(paths, dict) or not paths:
        return [root.problem(Level.ERROR, "mock_no_paths", "the document has no paths: there is nothing to serve", "/paths" if "paths" in document else "")]
    api = loaded.api
    if not api.operations:
        return [root.problem(Level.ERROR, "mock_no_operations", "the document's paths declare no operations: there is nothing to serve", "/paths")]
    servable = [op for op in api.operations if _speaks(op)]
    if servable:
        return []
    op = api.operations[0]
    return [
        root.problem(
            Level.ERROR,
            "mock_unsupported_media_types",
            "no operation uses a media type the mock can serve (JSON, text or no body); "
            f"e.g. {op.method.upper()} {op.path}: {', '.join(_media_of(op)) or 'none'}",
            f"/paths/{escape_pointer(op.path)}/{op.method}",
        )
    ]


def _servable_media(content_type: str) -> bool:
    base = media_base(content_type)
    return base == "application/json" or base.endswith("+json") or base.startswith("text/") or base == "*/*"


def _media_of(op: Operation) -> list[str]:
    found = [m.content_type for r in op.responses for m in r.contents]
    if op.request_body is not None:
        found += [m.content_type for m in op.request_body.contents]
    return sorted(set(found))


def _speaks(op: Operation) -> bool:
    if op.request_body is not None and op.request_body.contents and not any(_servable_media(m.content_type) for m in op.request_body.contents):
        return False
    success = [r for r in op.responses if r.status.startswith("2") or r.status == "default"]
    return any(not r.contents or any(_servable_media(m.content_type) for m in r.contents) for r in success) or not success


def load_api(spec_path: Path, *, check_servable: bool = False) -> CompiledApi:
    """Load and compile a spec (lenient: a spec still being written need not pass every rule).
    check_servable: raise ProblemError (located) when the generic engine cannot serve it."""
    from generator.problems import ProblemError
    from generator.spec.loader import load_spec

    key = (str(spec_path.resolve()), spec_path.stat().st_mtime_ns)
    with _LOCK:
        cached = _CACHE.get(key)
    if cached is not None:
        return cached
    loaded = load_spec(spec_path, strict=False, validate=False)
    if check_servable:
        problems = servable_problems(loaded)
        if problems:
            raise ProblemError(problems)
    compiled = compile_spec(loaded.api)
    with _LOCK:
        _CACHE[key] = compiled
    return compiled
