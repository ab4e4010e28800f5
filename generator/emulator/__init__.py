"""Connector emulator: turns an action call on a built Power Platform package into the HTTP request
the platform would send (policy templates, custom code through Mono) and sends it to a mock server.
See emulator.py for the entry point."""

from __future__ import annotations

from generator.emulator.emulator import Call, Emulator, PollResult, Subscription
from generator.emulator.package import EmulatedPackage, EmulatorError, load_emulated_package
from generator.emulator.schema import swagger_validator
from generator.emulator.wire import WireRequest, WireResponse

__all__ = [
    "Call",
    "EmulatedPackage",
    "Emulator",
    "EmulatorError",
    "PollResult",
    "Subscription",
    "WireRequest",
    "WireResponse",
    "load_emulated_package",
    "swagger_validator",
]
