"""What `convert` can be asked to do, and what it returns."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from msgspec import Struct, field

from generator.convert.profile import SWAGGER, Profile
from generator.problems import Problem

__all__ = ["ConvertOptions", "ConvertResult", "Visibility", "WebhookAction", "WebhookTrigger"]

Visibility = Literal["important", "advanced", "internal"]


class WebhookAction(Struct, frozen=True):
    """The registration of a webhook trigger offered as a normal action too (connector.yaml `action`):
    a copy of the operation at its own connector path, routed to the registration."""

    operation_id: str
    path: str
    summary: str
    description: str


class WebhookTrigger(Struct, frozen=True):
    """A registration operation that becomes a Power Platform webhook trigger (connector.yaml `triggers`
    with `kind: webhook`): `x-ms-trigger`, a notification-URL body property and `x-ms-notification-content`.
    The one record of a webhook trigger: the powerplatform target reads connector.yaml into it and
    passes it here unchanged."""

    operation_id: str
    notification_url_property: str
    # Component schema name of the payload the service POSTs.
    notification_schema: str
    summary: str = ""  # "When a …"
    description: str = ""
    notification_description: str = ""
    # Body properties fixed to these values (internal, required, default).
    fixed: Mapping[str, Any] = field(default_factory=dict)
    # Made internal: the platform calls it on the Location URL when the flow is removed.
    delete_operation_id: str = ""
    kind: Literal["single", "batch"] = "single"
    # x-ms-trigger-hint: what to do to see the trigger fire.
    hint: str = ""
    # When the service answers the registration without Location, the custom code adds
    # `<request URL>/<body[location_from_body]>` (powerplatform target).
    location_from_body: str = ""
    action: WebhookAction | None = None


class ConvertOptions(Struct, frozen=True):
    """Options of `convert`. The defaults give a plain Swagger 2.0 document; `profile` picks another
    dialect (profile.py), e.g. the Power Platform one of `generator/targets/powerplatform/profile.py`,
    which reads the Power Platform options below."""

    profile: Profile = SWAGGER
    # Which `servers` entry gives host/basePath/schemes; server_url replaces the spec's servers.
    server_index: int = 0
    server_url: str = ""
    # info overrides (Power Platform: title at most 30 characters, description 30 to 500).
    title: str = ""
    description: str = ""
    contact: Mapping[str, str] = field(default_factory=dict)
    # x-ms-connector-metadata as (propertyName, propertyValue) pairs.
    connector_metadata: tuple[tuple[str, str], ...] = ()
    exclude_operations: frozenset[str] = frozenset()
    # x-ms-visibility by operationId, by parameter name (every operation), and by operation then parameter.
    operation_visibility: Mapping[str, Visibility] = field(default_factory=dict)
    parameter_visibility: Mapping[str, Visibility] = field(default_factory=dict)
    operation_parameter_visibility: Mapping[str, Mapping[str, Visibility]] = field(default_factory=dict)
    # Power Platform touches that can be turned off one by one.
    x_ms_summary: bool = True  # Title Case x-ms-summary on parameters and properties
    url_encoding: bool = True  # x-ms-url-encoding "single" on path parameters
    sanitize_summaries: bool = True  # summaries made certifiable (at most 80 characters, allowed characters)
    sanitize_operation_ids: bool = True  # operationIds made alphanumeric and unique
    webhook_triggers: tuple[WebhookTrigger, ...] = ()
    # x-ms-capabilities testConnection.
    test_connection: str = ""
    test_connection_parameters: Mapping[str, Any] = field(default_factory=dict)


class ConvertResult(Struct):
    swagger: dict[str, Any]
    losses: list[Problem]
