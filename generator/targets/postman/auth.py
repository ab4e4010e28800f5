"""Collection-level auth from the API's security scheme and its `x-connectorgen-auth` extension.

- signin: a pre-request script signs in (`pm.sendRequest`) when no unexpired token is cached; the
  collection's bearer auth sends the cached token.
- oauth2-client-credentials: Postman's native oauth2 auth (the app fetches tokens itself) plus a
  pre-request script doing the same for newman, which does not.
- static: bearer (`Bearer <credential>`) or an API-key header/query value with the scheme's prefix.
Without the extension the scheme itself decides (bearer, basic, API key, OAuth2 flows). Credentials
are `{{variables}}` named as the vendor names them, declared once, in the environments, typed
secret: empty in the real environments, the mock's placeholders (`mockCredentials` of the extension)
in the mock environment. The scripts take a credential from the first scope that gives it a value
(environment, collection, globals), so credentials set in the collection's Variables tab, as some
vendors' guides say, work with an environment selected. Tokens the scripts fetch are cached in the
active environment (and the request's local scope), never in the collection.
"""

from __future__ import annotations

from typing import Any

from msgspec import Struct, field

from generator.ir.auth import (
    AuthRecipe,
    BasicAuth,
    BearerAuth,
    ClientCredentials,
    DelegatedOAuth,
    KeyAuth,
    SignIn,
)
from generator.ir.model import Api, Operation, SecurityScheme
from generator.problems import Level, Problem
from generator.targets.postman.schema import has_pointer

__all__ = ["AuthPlan", "Variable", "item_auth", "plan_auth"]

TOKEN_VAR = "accessToken"
EXPIRY_VAR = "accessTokenExpiresAt"
SERVER_VAR = "accessTokenServer"
_TOKEN_FIELDS = ("token", "access_token", "accessToken", "jwt", "id_token", "idToken")


class Variable(Struct, frozen=True):
    key: str
    value: str = ""
    description: str = ""
    secret: bool = False
    in_environments: bool = False
    env_values: tuple[tuple[str, str], ...] = ()  # (environment name, value) overriding `value`
    in_collection: bool = True


class AuthPlan(Struct):
    kind: str  # signin | oauth2-client-credentials | static | basic | oauth2 | none
    scheme_name: str = ""
    auth: dict[str, Any] | None = None  # the collection's Postman auth
    variables: list[Variable] = field(default_factory=list)
    script: str = ""  # collection pre-request JavaScript
    credentials: frozenset[str] = frozenset()
    sign_in_operation: str = ""
    problems: list[Problem] = field(default_factory=list)


def _attrs(**values: Any) -> list[dict[str, Any]]:
    return [{"key": k, "value": v, "type": "boolean" if isinstance(v, bool) else "string"} for k, v in values.items()]


def _secret(name: str, what: str, mock: dict[str, str] | None = None, scripted: bool = False) -> Variable:
    placeholder = (mock or {}).get(name)
    env_values = (("mock", placeholder),) if placeholder else ()
    where = (
        " Secret: set it in your environment, or in the collection's Variables tab (the collection's script"
        " uses the first non-empty value of the environment, the collection and the globals)."
        if scripted
        else " Secret: set it in your environment."
    )
    return Variable(name, "", what + where, True, True, env_values, in_collection=False)


def _static_auth(scheme: SecurityScheme, credential: str, prefix: str) -> dict[str, Any]:
    value = prefix + "{{" + credential + "}}"
    if prefix.strip().lower() == "bearer" and (scheme.kind == "http" or scheme.key_name.lower() == "authorization"):
        return {"type": "bearer", "bearer": _attrs(token="{{" + credential + "}}")}
    if scheme.kind == "apiKey" and scheme.key_location in ("header", "query"):
        where = "header" if scheme.key_location == "header" else "query"
        return {"type": "apikey", "apikey": _attrs(key=scheme.key_name, value=value, **{"in": where})}
    return {"type": "apikey", "apikey": _attrs(key="Authorization", value=value, **{"in": "header"})}


def _scheme_for(api: Api) -> tuple[SecurityScheme | None, tuple[str, ...]]:
    """The API-wide scheme, or (no top-level `security`) the one most operations require."""
    requirements = list(api.security)
    if not requirements:
        counts: dict[tuple[str, tuple[str, ...]], int] = {}
        for op in api.operations:
            first = next((s for r in op.security or () for s in r.schemes if s[0] in api.security_schemes), None)
            if first is not None:
                counts[first] = counts.get(first, 0) + 1
        if counts:
            name, scopes = max(sorted(counts), key=lambda k: counts[k])
            return api.security_schemes[name], scopes
    for requirement in requirements:
        for name, scopes in requirement.schemes:
            if name in api.security_schemes:
                return api.security_schemes[name], scopes
    return None, ()


def _infer_signin(api: Api, scheme: SecurityScheme) -> SignIn | None:
    """Without the extension, a bearer API with an unauthenticated POST answering a token field is
    taken for a sign-in flow (credentials: the string fields of its body)."""
    for op in api.operations:
        requirements = api.effective_security(op)
        open_access = not requirements or any(not r.schemes for r in requirements)
        if op.method != "post" or not open_access or op.request_body is None:
            continue
        media = op.request_body.media()
        body = api.resolve_schema(media.schema if media else None)
        if not isinstance(body, dict) or not isinstance(body.get("properties"), dict):
            continue
        for response in op.success_responses:
            answer = response.media()
            field_name = next(
                (f for f in _TOKEN_FIELDS if answer and has_pointer(api, answer.schema, [f])), None
            )
            if field_name is None:
                continue
            props = body["properties"]
            credentials = [k for k, v in props.items() if (api.resolve_schema(v) or {}).get("type") == "string"]
            example: Any = next((e.value for e in media.examples), {}) if media else {}
            example = example if isinstance(example, dict) else {}
            constant = {k: v for k, v in example.items() if k in props and k not in credentials}
            return SignIn(
                scheme.name,
                pointer=scheme.pointer,
                operation_id=op.operation_id,
                sign_in_credentials=tuple(credentials),
                body=constant,
                token_pointer="/" + field_name,
            )
    return None


def plan_auth(api: Api) -> AuthPlan:
    scheme, scopes = _scheme_for(api)
    if scheme is None:
        return AuthPlan("none")
    recipe: AuthRecipe | None = scheme.auth
    if isinstance(recipe, BearerAuth) and not recipe.declared:
        recipe = _infer_signin(api, scheme) or recipe
    plan = AuthPlan(_KIND.get(type(recipe), "none"), scheme.name)
    if isinstance(recipe, SignIn):
        _signin(api, scheme, recipe, plan)
    elif isinstance(recipe, ClientCredentials):
        _client_credentials(scheme, recipe, scopes, plan)
    elif isinstance(recipe, KeyAuth | BearerAuth):
        plan.credentials = frozenset({recipe.credential})
        plan.variables.append(_secret(recipe.credential, f"The {scheme.name} credential.", recipe.mock_credential_map()))
        plan.auth = _static_auth(scheme, recipe.credential, recipe.prefix)
    elif isinstance(recipe, BasicAuth):
        plan.credentials = frozenset({"username", "password"})
        plan.variables += [_secret("username", "Basic auth user name."), _secret("password", "Basic auth password.")]
        plan.auth = {"type": "basic", "basic": _attrs(username="{{username}}", password="{{password}}")}
    elif isinstance(recipe, DelegatedOAuth):
        _native_oauth2(scheme, plan)
    else:
        plan.problems.append(
            Problem(Level.WARNING, "postman_auth_unsupported", f"security scheme {scheme.name!r} ({scheme.kind}) has no Postman equivalent; requests carry no auth", api.source_file, pointer=scheme.pointer)
        )
    return plan


_KIND: dict[type, str] = {
    SignIn: "signin",
    ClientCredentials: "oauth2-client-credentials",
    KeyAuth: "static",
    BearerAuth: "static",
    BasicAuth: "basic",
    DelegatedOAuth: "oauth2",
}


def _token_cache(plan: AuthPlan) -> None:
    """Declared in the environments only: a collection that is exported or shared carries no token."""
    plan.variables += [
        Variable(TOKEN_VAR, "", "Token cached by the collection's pre-request script.", True, True, in_collection=False),
        Variable(EXPIRY_VAR, "", "When the cached token expires (milliseconds since 1970).", in_environments=True, in_collection=False),
        Variable(SERVER_VAR, "", "The server the cached token was issued for.", in_environments=True, in_collection=False),
    ]


def _signin(api: Api, scheme: SecurityScheme, recipe: SignIn, plan: AuthPlan) -> None:
    op_id = recipe.operation_id
    try:
        op: Operation | None = api.operation(op_id)
    except KeyError:
        op = None
    credentials = list(recipe.credentials)
    plan.credentials = frozenset(credentials)
    plan.sign_in_operation = op_id
    plan.variables += [_secret(c, f"Sign-in credential {c!r}.", recipe.mock_credential_map(), True) for c in credentials]
    _token_cache(plan)
    plan.auth = {"type": "bearer", "bearer": _attrs(token="{{" + TOKEN_VAR + "}}")}
    if op is None:
        plan.problems.append(
            Problem(Level.ERROR, "postman_signin_operation", f"x-connectorgen-auth names sign-in operation {op_id!r}, which does not exist", api.source_file, pointer=scheme.pointer)
        )
        return
    pointer = recipe.token_pointer
    tokens = list(recipe.token_path)
    from generator.targets.postman.prerequest import signin_script  # only APIs that sign in need it

    plan.script = signin_script(
        operation_id=op_id,
        auth_type="bearer",
        token_var=TOKEN_VAR,
        expiry_var=EXPIRY_VAR,
        server_var=SERVER_VAR,
        lifetime_seconds=recipe.lifetime_seconds or 3600,
        constant_body=recipe.body,
        credentials=credentials,
        path=op.path,
        method=op.method.upper(),
        token_path=tokens,
        token_pointer=pointer,
    )


def _client_credentials(scheme: SecurityScheme, recipe: ClientCredentials, scopes: tuple[str, ...], plan: AuthPlan) -> None:
    credentials = list(recipe.credentials)
    client_id, client_secret = [*credentials, "client_id", "client_secret"][:2]
    plan.credentials = frozenset(credentials)
    plan.variables += [_secret(c, f"OAuth2 client credential {c!r}.", recipe.mock_credential_map(), True) for c in credentials]
    plan.variables.append(
        Variable(
            "tokenUrl",
            recipe.token_url,
            "OAuth2 token endpoint (client credentials grant).",
            in_environments=True,
            env_values=(("mock", "{{baseUrl}}" + recipe.mock_token_path),),
        )
    )
    _token_cache(plan)
    scope = " ".join(scopes)
    plan.auth = {
        "type": "oauth2",
        "oauth2": _attrs(
            grant_type="client_credentials",
            accessTokenUrl="{{tokenUrl}}",
            clientId="{{" + client_id + "}}",
            clientSecret="{{" + client_secret + "}}",
            client_authentication="body",
            addTokenTo="header",
            tokenName=f"{scheme.name} client credentials",
            **({"scope": scope} if scope else {}),
        ),
    }
    from generator.targets.postman.prerequest import client_credentials_script

    plan.script = client_credentials_script(
        auth_type="oauth2",
        token_url_var="tokenUrl",
        token_var=TOKEN_VAR,
        expiry_var=EXPIRY_VAR,
        server_var=SERVER_VAR,
        credentials=credentials,
        scope=scope,
        lifetime_seconds=recipe.lifetime_seconds or 300,
    )


def _native_oauth2(scheme: SecurityScheme, plan: AuthPlan) -> None:
    """Other OAuth2 flows and OpenID Connect: the Postman app's own token dialog (no script)."""
    grants = {"authorizationCode": "authorization_code", "implicit": "implicit", "password": "password_credentials"}
    flow = next(iter(scheme.flows), None)
    plan.credentials = frozenset({"client_id", "client_secret"})
    plan.variables += [_secret("client_id", "OAuth2 client id."), _secret("client_secret", "OAuth2 client secret.")]
    values: dict[str, Any] = {
        "grant_type": grants.get(flow.kind, "authorization_code") if flow else "authorization_code",
        "clientId": "{{client_id}}",
        "clientSecret": "{{client_secret}}",
        "addTokenTo": "header",
    }
    if flow is not None and flow.authorization_url:
        values["authUrl"] = flow.authorization_url
    if flow is not None and flow.token_url:
        values["accessTokenUrl"] = flow.token_url
    plan.auth = {"type": "oauth2", "oauth2": _attrs(**values)}


def item_auth(api: Api, op: Operation, plan: AuthPlan, extra: list[Variable]) -> dict[str, Any] | None:
    """The request's own auth, or None when it inherits the collection's. Variables of other
    schemes it needs are appended to `extra`."""
    if op.operation_id == plan.sign_in_operation and plan.sign_in_operation:
        return {"type": "noauth"}
    requirements = api.effective_security(op)
    if any(name == plan.scheme_name for r in requirements for name, _ in r.schemes):
        return None
    if not requirements or any(not r.schemes for r in requirements):
        return {"type": "noauth"} if plan.auth is not None else None
    for r in requirements:
        for name, _ in r.schemes:
            scheme = api.security_schemes.get(name)
            if scheme is None:
                continue
            recipe = scheme.auth
            if isinstance(recipe, KeyAuth | BearerAuth) and recipe.declared:
                credential, prefix = recipe.credential, recipe.prefix
            elif scheme.kind in ("apiKey", "http") and scheme.scheme != "basic":
                credential = f"{name}Key" if scheme.kind == "apiKey" else f"{name}Token"
                prefix = "Bearer " if scheme.kind == "http" else ""
            else:
                continue
            extra.append(_secret(credential, f"The {name} credential."))
            return _static_auth(scheme, credential, prefix)
    return None
