"""Mono tests run wherever Mono is installed, and always in CI (they fail there if it is missing)."""

from __future__ import annotations

import os

import pytest
from generator.emulator.mono import mono_available

__all__ = ["require_mono"]

INSTALL = (
    "apt-get install -y mono-mcs libnewtonsoft-json-cil-dev libmono-system-net-http4.0-cil"
    " libmono-system-drawing4.0-cil libmono-system-web4.0-cil libmono-system-io-compression4.0-cil"
)


def require_mono() -> None:
    if mono_available():
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the custom-code tests, but mcs/mono/Newtonsoft.Json are missing: {INSTALL}")
    pytest.skip(f"mcs/mono or Newtonsoft.Json not installed and CI is unset; custom code not compiled ({INSTALL})")
