"""Power Platform-safe operation ids and summaries."""

from __future__ import annotations

import re

__all__ = ["SUMMARY_MAX", "pascal_id", "sanitize_summary", "sentence_from_id"]

SUMMARY_MAX = 80  # certification limit (the validator allows 120)
_RESTRICTED = re.compile(r"[^A-Za-z0-9 ()]")
_SEPARATORS = re.compile(r"[^A-Za-z0-9]+")
_PUNCTUATION = re.compile(r"[-/_.,:;]+")
_SPACES = re.compile(r"\s+")
_EMPTY_PARENTHESES = re.compile(r"\(\s*\)")
# Words of letters and digits, one space apart: what `sanitize_summary` leaves as it is (but the first letter).
_CLEAN_SUMMARY = re.compile(r"[A-Za-z0-9]+(?: [A-Za-z0-9]+)*")


def pascal_id(text: str) -> str:
    """`list-users_v2` → `ListUsersV2`: letters and digits only, as Power Platform wants operationIds."""
    parts = [p for p in _SEPARATORS.split(text) if p]
    out = "".join(p[:1].upper() + p[1:] for p in parts)
    if out and out[0].isdigit():
        out = "Op" + out
    return out or "Operation"


def sentence_from_id(operation_id: str) -> str:
    """`ListChargingStations` → `List charging stations`."""
    words = re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+", operation_id)
    if not words:
        return operation_id
    text = " ".join(w if (w.isupper() and len(w) > 1) else w.lower() for w in words)
    return text[:1].upper() + text[1:]


def sanitize_summary(summary: str) -> str:
    """Letters, digits, spaces and parentheses only, ≤ 80 characters, no trailing punctuation."""
    if len(summary) <= SUMMARY_MAX and _CLEAN_SUMMARY.fullmatch(summary):
        return summary[:1].upper() + summary[1:]  # nothing below would change it
    text = summary.replace("&", " and ")
    text = _PUNCTUATION.sub(" ", text)
    text = _RESTRICTED.sub("", text)
    text = _SPACES.sub(" ", text).strip()
    text = _EMPTY_PARENTHESES.sub("", text).strip()
    if len(text) > SUMMARY_MAX:
        cut = text[: SUMMARY_MAX + 1].rsplit(" ", 1)[0] if " " in text[:SUMMARY_MAX] else text[:SUMMARY_MAX]
        text = cut[:SUMMARY_MAX].rstrip(" (")
        if text.count("(") > text.count(")"):
            text = text[: text.rfind("(")].rstrip()
    return text[:1].upper() + text[1:]
