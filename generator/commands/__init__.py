"""CLI subcommands. Each module defines `register(subparsers)`; the parser's `func` runs it and
returns the exit code (0 ok, 1 findings, 2 unusable input)."""

from __future__ import annotations

__all__ = ["COMMANDS", "summary"]

# name -> (module, one-line help). The help lives here so that the CLI can list every command while
# importing only the one being run (importing and registering all six costs ~20 ms of every start).
COMMANDS: dict[str, tuple[str, str]] = {
    "build": ("generator.commands.build", "build every vendor's artefacts into build/"),
    "validate": ("generator.commands.validate", "check specs (and connector.yaml) without building"),
    "convert": ("generator.commands.convert", "convert an OpenAPI 3.0/3.1 document to Swagger 2.0 with a loss report"),
    "lint": ("generator.commands.lint", "check a Power Platform connector package offline"),
    "postman": ("generator.commands.postman", "write a Postman collection (and environments) for an OpenAPI 3.0/3.1 document"),
    "mock": ("generator.commands.mock", "serve a stateful mock of a vendor's API"),
    "diff": ("generator.commands.diff", "breaking changes between two versions of a connector; record a vendor's baseline"),
    "import": ("generator.commands.import_", "import a Power Platform connector package into an OpenAPI 3.1 spec folder"),
    "try": ("generator.commands.try_", "run one connector action offline, as Power Platform would"),
}


def summary(name: str) -> str:
    return COMMANDS[name][1]
