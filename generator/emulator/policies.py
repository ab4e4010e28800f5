"""Request-section policy templates, applied in the order apiProperties lists them (as the runtime
does, before the custom code runs)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.emulator.expressions import ExpressionContext, ExpressionError, evaluate_template
from generator.emulator.package import EmulatorError
from generator.emulator.wire import WireRequest

__all__ = ["apply_request_policies"]

P = "x-ms-apimTemplateParameter."
_LATER = {"pollingtrigger", "updatenextlink"}  # act on responses/polling state, not on the request


def _context(request: WireRequest, connection: Mapping[str, str]) -> ExpressionContext:
    return ExpressionContext(
        connection=connection,
        headers={k.lower(): v for k, v in request.headers},
        query=dict(request.query),
    )


def _value(template: Any, request: WireRequest, connection: Mapping[str, str]) -> str:
    try:
        return evaluate_template(str(template), _context(request, connection))
    except ExpressionError as exc:
        raise EmulatorError(f"policy value {template!r}: {exc}") from exc


def apply_request_policies(request: WireRequest, policies: list[dict[str, Any]], connection: Mapping[str, str]) -> list[str]:
    """Edit `request` in place; returns the titles of the policies applied (for reports and tests)."""
    applied: list[str] = []
    for policy in policies:
        template = str(policy.get("templateId", "")).lower()
        parameters = policy.get("parameters", {})
        section = parameters.get("x-ms-apimTemplate-policySection", "Request")
        if template in _LATER or section != "Request":
            continue
        if template == "setheader":
            value = _value(parameters[P + "value"], request, connection)
            request.set_header(parameters[P + "name"], value, parameters.get(P + "existsAction", "override"))
        elif template == "setqueryparameter":
            value = _value(parameters[P + "value"], request, connection)
            request.set_query(parameters[P + "name"], value, parameters.get(P + "existsAction", "override"))
        elif template == "dynamichosturl":
            # The template gives scheme, host and base path; the operation's path follows it.
            request.base = _value(parameters[P + "urlTemplate"], request, connection).rstrip("/")
        elif template == "routerequesttoendpoint":
            request.path = "/" + _value(parameters[P + "newPath"], request, connection).lstrip("/")
            method = parameters.get(P + "httpMethod", "@Request.OriginalHTTPMethod")
            if method != "@Request.OriginalHTTPMethod":
                request.method = str(method).upper()
        else:
            raise EmulatorError(f"policy template {policy.get('templateId')!r} is not emulated")
        applied.append(str(policy.get("title", template)))
    return applied
