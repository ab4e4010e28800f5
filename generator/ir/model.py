"""The target-neutral intermediate representation every renderer works from.

Built once per spec by `generator.ir.build_api`; targets read only these records, never the raw
spec. Schemas stay JSON Schema (2020-12, as OpenAPI 3.1 has them) because every consumer speaks it;
inside a schema, `$ref` is always `#/components/schemas/<Name>` and `Api.schemas` holds the targets,
so recursive schemas stay finite. Every object keeps `pointer`, its JSON pointer in the bundled spec,
for problems and loss reports.
"""

from __future__ import annotations

from typing import Any, Literal

from msgspec import Struct, field

from generator.ir.auth import AuthRecipe
from generator.util.media import media_base
from generator.util.pointer import unescape_pointer

__all__ = [
    "Api",
    "Callback",
    "Contact",
    "Example",
    "Header",
    "JsonSchema",
    "Link",
    "MediaType",
    "OAuthFlow",
    "Operation",
    "Parameter",
    "RequestBody",
    "Response",
    "SecurityRequirement",
    "SecurityScheme",
    "Server",
    "ServerVariable",
    "Tag",
    "Variant",
    "Webhook",
]

JsonSchema = dict[str, Any]
ParameterLocation = Literal["path", "query", "header", "cookie"]
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


class Example(Struct, frozen=True):
    name: str
    value: Any
    summary: str = ""
    description: str = ""
    external_value: str = ""


class ServerVariable(Struct, frozen=True):
    name: str
    default: str
    enum: tuple[str, ...] = ()
    description: str = ""


class Server(Struct, frozen=True):
    url: str
    description: str = ""
    variables: tuple[ServerVariable, ...] = ()

    @property
    def resolved_url(self) -> str:
        """The URL with every variable replaced by its default."""
        url = self.url
        for variable in self.variables:
            url = url.replace("{" + variable.name + "}", variable.default)
        return url


class Contact(Struct, frozen=True):
    name: str = ""
    url: str = ""
    email: str = ""


class Tag(Struct, frozen=True):
    name: str
    description: str = ""


class OAuthFlow(Struct, frozen=True):
    kind: Literal["clientCredentials", "authorizationCode", "implicit", "password"]
    token_url: str = ""
    authorization_url: str = ""
    refresh_url: str = ""
    scopes: tuple[tuple[str, str], ...] = ()


class SecurityScheme(Struct, frozen=True):
    """`kind` is the OpenAPI `type`; for `http`, `scheme` is e.g. `bearer` or `basic`."""

    name: str
    kind: Literal["apiKey", "http", "oauth2", "openIdConnect", "mutualTLS"]
    description: str = ""
    scheme: str = ""
    bearer_format: str = ""
    key_name: str = ""
    key_location: str = ""
    flows: tuple[OAuthFlow, ...] = ()
    open_id_connect_url: str = ""
    extensions: dict[str, Any] = field(default_factory=dict)  # e.g. x-connectorgen-auth
    pointer: str = ""
    auth: AuthRecipe | None = None  # the authentication recipe (generator/ir/auth.py)


class SecurityRequirement(Struct, frozen=True):
    """One alternative of a `security` list: every scheme in it applies together."""

    schemes: tuple[tuple[str, tuple[str, ...]], ...]


class Parameter(Struct, frozen=True):
    name: str
    location: ParameterLocation
    required: bool
    schema: JsonSchema
    description: str = ""
    deprecated: bool = False
    example: Any = None
    has_example: bool = False
    examples: tuple[Example, ...] = ()
    style: str = ""
    explode: bool | None = None
    extensions: dict[str, Any] = field(default_factory=dict)
    pointer: str = ""

    def example_value(self) -> tuple[bool, Any]:
        """(found, value): the parameter example, else its first named example, else the schema's."""
        if self.has_example:
            return True, self.example
        if self.examples:
            return True, self.examples[0].value
        return schema_example(self.schema)


class MediaType(Struct, frozen=True):
    content_type: str
    schema: JsonSchema | None
    examples: tuple[Example, ...] = ()
    encoding: dict[str, Any] = field(default_factory=dict)
    pointer: str = ""

    @property
    def is_json(self) -> bool:
        base = media_base(self.content_type)
        return base == "application/json" or base.endswith("+json")


def pick_media(contents: tuple[MediaType, ...], prefer_json: bool = True) -> MediaType | None:
    """The JSON media type if there is one (and it is preferred), else the first."""
    if prefer_json:
        for media in contents:
            if media.is_json:
                return media
    return contents[0] if contents else None


class RequestBody(Struct, frozen=True):
    required: bool
    contents: tuple[MediaType, ...]
    description: str = ""
    pointer: str = ""

    def media(self, prefer_json: bool = True) -> MediaType | None:
        return pick_media(self.contents, prefer_json)


class Header(Struct, frozen=True):
    name: str
    schema: JsonSchema
    description: str = ""
    required: bool = False
    example: Any = None
    has_example: bool = False
    pointer: str = ""


class Link(Struct, frozen=True):
    name: str
    operation_id: str
    parameters: dict[str, Any] = field(default_factory=dict)
    request_body: Any = None
    description: str = ""
    pointer: str = ""


class Response(Struct, frozen=True):
    status: str  # "200", "4XX" or "default"
    description: str
    contents: tuple[MediaType, ...] = ()
    headers: tuple[Header, ...] = ()
    links: tuple[Link, ...] = ()
    pointer: str = ""

    @property
    def is_success(self) -> bool:
        return self.status.startswith("2")

    def media(self, prefer_json: bool = True) -> MediaType | None:
        return pick_media(self.contents, prefer_json)


class Variant(Struct, frozen=True):
    """One of several actions a single wire operation stands for (`x-connectorgen-variants`).

    E.g. Eevion's `POST /session` lists sessions or starts one, depending on the body.
    """

    operation_id: str
    summary: str
    description: str
    request_schema: JsonSchema | None
    response_schema: JsonSchema | None
    example: str = ""


class Operation(Struct):
    operation_id: str
    method: str  # lower case
    path: str
    summary: str
    description: str
    tags: tuple[str, ...]
    parameters: tuple[Parameter, ...]
    request_body: RequestBody | None
    responses: tuple[Response, ...]
    security: tuple[SecurityRequirement, ...] | None  # None: the API default applies
    deprecated: bool = False
    callbacks: tuple[Callback, ...] = ()
    variants: tuple[Variant, ...] = ()
    extensions: dict[str, Any] = field(default_factory=dict)
    pointer: str = ""
    operation_id_generated: bool = False  # the spec had none; the builder named it path + method

    @property
    def success_responses(self) -> tuple[Response, ...]:
        return tuple(r for r in self.responses if r.is_success)

    def response(self, status: str) -> Response | None:
        return next((r for r in self.responses if r.status == status), None)

    def parameters_in(self, location: ParameterLocation) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if p.location == location)


class Callback(Struct):
    """A request the API sends to a URL the caller supplies (OpenAPI `callbacks`)."""

    name: str
    expression: str  # e.g. "{$request.body#/url}"
    operations: tuple[Operation, ...]
    pointer: str = ""


class Webhook(Struct):
    """A request the API sends to a URL configured out of band (OpenAPI 3.1 `webhooks`)."""

    name: str
    operations: tuple[Operation, ...]
    pointer: str = ""


class Api(Struct):
    title: str
    version: str
    description: str
    openapi_version: str  # "3.0.3", "3.1.0"
    servers: tuple[Server, ...]
    tags: tuple[Tag, ...]
    operations: tuple[Operation, ...]
    schemas: dict[str, JsonSchema]
    security_schemes: dict[str, SecurityScheme]
    security: tuple[SecurityRequirement, ...]
    webhooks: tuple[Webhook, ...] = ()
    contact: Contact = field(default_factory=Contact)
    license_name: str = ""
    extensions: dict[str, Any] = field(default_factory=dict)
    source_file: str = ""

    def operation(self, operation_id: str) -> Operation:
        for op in self.operations:
            if op.operation_id == operation_id:
                return op
        raise KeyError(operation_id)

    def effective_security(self, op: Operation) -> tuple[SecurityRequirement, ...]:
        return self.security if op.security is None else op.security

    def resolve_schema(self, schema: JsonSchema | None) -> JsonSchema | None:
        """Follow a top-level `#/components/schemas/X` ref (one level; nested refs stay)."""
        seen: set[str] = set()
        while schema is not None and isinstance(schema.get("$ref"), str):
            name = schema_ref_name(schema["$ref"])
            if name is None or name in seen or name not in self.schemas:
                return schema
            seen.add(name)
            schema = self.schemas[name]
        return schema


def schema_ref_name(ref: str) -> str | None:
    prefix = "#/components/schemas/"
    if ref.startswith(prefix):
        return unescape_pointer(ref[len(prefix) :])
    return None


def schema_example(schema: JsonSchema | None) -> tuple[bool, Any]:
    """(found, value) from a schema's `example`, `examples[0]`, `default`, `const` or single enum."""
    if not isinstance(schema, dict):
        return False, None
    if "example" in schema:
        return True, schema["example"]
    examples = schema.get("examples")
    if isinstance(examples, list) and examples:
        return True, examples[0]
    for key in ("default", "const"):
        if key in schema:
            return True, schema[key]
    enum = schema.get("enum")
    if isinstance(enum, list) and enum:
        return True, enum[0]
    return False, None
