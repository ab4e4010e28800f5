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

__all__ = ["WALKTHROUGH_KEY", "Walkthrough", "plan_walkthroughs"]

WALKTHROUGH_KEY = "x-connectorgen-walkthroughs"


class Walkthrough(Struct):
    name: str
    description: str
    steps: list[Entry]
    cleanup: list[Entry]
    variables: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (value, description)


def _at(value: Any, pointer: str) -> Any:
    for token in pointer.lstrip("/").split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(value, dict):
            value = value.get(token)
        elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        else:
            return None
    return value


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
