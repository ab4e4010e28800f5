"""The generic engine: a stateful mock of any OpenAPI 3.0/3.1 document, from the spec alone.

Resources come from `resources.py` (collection/item pairing, singletons, read-only collections,
envelopes, roles, id fields). Per role:
- create (`POST /things`): the body, its id field set to a new id (integer ids count up, `uuid`
  ids are name-based UUIDs of `--seed` and a counter, other strings a hex digest), completed to the
  item schema; answered with the create operation's success status (201 when documented), the item
  and `Location: /things/{id}` when an item path exists (an absolute URL when the spec declares the
  header with `format: uri`). A client-chosen id: when the request schema declares the id field
  (not read-only) and the body carries it, the item keeps it, stored as a path parameter carrying it
  arrives (decoded once); an id already taken answers 409 when the operation documents 409.
- read / replace (`PUT`) / update (`PATCH`, a JSON merge of the body) / delete: by the item path
  parameter within the parent scope; an id the store does not hold answers 404 with the body the
  spec documents for 404 (its example, else a value built from its schema). A `PUT` of an unknown
  id creates it when the operation documents no 404; a `PUT` keeps the stored properties its request
  schema does not declare (the id, a field the update may not change). An operation documenting no
  404 at all answers an unknown id from its examples, as a stateless mock would. A delete answers
  the deleted item when its response schema declares the id field, else the response's example
  (an empty envelope).
- nested paths: every parent item named in a request's path (`/users/{userId}` in
  `/users/{userId}/vehicles/...` or `/users/{userId}/start`) must be stored, else 404 (as above);
  deleting an item deletes the items and singletons of every collection below it, and a parent
  created under a client-chosen id starts without children.
- embedded element (`GET /locations/{id}/{evse_uid}`, see `_embedding`): the element of the
  stored item's array property that the trailing parameters name; 404 when there is none.
- singleton (`GET`/`PUT` on a path below an item, no id of its own): `PUT` stores the body, `GET`
  answers what was stored, else the example.
- list (`GET /things`): the stored items of the scope. Query parameters recognised by name:
  page size `limit`, `per_page`, `page_size`, `pageSize`, `size`, `top`, `$top`, `max_results`,
  `maxResults`, `count`; start `offset`, `skip`, `$skip`, `start`; page number `page`, `pageNumber`,
  `page_number` (1-based unless its schema's minimum is 0); cursor `cursor`, `after`, `next`,
  `nextToken`, `next_token`, `pageToken`, `page_token`, `starting_after` (an opaque string: the
  decimal offset of the next item, which the answer carries in a `next`/`nextCursor`/`cursor`/
  `nextPageToken`/`next_page_token` property where the list schema has one); a parameter's default
  applies when it is not sent. Date-time range: a `format: date-time` query parameter named
  `date_from`, `from`, `since`, `start_date`, `updated_since`, `created_after`... (inclusive) or
  `date_to`, `to`, `until`, `end_date`, `updated_before`, `before`... (exclusive) bounds the item's
  date-time field (`last_updated`, `updated_at`, `updatedAt`, ... `created_at`, `timestamp`, else
  its only date-time property). Any other query parameter named like a top-level item property
  filters by equality of its text. A list schema that is an object carries the items in its first
  array property among `data`, `items`, `results`, `content`, `records`, `value`, `<name>`, else its
  first array property; `total`, `count`, `totalCount`, `total_count` integer properties get the
  filtered count. Paging headers the list response declares: `X-Total-Count` (`X-Total`,
  `Total-Count`, ...) the filtered count, `X-Limit` (`X-Per-Page`, `X-Page-Size`) the page size,
  `Link` the URL of the next page (`<...>; rel="next"`, the request's query with the offset, page or
  cursor moved on), left out on the last page.
- list answers are cached: made once, with their contract check, per change of their list in the
  store (`Store.version`: any put, delete, cascade or reset of that collection and scope) and per
  request shape — the operation, the store scope (`store_scope`), the path, the query as sent (its
  order shapes `Link`), the header parameters, the base URL when a `Link` is answered, and the
  second when the answer carries a `timestamp` (see envelopes). The cache keeps the serialised
  body (an override's `generic()` gets its own copy of the value), at most 256 answers and 32 MB
  (least recently used first out). Making a list again does each stored item's work (`public`,
  conformed to the items schema, validated) once per put of that item (`Store.entries` ticks), and
  an array schema asking nothing beyond its items' schema is not validated again as a whole, nor
  by the contract check (an empty array is valid wherever its items are). Overrides change stored
  items through the store (`store.put`), never in place: the cache sees only the store's changes.
- envelopes: an answer whose schema wraps the item (`{data, status_code, status_message,
  timestamp}`, see `resources.py`) carries the item in `data` and the rest from the response's
  example; a top-level `timestamp` date-time property is the time of the answer.
- answers leave out the properties the requests declare write-only, and those the requests declare
  but the answer's schema does not (a secret, registration fields a `{thingId}` answer omits); the
  store keeps them for overrides.
- everything else: the documented success status with the spec's example (when it validates),
  else a value built from the schema (`synth.py`).
Errors: the operation's documented response for the status (its example, else a value of its
schema), told about the error where the body still validates: the first of `message`, `detail`,
`error_description`, `status_message`, `error_message` gets the message, an integer `status` the
HTTP status, an `errors` object of string arrays the validation issues by field path; the
response's documented headers with an example are sent (`WWW-Authenticate`). Outside any operation
(unknown path, 405) the error shape documented for that status on most operations, else for any 4xx.
Authentication: each security scheme's typed recipe (`generator/ir/auth.py`) enforced by
`mock/auth.py`'s `MockAuth` (an operation's requirements are alternatives, each needing all its
schemes); a key may travel in a header, query parameter or cookie; a token recipe gets one token
issued at start (`--describe`), a client-credentials recipe also the mock's token endpoint at its
`mock_token_path` (in `--describe` as `tokenUrl`, and in the served document's flows); tokens
expire after the recipe's `lifetimeSeconds` (or `MockOptions.token_lifetime`).
Seed: the spec's examples (read, create and list response examples, inside their envelope, scoped
by the parent parameters' examples), except items whose id a create request example chooses (so
the documented create succeeds on a fresh mock), items whose parents are not seeded, and
collections whose create requires a property the item schema does not declare (a secret no example
can hold). Contract mode: every answer is checked against the operation's documented responses
before it is sent; an answer the spec would not allow becomes a 500 naming the operation and the
violation, never a silent lie.
Overrides (`generator/mock/vendors/<name>.py`) subclass `GenericBehaviour` and add handlers for the
few operations the spec cannot describe; they may call `generic(request)` (the engine's answer),
`respond(request, value)`, `not_found`, `conflict`, `missing_parent`, `stored`, `stored_item`,
`collections_of` and `store`, and may override the hooks `error()` (their error shape), `reset()`
(extra seed), `store_scope()` (a separate data set per request, e.g. an environment) and
`unknown_item()` (their status for an unknown id).
"""

from __future__ import annotations

import base64
import contextlib
import copy
import hashlib
import json
import math
from collections import OrderedDict, deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar
from urllib.parse import quote, unquote, urlencode

from starlette.routing import BaseRoute, Route

from generator.ir.auth import (
    AuthRecipe,
    BasicAuth,
    BearerAuth,
    ClientCredentials,
    DelegatedOAuth,
    KeyAuth,
    SignIn,
)
from generator.ir.model import Api, MediaType, Operation
from generator.mock.auth import MockAuth, default_credentials
from generator.mock.behaviour import Behaviour, Handler, IdFactory, MockContext
from generator.mock.examples import iso_utc, parse_instant
from generator.mock.http import MockRequest, MockResponse, dump_json_bytes
from generator.mock.operations import CompiledOperation, CompiledResponse, MockContractError
from generator.mock.resources import (
    Resource,
    Role,
    envelope_field,
    find_resources,
    properties_of,
    singular,
    unwrap_schema,
)
from generator.mock.schema import SchemaIssue
from generator.mock.store import Store
from generator.mock.synth import Synth
from generator.util.media import media_base

__all__ = ["GenericBehaviour", "generic_credentials"]

_LIMIT = ("limit", "per_page", "page_size", "pageSize", "size", "top", "$top", "max_results", "maxResults", "count")
_OFFSET = ("offset", "skip", "$skip", "start")
_PAGE = ("page", "pageNumber", "page_number")
_CURSOR = ("cursor", "after", "next", "nextToken", "next_token", "pageToken", "page_token", "starting_after")
_NEXT_FIELDS = ("next", "nextCursor", "cursor", "nextPageToken", "next_page_token")
_LIST_FIELDS = ("data", "items", "results", "content", "records", "value")
_TOTAL_FIELDS = ("total", "count", "totalCount", "total_count")
_RANGE_FROM = frozenset({"date_from", "dateFrom", "from", "from_date", "fromDate", "since", "start_date", "startDate", "updated_since", "updatedSince", "modified_since", "modifiedSince", "updated_after", "updatedAfter", "created_after", "createdAfter"})
_RANGE_TO = frozenset({"date_to", "dateTo", "to", "to_date", "toDate", "until", "end_date", "endDate", "updated_before", "updatedBefore", "created_before", "createdBefore", "before"})
_DATE_FIELDS = ("last_updated", "lastUpdated", "updated_at", "updatedAt", "modified_at", "modifiedAt", "last_modified", "lastModified", "created_at", "createdAt", "timestamp", "date")
_TOTAL_HEADERS = frozenset({"x-total-count", "x-total", "total-count", "x-total-items", "x-total-results", "x-result-count"})
_LIMIT_HEADERS = frozenset({"x-limit", "x-per-page", "x-page-size"})
_PAGING = frozenset(_LIMIT + _OFFSET + _PAGE + _CURSOR) | _RANGE_FROM | _RANGE_TO
_LIST_CACHE_ENTRIES = 256  # list answers kept (least recently used dropped first) ...
_LIST_CACHE_BYTES = 32 * 1024 * 1024  # ... and bytes of their bodies
_ROW_MEMO_LISTS = 1024  # lists (operation, scope) whose rows are kept (see `_Rows`)
# Keywords an array schema may have for "every item validates" to mean "the array validates".
_PLAIN_ARRAY = frozenset({"type", "items", "title", "description", "example", "examples", "default", "deprecated", "readOnly", "writeOnly", "nullable", "$comment"})


@dataclass
class _Cached:
    """A list answer as `GenericBehaviour._cached_list` keeps it, valid while `token` holds."""

    token: tuple[int, str | None]
    status: int
    body: bytes | str | None
    headers: dict[str, str]
    media_type: str | None
    size: int = 0


def generic_credentials(api: Api) -> dict[str, str]:
    """The test credentials the generic engine accepts: every scheme's recipe's placeholders
    (`mockCredentials`, else `mock-<name>`; schemes sharing a credential name share its value)."""
    out: dict[str, str] = {}
    for scheme in api.security_schemes.values():
        for name, value in default_credentials(scheme.auth).items():
            out.setdefault(name, value)
    return out


def _issues_tokens(recipe: AuthRecipe | None) -> bool:
    return isinstance(recipe, ClientCredentials | SignIn | DelegatedOAuth)


class GenericBehaviour(Behaviour):
    """Answers every operation of any spec from a store seeded with the spec's examples."""

    vendor: ClassVar[str] = "openapi"
    default_credentials: ClassVar[dict[str, str]] = {}

    def __init__(self, ctx: MockContext) -> None:
        super().__init__(ctx)
        compiled = ctx.api
        self.api = compiled.api
        self.synth = Synth(compiled.schemas)
        self.roles: dict[str, Role] = find_resources(self.api, compiled.schemas)
        self._ancestor_cache: dict[str, list[Resource]] = {}
        self._hidden_cache: dict[tuple[int, int], frozenset[str]] = {}
        self._embedded = {op.operation_id: found for op in self.api.operations if op.method == "get" and (found := self._embedding(op)) is not None}
        # List answers by request, each valid for one store version (see `_cached_list`).
        self._lists: OrderedDict[tuple[Any, ...], _Cached] = OrderedDict()
        self._list_bytes = 0
        self._list_facts: dict[str, tuple[tuple[str, ...], bool, bool]] = {}
        self._row_memo: dict[tuple[int, tuple[str, ...], int], dict[int, tuple[Any, bool]]] = {}
        self.store: Store = ctx.extras.get("store") or Store()
        ctx.extras["store"] = self.store
        self._calls: dict[str, deque[float]] = {}
        self._auth: dict[str, MockAuth] = {
            name: MockAuth(scheme.auth, ctx.credentials, clock=ctx.clock, lifetime=ctx.options.token_lifetime)
            for name, scheme in self.api.security_schemes.items()
            if scheme.auth is not None
        }
        # A token recipe (client credentials, sign-in, delegated OAuth): one token issued at start,
        # given by `--describe`; client-credentials recipes also get the mock's token endpoint.
        self._tokens = {name: auth.issue()[0] for name, auth in self._auth.items() if _issues_tokens(auth.recipe)}
        if not self.store.restored:
            self.reset()

    # --- seed ------------------------------------------------------------------------------------

    def reset(self) -> None:
        """Back to the seed: the store holds the spec's examples again, ids count from the start."""
        self.ctx.ids = IdFactory(f"{self.vendor}/{self.ctx.extras.get('seed', 0)}")
        rows: dict[tuple[str, tuple[str, ...], str], Any] = {}
        order = {"read": 0, "list": 1, "create": 2}
        for role in sorted(self.roles.values(), key=lambda r: order.get(r.kind, 3)):
            resource = role.resource
            if resource is None or role.kind not in order:
                continue
            if self._unseedable(resource):
                continue
            taken = self._create_example_ids(resource)
            for key, item in self._seed_items(resource, role.kind):
                if key not in taken:
                    rows.setdefault((resource.collection, self._seed_scope(resource), key), item)
        seeded = {(c, s, k) for c, s, k in rows}
        kept = [(c, s, k, i) for (c, s, k), i in rows.items() if self._seed_parents_present(c, s, seeded)]
        self.store.replace_all(kept)

    def _unseedable(self, resource: Resource) -> bool:
        """True when the create request requires a property the item schema does not declare (a
        secret that is never answered): an example item lacks it, so it is not seeded."""
        op = resource.create
        media = op.request_body.media() if op is not None and op.request_body is not None else None
        if media is None or media.schema is None or resource.item_schema is None:
            return False
        schemas = self.ctx.api.schemas
        required = set(schemas.resolve(media.schema).get("required") or ())
        answered = properties_of(schemas, resource.item_schema)
        return bool(answered) and bool(required - set(answered))

    def _create_example_ids(self, resource: Resource) -> set[str]:
        """Ids the create operation's request examples choose: not seeded, so that the documented
        create answers its success status on a fresh mock rather than a conflict."""
        op = resource.create
        if op is None or op.request_body is None or resource.id_field is None:
            return set()
        return {
            _path_key(example.value[resource.id_field])
            for media in op.request_body.contents
            for example in media.examples
            if isinstance(example.value, dict) and example.value.get(resource.id_field) is not None
        }

    def _seed_parents_present(self, collection: str, scope: tuple[str, ...], seeded: set[tuple[str, tuple[str, ...], str]]) -> bool:
        """A seeded item of a nested collection is kept only when its parent items are seeded too."""
        resource = next((r.resource for r in self.roles.values() if r.resource is not None and r.resource.collection == collection), None)
        if resource is None:
            return True
        values = dict(zip(resource.parent_params, scope, strict=False))
        for parent in self._ancestors(collection):
            parent_scope = tuple(values.get(name, "") for name in parent.parent_params)
            if (parent.collection, parent_scope, values.get(parent.id_param or "", "")) not in seeded:
                return False
        return True

    def _seed_scope(self, resource: Resource) -> tuple[str, ...]:
        values = []
        for name in resource.parent_params:
            value: Any = "1"
            for op in self.api.operations:
                param = next((p for p in op.parameters if p.name == name and p.location == "path"), None)
                if param is not None:
                    found, example = param.example_value()
                    value = example if found else self.synth.value(param.schema)
                    break
            values.append(_text(value))
        return tuple(values)

    def _seed_items(self, resource: Resource, kind: str) -> list[tuple[str, Any]]:
        op = resource.read if kind == "read" else resource.create if kind == "create" else None
        if kind == "list":
            op = next((o for o in self.api.operations if o.path == resource.collection and o.method == "get"), None)
        if op is None or resource.id_field is None:
            return []
        out = []
        for response in op.responses:
            if not response.status.startswith("2"):
                continue
            for media in response.contents:
                field = envelope_field(self.ctx.api.schemas, media.schema)
                for example in media.examples:
                    value = example.value
                    if kind != "list" and field is not None and isinstance(value, dict):
                        value = value.get(field)
                    values = self._list_values(value) if kind == "list" else [value]
                    for value in values:
                        item = self.synth.conform(copy.deepcopy(value), resource.item_schema)
                        if isinstance(item, dict) and item.get(resource.id_field) is not None:
                            out.append((_text(item[resource.id_field]), item))
        return out

    @staticmethod
    def _list_values(value: Any) -> list[Any]:
        if isinstance(value, list):
            return value
        if isinstance(value, dict):
            for key in (*_LIST_FIELDS, *value):
                if isinstance(value.get(key), list):
                    return list(value[key])
        return []

    # --- behaviour hooks -------------------------------------------------------------------------

    def handlers(self) -> Mapping[str, Handler]:
        return {op_id: self._handle for op_id in self.ctx.api.operations}

    def authenticate(self, request: MockRequest) -> MockResponse | None:
        for requirement in self.api.effective_security(request.operation.operation):
            if all(self._satisfied(request, name) for name, _ in requirement.schemes):
                return None
        return self._documented(request.operation, 401, "Missing or invalid credentials.")

    def _satisfied(self, request: MockRequest, name: str) -> bool:
        auth = self._auth.get(name)
        if auth is None or not auth.check(request.headers, request.raw_query):
            return False
        recipe = auth.recipe
        request.principal = recipe.credentials[0] if recipe is not None and recipe.credentials else name
        return True

    def routes(self) -> list[BaseRoute]:
        paths: dict[str, MockAuth] = {}
        for auth in self._auth.values():
            if isinstance(auth.recipe, ClientCredentials):
                paths.setdefault(auth.recipe.mock_token_path, auth)
        return [Route(path, auth.token_endpoint, methods=["POST"]) for path, auth in paths.items()]

    def admit(self, request: MockRequest) -> MockResponse | None:
        limit = self.ctx.extras.get("rate_limit")
        if not self.ctx.rate_limit or not limit:
            return None
        count, window = limit
        key = request.principal or "anonymous"
        now = self.now
        calls = self._calls.setdefault(key, deque())
        while calls and calls[0] <= now - window:
            calls.popleft()
        if len(calls) >= count:
            answer = self._documented(request.operation, 429, f"Too many requests: {count} per {window:g} seconds.")
            answer.headers["Retry-After"] = str(max(1, math.ceil(calls[0] + window - now)))
            return answer
        calls.append(now)
        return None

    def error(self, status: int, message: str, *, request: MockRequest | None = None, **extra: Any) -> MockResponse:
        if request is not None:
            return self._documented(request.operation, status, message)
        # Outside any operation (an unknown path, a method the path lacks): the error shape the spec
        # documents for this status on most operations, else for any 4xx.
        for wanted in (str(status), "4"):
            counts: dict[str, tuple[int, CompiledOperation]] = {}
            for op in self.ctx.api.operations.values():
                key = next((k for k in op.responses if k.startswith(wanted) and k[1:].isdigit()), None)
                if key is not None:
                    pointer = op.responses[key].response.pointer or key
                    seen, _ = counts.get(pointer, (0, op))
                    counts[pointer] = (seen + 1, op)
            if counts:
                _, chosen = max(counts.values(), key=lambda pair: pair[0])
                shape = int(next(k for k in chosen.responses if k.startswith(wanted) and k[1:].isdigit()))
                return self._documented(chosen, status, message, shape_of=shape)
        return MockResponse(status, {"message": message}, media_type="application/json")

    def validation_error(self, request: MockRequest, issues: Sequence[SchemaIssue]) -> MockResponse:
        first = issues[0]
        message = f"{first.path}: {first.message}"
        op = request.operation
        for status in (400, 422):
            if op.response_for(status) is not None and op.response_for(status) is not op.responses.get("default"):
                return self._documented(op, status, message, issues)
        return self._documented(op, 400, message, issues)

    def adapt_openapi(self, document: dict[str, Any], base_url: str) -> dict[str, Any]:
        """The served document points client-credentials flows at the mock's token endpoint and also
        lists the statuses the engine answers that the spec leaves out:
        401 on a secured operation without one, 400 on an operation taking input without a 400, 422,
        4XX or default, and 429 when a rate limit is set."""
        token_url = base_url + (self._token_path() or "")
        for scheme in document.get("components", {}).get("securitySchemes", {}).values() if self._token_path() else ():
            for flow in scheme.get("flows", {}).values() if isinstance(scheme, dict) else ():
                if isinstance(flow, dict) and "tokenUrl" in flow:
                    flow["tokenUrl"] = token_url  # the mock's own token endpoint
        error = {"type": "object", "properties": {"message": {"type": "string"}}}
        added = {"content": {"application/json": {"schema": error}}}
        for op in self.ctx.api.operations.values():
            item = document.get("paths", {}).get(op.operation.path, {}).get(op.operation.method)
            if not isinstance(item, dict):
                continue
            responses = item.setdefault("responses", {})
            if op.secured and "401" not in responses:
                responses["401"] = {"description": "Missing or invalid credentials.", **added}
            takes_input = bool(op.params) or op.body_media
            if takes_input and not {"400", "422", "4XX", "default"} & set(responses):
                responses["400"] = {"description": "The request does not match the specification.", **added}
            if self.ctx.extras.get("rate_limit") and self.ctx.rate_limit and "429" not in responses:
                responses["429"] = {"description": "Too many requests.", **added}
        return document

    def describe(self, base_url: str) -> dict[str, Any]:
        """Base URL, credentials, `auth` (what to send) and, for a client-credentials recipe, the
        mock's `tokenUrl`."""
        document = super().describe(base_url)
        token_path = self._token_path()
        if token_path is not None:
            document["tokenUrl"] = base_url + token_path
        document["auth"] = self.request_auth()
        return document

    @property
    def token_count(self) -> int:
        """Tokens held (issued, not yet pruned) by every token recipe."""
        return sum(auth.token_count for auth in self._auth.values())

    def _token_path(self) -> str | None:
        return next((a.recipe.mock_token_path for a in self._auth.values() if isinstance(a.recipe, ClientCredentials)), None)

    def request_auth(self) -> dict[str, dict[str, str]]:
        """Headers and query parameters that authenticate a request: one per security scheme used
        (the first scheme using `Authorization` wins that header)."""
        out: dict[str, dict[str, str]] = {"headers": {}, "query": {}}
        used = [name for req in self.api.security for name, _ in req.schemes]
        used += [name for op in self.api.operations for req in (op.security or ()) for name, _ in req.schemes]
        for name in dict.fromkeys(used):
            auth = self._auth.get(name)
            recipe = auth.recipe if auth is not None else None
            if auth is None or recipe is None:
                continue
            if isinstance(recipe, KeyAuth | BearerAuth) and recipe.location == "cookie":
                cookie = f"{recipe.name}={recipe.prefix}{auth.credentials.get(recipe.credential, '')}"
                out["headers"]["Cookie"] = "; ".join(c for c in (out["headers"].get("Cookie"), cookie) if c)
            elif isinstance(recipe, KeyAuth | BearerAuth):
                where = out["query"] if recipe.location == "query" else out["headers"]
                where.setdefault(recipe.name, recipe.prefix + auth.credentials.get(recipe.credential, ""))
            elif isinstance(recipe, BasicAuth):
                pair = f"{auth.credentials.get(recipe.username, '')}:{auth.credentials.get(recipe.password, '')}"
                out["headers"].setdefault("Authorization", "Basic " + base64.b64encode(pair.encode()).decode())
            elif name in self._tokens:
                out["headers"].setdefault("Authorization", f"Bearer {self._tokens[name]}")
        return out

    # --- answers ---------------------------------------------------------------------------------

    def _handle(self, request: MockRequest, *, serialized: bool = True) -> MockResponse:
        op = request.operation
        role = self.roles.get(op.operation_id, Role("other", None))
        resource = role.resource
        if self.missing_parent(request):
            answer = self._not_found(request, op)
        elif op.operation_id in self._embedded:
            answer = self._embedded_read(request, op, *self._embedded[op.operation_id])
        elif resource is None or role.kind == "other":
            answer = self._stateless(op)
        elif role.kind == "list":
            return self._cached_list(request, op, resource, serialized=serialized)
        else:
            answer = getattr(self, f"_{role.kind}")(request, op, resource)
        return self._contract(op, answer)

    # --- list answers, cached per store change ---------------------------------------------------

    def _cached_list(self, request: MockRequest, op: CompiledOperation, resource: Resource, *, serialized: bool) -> MockResponse:
        """A list answer (after its contract check), served from `_lists` while the list's store
        version, and the time when the answer is stamped, are those it was made at. Key: the
        operation, the store scope, the path, the query as sent (its order shapes `Link`), the
        header parameters, the base URL when a `Link` is answered. The cache keeps the serialised
        body; `serialized=False` (an override's `generic()`) gets a fresh copy of the value."""
        facts = self._list_facts.get(op.operation_id)
        if facts is None:
            facts = self._list_facts[op.operation_id] = self._facts_of(op)
        header_names, links, stamped = facts
        scope = self._scope(request, resource)
        key = (
            op.operation_id,
            scope,
            request.path,
            tuple(request.raw_query.multi_items()),
            tuple(tuple(request.headers.getlist(name)) for name in header_names),
            request.base_url if links else None,
        )
        token = (self.store.version(resource.collection, scope), iso_utc(self.now) if stamped else None)
        entry = self._lists.get(key)
        if entry is not None and entry.token == token:
            self._lists.move_to_end(key)
        else:
            answer, checked = self._list(request, op, resource)
            answer = self._contract(op, answer, body_checked=checked)
            entry = self._freeze(op, answer, token)
            if entry is None:  # not kept: the caller's own copy (its rows are `_row_memo`'s)
                answer.body = copy.deepcopy(answer.body)
                return answer
            self._remember(key, entry)
        body = json.loads(entry.body) if not serialized and isinstance(entry.body, bytes) else entry.body
        return MockResponse(entry.status, body, headers=entry.headers, media_type=entry.media_type)

    def _facts_of(self, op: CompiledOperation) -> tuple[tuple[str, ...], bool, bool]:
        """What a list answer depends on beyond its path, query and store: (header parameters,
        whether it answers a `Link` header (built from the base URL), whether it is stamped with
        the time (a top-level `timestamp` date-time property, see `_stamp`))."""
        headers = tuple(d.name for d in op.params if d.location == "header")
        _, compiled = self._success(op)
        links = compiled is not None and any(h.name.lower() == "link" for h in compiled.response.headers)
        media = next((m for m in compiled.response.contents if _is_json(m.content_type)), None) if compiled is not None else None
        prop = properties_of(self.ctx.api.schemas, media.schema).get("timestamp") if media is not None else None
        stamped = isinstance(prop, Mapping) and self.ctx.api.schemas.resolve(prop).get("format") == "date-time"
        return headers, links, stamped

    def _freeze(self, op: CompiledOperation, answer: MockResponse, token: tuple[int, str | None]) -> _Cached | None:
        """An answer as the cache keeps it: a JSON body serialised as the server would send it (so
        no caller can change the cached copy); None when it cannot be kept that way."""
        media = answer.media_type
        if media is None:
            documented = op.response_for(answer.status)
            media = documented.default_media_type if documented is not None else None
        body = answer.body
        if body is not None and not isinstance(body, str | bytes):
            if media is None or not _is_json(media):
                return None
            body = dump_json_bytes(body)
        if body is not None and media is None:
            return None
        return _Cached(token, answer.status, body, dict(answer.headers), media)

    def _remember(self, key: tuple[Any, ...], entry: _Cached) -> None:
        """Keep `entry`, dropping the least recently used answers beyond `_LIST_CACHE_ENTRIES`
        answers or `_LIST_CACHE_BYTES` bytes of bodies (an answer larger than that is not kept)."""
        size = len(entry.body) if entry.body is not None else 0
        old = self._lists.pop(key, None)
        if old is not None:
            self._list_bytes -= old.size
        if size > _LIST_CACHE_BYTES:
            return
        entry.size = size
        self._lists[key] = entry
        self._list_bytes += size
        while len(self._lists) > _LIST_CACHE_ENTRIES or self._list_bytes > _LIST_CACHE_BYTES:
            _, dropped = self._lists.popitem(last=False)
            self._list_bytes -= dropped.size

    # --- nested resources: parents, cascades -----------------------------------------------------

    def _resources(self) -> list[Resource]:
        found = {id(r.resource): r.resource for r in self.roles.values() if r.resource is not None}
        return sorted(found.values(), key=lambda r: r.collection)

    def _ancestors(self, path: str) -> list[Resource]:
        """The resources whose item path is a proper prefix of `path`, outermost first
        (`/users/{userId}` for `/users/{userId}/vehicles/{vehicleId}` and `/users/{userId}/start`)."""
        cache = self._ancestor_cache
        if path not in cache:
            found = [r for r in self._resources() if r.item is not None and path.startswith(r.item + "/")]
            cache[path] = sorted(found, key=lambda r: len(r.item or ""))
        return cache[path]

    def missing_parent(self, request: MockRequest) -> bool:
        """True when a parent item named in the request's path is not in the store."""
        for parent in self._ancestors(request.operation.operation.path):
            key = _text(request.params.get(parent.id_param or "", ""))
            if not self.store.has(parent.collection, self._scope(request, parent), key):
                return True
        return False

    def _embedding(self, op: Operation) -> tuple[Resource, list[tuple[str, str, str]]] | None:
        """An element inside a stored item: a `GET` path that extends an item path by parameters only
        (`/locations/{location_id}/{evse_uid}/{connector_id}`), each naming an element of an array
        property of the one before, by a property its items declare: the parameter's name, or the
        name without the array's singular as a prefix (`evse_uid` -> `uid` in `evses`,
        `connector_id` -> `id` in `connectors`). Returns (resource, [(parameter, array, field)])."""
        if self.roles.get(op.operation_id, Role("other", None)).kind != "other":
            return None
        schemas = self.ctx.api.schemas
        for parent in reversed(self._ancestors(op.path)):
            rest = op.path[len(parent.item or "") :].strip("/").split("/")
            if not all(seg.startswith("{") and seg.endswith("}") for seg in rest):
                continue
            steps: list[tuple[str, str, str]] = []
            schema = parent.item_schema
            for segment in rest:
                name = segment[1:-1]
                step = None
                for array, prop in properties_of(schemas, schema).items():
                    items = schemas.resolve(prop).get("items") if isinstance(prop, Mapping) else None
                    declared = properties_of(schemas, items)
                    ones = (singular(array), array[:-1])  # `evses` -> `evse` as well as `ev`
                    fields = [name, *(name.removeprefix(one + "_") for one in ones), *(name.removeprefix(one)[:1].lower() + name.removeprefix(one)[1:] for one in ones)]
                    for field in fields:
                        if field and field in declared:
                            step, schema = (name, array, field), items
                            break
                    if step is not None:
                        break
                if step is None:
                    return None
                steps.append(step)
            return parent, steps
        return None

    def _embedded_read(self, request: MockRequest, op: CompiledOperation, parent: Resource, steps: list[tuple[str, str, str]]) -> MockResponse:
        current = self.store.get(parent.collection, self._scope(request, parent), _text(request.params.get(parent.id_param or "", "")))
        for name, array, field in steps:
            elements = current.get(array) if isinstance(current, dict) else None
            wanted = _text(request.params.get(name, ""))
            current = next((e for e in elements or () if isinstance(e, dict) and _text(e.get(field)) == wanted), None)
            if current is None:
                return self._not_found(request, op)
        status, compiled = self._success(op)
        return self._answer(op, status, compiled, current)

    def _descendants(self, resource: Resource) -> list[Resource]:
        if resource.item is None:
            return []
        return [r for r in self._resources() if r.collection.startswith(resource.item + "/")]

    def _cascade(self, resource: Resource, scope: tuple[str, ...], key: str) -> None:
        """Deleting an item deletes the items of every collection nested below it."""
        for child in self._descendants(resource):
            self.store.delete_scopes(child.collection, (*scope, key))

    # --- for overrides: the engine's answers and store ------------------------------------------

    def generic(self, request: MockRequest) -> MockResponse:
        """The engine's own answer to a request (an override's handler may call it, then add to it):
        its body is the caller's own (a list answer's is a copy of the cached one)."""
        return self._handle(request, serialized=False)

    def conflict(self, request: MockRequest, message: str) -> MockResponse:
        """A 409 in the operation's documented error shape."""
        return self._documented(request.operation, 409, message)

    def stored_item(self, collection: str, scope: tuple[str, ...], key: str) -> Any:
        return self.store.get(collection, scope, _path_key(key))

    def stored(self, collection: str, scope: tuple[str, ...] = ()) -> list[Any]:
        """The stored items of a collection path (for overrides: events, webhooks...)."""
        return self.store.items(collection, scope)

    def collections_of(self, name: str) -> list[tuple[tuple[str, ...], Any]]:
        """(scope, item) of every stored item of the collection path `name`, in every scope."""
        return self.store.everywhere(name)

    def _contract(self, op: CompiledOperation, answer: MockResponse, *, body_checked: bool = False) -> MockResponse:
        """The answer if the spec allows it (status, media type, body, required headers), else a
        500 naming the violation. body_checked: the body is a list page whose rows were each
        validated against the items schema of a plain array schema (`_Rows`, `_plain_array`),
        so the check validates its empty shell: an empty array is valid wherever its items are."""
        media = answer.media_type
        if media is None:
            documented = op.response_for(answer.status)
            media = documented.default_media_type if documented else None
        payload = [] if body_checked and isinstance(answer.body, list) else answer.body
        try:
            op.check(answer, media if answer.body is not None else None, payload)
        except MockContractError as exc:
            return MockResponse(500, {"error": "mock contract violation", "message": f"the mock would break the spec: {exc}"}, media_type="application/json")
        return answer

    def _scope(self, request: MockRequest, resource: Resource) -> tuple[str, ...]:
        return self.store_scope(request, resource)

    # --- hooks for vendor overrides (subclasses) -------------------------------------------------

    def store_scope(self, request: MockRequest, resource: Resource) -> tuple[str, ...]:
        """The store scope a request reads and writes: the values of the resource's parent path
        parameters. An override may extend it, e.g. with a query parameter that selects a
        separate data set (the seed is stored under the plain scope)."""
        return tuple(_text(request.params.get(name, "")) for name in resource.parent_params)

    def unknown_item(self, request: MockRequest, op: CompiledOperation) -> MockResponse:
        """The answer to an id the store does not hold: the documented 404, else (no 404 documented)
        the operation's examples. An override may answer its vendor's own status instead."""
        if op.response_for(404) is None:
            return self._stateless(op)
        return self._documented(op, 404, f"No such item: {request.path}")

    def _success(self, op: CompiledOperation, prefer: tuple[int, ...] = (200,)) -> tuple[int, CompiledResponse | None]:
        for status in prefer:
            if str(status) in op.responses:
                return status, op.responses[str(status)]
        for key in sorted(op.responses):
            if key[0] == "2" and key[1:].isdigit():
                return int(key), op.responses[key]
        for key in sorted(op.responses):
            if key[0] == "2":
                return 200, op.responses[key]
        for key in sorted(op.responses):
            if key[0] == "3" and key[1:].isdigit():
                return int(key), op.responses[key]
        if "default" in op.responses:
            return 200, op.responses["default"]
        # Only error statuses documented: the first of them is all the spec allows.
        numeric = sorted(key for key in op.responses if key.isdigit())
        return (int(numeric[0]), op.responses[numeric[0]]) if numeric else (200, None)

    def _body(self, compiled: CompiledResponse | None, value: Any, *, use_examples: bool = False) -> tuple[Any, str | None]:
        """(body, media type) of `value` shaped to the response's first media type."""
        if compiled is None or not compiled.response.contents:
            return None, None
        media = next((m for m in compiled.response.contents if _is_json(m.content_type)), compiled.response.contents[0])
        if not _is_json(media.content_type):
            example = next((e.value for e in media.examples if isinstance(e.value, str)), None)
            return example if example is not None else "", media.content_type
        schema = media.schema
        if schema is None:
            return value if value is not None else {}, media.content_type
        if use_examples or value is None:
            return self._example(media), media.content_type
        field = envelope_field(self.ctx.api.schemas, schema)
        if field is not None:
            # The item inside the spec's envelope (`{data, status_code, ...}`), the rest from its example.
            envelope = self._example(media)
            if isinstance(envelope, dict):
                inner = properties_of(self.ctx.api.schemas, schema)[field]
                return {**envelope, field: self.synth.conform(value, inner)}, media.content_type
        return self.synth.conform(value, schema), media.content_type

    def _example(self, media: MediaType) -> Any:
        """The media type's first example that validates, else a value of its schema."""
        for named in media.examples:
            if self.synth.valid(media.schema, named.value):
                return copy.deepcopy(named.value)
        return self.synth.value(media.schema)

    def _answer(self, op: CompiledOperation, status: int, compiled: CompiledResponse | None, value: Any, **kwargs: Any) -> MockResponse:
        body, media = self._body(compiled, value, **kwargs)
        if isinstance(body, dict) and compiled is not None:
            body = self._stamp(compiled, body)
        answer = MockResponse(status, body, media_type=media)
        if compiled is not None:
            for header in compiled.response.headers:
                if header.required:
                    answer.headers[header.name] = _text(self.synth.value(header.schema))
        return answer

    def _stamp(self, compiled: CompiledResponse, body: dict[str, Any]) -> dict[str, Any]:
        """A top-level `timestamp` date-time property (when the message was generated) is now."""
        media = next((m for m in compiled.response.contents if _is_json(m.content_type)), None)
        prop = properties_of(self.ctx.api.schemas, media.schema).get("timestamp") if media is not None else None
        if "timestamp" in body and isinstance(prop, Mapping) and self.ctx.api.schemas.resolve(prop).get("format") == "date-time":
            return {**body, "timestamp": iso_utc(self.now)}
        return body

    def respond(self, request: MockRequest, value: Any) -> MockResponse:
        """The operation's success answer carrying `value` (inside the spec's envelope, if any),
        checked against the spec like every engine answer."""
        op = request.operation
        status, compiled = self._success(op)
        return self._contract(op, self._answer(op, status, compiled, value))

    def not_found(self, request: MockRequest, message: str = "") -> MockResponse:
        """A 404 in the operation's documented error shape."""
        return self._documented(request.operation, 404, message or f"No such item: {request.path}")

    def _documented(self, op: CompiledOperation, status: int, message: str, issues: Sequence[SchemaIssue] = (), *, shape_of: int | None = None) -> MockResponse:
        """An error answer in the shape the operation documents for `status` (or for `shape_of`; see
        `error_body`), with the response's documented headers that have an example (`WWW-Authenticate`)."""
        compiled = op.response_for(shape_of or status)
        if compiled is None:
            return MockResponse(status, {"message": message}, media_type="application/json")
        answer = self._answer(op, status, compiled, None, use_examples=True)
        media = next((m for m in compiled.response.contents if _is_json(m.content_type)), None)
        if media is not None and media.schema is not None:
            answer.body = self.error_body(media.schema, answer.body, status, message, issues)
        for header in compiled.response.headers:
            if header.has_example and header.name.lower() not in {h.lower() for h in answer.headers}:
                answer.headers[header.name] = _text(header.example)
        return answer

    def error_body(self, schema: Any, base: Any, status: int, message: str, issues: Sequence[SchemaIssue] = ()) -> Any:
        """The documented error example (or a value of its schema) told about this error, each change
        kept only when the body still validates: the first of `message`, `detail`,
        `error_description`, `status_message`, `error_message` gets the message; an integer `status`
        the HTTP status; an `errors` object of string arrays the validation issues by field path
        (or goes, when there are none and it is optional)."""
        body = base
        inner = schema
        if not isinstance(body, dict):
            return base
        properties = properties_of(self.ctx.api.schemas, inner)

        def attempt(candidate: dict[str, Any]) -> None:
            nonlocal body
            if self.synth.valid(inner, candidate):
                body = candidate

        for key in ("message", "detail", "error_description", "status_message", "error_message"):
            if key in properties and isinstance(body.get(key, ""), str):
                attempt({**body, key: message})
                break
        if "status" in properties and isinstance(body.get("status", 0), int):
            attempt({**body, "status": status})
        errors = properties.get("errors")
        if isinstance(errors, Mapping) and self.ctx.api.schemas.resolve(errors).get("type") == "object":
            if issues:
                grouped: dict[str, list[str]] = {}
                for issue in issues:
                    grouped.setdefault(issue.path, []).append(issue.message)
                attempt({k: v for k, v in body.items() if k != "detail"} | {"errors": grouped})
            elif "errors" in body:
                attempt({k: v for k, v in body.items() if k != "errors"})
        return body

    def _stateless(self, op: CompiledOperation) -> MockResponse:
        status, compiled = self._success(op)
        return self._answer(op, status, compiled, None, use_examples=True)

    def _not_found(self, request: MockRequest, op: CompiledOperation) -> MockResponse:
        return self.unknown_item(request, op)

    def public(self, resource: Resource, compiled: CompiledResponse | None, item: Any) -> Any:
        """A stored item as answered: without the properties the requests declare write-only, nor
        those the requests declare and the answer's schema does not (a webhook's secret, the
        registration fields a `{meterId}` answer leaves out). The store keeps them."""
        if not isinstance(item, dict):
            return item
        hidden = self._hidden(resource, compiled)
        return {k: v for k, v in item.items() if k not in hidden} if hidden & set(item) else item

    def _hidden(self, resource: Resource, compiled: CompiledResponse | None) -> frozenset[str]:
        """The properties `public` leaves out, computed once per resource and response."""
        cache = self._hidden_cache
        key = (id(resource), id(compiled))
        if key not in cache:
            cache[key] = self._hidden_fields(resource, compiled)
        return cache[key]

    def _hidden_fields(self, resource: Resource, compiled: CompiledResponse | None) -> frozenset[str]:
        requests = [op for op in (resource.create, *self._writers(resource)) if op is not None and op.request_body is not None]
        declared: dict[str, Any] = {}
        for op in requests:
            media = op.request_body.media() if op.request_body is not None else None
            if media is not None and media.schema is not None:
                declared.update(properties_of(self.ctx.api.schemas, media.schema))
        if not declared:
            return frozenset()
        answer_schema = None
        if compiled is not None:
            media = next((m for m in compiled.response.contents if _is_json(m.content_type)), None)
            answer_schema = unwrap_schema(self.ctx.api.schemas, media.schema) if media is not None else None
        answered = properties_of(self.ctx.api.schemas, answer_schema if answer_schema is not None else resource.item_schema)
        return frozenset(
            name
            for name, prop in declared.items()
            if (isinstance(prop, Mapping) and self.ctx.api.schemas.resolve(prop).get("writeOnly") is True) or (answered and name not in answered)
        )

    def _writers(self, resource: Resource) -> list[Operation]:
        kinds = ("replace", "update")
        return [op for op in self.api.operations if self.roles.get(op.operation_id, Role("other", None)).resource is resource and self.roles[op.operation_id].kind in kinds]

    def _new_id(self, resource: Resource, scope: tuple[str, ...]) -> Any:
        schema = resource.id_schema
        kind = schema.get("type")
        if isinstance(kind, list):
            kind = next((k for k in kind if k != "null"), "string")
        for _ in range(10_000):
            if kind in ("integer", "number"):
                value: Any = self.ctx.ids.next_int(resource.collection, int(schema.get("minimum", 1) or 1))
            elif schema.get("format") == "uuid":
                value = self.ctx.ids.uuid(resource.collection)
            else:
                value = self.ctx.ids.hex(resource.collection, 12)
                if not self.synth.valid(schema, value):
                    candidate = self.synth.value(schema)
                    value = candidate if isinstance(candidate, str) and candidate else value
            if not self.store.has(resource.collection, scope, _text(value)):
                return value
        return value

    def _client_id(self, op: CompiledOperation, resource: Resource, body: Any) -> Any:
        """The id a create request chooses itself: the id field, when the request schema declares it
        (not read-only) and the body carries it; else None (the engine makes one)."""
        field = resource.id_field
        if not field or not isinstance(body, dict) or body.get(field) is None:
            return None
        media = op.operation.request_body.media() if op.operation.request_body is not None else None
        if media is None or media.schema is None:
            return None
        prop = properties_of(self.ctx.api.schemas, media.schema).get(field)
        if not isinstance(prop, Mapping) or self.ctx.api.schemas.resolve(prop).get("readOnly") is True:
            return None
        return body[field]

    def _create(self, request: MockRequest, op: CompiledOperation, resource: Resource) -> MockResponse:
        scope = self._scope(request, resource)
        body = request.body if isinstance(request.body, dict) else {}
        item = copy.deepcopy(body)
        chosen = self._client_id(op, resource, body)
        if chosen is not None and self.store.has(resource.collection, scope, _path_key(chosen)) and op.response_for(409) is not None:
            return self._documented(op, 409, f"{singular(resource.name)} {_text(chosen)!r} already exists.")
        key_value = chosen if chosen is not None else self._new_id(resource, scope)
        if resource.id_field:
            item[resource.id_field] = key_value
        item = self.synth.conform(item, resource.item_schema) if resource.item_schema is not None else item
        if resource.id_field and isinstance(item, dict) and item.get(resource.id_field) is not None:
            key_value = item[resource.id_field]
        key = _path_key(key_value) if chosen is not None else _text(key_value)
        self.store.put(resource.collection, scope, key, item)
        if chosen is not None:
            # A re-created parent starts without children (they went with an earlier delete, or never were).
            self._cascade(resource, scope, key)
        status, compiled = self._success(op, (201, 200))
        answer = self._answer(op, status, compiled, self.public(resource, compiled, item))
        if resource.item is not None:
            location = request.path.rstrip("/") + "/" + quote(key, safe="", errors="surrogatepass")
            header_schema = _header_schema(compiled, "location")
            if isinstance(header_schema, Mapping) and self.ctx.api.schemas.resolve(header_schema).get("format") == "uri":
                location = request.base_url + location  # the spec asks for an absolute URL
            declared = {h.name.lower() for h in compiled.response.headers} if compiled else set()
            if "location" not in declared or self.synth.valid(header_schema, location):
                answer.headers["Location"] = location
        return answer

    def _lookup(self, request: MockRequest, resource: Resource) -> tuple[tuple[str, ...], str, Any]:
        scope = self._scope(request, resource)
        key = _text(request.params.get(resource.id_param or "", ""))
        return scope, key, self.store.get(resource.collection, scope, key)

    def _read(self, request: MockRequest, op: CompiledOperation, resource: Resource) -> MockResponse:
        _, _, item = self._lookup(request, resource)
        if item is None:
            return self._not_found(request, op)
        status, compiled = self._success(op)
        return self._answer(op, status, compiled, self.public(resource, compiled, item))

    def _write(self, request: MockRequest, op: CompiledOperation, resource: Resource, *, merge: bool) -> MockResponse:
        scope, key, item = self._lookup(request, resource)
        if item is None and (merge or op.response_for(404) is not None):
            return self._not_found(request, op)
        body = request.body
        if merge:
            updated = _merge(item, body) if isinstance(body, dict) and isinstance(item, dict) else item
        else:
            updated = copy.deepcopy(body) if isinstance(body, dict) else (item or {})
            if isinstance(updated, dict) and isinstance(item, dict):
                updated = {**self._not_replaced(op, item), **updated}
        if resource.id_field and isinstance(updated, dict) and isinstance(item, dict) and resource.id_field in item:
            updated[resource.id_field] = item[resource.id_field]
        elif resource.id_field and isinstance(updated, dict) and item is None:
            updated[resource.id_field] = request.params.get(resource.id_param or "", key)
        if resource.item_schema is not None:
            updated = self.synth.conform(updated, resource.item_schema)
        self.store.put(resource.collection, scope, key, updated)
        status, compiled = self._success(op, (200, 204) if item is not None else (201, 200, 204))
        return self._answer(op, status, compiled, self.public(resource, compiled, updated))

    def _not_replaced(self, op: CompiledOperation, item: dict[str, Any]) -> dict[str, Any]:
        """What a `PUT` keeps of the stored item: the properties its request schema does not declare
        (the id, a field the update may not change); the rest is replaced by the body."""
        media = op.operation.request_body.media() if op.operation.request_body is not None else None
        declared = properties_of(self.ctx.api.schemas, media.schema) if media is not None and media.schema is not None else {}
        return {k: v for k, v in item.items() if declared and k not in declared}

    def _replace(self, request: MockRequest, op: CompiledOperation, resource: Resource) -> MockResponse:
        return self._write(request, op, resource, merge=False)

    def _update(self, request: MockRequest, op: CompiledOperation, resource: Resource) -> MockResponse:
        return self._write(request, op, resource, merge=True)

    def _delete(self, request: MockRequest, op: CompiledOperation, resource: Resource) -> MockResponse:
        scope, key, item = self._lookup(request, resource)
        if item is None:
            return self._not_found(request, op)
        self.store.delete(resource.collection, scope, key)
        self._cascade(resource, scope, key)
        status, compiled = self._success(op, (204, 200, 202))
        if not self._answers_items(compiled, resource):
            return self._answer(op, status, compiled, None, use_examples=True)  # e.g. an empty envelope
        return self._answer(op, status, compiled, self.public(resource, compiled, item))

    def _answers_items(self, compiled: CompiledResponse | None, resource: Resource) -> bool:
        """Whether a response's schema (inside its envelope) declares the item's id field."""
        media = next((m for m in compiled.response.contents if _is_json(m.content_type)), None) if compiled else None
        if media is None or media.schema is None or resource.id_field is None:
            return True
        return resource.id_field in properties_of(self.ctx.api.schemas, unwrap_schema(self.ctx.api.schemas, media.schema))

    def _singleton_read(self, request: MockRequest, op: CompiledOperation, resource: Resource) -> MockResponse:
        stored = self.store.get(resource.collection, self._scope(request, resource), "")
        if stored is None:
            return self._stateless(op)
        status, compiled = self._success(op)
        return self._answer(op, status, compiled, stored)

    def _singleton_write(self, request: MockRequest, op: CompiledOperation, resource: Resource) -> MockResponse:
        body = copy.deepcopy(request.body)
        self.store.put(resource.collection, self._scope(request, resource), "", body)
        status, compiled = self._success(op, (200, 204))
        return self._answer(op, status, compiled, body)

    def _list(self, request: MockRequest, op: CompiledOperation, resource: Resource) -> tuple[MockResponse, bool]:
        """The list answer, and whether its body is known to validate (an array of rows each
        validated when made, which the array schema asks nothing more of: see `_Rows`)."""
        scope = self._scope(request, resource)
        entries = self.store.entries(resource.collection, scope)
        filters = {
            name: _text(value)
            for name, value in request.params.items()
            if name not in _PAGING and not isinstance(value, list | dict) and value is not None
            and any(p.name == name and p.location == "query" for p in op.operation.parameters)
        }
        if filters:
            entries = [(t, i) for t, i in entries if all(not isinstance(i, dict) or name not in i or _text(i[name]) == value for name, value in filters.items())]
        items = [i for _, i in entries]
        ranged = self._in_range(request, op.operation, resource, items)
        if ranged is not items:
            kept = {id(i) for i in ranged}
            entries = [(t, i) for t, i in entries if id(i) in kept]
        total = len(entries)
        offset, limit = self._window(request, op.operation)
        page = entries[offset : offset + limit] if limit is not None else entries[offset:]
        next_offset = offset + len(page) if limit is not None and offset + len(page) < total else None
        status, compiled = self._success(op)
        answer = self._answer(op, status, compiled, None, use_examples=True)
        if compiled is not None:
            self._paging_headers(request, compiled, answer, total, limit if limit is not None else len(page), next_offset)
        media = next((m for m in compiled.response.contents if _is_json(m.content_type)), None) if compiled else None
        if media is None or media.schema is None:
            return answer, False
        rows = _Rows(self, resource, scope, page)
        shaped = self._shape_list(media.schema, answer.body, rows, total, next_offset)
        if shaped is not None:
            answer.body = shaped
        self._prune_rows(resource, scope)
        return answer, shaped is not None and rows.complete

    def _prune_rows(self, resource: Resource, scope: tuple[str, ...]) -> None:
        """Forget the rows of items no longer stored (bounded by the store, plus `_ROW_MEMO_LISTS`
        lists: the memos of lists gone with their parent are dropped all at once)."""
        if len(self._row_memo) > _ROW_MEMO_LISTS:
            self._row_memo.clear()
            return
        alive: set[int] | None = None
        for (owner, where, _schema), memo in self._row_memo.items():
            if owner == id(resource) and where == scope and len(memo) > self.store.count(resource.collection, scope):
                if alive is None:
                    alive = {t for t, _ in self.store.entries(resource.collection, scope)}
                for tick in [t for t in memo if t not in alive]:
                    del memo[tick]

    def _in_range(self, request: MockRequest, op: Operation, resource: Resource, items: list[Any]) -> list[Any]:
        """Items whose date-time field lies in the range of the request's date-time range parameters:
        `date_from`, `from`, `since`... inclusive, `date_to`, `to`, `until`... exclusive (`_RANGE_FROM`,
        `_RANGE_TO`). The field: the first of `_DATE_FIELDS` the item schema declares as a date-time,
        else its only date-time property. Items without the field are left out of a range."""
        bounds: list[tuple[bool, float]] = []
        for param in op.parameters:
            value = request.params.get(param.name)
            if param.location != "query" or self.ctx.api.schemas.resolve(param.schema).get("format") != "date-time":
                continue
            instant = parse_instant(value)
            if instant is not None and (param.name in _RANGE_FROM or param.name in _RANGE_TO):
                bounds.append((param.name in _RANGE_FROM, instant))
        if not bounds:
            return items
        field = self._date_field(resource)
        if field is None:
            return items
        out = []
        for item in items:
            moment = parse_instant(item.get(field)) if isinstance(item, dict) else None
            if moment is not None and all(moment >= bound if lower else moment < bound for lower, bound in bounds):
                out.append(item)
        return out

    def _date_field(self, resource: Resource) -> str | None:
        schemas = self.ctx.api.schemas
        dated = [name for name, prop in properties_of(schemas, resource.item_schema).items() if isinstance(prop, Mapping) and schemas.resolve(prop).get("format") == "date-time"]
        return next((name for name in _DATE_FIELDS if name in dated), dated[0] if len(dated) == 1 else None)

    def _paging_headers(self, request: MockRequest, compiled: CompiledResponse, answer: MockResponse, total: int, limit: int, next_offset: int | None) -> None:
        """The paging headers the list response declares: a total count (`X-Total-Count`, `X-Total`,
        `Total-Count`...) gets the filtered count, a page size (`X-Limit`, `X-Per-Page`, `X-Page-Size`)
        the page size (at least 1), `Link` the next page's URL with `rel="next"` (left out on the
        last page): the request's query with the start (offset, page or cursor) moved on."""
        declared = {h.name.lower(): h.name for h in compiled.response.headers}
        for lowered, name in declared.items():
            if lowered in _TOTAL_HEADERS:
                answer.headers[name] = str(total)
            elif lowered in _LIMIT_HEADERS:
                answer.headers[name] = str(max(1, limit))
        if "link" not in declared:
            return
        answer.headers.pop(declared["link"], None)
        if next_offset is None:
            return
        names = {p.name for p in request.operation.operation.parameters if p.location == "query"}
        query = dict(request.raw_query.items())
        offset_name = next((n for n in _OFFSET if n in names), None)
        page_name = next((n for n in _PAGE if n in names), None)
        cursor_name = next((n for n in _CURSOR if n in names), None)
        limit_name = next((n for n in _LIMIT if n in names), None)
        if offset_name is not None:
            query[offset_name] = str(next_offset)
        elif page_name is not None and isinstance(request.params.get(page_name, 1), int):
            query[page_name] = str(int(request.params.get(page_name, 1)) + 1)
        elif cursor_name is not None:
            query[cursor_name] = str(next_offset)
        else:
            return
        if limit_name is not None:
            query[limit_name] = str(limit)
        answer.headers[declared["link"]] = f'<{request.base_url}{request.path}?{urlencode(query)}>; rel="next"'

    def _shape_list(self, schema: Any, base: Any, page: _Rows, total: int, next_offset: int | None) -> Any:
        resolved = self.ctx.api.schemas.resolve(schema)
        if resolved.get("type") == "array" or (isinstance(base, list) and "items" in resolved):
            rows, valid = page.shaped(resolved.get("items"))
            if valid and _plain_array(resolved):
                page.complete = True  # each row validates against the items schema, and nothing else is asked
                return rows
            return rows if self.synth.valid(resolved, rows) else None
        if not isinstance(base, dict):
            return None
        properties = dict(resolved.get("properties") or {})
        for branch in resolved.get("allOf") or ():
            if isinstance(branch, Mapping):
                properties.update(self.ctx.api.schemas.resolve(branch).get("properties") or {})
        arrays = [name for name, prop in properties.items() if isinstance(prop, Mapping) and self.ctx.api.schemas.resolve(prop).get("type") == "array"]
        if not arrays:
            return None
        field = next((f for f in _LIST_FIELDS if f in arrays), arrays[0])
        items_schema = self.ctx.api.schemas.resolve(properties[field]).get("items")
        out: dict[str, Any] = dict(base)
        out[field] = page.shaped(items_schema)[0]
        for name in _TOTAL_FIELDS:
            if name in properties:
                out[name] = total
        for name in _NEXT_FIELDS:
            if name in properties:
                out[name] = str(next_offset) if next_offset is not None else None
        fixed = {k: v for k, v in out.items() if v is not None or k not in _NEXT_FIELDS}
        if self.synth.valid(schema, fixed):
            return fixed
        without_next = {k: v for k, v in fixed.items() if k not in _NEXT_FIELDS or k in (resolved.get("required") or ())}
        return without_next if self.synth.valid(schema, without_next) else None

    def _window(self, request: MockRequest, op: Operation) -> tuple[int, int | None]:
        params = request.params
        names = {p.name: p for p in op.parameters if p.location == "query"}
        limit = next((params[n] for n in _LIMIT if n in names and isinstance(params.get(n), int) and not isinstance(params.get(n), bool)), None)
        limit = max(0, limit) if isinstance(limit, int) else None
        offset = next((params[n] for n in _OFFSET if n in names and isinstance(params.get(n), int) and not isinstance(params.get(n), bool)), 0)
        for name in _PAGE:
            page = params.get(name)
            if name in names and isinstance(page, int) and not isinstance(page, bool) and limit is not None:
                first = 0 if self.ctx.api.schemas.resolve(names[name].schema).get("minimum") == 0 else 1
                offset = max(0, page - first) * limit
        for name in _CURSOR:
            cursor = params.get(name)
            if name in names and isinstance(cursor, str) and cursor.isdigit() and len(cursor) < 12:
                offset = int(cursor)
        return max(0, offset), limit


class _Rows:
    """The rows of a list page: each stored item as answered (`public`, conformed to the items
    schema), made once per put of the item (`Store.entries` ticks) and kept in `_row_memo` with
    whether it validates against that schema."""

    def __init__(self, engine: GenericBehaviour, resource: Resource, scope: tuple[str, ...], page: list[tuple[int, Any]]) -> None:
        self.engine, self.resource, self.scope, self.page = engine, resource, scope, page
        self.complete = False  # set by `_shape_list`: the page is the body and known to validate

    def shaped(self, items_schema: Any) -> tuple[list[Any], bool]:
        """(rows, whether every row validates against `items_schema`)."""
        engine, synth = self.engine, self.engine.synth
        memo = engine._row_memo.setdefault((id(self.resource), self.scope, id(items_schema)), {})
        rows, valid = [], True
        for tick, item in self.page:
            found = memo.get(tick)
            if found is None:
                candidate = copy.deepcopy(engine.public(self.resource, None, item))
                row = synth.conform(candidate, items_schema)
                found = memo[tick] = (row, row is candidate or synth.valid(items_schema, row))
            rows.append(found[0])
            valid = valid and found[1]
        return rows, valid


def _plain_array(schema: Mapping[str, Any]) -> bool:
    """True when an array schema asks nothing of its value beyond its items' schema."""
    return schema.get("type") == "array" and isinstance(schema.get("items"), Mapping) and all(k in _PLAIN_ARRAY or k.startswith("x-") for k in schema)


def _merge(item: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """RFC 7396 JSON merge patch."""
    out = copy.deepcopy(item)
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _header_schema(compiled: CompiledResponse | None, name: str) -> Any:
    if compiled is None:
        return None
    return next((h.schema for h in compiled.response.headers if h.name.lower() == name), None)


def _is_json(media_type: str | None) -> bool:
    base = media_base(media_type or "")
    return base == "application/json" or base.endswith("+json")


def _path_key(value: Any) -> str:
    """Where an id the client chose is stored: as a path parameter carrying it arrives, decoded once
    (tools put an id that looks percent-encoded, `a%C2%A2`, into the URL as it is)."""
    text = _text(value)
    return unquote(text) if "%" in text else text


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float):
        return str(value)
    with contextlib.suppress(TypeError, ValueError):
        return json.dumps(value, sort_keys=True)
    return hashlib.sha256(repr(value).encode()).hexdigest()[:12]
