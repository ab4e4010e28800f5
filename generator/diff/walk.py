"""What the rules compare: the operations of each side, their inputs as one object, their outputs.

Inputs of an operation are presented as one object schema whose members are its parameters (the body
parameter under the key `body`, carrying its schema), so one walk checks parameters and body fields
alike; each member keeps the pointer of the parameter it came from. Local `$ref`s are followed, and
every node keeps the pointer of where it really is in the file (a definition, not the reference).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from msgspec import Struct

from generator.util.pointer import escape_pointer, split_pointer

__all__ = ["HTTP_METHODS", "Node", "OpInfo", "effective_path", "inputs_node", "operations", "output_nodes", "resolve", "schema_type"]

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch")


class OpInfo(Struct, frozen=True):
    key: str  # operationId, or "METHOD path" without one
    path: str
    method: str
    op: dict[str, Any]
    item: dict[str, Any]
    pointer: str


class Node(Struct, frozen=True):
    """A schema (or parameter) and where it is. `members` overrides the pointers of its properties."""

    schema: dict[str, Any]
    pointer: str
    members: dict[str, str] | None = None
    ref: str = ""  # the definition it was reached through, to stop on recursion

    def properties(self) -> dict[str, Any]:
        props = self.schema.get("properties")
        return props if isinstance(props, dict) else {}

    def required(self) -> set[str]:
        req = self.schema.get("required")
        return {str(r) for r in req} if isinstance(req, list) else set()

    def member_pointer(self, name: str) -> str:
        if self.members is not None and name in self.members:
            return self.members[name]
        return f"{self.pointer}/properties/{escape_pointer(name)}"


def resolve(doc: dict[str, Any], value: Any, pointer: str) -> tuple[Any, str, str]:
    """Follow local `$ref`s: (value, its pointer, the last reference followed or "")."""
    seen: set[str] = set()
    ref = ""
    while isinstance(value, dict) and isinstance(value.get("$ref"), str) and value["$ref"].startswith("#/"):
        ref = value["$ref"]
        if ref in seen:
            return {}, pointer, ref
        seen.add(ref)
        node: Any = doc
        for token in split_pointer(ref[1:]):
            node = node.get(token) if isinstance(node, dict) else None
        value, pointer = node, ref[1:]
    return value, pointer, ref


def operations(doc: dict[str, Any]) -> dict[str, OpInfo]:
    out: dict[str, OpInfo] = {}
    paths = doc.get("paths")
    for path, item in (paths.items() if isinstance(paths, dict) else ()):
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            key = str(op.get("operationId") or f"{method.upper()} {path}")
            out.setdefault(key, OpInfo(key, str(path), method, op, item, f"/paths/{escape_pointer(str(path))}/{method}"))
    return out


def effective_path(doc: dict[str, Any], path: str) -> str:
    """basePath + path, parameter names blanked, lower case: what two lookalike operations share."""
    base = str(doc.get("basePath") or "/").rstrip("/")
    full = (base + "/" + path.lstrip("/")).lower()
    out, depth = [], 0
    for ch in full:
        if ch == "{":
            depth += 1
            out.append("{}")
        elif ch == "}":
            depth = max(0, depth - 1)
        elif not depth:
            out.append(ch)
    return "".join(out).rstrip("/") or "/"


def schema_type(schema: dict[str, Any]) -> str:
    t = schema.get("type")
    if isinstance(t, str):
        return t
    if isinstance(t, list):
        return "|".join(sorted(str(x) for x in t))
    if "properties" in schema:
        return "object"
    if "items" in schema:
        return "array"
    return ""


def inputs_node(doc: dict[str, Any], info: OpInfo) -> Node:
    """The operation's inputs as one object: members are parameters by name (`body` for the body)."""
    members: dict[str, tuple[dict[str, Any], str]] = {}
    item_pointer = info.pointer.rsplit("/", 1)[0]
    for where, params in ((item_pointer, info.item.get("parameters")), (info.pointer, info.op.get("parameters"))):
        for i, raw in enumerate(params if isinstance(params, list) else []):
            param, pointer, _ = resolve(doc, raw, f"{where}/parameters/{i}")
            if not isinstance(param, dict):
                continue
            if param.get("in") == "body":
                schema, schema_pointer, ref = resolve(doc, param.get("schema") or {}, pointer + "/schema")
                merged = dict(schema) if isinstance(schema, dict) else {}
                merged["in"] = "body"
                if ref:
                    merged["x-diff-ref"] = ref
                members["body"] = ({**merged, "x-diff-required": bool(param.get("required"))}, schema_pointer if ref else pointer + "/schema")
                members["body"][0]["x-diff-param-pointer"] = pointer
            else:
                members[str(param.get("name"))] = ({**param, "x-diff-required": bool(param.get("required"))}, pointer)
    props = {name: value for name, (value, _) in members.items()}
    required = [name for name, (value, _) in members.items() if value.get("x-diff-required")]
    return Node({"type": "object", "properties": props, "required": required}, info.pointer, {n: p for n, (_, p) in members.items()})


def output_nodes(doc: dict[str, Any], info: OpInfo) -> Iterator[tuple[str, Node | None]]:
    """(label, node) of what the operation outputs: the success response body, then for a webhook
    trigger its `x-ms-notification-content`. The node is None when that output has no schema."""
    responses = info.op.get("responses")
    responses = responses if isinstance(responses, dict) else {}
    codes = sorted(c for c in responses if str(c).startswith("2"))
    code = codes[0] if codes else ("default" if "default" in responses else "")
    if code:
        response, pointer, _ = resolve(doc, responses[code], f"{info.pointer}/responses/{escape_pointer(str(code))}")
        yield "response", _schema_node(doc, response, pointer)
    else:
        yield "response", None
    for holder, pointer in ((info.op, info.pointer), (info.item, info.pointer.rsplit("/", 1)[0])):
        content = holder.get("x-ms-notification-content")
        if isinstance(content, dict):  # on the operation, or (usually) on its path item
            yield "notification", _schema_node(doc, content, pointer + "/x-ms-notification-content")
            break


def _schema_node(doc: dict[str, Any], holder: Any, pointer: str) -> Node | None:
    if not isinstance(holder, dict) or not isinstance(holder.get("schema"), dict):
        return None
    schema, where, ref = resolve(doc, holder["schema"], pointer + "/schema")
    if not isinstance(schema, dict) or not schema:
        return None
    return Node(schema, where, None, ref)
