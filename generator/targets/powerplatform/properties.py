"""apiProperties.json: connection parameters (or parameter sets), policy templates, script operations.

Policy order matters to the runtime (and to the emulator): credentials first, then the environment
(host or query), then routing, then polling state.
"""

from __future__ import annotations

from typing import Any

from generator.targets.powerplatform.config import (
    ENVIRONMENT_HEADER,
    ConnectionParameter,
    ConnectorConfig,
    ParameterSet,
    credential_header,
)

__all__ = ["api_properties", "policy_templates"]

P = "x-ms-apimTemplateParameter."


def _parameter(parameter: ConnectionParameter, tab: int) -> dict[str, Any]:
    constraints: dict[str, Any] = {"required": "true" if parameter.required else "false", "tabIndex": tab}
    if parameter.allowed:
        constraints["allowedValues"] = [{"text": text, "value": value} for value, text in parameter.allowed]
    ui: dict[str, Any] = {
        "displayName": parameter.display_name,
        "description": parameter.description,
        "tooltip": parameter.tooltip or parameter.description,
        "constraints": constraints,
    }
    data: dict[str, Any] = {"type": parameter.type, "uiDefinition": ui}
    if parameter.default is not None and parameter.type != "securestring":
        data["defaultValue"] = parameter.default
    return data


def _parameters(config: ConnectorConfig, connection_set: ParameterSet) -> dict[str, Any]:
    return {p.name: _parameter(p, i + 1) for i, p in enumerate(config.all_parameters(connection_set))}


def _setheader(title: str, name: str, value: str, operations: list[str] | None = None) -> dict[str, Any]:
    parameters: dict[str, Any] = {
        P + "name": name,
        P + "value": value,
        P + "existsAction": "override",
        "x-ms-apimTemplate-policySection": "Request",
    }
    if operations:
        parameters = {"x-ms-apimTemplate-operationName": operations, **parameters}
    return {"templateId": "setheader", "title": title, "parameters": parameters}


def _credential_policies(config: ConnectorConfig) -> list[dict[str, Any]]:
    policies: list[dict[str, Any]] = []
    seen: set[str] = set()
    for connection_set in config.sets:
        auth = connection_set.auth
        if auth.kind == "header":
            if auth.header in seen:
                continue
            seen.add(auth.header)
            value = f"{auth.prefix}@connectionParameters('{auth.parameter}')"
            policies.append(_setheader(f"Set the {auth.header} header", auth.header, value))
            continue
        # Custom code signs in: hand it the credentials in headers it removes before forwarding.
        for parameter in connection_set.parameters:
            header = credential_header(parameter.name)
            if header in seen:
                continue
            seen.add(header)
            value = f"@connectionParameters('{parameter.name}')"
            policies.append(_setheader(f"Pass {parameter.display_name.lower()} to the custom code", header, value))
    return policies


def policy_templates(config: ConnectorConfig, routed: dict[str, tuple[str, str]]) -> list[dict[str, Any]]:
    """`routed`: operationId → (real path, METHOD) for operations exposed at a connector-only path."""
    policies = _credential_policies(config)
    environment = config.environment
    if environment and environment.apply == "host":
        policies.append(
            {
                "templateId": "dynamichosturl",
                "title": f"Use the chosen {environment.parameter.display_name.lower()}",
                "parameters": {P + "urlTemplate": f"@connectionParameters('{environment.parameter.name}')"},
            }
        )
    elif environment and environment.needs_code:
        value = f"@connectionParameters('{environment.parameter.name}')"
        policies.append(_setheader(f"Pass the {environment.parameter.display_name.lower()} to the custom code", ENVIRONMENT_HEADER, value))
    elif environment:
        policies.append(
            {
                "templateId": "setqueryparameter",
                "title": f"Send the chosen {environment.parameter.display_name.lower()}",
                "parameters": {
                    P + "name": environment.query_name,
                    P + "value": f"@connectionParameters('{environment.parameter.name}')",
                    P + "existsAction": "override",
                },
            }
        )
    for operation_id, (path, method) in sorted(routed.items()):
        policies.append(
            {
                "templateId": "routerequesttoendpoint",
                "title": f"Route {operation_id} to {method} {path}",
                "parameters": {
                    "x-ms-apimTemplate-operationName": [operation_id],
                    P + "newPath": path,
                    P + "httpMethod": method,
                },
            }
        )
    for trigger in config.polling_triggers:
        policies.append(
            # The shape published polling triggers use: type PollingTrigger, triggerConfig, triggerDataPath, operationName.
            {
                "templateId": "pollingtrigger",
                "title": f"Poll {trigger.source} for {trigger.operation_id}",
                "type": "PollingTrigger",
                "parameters": {
                    P + "triggerConfig": dict(trigger.state),
                    P + "triggerDataPath": "@triggerBody()",
                    "x-ms-apimTemplate-operationName": [trigger.operation_id],
                },
            }
        )
    return policies


def api_properties(
    config: ConnectorConfig,
    routed: dict[str, tuple[str, str]],
    script_operations: list[str] | None,
    has_triggers: bool,
) -> dict[str, Any]:
    meta = config.metadata
    properties: dict[str, Any] = {}
    if len(config.sets) == 1:
        properties["connectionParameters"] = _parameters(config, config.sets[0])
    else:
        properties["connectionParameterSets"] = {
            "uiDefinition": {"displayName": config.sets_display_name, "description": config.sets_description},
            "values": [
                {
                    "name": s.name,
                    "uiDefinition": {"displayName": s.display_name, "description": s.description},
                    "parameters": _parameters(config, s),
                }
                for s in config.sets
            ],
        }
    properties["iconBrandColor"] = meta.brand_color.lower()
    properties["capabilities"] = ["actions", "triggers"] if has_triggers else ["actions"]
    properties["policyTemplateInstances"] = policy_templates(config, routed)
    if script_operations is not None:
        properties["scriptOperations"] = script_operations
    properties["publisher"] = meta.publisher
    properties["stackOwner"] = meta.stack_owner
    return {"properties": properties}
