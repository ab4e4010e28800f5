"""The hand-written parts of a models package: `__init__.py` and `operations.py`.

Both are plain text in black style (one item per line once a line would pass 100 characters), so the
package looks formatted without running a formatter on it.
"""

from __future__ import annotations

from generator.targets.models.document import Binding, VariantBinding
from generator.targets.models.postprocess import format_name_list

__all__ = ["init_source", "operations_source"]

_LINE = 100


def _call(indent: str, func: str, args: list[str]) -> str:
    one = f"{indent}{func}({', '.join(args)}),\n"
    if len(one) <= _LINE + 1:
        return one
    return f"{indent}{func}(\n" + "".join(f"{indent}    {a},\n" for a in args) + f"{indent}),\n"


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def init_source(header: str, title: str, names: list[str]) -> str:
    """The package's `__init__.py`: every model re-exported from `.models`."""
    doc = f'"""Typed pydantic models for the {title} API (every JSON body and component schema).\n\n'
    doc += "`operations` tells which model each operation's request and response bodies use.\n"
    doc += '"""\n'
    imports = "from .models import (\n" + "".join(f"    {n},\n" for n in names) + ")\n" if names else ""
    return f"{header}\n{doc}\n{imports}\n{format_name_list('__all__', names)}"


_OPERATIONS_BODY = '''

class Body(NamedTuple):
    """The model of one JSON body; `status` is "" for a request body."""

    operation_id: str
    status: str
    content_type: str
    channel: str  # "operation", "callback" (sent by the API to a URL you gave) or "webhook"
    model: type[BaseModel]


class Variant(NamedTuple):
    """One action of an operation that stands for several (`x-connectorgen-variants`)."""

    operation_id: str
    wire_operation_id: str
    request: type[BaseModel] | None
    response: type[BaseModel] | None


def _find(operation_id: str, status: str, content_type: str | None) -> type[BaseModel]:
    for body in BODIES:
        if body.operation_id == operation_id and body.status == status:
            if content_type is None or body.content_type == content_type:
                return body.model
    raise KeyError(f"no JSON body for {operation_id} {status or 'request'} {content_type or ''}".rstrip())


def request_model(operation_id: str, content_type: str | None = None) -> type[BaseModel]:
    """The model of the request body of `operation_id` (the first JSON one unless `content_type`)."""
    return _find(operation_id, "", content_type)


def response_model(operation_id: str, status: str, content_type: str | None = None) -> type[BaseModel]:
    """The model of the `status` response of `operation_id` (e.g. "200", "4XX", "default")."""
    return _find(operation_id, status, content_type)
'''


def operations_source(header: str, title: str, bindings: list[Binding], variants: list[VariantBinding]) -> str:
    """`operations.py`: `BODIES` (every JSON body's model), `VARIANTS`, and two lookup helpers."""
    out = [header, "\n"]
    out.append(f'"""Which model describes each JSON body of the {title} API."""\n\n')
    out.append("from __future__ import annotations\n\n")
    out.append("from typing import Final, NamedTuple\n\n")
    out.append("from pydantic import BaseModel\n\n")
    out.append("from . import models\n\n")
    out.append(format_name_list("__all__", ["BODIES", "VARIANTS", "Body", "Variant", "request_model", "response_model"]))
    out.append(_OPERATIONS_BODY)
    out.append("\n\nBODIES: Final[tuple[Body, ...]] = (\n")
    for b in bindings:
        args = [_q(b.operation_id), _q(b.status), _q(b.content_type), _q(b.channel), f"models.{b.schema_name}"]
        out.append(_call("    ", "Body", args))
    out.append(")\n")
    out.append("\nVARIANTS: Final[tuple[Variant, ...]] = (\n" if variants else "\nVARIANTS: Final[tuple[Variant, ...]] = ()\n")
    for v in variants:
        args = [_q(v.operation_id), _q(v.wire_operation_id)]
        args += [f"models.{v.request}" if v.request else "None", f"models.{v.response}" if v.response else "None"]
        out.append(_call("    ", "Variant", args))
    if variants:
        out.append(")\n")
    return "".join(out)
