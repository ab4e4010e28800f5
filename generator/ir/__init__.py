"""The target-neutral intermediate representation (see `model.py`) and its builder."""

from generator.ir.build import build_api
from generator.ir.model import Api, Operation

__all__ = ["Api", "Operation", "build_api"]
