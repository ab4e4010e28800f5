"""Rules on the conventions of the best published connectors (issue 13, item 6): what our packages
follow so that it cannot regress. None is enforced by Microsoft's validator, so none is an error;
each docstring names its evidence. The generator side is `targets/powerplatform/conventions.py`.

Evidence counts are from the calibration sample (tests/data/calibration, 121 published connectors of
microsoft/PowerPlatformConnectors at commit 8bff86e).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from generator.lint.package import LintPackage
from generator.lint.registry import rule
from generator.problems import Finding, Level
from generator.targets.powerplatform.conventions import has_side_effects, referenced_definitions
from generator.util.pointer import escape_pointer

__all__: list[str] = []

D = "definition"
PROPS = "properties"
_P = "x-ms-apimTemplateParameter."
_PAGE_SIZE = re.compile(r"^(limit|page_?size|per_?page|top|take|max_?results|\$top)$", re.IGNORECASE)
# A label made mechanically from a code name: a split acronym ("Report I Ds"), a leading code
# abbreviation ("Loc Max Distance Meters") or a unit spelled as a trailing word instead of "(m)".
_SPLIT_ACRONYM = re.compile(r"\b[A-Z] [A-Z][a-z]?\b")
_CODE_PREFIX = re.compile(r"^(Loc|Num|Cnt|Qty|Msg|Cfg|Tmp|Amt|Nb|Str|Int|Bool|Dt|Ts) [A-Z]")
_UNIT_WORD = re.compile(r" (Meters|Metres|Seconds|Secs|Minutes|Mins|Hours|Millis|Milliseconds|Ms|Watts|Wh|Kwh|Percent)$")


def _triggers(package: LintPackage) -> Iterator[tuple[str, dict[str, Any], str, dict[str, Any]]]:
    for _, method, op, item, pointer in package.operations():
        if op.get("x-ms-trigger"):
            yield method, op, pointer, item


def _is_polling(method: str, op: dict[str, Any]) -> bool:
    metadata = op.get("x-ms-trigger-metadata")
    return method == "get" or (isinstance(metadata, dict) and metadata.get("mode") == "polling")


def _policies(package: LintPackage) -> Iterator[tuple[dict[str, Any], str]]:
    properties = package.properties
    policies = properties.get("policyTemplateInstances") if properties else None
    for i, policy in enumerate(policies if isinstance(policies, list) else []):
        if isinstance(policy, dict):
            yield policy, f"/properties/policyTemplateInstances/{i}"


def _polling_policies(package: LintPackage) -> Iterator[tuple[dict[str, Any], str]]:
    for policy, pointer in _policies(package):
        if policy.get("templateId") == "pollingtrigger":
            yield policy, pointer


def _parameters_of(policy: dict[str, Any]) -> dict[str, Any]:
    parameters = policy.get("parameters")
    return parameters if isinstance(parameters, dict) else {}


def _names(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else [str(value)] if isinstance(value, str) else []


@rule("TriggerHintMissing", Level.WARNING, "every trigger has an x-ms-trigger-hint")
def trigger_hint(package: LintPackage) -> Iterator[Finding]:
    """Evidence: Learn, "Extend an OpenAPI definition for a custom connector" documents
    `x-ms-trigger-hint` as the designer's hint on how to fire the trigger; the triggers of recently
    certified connectors carry one (Gravity Forms Professional, 2024). 29 of the 121 connectors of the
    sample have a trigger without one, so a warning (a convention), not an error."""
    for _, op, pointer, _ in _triggers(package):
        hint = op.get("x-ms-trigger-hint")
        if not (isinstance(hint, str) and hint.strip()):
            yield Finding(f"trigger {op.get('operationId')!r} has no x-ms-trigger-hint (how to see it fire)", pointer, file=D)


@rule("ImportantOperationMissing", Level.WARNING, "a connector marks its primary operations x-ms-visibility important")
def important_operation(package: LintPackage) -> Iterator[Finding]:
    """Evidence: Learn, "Extend an OpenAPI definition" (`x-ms-visibility`): `important` operations are
    shown first in the designer. Checked for connectors with at least five visible actions (a small
    connector shows everything anyway); 49 of the 121 of the sample mark none, so a warning."""
    actions = [(op, pointer) for _, _, op, _, pointer in package.operations() if not op.get("x-ms-trigger")]
    visible = [op for op, _ in actions if op.get("x-ms-visibility") != "internal"]
    if len(visible) >= 5 and not any(op.get("x-ms-visibility") == "important" for op in visible):
        yield Finding(f"none of the {len(visible)} visible actions is x-ms-visibility important", "/paths", file=D)


@rule("PollingTriggerPolicyNotValid", Level.WARNING, "a polling trigger's pollingtrigger policy has the published shape")
def polling_policy_shape(package: LintPackage) -> Iterator[Finding]:
    """Evidence: every pollingtrigger policy in the published connectors that use one (The Events
    Calendar, Zvanu parvaldnieks: 0 findings) has `type: PollingTrigger`, an object `triggerConfig`, a
    `triggerDataPath` expression and `x-ms-apimTemplate-operationName` naming a polling trigger. (Polling
    triggers without the policy, answering 202 with Location and Retry-After, are fine: DocuSign.)"""
    if package.properties is None:
        return
    triggers = {str(op.get("operationId")) for method, op, _, _ in _triggers(package) if _is_polling(method, op)}
    for policy, pointer in _polling_policies(package):
        parameters = _parameters_of(policy)
        if policy.get("type") != "PollingTrigger":
            yield Finding("a pollingtrigger policy has `type: PollingTrigger`", pointer, file=PROPS)
        if not isinstance(parameters.get(_P + "triggerConfig"), dict):
            yield Finding(f"{_P}triggerConfig must be an object (the next poll's query)", pointer + "/parameters", file=PROPS)
        path = parameters.get(_P + "triggerDataPath")
        if not (isinstance(path, str) and path.startswith("@")):
            yield Finding(f"{_P}triggerDataPath must be an expression (@triggerBody()…)", pointer + "/parameters", file=PROPS)
        names = _names(parameters.get("x-ms-apimTemplate-operationName"))
        if not names:
            yield Finding("x-ms-apimTemplate-operationName must name the polling trigger", pointer + "/parameters", file=PROPS)
        for name in names:
            if name not in triggers:
                yield Finding(f"operation {name!r} is not a polling trigger of the definition", pointer + "/parameters", file=PROPS)


@rule("PollingTriggerCursorVisible", Level.WARNING, "a polling trigger's state parameters are internal")
def polling_cursor(package: LintPackage) -> Iterator[Finding]:
    """Evidence: the query parameters a pollingtrigger policy sets (`triggerConfig`) are carried from
    poll to poll by the platform, so a value the user types is overwritten after the first poll; no
    connector of the sample shows one (0 findings)."""
    state: dict[str, set[str]] = {}
    for policy, _ in _polling_policies(package):
        parameters = _parameters_of(policy)
        config = parameters.get(_P + "triggerConfig")
        for name in _names(parameters.get("x-ms-apimTemplate-operationName")):
            state.setdefault(name, set()).update(config if isinstance(config, dict) else ())
    for _, op, pointer, item in _triggers(package):
        names = state.get(str(op.get("operationId")), set())
        for param, where in package.parameters(op, item, pointer):
            if param.get("name") in names and param.get("x-ms-visibility") != "internal":
                yield Finding(f"{param.get('name')!r} is carried by the trigger state; make it internal (with a default)", where, file=D)


@rule("ParameterExampleNotTestValue", Level.WARNING, "parameters give their sample as x-ms-test-value, not x-example")
def test_value(package: LintPackage) -> Iterator[Finding]:
    """Evidence: Microsoft's apiDefinition schema (generator/data/schemas) defines `x-ms-test-value`,
    "a sample value to use when running a test", on parameters (DocuSign, 2024, uses it); `x-example`
    is not a Power Platform extension and no connector of the sample uses it (0 findings)."""
    for _, _, op, item, pointer in package.operations():
        for param, where in package.parameters(op, item, pointer):
            if "x-example" in param:
                yield Finding(f"parameter {param.get('name')!r}: write its sample as x-ms-test-value", where + "/x-example", file=D)


@rule("SideEffectWithoutNoGenericTest", Level.INFO, "operations with side effects carry x-ms-no-generic-test")
def no_generic_test(package: LintPackage) -> Iterator[Finding]:
    """Evidence: Microsoft's apiDefinition schema defines `x-ms-no-generic-test` on operations: it
    keeps the platform's generic connector test from calling them. 91 of the 121 connectors of the
    sample have an unmarked operation with side effects (2 use the extension), so information. Side
    effects: DELETE, PUT, PATCH, and a POST whose operationId does not start with List/Get/Search/Query…"""
    for _, method, op, _, pointer in package.operations():
        if has_side_effects(method, str(op.get("operationId", ""))) and op.get("x-ms-no-generic-test") is not True:
            yield Finding(f"{method.upper()} {op.get('operationId')!r} changes something; mark it x-ms-no-generic-test", pointer, file=D)


@rule("PageSizeWithoutDefault", Level.WARNING, "a required page-size parameter has a default")
def page_size_default(package: LintPackage) -> Iterator[Finding]:
    """Evidence: a required page size without a default makes every user type one although the vendor
    documents a usual value (issue 13: VEV-IQ `Limit` = 100); no connector of the sample has one
    (0 findings), so the convention is general."""
    for _, _, op, item, pointer in package.operations():
        for param, where in package.parameters(op, item, pointer):
            name = str(param.get("name", ""))
            if param.get("in") == "query" and param.get("required") and _PAGE_SIZE.match(name) and "default" not in param:
                yield Finding(f"required page size {name!r} has no default", where, file=D)


@rule("KeywordsMissing", Level.INFO, "info.x-ms-keywords lists the words people search the connector by")
def keywords(package: LintPackage) -> Iterator[Finding]:
    """Evidence: published connectors list search words in `info.x-ms-keywords` (DocuSign 2024,
    Data8 2024, ServiceDeskPlus Cloud, Zoho Mail); 8 of the 121 of the sample do, so information."""
    info = package.definition.get("info")
    words = info.get("x-ms-keywords") if isinstance(info, dict) else None
    if not (isinstance(words, list) and words and all(isinstance(w, str) and w.strip() for w in words)):
        yield Finding("info has no x-ms-keywords (words people search the connector by)", "/info", file=D)


@rule("DefinitionNotReferenced", Level.WARNING, "every definition is referenced")
def unreferenced_definitions(package: LintPackage) -> Iterator[Finding]:
    """Evidence: no Microsoft rule; a definition nothing references is never shown by the platform and
    only makes the file longer. 15 of the 121 connectors of the sample have one, so a warning."""
    definitions = package.definition.get("definitions")
    if not isinstance(definitions, dict):
        return
    used = referenced_definitions(package.definition)
    for name in definitions:
        if name not in used:
            yield Finding(f"definition {name!r} is not referenced", "/definitions/" + escape_pointer(name), file=D)


@rule("TagNotUsed", Level.WARNING, "every declared tag is used by an operation")
def unused_tags(package: LintPackage) -> Iterator[Finding]:
    """Evidence: no Microsoft rule; a declared tag no operation uses is an empty group in tools that
    read tags. 2 of the 121 connectors of the sample declare one, so a warning."""
    tags = package.definition.get("tags")
    used = {t for _, _, op, _, _ in package.operations() for t in (op.get("tags") or ()) if isinstance(t, str)}
    for i, tag in enumerate(tags if isinstance(tags, list) else []):
        name = tag.get("name") if isinstance(tag, dict) else None
        if isinstance(name, str) and name not in used:
            yield Finding(f"tag {name!r} is used by no operation", f"/tags/{i}", file=D)


@rule("ParameterSummaryNotReadable", Level.WARNING, "x-ms-summary labels read as words, not as code names")
def readable_summary(package: LintPackage) -> Iterator[Finding]:
    """Evidence: `x-ms-summary` is the label users read in the designer (Learn, "Extend an OpenAPI
    definition"); issue 13 asks for readable labels ("Max distance (m)", not "Loc Max Distance Meters").
    Flags a split acronym ("Report I Ds"), a leading code abbreviation ("Loc …") or a unit as a trailing
    word; no connector of the sample has one (0 findings)."""
    for _, _, op, item, pointer in package.operations():
        for param, where in package.parameters(op, item, pointer):
            label = param.get("x-ms-summary")
            if not isinstance(label, str) or param.get("x-ms-visibility") == "internal":
                continue
            if _SPLIT_ACRONYM.search(label) or _CODE_PREFIX.search(label) or _UNIT_WORD.search(label):
                yield Finding(f"x-ms-summary {label!r} reads like a code name; write a label", where + "/x-ms-summary", file=D)


def _connection_parameters(package: LintPackage) -> set[str] | None:
    properties = package.properties
    if properties is None:
        return None
    names: set[str] = set()
    single = properties.get("connectionParameters")
    names.update(single if isinstance(single, dict) else ())
    sets = properties.get("connectionParameterSets")
    values = sets.get("values") if isinstance(sets, dict) else None
    for value in values if isinstance(values, list) else ():
        parameters = value.get("parameters") if isinstance(value, dict) else None
        names.update(parameters if isinstance(parameters, dict) else ())
    return names


@rule("SecurityDefinitionMismatch", Level.WARNING, "securityDefinitions match the connection parameters")
def security_matches_connection(package: LintPackage) -> Iterator[Finding]:
    """Evidence: Power Platform pairs connection parameters with security definitions by name:
    `api_key` with apiKey (55 of the 121 connectors of the sample), `username`/`password` with basic
    (9), `token` with oauth2 (24). 5 connectors of the sample break the pairing (e.g. `api_key` with
    `securityDefinitions: {}`), so a warning."""
    names = _connection_parameters(package)
    if names is None:
        return
    raw = package.definition.get("securityDefinitions")
    kinds = {str(v.get("type")) for v in raw.values() if isinstance(v, dict)} if isinstance(raw, dict) else set()
    pairs = (("apiKey", {"api_key"}), ("basic", {"username", "password"}))
    for kind, wanted in pairs:
        if wanted <= names and kind not in kinds:
            yield Finding(f"connection parameters {', '.join(sorted(wanted))} but no {kind} security definition", "/securityDefinitions", file=D)
        if kind in kinds and not wanted <= names:
            yield Finding(f"a {kind} security definition but no connection parameter(s) {', '.join(sorted(wanted))}", "/securityDefinitions", file=D)
