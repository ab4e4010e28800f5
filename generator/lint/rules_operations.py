"""Rules on operations: ids, summaries, descriptions, parameters, request bodies and responses."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from generator.lint.package import LintPackage
from generator.lint.registry import rule
from generator.problems import Finding, Level
from generator.targets.powerplatform.profile import MIME_TYPES as PP_MIME_TYPES
from generator.util.media import media_base

__all__ = ["OPERATION_ID_MAX", "SUMMARY_MAX"]

D = "definition"
SUMMARY_MAX = 80  # certification; Microsoft's validator allows 120
PARAMETER_SUMMARY_MAX = 80
OPERATION_ID_MAX = 80  # the validator's limit is not documented
_SMALL_WORDS = {
    "a",
    "an",
    "and",
    "as",
    "at",
    "by",
    "for",
    "from",
    "in",
    "of",
    "on",
    "or",
    "the",
    "to",
    "with",
    "per",
    "via",
}


def _is_internal(value: dict[str, Any]) -> bool:
    return value.get("x-ms-visibility") == "internal"


@rule("OperationIdRequired", Level.ERROR, "every operation has an operationId", microsoft=True)
def operation_id_required(package: LintPackage) -> Iterator[Finding]:
    """Validator rule OperationIdRequired, an error of the validator: "##[error]The 'operationId' could
    not be found in this swagger document" (PowerPlatformConnectors PR #1595); no calibration
    connector breaks it."""
    for _, _, op, _, pointer in package.operations():
        if not op.get("operationId"):
            yield Finding("operation has no operationId", pointer, file=D)


@rule("OperationIdNotUnique", Level.ERROR, "operationIds are unique (ignoring case)", microsoft=True)
def operation_id_unique(package: LintPackage) -> Iterator[Finding]:
    """Validator rule OperationIdNotUnique; no calibration connector breaks it."""
    seen: dict[str, str] = {}
    for _, _, op, _, pointer in package.operations():
        op_id = str(op.get("operationId") or "")
        if not op_id:
            continue
        if op_id.lower() in seen:
            yield Finding(f"operationId {op_id!r} is also used by {seen[op_id.lower()]}", pointer + "/operationId", file=D)
        else:
            seen[op_id.lower()] = pointer


@rule("OperationIdSanitized", Level.WARNING, "operationIds have letters and digits only", microsoft=True)
def operation_id_characters(package: LintPackage) -> Iterator[Finding]:
    """Validator rule OperationIdSanitized ('avoid non-alphanumeric characters'), a warning of the
    validator: Clockify 2024-10, DocuSign 2024-09, Bloomflow 2024-01 and others were published with '_'
    or '-' in operationIds."""
    for _, _, op, _, pointer in package.operations():
        op_id = str(op.get("operationId") or "")
        if op_id and not (op_id.isascii() and op_id.isalnum()):
            yield Finding(
                f"operationId {op_id!r} has characters other than letters and digits",
                pointer + "/operationId",
                file=D,
            )


@rule("OperationIdNotPascalCase", Level.WARNING, "operationIds are PascalCase")
def operation_id_case(package: LintPackage) -> Iterator[Finding]:
    """Convention of the certified connectors (certification guidance: PascalCase operationIds);
    camelCase ones are published (e.g. SoloSign 2023-11)."""
    for _, _, op, _, pointer in package.operations():
        op_id = str(op.get("operationId") or "")
        if op_id and not op_id[0].isupper():
            yield Finding(f"operationId {op_id!r} does not start with a capital letter", pointer + "/operationId", file=D)


@rule(
    "OperationIdTooLong",
    Level.ERROR,
    f"operationIds are at most {OPERATION_ID_MAX} characters",
    microsoft=True,
)
def operation_id_length(package: LintPackage) -> Iterator[Finding]:
    """Validator rule OperationIdTooLong; no calibration connector breaks it."""
    for _, _, op, _, pointer in package.operations():
        op_id = str(op.get("operationId") or "")
        if len(op_id) > OPERATION_ID_MAX:
            yield Finding(
                f"operationId has {len(op_id)} characters; at most {OPERATION_ID_MAX}",
                pointer + "/operationId",
                file=D,
            )


@rule("OperationSummaryRequired", Level.WARNING, "every operation has a summary")
def summary_required(package: LintPackage) -> Iterator[Finding]:
    """Certification asks for a summary on every visible operation; internal operations are exempt (not
    shown). DocuSign 2024-09 publishes visible helper operations without one, so a warning."""
    for _, _, op, _, pointer in package.operations():
        if not _is_internal(op) and not str(op.get("summary") or "").strip():
            yield Finding("operation has no summary", pointer, file=D)


@rule(
    "OperationSummaryTooLong",
    Level.ERROR,
    f"summaries are at most {SUMMARY_MAX} characters (certification)",
    microsoft=True,
)
def summary_length(package: LintPackage) -> Iterator[Finding]:
    """Validator rule OperationSummaryTooLong (Learn: fewer than 120 characters) and certification's
    80; no calibration connector has a summary over 80 characters."""
    for _, _, op, _, pointer in package.operations():
        summary = str(op.get("summary") or "")
        if len(summary) > SUMMARY_MAX:
            yield Finding(f"summary has {len(summary)} characters; at most {SUMMARY_MAX}", pointer + "/summary", file=D)


@rule(
    "RestrictedCharactersInSummary",
    Level.WARNING,
    "summaries have letters, digits, spaces and parentheses only",
    microsoft=True,
)
def summary_characters(package: LintPackage) -> Iterator[Finding]:
    """Validator rule RestrictedCharactersInSummary, reported by the validator as a warning: DocuSign
    2024-09 ('.', ':'), PDF4me 2024-09 ('_'), Gravity Forms 2024-03 ("'"), Cradl AI 2024-02 ('-') were
    published with them."""
    for _, _, op, _, pointer in package.operations():
        bad = sorted(set(re.sub(r"[A-Za-z0-9 ()]", "", str(op.get("summary") or ""))))
        if bad:
            yield Finding(f"summary has restricted characters {''.join(bad)!r}", pointer + "/summary", file=D)


@rule("SummaryNotSentenceCase", Level.WARNING, "summaries are in sentence case ('List charging stations')")
def summary_case(package: LintPackage) -> Iterator[Finding]:
    """Certification guidance: sentence-case summaries; many published connectors use Title Case."""
    for _, _, op, _, pointer in package.operations():
        words = re.findall(r"[A-Za-z][A-Za-z0-9'-]*", str(op.get("summary") or ""))
        if not words:
            continue
        if not words[0][0].isupper():
            yield Finding("summary does not start with a capital letter", pointer + "/summary", file=D)
            continue
        rest = [w for w in words[1:] if w.lower() not in _SMALL_WORDS and not (w.isupper() and len(w) > 1)]
        if len(rest) >= 1 and all(w[0].isupper() for w in rest):
            yield Finding("summary is in Title Case; use sentence case", pointer + "/summary", file=D)


@rule("OperationDescriptionRequired", Level.WARNING, "every operation has a description")
def description_required(package: LintPackage) -> Iterator[Finding]:
    """Certification asks for a description on every visible operation; DocuSign 2024-09 and Oneflow
    2024-03 publish helper operations without one. Internal operations are exempt."""
    for _, _, op, _, pointer in package.operations():
        if not _is_internal(op) and not str(op.get("description") or "").strip():
            yield Finding("operation has no description", pointer, file=D)


@rule(
    "OperationDescriptionNotValid",
    Level.WARNING,
    "descriptions are full sentences that say more than the summary",
)
def description_sentences(package: LintPackage) -> Iterator[Finding]:
    """Certification guidance: descriptions are full sentences saying more than the summary."""
    for _, _, op, _, pointer in package.operations():
        description = str(op.get("description") or "").strip()
        if not description:
            continue
        if description[-1] not in ".!?)":
            yield Finding("description does not end with a full stop", pointer + "/description", file=D)
        elif description.rstrip(".!?").strip().lower() == str(op.get("summary") or "").strip().lower():
            yield Finding("description only repeats the summary", pointer + "/description", file=D)


@rule("PathParameterMustBeRequired", Level.ERROR, "path parameters are required", microsoft=True)
def path_required(package: LintPackage) -> Iterator[Finding]:
    """Validator rule PathParameterMustBeRequired; no calibration connector breaks it."""
    for _, _, op, item, pointer in package.operations():
        for param, where in package.parameters(op, item, pointer):
            if param.get("in") == "path" and param.get("required") is not True:
                yield Finding(f"path parameter {param.get('name')!r} must be required", where, file=D)


@rule("PathParameterMissingEncoding", Level.WARNING, "path parameters have x-ms-url-encoding", microsoft=True)
def path_encoding(package: LintPackage) -> Iterator[Finding]:
    """Validator rule PathParameterMissingEncoding ('use x-ms-url-encoding: single'), a warning of the
    validator: Cognito Forms 2024-07, DocuSign 2024-09, HiveCPQ 2024-05 publish path parameters without
    it (the service defaults to double encoding)."""
    for _, _, op, item, pointer in package.operations():
        for param, where in package.parameters(op, item, pointer):
            if param.get("in") == "path" and "x-ms-url-encoding" not in param:
                yield Finding(
                    f'path parameter {param.get("name")!r} has no x-ms-url-encoding (use "single")',
                    where,
                    file=D,
                )


@rule("ParameterSummaryMissing", Level.WARNING, "visible parameters have an x-ms-summary")
def parameter_summary(package: LintPackage) -> Iterator[Finding]:
    """Certification guidance: every visible parameter has an x-ms-summary label."""
    for _, _, op, item, pointer in package.operations():
        for param, where in package.parameters(op, item, pointer):
            if param.get("in") != "body" and not _is_internal(param) and not param.get("x-ms-summary"):
                yield Finding(f"parameter {param.get('name')!r} has no x-ms-summary", where, file=D)


@rule(
    "ParameterSummaryNotValid",
    Level.WARNING,
    f"x-ms-summary is Title Case and at most {PARAMETER_SUMMARY_MAX} characters",
)
def parameter_summary_valid(package: LintPackage) -> Iterator[Finding]:
    """Certification guidance: x-ms-summary in Title Case, at most 80 characters."""
    for _, _, op, item, pointer in package.operations():
        for param, where in package.parameters(op, item, pointer):
            label = str(param.get("x-ms-summary") or "")
            if not label:
                continue
            if len(label) > PARAMETER_SUMMARY_MAX:
                yield Finding(
                    f"x-ms-summary has {len(label)} characters; at most {PARAMETER_SUMMARY_MAX}",
                    where + "/x-ms-summary",
                    file=D,
                )
            words = re.findall(r"[A-Za-z][A-Za-z0-9'-]*", label)
            lower = [w for i, w in enumerate(words) if w[0].islower() and not (i > 0 and w in _SMALL_WORDS)]
            if lower:
                yield Finding(
                    f"x-ms-summary {label!r} is not Title Case ({', '.join(lower)})",
                    where + "/x-ms-summary",
                    file=D,
                )


@rule("ParameterDescriptionMissing", Level.WARNING, "visible parameters have a description")
def parameter_description(package: LintPackage) -> Iterator[Finding]:
    """Certification guidance: every visible parameter has a description."""
    for _, _, op, item, pointer in package.operations():
        for param, where in package.parameters(op, item, pointer):
            if not _is_internal(param) and not str(param.get("description") or "").strip():
                yield Finding(f"parameter {param.get('name')!r} has no description", where, file=D)


@rule("ConnectionIdParameterNotAllowed", Level.ERROR, "no parameter is named connectionId", microsoft=True)
def connection_id(package: LintPackage) -> Iterator[Finding]:
    """Validator rule ConnectionIdParameterNotAllowed; no calibration connector breaks it."""
    for _, _, op, item, pointer in package.operations():
        for param, where in package.parameters(op, item, pointer):
            if param.get("name") == "connectionId":
                yield Finding("parameters may not be named 'connectionId'", where, file=D)


@rule(
    "ParameterListContainsFormDataAndBody",
    Level.ERROR,
    "an operation has body or formData parameters, not both",
    microsoft=True,
)
def body_and_form(package: LintPackage) -> Iterator[Finding]:
    """Validator rule ParameterListContainsFormDataAndBody; no calibration connector breaks it."""
    for _, _, op, item, pointer in package.operations():
        kinds = {p.get("in") for p, _ in package.parameters(op, item, pointer)}
        if {"body", "formData"} <= kinds:
            yield Finding("operation has both body and formData parameters", pointer, file=D)


@rule(
    "OperationParametersContainMultipleBodyParameters",
    Level.ERROR,
    "at most one body parameter",
    microsoft=True,
)
def one_body(package: LintPackage) -> Iterator[Finding]:
    """Validator rule OperationParametersContainMultipleBodyParameters; no calibration connector breaks
    it."""
    for _, _, op, item, pointer in package.operations():
        bodies = [w for p, w in package.parameters(op, item, pointer) if p.get("in") == "body"]
        if len(bodies) > 1:
            yield Finding(f"{len(bodies)} body parameters; at most one allowed", bodies[1], file=D)


@rule("CollectionFormatValueNotSupported", Level.ERROR, "no collectionFormat multi", microsoft=True)
def collection_format(package: LintPackage) -> Iterator[Finding]:
    """Validator rule CollectionFormatValueNotSupported (multi); no calibration connector breaks it."""
    for _, _, op, item, pointer in package.operations():
        for param, where in package.parameters(op, item, pointer):
            if param.get("collectionFormat") == "multi":
                yield Finding(
                    f"collectionFormat multi of {param.get('name')!r} is not supported",
                    where + "/collectionFormat",
                    file=D,
                )


@rule(
    "BodyOrFormDataParameterInFetchOperationNotAllowed",
    Level.WARNING,
    "GET operations have no body or formData",
    microsoft=True,
)
def get_body(package: LintPackage) -> Iterator[Finding]:
    """Validator rule BodyOrFormDataParameterInFetchOperationNotAllowed, not enforced on upload:
    DocuSign 2024-09 and Telegram Bot 2024-05 publish GET operations with a body parameter (the body is
    not sent)."""
    for _, method, op, item, pointer in package.operations():
        if method == "get":
            for param, where in package.parameters(op, item, pointer):
                if param.get("in") in ("body", "formData"):
                    yield Finding(f"GET operation has a {param.get('in')} parameter", where, file=D)


def _responses(package: LintPackage, op: dict[str, Any]) -> dict[str, Any]:
    responses = op.get("responses")
    if not isinstance(responses, dict):
        return {}
    return {str(k): package.resolve(v) for k, v in responses.items() if not str(k).startswith("x-")}


@rule(
    "OperationShouldHaveSuccessfulResponse",
    Level.WARNING,
    "every operation has a 2xx response",
    microsoft=True,
)
def success_response(package: LintPackage) -> Iterator[Finding]:
    """Validator rule OperationShouldHaveSuccessfulResponse, a warning of the validator: PDF4me
    2024-09, HrFlow 2024-09, D7SMS 2024-06 and Autenti 2024-04 publish operations with only 'default'
    or error responses."""
    for _, _, op, _, pointer in package.operations():
        if not any(k.startswith("2") for k in _responses(package, op)):
            yield Finding("operation has no 2xx response", pointer + "/responses", file=D)


@rule(
    "SuccessResponseSchemaMissing",
    Level.WARNING,
    "a 200 response has a schema (the designer needs it for outputs)",
)
def success_schema(package: LintPackage) -> Iterator[Finding]:
    """Certification guidance: outputs need a schema on the 2xx response."""
    for _, _, op, _, pointer in package.operations():
        responses = _responses(package, op)
        with_schema = [
            k for k, r in responses.items() if k.startswith("2") and isinstance(r, dict) and "schema" in r
        ]
        if "200" in responses and not with_schema:
            yield Finding("the 200 response has no schema", pointer + "/responses/200", file=D)


@rule(
    "OperationHasManyResponsesWithSchema", Level.WARNING, "one response schema per operation", microsoft=True
)
def one_schema(package: LintPackage) -> Iterator[Finding]:
    """Validator rule OperationHasManyResponsesWithSchema ('only one response schema is used by the
    designer'), a warning: Clockify 2024-10, Cognito Forms 2024-07, DocuSign 2024-09 publish
    error-response schemas beside the 2xx one."""
    for _, _, op, _, pointer in package.operations():
        with_schema = [k for k, r in _responses(package, op).items() if isinstance(r, dict) and "schema" in r]
        if len(with_schema) > 1:
            yield Finding(
                f"responses {', '.join(with_schema)} all have schemas; the designer uses one",
                pointer + "/responses",
                file=D,
            )


@rule("DefaultResponseHasSchema", Level.WARNING, "the default response has no schema", microsoft=True)
def default_schema(package: LintPackage) -> Iterator[Finding]:
    """Validator rule DefaultResponseHasSchema ('should not have a schema'); reviewers ask for explicit
    status codes (PR #1425: 'Default responses are not allowed anymore'), the validator warns: PDF4me 2024-09,
    HrFlow 2024-09, D7SMS 2024-06 publish schemas on 'default'."""
    for _, _, op, _, pointer in package.operations():
        default = _responses(package, op).get("default")
        if isinstance(default, dict) and "schema" in default:
            yield Finding("the default response must not have a schema", pointer + "/responses/default/schema", file=D)


def _is_empty_schema(package: LintPackage, schema: Any) -> bool:
    schema = package.resolve(schema)
    if not isinstance(schema, dict) or any(k.startswith("x-ms-dynamic") for k in schema):
        return False
    keys = {k for k in schema if k not in ("description", "title", "x-ms-summary", "example")}
    return not keys or (keys == {"type"} and schema["type"] == "object")


@rule("EmptySchemaNotAllowed", Level.WARNING, "body and response schemas are not empty objects")
def empty_schemas(package: LintPackage) -> Iterator[Finding]:
    """Certification guidance: no empty {} schemas unless dynamic."""
    for _, _, op, item, pointer in package.operations():
        for param, where in package.parameters(op, item, pointer):
            if param.get("in") == "body" and _is_empty_schema(package, param.get("schema")):
                yield Finding("body schema is empty", where + "/schema", file=D)
        for status, response in _responses(package, op).items():
            if (
                isinstance(response, dict)
                and "schema" in response
                and _is_empty_schema(package, response["schema"])
            ):
                yield Finding(f"response {status} schema is empty", f"{pointer}/responses/{status}/schema", file=D)


@rule(
    "MimeTypeNotValid",
    Level.WARNING,
    f"consumes/produces use only {', '.join(PP_MIME_TYPES)}",
    microsoft=True,
)
def mime_types(package: LintPackage) -> Iterator[Finding]:
    """Validator rule MimeTypeNotValid lists four media types, but recent connectors publish others
    (text/json: Cognito Forms 2024-07, Shopranos 2023-12; application/xml, text/xml: DocuSign 2024-09;
    application/pdf, application/octet-stream: HiveCPQ 2024-05; */*: Impower 2024-01), so a warning."""
    places: list[tuple[str, Any]] = [("", package.definition)] + [
        (p, op) for _, _, op, _, p in package.operations()
    ]
    for pointer, owner in places:
        for key in ("consumes", "produces"):
            values = owner.get(key)
            for i, value in enumerate(values if isinstance(values, list) else []):
                if media_base(str(value)) not in PP_MIME_TYPES:
                    yield Finding(f"{key} media type {value!r} is not supported", f"{pointer}/{key}/{i}", file=D)


@rule(
    "InvalidNextLinkNameValue",
    Level.ERROR,
    "x-ms-pageable nextLinkName is 'nextLink' or '@odata.nextLink'",
    microsoft=True,
)
def next_link(package: LintPackage) -> Iterator[Finding]:
    """Validator rule InvalidNextLinkNameValue ('nextLink' or '@odata.nextLink'), compared ignoring
    case: Almabase (2021) publishes 'nextlink'."""
    for _, _, op, _, pointer in package.operations():
        pageable = op.get("x-ms-pageable")
        name = pageable.get("nextLinkName") if isinstance(pageable, dict) else None
        if isinstance(pageable, dict) and str(name).lower() not in ("nextlink", "@odata.nextlink"):
            yield Finding(
                f"nextLinkName {pageable.get('nextLinkName')!r} is not supported",
                pointer + "/x-ms-pageable/nextLinkName",
                file=D,
            )
