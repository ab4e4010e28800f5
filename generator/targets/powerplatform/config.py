"""connector.yaml, read into typed records, plus the auth plan every artefact agrees on.

The connector dict is already validated against `generator/data/connector.schema.json` (so every
required key is there); this module gives it types, derives names (credential headers, parameter sets)
in one place so that apiProperties.json, script.csx and the emulator's tests cannot disagree, and
checks that it fits the spec. What does not fit raises `ConfigError` with the JSON pointer of the
connector.yaml value concerned; the target turns it into a located problem (file:line:col).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from generator.convert.options import Visibility, WebhookAction, WebhookTrigger
from generator.ir.model import Api, SecurityScheme

__all__ = [
    "ENVIRONMENT_HEADER",
    "AuthSpec",
    "ConfigError",
    "ConnectionParameter",
    "ConnectorConfig",
    "DynamicSource",
    "DynamicValues",
    "Environment",
    "Lookup",
    "Metadata",
    "OperationSettings",
    "ParameterSet",
    "PollingTrigger",
    "WebhookAction",
    "WebhookTrigger",
    "credential_header",
    "read_config",
    "security_definitions",
]


ENVIRONMENT_HEADER = "X-Connection-Environment"  # the environment choice, for the custom code


class ConfigError(ValueError):
    """connector.yaml does not fit the spec; `pointer` is the JSON pointer of the value concerned."""

    def __init__(self, message: str, pointer: str = ""):
        super().__init__(message)
        self.pointer = pointer


def credential_header(name: str) -> str:
    """Request header that carries a connection parameter to the custom code: `client_id` →
    `X-Credential-Client-Id`. The script removes it before anything reaches the vendor."""
    words: list[str] = []
    for chunk in name.replace("-", "_").split("_"):
        start = 0
        for i in range(1, len(chunk)):
            if chunk[i].isupper() and not chunk[i - 1].isupper():
                words.append(chunk[start:i])
                start = i
        words.append(chunk[start:])
    return "X-Credential-" + "-".join(w[:1].upper() + w[1:].lower() for w in words if w)


@dataclass(frozen=True)
class ConnectionParameter:
    name: str
    type: str
    display_name: str
    description: str
    tooltip: str = ""
    required: bool = True
    default: str | None = None
    credential: str = ""
    allowed: tuple[tuple[str, str], ...] = ()  # (value, text) for drop-downs


@dataclass(frozen=True)
class AuthSpec:
    kind: str  # header | signin | oauth2-client-credentials
    header: str = ""
    prefix: str = ""
    parameter: str = ""
    token_url_parameter: str = ""


@dataclass(frozen=True)
class ParameterSet:
    name: str
    display_name: str
    description: str
    auth: AuthSpec
    parameters: tuple[ConnectionParameter, ...]
    pointer: str = ""  # in connector.yaml


@dataclass(frozen=True)
class Environment:
    parameter: ConnectionParameter
    apply: str  # host | query
    query_name: str = ""
    query_values: tuple[tuple[str, str], ...] = ()  # apply query: (choice, value sent; "" = none)

    @property
    def needs_code(self) -> bool:
        """A choice that sends no query parameter cannot be said with setqueryparameter."""
        return self.apply == "query" and any(not sent for _, sent in self.query_values)


@dataclass(frozen=True)
class DynamicSource:
    """Where x-ms-dynamic-values takes its choices from."""

    operation_id: str
    value_path: str
    value_title: str
    value_collection: str = ""
    parameters: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DynamicValues:
    parameter: str
    property: str
    operations: tuple[str, ...]
    source: DynamicSource


@dataclass(frozen=True)
class PollingTrigger:
    operation_id: str
    source: str
    path: str
    summary: str
    description: str
    batch: bool
    state: dict[str, str]
    hint: str = ""
    initial: dict[str, Any] = field(default_factory=dict)
    pointer: str = ""  # in connector.yaml


@dataclass(frozen=True)
class Lookup:
    operation_id: str
    path: str
    summary: str
    description: str
    source: str
    source_collection: str
    items: str
    value: str
    title: str
    parent_title: str
    pointer: str = ""  # in connector.yaml


@dataclass(frozen=True)
class OperationSettings:
    """connector.yaml `operations.<operationId>`: how the connector presents one operation."""

    exclude: bool = False
    visibility: Visibility | None = None  # x-ms-visibility
    path: str = ""  # a variant's connector path ("" = the default)
    parameters: dict[str, Visibility] = field(default_factory=dict)  # parameter → x-ms-visibility
    generic_test: bool | None = None  # None: decided by side effects


@dataclass(frozen=True)
class Metadata:
    """The connector's own facts: info, x-ms-connector-metadata, apiProperties, the icon."""

    title: str
    description: str  # whitespace folded
    publisher: str
    stack_owner: str
    brand_color: str
    website: str
    privacy_policy: str
    categories: tuple[str, ...]
    contact: dict[str, str]
    icon_text: str
    icon_text_color: str = "#ffffff"
    server: int = 0
    parameter_visibility: dict[str, Any] = field(default_factory=dict)  # name → x-ms-visibility
    test_operation: str = ""
    test_parameters: dict[str, Any] = field(default_factory=dict)


@dataclass
class ConnectorConfig:
    raw: dict[str, Any]  # for the readme template only, which renders the free-form `readme` section
    metadata: Metadata
    sets: tuple[ParameterSet, ...]
    environment: Environment | None
    sets_display_name: str = ""
    sets_description: str = ""
    dynamic_values: tuple[DynamicValues, ...] = ()
    webhook_triggers: tuple[WebhookTrigger, ...] = ()
    polling_triggers: tuple[PollingTrigger, ...] = ()
    lookups: tuple[Lookup, ...] = ()
    operations: dict[str, OperationSettings] = field(default_factory=dict)
    keywords: tuple[str, ...] = ()

    @property
    def needs_script(self) -> bool:
        if self.lookups or (self.environment is not None and self.environment.needs_code):
            return True
        return any(s.auth.kind in {"signin", "oauth2-client-credentials"} for s in self.sets)

    @property
    def excluded(self) -> frozenset[str]:
        return frozenset(k for k, v in self.operations.items() if v.exclude)

    def all_parameters(self, connection_set: ParameterSet) -> tuple[ConnectionParameter, ...]:
        """A set's parameters plus the environment choice (every set carries it)."""
        extra = (self.environment.parameter,) if self.environment else ()
        return connection_set.parameters + extra


def _parameter(data: dict[str, Any], allowed: tuple[tuple[str, str], ...] = ()) -> ConnectionParameter:
    return ConnectionParameter(
        name=data["name"],
        type=data.get("type", "string"),
        display_name=data["displayName"],
        description=data["description"],
        tooltip=data.get("tooltip", ""),
        required=data.get("required", True),
        default=data.get("default"),
        credential=data.get("credential", ""),
        allowed=allowed,
    )


def _metadata(connector: dict[str, Any]) -> Metadata:
    icon = connector.get("icon") or {}
    test = connector.get("testConnection") or {}
    return Metadata(
        title=str(connector["title"]),
        description=" ".join(str(connector["description"]).split()),
        publisher=str(connector["publisher"]),
        stack_owner=str(connector["stackOwner"]),
        brand_color=str(connector["brandColor"]),
        website=str(connector["website"]),
        privacy_policy=str(connector["privacyPolicy"]),
        categories=tuple(connector["categories"]),
        contact={str(k): str(v) for k, v in connector["contact"].items()},
        icon_text=str(icon.get("text") or str(connector["title"])[:2]),
        icon_text_color=str(icon.get("textColor", "#ffffff")),
        server=int(connector.get("server", 0)),
        parameter_visibility=dict(connector.get("parameterVisibility", {})),
        test_operation=str(test.get("operationId", "")),
        test_parameters=dict(test.get("parameters", {})),
    )


def _environment(data: dict[str, Any] | None, api: Api) -> Environment | None:
    if not data:
        return None
    allowed: list[tuple[str, str]] = []
    query_values: list[tuple[str, str]] = []
    for i, value in enumerate(data["values"]):
        if data["apply"] == "host":
            index = value.get("server", 0)
            if index >= len(api.servers):
                raise ConfigError(
                    f"environment {value['displayName']!r}: the spec has no server {index}",
                    f"/connection/environment/values/{i}/server",
                )
            allowed.append((api.servers[index].resolved_url.rstrip("/"), value["displayName"]))
        else:
            choice = value.get("value") or value["displayName"].lower()
            allowed.append((choice, value["displayName"]))
            query_values.append((choice, "" if value.get("omitQuery") else choice))
    parameter = ConnectionParameter(
        name=data["name"],
        type="string",
        display_name=data["displayName"],
        description=data["description"],
        tooltip=data.get("tooltip", ""),
        default=allowed[0][0],
        allowed=tuple(allowed),
    )
    return Environment(parameter, data["apply"], data.get("queryName", data["name"]), tuple(query_values))


def auth_scheme(api: Api) -> SecurityScheme | None:
    """The spec's scheme carrying `x-connectorgen-auth` (the first one, as Swagger 2.0 keeps one)."""
    for scheme in api.security_schemes.values():
        if scheme.auth is not None and scheme.auth.declared:
            return scheme
    return next(iter(api.security_schemes.values()), None)


def _with_token_url_default(connection_set: ParameterSet, api: Api) -> ParameterSet:
    """The token URL parameter defaults to the spec's clientCredentials tokenUrl."""
    name = connection_set.auth.token_url_parameter
    scheme = auth_scheme(api)
    flow = next((f for f in scheme.flows if f.kind == "clientCredentials"), None) if scheme else None
    if not name or flow is None or not flow.token_url:
        return connection_set
    parameters = tuple(
        dataclasses.replace(p, default=flow.token_url) if p.name == name and p.default is None else p
        for p in connection_set.parameters
    )
    return dataclasses.replace(connection_set, parameters=parameters)


def read_config(connector: dict[str, Any], api: Api) -> ConnectorConfig:
    """Typed view of a validated connector.yaml. Raises ConfigError when it does not fit the spec."""
    connection = connector.get("connection")
    if not connection:
        raise ConfigError("connector.yaml has no `connection` section: the connector could not authenticate", "")
    sets = tuple(
        ParameterSet(
            name=s["name"],
            display_name=s["displayName"],
            description=s["description"],
            auth=AuthSpec(
                kind=s["auth"]["kind"],
                header=s["auth"].get("header", ""),
                prefix=s["auth"].get("prefix", ""),
                parameter=s["auth"].get("parameter", ""),
                token_url_parameter=s["auth"].get("tokenUrlParameter", ""),
            ),
            parameters=tuple(_parameter(p) for p in s["parameters"]),
            pointer=f"/connection/sets/{i}",
        )
        for i, s in enumerate(connection["sets"])
    )
    sets = tuple(_with_token_url_default(s, api) for s in sets)
    dynamic = tuple(
        DynamicValues(
            d.get("parameter", ""),
            d.get("property", ""),
            tuple(d.get("operations", ())),
            DynamicSource(
                operation_id=d["source"]["operationId"],
                value_path=d["source"]["valuePath"],
                value_title=d["source"]["valueTitle"],
                value_collection=d["source"].get("valueCollection", ""),
                parameters=dict(d["source"].get("parameters", {})),
            ),
        )
        for d in connector.get("dynamicValues", ())
    )
    webhooks = tuple(
        WebhookTrigger(
            operation_id=t["operationId"],
            notification_url_property=t["notificationUrlProperty"],
            notification_schema=t["notificationSchema"],
            summary=t["summary"],
            description=" ".join(t["description"].split()),
            notification_description=t.get("notificationDescription", t["description"]),
            fixed=dict(t.get("fixed", {})),
            delete_operation_id=t["deleteOperationId"],
            hint=t.get("hint", ""),
            location_from_body=t.get("locationFromBody", ""),
            action=WebhookAction(
                operation_id=t["action"]["operationId"],
                path=t["action"]["path"],
                summary=t["action"]["summary"],
                description=" ".join(t["action"]["description"].split()),
            )
            if t.get("action")
            else None,
        )
        for t in connector.get("triggers", ())
        if t["kind"] == "webhook"
    )
    polling = tuple(
        PollingTrigger(
            operation_id=t["operationId"],
            source=t["source"],
            path=t["path"],
            summary=t["summary"],
            description=t["description"],
            batch=bool(t.get("batch", False)),
            state=dict(t["state"]),
            hint=t.get("hint", ""),
            initial=dict(t.get("initial", {})),
            pointer=f"/triggers/{i}",
        )
        for i, t in enumerate(connector.get("triggers", ()))
        if t["kind"] == "polling"
    )
    config = ConnectorConfig(
        raw=connector,
        metadata=_metadata(connector),
        sets=sets,
        environment=_environment(connection.get("environment"), api),
        sets_display_name=connection.get("displayName", "Authentication type"),
        sets_description=connection.get("description", "How to connect."),
        dynamic_values=dynamic,
        webhook_triggers=webhooks,
        polling_triggers=polling,
        lookups=tuple(
            Lookup(
                operation_id=item["operationId"],
                path=item["path"],
                summary=item["summary"],
                description=" ".join(item["description"].split()),
                source=item["source"],
                source_collection=item.get("sourceCollection", ""),
                items=item["items"],
                value=item["value"],
                title=item["title"],
                parent_title=item.get("parentTitle", ""),
                pointer=f"/lookups/{i}",
            )
            for i, item in enumerate(connector.get("lookups", ()))
        ),
        operations={
            k: OperationSettings(
                exclude=bool(v.get("exclude", False)),
                visibility=v.get("visibility"),
                path=str(v.get("path", "")),
                parameters=dict(v.get("parameters", {})),
                generic_test=v.get("genericTest"),
            )
            for k, v in connector.get("operations", {}).items()
        },
        keywords=tuple(connector.get("keywords", ())),
    )
    _check(config, api)
    return config


# How Power Platform pairs connection parameters with a security definition (the names are fixed):
# `api_key` with an apiKey definition, `username` and `password` with basic, as the published
# connectors do (55 of the 121 of tests/data/calibration use api_key/apiKey, 9 username/password/basic).
API_KEY_PARAMETER = "api_key"
BASIC_PARAMETERS = ("username", "password")


def security_definitions(config: ConnectorConfig) -> dict[str, Any]:
    """One definition per parameter set, named after it: `header` auth → apiKey in that header (a
    setheader policy adds the prefix); sign-in and client credentials, which the custom code turns
    into a token, → basic (the user name and password, or the client ID and secret as in RFC 6749
    client_secret_basic)."""
    out: dict[str, Any] = {}
    for connection_set in config.sets:
        if connection_set.auth.kind == "header":
            out[connection_set.name] = {"type": "apiKey", "in": "header", "name": connection_set.auth.header}
        else:
            out[connection_set.name] = {"type": "basic"}
    return out


def _check(config: ConnectorConfig, api: Api) -> None:
    for connection_set in config.sets:
        names = {p.name for p in connection_set.parameters}
        where = connection_set.pointer
        if connection_set.auth.kind == "header" and connection_set.auth.parameter != API_KEY_PARAMETER:
            raise ConfigError(
                f"set {connection_set.name!r}: the header credential must be the connection parameter {API_KEY_PARAMETER!r}"
                " (Power Platform pairs it with the apiKey security definition)",
                where + "/auth/parameter",
            )
        if connection_set.auth.kind != "header" and not set(BASIC_PARAMETERS) <= names:
            raise ConfigError(
                f"set {connection_set.name!r}: sign-in and client credentials need connection parameters "
                f"{' and '.join(BASIC_PARAMETERS)} (Power Platform pairs them with the basic security definition)",
                where + "/parameters",
            )
        listed = [p.name for p in config.all_parameters(connection_set)]
        own = set(listed)
        if len(own) != len(listed):
            raise ConfigError(f"set {connection_set.name!r}: connection parameter names must be unique", where + "/parameters")
        auth = connection_set.auth
        if auth.kind == "header" and auth.parameter not in own:
            raise ConfigError(f"set {connection_set.name!r}: auth parameter {auth.parameter!r} is not one of its parameters", where + "/auth/parameter")
        if auth.kind == "oauth2-client-credentials" and auth.token_url_parameter not in own:
            raise ConfigError(f"set {connection_set.name!r}: token URL parameter {auth.token_url_parameter!r} is missing", where + "/auth/tokenUrlParameter")
        if auth.kind in {"signin", "oauth2-client-credentials"}:
            scheme = auth_scheme(api)
            recipe = scheme.auth if scheme else None
            wanted = recipe.credentials if recipe is not None and recipe.declared else ()
            have = {p.credential for p in connection_set.parameters if p.credential}
            missing = [c for c in wanted if c not in have]
            if missing:
                raise ConfigError(f"set {connection_set.name!r}: no parameter carries credential(s) {', '.join(missing)}", where + "/parameters")
