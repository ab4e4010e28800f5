"""Vendor overrides of the generic engine, found by vendor name.

A vendor whose mock needs more than its spec can say has a module
`generator.mock.vendors.<name>` (the vendor folder's name, `-` spelled `_`) defining `BEHAVIOUR`, a
`Behaviour` subclass: best a subclass of the generic engine (`engine.GenericBehaviour`) that adds
handlers for the few operations its spec cannot describe and calls the engine for the rest
(`volue.py`, `greenflux.py`); an older-style override answering some operations itself gets the
engine for the others. A module may also define `EXPECTED_STATUSES` (statuses the contract runs
accept beyond schemathesis's defaults, per check). A vendor without a module is served by the
generic engine (`generator.mock.engine`) from its spec alone. No table of vendors lives here.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
from types import ModuleType

from generator.mock.behaviour import Behaviour

__all__ = ["behaviour_class", "expected_statuses", "vendor_module", "vendor_names"]

_NAME = re.compile(r"[a-z][a-z0-9-]*")


def vendor_names() -> list[str]:
    """The bundled vendors (folders of the shipped specs with an `openapi.yaml`)."""
    from generator.util.resources import specs_dir

    root = specs_dir()
    return sorted(p.name for p in root.iterdir() if p.is_dir() and (p / "openapi.yaml").is_file())


def vendor_module(vendor: str) -> ModuleType | None:
    """`generator.mock.vendors.<vendor>` when that module exists, else None."""
    if not _NAME.fullmatch(vendor):
        return None
    name = f"{__name__}.{vendor.replace('-', '_')}"
    if importlib.util.find_spec(name) is None:
        return None
    return importlib.import_module(name)


def behaviour_class(vendor: str) -> type[Behaviour] | None:
    """The vendor's override class, or None (the generic engine serves it)."""
    module = vendor_module(vendor)
    cls = getattr(module, "BEHAVIOUR", None) if module is not None else None
    if cls is None:
        return None
    assert isinstance(cls, type) and issubclass(cls, Behaviour)
    return cls


def expected_statuses(vendor: str) -> dict[str, list[str]]:
    module = vendor_module(vendor)
    found = getattr(module, "EXPECTED_STATUSES", None) if module is not None else None
    return dict(found or {})
