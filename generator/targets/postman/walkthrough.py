"""Folders that follow a vendor's own getting-started guide, step by step (Volue's Quickstart).

The spec lists them at top level:

    x-connectorgen-walkthroughs:
      - name: Quickstart
        description: ...
        steps:
          - operationId: RegisterUser
          - {operationId: CreateWebhook, body: {/url: webhookUrl}}
        cleanup: [DeleteWebhook, DeleteUser]
        variables: {webhookUrl: What the variable is for.}

Each step is the collection's own request for that operation (same captures and path bindings, so ids
chain from step to step); `body` maps JSON pointers of the request body to variables. A variable no
request captures is declared with the body example's value at that pointer. The cleanup requests run
after the steps, in the order given, and remove what the steps created.
"""

from __future__ import annotations

from typing import Any

from msgspec import Struct, field
from msgspec.structs import replace

from generator.ir.model import Api
from generator.problems import Level, Problem
from generator.targets.postman.examples import stringify
from generator.targets.postman.flow import Entry
from generator.util.pointer import unescape_pointer

__all__ = ["BODY_VARIABLES_KEY", "WALKTHROUGH_KEY", "Walkthrough", "body_variables", "plan_walkthroughs"]

WALKTHROUGH_KEY = "x-connectorgen-walkthroughs"
BODY_VARIABLES_KEY = "x-connectorgen-body-variables"  # operation: {pointer: variable or {variable, description}}


class Walkthrough(Struct):
    name: str
    description: str
    steps: list[Entry]
    cleanup: list[Entry]
    variables: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (value, description)


def _at(value: Any, pointer: str) -> Any:
    for token in pointer.lstrip("/").split("/"):
        token = unescape_pointer(token)
        if isinstance(value, dict):
            value = value.get(token)
        elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        else:
            return None
    return value


def body_variables(entries: list[Entry], bodies: dict[int, Any], known: set[str]) -> dict[str, tuple[str, str]]:
    """Apply each operation's `x-connectorgen-body-variables` to its requests' body bindings (fields a
    user sets once, such as the URL a webhook posts to); returns the variables to declare, each with the
    body example's value at its pointer."""
    out: dict[str, tuple[str, str]] = {}
    for entry in entries:
        spec = entry.op.extensions.get(BODY_VARIABLES_KEY)
        for pointer, raw in (spec.items() if isinstance(spec, dict) else ()):
            name = str(raw.get("variable") if isinstance(raw, dict) else raw)
            note = str(raw.get("description") or "") if isinstance(raw, dict) else ""
            key = "/" + str(pointer).lstrip("/")
            entry.body_bindings.setdefault(key, "{{" + name + "}}")
            if name not in known and name not in out:
                value = _at(bodies.get(entry.index), key)
                out[name] = (stringify(value) if value is not None else "", note or f"Sent as {key[1:]} by {entry.name!r}.")
            elif note and name in out and not out[name][1]:
                out[name] = (out[name][0], note)
    return out


def plan_walkthroughs(
    api: Api, entries: list[Entry], bodies: dict[int, Any], known: set[str]
) -> tuple[list[Walkthrough], list[Problem]]:
    """Walkthrough folders from the spec; `bodies` are the requests' example bodies by entry index and
    `known` the variables the collection already declares."""
    by_key = {e.key: e for e in entries}
    out: list[Walkthrough] = []
    problems: list[Problem] = []
    spec = api.extensions.get(WALKTHROUGH_KEY)
    for w, raw in enumerate(spec if isinstance(spec, list) else ()):
        if not isinstance(raw, dict) or not raw.get("name"):
            continue
        notes: dict[str, Any] = raw["variables"] if isinstance(raw.get("variables"), dict) else {}
        walkthrough = Walkthrough(str(raw["name"]), str(raw.get("description") or ""), [], [])

        def entry_for(key: Any, pointer: str) -> Entry | None:
            entry = by_key.get(str(key))
            if entry is None:
                problems.append(
                    Problem(Level.ERROR, "postman_walkthrough_operation", f"walkthrough step names operation {key!r}, which does not exist", api.source_file, pointer=pointer)
                )
            return entry

        for s, step in enumerate(raw.get("steps") or ()):
            step = step if isinstance(step, dict) else {"operationId": step}
            entry = entry_for(step.get("operationId"), f"/{WALKTHROUGH_KEY}/{w}/steps/{s}")
            if entry is None:
                continue
            bindings = dict(entry.body_bindings)
            for pointer, variable in (step.get("body") or {}).items():
                name = str(variable)
                bindings["/" + str(pointer).lstrip("/")] = "{{" + name + "}}"
                if name not in known and name not in walkthrough.variables:
                    value = _at(bodies.get(entry.index), str(pointer))
                    walkthrough.variables[name] = (
                        stringify(value) if value is not None else "",
                        str(notes.get(name) or f"Sent as {str(pointer).lstrip('/')} by {entry.name!r}."),
                    )
            walkthrough.steps.append(replace(entry, body_bindings=bindings))
        for c, key in enumerate(raw.get("cleanup") or ()):
            entry = entry_for(key, f"/{WALKTHROUGH_KEY}/{w}/cleanup/{c}")
            if entry is not None:
                walkthrough.cleanup.append(entry)
        out.append(walkthrough)
    return out, problems
