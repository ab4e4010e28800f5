"""Rules on the other files of a package: apiProperties.json, icon.png, script.csx, settings.json, readme.md."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from generator.lint.package import FILE_NAMES, LintPackage
from generator.lint.registry import rule
from generator.problems import Finding, Level
from generator.util.pointer import escape_pointer

__all__ = ["README_SECTIONS"]

P = "properties"
ICON_SIZE = (230, 230)
FORBIDDEN_COLORS = {"#ffffff", "#fff", "white", "#007ee5"}
README_SECTIONS = (
    "Publisher",
    "Prerequisites",
    "Supported operations",
    "Obtaining credentials",
    "Getting started",
    "Known issues and limitations",
)
_JWT = re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}")
_HEX_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


@rule("ApiPropertiesMissing", Level.ERROR, "a package folder has apiProperties.json")
def properties_present(package: LintPackage) -> Iterator[Finding]:
    """paconn and pac connector need apiProperties.json to create a connector; every calibration
    connector has one."""
    if package.folder and "properties" not in package.files:
        yield Finding(f"{FILE_NAMES['properties']} is missing", file="package")


@rule(
    "ApiPropertiesSchemaInvalid",
    Level.WARNING,
    "apiProperties.json matches Microsoft's schema (known gaps relaxed)",
)
def properties_schema(package: LintPackage) -> Iterator[Finding]:
    """Microsoft's 2020 apiProperties schema (vendored; additions in generator/data/schemas/SOURCE.md,
    e.g. redirectMode GlobalPerConnector). Warning: recent connectors fail it where the service
    accepts them (DocuSign 2024-09 identityProvider 'DocuSign', Autenti 2024-04 uiDefinition null)."""
    if "properties" not in package.data:
        return
    from generator.lint.msschemas import schema_findings, validator

    errors = validator("apiProperties").iter_errors(package.data["properties"])
    for pointer, message in schema_findings(errors, package.data["properties"]):
        yield Finding(message, pointer, file=P)


@rule("PublisherMissing", Level.WARNING, "apiProperties has a publisher")
def publisher(package: LintPackage) -> Iterator[Finding]:
    """Certification asks for publisher; D7SMS 2024-06 was published without it."""
    props = package.properties
    if props is not None and not str(props.get("publisher") or "").strip():
        yield Finding("publisher is missing (the organisation publishing the connector)", "/properties", file=P)


@rule("StackOwnerMissing", Level.WARNING, "apiProperties has a stackOwner")
def stack_owner(package: LintPackage) -> Iterator[Finding]:
    """Certification asks for stackOwner (a known paconn bug makes create/update fail with it);
    DocuSign 2024-09, D7SMS 2024-06, touchSMS 2024-04 and Mockster 2024-03 were published without it."""
    props = package.properties
    if props is not None and not str(props.get("stackOwner") or "").strip():
        yield Finding("stackOwner is missing (the organisation owning the service)", "/properties", file=P)


@rule("IconBrandColorNotValid", Level.ERROR, "iconBrandColor is a #rrggbb colour, not white nor #007ee5")
def brand_color(package: LintPackage) -> Iterator[Finding]:
    """The PR checklist of microsoft/PowerPlatformConnectors (e.g. PR #4077): 'apiProperties.json has a valid brand
    color and doesn't use an invalid brand color, #007ee5 or #ffffff' (PRs are rejected otherwise).
    DocuSign (2024-09, #FFFFFF) is the one calibration connector that breaks it: a connector first
    published before the checklist."""
    props = package.properties
    if props is None:
        return
    color = str(props.get("iconBrandColor") or "")
    if not _HEX_COLOR.match(color):
        yield Finding(
            f"iconBrandColor {color!r} is not a #rrggbb colour",
            "/properties/iconBrandColor" if color else "/properties",
            file=P,
        )
    elif color.lower() in FORBIDDEN_COLORS:
        yield Finding(
            f"iconBrandColor {color} is not allowed (white and #007ee5 are reserved)",
            "/properties/iconBrandColor",
            file=P,
        )


@rule(
    "ConnectionParameterUiDefinitionIncomplete",
    Level.WARNING,
    "connection parameters have uiDefinition displayName, description, tooltip and constraints",
)
def ui_definition(package: LintPackage) -> Iterator[Finding]:
    """Certification guidance: uiDefinition with displayName, description, tooltip and constraints."""
    props = package.properties
    params = props.get("connectionParameters") if props else None
    for name, param in params.items() if isinstance(params, dict) else ():
        ui = param.get("uiDefinition") if isinstance(param, dict) else None
        ui = ui if isinstance(ui, dict) else {}
        missing = [k for k in ("displayName", "description", "tooltip", "constraints") if k not in ui]
        if missing and not (isinstance(param, dict) and param.get("type") == "oauthSetting"):
            yield Finding(
                f"connection parameter {name!r} uiDefinition lacks {', '.join(missing)}",
                "/properties/connectionParameters/" + escape_pointer(name),
                file=P,
            )


def _operation_ids(package: LintPackage) -> set[str]:
    return {str(op.get("operationId")) for _, _, op, _, _ in package.operations() if op.get("operationId")}


@rule(
    "OperationIdNotFound",
    Level.ERROR,
    "policy templates name existing operations (ignoring case)",
    microsoft=True,
)
def operation_refs(package: LintPackage) -> Iterator[Finding]:
    """Validator rule OperationIdNotFound for policy templates' x-ms-apimTemplate-operationName,
    compared ignoring case (Almabase 2021 writes 'Listforms' for 'ListForms')."""
    props = package.properties
    if props is None:
        return
    known = {op_id.lower() for op_id in _operation_ids(package)}
    templates = props.get("policyTemplateInstances")
    for i, template in enumerate(templates if isinstance(templates, list) else []):
        params = template.get("parameters") if isinstance(template, dict) else None
        names = params.get("x-ms-apimTemplate-operationName") if isinstance(params, dict) else None
        for j, op_id in enumerate(names if isinstance(names, list) else []):
            if str(op_id).lower() not in known:
                yield Finding(
                    f"no operation {op_id!r}",
                    f"/properties/policyTemplateInstances/{i}/parameters/x-ms-apimTemplate-operationName/{j}",
                    file=P,
                )


@rule("ScriptOperationNotFound", Level.WARNING, "scriptOperations name existing operations")
def script_operation_refs(package: LintPackage) -> Iterator[Finding]:
    """scriptOperations naming no operation only leaves the code unused: SoloSign 2023-11 publishes
    'postCall', which its definition lacks."""
    props = package.properties
    if props is None:
        return
    known = _operation_ids(package)
    script_ops = props.get("scriptOperations")
    for i, op_id in enumerate(script_ops if isinstance(script_ops, list) else []):
        if op_id not in known:
            yield Finding(f"no operation {op_id!r}", f"/properties/scriptOperations/{i}", file=P)


@rule("ScriptOperationsWithoutScript", Level.WARNING, "scriptOperations only with a script.csx")
def script_operations(package: LintPackage) -> Iterator[Finding]:
    """scriptOperations without script.csx: nothing runs (SoloSign 2023-11 publishes it)."""
    props = package.properties
    if package.folder and props and props.get("scriptOperations") and "script" not in package.files:
        yield Finding(
            "scriptOperations are listed but the package has no script.csx",
            "/properties/scriptOperations",
            file=P,
        )


def _tokens(value: Any, pointer: str) -> Iterator[str]:
    """Pointers of JSON strings holding a JSON Web Token that is not marked as a placeholder."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _tokens(v, pointer + "/" + escape_pointer(k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _tokens(v, f"{pointer}/{i}")
    elif isinstance(value, str) and any(
        "placeholder" not in m.group(0).lower() for m in _JWT.finditer(value)
    ):
        yield pointer


@rule(
    "SecretValueInPackage",
    Level.ERROR,
    "no secrets or tokens (JWTs not marked 'placeholder') in the package files",
)
def secrets(package: LintPackage) -> Iterator[Finding]:
    """Certification: no secrets in the package (Learn 'Get your connector certified'); JWTs that are
    not marked as placeholders are taken for real ones."""
    for key in ("definition", "properties", "settings"):
        for pointer in _tokens(package.data.get(key), ""):
            yield Finding("this value looks like a real JSON Web Token", pointer, file=key)
    for key in ("script", "readme"):
        if any("placeholder" not in m.group(0).lower() for m in _JWT.finditer(package.texts.get(key, ""))):
            yield Finding("the file contains what looks like a real JSON Web Token", file=key)
    props = package.properties or {}
    params = props.get("connectionParameters")
    for name, param in params.items() if isinstance(params, dict) else ():
        oauth = param.get("oAuthSettings") if isinstance(param, dict) else None
        if isinstance(oauth, dict) and oauth.get("clientSecret"):
            yield Finding(
                "oAuthSettings holds a client secret",
                f"/properties/connectionParameters/{name}/oAuthSettings/clientSecret",
                file=P,
            )


# -- icon.png -----------------------------------------------------------------------------------------------
def _icon(package: LintPackage) -> Any:
    path = package.files.get("icon")
    if path is None:
        return None
    try:
        from PIL import Image

        with Image.open(path) as image:
            image.load()
            return image.copy() if image.format == "PNG" else False
    except Exception:
        return False


@rule("IconNotValidPng", Level.ERROR, "icon.png is a PNG image")
def icon_png(package: LintPackage) -> Iterator[Finding]:
    """paconn and the portal need a PNG icon; certification."""
    if _icon(package) is False:
        yield Finding("icon.png is not a readable PNG image", file="icon")


@rule("IconSizeNotValid", Level.ERROR, f"icon.png is {ICON_SIZE[0]}x{ICON_SIZE[1]} pixels")
def icon_size(package: LintPackage) -> Iterator[Finding]:
    """Certification: a 230x230 icon. The calibration sample holds no images (left out), so the level
    is unchanged."""
    image = _icon(package)
    if image and image.size != ICON_SIZE:
        yield Finding(
            f"icon.png is {image.size[0]}x{image.size[1]}; {ICON_SIZE[0]}x{ICON_SIZE[1]} expected",
            file="icon",
        )


@rule("IconHasTransparency", Level.ERROR, "icon.png is opaque")
def icon_opaque(package: LintPackage) -> Iterator[Finding]:
    """Certification: an opaque icon on the brand colour. The calibration sample holds no images (left
    out), so the level is unchanged."""
    image = _icon(package)
    if image and (image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info):
        alpha = image.convert("RGBA").getchannel("A")
        if alpha.getextrema()[0] < 255:
            yield Finding("icon.png has transparent pixels; use the brand colour as background", file="icon")


@rule("IconBackgroundNotBrandColor", Level.WARNING, "icon.png's background is iconBrandColor")
def icon_background(package: LintPackage) -> Iterator[Finding]:
    """Certification guidance: the icon background is iconBrandColor."""
    image = _icon(package)
    color = str((package.properties or {}).get("iconBrandColor") or "")
    if image and _HEX_COLOR.match(color):
        corner = image.convert("RGB").getpixel((0, 0))
        found = "#{:02x}{:02x}{:02x}".format(*corner)
        if found != color.lower():
            yield Finding(f"icon background {found} differs from iconBrandColor {color.lower()}", file="icon")


# -- settings.json ------------------------------------------------------------------------------------------
@rule("SettingsSchemaInvalid", Level.ERROR, "settings.json matches Microsoft's schema (with `script`)")
def settings_schema(package: LintPackage) -> Iterator[Finding]:
    """Microsoft's 2020 paconn settings schema (vendored, with `script`); paconn reads the file, the
    service never sees it."""
    if "settings" not in package.data:
        return
    from generator.lint.msschemas import schema_findings, validator

    errors = validator("settings").iter_errors(package.data["settings"])
    for pointer, message in schema_findings(errors, package.data["settings"]):
        yield Finding(message, pointer, file="settings")


@rule("SettingsFileNotFound", Level.ERROR, "files named in settings.json exist")
def settings_paths(package: LintPackage) -> Iterator[Finding]:
    """paconn fails when settings.json names a file that is not there."""
    settings = package.data.get("settings")
    path = package.files.get("settings")
    if not isinstance(settings, dict) or path is None:
        return
    for key in ("apiDefinition", "apiProperties", "icon", "script"):
        value = settings.get(key)
        if isinstance(value, str) and value and not (path.parent / value).is_file():
            yield Finding(f"{key} file {value!r} does not exist next to settings.json", f"/{key}", file="settings")


# -- readme.md ----------------------------------------------------------------------------------------------
@rule("ReadmeMissing", Level.WARNING, "a package folder has readme.md (certification)")
def readme_present(package: LintPackage) -> Iterator[Finding]:
    """Certification requires a readme (any case: 29 of the sample write Readme.md, 4 README.MD);
    independent publishers and updates are reviewed without one, so a warning."""
    if package.folder and "readme" not in package.files:
        yield Finding("readme.md is missing", file="package")


@rule("ReadmeSectionMissing", Level.WARNING, "readme.md has the certification sections")
def readme_sections(package: LintPackage) -> Iterator[Finding]:
    """Microsoft's readme template sections; 108 of the 121 published connectors lack at least one, so
    a reviewers' convention."""
    text = package.texts.get("readme")
    if text is None:
        return
    # Microsoft's template writes some sections as "## Publisher: Contoso".
    headings = {
        m.group(1).split(":", 1)[0].strip().lower(): m.start()
        for m in re.finditer(r"^#{1,6}\s+(.+?)\s*#*\s*$", text, re.M)
    }
    for i, section in enumerate(README_SECTIONS):
        if section.lower() not in headings:
            # located where it belongs: at the next template section present, else the end
            later = [headings[s.lower()] for s in README_SECTIONS[i + 1 :] if s.lower() in headings]
            yield Finding(f"readme.md has no '{section}' section", offset=later[0] if later else len(text.rstrip()), file="readme")
