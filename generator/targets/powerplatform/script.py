"""script.csx: the custom code for connectors whose auth policies alone cannot do (sign-in, OAuth2
client credentials), rendered from `templates/powerplatform/script.csx.j2`, and the offline checks
of Microsoft's rules for custom code."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from generator.ir.auth import SignIn
from generator.ir.model import Api
from generator.targets.powerplatform.config import (
    ENVIRONMENT_HEADER,
    ConfigError,
    ConnectorConfig,
    auth_scheme,
    credential_header,
)
from generator.util.templates import render_template

__all__ = ["ALLOWED_NAMESPACES", "ALLOWED_NAMESPACES_FILE", "MAX_SCRIPT_BYTES", "check_script", "cs_literal", "render_script"]

MAX_SCRIPT_BYTES = 1024 * 1024
# The 26 namespaces Power Platform allows in custom code, kept in one file (its header names the source).
ALLOWED_NAMESPACES_FILE = Path(__file__).resolve().parents[2] / "data" / "csharp" / "allowed_namespaces.txt"
ALLOWED_NAMESPACES = frozenset(
    line.strip()
    for line in ALLOWED_NAMESPACES_FILE.read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.lstrip().startswith("#")
)


def cs_literal(value: str) -> str:
    """A C# regular string literal for `value`."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return f'"{escaped}"'


def _identifier(name: str) -> str:
    parts = re.split(r"[^0-9A-Za-z]+", name)
    return "".join(p[:1].upper() + p[1:] for p in parts if p)


def _signin_context(config: ConnectorConfig, api: Api) -> dict[str, Any] | None:
    connection_set = next((s for s in config.sets if s.auth.kind == "signin"), None)
    if connection_set is None:
        return None
    scheme = auth_scheme(api)
    auth = scheme.auth if scheme else None
    if not isinstance(auth, SignIn) or not auth.declared:
        raise ConfigError("connector.yaml asks for sign-in but the spec's x-connectorgen-auth is not kind signin", connection_set.pointer + "/auth/kind")
    signin_op = api.operation(auth.operation_id)
    by_credential = {p.credential: p for p in connection_set.parameters if p.credential}
    credentials = []
    for credential in auth.credentials:
        parameter = by_credential[credential]
        field = _identifier(credential)
        credentials.append(
            {
                "name": cs_literal(credential),
                "field": field,
                "variable": field[:1].lower() + field[1:],
                "header": cs_literal(credential_header(parameter.name)),
            }
        )
    segments = list(auth.token_path)
    return {
        "credentials": credentials,
        "path": cs_literal(signin_op.path),
        "body": cs_literal(json.dumps(auth.body, separators=(",", ":"))),
        "token_path": [cs_literal(s) for s in segments],
    }


def _oauth2_context(config: ConnectorConfig, api: Api) -> dict[str, Any] | None:
    connection_set = next((s for s in config.sets if s.auth.kind == "oauth2-client-credentials"), None)
    if connection_set is None:
        return None
    scheme = auth_scheme(api)
    flow = next((f for f in scheme.flows if f.kind == "clientCredentials"), None) if scheme else None
    if flow is None or not flow.token_url:
        raise ConfigError("connector.yaml asks for client credentials but the spec has no clientCredentials flow", connection_set.pointer + "/auth/kind")
    by_credential = {p.credential: p for p in connection_set.parameters if p.credential}
    return {
        "client_id_header": cs_literal(credential_header(by_credential["client_id"].name)),
        "client_secret_header": cs_literal(credential_header(by_credential["client_secret"].name)),
        "token_url_header": cs_literal(credential_header(connection_set.auth.token_url_parameter)),
        "default_token_url": cs_literal(flow.token_url),
    }


def render_script(
    config: ConnectorConfig,
    api: Api,
    vendor: str,
    backend_paths: dict[str, str],
    templates_dir: Path | None,
) -> str:
    """`backend_paths`: operationId → the path (under the base) the request has when the code runs."""
    operations = [
        (cs_literal(op_id), len([s for s in path.split("/") if s])) for op_id, path in sorted(backend_paths.items())
    ]
    locations = [
        {"operation_id": cs_literal(t.operation_id), "property": cs_literal(t.location_from_body)}
        for t in config.webhook_triggers
        if t.location_from_body
    ]
    title = config.metadata.title
    environment = None
    if config.environment is not None and config.environment.needs_code:
        environment = {
            "header": cs_literal(ENVIRONMENT_HEADER),
            "query_name": cs_literal(config.environment.query_name),
            "values": [(cs_literal(choice), cs_literal(sent)) for choice, sent in config.environment.query_values],
        }
    lookups = [
        {
            "operation_id": cs_literal(item.operation_id),
            "source_path": cs_literal(api.operation(item.source).path),
            "collection": cs_literal(item.source_collection),
            "items": cs_literal(item.items),
            "value": cs_literal(item.value),
            "title": cs_literal(item.title),
            "parent_title": cs_literal(item.parent_title),
        }
        for item in config.lookups
    ]
    return render_template(
        "powerplatform/script.csx.j2",
        templates_dir,
        title=title,
        vendor=vendor,
        signin=_signin_context(config, api),
        oauth2=_oauth2_context(config, api),
        user_agent=cs_literal(f"connectorgen-{vendor}-powerplatform/1.0"),
        operations=operations,
        locations=locations,
        environment=environment,
        lookups=lookups,
    )


_USING = re.compile(r"^\s*using\s+(?:static\s+)?(?:\w+\s*=\s*)?([A-Za-z_][\w.]*)\s*;", re.MULTILINE)
_CLASS = re.compile(r"\bclass\s+(\w+)\s*(?::\s*([\w.]+))?")


def _strip_comments_and_strings(text: str) -> str:
    pattern = r'//[^\n]*|/\*.*?\*/|@"(?:[^"]|"")*"|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\''
    return re.sub(pattern, lambda m: " " if m.group(0).startswith("/") else '""', text, flags=re.DOTALL)


def check_script(text: str) -> list[str]:
    """Microsoft's rules for script.csx that can be checked without the service: one class, named
    Script and deriving from ScriptBase; only the allowed namespaces; under 1 MB. Returns messages."""
    messages: list[str] = []
    size = len(text.encode("utf-8"))
    if size >= MAX_SCRIPT_BYTES:
        messages.append(f"script.csx is {size} bytes; the limit is 1 MB")
    code = _strip_comments_and_strings(text)
    for namespace in _USING.findall(code):
        if namespace not in ALLOWED_NAMESPACES:
            messages.append(f"namespace {namespace} is not allowed in custom code")
    classes = _CLASS.findall(code)
    if len(classes) != 1:
        messages.append(f"script.csx must define exactly one class, found {len(classes)}")
    if not any(name == "Script" and base == "ScriptBase" for name, base in classes):
        messages.append("script.csx must define `public class Script : ScriptBase`")
    if re.search(r"\bnew\s+HttpClient\b", code):
        messages.append("custom code must send HTTP through Context.SendAsync, not a new HttpClient")
    return messages
