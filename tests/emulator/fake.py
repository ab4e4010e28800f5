"""A tiny connector package and a fake service for testing the emulator's mechanics in isolation
(the vendor packages are exercised against the real mock servers in test_vendor_packages.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

__all__ = ["fake_service", "write_package"]

P = "x-ms-apimTemplateParameter."

SWAGGER: dict[str, Any] = {
    "swagger": "2.0",
    "info": {"title": "Fake", "version": "1"},
    "host": "api.fake.example",
    "basePath": "/v2",
    "schemes": ["https"],
    "paths": {
        "/items/{itemId}": {
            "get": {
                "operationId": "GetItem",
                "parameters": [
                    {"name": "itemId", "in": "path", "required": True, "type": "string", "x-ms-url-encoding": "single"},
                    {"name": "tags", "in": "query", "type": "array", "items": {"type": "string"}},
                    {"name": "verbose", "in": "query", "type": "boolean"},
                    {"name": "format", "in": "query", "required": True, "type": "string", "default": "full", "x-ms-visibility": "internal"},
                ],
                "responses": {"200": {"description": "ok", "schema": {"type": "object"}}},
            }
        },
        "/things/list": {
            "post": {
                "operationId": "ListThings",
                "parameters": [{"name": "body", "in": "body", "schema": {"$ref": "#/definitions/Filter"}}],
                "responses": {"200": {"description": "ok"}},
            }
        },
        "/hooks": {
            "post": {
                "operationId": "CreateHook",
                "x-ms-trigger": "single",
                "parameters": [
                    {
                        "name": "body",
                        "in": "body",
                        "required": True,
                        "schema": {
                            "type": "object",
                            "required": ["callback", "events"],
                            "properties": {
                                "callback": {"type": "string", "x-ms-notification-url": True, "x-ms-visibility": "internal"},
                                "events": {"type": "array", "items": {"type": "string"}, "default": ["all"], "x-ms-visibility": "internal"},
                            },
                        },
                    }
                ],
                "responses": {"201": {"description": "created"}},
            },
            "x-ms-notification-content": {"schema": {"$ref": "#/definitions/Event"}},
        },
        "/hooks/{hookId}": {
            "delete": {
                "operationId": "DeleteHook",
                "x-ms-visibility": "internal",
                "parameters": [{"name": "hookId", "in": "path", "required": True, "type": "string"}],
                "responses": {"204": {"description": "gone"}},
            }
        },
        "/events/trigger": {
            "get": {
                "operationId": "WhenEvent",
                "x-ms-trigger": "batch",
                "parameters": [{"name": "since", "in": "query", "required": True, "type": "integer"}],
                "responses": {"200": {"description": "events", "schema": {"type": "array", "items": {"$ref": "#/definitions/Event"}}}},
            }
        },
    },
    "definitions": {
        "Filter": {"type": "object", "properties": {"limit": {"type": "integer"}}},
        "Event": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}, "note": {"type": "string", "x-nullable": True}}},
    },
}


def _properties(host_template: str) -> dict[str, Any]:
    return {
        "properties": {
            "connectionParameters": {
                "apiKey": {"type": "securestring", "uiDefinition": {"displayName": "Key", "constraints": {"required": "true"}}},
                "region": {"type": "string", "uiDefinition": {"constraints": {"required": "true"}}, "defaultValue": "https://eu.fake.example/v2"},
            },
            "iconBrandColor": "#123456",
            "policyTemplateInstances": [
                {"templateId": "setheader", "title": "auth", "parameters": {P + "name": "Authorization", P + "value": "Key @connectionParameters('apiKey')", P + "existsAction": "override"}},
                {"templateId": "setheader", "title": "skip", "parameters": {P + "name": "X-Once", P + "value": "policy", P + "existsAction": "skip"}},
                {"templateId": "setqueryparameter", "title": "query", "parameters": {P + "name": "tenant", P + "value": "t-@connectionParameters('apiKey')"}},
                {"templateId": "dynamichosturl", "title": "host", "parameters": {P + "urlTemplate": host_template}},
                {
                    "templateId": "routerequesttoendpoint",
                    "title": "route list",
                    "parameters": {"x-ms-apimTemplate-operationName": ["ListThings"], P + "newPath": "/things", P + "httpMethod": "POST"},
                },
                {
                    "templateId": "routerequesttoendpoint",
                    "title": "route trigger",
                    "parameters": {"x-ms-apimTemplate-operationName": ["WhenEvent"], P + "newPath": "/events", P + "httpMethod": "GET"},
                },
                {
                    "templateId": "pollingtrigger",
                    "title": "poll",
                    "parameters": {
                        "x-ms-apimTemplate-operationName": ["WhenEvent"],
                        P + "triggerConfig": {"since": "@{triggerBody()[0]['id']}"},
                        P + "triggerDataPath": "@triggerBody()",
                    },
                },
            ],
        }
    }


def write_package(folder: Path, host_template: str = "@connectionParameters('region')") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "apiDefinition.swagger.json").write_text(json.dumps(SWAGGER))
    (folder / "apiProperties.json").write_text(json.dumps(_properties(host_template)))
    return folder


def fake_service() -> tuple[Starlette, list[dict[str, Any]]]:
    """The app and the list of requests it saw (method, path, query, headers, body)."""
    seen: list[dict[str, Any]] = []
    hooks: dict[str, str] = {}

    async def record(request: Request) -> dict[str, Any]:
        entry = {
            "method": request.method,
            "path": request.url.path,
            "raw_path": request.scope.get("raw_path", b"").decode(),
            "query": list(request.query_params.multi_items()),
            "headers": {k.lower(): v for k, v in request.headers.items()},
            "body": (await request.body()).decode() or None,
        }
        seen.append(entry)
        return entry

    async def echo(request: Request) -> Response:
        return JSONResponse(await record(request))

    async def create_hook(request: Request) -> Response:
        entry = await record(request)
        hook_id = f"h{len(hooks) + 1}"
        hooks[hook_id] = json.loads(entry["body"])["callback"]
        return JSONResponse({"id": hook_id}, status_code=201, headers={"Location": f"{request.base_url}v2/hooks/{hook_id}"})

    async def delete_hook(request: Request) -> Response:
        await record(request)
        return Response(status_code=204 if hooks.pop(request.path_params["hook_id"], None) else 404)

    async def events(request: Request) -> Response:
        await record(request)
        since = int(request.query_params["since"])
        return JSONResponse([e for e in ({"id": 3, "note": None}, {"id": 2, "note": "b"}) if e["id"] > since])

    app = Starlette(
        routes=[
            Route("/v2/items/{item_id}", echo),
            Route("/v2/things", echo, methods=["POST"]),
            Route("/v2/hooks", create_hook, methods=["POST"]),
            Route("/v2/hooks/{hook_id}", delete_hook, methods=["DELETE"]),
            Route("/v2/events", events),
        ]
    )
    return app, seen
