"""Which body of which operation each real payload file in `tests/data/<vendor>/` is.

Each vendor's folder has its own naming (see its SOURCE.md); a file no rule recognises is reported,
so payloads added later are not silently left out.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.ir.model import Api, Operation

__all__ = ["Payload", "find_payloads"]


@dataclass(frozen=True)
class Payload:
    file: str  # relative to tests/data/<vendor>/
    value: Any
    operation_id: str = ""  # with status and content type, a body of an operation ...
    status: str = ""  # "" for a request body
    content_type: str = ""
    schema: str = ""  # ... or else a component schema


def _compact(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", name.lower())


def _snake(name: str) -> str:
    name = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    return re.sub(r"[^0-9a-zA-Z]+", "_", name).strip("_").lower()


def _json_media(op: Operation, status: str) -> str:
    """The first JSON content type of the request ("") or of response `status`; "" when none."""
    if status == "":
        contents = op.request_body.contents if op.request_body else ()
    else:
        response = op.response(status)
        contents = response.contents if response else ()
    return next((m.content_type for m in contents if m.is_json), "")


def _body(file: str, value: Any, op: Operation, status: str) -> Payload | None:
    content_type = _json_media(op, status)
    return Payload(file, value, op.operation_id, status, content_type) if content_type else None


def _first_success(op: Operation) -> str:
    return next((r.status for r in op.success_responses if any(m.is_json for m in r.contents)), "")


def _with_status(api: Api, status: str) -> Operation | None:
    return next((op for op in api.operations if _json_media(op, status)), None)


def _eevion(api: Api, file: str, data: Any) -> Payload | None:
    if not isinstance(data, dict) or "body" not in data:
        return None
    op = next((o for o in api.operations if o.method == str(data.get("method", "")).lower() and o.path == data.get("path")), None)
    if op is None:
        return None
    return _body(file, data["body"], op, str(data["status"]) if "status" in data else "")


def _volue(api: Api, file: str, data: Any) -> Payload | None:
    stem = file.removesuffix(".json")
    if m := re.fullmatch(r"callback_(\w+)", stem):
        for parent in api.operations:
            for callback in parent.callbacks:
                if _snake(callback.name) == m.group(1) and callback.operations:
                    return _body(file, data, callback.operations[0], "")
        return None
    if m := re.fullmatch(r"problem_(\d{3})", stem):
        shared = _with_status(api, m.group(1))
        return _body(file, data, shared, m.group(1)) if shared else None
    if m := re.fullmatch(r"(\w+)\.(request|response)", stem):
        candidates = [op for op in api.operations if m.group(1).startswith(_snake(op.operation_id))]
        if not candidates:
            return None
        op = max(candidates, key=lambda o: len(_snake(o.operation_id)))
        return _body(file, data, op, "" if m.group(2) == "request" else _first_success(op))
    return None


# A file named after no operation: SOURCE.md says it is the second example of any statistics operation.
_VEV_IQ_SPECIAL = {"get-statistics-with-auth-200.json": ("GetStatisticsUsersConsumption", "200")}


def _vev_iq(api: Api, file: str, data: Any) -> Payload | None:
    if file in _VEV_IQ_SPECIAL:
        op_id, status = _VEV_IQ_SPECIAL[file]
        return _body(file, data, api.operation(op_id), status)
    stem = file.removesuffix(".json")
    if m := re.fullmatch(r"error-signin(\d{3})", stem):
        return _body(file, data, api.operation("SignIn"), m.group(1))
    if m := re.fullmatch(r"error-(\d{3})", stem):
        op = _with_status(api, m.group(1))
        return _body(file, data, op, m.group(1)) if op else None
    if m := re.fullmatch(r"(.+)-(request|\d{3})", stem):
        op = next((o for o in api.operations if _compact(o.operation_id) == _compact(m.group(1))), None)
        if op is None:
            return None
        return _body(file, data, op, "" if m.group(2) == "request" else m.group(2))
    return None


def _greenflux(api: Api, file: str, data: Any) -> Payload | None:
    stem = _compact(file.removesuffix(".json"))
    name = next((n for n in api.schemas if _compact(n) == stem), None)
    return Payload(file, data, schema=name) if name else None


_RESOLVERS = {"eevion": _eevion, "volue": _volue, "vev-iq": _vev_iq, "greenflux": _greenflux}
# Files that are not bodies of the spec, on purpose (see the folder's SOURCE.md).
_NOT_IN_SPEC = {
    "volue": {"token.response.json"},  # the token server's answer; not part of the API document
    "vev-iq": {"error-401.txt"},  # the plain-text 401 body: not JSON, so no model
}


def find_payloads(vendor: str, api: Api, data_dir: Path) -> tuple[list[Payload], list[str]]:
    """(recognised payloads, files no rule recognises) of `data_dir`, sorted by file name."""
    resolve = _RESOLVERS.get(vendor)
    payloads: list[Payload] = []
    unknown: list[str] = []
    for path in sorted(p for p in data_dir.rglob("*") if p.is_file()):
        file = path.relative_to(data_dir).as_posix()
        if path.suffix == ".md" or path.name in _NOT_IN_SPEC.get(vendor, set()):
            continue
        payload = resolve(api, file, json.loads(path.read_text(encoding="utf-8"))) if resolve and path.suffix == ".json" else None
        if payload is None:
            unknown.append(file)
        else:
            payloads.append(payload)
    return payloads, unknown
