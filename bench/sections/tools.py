"""convert (connectorgen convert vs api-spec-converter) and postman (connectorgen postman vs
openapi-to-postmanv2) on the large ev-server document and on our four vendors' specs."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from bench.checks import postman_check, swagger_check
from bench.env import LARGE_DOC, BenchInput, Context, count_operations, load_document, node_tool, vendors
from bench.model import Comparison, Section
from bench.series import Contender, measure_interleaved
from bench.targets import faster_by, unavailable

__all__ = ["command_available", "convert_contenders", "postman_contenders", "prepare_inputs", "run_convert", "run_postman"]

LARGE_NAME = "ev-server"


def command_available(ctx: Context, name: str, needs: str = "") -> str | None:
    """None when `connectorgen NAME --help` works (and mentions `needs`), else why not (the command
    may not have landed yet: placeholders answer "not yet available")."""
    key = f"command:{name}:{needs}"
    if key not in ctx.cache:
        try:
            done = subprocess.run([*ctx.connectorgen, name, "--help"], capture_output=True, text=True, timeout=60)
            text = done.stdout + done.stderr
            ok = done.returncode == 0 and "not yet available" not in text and needs in text
            ctx.cache[key] = None if ok else f"`connectorgen {name}` is not available yet"
        except (OSError, subprocess.SubprocessError) as exc:
            ctx.cache[key] = f"`connectorgen {name}` could not run ({exc})"
    reason: str | None = ctx.cache[key]
    return reason


def _describe(name: str, path: Path) -> BenchInput:
    document = load_document(path)
    return BenchInput(name, path, count_operations(document), str(document.get("openapi", "?")))


def prepare_inputs(ctx: Context) -> tuple[list[BenchInput], list[str]]:
    """The large document plus each vendor's bundled OpenAPI JSON (built once into build/bench/inputs;
    the YAML spec is used when that build fails)."""
    if "inputs" in ctx.cache:
        cached: tuple[list[BenchInput], list[str]] = ctx.cache["inputs"]
        return cached
    notes: list[str] = []
    inputs = [_describe(LARGE_NAME, LARGE_DOC)]
    built = ctx.out / "inputs"
    names = vendors(ctx.repo)
    if names:
        ctx.progress("preparing inputs: connectorgen build --target openapi")
        command = [*ctx.connectorgen, "build", "--target", "openapi", "--force", "--quiet", "--out", str(built)]
        done = subprocess.run(command, cwd=ctx.repo, capture_output=True, text=True, timeout=ctx.timeout)
        if done.returncode != 0:
            notes.append(f"`connectorgen build --target openapi` exited {done.returncode}; YAML specs used where no JSON was built")
    for vendor in names:
        path = built / vendor / "openapi" / "openapi.json"
        if not path.is_file():
            path = ctx.repo / "specs" / vendor / "openapi.yaml"
        inputs.append(_describe(vendor, path))
    ctx.cache["inputs"] = (inputs, notes)
    return inputs, notes


def _subject(item: BenchInput) -> str:
    return f"{item.name} ({item.version}, {item.operations} ops)"


def _input_notes(inputs: list[BenchInput], ctx: Context) -> list[str]:
    rows = ", ".join(f"{i.name} = `{i.path.relative_to(ctx.repo) if i.path.is_relative_to(ctx.repo) else i.path}`" for i in inputs)
    return [f"Inputs: {rows}."]


def convert_contenders(ctx: Context, spec: Path, tool: Path, *, validate: bool) -> tuple[Contender, Contender]:
    """connectorgen convert and api-spec-converter on `spec`, each checked for a Swagger 2.0 output."""

    def ours(work: Path) -> tuple[list[str], Path | None]:
        return [*ctx.connectorgen, "convert", str(spec), "--lenient", "-o", str(work / "out.json")], None

    def theirs(work: Path) -> tuple[list[str], Path | None]:
        return [str(tool), "--from=openapi_3", "--to=swagger_2", str(spec)], work / "out.json"

    def check(work: Path) -> dict[str, Any]:
        return swagger_check(work / "out.json", validate=validate)

    return Contender("connectorgen", ours, check=check), Contender("api-spec-converter", theirs, check=check)


def postman_contenders(ctx: Context, spec: Path, tool: Path) -> tuple[Contender, Contender]:
    """connectorgen postman and openapi2postmanv2 on `spec`, each checked for a non-empty collection."""

    def ours(work: Path) -> tuple[list[str], Path | None]:
        return [*ctx.connectorgen, "postman", str(spec), "-o", str(work / "out")], None

    def theirs(work: Path) -> tuple[list[str], Path | None]:
        return [str(tool), "-s", str(spec), "-o", str(work / "out.json")], None

    def check_ours(work: Path) -> dict[str, Any]:
        return postman_check(work / "out")

    def check_theirs(work: Path) -> dict[str, Any]:
        return postman_check(work / "out.json")

    # exit 1 from ours: written, with findings about the document
    return (Contender("connectorgen", ours, ok_exit_codes=frozenset({0, 1}), check=check_ours),
            Contender("openapi2postmanv2", theirs, check=check_theirs))


def run_convert(ctx: Context) -> Section:
    section = Section("convert", "convert: connectorgen convert vs api-spec-converter (OpenAPI 3 → Swagger 2.0)")
    why = command_available(ctx, "convert")
    tool = node_tool(ctx.repo, "api-spec-converter")
    if why or tool is None:
        section.status, section.reason = "skipped", why or "node_modules/.bin/api-spec-converter not installed (make node)"
        section.targets.append(unavailable("convert: large document vs api-spec-converter", "≥ 5x faster", section.reason))
        return section
    inputs, notes = prepare_inputs(ctx)
    section.notes += notes + _input_notes(inputs, ctx)
    for item in inputs:
        subject = _subject(item)
        ours, theirs = convert_contenders(ctx, item.path, tool, validate=True)
        section.measurements += measure_interleaved(ctx, "convert", subject, [ours, theirs])
        section.comparisons.append(Comparison(subject, "seconds", "connectorgen", "api-spec-converter"))
    large = _subject(inputs[0])
    section.targets.append(
        faster_by("convert: large document vs api-spec-converter", 5, section.find(large, "connectorgen"), section.find(large, "api-spec-converter"))
    )
    section.notes.append("api-spec-converter 2.12 reads OpenAPI 3.0 only: on 3.1 input it stops with “Unsupported version” (shown as failed).")
    return section


def run_postman(ctx: Context) -> Section:
    section = Section("postman", "postman: connectorgen postman vs openapi2postmanv2 (OpenAPI → Postman v2.1)")
    why = command_available(ctx, "postman")
    tool = node_tool(ctx.repo, "openapi2postmanv2")
    if why or tool is None:
        section.status, section.reason = "skipped", why or "node_modules/.bin/openapi2postmanv2 not installed (make node)"
        section.targets.append(unavailable("postman: large document vs openapi2postmanv2", "≥ 5x faster", section.reason))
        return section
    inputs, notes = prepare_inputs(ctx)
    section.notes += notes + _input_notes(inputs, ctx)
    for item in inputs:
        subject = _subject(item)
        ours, theirs = postman_contenders(ctx, item.path, tool)
        section.measurements += measure_interleaved(ctx, "postman", subject, [ours, theirs])
        section.comparisons.append(Comparison(subject, "seconds", "connectorgen", "openapi2postmanv2"))
    large = _subject(inputs[0])
    section.targets.append(
        faster_by("postman: large document vs openapi2postmanv2", 5, section.find(large, "connectorgen"), section.find(large, "openapi2postmanv2"))
    )
    section.notes.append("“requests with tests”: requests carrying a Postman test script (openapi2postmanv2 generates none).")
    return section
