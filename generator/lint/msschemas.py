"""Microsoft's JSON schemas for connector files (vendored in generator/data/schemas, see SOURCE.md).

The files are JSON with `//` comments. json5 reads them but takes over a second for the 72 KB
apiDefinition schema, so comments are stripped by a small string-aware scanner and the result is
parsed with `json`; a test checks that this gives exactly what json5 gives.

The schemas date from 2020 and reject things the service accepts today. Relaxed here, explicitly:
- apiProperties: `scriptOperations` (operationIds custom code runs for) and `connectionParameterSets`
  (several ways to connect) are missing from `properties`.
- settings: `script` (path of script.csx) is missing.
- apiDefinition: newer `x-ms-*` keys are missing: `x-ms-openai-manifest` at the top level,
  `x-ms-openai-data` and `x-ms-agentic-protocol` on operations.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["SCHEMA_DIR", "SCHEMA_FILES", "load_schema", "relaxed_schema", "strip_comments", "validator"]

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "data" / "schemas"
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
def relaxed_schema(name: str) -> dict[str, Any]:
    """`load_schema(name)` with the known gaps (module docstring) relaxed."""
    schema = copy.deepcopy(load_schema(name))
    if name == "apiProperties":
        props = schema["properties"]["properties"]["properties"]
        props.setdefault("scriptOperations", {"type": "array", "items": {"type": "string"}})
        props.setdefault("connectionParameterSets", {"type": "object"})
    elif name == "settings":
        schema["properties"].setdefault("script", {"type": "string", "default": "script.csx"})
    elif name == "apiDefinition":
        schema["properties"].setdefault("x-ms-openai-manifest", {"type": "object"})
        operation = schema["definitions"]["operation"]["properties"]
        operation.setdefault("x-ms-openai-data", {"type": "object"})
        operation.setdefault("x-ms-agentic-protocol", {"type": "string"})
        # info.x-ms-keywords: search words, in published connectors (e.g. DocuSign, Data8, Zoho Mail).
        schema["definitions"]["info"]["properties"].setdefault("x-ms-keywords", {"type": "array", "items": {"type": "string"}})
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
