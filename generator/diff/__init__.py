"""Breaking-change check of connector updates (`connectorgen diff`, and the build's baseline check).

`load_side` reads an apiDefinition file or a package folder (a vendor spec folder is built into a
side by `pipeline/sides.py`, the layer above); `compare` runs
every rule of the registry (`registry.RULES`, rules in `rules.py`) and returns `Change`s classed
breaking or compatible, with JSON pointers into both sides; `report` formats them.
"""

from __future__ import annotations

from generator.diff.compare import compare, load_rules
from generator.diff.load import load_side
from generator.diff.model import Change, Kind, Side

__all__ = ["Change", "Kind", "Side", "compare", "load_rules", "load_side"]
