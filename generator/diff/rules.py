"""Every rule of `connectorgen diff`, with its evidence (see `registry.py` for the levels).

Quoted messages are those of Microsoft's connector change validator as they appear in pull requests
of github.com/microsoft/PowerPlatformConnectors. Operational versioning (`deprecated: true` and
`x-ms-api-annotation` family/revision) is the documented compatible way to supersede an operation.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import Any

from generator.diff.model import Kind
from generator.diff.pairs import DocPair, NodePair, OpPair
from generator.diff.registry import rule
from generator.diff.walk import OpInfo, effective_path
from generator.problems import Finding
from generator.util.pointer import escape_pointer

__all__: list[str] = []  # rules register themselves in RULES (generator/diff/registry.py)

B, C = Kind.BREAKING, Kind.COMPATIBLE


# -- helpers -------------------------------------------------------------------------------------------
def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a.lower(), b.lower()).ratio() if a and b else 0.0


def _lookalike(doc: DocPair, old: OpInfo) -> str:
    """A hint naming the added operation that most resembles a deleted one, or ""."""
    best, why, score = "", "", 0.0
    old_path = effective_path(doc.old.definition, old.path)
    for key in doc.added:
        new = doc.new_ops[key]
        if new.method == old.method and effective_path(doc.new.definition, new.path) == old_path:
            candidate, reason = 1.0, f"same request {old.method.upper()} {old_path}"
        else:
            by_summary = _ratio(str(old.op.get("summary", "")), str(new.op.get("summary", "")))
            by_id = _ratio(old.key, new.key)
            candidate = max(by_summary, by_id)
            reason = "similar summary" if by_summary >= by_id else "similar operationId"
            if new.method != old.method:
                candidate -= 0.2
        if candidate > score:
            best, why, score = key, reason, candidate
    if score < 0.75:
        return ""
    return f"looks renamed to {best} ({why}); a rename is a delete plus an add: keep {old.key} (deprecated) to stay compatible"


def _visibility(value: dict[str, Any]) -> str:
    return str(value.get("x-ms-visibility") or "")


def _trigger(info: OpInfo) -> str:
    kind = info.op.get("x-ms-trigger")
    if not kind:
        return ""
    mode = "webhook" if "x-ms-notification-content" in info.op or "x-ms-notification-content" in info.item else "polling"
    return f"{kind} ({mode})"


def _annotation(op: dict[str, Any]) -> dict[str, Any]:
    value = op.get("x-ms-api-annotation")
    return value if isinstance(value, dict) else {}


def _families(doc: DocPair) -> set[str]:
    """Operation families of OLD, and the families NEW gives to operations that OLD has."""
    out: set[str] = set()
    for info in doc.old_ops.values():
        family = _annotation(info.op).get("family")
        out.add(str(family) if family else info.key)
        kept = doc.new_ops.get(info.key)
        if kept is not None and _annotation(kept.op).get("family"):
            out.add(str(_annotation(kept.op)["family"]))
    return out


_P = "x-ms-apimTemplateParameter."


def routed_paths(properties: dict[str, Any] | None) -> dict[str, str]:
    """operationId → the path its request is sent to, from `routerequesttoendpoint` policies."""
    out: dict[str, str] = {}
    policies = (properties or {}).get("policyTemplateInstances")
    for policy in policies if isinstance(policies, list) else []:
        if not isinstance(policy, dict) or policy.get("templateId") != "routerequesttoendpoint":
            continue
        raw = policy.get("parameters")
        params: dict[str, Any] = raw if isinstance(raw, dict) else {}
        path = params.get(_P + "newPath")
        names = params.get("x-ms-apimTemplate-operationName")
        for name in names if isinstance(names, list) else []:
            if isinstance(path, str):
                out[str(name)] = path
    return out


def request_url(definition: dict[str, Any], properties: dict[str, Any] | None, info: OpInfo) -> str:
    """host + basePath + the path the request really goes to (after a routing policy)."""
    path = routed_paths(properties).get(info.key, info.path)
    base = str(definition.get("basePath") or "/").rstrip("/")
    return f"{definition.get('host', '')}{base}/{path.lstrip('/')}"


def _sig(definition: dict[str, Any]) -> str:
    defs = definition.get("securityDefinitions")
    parts = []
    for _name, scheme in sorted(defs.items()) if isinstance(defs, dict) else ():
        if isinstance(scheme, dict):
            detail = scheme.get("flow") or (f"{scheme.get('in')} {scheme.get('name')}" if scheme.get("type") == "apiKey" else "")
            parts.append(f"{scheme.get('type')}{' ' + str(detail) if detail else ''}")
    return ", ".join(parts) or "no security definition"


def connection_parameters(properties: dict[str, Any] | None) -> dict[str, tuple[dict[str, Any], str]]:
    """name → (parameter, pointer in apiProperties' `properties`), over every parameter set."""
    out: dict[str, tuple[dict[str, Any], str]] = {}
    if not properties:
        return out
    flat = properties.get("connectionParameters")
    for name, value in flat.items() if isinstance(flat, dict) else ():
        if isinstance(value, dict):
            out[name] = (value, f"/properties/connectionParameters/{escape_pointer(name)}")
    sets = properties.get("connectionParameterSets")
    values = sets.get("values") if isinstance(sets, dict) else None
    for i, item in enumerate(values if isinstance(values, list) else []):
        params = item.get("parameters") if isinstance(item, dict) else None
        for name, value in params.items() if isinstance(params, dict) else ():
            if isinstance(value, dict):
                out.setdefault(name, (value, f"/properties/connectionParameterSets/values/{i}/parameters/{escape_pointer(name)}"))
    return out


def _auth(properties: dict[str, Any] | None) -> str:
    if properties is None:
        return ""
    sets = properties.get("connectionParameterSets")
    kinds = []
    for _name, (param, _) in sorted(connection_parameters(properties).items()):
        if param.get("type") == "oauthSetting":
            provider = (param.get("oAuthSettings") or {}).get("identityProvider", "oauth2")
            kinds.append(f"OAuth ({provider})")
    if isinstance(sets, dict):
        names = [str(v.get("name")) for v in sets.get("values", []) if isinstance(v, dict)]
        kinds.append("parameter sets " + "/".join(names))
    return ", ".join(kinds) or "connection parameters"


def _required_connection(param: dict[str, Any]) -> bool:
    constraints = (param.get("uiDefinition") or {}).get("constraints") or {}
    return str(constraints.get("required", "false")).lower() == "true" and param.get("type") != "oauthSetting"


# -- document level ------------------------------------------------------------------------------------
@rule("operation_deleted", B, "document", "an operation of OLD is missing from NEW (a rename is a delete plus an add)")
def operation_deleted(doc: DocPair) -> Iterator[Finding]:
    """Microsoft's validator: "The operation has been deleted". Flows bind to the operationId (Power
    Automate) and path (Logic Apps); a rename is reported the same way, with a hint naming the lookalike."""
    for key in doc.deleted:
        info = doc.old_ops[key]
        yield Finding(f"the operation {key} ({info.method.upper()} {info.path}) has been deleted", info.pointer, new_pointer="/paths", hint=_lookalike(doc, info))


@rule("operation_added", C, "document", "a new action", anchor="new")
def operation_added(doc: DocPair) -> Iterator[Finding]:
    """Adding an operation changes nothing a flow is bound to (the mutation tests add one to each
    published connector)."""
    families = _families(doc)
    for key in doc.added:
        info = doc.new_ops[key]
        if _trigger(info) or str(_annotation(info.op).get("family") or "") in families:
            continue
        yield Finding(f"new operation {key} ({info.method.upper()} {info.path})", "/paths", new_pointer=info.pointer)


@rule("trigger_added", C, "document", "a new trigger", anchor="new")
def trigger_added(doc: DocPair) -> Iterator[Finding]:
    """A new trigger is offered to new flows only; existing flows are unaffected."""
    for key in doc.added:
        info = doc.new_ops[key]
        if _trigger(info):
            yield Finding(f"new trigger {key} ({_trigger(info)})", "/paths", new_pointer=info.pointer)


@rule("operation_versioned", C, "document", "a new revision of an existing operation family (x-ms-api-annotation)", anchor="new")
def operation_versioned(doc: DocPair) -> Iterator[Finding]:
    """Operational versioning, Microsoft's documented way out: the new operation carries
    `x-ms-api-annotation` with the family of an existing one and a higher revision, while the old one
    stays (marked `deprecated: true`), so existing flows keep their operation."""
    families = _families(doc)
    for key in doc.added:
        info = doc.new_ops[key]
        annotation = _annotation(info.op)
        family = str(annotation.get("family") or "")
        if family and family in families and not _trigger(info):
            yield Finding(f"{key} is revision {annotation.get('revision', '?')} of the {family} family", "/paths", new_pointer=info.pointer)


@rule("base_path_changed", C, "document", "basePath changed (each operation's request URL is checked by request_url_changed)")
def base_path_changed(doc: DocPair) -> Iterator[Finding]:
    """Flows store operationIds (Power Automate) and path templates (Logic Apps), not the basePath; what
    a basePath change can break is the request each operation sends, which `request_url_changed` checks
    operation by operation (routing policies included)."""
    old, new = doc.old.definition.get("basePath", "/"), doc.new.definition.get("basePath", "/")
    if str(old).rstrip("/") != str(new).rstrip("/"):
        yield Finding(f"basePath changed from {old!r} to {new!r}", "/basePath", new_pointer="/basePath")


@rule("host_changed", C, "document", "host changed (flows keep their bindings; the new host must serve the same API)")
def host_changed(doc: DocPair) -> Iterator[Finding]:
    """The host is not part of what a flow stores; a vendor moving its API is reported so that the
    change is seen, not as a break."""
    old, new = doc.old.definition.get("host"), doc.new.definition.get("host")
    if old != new:
        yield Finding(f"host changed from {old!r} to {new!r}", "/host", new_pointer="/host")


@rule("auth_type_changed", B, "document", "the authentication type (security definitions) changed: existing connections must be re-created")
def auth_type_changed(doc: DocPair) -> Iterator[Finding]:
    """A connection is created for one authentication type (`securityDefinitions`: basic, apiKey with
    its header or query name, oauth2 with its flow); changing it invalidates every existing connection,
    so every flow needs a new one."""
    old_sig, new_sig = _sig(doc.old.definition), _sig(doc.new.definition)
    if old_sig != new_sig:
        yield Finding(f"security definitions changed from {old_sig} to {new_sig}", "/securityDefinitions", new_pointer="/securityDefinitions")


@rule("connection_auth_changed", B, "document", "the connection's authentication changed (parameter sets, OAuth identity provider)", file="properties")
def connection_auth_changed(doc: DocPair) -> Iterator[Finding]:
    """The other half of the authentication type, in apiProperties.json: moving between single
    connection parameters and `connectionParameterSets`, or changing an OAuth identity provider, makes
    existing connections unusable (they were created for the old form)."""
    if doc.old.properties is None or doc.new.properties is None:
        return
    old_auth, new_auth = _auth(doc.old.properties), _auth(doc.new.properties)
    if old_auth != new_auth:
        old_ptr = "/properties/" + ("connectionParameterSets" if "connectionParameterSets" in doc.old.properties else "connectionParameters")
        new_ptr = "/properties/" + ("connectionParameterSets" if "connectionParameterSets" in doc.new.properties else "connectionParameters")
        yield Finding(f"authentication changed from {old_auth} to {new_auth}", old_ptr, new_pointer=new_ptr)


@rule("connection_parameter_deleted", B, "document", "a connection parameter was removed or renamed", file="properties")
def connection_parameter_deleted(doc: DocPair) -> Iterator[Finding]:
    """Existing connections hold values by connection parameter name; removing or renaming one leaves
    them without it (and policies or custom code reading it get nothing)."""
    if doc.old.properties is None or doc.new.properties is None:
        return
    new = connection_parameters(doc.new.properties)
    for name, (_, pointer) in connection_parameters(doc.old.properties).items():
        if name not in new:
            yield Finding(f"connection parameter {name!r} has been removed (or renamed)", pointer, new_pointer="/properties")


@rule("required_connection_parameter_added", B, "document", "a required connection parameter was added", file="properties", anchor="new")
def required_connection_parameter_added(doc: DocPair) -> Iterator[Finding]:
    """Existing connections have no value for a new required connection parameter; they must be edited
    or re-created."""
    if doc.old.properties is None or doc.new.properties is None:
        return
    old = connection_parameters(doc.old.properties)
    for name, (param, pointer) in connection_parameters(doc.new.properties).items():
        if name not in old and _required_connection(param):
            yield Finding(f"required connection parameter {name!r} added", "/properties", new_pointer=pointer)


@rule("optional_connection_parameter_added", C, "document", "an optional connection parameter was added", file="properties", anchor="new")
def optional_connection_parameter_added(doc: DocPair) -> Iterator[Finding]:
    """An optional connection parameter leaves existing connections valid."""
    if doc.old.properties is None or doc.new.properties is None:
        return
    old = connection_parameters(doc.old.properties)
    for name, (param, pointer) in connection_parameters(doc.new.properties).items():
        if name not in old and not _required_connection(param):
            yield Finding(f"optional connection parameter {name!r} added", "/properties", new_pointer=pointer)


@rule("connection_parameter_type_changed", B, "document", "a connection parameter changed type", file="properties")
def connection_parameter_type_changed(doc: DocPair) -> Iterator[Finding]:
    """A stored connection value of one type (string, securestring, oauthSetting…) does not carry over
    to another."""
    if doc.old.properties is None or doc.new.properties is None:
        return
    new = connection_parameters(doc.new.properties)
    for name, (param, pointer) in connection_parameters(doc.old.properties).items():
        if name in new and param.get("type") != new[name][0].get("type"):
            yield Finding(
                f"connection parameter {name!r} changed type from {param.get('type')!r} to {new[name][0].get('type')!r}",
                pointer,
                new_pointer=new[name][1],
            )


# -- operation level -----------------------------------------------------------------------------------
@rule("operation_hidden", B, "operation", "an operation moved to internal visibility")
def operation_hidden(pair: OpPair) -> Iterator[Finding]:
    """Microsoft's validator: "The operation has been hidden. This change breaks the designer"
    (`x-ms-visibility: internal` on an operation flows use)."""
    if _visibility(pair.new.op) == "internal" and _visibility(pair.old.op) != "internal":
        yield Finding(f"{pair.old.key} has been hidden (x-ms-visibility internal)", pair.old.pointer, new_pointer=pair.new.pointer + "/x-ms-visibility")


@rule("operation_deprecated", C, "operation", "an operation marked deprecated (operational versioning)")
def operation_deprecated(pair: OpPair) -> Iterator[Finding]:
    """Operational versioning: `deprecated: true` hides the operation from new flows while existing
    flows keep running it; the documented compatible path."""
    if pair.new.op.get("deprecated") is True and pair.old.op.get("deprecated") is not True:
        yield Finding(f"{pair.old.key} is now deprecated", pair.old.pointer, new_pointer=pair.new.pointer + "/deprecated")


@rule("operation_annotation_changed", C, "operation", "x-ms-api-annotation family or revision changed")
def operation_annotation_changed(pair: OpPair) -> Iterator[Finding]:
    """`x-ms-api-annotation` (family, revision) groups revisions of one operation for the designer;
    it does not change what a flow calls."""
    old, new = _annotation(pair.old.op), _annotation(pair.new.op)
    if old != new:
        yield Finding(f"{pair.old.key}: x-ms-api-annotation changed from {old or 'none'} to {new or 'none'}", pair.old.pointer, new_pointer=pair.new.pointer)


@rule("path_template_changed", B, "operation", "the path template of an operation changed")
def path_template_changed(pair: OpPair) -> Iterator[Finding]:
    """Microsoft's validator: "The path template has been changed". Logic Apps store the path of each
    action; a renamed path parameter changes the template too."""
    if pair.old.path != pair.new.path:
        yield Finding(f"{pair.old.key}: path template changed from {pair.old.path} to {pair.new.path}", pair.old.pointer, new_pointer=pair.new.pointer)


@rule("request_url_changed", B, "operation", "an operation sends its request to another URL (host, basePath, path or routing policy)")
def request_url_changed(pair: OpPair) -> Iterator[Finding]:
    """Existing flows keep the operation but its request goes elsewhere: host + basePath + path, or the
    path a `routerequesttoendpoint` policy of apiProperties.json sends it to (policies are known only when
    package folders or spec folders are compared). A changed host alone is `host_changed`, a changed
    path template `path_template_changed`."""
    doc = pair.doc
    if pair.old.path != pair.new.path:
        return
    old = request_url(doc.old.definition, doc.old.properties, pair.old)
    new = request_url(doc.new.definition, doc.new.properties, pair.new)
    old_host, new_host = str(doc.old.definition.get("host", "")), str(doc.new.definition.get("host", ""))
    if old[len(old_host):] != new[len(new_host):]:
        yield Finding(f"{pair.old.key}: the request goes to {new} instead of {old}", pair.old.pointer, new_pointer=pair.new.pointer)


@rule("method_changed", B, "operation", "the HTTP method of an operation changed")
def method_changed(pair: OpPair) -> Iterator[Finding]:
    """Flows stored with the operation call it with its method; the same operationId under another
    method is another operation for the platform."""
    if pair.old.method != pair.new.method:
        yield Finding(f"{pair.old.key}: method changed from {pair.old.method.upper()} to {pair.new.method.upper()}", pair.old.pointer, new_pointer=pair.new.pointer)


@rule("trigger_type_changed", B, "operation", "a trigger changed type (single/batch, polling/webhook) or stopped or started being a trigger")
def trigger_type_changed(pair: OpPair) -> Iterator[Finding]:
    """A flow's trigger is registered for one trigger type (`x-ms-trigger` single or batch, polling or
    webhook with `x-ms-notification-content`); a different type is not the trigger the flow was saved with."""
    old, new = _trigger(pair.old), _trigger(pair.new)
    if old != new:
        yield Finding(
            f"{pair.old.key}: trigger type changed from {old or 'an action'} to {new or 'an action'}",
            pair.old.pointer,
            new_pointer=pair.new.pointer,
        )


# -- schema level: inputs --------------------------------------------------------------------------------
def _where(pair: NodePair, name: str) -> str:
    return "parameter" if not pair.label else "field"


def _member_default_internal(value: dict[str, Any]) -> bool:
    return _visibility(value) == "internal" and "default" in value


@rule("input_deleted", B, "schema", "an input (parameter or body field) was removed or renamed", modes=("input",))
def input_deleted(pair: NodePair) -> Iterator[Finding]:
    """Flows store their inputs by name; Microsoft's validator reports removed input fields, and a
    renamed one is a removal plus an addition (with a hint when the two look alike)."""
    new = pair.new.properties()
    added = [n for n in new if n not in pair.old.properties()]
    for name in pair.old.properties():
        if name not in new:
            look = max(added, key=lambda n: _ratio(name, n), default="")
            hint = f"looks renamed to {look!r}" if look and _ratio(name, look) >= 0.75 else ""
            yield Finding(
                f"{pair.operation}: input {_where(pair, name)} {pair.member(name)!r} has been deleted",
                pair.old.member_pointer(name),
                new_pointer=pair.new.pointer,
                hint=hint,
            )


@rule("required_input_added", B, "schema", "a required input was added", modes=("input",), anchor="new")
def required_input_added(pair: NodePair) -> Iterator[Finding]:
    """Microsoft's validator: "The required input field has been added". Saved flows do not send it.
    An internal input with a default is filled in by the platform and is not reported."""
    old, required = pair.old.properties(), pair.new.required()
    for name, value in pair.new.properties().items():
        if name not in old and name in required and not _member_default_internal(value if isinstance(value, dict) else {}):
            yield Finding(f"{pair.operation}: required input {pair.member(name)!r} has been added", pair.old.pointer, new_pointer=pair.new.member_pointer(name))


@rule("optional_input_added", C, "schema", "an optional input was added", modes=("input",), anchor="new")
def optional_input_added(pair: NodePair) -> Iterator[Finding]:
    """Saved flows simply do not send a new optional input."""
    old, required = pair.old.properties(), pair.new.required()
    for name, value in pair.new.properties().items():
        if name not in old and (name not in required or _member_default_internal(value if isinstance(value, dict) else {})):
            yield Finding(f"{pair.operation}: optional input {pair.member(name)!r} added", pair.old.pointer, new_pointer=pair.new.member_pointer(name))


@rule("input_became_required", B, "schema", "an optional input became required", modes=("input",))
def input_became_required(pair: NodePair) -> Iterator[Finding]:
    """Like a new required input: saved flows that left it empty now fail validation."""
    old_req, new_req, new = pair.old.required(), pair.new.required(), pair.new.properties()
    for name in pair.old.properties():
        if name in new and name in new_req and name not in old_req and not _member_default_internal(pair.new_member(name)):
            yield Finding(f"{pair.operation}: input {pair.member(name)!r} is now required", pair.old.member_pointer(name), new_pointer=pair.new.member_pointer(name))


@rule("input_became_optional", C, "schema", "a required input became optional", modes=("input",))
def input_became_optional(pair: NodePair) -> Iterator[Finding]:
    """Saved flows all send it; relaxing the requirement breaks none of them."""
    old_req, new_req, new = pair.old.required(), pair.new.required(), pair.new.properties()
    for name in pair.old.properties():
        if name in new and name in old_req and name not in new_req:
            yield Finding(f"{pair.operation}: input {pair.member(name)!r} is now optional", pair.old.member_pointer(name), new_pointer=pair.new.member_pointer(name))


@rule("input_location_changed", B, "schema", "a parameter moved (query, path, header, body, formData)", modes=("input",))
def input_location_changed(pair: NodePair) -> Iterator[Finding]:
    """Microsoft's validator: "The location has been changed for the parameter"."""
    old, new = pair.old.schema.get("in"), pair.new.schema.get("in")
    if old and new and old != new:
        yield Finding(f"{pair.operation}: the location of {pair.label!r} changed from {old} to {new}", pair.old.pointer + "/in", new_pointer=pair.new.pointer + "/in")


@rule("input_type_changed", B, "schema", "the type of an input changed", modes=("input",))
def input_type_changed(pair: NodePair) -> Iterator[Finding]:
    """Microsoft's validator reports type changes of input fields: a value saved for the old type is
    refused, or sent differently, with the new one."""
    if pair.old_type and pair.new_type and pair.old_type != pair.new_type:
        yield Finding(f"{pair.operation}: the type of input {pair.label!r} changed from {pair.old_type} to {pair.new_type}", pair.old.pointer, new_pointer=pair.new.pointer)


@rule("input_format_changed", B, "schema", "the format of an input changed", modes=("input",))
def input_format_changed(pair: NodePair) -> Iterator[Finding]:
    """Microsoft's validator reports format changes of input fields (e.g. date-time to date, int32 to int64)."""
    old, new = pair.old.schema.get("format"), pair.new.schema.get("format")
    if old != new and pair.old_type == pair.new_type and pair.old_type:
        yield Finding(f"{pair.operation}: the format of input {pair.label!r} changed from {old or 'none'} to {new or 'none'}", pair.old.pointer, new_pointer=pair.new.pointer)


@rule("input_enum_value_removed", B, "schema", "a value was removed from an input's enum", modes=("input",))
def input_enum_value_removed(pair: NodePair) -> Iterator[Finding]:
    """Microsoft's validator flags removing an enum value of an input: flows saved with that value are refused."""
    old, new = pair.old.schema.get("enum"), pair.new.schema.get("enum")
    if isinstance(old, list) and isinstance(new, list):
        gone = [v for v in old if v not in new]
        if gone:
            yield Finding(f"{pair.operation}: input {pair.label!r} no longer accepts {', '.join(repr(v) for v in gone)}", pair.old.pointer + "/enum", new_pointer=pair.new.pointer + "/enum")
    elif isinstance(new, list) and not isinstance(old, list) and pair.old_type:
        yield Finding(f"{pair.operation}: input {pair.label!r} now only accepts {', '.join(repr(v) for v in new)}", pair.old.pointer, new_pointer=pair.new.pointer + "/enum")


@rule("input_enum_value_added", C, "schema", "a value was added to an input's enum", modes=("input",))
def input_enum_value_added(pair: NodePair) -> Iterator[Finding]:
    """Every value a flow saved is still accepted."""
    old, new = pair.old.schema.get("enum"), pair.new.schema.get("enum")
    if isinstance(old, list) and isinstance(new, list):
        more = [v for v in new if v not in old]
        if more:
            yield Finding(f"{pair.operation}: input {pair.label!r} also accepts {', '.join(repr(v) for v in more)}", pair.old.pointer + "/enum", new_pointer=pair.new.pointer + "/enum")


# -- schema level: outputs -------------------------------------------------------------------------------
@rule("output_deleted", B, "schema", "an output field was removed or renamed", modes=("output",))
def output_deleted(pair: NodePair) -> Iterator[Finding]:
    """Microsoft's validator: "The output field has been deleted". Later steps of a flow reference
    output fields by name (dynamic content)."""
    new = pair.new.properties()
    for name in pair.old.properties():
        if name not in new:
            yield Finding(f"{pair.operation}: output field {pair.member(name)!r} has been deleted", pair.old.member_pointer(name), new_pointer=pair.new.pointer)


@rule("output_added", C, "schema", "an output field was added", modes=("output", "trigger"), anchor="new")
def output_added(pair: NodePair) -> Iterator[Finding]:
    """New dynamic content; nothing a flow uses goes away."""
    old = pair.old.properties()
    for name in pair.new.properties():
        if name not in old:
            yield Finding(f"{pair.operation}: new output field {pair.member(name)!r}", pair.old.pointer, new_pointer=pair.new.member_pointer(name))


@rule("output_type_changed", B, "schema", "the type of an output changed", modes=("output",))
def output_type_changed(pair: NodePair) -> Iterator[Finding]:
    """Microsoft's validator reports type changes of output fields: expressions and later steps typed on
    the old value break."""
    if pair.old_type and pair.old_type != pair.new_type:
        yield Finding(f"{pair.operation}: the type of output {pair.label or 'body'!r} changed from {pair.old_type} to {pair.new_type or 'none'}", pair.old.pointer, new_pointer=pair.new.pointer)


@rule("output_format_changed", B, "schema", "the format of an output changed", modes=("output",))
def output_format_changed(pair: NodePair) -> Iterator[Finding]:
    """Microsoft's validator reports format changes of output fields."""
    old, new = pair.old.schema.get("format"), pair.new.schema.get("format")
    if old != new and pair.old_type == pair.new_type and pair.old_type:
        yield Finding(f"{pair.operation}: the format of output {pair.label or 'body'!r} changed from {old or 'none'} to {new or 'none'}", pair.old.pointer, new_pointer=pair.new.pointer)


@rule("trigger_response_changed", B, "schema", "the response (or x-ms-notification-content) of a trigger changed incompatibly", modes=("trigger",))
def trigger_response_changed(pair: NodePair) -> Iterator[Finding]:
    """A trigger's output is what the whole flow runs on; Microsoft's validator checks type and format
    changes inside `x-ms-notification-content` as well. Reported: a field deleted, a type or format changed."""
    new = pair.new.properties()
    for name in pair.old.properties():
        if name not in new:
            yield Finding(f"{pair.operation}: trigger output field {pair.member(name)!r} has been deleted", pair.old.member_pointer(name), new_pointer=pair.new.pointer)
    if pair.old_type and pair.old_type != pair.new_type:
        yield Finding(f"{pair.operation}: the type of trigger output {pair.label or 'body'!r} changed from {pair.old_type} to {pair.new_type or 'none'}", pair.old.pointer, new_pointer=pair.new.pointer)
    old_format, new_format = pair.old.schema.get("format"), pair.new.schema.get("format")
    if old_format != new_format and pair.old_type == pair.new_type and pair.old_type:
        yield Finding(f"{pair.operation}: the format of trigger output {pair.label or 'body'!r} changed from {old_format or 'none'} to {new_format or 'none'}", pair.old.pointer, new_pointer=pair.new.pointer)
