"""Resources found in a spec: collection and item paths paired, each operation given a role.

Rules (also in the README, "Running a mock"):
- An item path ends in one path parameter (`/things/{thingId}`); its collection is the path without
  that segment (`/things`), whether or not the spec declares it. A collection path without an item
  path is still a collection when it has both a `POST` (create) and a `GET` (list); a lone
  `POST` is an action (`POST /search`), answered from the examples.
- Nested paths scope their items by the parent path parameters: `/users/{userId}/vehicles/{vehicleId}`
  keeps one list of vehicles per `userId`.
- Roles: `POST` on a collection creates, `GET` lists; on an item `GET` reads, `PUT` replaces,
  `PATCH` updates, `DELETE` deletes. A path with `GET` and `PUT` but neither a parameter at its end
  nor a `POST` is a singleton (`/things/{id}/settings`): `PUT` stores the body, `GET` reads it back.
  A `GET` path without a parameter at its end, neither a collection nor a singleton, whose answer
  is an array (inside its envelope) of items with an id field is a read-only collection: it lists
  the items its examples seed, paged and filtered like any list.
  Everything else (actions such as `POST /things/{id}/start`, paths with no parameter at the end
  and no item path) is answered from the spec's examples.
- Envelopes: a response schema that is an object with a `data` or `result` property holding an
  object or array, all its other properties scalars (`{data, status_code, status_message,
  timestamp}`), wraps the item: the item schema is the `data` property's.
- The id field of an item is, in this order: the field a create operation's `links` take the item
  path parameter from (`$response.body#/thingId`, inside an envelope `#/data/thingId`), then the
  first of the item path parameter's name, `id`, `<singular>Id`, `<singular>_id`, `uuid`, `key`,
  `name` that the item schema declares. Without one, the id lives only in the path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from generator.ir.model import Api, Operation
from generator.mock.schema import SchemaSet
from generator.util.pointer import unescape_pointer

__all__ = ["Resource", "Role", "envelope_field", "find_resources", "properties_of", "singular", "unwrap_schema"]

_PARAM = re.compile(r"^\{([^{}/]+)\}$")
_VARIABLES = re.compile(r"\{([^{}/]+)\}")


@dataclass
class Resource:
    collection: str
    item: str | None
    name: str
    id_param: str | None
    parent_params: tuple[str, ...]
    id_field: str | None = None
    id_schema: dict[str, Any] = field(default_factory=dict)
    item_schema: Any = None
    create: Operation | None = None
    read: Operation | None = None
    lister: Operation | None = None
    singleton: bool = False


@dataclass(frozen=True)
class Role:
    kind: str  # create, list, read, replace, update, delete, other
    resource: Resource | None


def _segments(path: str) -> list[str]:
    return [s for s in path.split("/") if s != ""]


def singular(name: str) -> str:
    if name.endswith("ies") and len(name) > 3:
        return name[:-3] + "y"
    if name.endswith("ses") or name.endswith("xes"):
        return name[:-2]
    if name.endswith("s") and not name.endswith("ss") and len(name) > 1:
        return name[:-1]
    return name


def _success_schema(op: Operation | None) -> Any:
    if op is None:
        return None
    for response in op.responses:
        if response.status.startswith("2"):
            media = response.media()
            if media is not None and media.is_json and media.schema is not None:
                return media.schema
    return None


_ENVELOPE_FIELDS = ("data", "result")
_SCALARS = frozenset({"string", "integer", "number", "boolean", "null"})


def envelope_field(schemas: SchemaSet, schema: Any) -> str | None:
    """The property of an envelope schema that carries the payload (see the module docstring), else None."""
    if not isinstance(schema, dict):
        return None
    properties = properties_of(schemas, schema)
    field = next((f for f in _ENVELOPE_FIELDS if f in properties), None)
    if field is None or len(properties) < 2:
        return None
    inner = schemas.resolve(properties[field]) if isinstance(properties[field], dict) else {}
    if not (inner.get("type") in ("object", "array") or "properties" in inner or "items" in inner):
        return None
    for name, prop in properties.items():
        kind = schemas.resolve(prop).get("type") if isinstance(prop, dict) else None
        kinds = set(kind) if isinstance(kind, list) else {kind}
        if name != field and not kinds <= _SCALARS:
            return None
    return field


def unwrap_schema(schemas: SchemaSet, schema: Any) -> Any:
    """The payload schema of an envelope, else the schema itself."""
    field = envelope_field(schemas, schema)
    return properties_of(schemas, schema)[field] if field is not None else schema


def properties_of(schemas: SchemaSet, schema: Any, depth: int = 0) -> dict[str, Any]:
    """The properties an object schema declares, its allOf/oneOf/anyOf branches' included."""
    if not isinstance(schema, dict) or depth > 4:
        return {}
    resolved = schemas.resolve(schema)
    out: dict[str, Any] = dict(resolved.get("properties") or {})
    for key in ("allOf", "oneOf", "anyOf"):
        for branch in resolved.get(key) or ():
            out = {**properties_of(schemas, branch, depth + 1), **out}
    return out


def _link_field(op: Operation | None, id_param: str | None) -> str | None:
    if op is None or id_param is None:
        return None
    for response in op.responses:
        for link in response.links:
            expression = link.parameters.get(id_param)
            if isinstance(expression, str) and expression.startswith("$response.body#/"):
                pointer = expression[len("$response.body#/") :]
                if pointer and pointer.count("/") <= 1:
                    return unescape_pointer(pointer)
    return None


def find_resources(api: Api, schemas: SchemaSet) -> dict[str, Role]:
    """Every operation's role by operationId."""
    by_path: dict[str, dict[str, Operation]] = {}
    for op in api.operations:
        by_path.setdefault(op.path, {})[op.method] = op
    resources: dict[str, Resource] = {}
    for path in sorted(by_path):
        parts = _segments(path)
        last = _PARAM.match(parts[-1]) if parts else None
        if last is not None and len(parts) > 1 and not _PARAM.match(parts[-2]):
            collection = "/" + "/".join(parts[:-1])
            resource = resources.setdefault(collection, _new(collection))
            resource.item, resource.id_param = path, last.group(1)
    for path, methods in by_path.items():
        parts = _segments(path)
        if path not in resources and parts and not _PARAM.match(parts[-1]) and "post" in methods and "get" in methods:
            resources[path] = _new(path)
    roles: dict[str, Role] = {}
    for path, methods in by_path.items():
        parts = _segments(path)
        if path not in resources and parts and not _PARAM.match(parts[-1]) and "get" in methods and "put" in methods:
            single = _new(path)
            single.singleton, single.read = True, methods["get"]
            single.item_schema = unwrap_schema(schemas, _success_schema(methods["get"]))
            roles[methods["get"].operation_id] = Role("singleton_read", single)
            roles[methods["put"].operation_id] = Role("singleton_write", single)
    for resource in resources.values():
        collection_ops = by_path.get(resource.collection, {})
        item_ops = by_path.get(resource.item or "", {})
        resource.create = collection_ops.get("post")
        resource.read = item_ops.get("get")
        resource.lister = collection_ops.get("get")
        for method, kind in (("post", "create"), ("get", "list")):
            if method in collection_ops:
                roles[collection_ops[method].operation_id] = Role(kind, resource)
        for method, kind in (("get", "read"), ("put", "replace"), ("patch", "update"), ("delete", "delete")):
            if method in item_ops:
                roles[item_ops[method].operation_id] = Role(kind, resource)
        _identify(resource, schemas)
    for path, methods in by_path.items():
        parts = _segments(path)
        get = methods.get("get")
        if get is None or path in resources or not parts or _PARAM.match(parts[-1]) or get.operation_id in roles:
            continue
        listed = _new(path)
        listed.lister = get
        _identify(listed, schemas)
        listed_schema = schemas.resolve(unwrap_schema(schemas, _success_schema(get)) or {})
        if listed.id_field is not None and listed_schema.get("type") == "array":
            roles[get.operation_id] = Role("list", listed)  # a read-only collection (seeded from its examples)
    for op in api.operations:
        roles.setdefault(op.operation_id, Role("other", None))
    return roles


def _new(collection: str) -> Resource:
    parts = _segments(collection)
    name = next((p for p in reversed(parts) if not _VARIABLES.search(p)), "items")
    return Resource(collection=collection, item=None, name=name, id_param=None, parent_params=tuple(_VARIABLES.findall(collection)))


def _identify(resource: Resource, schemas: SchemaSet) -> None:
    outer = _success_schema(resource.read) or _success_schema(resource.create)
    if outer is None:  # no read or create answer: the list's items
        listed_schema = unwrap_schema(schemas, _success_schema(resource.lister))
        listed = schemas.resolve(listed_schema) if isinstance(listed_schema, dict) else {}
        outer = listed.get("items") if listed.get("type") == "array" else None
    field = envelope_field(schemas, outer)
    schema = unwrap_schema(schemas, outer)
    resource.item_schema = schema
    properties = properties_of(schemas, schema)
    linked = _link_field(resource.create, resource.id_param)
    if linked is not None and field is not None and linked.startswith(field + "/"):
        linked = linked[len(field) + 1 :]
    one = singular(resource.name)
    candidates = [linked, resource.id_param, "id", f"{one}Id", f"{one}_id", f"{one}ID", "uuid", "key", "name"]
    for candidate in candidates:
        if candidate and candidate in properties:
            resource.id_field = candidate
            prop = properties[candidate]
            resource.id_schema = dict(schemas.resolve(prop)) if isinstance(prop, dict) else {}
            break
    if resource.id_param and resource.read is not None:
        for param in resource.read.parameters:
            if param.name == resource.id_param and param.location == "path" and not resource.id_schema:
                resource.id_schema = dict(schemas.resolve(param.schema))
