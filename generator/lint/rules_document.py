"""Rules on the API definition as a whole: version, structure, info, host, metadata, security, size."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from generator.lint.package import LintPackage
from generator.lint.registry import rule
from generator.problems import Finding, Level
from generator.targets.powerplatform.profile import CATEGORIES
from generator.util.pointer import escape_pointer

__all__ = ["CATEGORIES", "GENERIC_TITLE_WORDS", "RESTRICTED_TITLE_WORDS"]

D = "definition"
MAX_FILE_BYTES = 1024 * 1024
TITLE_MAX = 30
RESTRICTED_TITLE_WORDS = (
    "API", "APIs", "Connector", "Copilot Studio", "Power Apps", "PowerApps", "Power Automate", "Power BI",
    "Power Pages", "Power Platform", "Power Virtual Agents", "Logic Apps",
)  # fmt: skip
GENERIC_TITLE_WORDS = ("API", "APIs", "Connector")
_NON_PRODUCTION = re.compile(r"^(?:staging|stage|stg|test|testing|qa|uat|sandbox|preprod|localhost)$", re.I)
_DEVELOPMENT = re.compile(r"^(?:dev|develop|development)$", re.I)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _info(package: LintPackage) -> dict[str, Any]:
    info = package.definition.get("info")
    return info if isinstance(info, dict) else {}


@rule(
    "SpecificationVersionIncorrect",
    Level.ERROR,
    'the definition must be Swagger 2.0 (`swagger: "2.0"`)',
    microsoft=True,
)
def version(package: LintPackage) -> Iterator[Finding]:
    """Validator rule SpecificationVersionIncorrect (Learn, 'Fix Swagger Validator errors'); every
    published connector is Swagger 2.0."""
    if package.definition.get("swagger") != "2.0":
        yield Finding(f'swagger must be "2.0", not {package.definition.get("swagger")!r}', "/swagger", file=D)


@rule(
    "SwaggerSchemaInvalid", Level.WARNING, "the definition must be valid Swagger 2.0 (openapi-spec-validator)"
)
def swagger_valid(package: LintPackage) -> Iterator[Finding]:
    """openapi-spec-validator's Swagger 2.0 schema. Warning: published connectors pass Microsoft's
    validator with what it rejects (PDF4me 2024-09 `responses: {}`, HiveCPQ 2024-05 `type: file`
    outside formData, DocuSign 2024-09 non-RFC date-time examples)."""
    if package.definition.get("swagger") != "2.0":
        return
    from openapi_spec_validator import OpenAPIV2SpecValidator

    from generator.lint.msschemas import schema_findings

    try:
        errors = list(OpenAPIV2SpecValidator(package.definition).iter_errors())
    except Exception as exc:  # the validator can trip over very broken input
        yield Finding(f"openapi-spec-validator failed: {exc}", "/swagger", file=D)
        return
    for pointer, message in schema_findings(errors, package.definition):
        yield Finding(message.split("\n\n")[0], pointer, file=D)


@rule(
    "ApiDefinitionSchemaInvalid",
    Level.WARNING,
    "the definition must match Microsoft's apiDefinition schema (known gaps relaxed)",
)
def ms_schema(package: LintPackage) -> Iterator[Finding]:
    """Microsoft's 2020 apiDefinition schema (vendored, extended with the x-ms-* keys published
    connectors use: generator/data/schemas/SOURCE.md). Warning: it is a structure check, not the
    service's validator, and recent connectors fail it where the service accepts them (Clockify 2024-10
    revision 0, Brave Search 2024-08 enum lists, Oneflow 2024-03 numeric x-ms-summary)."""
    from generator.lint.msschemas import schema_findings, validator

    errors = validator("apiDefinition").iter_errors(package.definition)
    for pointer, message in schema_findings(errors, package.definition):
        yield Finding(message, pointer, file=D)


@rule(
    "FieldLengthExceeded", Level.ERROR, f"info.title must be at most {TITLE_MAX} characters", microsoft=True
)
def title_length(package: LintPackage) -> Iterator[Finding]:
    """Validator rule FieldLengthExceeded on info.title (Learn 'Fix Swagger Validator errors';
    certification: title at most 30 characters). No calibration connector breaks it."""
    title = str(_info(package).get("title") or "")
    if len(title) > TITLE_MAX:
        yield Finding(f"title has {len(title)} characters; at most {TITLE_MAX} allowed", "/info/title", file=D)


def _has_word(text: str, word: str) -> bool:
    return re.search(r"(?<![A-Za-z0-9])" + re.escape(word) + r"(?![A-Za-z0-9])", text, re.I) is not None


@rule(
    "ValueContainsRestrictedWords",
    Level.ERROR,
    "no 'API', 'Connector' or Power Platform product names in the title",
    microsoft=True,
)
def restricted_words(package: LintPackage) -> Iterator[Finding]:
    """Validator rule ValueContainsRestrictedWords on info.title (Learn 'Fix Swagger Validator errors';
    certification: no 'API', 'Connector' or Power Platform product names in the title). Microsoft's own
    connectors may name its products (CardsForPowerApps, publisher Microsoft). The one connector of the
    sample that breaks it, Hashtag API (2023-06), predates the 12-month window."""
    title = str(_info(package).get("title") or "")
    microsoft = str((package.properties or {}).get("publisher") or "").strip().lower() == "microsoft"
    for word in RESTRICTED_TITLE_WORDS:
        if microsoft and word not in GENERIC_TITLE_WORDS:
            continue
        if _has_word(title, word):
            yield Finding(f"title contains the restricted word {word!r}", "/info/title", file=D)


@rule(
    "DescriptionContainsRestrictedWords",
    Level.WARNING,
    "no 'API' in info.description (certification guidance)",
)
def restricted_description(package: LintPackage) -> Iterator[Finding]:
    """Certification guidance asks for no 'API' in info.description; a reviewers' request, not the
    validator's: HrFlow 2024-09, Fitbit 2024-07, Telegram Bot 2024-05 and Open Brewery DB 2023-12
    were published with it."""
    if re.search(r"(?<![A-Za-z0-9])APIs?(?![A-Za-z0-9])", str(_info(package).get("description") or "")):
        yield Finding("description contains the restricted word 'API'", "/info/description", file=D)


@rule(
    "ValueMustEndWithAlphanumeric",
    Level.ERROR,
    "title and operation summaries end with a letter or digit (a summary may end with ')')",
    microsoft=True,
)
def ends_alphanumeric(package: LintPackage) -> Iterator[Finding]:
    """Validator rule ValueMustEndWithAlphanumeric (Learn 'Fix Swagger Validator errors'); no
    calibration connector's title or summary breaks it."""
    title = str(_info(package).get("title") or "")
    if title and not title[-1].isalnum():
        yield Finding(f"title {title!r} does not end with a letter or digit", "/info/title", file=D)
    for _, _, op, _, pointer in package.operations():
        summary = str(op.get("summary") or "")
        if summary and not (summary[-1].isalnum() or summary[-1] == ")"):
            yield Finding(f"summary {summary!r} ends with {summary[-1]!r}", pointer + "/summary", file=D)


@rule("ValueMustBeInEnglish", Level.WARNING, "texts are in English (no non-ASCII letters)", microsoft=True)
def english(package: LintPackage) -> Iterator[Finding]:
    """Validator rule ValueMustBeInEnglish; reported as a warning because non-ASCII letters are not
    proof of another language."""
    info = _info(package)
    texts = [("/info/title", info.get("title")), ("/info/description", info.get("description"))]
    for _, _, op, _, pointer in package.operations():
        texts += [
            (pointer + "/summary", op.get("summary")),
            (pointer + "/description", op.get("description")),
        ]
    for pointer, text in texts:
        letters = sorted({c for c in str(text or "") if ord(c) > 127 and c.isalpha()})
        if letters:
            yield Finding(f"non-English letters {''.join(letters)!r}", pointer, file=D)


@rule("FieldLengthNotInRange", Level.ERROR, "info.description is 30 to 500 characters", microsoft=True)
def description_length(package: LintPackage) -> Iterator[Finding]:
    """Validator rule FieldLengthNotInRange on info.description (certification: 30 to 500 characters);
    no calibration connector breaks it."""
    description = str(_info(package).get("description") or "")
    if not 30 <= len(description) <= 500:
        yield Finding(f"description has {len(description)} characters; 30 to 500 required", "/info/description", file=D)


@rule("ContactMissing", Level.WARNING, "info.contact has name, url and email")
def contact(package: LintPackage) -> Iterator[Finding]:
    """Certification asks for info.contact {name, url, email}; not the validator: DocuSign 2024-09,
    D7SMS 2024-06, Abstract IP Geolocation 2024-06 and Open Brewery DB 2023-12 were published without
    some of them."""
    raw = _info(package).get("contact")
    contact = raw if isinstance(raw, dict) else {}
    missing = [k for k in ("name", "url", "email") if not contact.get(k)]
    if missing:
        yield Finding(f"info.contact lacks {', '.join(missing)}", "/info/contact" if raw else "/info", file=D)


@rule("ContactEmailNotValid", Level.ERROR, "info.contact.email is an email address", microsoft=True)
def contact_email(package: LintPackage) -> Iterator[Finding]:
    """Validator rule ContactEmailNotValid (Learn 'Fix Swagger Validator errors'); no calibration
    connector breaks it."""
    raw = _info(package).get("contact")
    email = raw.get("email") if isinstance(raw, dict) else None
    if email and not _EMAIL.match(str(email)):
        yield Finding(f"{email!r} is not an email address", "/info/contact/email", file=D)


@rule("HostNameNotValid", Level.ERROR, "host is present and has no scheme or path", microsoft=True)
def host_valid(package: LintPackage) -> Iterator[Finding]:
    """Validator rule HostNameNotValid (host without scheme or path); no calibration connector breaks
    it."""
    host = package.definition.get("host")
    if not host:
        yield Finding("host is missing", "/host", file=D)
    elif not re.match(r"^[A-Za-z0-9.-]+(?::\d+)?$", str(host)):
        yield Finding(f"host {host!r} must be a host name without scheme, path or spaces", "/host", file=D)


@rule("HostNotProduction", Level.ERROR, "host is not a staging, test or sandbox host")
def host_production(package: LintPackage) -> Iterator[Finding]:
    """Certification: the host must be the production service (Learn 'Get your connector certified';
    the PR checklist of microsoft/PowerPlatformConnectors). Error because a package pointing at staging
    or test is rejected at review; the top-level domain is not a label (api.mockster.dev, Mockster
    2024-03, is production) and 'dev' is HostMayBeDevelopment. No calibration connector breaks it."""
    host = str(package.definition.get("host") or "")
    found = next((label for label in _host_labels(host) if _NON_PRODUCTION.match(label)), None)
    if found:
        yield Finding(
            f"host {host!r} looks like a {found.lower()} host; certified connectors use production",
            "/host",
            file=D,
        )


@rule("HostMayBeDevelopment", Level.WARNING, "host has no 'dev' label (a development host?)")
def host_development(package: LintPackage) -> Iterator[Finding]:
    """Certification asks for the production host, but 'dev' is also part of production host names
    (dev.azure.com is Azure DevOps' production host), so a 'dev' label is only a warning; Public360
    (2021-03) publishes *.dev.360online.com."""
    host = str(package.definition.get("host") or "")
    found = next((label for label in _host_labels(host) if _DEVELOPMENT.match(label)), None)
    if found:
        yield Finding(f"host {host!r} has a {found!r} label; is it the production host?", "/host", file=D)


def _host_labels(host: str) -> list[str]:
    """The labels of a host name, split at '.' and '-', without the top-level domain (.dev, .test
    are domains: api.mockster.dev is Mockster's production host)."""
    name = host.split(":")[0]
    return [part for label in name.split(".")[:-1] or [name] for part in label.split("-")]


@rule("BasePathNotValid", Level.ERROR, "basePath starts with '/'", microsoft=True)
def base_path(package: LintPackage) -> Iterator[Finding]:
    """Validator rule BasePathNotValid (must start with '/'); no calibration connector breaks it."""
    base = package.definition.get("basePath")
    if base is not None and not str(base).startswith("/"):
        yield Finding(f"basePath {base!r} must start with '/'", "/basePath", file=D)


@rule("SchemesArrayEmpty", Level.ERROR, "schemes lists at least one scheme", microsoft=True)
def schemes_present(package: LintPackage) -> Iterator[Finding]:
    """Validator rule SchemesArrayEmpty; no calibration connector breaks it."""
    schemes = package.definition.get("schemes")
    if not isinstance(schemes, list) or not schemes:
        yield Finding('schemes is missing or empty (use ["https"])', "/schemes", file=D)


@rule("SchemeNotValid", Level.ERROR, "schemes are http or https", microsoft=True)
def schemes_valid(package: LintPackage) -> Iterator[Finding]:
    """Validator rule SchemeNotValid (http or https); no calibration connector breaks it."""
    schemes = package.definition.get("schemes")
    for i, scheme in enumerate(schemes if isinstance(schemes, list) else []):
        if scheme not in ("http", "https"):
            yield Finding(f"scheme {scheme!r} is not supported (http or https)", f"/schemes/{i}", file=D)


@rule(
    "ConnectorMetadataPropertiesMissing",
    Level.WARNING,
    "x-ms-connector-metadata has Website, Privacy policy and Categories",
    microsoft=True,
)
def metadata_present(package: LintPackage) -> Iterator[Finding]:
    """Validator rule ConnectorMetadataPropertiesMissing, but published connectors lack entries:
    Cognito Forms 2024-07, Data8 2024-05 and Cradl AI 2024-02 have no 'Privacy policy', D7SMS 2024-06
    no x-ms-connector-metadata at all. A reviewers' request, hence a warning."""
    metadata = package.definition.get("x-ms-connector-metadata")
    names = (
        {m.get("propertyName") for m in metadata if isinstance(m, dict)}
        if isinstance(metadata, list)
        else set()
    )
    missing = [n for n in ("Website", "Privacy policy", "Categories") if n not in names]
    if missing:
        yield Finding(
            f"x-ms-connector-metadata lacks {', '.join(missing)}",
            "/x-ms-connector-metadata",
            file=D,
        )


def _categories(package: LintPackage) -> Iterator[tuple[str, list[str]]]:
    metadata = package.definition.get("x-ms-connector-metadata")
    for i, entry in enumerate(metadata if isinstance(metadata, list) else []):
        if isinstance(entry, dict) and entry.get("propertyName") == "Categories":
            yield (
                f"/x-ms-connector-metadata/{i}/propertyValue",
                [c.strip() for c in str(entry.get("propertyValue") or "").split(";") if c.strip()],
            )


@rule(
    "InvalidConnectorCategory",
    Level.ERROR,
    "every category is one of Microsoft's connector categories",
    microsoft=True,
)
def category_valid(package: LintPackage) -> Iterator[Finding]:
    """Validator rule InvalidConnectorCategory (Microsoft's category list); no calibration connector
    breaks it."""
    for pointer, categories in _categories(package):
        for category in categories:
            if category not in CATEGORIES:
                yield Finding(f"{category!r} is not a connector category", pointer, file=D)


@rule("TooManyConnectorCategories", Level.ERROR, "at most 2 connector categories", microsoft=True)
def category_count(package: LintPackage) -> Iterator[Finding]:
    """Validator rule TooManyConnectorCategories (at most 2); no calibration connector breaks it."""
    for pointer, categories in _categories(package):
        if len(categories) > 2:
            yield Finding(f"{len(categories)} categories; at most 2 allowed", pointer, file=D)


@rule(
    "SecurityDefinitionsTooMany",
    Level.WARNING,
    "one security definition (Power Platform uses only the first)",
)
def one_security_definition(package: LintPackage) -> Iterator[Finding]:
    """Learn 'Create a custom connector from an OpenAPI definition': only the first security definition
    is used. Published connectors have two (Open Data Network 2024-10, Ephesoft 2021), so not an error."""
    definitions = package.definition.get("securityDefinitions")
    # Several ways to connect (connectionParameterSets) have one definition each, named after the set
    # (published: Open Data Network).
    sets = (package.properties or {}).get("connectionParameterSets")
    values = sets.get("values") if isinstance(sets, dict) else None
    set_names = {v.get("name") for v in values if isinstance(v, dict)} if isinstance(values, list) else set()
    if isinstance(definitions, dict) and len(definitions) > 1 and not set(definitions) <= set_names:
        yield Finding(
            f"{len(definitions)} security definitions; Power Platform uses only the first",
            "/securityDefinitions",
            file=D,
        )


@rule("OAuth2ClientCredentialsNotSupported", Level.ERROR, "no OAuth2 client credentials (application) flow")
def no_client_credentials(package: LintPackage) -> Iterator[Finding]:
    """Learn: 'custom connector creation doesn't support client credentials' (OAuth2 application flow);
    no calibration connector uses it."""
    definitions = package.definition.get("securityDefinitions")
    for name, scheme in definitions.items() if isinstance(definitions, dict) else ():
        if (
            isinstance(scheme, dict)
            and scheme.get("type") == "oauth2"
            and scheme.get("flow") == "application"
        ):
            yield Finding(
                "custom connectors do not support the OAuth2 client credentials flow",
                f"/securityDefinitions/{name}",
                file=D,
            )


@rule("PathRedefined", Level.ERROR, "paths are unique ignoring case", microsoft=True)
def paths_case(package: LintPackage) -> Iterator[Finding]:
    """Validator rule PathRedefined (paths unique ignoring case); no calibration connector breaks it."""
    seen: dict[str, str] = {}
    paths = package.definition.get("paths")
    for path in paths if isinstance(paths, dict) else ():
        key = str(path).lower()
        if key in seen and seen[key] != path:
            yield Finding(
                f"{path} differs from {seen[key]} only by case",
                "/paths/" + escape_pointer(path),
                file=D,
            )
        seen.setdefault(key, str(path))


@rule("DuplicateOperationPath", Level.ERROR, "path templates are distinguishable", microsoft=True)
def paths_templates(package: LintPackage) -> Iterator[Finding]:
    """Validator rule DuplicateOperationPath; no calibration connector breaks it."""
    seen: dict[str, str] = {}
    paths = package.definition.get("paths")
    for path in paths if isinstance(paths, dict) else ():
        key = re.sub(r"{[^}]*}", "{}", str(path)).lower()
        if key in seen and seen[key].lower() != str(path).lower():
            yield Finding(
                f"{path} cannot be told apart from {seen[key]}",
                "/paths/" + escape_pointer(path),
                file=D,
            )
        seen.setdefault(key, str(path))


@rule("PathItemRefNotSuppored", Level.ERROR, "no $ref on path items", microsoft=True)
def path_item_ref(package: LintPackage) -> Iterator[Finding]:
    """Validator rule PathItemRefNotSuppored (sic, Microsoft's spelling); no calibration connector
    breaks it."""
    paths = package.definition.get("paths")
    for path, item in paths.items() if isinstance(paths, dict) else ():
        if isinstance(item, dict) and "$ref" in item:
            yield Finding("path items may not be $refs", "/paths/" + escape_pointer(path) + "/$ref", file=D)


@rule("FileTooLarge", Level.ERROR, "apiDefinition.swagger.json is under 1 MB")
def file_size(package: LintPackage) -> Iterator[Finding]:
    """Learn 'Create a custom connector from an OpenAPI definition': the definition must be under 1 MB;
    no calibration connector breaks it."""
    for key in ("definition",):
        path = package.files.get(key)
        if path is not None and path.stat().st_size >= MAX_FILE_BYTES:
            yield Finding(f"{path.name} is {path.stat().st_size} bytes; it must be under 1 MB", file=key)
