"""openapi-spec-validator's error list for a document, without its cost.

`validator_errors(document, version)` returns what the pinned openapi-spec-validator
(`pyproject.toml`, 0.9) yields for `document` — every error, in its order, with its class name,
message, path and instance — or None when this module cannot be sure, and the caller runs
openapi-spec-validator itself. `spec/quickcheck.py` decides the common, valid document; this module
serves the invalid one, whose located messages otherwise cost the validator's whole walk through
`jsonschema-path` (one resolver lookup per key) and the import of `openapi_spec_validator` (which
brings pydantic).

openapi-spec-validator's `iter_errors` is (a) the document against the OpenAPI JSON Schema, with
the `jsonschema-rs` backend, then (b) its keyword walk (`validation/keywords.py`). Here:
- (a) runs the same schema file with the same `jsonschema-rs` class (`quickcheck._document_validator`),
  each error taken as the backend adapter takes it (message `str(error)`, path `instance_path`,
  instance the whole document);
- (b) is the same walk over plain dicts, `$ref`s followed where `jsonschema-path` follows them
  (a mapping whose `$ref` is a string is replaced by its target). The checks that produce messages
  of another library's making call that library as the walk does: a schema's meta-schema check is
  `check_schema` of openapi-schema-validator's class (only for the schemas `jsonschema-rs` finds
  invalid against the meta-schema — a pre-filter, the Python check decides), a `default` that the
  plain shortcut cannot pass is checked by the validator class itself, for a schema without `$ref`.
Anything the walk cannot mirror for certain — a remote or percent-encoded `$ref`, `$id`, `$schema`
in 3.1, a non-default `jsonSchemaDialect`, a value of a type the walk would trip over (the validator
raises, and the loader then reports the schema errors alone), a `default` under a `$ref`, an
environment variable that configures openapi-spec-validator — means "not sure" (None).
`tests/spec/test_fast_errors.py` proves the lists equal on every invalid document the tests hold.
"""

from __future__ import annotations

import os
import string
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any, NamedTuple, cast

from generator.spec.quickcheck import (
    _OAS31_DIALECT,
    _OPERATIONS,
    RefWalker,
    _document_validator,
    _Unsure,
    has_ref,
    value_validator,
)
from generator.util.valuefit import plain_value_fits

__all__ = ["Found", "validator_errors"]

NOTHING: Any = object()  # an error that carries no instance


class Found(NamedTuple):
    """One of openapi-spec-validator's errors, as far as the loader reads it."""

    kind: str  # the error's class name (`UnresolvableParameterError`, ...)
    message: str
    path: tuple[Any, ...]  # `absolute_path`
    instance: Any = NOTHING


_PLAIN = "OpenAPIValidationError"


def validator_errors(document: Any, version: str) -> list[Found] | None:
    """openapi-spec-validator's errors for `document`, in its order; None when not sure."""
    if any(name.upper().startswith("OPENAPI_SPEC_VALIDATOR_") for name in os.environ):
        return None  # a configured backend or cache: let the validator itself decide
    v31 = version.startswith("3.1")
    try:
        found = [
            Found(_PLAIN, str(error), tuple(error.instance_path or ()), document)
            for error in _document_validator(v31).iter_errors(document)
        ]
        found.extend(_Walk(document, v31).root())
    except Exception:  # _Unsure, or anything unexpected: not sure
        return None
    return found


class _Walk(RefWalker):
    """openapi-spec-validator's keyword walk (`validation/keywords.py`) over plain dicts."""

    def __init__(self, document: Any, v31: bool) -> None:
        super().__init__(document, v31, plain_odd_refs=True)
        self.meta_checked: set[int] = set()
        self.visited: set[int] = set()
        self.operation_ids: list[Any] = []

    def mapping(self, node: Any) -> dict[str, Any]:
        """A node the walk iterates as a mapping (`.items()`, `.keys()`)."""
        node = self.deref(node)
        if type(node) is not dict:
            raise _Unsure("not a mapping")
        return node

    def sequence(self, node: Any) -> list[Any]:
        """A node the walk iterates as a list (`for child in path`)."""
        node = self.deref(node)
        if type(node) is not list:
            raise _Unsure("not a list")
        return node

    def has(self, node: Any, key: str) -> bool:
        """`key in path`: False for anything but a mapping."""
        return type(node) is dict and key in node

    def scalar(self, node: dict[str, Any], key: str) -> Any:
        """`path[key]`: the raw child, which must exist and not be a container."""
        if key not in node or type(node[key]) in (dict, list):
            raise _Unsure(key)
        value = node[key]
        if not isinstance(value, (str, int, float, bool, type(None))):
            raise _Unsure(key)
        return value

    def string(self, node: dict[str, Any], key: str) -> str:
        """`(path / key).read_str()`."""
        if key not in node:
            raise _Unsure(key)
        value = self.deref(node[key])
        if type(value) is not str:
            raise _Unsure(key)
        return value

    # -- the walk -----------------------------------------------------------------------------

    def root(self) -> Iterator[Found]:
        spec = self.document
        if type(spec) is not dict or "$id" in spec:
            raise _Unsure("document")
        if self.v31 and spec.get("jsonSchemaDialect", _OAS31_DIALECT) != _OAS31_DIALECT:
            raise _Unsure("jsonSchemaDialect")
        if "tags" in spec:
            seen: set[str] = set()
            for tag in self.sequence(spec["tags"]):
                name = self.string(self.mapping(tag), "name")
                if name in seen:
                    yield Found(_PLAIN, f"Duplicate tag name '{name}'", ())
                seen.add(name)
        if "paths" in spec:
            for url, item in self.mapping(spec["paths"]).items():
                if type(url) is not str:
                    raise _Unsure("url")
                yield from self.path_item(url, self.deref(item))
        if "components" in spec:
            components = self.deref(spec["components"])
            if self.has(components, "schemas"):
                for schema in self.mapping(components["schemas"]).values():
                    yield from self.schema(schema)

    def path_item(self, url: str, item: Any) -> Iterator[Found]:
        shared = None
        if self.has(item, "parameters"):
            shared = self.sequence(item["parameters"])
            yield from self.parameters(shared)
        for name, operation in self.mapping(item).items():
            if type(name) is not str:
                raise _Unsure("field name")
            if name in _OPERATIONS:
                yield from self.operation(url, name, self.deref(operation), shared)

    def parameters(self, parameters: list[Any]) -> Iterator[Found]:
        seen = set()
        for parameter in parameters:
            parameter = self.deref(parameter)
            if self.has(parameter, "schema"):
                yield from self.schema(parameter["schema"])
            if type(parameter) is not dict:
                raise _Unsure("parameter")
            key = (self.scalar(parameter, "name"), self.scalar(parameter, "in"))
            if key in seen:
                yield Found("ParameterDuplicateError", f"Duplicate parameter '{key[0]}'", ())
            seen.add(key)

    def path_names(self, parameters: list[Any]) -> Iterator[str]:
        for parameter in parameters:
            parameter = self.mapping(parameter)
            if self.string(parameter, "in") == "path":
                yield self.string(parameter, "name")

    def operation(self, url: str, name: str, operation: Any, shared: list[Any] | None) -> Iterator[Found]:
        if self.has(operation, "operationId"):
            operation_id = self.deref(operation["operationId"])
            if type(operation_id) not in (str, int, float, bool, type(None)):
                raise _Unsure("operationId")
            if operation_id is not None and operation_id in self.operation_ids:
                yield Found("DuplicateOperationIDError", f"Operation ID '{operation_id}' for '{name}' in '{url}' is not unique", ())
            self.operation_ids.append(operation_id)
        if self.has(operation, "responses"):
            for code, response in self.mapping(operation["responses"]).items():
                if type(code) is not str:
                    raise _Unsure("response code")
                response = self.deref(response)
                if self.has(response, "content"):
                    for media_type, media in self.mapping(response["content"]).items():
                        if type(media_type) is not str:
                            raise _Unsure("media type")
                        media = self.deref(media)
                        if self.has(media, "schema"):
                            yield from self.schema(media["schema"])
        names: list[str] = []
        if self.has(operation, "parameters"):
            own = self.sequence(operation["parameters"])
            yield from self.parameters(own)
            names += list(self.path_names(own))
        if shared is not None:
            names += list(self.path_names(shared))
        all_params = set(names)
        url_params = set(filter(None, [item[1] for item in string.Formatter().parse(url)]))
        for path in sorted(url_params):
            if path not in all_params:
                yield Found("UnresolvableParameterError", f"Path parameter '{path}' for '{name}' operation in '{url}' was not resolved", ())
        for path in sorted(all_params):
            if path not in url_params:
                yield Found("UnresolvableParameterError", f"Path parameter '{path}' for '{name}' operation in '{url}' was not resolved", ())

    def schema(self, node: Any, *, top: bool = True) -> Iterator[Found]:
        """`SchemaValidator.__call__`: `top` is a call from a parameter, a media type or
        components/schemas (`meta_checked=False`, `require_properties=True`)."""
        value = self.deref(node)
        if type(value) is not dict and type(value) is not bool:
            if isinstance(value, (dict, bool)):
                raise _Unsure("a subclass")
            yield Found(_PLAIN, f"{value!r} is not of type 'object', 'boolean'", ())
            return
        key = id(value)
        if type(value) is dict and ("$id" in value or (self.v31 and "$schema" in value)):
            raise _Unsure("$id/$schema")
        if top and key not in self.meta_checked:
            self.meta_checked.add(key)
            if not self.meta.is_valid(value):
                error = _meta_error(value, self.v31)
                if error is not None:
                    yield error
                    return
        if key in self.visited:
            return
        self.visited.add(key)
        if type(value) is bool:
            return  # `in` is False for every keyword of a boolean schema
        nested: list[str] = []
        if "allOf" in value:
            for inner in self.sequence(value["allOf"]):
                yield from self.schema(inner, top=False)
                nested += list(self.properties(inner, 0))
        for keyword in ("anyOf", "oneOf"):
            if keyword in value:
                for inner in self.sequence(value[keyword]):
                    yield from self.schema(inner, top=False)
        for keyword in ("not", "items"):
            if keyword in value:
                yield from self.schema(value[keyword], top=False)
        if "properties" in value:
            for inner in self.mapping(value["properties"]).values():
                yield from self.schema(inner, top=False)
        if "allOf" in value:
            required = self.deref(value["required"]) if "required" in value else []
            if type(required) is not list or any(type(name) is not str for name in required):
                raise _Unsure("required")
            declared = self.mapping(value["properties"]).keys() if "properties" in value else []
            extra = list(set(required) - set(declared) - set(nested))
            if extra and top:
                yield Found("ExtraParametersError", f"Required list has not defined properties: {extra}", ())
        if "default" in value:
            default = self.deref(value["default"])
            nullable = self.deref(value["nullable"]) if "nullable" in value else False
            if default is not None or nullable is not True:
                yield from self.default(value, default)

    def default(self, schema: dict[str, Any], value: Any) -> Iterator[Found]:
        """`ValueValidator.__call__`: the value against its schema."""
        if plain_value_fits(schema, value, self.target):
            return
        if has_ref(schema):
            raise _Unsure("default under a $ref")
        for error in value_validator(schema, self.v31).iter_errors(value):
            yield Found(_PLAIN, error.message, tuple(error.absolute_path), error.instance)

    def properties(self, node: Any, depth: int) -> set[str]:
        """`SchemaValidator._collect_properties`, with the same insertion order."""
        if depth > 50:
            raise _Unsure("cycle")
        value = self.deref(node)
        names: set[str] = set()
        if self.has(value, "properties"):
            names.update(self.mapping(value["properties"]).keys())
        for keyword in ("allOf", "anyOf", "oneOf"):
            if self.has(value, keyword):
                for inner in self.sequence(value[keyword]):
                    names.update(self.properties(inner, depth + 1))
        for keyword in ("items", "not"):
            if self.has(value, keyword):
                names.update(self.properties(value[keyword], depth + 1))
        return names


def _meta_error(schema: Any, v31: bool) -> Found | None:
    """The error openapi-spec-validator reports for a schema that fails its meta-schema check."""
    from jsonschema.exceptions import SchemaError, ValidationError

    try:
        _schema_checker(v31)(schema)
    except (SchemaError, ValidationError) as error:
        return Found(_PLAIN, error.message, tuple(error.absolute_path), error.instance)
    return None


@cache
def _schema_checker(v31: bool) -> Callable[[Any], None]:
    """`OpenAPIV30SchemaValidator` / `OpenAPIV31SchemaValidator._get_schema_checker`."""
    from functools import partial

    from jsonschema.validators import validator_for
    from openapi_schema_validator import OAS31_BASE_DIALECT_ID, oas31_format_checker
    from openapi_schema_validator.validators import OAS30Validator

    if not v31:
        checker: Callable[[Any], None] = OAS30Validator.check_schema
        return checker
    validator_cls: Any = validator_for({"$schema": OAS31_BASE_DIALECT_ID}, default=cast(Any, None))
    if validator_cls is None:
        raise _Unsure("dialect")
    return partial(validator_cls.check_schema, format_checker=oas31_format_checker)
