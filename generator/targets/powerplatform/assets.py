"""The package's non-Swagger files: icon.png, settings.json, readme.md."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from generator.util.templates import render_template

__all__ = ["ICON_SIZE", "readme_text", "render_icon", "settings"]

ICON_SIZE = 230
_MARK_BOX = 160  # certification: a ~160 px logo inside the 230 px square
_PNG_OPTIONS: dict[str, Any] = {"format": "PNG", "optimize": False, "compress_level": 9}


def _rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def render_icon(text: str, background: str, foreground: str = "#ffffff") -> bytes:
    """A 230 by 230 opaque PNG: `text` centred on the brand colour, as large as fits the 160 px box.

    Pillow's bundled default font (`load_default(size=...)`) keeps the bytes identical on every machine
    with the same Pillow; PNG options are fixed and no metadata (time, software) is written.
    """
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (ICON_SIZE, ICON_SIZE), _rgb(background))
    draw = ImageDraw.Draw(image)
    size = 120
    while True:
        font = ImageFont.load_default(size=size)
        left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
        if (right - left <= _MARK_BOX and bottom - top <= _MARK_BOX * 0.75) or size <= 12:
            break
        size -= 4
    x = (ICON_SIZE - (right - left)) / 2 - left
    y = (ICON_SIZE - (bottom - top)) / 2 - top
    draw.text((x, y), text, font=font, fill=_rgb(foreground))
    buffer = io.BytesIO()
    image.save(buffer, **_PNG_OPTIONS)
    return buffer.getvalue()


def settings(has_script: bool) -> dict[str, Any]:
    """settings.json for `paconn create|update --settings`: paths relative to the package folder. No
    connectorId (absent on create) and no environment GUID: the user adds theirs (`paconn` asks)."""
    data: dict[str, Any] = {
        "apiDefinition": "apiDefinition.swagger.json",
        "apiProperties": "apiProperties.json",
        "icon": "icon.png",
    }
    if has_script:
        data["script"] = "script.csx"
    data["powerAppsUrl"] = "https://api.powerapps.com"
    data["powerAppsApiVersion"] = "2016-11-01"
    return data


def _operation_rows(swagger: dict[str, Any]) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    actions: list[dict[str, str]] = []
    triggers: list[dict[str, str]] = []
    for item in swagger.get("paths", {}).values():
        for method, op in item.items():
            if not isinstance(op, dict) or method.startswith("x-") or method == "parameters":
                continue
            if op.get("x-ms-visibility") == "internal":
                continue
            row = {"summary": op.get("summary", op.get("operationId", "")), "description": op.get("description", "")}
            (triggers if "x-ms-trigger" in op else actions).append(row)
    return sorted(actions, key=lambda r: r["summary"]), sorted(triggers, key=lambda r: r["summary"])


def readme_text(connector: dict[str, Any], swagger: dict[str, Any], has_script: bool, templates_dir: Path | None) -> str:
    actions, triggers = _operation_rows(swagger)
    return render_template(
        "powerplatform/readme.md.j2",
        templates_dir,
        connector=connector,
        readme=connector["readme"],
        actions=actions,
        triggers=triggers,
        has_script=has_script,
    )
