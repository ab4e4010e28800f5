"""Text and JSON reports of a comparison, and acknowledgements (connector.yaml) matched to changes."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from generator.diff.model import Change, Kind, Side

__all__ = ["acknowledged", "format_json", "format_text", "summary_line"]


def _where(side: Side, change: Change, pointer: str) -> str:
    file, line, col = side.locate(change.file, pointer)
    place = f"{file}:{line}:{col}" if line else file
    return f"{place} [{pointer or '#'}]"


def summary_line(changes: Sequence[Change]) -> str:
    breaking = sum(1 for c in changes if c.kind is Kind.BREAKING)
    return f"{breaking} breaking, {len(changes) - breaking} compatible change(s)"


def format_text(changes: Sequence[Change], old: Side, new: Side, reasons: dict[Change, str] | None = None) -> str:
    """One block per change: kind, code, operation and message, then where it is on each side."""
    if not changes:
        return f"{old.label} -> {new.label}: no changes\n"
    lines = [f"{old.label} -> {new.label}"]
    for c in changes:
        head = f"{c.kind.value} {c.code}" + (f" {c.operation}" if c.operation else "") + f": {c.message}"
        lines.append("")
        lines.append(head)
        lines.append(f"  old: {_where(old, c, c.old_pointer)}")
        lines.append(f"  new: {_where(new, c, c.new_pointer)}")
        if c.hint:
            lines.append(f"  hint: {c.hint}")
        if reasons and c in reasons:
            lines.append(f"  acknowledged: {reasons[c]}")
    lines.append("")
    lines.append(summary_line(changes))
    return "\n".join(lines) + "\n"


def format_json(changes: Sequence[Change], old: Side, new: Side, reasons: dict[Change, str] | None = None) -> str:
    items: list[dict[str, Any]] = []
    for c in changes:
        item = c.to_dict()
        for side, key, pointer in ((old, "oldLocation", c.old_pointer), (new, "newLocation", c.new_pointer)):
            file, line, col = side.locate(c.file, pointer)
            item[key] = {"file": file, "line": line, "col": col}
        if reasons and c in reasons:
            item["acknowledged"] = reasons[c]
        items.append(item)
    breaking = sum(1 for c in changes if c.kind is Kind.BREAKING)
    out = {"old": old.label, "new": new.label, "breaking": breaking, "compatible": len(changes) - breaking, "changes": items}
    return json.dumps(out, indent=2, ensure_ascii=False) + "\n"


def acknowledged(changes: Iterable[Change], acknowledgements: Sequence[dict[str, Any]]) -> tuple[dict[Change, str], list[int]]:
    """(breaking change → reason for each acknowledged one, indexes of acknowledgements matching nothing).

    An acknowledgement names a change by `code` and `pointer` (the change's `anchor`: its pointer in
    OLD, or in NEW for an addition)."""
    reasons: dict[Change, str] = {}
    used: set[int] = set()
    for change in changes:
        if change.kind is not Kind.BREAKING:
            continue
        for i, ack in enumerate(acknowledgements):
            if ack.get("code") == change.code and ack.get("pointer") == change.anchor:
                reasons[change] = str(ack.get("reason", ""))
                used.add(i)
                break
    return reasons, [i for i in range(len(acknowledgements)) if i not in used]
