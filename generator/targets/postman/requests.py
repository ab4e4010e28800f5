"""One Postman item per operation (or variant): URL with `:path` variables, query parameters
(optional ones present but disabled), headers, the spec's example body, saved example responses,
and a test script checking the status, the response schema and capturing ids for later requests."""

from __future__ import annotations

import json
from typing import Any

from generator.ir.model import Api, Example, MediaType, Parameter, Response
from generator.targets.postman.examples import body_example, parameter_example, protect_secrets, stringify
from generator.targets.postman.flow import Entry
from generator.targets.postman.guard import Guard
from generator.targets.postman.ids import stable_id
from generator.targets.postman.schema import SchemaInliner
from generator.targets.postman.testscript import response_checks
from generator.util.jsonio import compact_json, dump_json_text
from generator.util.media import media_base
from generator.util.pointer import split_pointer

__all__ = ["EXAMPLES_KEY", "RequestBuilder", "bind_body", "script_event"]

_MANAGED_HEADERS = {"accept", "content-type", "authorization"}  # OpenAPI ignores these as parameters
EXAMPLES_KEY = "x-connectorgen-examples"  # operation: {status: [names of shared-response examples]}


def script_event(listen: str, code: str) -> dict[str, Any]:
    return {"listen": listen, "script": {"type": "text/javascript", "exec": code.rstrip("\n").split("\n")}}


def _json_text(value: Any) -> str:
    return dump_json_text(value)[:-1]  # as json.dumps(indent=2) writes it, without the final newline


def _query_pairs(param: Parameter, value: Any) -> list[tuple[str, str]]:
    """Query entries for one parameter value, following its `style`/`explode` (default form, exploded)."""
    style = param.style or "form"
    explode = param.explode if param.explode is not None else style == "form"
    if isinstance(value, list):
        if explode and style == "form":
            return [(param.name, stringify(v)) for v in value]
        sep = {"pipeDelimited": "|", "spaceDelimited": " "}.get(style, ",")
        return [(param.name, sep.join(stringify(v) for v in value))]
    if isinstance(value, dict):
        if style == "deepObject":
            return [(f"{param.name}[{k}]", stringify(v)) for k, v in value.items()]
        if explode:
            return [(str(k), stringify(v)) for k, v in value.items()]
        return [(param.name, ",".join(f"{k},{stringify(v)}" for k, v in value.items()))]
    return [(param.name, stringify(value))]


def _simple(value: Any) -> str:
    """A path or header value (style simple)."""
    if isinstance(value, list):
        return ",".join(stringify(v) for v in value)
    if isinstance(value, dict):
        return ",".join(f"{k},{stringify(v)}" for k, v in value.items())
    return stringify(value)


class RequestBuilder:
    def __init__(
        self, api: Api, slug: str, credentials: frozenset[str], query_keys: list[str], guard: Guard | None = None
    ):
        self.api = api
        self.guard = guard
        self.slug = slug
        self.credentials = credentials
        self.query_keys = query_keys
        self.inliner = SchemaInliner(api)
        self.secrets: dict[str, str] = {}  # body secret variable -> the spec's placeholder value
        self.bodies: dict[int, tuple[MediaType, Any] | None] = {}
        self._param_examples: dict[tuple[str, str, str], tuple[bool, Any]] = {}

    def param(self, param: Parameter) -> tuple[bool, Any]:
        """The parameter's example (cached: shared parameters recur on many operations)."""
        key = (param.pointer, param.location, param.name)
        if key not in self._param_examples:
            self._param_examples[key] = parameter_example(self.api, param)
        return self._param_examples[key]

    # -- phase 1: the values each request sends (the planner reads them to resolve links) ---------
    def values(self, entry: Entry) -> dict[str, tuple[bool, Any]]:
        out: dict[str, tuple[bool, Any]] = {}
        for param in entry.op.parameters:
            found, value = self.param(param)
            out[f"{param.location}.{param.name}"] = (found, _simple(value) if found else "")
        body = self.body_value(entry)
        if body is not None:
            out["body"] = (True, body[1])
        return out

    def body_value(self, entry: Entry) -> tuple[MediaType, Any] | None:
        if entry.index in self.bodies:
            return self.bodies[entry.index]
        result = None
        rb = entry.op.request_body
        media = rb.media() if rb else None
        if media is not None:
            variant = entry.variant
            found, value = body_example(
                self.api,
                media,
                variant.example if variant else "",
                variant.request_schema if variant and variant.request_schema is not None else None,
            )
            if found:
                value, secrets = protect_secrets(value, self.credentials)
                for key, placeholder in secrets.items():
                    self.secrets.setdefault(key, stringify(placeholder))
                result = (media, value)
        self.bodies[entry.index] = result
        return result

    # -- phase 3: the Postman item -----------------------------------------------------------------
    def item(self, entry: Entry, auth: dict[str, Any] | None, scope: str = "") -> dict[str, Any]:
        """The Postman item of `entry`; `scope` (a walkthrough folder's name) keeps its id distinct."""
        request = self.request(entry, auth)
        key = f"{scope}/{entry.key}" if scope else entry.key
        item: dict[str, Any] = {"id": stable_id(self.slug, "item", key), "name": entry.name}
        item["event"] = [script_event("test", self.checks(entry))]
        if self.guard is not None and entry.key in self.guard.operations:
            item["event"].insert(0, script_event("prerequest", self.guard.script()))
        item["request"] = request
        item["response"] = self.examples(entry, request, key)
        return item

    def request(self, entry: Entry, auth: dict[str, Any] | None) -> dict[str, Any]:
        op = entry.op
        request: dict[str, Any] = {}
        if auth is not None:
            request["auth"] = auth
        request["method"] = op.method.upper()
        headers: list[dict[str, Any]] = []
        body = self.body_value(entry)
        if body is not None:
            headers.append({"key": "Content-Type", "value": body[0].content_type})
        accept = self.success_media(entry)
        if accept is not None:
            headers.append({"key": "Accept", "value": accept.content_type})
        cookies: list[str] = []
        for param in op.parameters:
            if param.location == "header" and param.name.lower() not in _MANAGED_HEADERS:
                found, value = self.param(param)
                header: dict[str, Any] = {"key": param.name, "value": _simple(value) if found else ""}
                header["description"] = param.description
                if not param.required:
                    header["disabled"] = True
                headers.append(header)
            elif param.location == "cookie":
                found, value = self.param(param)
                cookies.append(f"{param.name}={_simple(value) if found else ''}")
        if cookies:
            headers.append({"key": "Cookie", "value": "; ".join(cookies)})
        request["header"] = headers
        if body is not None:
            request["body"] = self.body(body[0], bind_body(body[1], entry.body_bindings))
        request["url"] = self.url(entry)
        description = entry.variant.description if entry.variant and entry.variant.description else op.description
        if self.guard is not None and entry.key in self.guard.operations:
            description = f"{description}\n\n{self.guard.note()}" if description else self.guard.note()
        if description:
            request["description"] = description
        return request

    def body(self, media: MediaType, value: Any) -> dict[str, Any]:
        base = media_base(media.content_type)
        if base == "application/x-www-form-urlencoded" and isinstance(value, dict):
            return {"mode": "urlencoded", "urlencoded": [{"key": k, "value": stringify(v), "type": "text"} for k, v in value.items()]}
        if base.startswith("multipart/") and isinstance(value, dict):
            return {"mode": "formdata", "formdata": [{"key": k, "value": stringify(v), "type": "text"} for k, v in value.items()]}
        if media.is_json:
            return {"mode": "raw", "raw": _json_text(value), "options": {"raw": {"language": "json"}}}
        return {"mode": "raw", "raw": value if isinstance(value, str) else _json_text(value)}

    def url(self, entry: Entry) -> dict[str, Any]:
        op = entry.op
        params = {p.name: p for p in op.parameters_in("path")}
        segments: list[str] = []
        variables: list[dict[str, Any]] = []
        for segment in op.path.strip("/").split("/") if op.path.strip("/") else []:
            name = segment[1:-1] if segment.startswith("{") and segment.endswith("}") and segment.count("{") == 1 else None
            if name is not None:
                segments.append(":" + name)
                param = params.get(name)
                value = entry.bindings.get(name)
                if value is None and param is not None:
                    found, example = self.param(param)
                    value = _simple(example) if found else ""
                variable = {"key": name, "value": value or ""}
                if param is not None and param.description:
                    variable["description"] = param.description
                variables.append(variable)
            else:  # a parameter inside a segment ("{name}.json") cannot be a Postman path variable
                for pname, param in params.items():
                    if "{" + pname + "}" in segment:
                        found, example = self.param(param)
                        segment = segment.replace("{" + pname + "}", entry.bindings.get(pname) or (_simple(example) if found else ""))
                segments.append(segment)
        query: list[dict[str, Any]] = []
        for param in op.parameters_in("query"):
            if param.name in self.query_keys:
                continue
            found, value = self.param(param)
            pairs = _query_pairs(param, value) if found else [(param.name, "")]
            for key, text in pairs:
                entry_q: dict[str, Any] = {"key": key, "value": text}
                if param.description:
                    entry_q["description"] = param.description
                if not param.required:
                    entry_q["disabled"] = True
                query.append(entry_q)
        for key in self.query_keys:  # sent only where the environment sets it (collection script)
            declared = next((p for p in op.parameters_in("query") if p.name == key), None)
            description = declared.description if declared and declared.description else "Set by the environment; dropped when empty."
            query.append({"key": key, "value": "{{" + key + "}}", "description": description})
        raw = "{{baseUrl}}" + ("/" + "/".join(segments) if segments else "")
        enabled = [f"{q['key']}={q['value']}" for q in query if not q.get("disabled")]
        if enabled:
            raw += "?" + "&".join(enabled)
        url: dict[str, Any] = {"raw": raw, "host": ["{{baseUrl}}"], "path": segments}
        if query:
            url["query"] = query
        if variables:
            url["variable"] = variables
        return url

    # -- responses and tests -----------------------------------------------------------------------
    def success(self, entry: Entry) -> Response | None:
        return next(iter(entry.op.success_responses), None)

    def success_media(self, entry: Entry) -> MediaType | None:
        response = self.success(entry)
        return response.media() if response is not None else None

    def checks(self, entry: Entry) -> str:
        response = self.success(entry)
        status = int(response.status) if response is not None and response.status.isdigit() else None
        schema = None
        media = response.media() if response is not None else None
        if media is not None and media.is_json:
            raw = entry.variant.response_schema if entry.variant and entry.variant.response_schema is not None else media.schema
            inlined = self.inliner.inline(raw)
            if inlined is not None and inlined != {}:
                schema = compact_json(inlined)
        return response_checks(status, schema, entry.captures)

    def _belongs(self, entry: Entry, example: Example) -> bool:
        """Variants share the operation's examples; one named after a variant belongs to it alone."""
        if entry.variant is None:
            return True
        names = [(v.example or v.operation_id) for v in entry.op.variants]
        owner = next((n for n in sorted(names, key=len, reverse=True) if n and example.name.startswith(n)), None)
        return owner is None or owner == (entry.variant.example or entry.variant.operation_id)

    def _chosen(self, entry: Entry, response: Response) -> tuple[Example, ...] | None:
        """The examples of `response` this operation saves: all of its own responses' examples; of a
        response shared by several operations (`components/responses`), only those the operation names
        in `x-connectorgen-examples` ({status: [example names]}); None when none applies."""
        media = response.media()
        examples = tuple(e for e in (media.examples if media else ()) if not e.external_value)
        if response.pointer.startswith(entry.op.pointer + "/"):
            return examples
        chosen = entry.op.extensions.get(EXAMPLES_KEY)
        names = chosen.get(response.status) if isinstance(chosen, dict) else None
        if isinstance(names, str):
            names = [names]
        if not isinstance(names, list):
            return None
        return tuple(e for e in examples if e.name in names)

    def examples(self, entry: Entry, request: dict[str, Any], key: str = "") -> list[dict[str, Any]]:
        """Saved responses, each named by its status and meaning: the examples the operation's own
        responses document (and the shared ones it chooses), and an empty one for a documented
        response without a body (202, 204)."""
        out: list[dict[str, Any]] = []
        original = _compact(request)
        for response in entry.op.responses:
            code = int(response.status) if response.status.isdigit() else None
            if code is None:
                continue
            media = response.media()
            chosen = self._chosen(entry, response)
            if media is None:
                if response.pointer.startswith(entry.op.pointer + "/") and code < 300:
                    out.append(self._saved(key or entry.key, response, original, code, "", response.description, None))
                continue
            for example in chosen or ():
                if not self._belongs(entry, example):
                    continue
                body = example.value if isinstance(example.value, str) and not media.is_json else _json_text(example.value)
                out.append(self._saved(key or entry.key, response, original, code, example.name, example.summary or response.description, (media, body)))
        return out

    def _saved(
        self,
        key: str,
        response: Response,
        original: dict[str, Any],
        code: int,
        name: str,
        meaning: str,
        content: tuple[MediaType, str] | None,
    ) -> dict[str, Any]:
        headers = [{"key": "Content-Type", "value": content[0].content_type}] if content else []
        headers += [
            {"key": h.name, "value": stringify(h.example)}
            for h in response.headers
            if h.has_example and h.name.lower() != "content-type"
        ]
        saved: dict[str, Any] = {
            "id": stable_id(self.slug, "response", key, response.status, name),
            "name": f"{code} {_meaning(meaning) or _phrase(code)}",
            "originalRequest": original,
            "status": _phrase(code),
            "code": code,
            "_postman_previewlanguage": ("json" if content[0].is_json else "text") if content else "text",
            "header": headers,
            "cookie": [],
            "body": content[1] if content else "",
        }
        return saved


def _meaning(text: str) -> str:
    """The first sentence of a summary or description, without its final full stop."""
    first = text.strip().split("\n")[0]
    first = first.split(". ")[0].strip()
    return first[:-1] if first.endswith(".") else first


def bind_body(value: Any, bindings: dict[str, str]) -> Any:
    """`value` (a request body example) with the JSON pointers of `bindings` set to their variables;
    a pointer whose parent is missing is left out."""
    if not bindings:
        return value
    out = json.loads(json.dumps(value))
    for pointer, variable in bindings.items():
        tokens = split_pointer(pointer if pointer.startswith("/") else "/" + pointer)
        node: Any = out
        for token in tokens[:-1]:
            if isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            elif isinstance(node, dict) and token in node:
                node = node[token]
            else:
                node = None
                break
        last = tokens[-1]
        if isinstance(node, dict):
            node[last] = variable
        elif isinstance(node, list) and last.isdigit() and int(last) < len(node):
            node[int(last)] = variable
    return out


def _compact(request: dict[str, Any]) -> dict[str, Any]:
    """The request as saved with an example response: what was sent, without the documentation."""
    url = dict(request["url"])
    for key in ("query", "variable"):
        if key in url:
            url[key] = [{k: v for k, v in q.items() if k != "description"} for q in url[key]]
    out = {"method": request["method"], "header": [{k: v for k, v in h.items() if k != "description"} for h in request["header"]]}
    if "body" in request:
        out["body"] = request["body"]
    out["url"] = url
    return out


def _phrase(code: int | None) -> str:
    from http import HTTPStatus  # only documents with response examples name their status (~1 ms of import)

    try:
        return HTTPStatus(code).phrase if code is not None else ""
    except ValueError:
        return ""
