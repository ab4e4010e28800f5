"""Name conversions used by several targets."""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["python_package_name", "snake_case", "title_case"]

_ACRONYMS = frozenset({"id", "url", "uri", "vin", "evse", "ocpi", "cdr", "cpo", "uid", "jwt", "api"})
_SMALL_WORDS = {"a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with"}


def snake_case(name: str) -> str:
    name = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    name = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    return re.sub(r"[^0-9a-zA-Z]+", "_", name).strip("_").lower()


@lru_cache(maxsize=8192)  # a connector asks for the same few hundred property names thousands of times
def title_case(name: str) -> str:
    """`stationId` → `Station ID`, `date_from` → `Date from` (Power Platform `x-ms-summary`)."""
    words = snake_case(name).split("_")
    out = []
    for i, word in enumerate(words):
        if word in _ACRONYMS:
            out.append(word.upper())
        elif i > 0 and word in _SMALL_WORDS:
            out.append(word)
        else:
            out.append(word[:1].upper() + word[1:])
    return " ".join(out)


def python_package_name(vendor: str) -> str:
    """`vev-iq` → `vev_iq_models`."""
    return snake_case(vendor) + "_models"
