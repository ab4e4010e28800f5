"""Which request feeds which, and the order that lets a full run succeed against a fresh mock.

OpenAPI `links` say which response field feeds which parameter of a later operation (RegisterUser's
`$response.body#/userId` → GetUser's `userId`). Each such field becomes a collection variable that
the source request's test script captures and the target requests use as `{{userId}}`.

Order: folders follow the tags, moved after the folders whose ids they need; inside a folder,
creates come before reads, updates, other actions and deletes, and every request after the requests
it takes ids from. A delete whose resource later folders still use (DeleteUser, while vehicles of
that user are handled in the Vehicles folder) moves to a final "Cleanup" folder, children first.
"""

from __future__ import annotations

import re
from typing import Any

from msgspec import Struct, field

from generator.ir.model import Api, Operation, Parameter, Variant
from generator.targets.postman.examples import parameter_example, stringify
from generator.targets.postman.schema import has_pointer
from generator.util.pointer import split_pointer

__all__ = ["CLEANUP_FOLDER", "Capture", "Entry", "Folder", "Plan", "plan_requests"]

CLEANUP_FOLDER = "Cleanup"
_GENERIC_NAMES = {"id", "uid", "uuid", "key", "name"}


class Capture(Struct, frozen=True):
    """Set collection variable `variable` from this request's response."""

    variable: str
    source: str  # "body" or "header"
    tokens: tuple[str, ...] = ()  # JSON pointer tokens into the body
    header: str = ""


class Entry(Struct):
    """One request: an operation, or one variant of it."""

    op: Operation
    variant: Variant | None
    index: int  # position in the spec, for stable ordering
    captures: list[Capture] = field(default_factory=list)
    bindings: dict[str, str] = field(default_factory=dict)  # path parameter -> value ("{{var}}" or literal)
    body_bindings: dict[str, str] = field(default_factory=dict)  # JSON pointer into the body -> "{{var}}"
    sources: set[int] = field(default_factory=set)  # entries this one takes variables from

    @property
    def key(self) -> str:
        return self.variant.operation_id if self.variant else self.op.operation_id

    @property
    def name(self) -> str:
        if self.variant is not None and self.variant.summary:
            return self.variant.summary
        return self.op.summary or f"{self.op.method.upper()} {self.op.path}"

    @property
    def rank(self) -> int:
        """create 0, read 1, update 2, other actions 3, delete 4."""
        method = self.op.method
        if self.captures or (method == "post" and self.op.response("201") is not None):
            return 0
        return {"get": 1, "head": 1, "options": 1, "put": 2, "patch": 2, "delete": 4}.get(method, 3)


class Folder(Struct):
    name: str
    description: str
    entries: list[Entry]


class Plan(Struct):
    folders: list[Folder]  # a folder named "" holds untagged requests, placed at the collection root
    variables: dict[str, tuple[str, str]]  # captured variable -> (default value, description)


def _variable_name(param: str) -> str:
    name = re.sub(r"[^A-Za-z0-9_]", "_", param).strip("_")
    return name or "id"


def _pointer_tokens(pointer: str) -> list[str]:
    return split_pointer(pointer if pointer.startswith("/") or not pointer else "/" + pointer)


class _Planner:
    def __init__(self, api: Api, entries: list[Entry], examples: dict[int, dict[str, Any]]):
        self.api = api
        self.entries = entries
        self.examples = examples  # entry index -> {"path.x": v, "query.x": v, "header.x": v, "body": v}
        self.by_op: dict[str, list[Entry]] = {}
        for entry in entries:
            self.by_op.setdefault(entry.op.operation_id, []).append(entry)
        self.variables: dict[str, tuple[str, str]] = {}
        self.var_sources: dict[str, tuple[str, str]] = {}  # variable -> (source op, expression)
        self.var_owner: dict[str, list[int]] = {}  # variable -> capturing entries
        self.aliases: list[tuple[Entry, str, Entry, str]] = []  # (target, param, source, source param)

    def variable_for(self, source: Entry, expression: str, param: Parameter) -> str:
        base = _variable_name(param.name)
        name, n = base, 1
        while name in self.var_sources and self.var_sources[name] != (source.op.operation_id, expression):
            n += 1
            name = f"{base}{n}"
        if name not in self.var_sources:
            self.var_sources[name] = (source.op.operation_id, expression)
            found, value = parameter_example(self.api, param)
            self.variables[name] = (
                stringify(value) if found else "",
                f"Captured from the response of {source.name!r} ({expression}); used as {param.name}.",
            )
        return name

    def link(self) -> None:
        for source in self.entries:
            for response in source.op.success_responses:
                for link in response.links:
                    for target in self.by_op.get(link.operation_id, []):
                        for raw_name, expression in link.parameters.items():
                            self.bind(source, target, str(raw_name), expression)
                        if isinstance(link.request_body, dict):
                            for key, expression in link.request_body.items():
                                self.bind_body(source, target, str(key), expression)
        for _ in range(len(self.entries)):  # `$request.path.x` chains, resolved to a fixed point
            changed = False
            for target, param, source, source_param in self.aliases:
                value = source.bindings.get(source_param)
                if value is not None and param not in target.bindings:
                    target.bindings[param] = value
                    target.sources |= {i for i in source.sources if self._feeds(i, value)}
                    changed = True
            if not changed:
                break
        self.fallback_by_name()

    def bind_body(self, source: Entry, target: Entry, key: str, expression: Any) -> None:
        """A link's `requestBody: {field: $response.body#/x}`: the field of the target's body takes
        the value captured from the source's response (Eevion's portId, from Start to Stop a session)."""
        if not isinstance(expression, str) or not expression.startswith("$response.body#"):
            return
        tokens = _pointer_tokens(expression[len("$response.body#") :])
        schema = self._response_schema(source)
        if not tokens or (schema is not None and not has_pointer(self.api, schema, tokens)):
            return
        pointer = "/" + key.lstrip("/")
        if pointer in target.body_bindings:
            return
        name, n = _variable_name(pointer.rsplit("/", 1)[-1]), 1
        base = name
        while name in self.var_sources and self.var_sources[name] != (source.op.operation_id, expression):
            n += 1
            name = f"{base}{n}"
        if name not in self.var_sources:
            self.var_sources[name] = (source.op.operation_id, expression)
            body: Any = self.examples[target.index].get("body", (False, None))[1]
            for token in _pointer_tokens(pointer):
                body = body.get(token) if isinstance(body, dict) else None
            self.variables[name] = (
                stringify(body) if body is not None else "",
                f"Captured from the response of {source.name!r} ({expression}); sent as {pointer[1:]} by {target.name!r}.",
            )
        capture = Capture(name, "body", tuple(tokens))
        if capture not in source.captures:
            source.captures.append(capture)
        self.var_owner.setdefault(name, []).append(source.index)
        target.body_bindings[pointer] = "{{" + name + "}}"
        target.sources.add(source.index)

    def _feeds(self, index: int, value: str) -> bool:
        return any("{{" + c.variable + "}}" == value for c in self.entries[index].captures)

    def bind(self, source: Entry, target: Entry, raw_name: str, expression: Any) -> None:
        location, _, name = raw_name.rpartition(".") if "." in raw_name else ("", "", raw_name)
        param = next(
            (p for p in target.op.parameters if p.name == name and (not location or p.location == location)), None
        )
        if param is None or param.location != "path" or name in target.bindings:
            return  # only path parameters carry ids from one request to the next
        if not isinstance(expression, str) or not expression.startswith("$"):
            target.bindings[name] = str(expression)
            return
        if expression.startswith("$response.body#") or expression.startswith("$response.header."):
            if expression.startswith("$response.body#"):
                tokens = _pointer_tokens(expression[len("$response.body#") :])
                schema = self._response_schema(source)
                if schema is not None and not has_pointer(self.api, schema, tokens):
                    return  # e.g. the list variant of an operation whose start variant has the id
                capture = Capture("", "body", tuple(tokens))
            else:
                capture = Capture("", "header", header=expression[len("$response.header.") :])
            variable = self.variable_for(source, expression, param)
            capture = Capture(variable, capture.source, capture.tokens, capture.header)
            if capture not in source.captures:
                source.captures.append(capture)
            self.var_owner.setdefault(variable, []).append(source.index)
            target.bindings[name] = "{{" + variable + "}}"
            target.sources.add(source.index)
        elif expression.startswith("$request.path."):
            self.aliases.append((target, name, source, expression[len("$request.path.") :]))
        elif expression.startswith(("$request.query.", "$request.header.")):
            where, _, key = expression[len("$request.") :].partition(".")
            found, sent = self.examples[source.index].get(f"{where}.{key}", (False, None))
            if found:
                target.bindings[name] = str(sent)
        elif expression.startswith("$request.body#"):
            body: Any = self.examples[source.index].get("body", (False, None))[1]
            for token in _pointer_tokens(expression[len("$request.body#") :]):
                body = body.get(token) if isinstance(body, dict) else None
            if isinstance(body, str | int | float) and not isinstance(body, bool):
                target.bindings[name] = str(body)

    def _response_schema(self, entry: Entry) -> Any:
        if entry.variant is not None and entry.variant.response_schema is not None:
            return entry.variant.response_schema
        for response in entry.op.success_responses:
            media = response.media()
            if media is not None and media.schema is not None:
                return media.schema
        return None

    def fallback_by_name(self) -> None:
        """A path parameter no link feeds takes the variable captured for a parameter of the same
        name, when that name is specific (`userId`, not `id`)."""
        by_name: dict[str, str] = {}
        for entry in self.entries:
            for name, bound in entry.bindings.items():
                if bound.startswith("{{") and name.lower() not in _GENERIC_NAMES:
                    by_name.setdefault(name, bound)
        for entry in self.entries:
            for param in entry.op.parameters_in("path"):
                value = by_name.get(param.name)
                if value is not None and param.name not in entry.bindings:
                    owners = [i for i in self.var_owner.get(value[2:-2], []) if i != entry.index]
                    if owners:
                        entry.bindings[param.name] = value
                        entry.sources.update(owners)


def _uses(entry: Entry) -> set[str]:
    values = [*entry.bindings.values(), *entry.body_bindings.values()]
    return {v[2:-2] for v in values if v.startswith("{{") and v.endswith("}}")}


def _resource_variable(entry: Entry) -> str | None:
    """The variable naming what a DELETE removes: the one in its last path parameter."""
    params = entry.op.parameters_in("path")
    segments = re.findall(r"\{([^}]+)\}", entry.op.path)
    if not params or not segments:
        return None
    value = entry.bindings.get(segments[-1], "")
    return value[2:-2] if value.startswith("{{") else None


def _toposort(entries: list[Entry], before: dict[int, set[int]], key: Any) -> list[Entry]:
    """Entries ordered by `key`, each after the entries in `before[index]` (cycles broken by key)."""
    remaining = sorted(entries, key=key)
    present = {e.index for e in remaining}
    done: set[int] = set()
    out: list[Entry] = []
    while remaining:
        ready = next(
            (e for e in remaining if not ((before.get(e.index, set()) & present) - done)), remaining[0]
        )
        remaining.remove(ready)
        done.add(ready.index)
        out.append(ready)
    return out


def plan_requests(api: Api, entries: list[Entry], examples: dict[int, dict[str, Any]]) -> Plan:
    planner = _Planner(api, entries, examples)
    planner.link()

    tag_names = [t.name for t in api.tags]
    tag_of = {e.index: (e.op.tags[0] if e.op.tags else "") for e in entries}
    descriptions = {t.name: t.description for t in api.tags}
    used_tags = set(tag_of.values())
    order = [t for t in tag_names if t in used_tags]
    if any(tag == "" for tag in tag_of.values()):
        order.append("")

    # Folder order: after the folders holding the creates this folder's requests need.
    needs: dict[str, set[str]] = {t: set() for t in order}
    for entry in entries:
        for source in entry.sources:
            if tag_of[source] != tag_of[entry.index]:
                needs[tag_of[entry.index]].add(tag_of[source])
    folder_order: list[str] = []
    pending = list(order)
    while pending:
        tag = next((t for t in pending if not (needs[t] - set(folder_order))), pending[0])
        pending.remove(tag)
        folder_order.append(tag)
    position = {t: i for i, t in enumerate(folder_order)}

    # Deletes go after every other request using what they delete.
    before: dict[int, set[int]] = {e.index: set(e.sources) for e in entries}
    users_of: dict[str, list[Entry]] = {}
    if any(e.op.method == "delete" for e in entries):
        for e in entries:
            for variable in _uses(e):
                users_of.setdefault(variable, []).append(e)
    deferred: set[int] = set()
    for entry in entries:
        if entry.op.method != "delete":
            continue
        resource = _resource_variable(entry)
        if resource is None:
            continue
        users = [e for e in users_of.get(resource, ()) if e is not entry]
        before[entry.index] |= {e.index for e in users}
        if any(position[tag_of[e.index]] > position[tag_of[entry.index]] for e in users):
            deferred.add(entry.index)
    # A delete that must wait for a deferred delete is deferred too (children before parents).
    changed = True
    while changed:
        changed = False
        for entry in entries:
            waits = any(i in deferred for i in before[entry.index])
            if entry.index not in deferred and entry.op.method == "delete" and waits:
                deferred.add(entry.index)
                changed = True

    def sort_key(e: Entry) -> tuple[int, int]:
        return (e.rank, e.index)

    by_tag: dict[str, list[Entry]] = {}
    for e in entries:
        if e.index not in deferred:
            by_tag.setdefault(tag_of[e.index], []).append(e)
    folders: list[Folder] = []
    for tag in folder_order:
        members = by_tag.get(tag, [])
        if members:
            folders.append(Folder(tag, descriptions.get(tag, ""), _toposort(members, before, sort_key)))
    cleanup = [e for e in entries if e.index in deferred]
    if cleanup:
        folders.append(
            Folder(
                CLEANUP_FOLDER,
                "Deletes that must wait until the requests of the folders above are done with what they remove.",
                _toposort(cleanup, before, lambda e: (0, -e.index)),
            )
        )
    return Plan(folders, planner.variables)
