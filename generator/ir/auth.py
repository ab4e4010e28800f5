"""The authentication recipe of a security scheme, as one typed value (a tagged union).

Built once, when the IR is built, from the scheme and its `x-connectorgen-auth` extension (or, without
the extension, from the scheme alone), and read by the mock, the Postman target and the Power
Platform target, so none of them parses the extension itself:

| recipe | wire form | from |
| --- | --- | --- |
| `KeyAuth` | `<prefix><credential>` in a header, query parameter or cookie | `kind: static`; `apiKey` schemes |
| `BearerAuth` | `Authorization: Bearer <credential>` | `kind: static` on an http bearer scheme; http bearer |
| `BasicAuth` | `Authorization: Basic base64(user:password)` | `kind: basic`; http basic |
| `ClientCredentials` | OAuth 2.0 client credentials grant, then a bearer token | `kind: oauth2-client-credentials`; oauth2 with a clientCredentials flow |
| `SignIn` | a sign-in operation answers a token, then a bearer token | `kind: signin` |
| `DelegatedOAuth` | other OAuth 2.0 flows / OpenID Connect (a person signs in) | `kind: oauth2`; other oauth2, openIdConnect |

`declared` tells a recipe written in the spec from one derived from the scheme. `auth_findings`
checks every recipe (an unknown kind, a sign-in operation that does not exist, placeholder
credentials that are not the recipe's); the spec rule `auth_recipe` (`spec/rules.py`) reports them
with line and column when a document is loaded, and `check_auth(api)` gives them for an IR.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from msgspec import Struct

from generator.problems import Finding, Level, Problem
from generator.util.pointer import split_pointer

if TYPE_CHECKING:
    from generator.ir.model import Api, OAuthFlow

__all__ = [
    "KINDS",
    "AuthRecipe",
    "BasicAuth",
    "BearerAuth",
    "ClientCredentials",
    "DelegatedOAuth",
    "KeyAuth",
    "SignIn",
    "auth_findings",
    "build_recipe",
    "check_auth",
    "primary_recipe",
]

KINDS = ("static", "basic", "oauth2-client-credentials", "signin", "oauth2")


class _Recipe(Struct, frozen=True, tag_field="type"):
    scheme: str  # the security scheme's name
    declared: bool = False  # written in the spec's x-connectorgen-auth (else derived from the scheme)
    mock_credentials: tuple[tuple[str, str], ...] = ()  # the local mock's placeholders
    pointer: str = ""  # the scheme's JSON pointer

    @property
    def credentials(self) -> tuple[str, ...]:
        raise NotImplementedError

    def mock_credential_map(self) -> dict[str, str]:
        return dict(self.mock_credentials)


class KeyAuth(_Recipe, frozen=True, tag="key"):
    """A static key: `<prefix><credential>` in the header, query parameter or cookie `name`."""

    credential: str = "apiKey"
    location: str = "header"  # header | query | cookie
    name: str = "Authorization"
    prefix: str = ""

    @property
    def credentials(self) -> tuple[str, ...]:
        return (self.credential,)


class BearerAuth(_Recipe, frozen=True, tag="bearer"):
    """A static token sent as `Authorization: Bearer <credential>`."""

    credential: str = "bearerToken"
    location: str = "header"
    name: str = "Authorization"
    prefix: str = "Bearer "

    @property
    def credentials(self) -> tuple[str, ...]:
        return (self.credential,)


class BasicAuth(_Recipe, frozen=True, tag="basic"):
    username: str = "username"
    password: str = "password"

    @property
    def credentials(self) -> tuple[str, ...]:
        return (self.username, self.password)


class ClientCredentials(_Recipe, frozen=True, tag="oauth2-client-credentials"):
    """OAuth 2.0 client credentials; the mock serves its own token endpoint at `mock_token_path`."""

    client_credentials: tuple[str, ...] = ("client_id", "client_secret")
    token_url: str = ""
    lifetime_seconds: int | None = None
    mock_token_path: str = "/connect/token"

    @property
    def credentials(self) -> tuple[str, ...]:
        return self.client_credentials


class SignIn(_Recipe, frozen=True, tag="signin"):
    """A sign-in operation: POST the credentials (plus `body`) and read the token at `token_pointer`."""

    operation_id: str = ""
    sign_in_credentials: tuple[str, ...] = ()
    body: dict[str, Any] = {}
    token_pointer: str = "/token"
    lifetime_seconds: int | None = None

    @property
    def credentials(self) -> tuple[str, ...]:
        return self.sign_in_credentials

    @property
    def token_path(self) -> tuple[str, ...]:
        """The token pointer as unescaped segments (`/a/b` → ("a", "b"))."""
        text = self.token_pointer
        return tuple(split_pointer(text if text.startswith("/") else "/" + text)) if text.strip("/") else ()


class DelegatedOAuth(_Recipe, frozen=True, tag="oauth2"):
    """OAuth 2.0 flows a person completes (authorization code, implicit, password) or OpenID Connect."""

    flow: str = ""

    @property
    def credentials(self) -> tuple[str, ...]:
        return ("client_id", "client_secret")


AuthRecipe = KeyAuth | BearerAuth | BasicAuth | ClientCredentials | SignIn | DelegatedOAuth


def _strings(value: Any, default: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list | tuple) and value else default


def _lifetime(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def build_recipe(
    name: str,
    kind: str,
    *,
    http_scheme: str = "",
    key_name: str = "",
    key_location: str = "",
    flows: tuple[OAuthFlow, ...] = (),
    extension: Any = None,
    pointer: str = "",
) -> AuthRecipe | None:
    """The recipe of scheme `name` (None when the scheme has none: mutual TLS, an unknown kind)."""
    spec = extension if isinstance(extension, dict) else None
    declared = spec is not None
    spec = spec or {}
    mock_raw = spec.get("mockCredentials")
    mock = tuple((str(k), str(v)) for k, v in mock_raw.items()) if isinstance(mock_raw, dict) else ()
    common: dict[str, Any] = {"scheme": name, "declared": declared, "mock_credentials": mock, "pointer": pointer}
    recipe_kind = str(spec.get("kind") or "") if declared else _derived_kind(kind, http_scheme, flows)
    token_flow = next((f for f in flows if f.kind == "clientCredentials"), None)
    if recipe_kind == "static":
        credential = str(spec.get("credential") or ("bearerToken" if kind == "http" and not declared else "apiKey"))
        prefix = str(spec.get("prefix") or ("Bearer " if kind == "http" and not declared else ""))
        if kind == "http" and http_scheme == "bearer" and prefix.strip().lower() == "bearer":
            return BearerAuth(**common, credential=credential, prefix=prefix)
        if kind == "apiKey" and key_location in ("header", "query", "cookie"):
            return KeyAuth(**common, credential=credential, location=key_location, name=key_name, prefix=prefix)
        return KeyAuth(**common, credential=credential, prefix=prefix)
    if recipe_kind == "basic":
        return BasicAuth(**common)
    if recipe_kind == "oauth2-client-credentials":
        return ClientCredentials(
            **common,
            client_credentials=_strings(spec.get("credentials"), ("client_id", "client_secret")),
            token_url=token_flow.token_url if token_flow else "",
            lifetime_seconds=_lifetime(spec.get("lifetimeSeconds")),
        )
    if recipe_kind == "signin":
        body = spec.get("body")
        return SignIn(
            **common,
            operation_id=str(spec.get("operationId") or ""),
            sign_in_credentials=_strings(spec.get("credentials"), ()),
            body=dict(body) if isinstance(body, dict) else {},
            token_pointer=str(spec.get("tokenPointer") or "/token"),
            lifetime_seconds=_lifetime(spec.get("lifetimeSeconds")),
        )
    if recipe_kind == "oauth2":
        return DelegatedOAuth(**common, flow=flows[0].kind if flows else "")
    return None


def _derived_kind(kind: str, http_scheme: str, flows: tuple[OAuthFlow, ...]) -> str:
    if kind == "http" and http_scheme == "basic":
        return "basic"
    if kind == "http" and http_scheme == "bearer":
        return "static"
    if kind == "apiKey":
        return "static"
    if kind == "oauth2" and any(f.kind == "clientCredentials" for f in flows):
        return "oauth2-client-credentials"
    if kind in ("oauth2", "openIdConnect"):
        return "oauth2"
    return ""


def primary_recipe(api: Api) -> AuthRecipe | None:
    """The recipe of the scheme carrying `x-connectorgen-auth` (the first one), else of the first scheme."""
    schemes = list(api.security_schemes.values())
    chosen = next((s for s in schemes if s.auth is not None and s.auth.declared), schemes[0] if schemes else None)
    return chosen.auth if chosen is not None else None


def auth_findings(schemes: Iterable[tuple[str, Any, AuthRecipe | None]], operation_ids: Iterable[str]) -> Iterator[Finding]:
    """A finding (its code, pointer and message) for each scheme (pointer, its `x-connectorgen-auth`, its recipe)."""
    known = set(operation_ids)
    for pointer, raw, recipe in schemes:
        where = pointer + "/x-connectorgen-auth"
        if raw is None:
            continue
        if not isinstance(raw, dict) or str(raw.get("kind") or "") not in KINDS:
            kind = raw.get("kind") if isinstance(raw, dict) else raw
            yield Finding(f"x-connectorgen-auth kind {kind!r} is not one of {', '.join(KINDS)}", where + "/kind", code="auth_kind")
            continue
        if isinstance(recipe, SignIn):
            if recipe.operation_id not in known:
                yield Finding(f"x-connectorgen-auth names sign-in operation {recipe.operation_id!r}, which does not exist", where + "/operationId", code="auth_signin_operation")
            if not recipe.credentials:
                yield Finding("a sign-in recipe needs `credentials`", where + "/credentials", code="auth_credentials")
        if recipe is not None and recipe.mock_credentials:
            given, wanted = set(recipe.mock_credential_map()), set(recipe.credentials)
            parts = [f"not credentials: {', '.join(sorted(given - wanted))}" if given - wanted else "", f"missing: {', '.join(sorted(wanted - given))}" if wanted - given else ""]
            if given != wanted:
                detail = "; ".join(p for p in parts if p)
                yield Finding(f"x-connectorgen-auth mockCredentials do not match the recipe's credentials ({detail})", where + "/mockCredentials", code="auth_mock_credentials")


def check_auth(api: Api) -> list[Problem]:
    """Located problems of the spec's authentication recipes (the spec rule `auth_recipe` reports
    the same findings, with line and column, when a document is loaded)."""
    schemes = [(s.pointer, s.extensions.get("x-connectorgen-auth"), s.auth) for s in api.security_schemes.values()]
    return [
        Problem(Level.ERROR, f.code, f.message, api.source_file, pointer=f.pointer)
        for f in auth_findings(schemes, (op.operation_id for op in api.operations))
    ]
