"""The dialect of Swagger 2.0 the converter writes, as one table of keyword handlers (in the manner of
schemathesis's per-version adapters): what the dialect accepts (values) and what it adds (hooks).

`SWAGGER` is plain Swagger 2.0 (`connectorgen convert`). Other dialects live with their target
(`generator/targets/powerplatform/profile.py`: Power Platform) and are passed as
`ConvertOptions.profile`; the converter never asks which dialect it writes, only what the table says.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from msgspec import Struct

from generator.problems import Level

if TYPE_CHECKING:
    from generator.convert.context import Context
    from generator.convert.operations import OperationIds, Where
    from generator.ir.model import Operation, Parameter

__all__ = ["SWAGGER", "Profile"]


class Profile(Struct, frozen=True):
    name: str = "swagger"
    # -- what the dialect accepts -------------------------------------------------------------------
    media_types: tuple[str, ...] = ()  # consumes/produces it accepts (() = any)
    unique_items: bool = True
    default_null: bool = True
    annotations_beside_ref: bool = True  # description, title, x-* next to $ref
    default_response_schema: bool = True
    many_response_schemas: bool = True  # several responses of an operation with a schema
    collection_multi: bool = True  # collectionFormat multi
    body_on_get: bool = True
    security_definitions_max: int = 0  # 0 = any number
    client_credentials: bool = True  # the OAuth2 application flow
    host_required: bool = False
    lost_security_requirement: Level = Level.WARNING  # the level of a requirement left out
    # -- what the dialect adds (None: nothing) ------------------------------------------------------
    # operationId as written (the converter keeps them unique).
    operation_id: Callable[[Context, str], str] | None = None
    # The summary as written, reporting its own losses.
    summary: Callable[[Context, Operation], str] | None = None
    # Touches on a converted parameter (out, the IR parameter, its operation).
    parameter: Callable[[Context, dict[str, Any], Parameter, Operation], None] | None = None
    # Touches on a path parameter the converter had to add (out, name).
    added_path_parameter: Callable[[Context, dict[str, Any], str], None] | None = None
    # Touches on a formData parameter made from a form field (out, field name).
    form_field: Callable[[Context, dict[str, Any], str], None] | None = None
    # Touches on a converted property schema (out, source schema, property name).
    property_schema: Callable[[Context, dict[str, Any], dict[str, Any], str], None] | None = None
    # The body parameter's description when the request body has none (from its schema).
    body_description: Callable[[Context, Any], str] | None = None
    # True if the operation's callbacks are described elsewhere (a webhook trigger's notification).
    callbacks_described: Callable[[Context, Operation], bool] | None = None
    # Last touches on the whole document (extensions, triggers), with the operation ids and places.
    document: Callable[[Context, dict[str, Any], OperationIds, Where], None] | None = None


SWAGGER = Profile()
