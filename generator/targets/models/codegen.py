"""datamodel-code-generator, called as a library with the settings this target needs.

Why each setting (see also `SETTINGS.md` next to this file):
- `input_file_type=openapi`, `openapi_scopes=[schemas]`: the input is the document of
  `document.prepare_document`, where every JSON body (requests, responses, callbacks, webhooks) is
  already a component schema; this is the equivalent of `--openapi-scopes schemas paths webhooks`
  with model names we choose (parameters are not modelled: the IR inlines them).
- `output_model_type=pydantic_v2.BaseModel`, `target_pydantic_version=2`: pydantic v2 models using
  `populate_by_name` (works on every pydantic 2 release, no deprecation warning on 2.14).
- `target_python_version=3.11`: `StrEnum`, `X | None`; the packages require Python 3.11 like the repo.
- `snake_case_field` + `allow_population_by_field_name`: Pythonic attribute names, wire names kept as
  `alias`; both names are accepted on input, `by_alias=True` gives the wire names back.
- `use_annotated` + `field_constraints`: constraints as `Annotated[int, Field(ge=0)]`, which mypy
  understands (no `conint(...)` calls in annotations).
- `strict_nullable`: only `null`-typed schemas become `X | None` without a default; a required nullable
  field stays required.
- `use_standard_collections`, `use_union_operator`: `list[X]`, `dict[str, X]`, `X | Y`.
- `naming_strategy=parent-prefixed`: inline enums/objects are named after their parent
  (`SessionStatus`, not `Status1`), so adding a schema never renames another model.
- `capitalise_enum_members`: `Color.RED` (PEP 8 constants).
- `use_schema_description`, `use_field_description`, `use_single_line_docstring`: the spec's
  descriptions become class and attribute docstrings (shown by IDEs).
- `type_mappings`: `uri`, `email` and `password` formats stay `str` (AnyUrl appends `/` to bare hosts
  and drops maxLength, EmailStr needs the email-validator package, SecretStr dumps `**********`).
- `disable_timestamp`, `custom_file_header`: no date, no input file name in the output; our own
  stable header instead.
- `formatters=[builtin]`: the generator's own formatter is deterministic and three times faster than
  black + isort (which also become optional in later releases); it sorts imports and normalises quotes.
- `use_double_quotes`: same quoting as the rest of the repository.
"""

from __future__ import annotations

import json
import warnings
from typing import Any

__all__ = ["DCG_PINNED", "generate_source", "installed_version"]

DCG_PINNED = "0.89.0"  # pinned in pyproject.toml; other versions may write other code


def installed_version() -> str:
    from importlib.metadata import version

    return version("datamodel-code-generator")


def _options(header: str) -> dict[str, Any]:
    from datamodel_code_generator.enums import (
        DataModelType,
        InputFileType,
        NamingStrategy,
        OpenAPIScope,
        TargetPydanticVersion,
    )
    from datamodel_code_generator.format import Formatter, PythonVersion

    return {
        "input_file_type": InputFileType.OpenAPI,
        "openapi_scopes": [OpenAPIScope.Schemas],
        "output_model_type": DataModelType.PydanticV2BaseModel,
        "target_pydantic_version": TargetPydanticVersion.V2,
        "target_python_version": PythonVersion.PY_311,
        "snake_case_field": True,
        "allow_population_by_field_name": True,
        "use_annotated": True,
        "field_constraints": True,
        "strict_nullable": True,
        "use_standard_collections": True,
        "use_union_operator": True,
        "naming_strategy": NamingStrategy.ParentPrefixed,
        "capitalise_enum_members": True,
        "use_schema_description": True,
        "use_field_description": True,
        "use_single_line_docstring": True,
        "type_mappings": ["string+password=string", "string+email=string", "string+uri=string"],
        "disable_timestamp": True,
        "custom_file_header": header,
        "formatters": [Formatter.BUILTIN],
        "use_double_quotes": True,
    }


def generate_source(document: dict[str, Any], header: str) -> str:
    """Python source of the models for `document` (an OpenAPI dict), starting with `header`."""
    import datamodel_code_generator

    with warnings.catch_warnings():
        # Deprecation notices about future defaults are for CLI users; our settings are explicit.
        warnings.simplefilter("ignore", FutureWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        result = datamodel_code_generator.generate(json.dumps(document, ensure_ascii=False), **_options(header))
    if not isinstance(result, str):
        raise TypeError(f"datamodel-code-generator returned {type(result).__name__}, expected one module")
    return result
