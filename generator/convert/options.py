"""What `convert` can be asked to do, and what it returns."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from generator.problems import Problem

__all__ = ["ConvertOptions", "ConvertResult", "Visibility", "WebhookTrigger"]

Visibility = Literal["important", "advanced", "internal"]


@dataclass(frozen=True)
class WebhookTrigger:
    """A registration operation that becomes a Power Platform webhook trigger (connector.yaml `triggers`
    with `kind: webhook`): `x-ms-trigger`, a notification-URL body property and `x-ms-notification-content`."""

    operation_id: str
    notification_url_property: str
    notification_schema: str  # component schema name of the payload the service POSTs
    summary: str = ""  # "When a …"
    description: str = ""
    notification_description: str = ""
    fixed: Mapping[str, Any] = field(default_factory=dict, hash=False)  # body properties fixed (internal, required)
    delete_operation_id: str = ""  # made internal: the platform calls it on the Location URL
    kind: Literal["single", "batch"] = "single"


@dataclass(frozen=True)
class ConvertOptions:
    """Options of `convert`. The defaults give a plain Swagger 2.0 document; `powerplatform=True` adds
    what Power Platform needs (see generator/convert/powerplatform.py for the list)."""

    powerplatform: bool = False
    server_index: int = 0  # which `servers` entry gives host/basePath/schemes
    server_url: str = ""  # overrides the server entirely (e.g. "https://api.example.com/v1")
    title: str = ""  # info.title override (Power Platform: ≤ 30 characters)
    description: str = ""  # info.description override (Power Platform: 30–500 characters)
    contact: Mapping[str, str] = field(default_factory=dict, hash=False)  # info.contact override {name, url, email}
    connector_metadata: tuple[tuple[str, str], ...] = ()  # x-ms-connector-metadata (propertyName, propertyValue)
    exclude_operations: frozenset[str] = frozenset()  # operationIds left out
    operation_visibility: Mapping[str, Visibility] = field(default_factory=dict, hash=False)  # x-ms-visibility by operationId
    parameter_visibility: Mapping[str, Visibility] = field(default_factory=dict, hash=False)  # by parameter name, every operation
    operation_parameter_visibility: Mapping[str, Mapping[str, Visibility]] = field(default_factory=dict, hash=False)
    x_ms_summary: bool = True  # Power Platform: Title Case x-ms-summary on parameters and properties
    url_encoding: bool = True  # Power Platform: x-ms-url-encoding "single" on path parameters
    sanitize_summaries: bool = True  # Power Platform: summaries made certifiable (≤ 80 chars, allowed characters)
    sanitize_operation_ids: bool = True  # Power Platform: operationIds made alphanumeric and unique
    webhook_triggers: tuple[WebhookTrigger, ...] = ()
    test_connection: str = ""  # x-ms-capabilities testConnection operationId
    test_connection_parameters: Mapping[str, Any] = field(default_factory=dict, hash=False)


@dataclass
class ConvertResult:
    swagger: dict[str, Any]
    losses: list[Problem]
