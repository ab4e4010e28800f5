"""Rules on webhook triggers: the notification-URL property and x-ms-notification-content."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from generator.lint.package import LintPackage
from generator.lint.registry import rule
from generator.lint.rules_schemas import iter_schemas
from generator.problems import Finding, Level
from generator.util.pointer import escape_pointer

__all__: list[str] = []

D = "definition"


def _webhook_triggers(package: LintPackage) -> Iterator[tuple[dict[str, Any], dict[str, Any], str, str]]:
    """(operation, path item, pointer, method) of every webhook (not polling) trigger."""
    for _, method, op, item, pointer in package.operations():
        metadata = op.get("x-ms-trigger-metadata")
        polling = isinstance(metadata, dict) and metadata.get("mode") == "polling"
        if op.get("x-ms-trigger") and method != "get" and not polling:
            yield op, item, pointer, method


def _url_properties(
    package: LintPackage, schema: Any, pointer: str, required: bool, depth: int = 0
) -> Iterator[tuple[dict[str, Any], str, bool]]:
    """(property schema, pointer, required all the way down) of every x-ms-notification-url property."""
    schema = package.resolve(schema)
    if not isinstance(schema, dict) or depth > 16:
        return
    needed = set(schema.get("required") or []) if isinstance(schema.get("required"), list) else set()
    properties = schema.get("properties")
    for name, prop in properties.items() if isinstance(properties, dict) else ():
        prop_pointer = f"{pointer}/properties/" + escape_pointer(name)
        resolved = package.resolve(prop)
        if isinstance(resolved, dict) and resolved.get("x-ms-notification-url") is True:
            yield resolved, prop_pointer, required and name in needed
        else:
            yield from _url_properties(package, prop, prop_pointer, required and name in needed, depth + 1)


def _trigger_url_properties(
    package: LintPackage,
) -> Iterator[tuple[dict[str, Any], str, bool, dict[str, Any], str]]:
    for op, item, pointer, _ in _webhook_triggers(package):
        for param, where in package.parameters(op, item, pointer):
            if param.get("in") == "body":
                for prop, prop_pointer, required in _url_properties(
                    package, param.get("schema"), where + "/schema", param.get("required") is True
                ):
                    yield prop, prop_pointer, required, item, pointer


@rule(
    "WebhookOperationsMissingNotificationUrlProperty",
    Level.ERROR,
    "a webhook trigger's body has an x-ms-notification-url property",
    microsoft=True,
)
def url_property_present(package: LintPackage) -> Iterator[Finding]:
    """Validator rule WebhookOperationsMissingNotificationUrlProperty; no calibration connector breaks
    it."""
    for op, item, pointer, _ in _webhook_triggers(package):
        found = any(
            True
            for param, where in package.parameters(op, item, pointer)
            if param.get("in") == "body"
            for _ in _url_properties(package, param.get("schema"), where + "/schema", True)
        )
        if not found:
            yield Finding("webhook trigger has no body property with x-ms-notification-url: true", pointer, file=D)


@rule(
    "NotificationUrlNotInternal",
    Level.ERROR,
    "the notification URL property is x-ms-visibility internal",
    microsoft=True,
)
def url_internal(package: LintPackage) -> Iterator[Finding]:
    """Validator rule NotificationUrlNotInternal; no calibration connector breaks it."""
    for prop, pointer, _, _, _ in _trigger_url_properties(package):
        if prop.get("x-ms-visibility") != "internal":
            yield Finding("notification URL property must have x-ms-visibility: internal", pointer, file=D)


@rule(
    "NotificationUrlNotRequired",
    Level.WARNING,
    "the notification URL property is required all the way down",
    microsoft=True,
)
def url_required(package: LintPackage) -> Iterator[Finding]:
    """Validator rule NotificationUrlNotRequired, not enforced on upload: Calendly 2024-05, OK dokument
    2024-03 and Shopranos 2023-12 publish optional notification URL properties."""
    for _, pointer, required, _, _ in _trigger_url_properties(package):
        if not required:
            yield Finding(
                "notification URL property (and the body and objects holding it) must be required",
                pointer,
                file=D,
            )


@rule("NotificationUrlNotString", Level.ERROR, "the notification URL property is a string", microsoft=True)
def url_string(package: LintPackage) -> Iterator[Finding]:
    """Validator rule NotificationUrlNotString; no calibration connector breaks it."""
    for prop, pointer, _, _, _ in _trigger_url_properties(package):
        if prop.get("type") != "string":
            yield Finding(f"notification URL property has type {prop.get('type')!r}; it must be a string", pointer, file=D)


@rule(
    "OperationMustHaveNotificationContentExtension",
    Level.ERROR,
    "a webhook trigger's path item has x-ms-notification-content",
    microsoft=True,
)
def notification_content(package: LintPackage) -> Iterator[Finding]:
    """Validator rule OperationMustHaveNotificationContentExtension; no calibration connector breaks
    it."""
    reported: set[str] = set()
    for _, _, _, item, pointer in _trigger_url_properties(package):
        if "x-ms-notification-content" not in item and pointer not in reported:
            reported.add(pointer)
            yield Finding(
                "operation has an x-ms-notification-url property but its path item has no x-ms-notification-content",
                pointer,
                file=D,
            )


@rule(
    "NotificationUrlNotAllowedInThisPosition",
    Level.ERROR,
    "x-ms-notification-url only in a webhook trigger's request body",
    microsoft=True,
)
def url_position(package: LintPackage) -> Iterator[Finding]:
    """Validator rule NotificationUrlNotAllowedInThisPosition (only in a webhook trigger's request
    body, `$ref`-ed definitions and shared parameters included). Definitions no operation uses are
    not checked: Cognito Forms (2024-07) and Captisa Forms publish an unreferenced one."""
    # by identity: a property reached through a `$ref` (a definition, a shared parameter) is the
    # same object as the one the schema walk finds under /definitions or /parameters
    allowed = {id(prop) for prop, _, _, _, _ in _trigger_url_properties(package)}
    used = _referenced(package.definition)
    for schema, pointer in iter_schemas(package):
        top = "/".join(pointer.split("/")[:3])
        if top.startswith(("/definitions/", "/parameters/")) and "#" + top not in used:
            continue
        if schema.get("x-ms-notification-url") is True and id(schema) not in allowed:
            yield Finding(
                "x-ms-notification-url is only allowed on a property of a webhook trigger's request body",
                pointer,
                file=D,
            )


def _referenced(value: Any) -> set[str]:
    """Every `$ref` string in the document."""
    found: set[str] = set()
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                found.add(ref)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


@rule("TriggerSummaryNotValid", Level.WARNING, "trigger summaries start with 'When '")
def trigger_summary(package: LintPackage) -> Iterator[Finding]:
    """Certification guidance: trigger summaries read 'When ...'."""
    for _, _, op, _, pointer in package.operations():
        if op.get("x-ms-trigger") and not str(op.get("summary") or "").startswith("When "):
            yield Finding(f"trigger summary {op.get('summary')!r} should read 'When …'", pointer + "/summary", file=D)


@rule(
    "WebhookRegistrationResponseNotValid",
    Level.WARNING,
    "a webhook trigger answers 201 with a Location header",
)
def registration_response(package: LintPackage) -> Iterator[Finding]:
    """Learn 'Use a webhook as a trigger': registration answers 201 with Location (the platform DELETEs
    it); many published triggers answer 200."""
    for op, _, pointer, _ in _webhook_triggers(package):
        responses: dict[str, Any] = op["responses"] if isinstance(op.get("responses"), dict) else {}
        created = package.resolve(responses.get("201"))
        headers = created.get("headers") if isinstance(created, dict) else None
        if not isinstance(headers, dict) or not any(str(h).lower() == "location" for h in headers):
            yield Finding(
                "registration must answer 201 with a Location header (the platform DELETEs it when the flow is removed)",
                pointer + "/responses",
                file=D,
            )
