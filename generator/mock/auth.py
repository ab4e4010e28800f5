"""Credential enforcement for a mock, from the IR's authentication recipe (`generator/ir/auth.py`).

`MockAuth(recipe, credentials)`:
- `check(headers, query)`: True when the request carries valid credentials (the static key with its
  prefix, in a header, query parameter or cookie, `Basic` user:password, or a bearer token this mock issued and that has not expired);
- `issue()` / `token_endpoint` (a Starlette endpoint for `recipe.mock_token_path`): tokens for the client-credentials grant (`POST` form
  `grant_type=client_credentials` with the client credentials in the form or as HTTP Basic) and for a
  sign-in operation (`sign_in(body)`); tokens expire after the recipe's lifetime and expired ones are
  pruned whenever one is issued, and the store is bounded (the oldest tokens go first);
- `refused_status(api)`: 401, or the status the spec declares for missing credentials;
- `describe()`: the test credentials, printed at start and by `--describe`.

`authorization_for(client, api, describe)` is the client side: the `Authorization` header a test
client sends to a running mock (the contract runs use it).
"""

from __future__ import annotations

import base64
import binascii
import hmac
import secrets
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import parse_qs

import httpx
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from generator.ir.auth import (
    AuthRecipe,
    BasicAuth,
    BearerAuth,
    ClientCredentials,
    DelegatedOAuth,
    KeyAuth,
    SignIn,
    primary_recipe,
)
from generator.ir.model import Api

__all__ = ["MAX_TOKENS", "MockAuth", "authorization_for", "default_credentials"]

MAX_TOKENS = 10_000
_DEFAULT_LIFETIME = 3600


def default_credentials(recipe: AuthRecipe | None) -> dict[str, str]:
    """The recipe's `mockCredentials`, else fixed obviously fake placeholders (`mock-<name>`)."""
    if recipe is None:
        return {}
    given = recipe.mock_credential_map()
    return {name: given.get(name, f"mock-{name}") for name in recipe.credentials}


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8", "surrogatepass"), expected.encode("utf-8", "surrogatepass"))


def _header(headers: Mapping[str, str], name: str) -> str | None:
    """A header by case-insensitive name (Starlette's Headers already is; a plain dict may not be)."""
    value = headers.get(name)
    if value is None:
        lowered = name.lower()
        value = next((v for k, v in headers.items() if k.lower() == lowered), None)
    return value


def _cookie(header: str, name: str) -> str | None:
    """The value of cookie `name` in a `Cookie` header (`a=1; b=2`), else None."""
    for pair in header.split(";"):
        key, sep, value = pair.strip().partition("=")
        if sep and key == name:
            return value.strip()
    return None


def _basic(header: str) -> tuple[str, str] | None:
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        user, sep, password = base64.b64decode(value.strip(), validate=True).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    return (user, password) if sep else None


class MockAuth:
    def __init__(
        self,
        recipe: AuthRecipe | None,
        credentials: Mapping[str, str] | None = None,
        *,
        clock: Callable[[], float] = time.time,
        lifetime: float | None = None,
        max_tokens: int = MAX_TOKENS,
    ) -> None:
        self.recipe = recipe
        self.credentials = dict(credentials) if credentials is not None else default_credentials(recipe)
        self.clock = clock
        own = recipe.lifetime_seconds if isinstance(recipe, ClientCredentials | SignIn) else None
        self.lifetime = float(lifetime or own or _DEFAULT_LIFETIME)
        self.max_tokens = max_tokens
        self._tokens: OrderedDict[str, float] = OrderedDict()  # token -> expiry, oldest first

    # -- tokens -----------------------------------------------------------------------------------
    def issue(self) -> tuple[str, float]:
        """A new bearer token and its lifetime in seconds."""
        self.prune()
        while len(self._tokens) >= self.max_tokens:
            self._tokens.popitem(last=False)
        token = secrets.token_urlsafe(24)
        self._tokens[token] = self.clock() + self.lifetime
        return token, self.lifetime

    def prune(self) -> int:
        """Drop expired tokens; how many were dropped."""
        now = self.clock()
        expired = [t for t, expiry in self._tokens.items() if expiry <= now]
        for token in expired:
            del self._tokens[token]
        return len(expired)

    @property
    def token_count(self) -> int:
        return len(self._tokens)

    def _valid_token(self, token: str) -> bool:
        expiry = self._tokens.get(token)
        if expiry is None:
            return False
        if expiry <= self.clock():
            del self._tokens[token]
            return False
        return True

    # -- checking ---------------------------------------------------------------------------------
    def check(self, headers: Mapping[str, str], query: Mapping[str, str] | None = None) -> bool:
        """True when the request's credentials are valid for the recipe (no recipe: always)."""
        recipe = self.recipe
        if recipe is None:
            return True
        query = query or {}
        if isinstance(recipe, KeyAuth | BearerAuth):
            if recipe.location == "cookie":
                sent = _cookie(_header(headers, "cookie") or "", recipe.name)
            else:
                sent = _header(headers, recipe.name) if recipe.location == "header" else query.get(recipe.name)
            expected = recipe.prefix + self.credentials.get(recipe.credential, "")
            if sent is None:
                return False
            if recipe.prefix and sent[: len(recipe.prefix)].lower() == recipe.prefix.lower():
                sent = recipe.prefix + sent[len(recipe.prefix) :]  # the scheme word is case-insensitive
            return _same(sent, expected)
        authorization = _header(headers, "authorization") or ""
        if isinstance(recipe, BasicAuth):
            pair = _basic(authorization)
            return pair is not None and _same(pair[0], self.credentials.get(recipe.username, "")) & _same(pair[1], self.credentials.get(recipe.password, ""))
        if isinstance(recipe, ClientCredentials | SignIn | DelegatedOAuth):
            scheme, _, token = authorization.partition(" ")
            return scheme.lower() == "bearer" and self._valid_token(token.strip())
        return False

    def check_control(self, headers: Mapping[str, str]) -> bool:
        """The `_mock` control endpoints: the API's own credentials (a valid key or token), or HTTP
        Basic with the first two test credentials (for recipes whose credentials are not sent as such)."""
        if self.recipe is None or self.check(headers):
            return True
        pair = _basic(_header(headers, "authorization") or "")
        names = list(self.recipe.credentials)
        if pair is None or len(names) < 2:
            return False
        return _same(pair[0], self.credentials.get(names[0], "")) & _same(pair[1], self.credentials.get(names[1], ""))

    def client_credentials_valid(self, form: Mapping[str, str], authorization: str = "") -> bool:
        """A client-credentials token request: the credentials in the form or as HTTP Basic."""
        if not isinstance(self.recipe, ClientCredentials) or form.get("grant_type") != "client_credentials":
            return False
        names = list(self.recipe.credentials)
        given = {name: form.get(name, "") for name in names}
        pair = _basic(authorization)
        if pair is not None and len(names) >= 2:
            given[names[0]], given[names[1]] = pair
        results = [_same(given[name], self.credentials.get(name, "")) for name in names]
        return all(results)

    async def token_endpoint(self, request: Request) -> Response:
        """`POST <mock_token_path>`: the mock's own OAuth 2.0 token endpoint (client credentials grant,
        RFC 6749 section 4.4), answering the RFC's error objects."""
        raw = await request.body()
        form = {k: v[0] for k, v in parse_qs(raw.decode("utf-8", "replace")).items()}
        if form.get("grant_type") != "client_credentials":
            return JSONResponse({"error": "unsupported_grant_type"}, 400)
        if not self.client_credentials_valid(form, request.headers.get("authorization", "")):
            return JSONResponse({"error": "invalid_client"}, 401, headers={"WWW-Authenticate": "Basic"})
        token, lifetime = self.issue()
        body = {"access_token": token, "token_type": "Bearer", "expires_in": int(lifetime)}
        return JSONResponse(body, headers={"Cache-Control": "no-store"})

    def sign_in(self, body: Any) -> str | None:
        """A token for a sign-in body carrying every credential of the recipe, else None."""
        if not isinstance(self.recipe, SignIn) or not isinstance(body, dict):
            return None
        results = [isinstance(body.get(n), str) and _same(body[n], self.credentials.get(n, "")) for n in self.recipe.credentials]
        return self.issue()[0] if results and all(results) else None

    def refused_status(self, api: Api) -> int:
        """401, or the single 4xx status the secured operations declare for missing credentials."""
        declared: set[int] = set()
        for op in api.operations:
            if not api.effective_security(op):
                continue
            codes = {int(r.status) for r in op.responses if r.status.isdigit()}
            if 401 in codes:
                return 401
            declared |= {c for c in codes if c == 403}
        return 403 if declared else 401

    # -- describing -------------------------------------------------------------------------------
    def describe(self) -> dict[str, Any]:
        """What a client needs: the credentials by the API's names, and where they go."""
        recipe = self.recipe
        out: dict[str, Any] = {"credentials": dict(self.credentials)}
        if isinstance(recipe, KeyAuth | BearerAuth):
            out["send"] = f"{recipe.location} {recipe.name}: {recipe.prefix}<{recipe.credential}>"
        elif isinstance(recipe, BasicAuth):
            out["send"] = "header Authorization: Basic base64(username:password)"
        elif isinstance(recipe, ClientCredentials):
            out["tokenPath"] = recipe.mock_token_path
            out["send"] = "header Authorization: Bearer <access_token from the token endpoint>"
        elif isinstance(recipe, SignIn):
            out["signIn"] = recipe.operation_id
            out["send"] = "header Authorization: Bearer <token from the sign-in operation>"
        return out

    def banner(self, base_url: str) -> str:
        """The start-up lines: base URL and test credentials."""
        lines = [f"mock listening on {base_url}"]
        for name, value in self.credentials.items():
            lines.append(f"  test credential {name}: {value}")
        send = self.describe().get("send")
        if send:
            lines.append(f"  send: {send}")
        return "\n".join(lines)


def _operation_path(api: Api, operation_id: str) -> str:
    for op in api.operations:
        if op.operation_id == operation_id:
            return op.path
    raise LookupError(f"no operation {operation_id}")


async def authorization_for(client: httpx.AsyncClient, api: Api, describe: Mapping[str, Any]) -> str:
    """The Authorization header value for the mock behind `client`, from its `--describe` document."""
    recipe = primary_recipe(api)
    creds: dict[str, str] = dict(describe["credentials"])
    if isinstance(recipe, KeyAuth | BearerAuth):
        return f"{recipe.prefix}{creds[recipe.credential]}"
    if isinstance(recipe, BasicAuth):
        raw = f"{creds[recipe.username]}:{creds[recipe.password]}".encode()
        return "Basic " + base64.b64encode(raw).decode("ascii")
    if isinstance(recipe, ClientCredentials):
        token_url = describe.get("tokenUrl") or recipe.token_url
        data = {"grant_type": "client_credentials", **{name: creds[name] for name in recipe.credentials}}
        answer = (await client.post(httpx.URL(str(token_url)).path, data=data)).raise_for_status().json()
        return f"Bearer {answer['access_token']}"
    if isinstance(recipe, SignIn):
        body = {**{name: creds[name] for name in recipe.credentials}, **recipe.body}
        answer = (await client.post(_operation_path(api, recipe.operation_id), json=body)).raise_for_status().json()
        for part in recipe.token_path:
            answer = answer[part]
        return f"Bearer {answer}"
    raise LookupError("the spec has no security scheme the mock can authenticate")
