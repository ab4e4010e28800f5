"""The connector emulator: what Power Platform does with an action call, offline.

`Emulator(package_dir, connection, base_url=...)` → `call(operationId, parameters, body)` builds the
request from the Swagger definition, adds the credential the connection's security definition says
(apiKey header, HTTP basic), applies the policy templates with the connection's values,
moves it to `base_url` (a mock server) in place of the package's host, and sends it — through the
compiled custom code when the package has script.csx for that operation, else directly.
Webhook triggers (`register_webhook`, `delete_subscription`) and polling triggers (`poll`) follow
the platform's protocols for them.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from generator.emulator.expressions import ExpressionContext, ExpressionError, evaluate_template
from generator.emulator.package import EmulatedPackage, EmulatorError, load_emulated_package
from generator.emulator.policies import P, apply_request_policies
from generator.emulator.request import build_request
from generator.emulator.wire import WireRequest, WireResponse

__all__ = ["Call", "Emulator", "PollResult", "Subscription"]


@dataclass
class Call:
    operation_id: str
    platform_url: str  # where Power Platform would send it (after policies, before the override)
    request: WireRequest  # what was sent (to base_url)
    response: WireResponse
    policies: list[str] = field(default_factory=list)


@dataclass
class Subscription:
    location: str  # as the registration answered it
    registration: Call


@dataclass
class PollResult:
    call: Call
    items: list[Any]
    state: dict[str, str]  # query parameters for the next poll


class Emulator:
    def __init__(
        self,
        package_dir: Path,
        connection: Mapping[str, str],
        base_url: str | None = None,
        parameter_set: str | None = None,
        harness_dir: Path | None = None,
        timeout: float = 10.0,
    ):
        self.package: EmulatedPackage = load_emulated_package(Path(package_dir))
        self.base_url = base_url.rstrip("/") if base_url else None
        self.parameter_set = parameter_set if parameter_set is not None else next(iter(self.package.parameter_sets()))
        self.connection = self._connection(dict(connection), parameter_set)
        self.harness_dir = harness_dir
        self.timeout = timeout
        self._runner: Any = None

    def _connection(self, values: dict[str, str], parameter_set: str | None) -> dict[str, str]:
        sets = self.package.parameter_sets()
        name = parameter_set if parameter_set is not None else next(iter(sets))
        if name not in sets:
            raise EmulatorError(f"no connection parameter set {name!r}; the package has {sorted(sets)}")
        filled = dict(values)
        for parameter_name, parameter in sets[name].items():
            if parameter_name not in filled and "defaultValue" in parameter:
                filled[parameter_name] = parameter["defaultValue"]
            required = parameter.get("uiDefinition", {}).get("constraints", {}).get("required") == "true"
            if required and not filled.get(parameter_name):
                raise EmulatorError(f"connection parameter {parameter_name!r} is required")
        return filled

    # -- requests -------------------------------------------------------------------------------

    def prepare(self, operation_id: str, parameters: Mapping[str, Any] | None = None, body: Any = None) -> tuple[WireRequest, str, list[str]]:
        """(request to send, URL the platform would use, policies applied)."""
        op = self.package.operation(operation_id)
        request = build_request(self.package, op, parameters or {}, body)
        self._authenticate(request)
        applied = apply_request_policies(request, self.package.policies(operation_id), self.connection)
        platform_url = request.url
        if self.base_url:
            request.base = self._override(request.base)
        return request, platform_url, applied

    def _authenticate(self, request: WireRequest) -> None:
        """What the platform does with the security definition of the connection's parameter set
        (the one named after the set, or the only one) before the policies: `api_key` into an apiKey
        header, `username`/`password` as HTTP basic."""
        definitions = self.package.swagger.get("securityDefinitions") or {}
        scheme = definitions.get(self.parameter_set) or (next(iter(definitions.values())) if len(definitions) == 1 else None)
        if not isinstance(scheme, dict):
            return
        if scheme.get("type") == "apiKey" and scheme.get("in") == "header" and self.connection.get("api_key"):
            request.set_header(str(scheme["name"]), str(self.connection["api_key"]))
        elif scheme.get("type") == "basic" and self.connection.get("username"):
            pair = f"{self.connection['username']}:{self.connection.get('password', '')}".encode()
            request.set_header("Authorization", "Basic " + base64.b64encode(pair).decode())

    def _override(self, base: str) -> str:
        """The mock stands in for the package's host: keep the path beyond the package's base path."""
        assert self.base_url is not None
        own = urlsplit(self.package.base_url)
        seen = urlsplit(base)
        extra = seen.path[len(own.path.rstrip("/")) :] if seen.path.startswith(own.path.rstrip("/")) and seen.netloc == own.netloc else ""
        return self.base_url + extra

    def send(self, operation_id: str, request: WireRequest) -> WireResponse:
        """Send a request made by `prepare` (through the custom code when the operation runs it)."""
        return self._send(operation_id, request)

    def _send(self, operation_id: str, request: WireRequest) -> WireResponse:
        if self.package.runs_script(operation_id):
            answer: WireResponse = self._script().run(request, operation_id)
            return answer
        with httpx.Client(timeout=self.timeout, follow_redirects=False) as client:
            response = client.request(request.method, request.url, headers=request.headers, content=request.body)
        return WireResponse(response.status_code, list(response.headers.multi_items()), response.content, response.reason_phrase)

    def close(self) -> None:
        """Stop the custom-code runner process, if one was started."""
        if self._runner is not None:
            self._runner.close()
            self._runner = None

    def __enter__(self) -> Emulator:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _script(self) -> Any:
        if self._runner is None:
            from generator.emulator.mono import ScriptRunner

            assert self.package.script is not None
            self._runner = ScriptRunner(self.package.script, self.harness_dir)
        return self._runner

    def call(self, operation_id: str, parameters: Mapping[str, Any] | None = None, body: Any = None) -> Call:
        request, platform_url, applied = self.prepare(operation_id, parameters, body)
        return Call(operation_id, platform_url, request, self._send(operation_id, request), applied)

    # -- webhook triggers -----------------------------------------------------------------------

    def register_webhook(
        self, operation_id: str, notification_url: str, parameters: Mapping[str, Any] | None = None, body: Any = None
    ) -> Subscription:
        """Register the trigger as the platform does when a flow is saved: the notification-URL body
        property gets the flow's callback URL; the answer must be 201 with a Location header."""
        op = self.package.operation(operation_id)
        if "x-ms-trigger" not in op.spec:
            raise EmulatorError(f"{operation_id} is not a trigger")
        body_parameter = next((p for p in op.parameters if p.get("in") == "body"), None)
        schema = self.package.resolve(body_parameter.get("schema") if body_parameter else None)
        url_property = next(
            (name for name, prop in schema.get("properties", {}).items() if isinstance(prop, dict) and prop.get("x-ms-notification-url")),
            None,
        )
        if url_property is None:
            raise EmulatorError(f"{operation_id} has no x-ms-notification-url body property")
        registration = self.call(operation_id, parameters, {**(body or {}), url_property: notification_url})
        location = registration.response.header("Location")
        if registration.response.status != 201 or not location:
            raise EmulatorError(
                f"{operation_id} answered {registration.response.status} "
                f"{'with' if location else 'without'} Location; the platform needs 201 with Location"
            )
        return Subscription(location, registration)

    def delete_subscription(self, subscription: Subscription) -> Call:
        """The platform's DELETE on the Location, through the operation whose path it matches."""
        location = urlsplit(subscription.location)
        sent_base = urlsplit(subscription.registration.request.base)
        if location.netloc and location.netloc != sent_base.netloc:
            raise EmulatorError(f"Location {subscription.location} is not on the connector's host")
        relative = location.path[len(sent_base.path.rstrip("/")) :] if location.path.startswith(sent_base.path) else location.path
        for op in self.package.operations():
            if op.method != "delete":
                continue
            values = _match(op.path, relative)
            if values is not None:
                return self.call(op.operation_id, values)
        raise EmulatorError(f"no DELETE operation matches the Location path {relative}")

    # -- polling triggers -----------------------------------------------------------------------

    def poll(self, operation_id: str, parameters: Mapping[str, Any] | None = None, state: Mapping[str, str] | None = None) -> PollResult:
        """One poll: the trigger's request with the state of the previous poll in its query; items
        are the trigger data (`triggerDataPath`), the new state comes from `triggerConfig`."""
        policy = next((p for p in self.package.policies(operation_id) if str(p.get("templateId")).lower() == "pollingtrigger"), None)
        if policy is None:
            raise EmulatorError(f"{operation_id} has no pollingtrigger policy")
        call = self.call(operation_id, {**(parameters or {}), **(state or {})})
        items: list[Any] = []
        new_state = dict(state or {})
        if call.response.ok:
            body = call.response.json()
            context = ExpressionContext(connection=self.connection, trigger_body=body)
            data_path = str(policy["parameters"].get(P + "triggerDataPath", "@triggerBody()"))
            try:
                data = _evaluate_value(data_path, context)
            except ExpressionError as exc:
                raise EmulatorError(f"triggerDataPath {data_path!r}: {exc}") from exc
            items = list(data) if isinstance(data, list) else ([data] if data else [])
            if items:
                config = policy["parameters"].get(P + "triggerConfig", {})
                new_state = {name: evaluate_template(str(value), context) for name, value in config.items()}
        return PollResult(call, items, new_state)


def _evaluate_value(template: str, context: ExpressionContext) -> Any:
    from generator.emulator.expressions import evaluate

    text = template.strip()
    if text.startswith("@{") and text.endswith("}"):
        return evaluate(text[2:-1], context)
    if text.startswith("@"):
        return evaluate(text[1:], context)
    return text


def _match(template: str, path: str) -> dict[str, str] | None:
    from urllib.parse import unquote

    wanted = [s for s in template.split("/") if s]
    seen = [s for s in path.split("/") if s]
    if len(wanted) != len(seen):
        return None
    values: dict[str, str] = {}
    for w, s in zip(wanted, seen, strict=True):
        if w.startswith("{") and w.endswith("}"):
            values[w[1:-1]] = unquote(s)
        elif w != s:
            return None
    return values
