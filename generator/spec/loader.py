"""Load an OpenAPI document: parse, bundle `$ref`s, validate, apply the project's rules.

`load_spec` is the one entry point. Problems come back as values; the function raises
`ProblemError` only when the document cannot be used at all (unparsable, not OpenAPI 3.x, broken
refs, or — in strict mode — any error).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from msgspec import Struct, field

from generator.ir.build import build_api
from generator.ir.model import Api
from generator.problems import Level, Problem, ProblemError, has_errors
from generator.spec.refs import Bundle, bundle
from generator.spec.rules import iter_findings
from generator.spec.source import InputLimits, load_source
from generator.util.fsio import display_path
from generator.util.pointer import escape_pointer

if TYPE_CHECKING:  # fasterrors is imported only for a document that is not certainly valid
    from generator.spec.fasterrors import Found

__all__ = ["STRUCTURE_ERRORS", "LoadedSpec", "api_of", "load_spec", "structure_error"]

# Validator errors our own rules report more precisely (with a pointer and a stable code).
_COVERED_BY_RULES = {"UnresolvableParameterError", "DuplicateOperationIDError"}


class LoadedSpec(Struct):
    bundle: Bundle
    problems: list[Problem] = field(default_factory=list)
    _api: Api | None = None

    @property
    def document(self) -> dict[str, Any]:
        doc: dict[str, Any] = self.bundle.document
        return doc

    @property
    def version(self) -> str:
        return str(self.document.get("openapi", ""))

    @property
    def api(self) -> Api:
        if self._api is None:
            self._api = build_api(self.document, self.bundle.root.display)
        return self._api


STRUCTURE_ERRORS = (TypeError, ValueError, AttributeError, KeyError, IndexError)


def api_of(loaded: LoadedSpec) -> Api:
    """`loaded.api`, or — when the document's structure is not what OpenAPI says (`get: 5`,
    `parameters: 5`), so the IR cannot be built — `ProblemError` with the validator's located errors."""
    try:
        return loaded.api
    except STRUCTURE_ERRORS as exc:
        raise structure_error(loaded, exc) from None


def structure_error(loaded: LoadedSpec, exc: Exception) -> ProblemError:
    """The error to raise when a malformed part of `loaded` made a step fail with `exc`: the
    validator's located errors (CONNECTORGEN_DEBUG=1 re-raises `exc` instead)."""
    import os

    if os.environ.get("CONNECTORGEN_DEBUG"):
        raise exc
    bundled = loaded.bundle
    located = [
        Problem(Level.ERROR, p.code, p.message, p.file, p.line, p.col, p.pointer)
        for p in _validator_problems(bundled.problem, bundled, loaded.version, Level.ERROR, set())
    ]
    message = f"document structure not understood ({type(exc).__name__}: {exc})"
    return ProblemError([Problem(Level.ERROR, "structure_not_understood", message, bundled.root.display, 1, 1, "#"), *located])


def load_spec(
    path: Path,
    *,
    strict: bool = True,
    require: tuple[str, ...] = ("3.0", "3.1"),
    validate: bool = True,
    locate: bool = True,
    rules: bool = True,
    limits: InputLimits | None = None,
) -> LoadedSpec:
    """Load `path`.

    strict: the project's own specs — validator findings and project rules are errors, and any
    error raises. Otherwise (third-party input) they are warnings and only unusable input raises.
    require: accepted OpenAPI version prefixes.
    validate: openapi-spec-validator's verdict: `spec/quickcheck.py` decides a valid document in
    milliseconds; otherwise openapi-spec-validator runs for its located errors.
    locate: give non-fatal problems their line and column (on a large JSON document with hundreds of
    warnings that costs a second parse; commands that only count warnings turn it off).
    rules: apply the project's own rules (`spec/rules.py`).
    limits: bounds on reading (size, depth, aliases) and the folders `$ref` may reach.
    """
    limits = limits or InputLimits.from_env()
    source = load_source(path, display_path(path), limits)
    data = source.data
    if not isinstance(data, dict):
        raise ProblemError([source.problem(Level.ERROR, "not_a_mapping", "an OpenAPI document must be a mapping", "")])
    version = data.get("openapi")
    if "swagger" in data and version is None:
        raise ProblemError(
            [source.problem(Level.ERROR, "unsupported_openapi_version", "input is Swagger 2.0; expected OpenAPI 3.x", "/swagger")]
        )
    if not isinstance(version, str) or not any(version.startswith(prefix + ".") or version == prefix for prefix in require):
        wanted = " or ".join(require)
        where = "/openapi" if "openapi" in data else ""
        raise ProblemError(
            [source.problem(Level.ERROR, "unsupported_openapi_version", f"openapi version {version!r} is not supported; expected {wanted}", where)]
        )
    missing = [key for key in ("info",) if key not in data]
    if version.startswith("3.0") and "paths" not in data:
        missing.append("paths")
    if version.startswith("3.1") and not any(k in data for k in ("paths", "webhooks", "components")):
        missing.append("paths")
    if strict and "paths" not in data and "paths" not in missing:
        missing.append("paths")
    problems: list[Problem] = [
        source.problem(Level.ERROR, "missing_required_field", f"required top-level field {key!r} is missing", "") for key in missing
    ]
    for key, kind in (("info", dict), ("paths", dict), ("components", dict), ("webhooks", dict), ("servers", list)):
        if key in data and not isinstance(data[key], kind):
            shape = "mapping" if kind is dict else "list"
            problems.append(source.problem(Level.ERROR, "invalid_structure", f"{key!r} must be a {shape}", "/" + key))

    bundled, ref_problems = bundle(source, limits)
    problems.extend(ref_problems)
    if has_errors(problems):
        raise ProblemError(problems)

    level = Level.ERROR if strict else Level.WARNING
    make = bundled.problem if locate or strict else _unlocated(bundled)
    rule_pointers: set[str] = set()
    try:
        findings = list(iter_findings(bundled.document)) if rules else []
    except (TypeError, ValueError, AttributeError, KeyError, IndexError):
        findings, validate = [], True  # a malformed structure: the validator says where
    for found in findings:
        problems.append(make(level, found.code, found.message, found.pointer))
        rule_pointers.add(found.pointer)
    if validate:
        problems.extend(_validator_problems(make, bundled, version, level, rule_pointers))

    loaded = LoadedSpec(bundled, problems)
    if strict and has_errors(problems):
        raise ProblemError(problems)
    return loaded


def _unlocated(bundled: Bundle) -> Callable[[Level, str, str, str], Problem]:
    def make(level: Level, code: str, message: str, pointer: str) -> Problem:
        return Problem(level, code, message, bundled.root.display, 0, 0, pointer or "#")

    return make


def _validator_problems(
    make: Callable[[Level, str, str, str], Problem], bundled: Bundle, version: str, level: Level, rule_pointers: set[str]
) -> list[Problem]:
    from generator.spec.quickcheck import certainly_valid

    if certainly_valid(bundled.document, version):
        return []  # what openapi-spec-validator would say, without its cost (spec/quickcheck.py)
    from generator.spec.fasterrors import validator_errors

    # openapi-spec-validator's errors, without its cost (spec/fasterrors.py), else its own.
    found = validator_errors(bundled.document, version)
    if found is None:
        try:
            found = _slow_errors(bundled.document, version)
        except _Unverifiable as exc:
            return [make(level, "openapi_unverifiable", f"openapi-spec-validator could not check the document ({type(exc.cause).__name__}: {exc.cause})", "")]
    out: list[Problem] = []
    for error in found:
        if error.kind in _COVERED_BY_RULES:
            continue
        pointer = "".join("/" + escape_pointer(t) for t in error.path)
        # Schema errors come with a path relative to the schema: a suffix of a rule's pointer.
        if pointer and any(p == pointer or p.startswith(pointer + "/") or p.endswith(pointer) for p in rule_pointers if p):
            continue
        pointer = _absolute(bundled.document, pointer, error.instance)
        message = error.message.strip().split("\n", 1)[0]
        if len(message) > 300:
            message = message[:297] + "..."
        out.append(make(level, "openapi_invalid", f"OpenAPI {version}: {message}", pointer))
    return out


class _Unverifiable(Exception):
    def __init__(self, cause: Exception) -> None:
        self.cause = cause


def _slow_errors(document: Any, version: str) -> list[Found]:
    """openapi-spec-validator's own errors; when its semantic checks trip over very broken input,
    the OpenAPI JSON schema's alone (`_Unverifiable` when there are none)."""
    from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

    from generator.spec.fasterrors import NOTHING, Found

    validator_cls = OpenAPIV31SpecValidator if version.startswith("3.1") else OpenAPIV30SpecValidator
    try:
        errors = list(validator_cls(document).iter_errors())
    except Exception as exc:  # the validator's semantic checks trip over very broken input
        from openapi_spec_validator import schemas

        schema_only = schemas.openapi_v31_schema_validator if version.startswith("3.1") else schemas.openapi_v30_schema_validator
        errors = list(schema_only.iter_errors(document))  # the OpenAPI JSON schema alone
        if not errors:
            raise _Unverifiable(exc) from None
    return [
        Found(
            type(error).__name__,
            str(getattr(error, "message", error)),
            tuple(getattr(error, "absolute_path", []) or []),
            getattr(error, "instance", NOTHING),
        )
        for error in errors
    ]


def _absolute(document: Any, pointer: str, instance: Any) -> str:
    """`pointer` if it names `instance` in `document`; else the first pointer ending with it that
    does (errors inside a schema come with a path relative to that schema)."""
    from collections import deque

    from generator.spec.fasterrors import NOTHING
    from generator.spec.refs import resolve_pointer

    if not pointer or instance is NOTHING or instance is document or resolve_pointer(document, pointer) == instance:
        # (an error without a path names no place to search for; no node below the document's
        # root equals the whole document — a finite tree is taller than any of its branches)
        return pointer
    todo: deque[tuple[Any, str]] = deque([(document, "")])
    while todo:
        node, at = todo.popleft()
        if at.endswith(pointer) and node == instance:
            return at
        if isinstance(node, dict):
            todo.extend((v, at + "/" + escape_pointer(k)) for k, v in node.items())
        elif isinstance(node, list):
            todo.extend((v, f"{at}/{i}") for i, v in enumerate(node))
    return pointer
