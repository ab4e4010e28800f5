"""Microsoft's JSON schemas for connector files (vendored in generator/data/schemas, see SOURCE.md).

The files are JSON with `//` comments. json5 reads them but takes over a second for the 72 KB
apiDefinition schema, so comments are stripped by a small string-aware scanner and the result is
parsed with `json`; a test checks that this gives exactly what json5 gives.

The schemas date from 2020 and reject things the service accepts today. They are extended
explicitly by `powerplatform-schema-additions.json` beside them: each addition names the schema, the
object (a JSON pointer), the key, its schema and the published connectors that use it (the list is
also in SOURCE.md; a test checks both agree and that every `x-ms-*` key the calibration connectors
use is accepted).
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

from generator.util.pointer import escape_pointer

__all__ = [
    "ADDITIONS_FILE",
    "SCHEMA_DIR",
    "SCHEMA_FILES",
    "additions",
    "load_schema",
    "relaxed_schema",
    "schema_findings",
    "strip_comments",
    "validator",
]

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "data" / "schemas"
ADDITIONS_FILE = "powerplatform-schema-additions.json"
SCHEMA_FILES = {
    "apiDefinition": "powerplatform-apiDefinition.swagger.schema.json",
    "apiProperties": "powerplatform-apiProperties.schema.json",
    "settings": "powerplatform-settings.schema.json",
}


def strip_comments(text: str) -> str:
    """`text` without `//` and `/* */` comments outside strings."""
    out: list[str] = []
    i, n = 0, len(text)
    start = 0
    while i < n:
        c = text[i]
        if c == '"':
            i += 1
            while i < n and text[i] != '"':
                i += 2 if text[i] == "\\" else 1
            i += 1
        elif c == "/" and i + 1 < n and text[i + 1] in "/*":
            out.append(text[start:i])
            if text[i + 1] == "/":
                end = text.find("\n", i)
                i = n if end < 0 else end
            else:
                end = text.find("*/", i + 2)
                i = n if end < 0 else end + 2
            start = i
        else:
            i += 1
    out.append(text[start:])
    return "".join(out)


@cache
def load_schema(name: str) -> dict[str, Any]:
    """The vendored schema `name` (a key of SCHEMA_FILES) exactly as Microsoft wrote it."""
    text = (SCHEMA_DIR / SCHEMA_FILES[name]).read_text(encoding="utf-8")
    try:
        data: dict[str, Any] = json.loads(strip_comments(text))
    except json.JSONDecodeError:  # something the scanner does not cover (e.g. trailing commas)
        import json5

        data = json5.loads(text)
    return data


@cache
def additions() -> tuple[dict[str, Any], ...]:
    """The explicit additions (`schema`, `at`, `key`, `value`, `evidence`), in file order."""
    data = json.loads((SCHEMA_DIR / ADDITIONS_FILE).read_text(encoding="utf-8"))
    return tuple(data["additions"])


@cache
def relaxed_schema(name: str) -> dict[str, Any]:
    """`load_schema(name)` with the additions of `powerplatform-schema-additions.json`."""
    from generator.util.pointer import split_pointer

    schema = copy.deepcopy(load_schema(name))
    for addition in additions():
        if addition["schema"] != name:
            continue
        node: Any = schema
        for token in split_pointer(addition["at"]):
            node = node[int(token)] if isinstance(node, list) else node[token]
        if isinstance(node, list):  # an enum: one more accepted value
            if addition["value"] not in node:
                node.append(copy.deepcopy(addition["value"]))
        else:
            node.setdefault(addition["key"], copy.deepcopy(addition["value"]))
    return schema


@cache
def validator(name: str, relaxed: bool = True) -> Any:
    """A jsonschema validator for schema `name` (draft 4 for apiDefinition, draft 7 for the others)."""
    import jsonschema
    from jsonschema_specifications import (
        REGISTRY,  # the draft-04 meta-schema the apiDefinition schema refers to
    )

    schema = relaxed_schema(name) if relaxed else load_schema(name)
    cls = jsonschema.Draft4Validator if name == "apiDefinition" else jsonschema.Draft7Validator
    return cls(schema, registry=REGISTRY, format_checker=None)


_UNEXPECTED = re.compile(r"'([^']+)' (?:was unexpected|does not match any of the regexes)")



def schema_findings(errors: Iterable[Any], document: Any) -> Iterator[tuple[str, str]]:
    """(JSON pointer, message) for jsonschema errors, each located as precisely as the error allows:
    the alternative that came closest for a `oneOf`/`anyOf` (not the whole parameter), the key itself
    for an unexpected property, and for an error that lost its path (openapi-spec-validator checks
    defaults and examples after following `$ref`s) the first default or example holding the value."""
    for error in errors:
        error = _closest(error)
        path = list(getattr(error, "absolute_path", []))
        pointer = "".join("/" + escape_pointer(t) for t in path)
        message = str(getattr(error, "message", error))
        if getattr(error, "validator", None) == "additionalProperties":
            keys = _UNEXPECTED.findall(message)
            if keys:
                pointer += "/" + escape_pointer(keys[0])
        elif not path and hasattr(error, "instance"):
            pointer = _value_pointer(document, error.instance) or pointer
        yield pointer, message[:300]


def _closest(error: Any) -> Any:
    """For a failed `oneOf`/`anyOf`, the deepest error of the alternative that got furthest into the
    instance (the one meant: a `securestring` parameter is not a failed `gatewaySetting`), fewest
    errors on a tie; recursively."""
    while getattr(error, "validator", None) in ("oneOf", "anyOf") and getattr(error, "context", None):
        groups: dict[Any, list[Any]] = {}
        for sub in error.context:
            groups.setdefault(sub.relative_schema_path[0] if sub.relative_schema_path else None, []).append(
                sub
            )

        def score(items: list[Any]) -> tuple[int, int, int]:
            depth = max(len(e.absolute_path) for e in items)
            discriminator = any(
                e.validator in ("enum", "const", "required") and len(e.relative_path) <= 1 for e in items
            )
            return (0 if discriminator else 1, depth, -len(items))

        best = max(groups.values(), key=score)
        error = max(best, key=lambda e: len(e.absolute_path))
    return error


def _value_pointer(document: Any, value: Any) -> str | None:
    """Pointer of the first `default`, `example` or `x-example` whose value is `value`."""
    stack: list[tuple[str, Any]] = [("", document)]
    while stack:
        pointer, node = stack.pop()
        if isinstance(node, dict):
            for key in ("default", "example", "x-example"):
                if key in node and node[key] == value and type(node[key]) is type(value):
                    return f"{pointer}/{key}"
            stack.extend((f"{pointer}/{escape_pointer(k)}", v) for k, v in reversed(list(node.items())))
        elif isinstance(node, list):
            stack.extend((f"{pointer}/{i}", v) for i, v in reversed(list(enumerate(node))))
    return None
