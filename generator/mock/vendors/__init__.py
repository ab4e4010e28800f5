"""Behaviour modules, one per vendor; each defines `BEHAVIOUR`, a `Behaviour` subclass."""

from __future__ import annotations

import importlib

from generator.mock.behaviour import Behaviour

__all__ = ["behaviour_class", "vendor_names"]

_MODULES = {
    "eevion": "generator.mock.vendors.eevion",
    "greenflux": "generator.mock.vendors.greenflux",
    "vev-iq": "generator.mock.vendors.vev_iq",
    "volue": "generator.mock.vendors.volue",
}


def vendor_names() -> list[str]:
    return sorted(_MODULES)


def behaviour_class(vendor: str) -> type[Behaviour]:
    if vendor not in _MODULES:
        raise ValueError(f"no mock for vendor {vendor!r} (known: {', '.join(vendor_names())})")
    cls = importlib.import_module(_MODULES[vendor]).BEHAVIOUR
    assert isinstance(cls, type) and issubclass(cls, Behaviour)
    return cls
