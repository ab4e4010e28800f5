"""The Python types of JSON Schema's primitive type names, for checking a value against `type`."""

from __future__ import annotations

__all__ = ["JSON_TYPES"]

JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "array": (list,),
    "object": (dict,),
}
