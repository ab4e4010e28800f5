"""Rules on the other files of a package: apiProperties.json, icon.png, script.csx, settings.json, readme.md."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from generator.lint.package import FILE_NAMES, Package
from generator.lint.registry import Finding, rule
from generator.problems import Level

__all__ = ["ALLOWED_NAMESPACES", "README_SECTIONS"]

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
# Namespaces custom code may use (Microsoft: "Write code in a custom connector").
ALLOWED_NAMESPACES = frozenset(
    {
        "System", "System.Collections", "System.Collections.Generic", "System.Diagnostics", "System.IO", "System.IO.Compression",
        "System.Linq", "System.Net", "System.Net.Http", "System.Net.Http.Headers", "System.Security.Cryptography", "System.Text",
        "System.Text.RegularExpressions", "System.Threading", "System.Threading.Tasks", "System.Web", "System.Xml", "System.Xml.Linq",
        "Microsoft.Extensions.Logging", "Newtonsoft.Json", "Newtonsoft.Json.Linq",
    }
)  # fmt: skip
_JWT = re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}")
_HEX_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


@rule("ApiPropertiesMissing", Level.ERROR, "a package folder has apiProperties.json")
def properties_present(package: Package) -> Iterator[Finding]:
    if package.folder and "properties" not in package.files:
        yield "package", "", f"{FILE_NAMES['properties']} is missing"


@rule(
    "ApiPropertiesSchemaInvalid",
    Level.ERROR,
    "apiProperties.json matches Microsoft's schema (known gaps relaxed)",
)
def properties_schema(package: Package) -> Iterator[Finding]:
    if "properties" not in package.data:
        return
    from generator.lint.msschemas import validator

    for error in validator("apiProperties").iter_errors(package.data["properties"]):
        pointer = "".join("/" + str(t).replace("~", "~0").replace("/", "~1") for t in error.absolute_path)
        yield P, pointer, error.message[:300]


@rule("PublisherMissing", Level.ERROR, "apiProperties has a publisher")
def publisher(package: Package) -> Iterator[Finding]:
    props = package.properties
    if props is not None and not str(props.get("publisher") or "").strip():
        yield P, "/properties", "publisher is missing (the organisation publishing the connector)"


@rule("StackOwnerMissing", Level.ERROR, "apiProperties has a stackOwner")
def stack_owner(package: Package) -> Iterator[Finding]:
    props = package.properties
    if props is not None and not str(props.get("stackOwner") or "").strip():
        yield P, "/properties", "stackOwner is missing (the organisation owning the service)"


@rule("IconBrandColorNotValid", Level.ERROR, "iconBrandColor is a #rrggbb colour, not white nor #007ee5")
def brand_color(package: Package) -> Iterator[Finding]:
    props = package.properties
    if props is None:
        return
    color = str(props.get("iconBrandColor") or "")
    if not _HEX_COLOR.match(color):
        yield (
            P,
            "/properties/iconBrandColor" if color else "/properties",
            f"iconBrandColor {color!r} is not a #rrggbb colour",
        )
    elif color.lower() in FORBIDDEN_COLORS:
        yield (
            P,
            "/properties/iconBrandColor",
            f"iconBrandColor {color} is not allowed (white and #007ee5 are reserved)",
        )


@rule(
    "ConnectionParameterUiDefinitionIncomplete",
    Level.WARNING,
    "connection parameters have uiDefinition displayName, description, tooltip and constraints",
)
def ui_definition(package: Package) -> Iterator[Finding]:
    props = package.properties
    params = props.get("connectionParameters") if props else None
    for name, param in params.items() if isinstance(params, dict) else ():
        ui = param.get("uiDefinition") if isinstance(param, dict) else None
        ui = ui if isinstance(ui, dict) else {}
        missing = [k for k in ("displayName", "description", "tooltip", "constraints") if k not in ui]
        if missing and not (isinstance(param, dict) and param.get("type") == "oauthSetting"):
            yield (
                P,
                f"/properties/connectionParameters/{name}",
                f"connection parameter {name!r} uiDefinition lacks {', '.join(missing)}",
            )


def _operation_ids(package: Package) -> set[str]:
    return {str(op.get("operationId")) for _, _, op, _, _ in package.operations() if op.get("operationId")}


@rule(
    "OperationIdNotFound",
    Level.ERROR,
    "policy templates and scriptOperations name existing operations",
    microsoft=True,
)
def operation_refs(package: Package) -> Iterator[Finding]:
    props = package.properties
    if props is None:
        return
    known = _operation_ids(package)
    templates = props.get("policyTemplateInstances")
    for i, template in enumerate(templates if isinstance(templates, list) else []):
        params = template.get("parameters") if isinstance(template, dict) else None
        names = params.get("x-ms-apimTemplate-operationName") if isinstance(params, dict) else None
        for j, op_id in enumerate(names if isinstance(names, list) else []):
            if op_id not in known:
                yield (
                    P,
                    f"/properties/policyTemplateInstances/{i}/parameters/x-ms-apimTemplate-operationName/{j}",
                    f"no operation {op_id!r}",
                )
    script_ops = props.get("scriptOperations")
    for i, op_id in enumerate(script_ops if isinstance(script_ops, list) else []):
        if op_id not in known:
            yield P, f"/properties/scriptOperations/{i}", f"no operation {op_id!r}"


@rule("ScriptOperationsWithoutScript", Level.WARNING, "scriptOperations only with a script.csx")
def script_operations(package: Package) -> Iterator[Finding]:
    props = package.properties
    if package.folder and props and props.get("scriptOperations") and "script" not in package.files:
        yield (
            P,
            "/properties/scriptOperations",
            "scriptOperations are listed but the package has no script.csx",
        )


def _tokens(value: Any, pointer: str) -> Iterator[str]:
    """Pointers of JSON strings holding a JSON Web Token that is not marked as a placeholder."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _tokens(v, pointer + "/" + str(k).replace("~", "~0").replace("/", "~1"))
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
def secrets(package: Package) -> Iterator[Finding]:
    for key in ("definition", "properties", "settings"):
        for pointer in _tokens(package.data.get(key), ""):
            yield key, pointer, "this value looks like a real JSON Web Token"
    for key in ("script", "readme"):
        if any("placeholder" not in m.group(0).lower() for m in _JWT.finditer(package.texts.get(key, ""))):
            yield key, "", "the file contains what looks like a real JSON Web Token"
    props = package.properties or {}
    params = props.get("connectionParameters")
    for name, param in params.items() if isinstance(params, dict) else ():
        oauth = param.get("oAuthSettings") if isinstance(param, dict) else None
        if isinstance(oauth, dict) and oauth.get("clientSecret"):
            yield (
                P,
                f"/properties/connectionParameters/{name}/oAuthSettings/clientSecret",
                "oAuthSettings holds a client secret",
            )


# -- icon.png -----------------------------------------------------------------------------------------------
def _icon(package: Package) -> Any:
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
def icon_png(package: Package) -> Iterator[Finding]:
    if _icon(package) is False:
        yield "icon", "", "icon.png is not a readable PNG image"


@rule("IconSizeNotValid", Level.ERROR, f"icon.png is {ICON_SIZE[0]}x{ICON_SIZE[1]} pixels")
def icon_size(package: Package) -> Iterator[Finding]:
    image = _icon(package)
    if image and image.size != ICON_SIZE:
        yield (
            "icon",
            "",
            f"icon.png is {image.size[0]}x{image.size[1]}; {ICON_SIZE[0]}x{ICON_SIZE[1]} expected",
        )


@rule("IconHasTransparency", Level.ERROR, "icon.png is opaque")
def icon_opaque(package: Package) -> Iterator[Finding]:
    image = _icon(package)
    if image and (image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info):
        alpha = image.convert("RGBA").getchannel("A")
        if alpha.getextrema()[0] < 255:
            yield "icon", "", "icon.png has transparent pixels; use the brand colour as background"


@rule("IconBackgroundNotBrandColor", Level.WARNING, "icon.png's background is iconBrandColor")
def icon_background(package: Package) -> Iterator[Finding]:
    image = _icon(package)
    color = str((package.properties or {}).get("iconBrandColor") or "")
    if image and _HEX_COLOR.match(color):
        corner = image.convert("RGB").getpixel((0, 0))
        found = "#{:02x}{:02x}{:02x}".format(*corner)
        if found != color.lower():
            yield "icon", "", f"icon background {found} differs from iconBrandColor {color.lower()}"


# -- script.csx ---------------------------------------------------------------------------------------------
def _code(package: Package) -> str:
    """script.csx without comments and string contents (so braces and words in them do not count)."""
    text = package.texts.get("script", "")
    text = re.sub(r"//[^\n]*|/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r'@"(?:[^"]|"")*"|\$?"(?:\\.|[^"\\\n])*"', '""', text)


@rule("ScriptClassNotValid", Level.ERROR, "script.csx declares one class: `public class Script : ScriptBase`")
def script_class(package: Package) -> Iterator[Finding]:
    if "script" not in package.texts:
        return
    code = _code(package)
    classes = re.findall(r"\b(?:class|struct|record|interface|enum)\s+([A-Za-z_]\w*)", code)
    if not re.search(r"\bpublic\s+class\s+Script\s*:\s*ScriptBase\b", code):
        yield "script", "", "no `public class Script : ScriptBase`"
    if len(classes) != 1:
        yield (
            "script",
            "",
            f"{len(classes)} type declarations ({', '.join(classes) or 'none'}); exactly one class, Script, is allowed",
        )


@rule("ScriptExecuteAsyncMissing", Level.ERROR, "script.csx overrides ExecuteAsync()")
def script_execute(package: Package) -> Iterator[Finding]:
    if "script" in package.texts and not re.search(
        r"\bpublic\s+override\s+async\s+Task\s*<\s*HttpResponseMessage\s*>\s+ExecuteAsync\s*\(\s*\)",
        _code(package),
    ):
        yield "script", "", "no `public override async Task<HttpResponseMessage> ExecuteAsync()`"


@rule("ScriptNamespaceNotAllowed", Level.ERROR, "script.csx uses only the allowed namespaces")
def script_namespaces(package: Package) -> Iterator[Finding]:
    if "script" not in package.texts:
        return
    for match in re.finditer(
        r"^\s*using\s+(?:static\s+)?(?:\w+\s*=\s*)?([A-Za-z_][\w.]*)\s*;", _code(package), re.M
    ):
        namespace = match.group(1)
        if namespace not in ALLOWED_NAMESPACES and not namespace.startswith("System.Drawing"):
            yield "script", "", f"namespace {namespace} is not allowed in custom code"


# -- settings.json ------------------------------------------------------------------------------------------
@rule("SettingsSchemaInvalid", Level.ERROR, "settings.json matches Microsoft's schema (with `script`)")
def settings_schema(package: Package) -> Iterator[Finding]:
    if "settings" not in package.data:
        return
    from generator.lint.msschemas import validator

    for error in validator("settings").iter_errors(package.data["settings"]):
        pointer = "".join("/" + str(t) for t in error.absolute_path)
        yield "settings", pointer, error.message[:300]


@rule("SettingsFileNotFound", Level.ERROR, "files named in settings.json exist")
def settings_paths(package: Package) -> Iterator[Finding]:
    settings = package.data.get("settings")
    path = package.files.get("settings")
    if not isinstance(settings, dict) or path is None:
        return
    for key in ("apiDefinition", "apiProperties", "icon", "script"):
        value = settings.get(key)
        if isinstance(value, str) and value and not (path.parent / value).is_file():
            yield "settings", f"/{key}", f"{key} file {value!r} does not exist next to settings.json"


# -- readme.md ----------------------------------------------------------------------------------------------
@rule("ReadmeMissing", Level.ERROR, "a package folder has readme.md (certification)")
def readme_present(package: Package) -> Iterator[Finding]:
    if package.folder and "readme" not in package.files:
        yield "package", "", "readme.md is missing"


@rule("ReadmeSectionMissing", Level.ERROR, "readme.md has the certification sections")
def readme_sections(package: Package) -> Iterator[Finding]:
    text = package.texts.get("readme")
    if text is None:
        return
    # Microsoft's template writes some sections as "## Publisher: Contoso".
    headings = {
        h.split(":", 1)[0].strip().lower() for h in re.findall(r"^#{1,6}\s+(.+?)\s*#*\s*$", text, re.M)
    }
    for section in README_SECTIONS:
        if section.lower() not in headings:
            yield "readme", "", f"readme.md has no '{section}' section"
