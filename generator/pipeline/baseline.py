"""The build's breaking-change guard: each vendor's connector against its recorded baseline.

`specs/<vendor>/baseline/` holds the last published connector (apiDefinition.swagger.json,
apiProperties.json, and SOURCE.md saying where it comes from). When it exists, every build of the
vendor's Power Platform package is compared with it (`generator/diff`), and each breaking change
must be acknowledged in connector.yaml:

    acknowledgements:
      - code: operation_deleted
        pointer: /paths/~1client~1api~1Sites/get     # the change's pointer (in the baseline; in the new build for additions)
        reason: What a customer does about it.

An unacknowledged breaking change is an error (the vendor is not written); an acknowledgement that
matches no breaking change is a warning. A vendor without a baseline (never published) is not
checked; `connectorgen diff --record-baseline VENDOR` records one after a release.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from generator.problems import Level, Problem, ProblemError
from generator.util.fsio import display_path

__all__ = ["BASELINE_DIR", "check_package", "record_baseline"]

BASELINE_DIR = "baseline"


def check_package(spec_dir: Path, connector: dict[str, Any], package_dir: Path) -> list[Problem]:
    """Problems of the package in `package_dir` (just rendered) against `spec_dir`'s baseline."""
    from generator.diff import Kind, compare, load_rules, load_side
    from generator.diff.load import DEFINITION
    from generator.diff.report import acknowledged
    from generator.spec.source import load_source

    baseline = spec_dir / BASELINE_DIR
    if not (baseline / DEFINITION).is_file():
        return []
    connector_file = spec_dir / "connector.yaml"
    acks = [a for a in connector.get("acknowledgements", ()) if isinstance(a, dict)]
    source = load_source(connector_file, display_path(connector_file)) if acks else None

    def at_connector(level: Level, code: str, message: str, pointer: str) -> Problem:
        if source is None:
            return Problem(level, code, message, display_path(connector_file), 0, 0, pointer)
        return source.problem(level, code, message, pointer)

    old = load_side(baseline)
    new = load_side(package_dir)
    new.label = f"{spec_dir.name} build"
    new.definition_file = f"{spec_dir.name} build: {DEFINITION}"
    new.properties_file = f"{spec_dir.name} build: apiProperties.json"
    new.sources = {}
    problems: list[Problem] = []
    rules = load_rules()
    for i, ack in enumerate(acks):
        if ack.get("code") not in rules or rules[str(ack["code"])].kind is not Kind.BREAKING:
            problems.append(at_connector(Level.ERROR, "acknowledgement_invalid", f"{ack.get('code')!r} is not the code of a breaking-change rule (connectorgen diff --list-rules)", f"/acknowledgements/{i}/code"))
    changes = compare(old, new)
    reasons, unused = acknowledged(changes, acks)
    for change in changes:
        if change.kind is not Kind.BREAKING or change in reasons:
            continue
        side = old if change.anchor == change.old_pointer else new
        file, line, col = side.locate(change.file, change.anchor)
        message = (
            f"breaking change {change.code}{' ' + change.operation if change.operation else ''}: {change.message}"
            f"{'; ' + change.hint if change.hint else ''}. Against the published connector in {display_path(baseline)}; "
            f"keep it compatible, or acknowledge it in {display_path(connector_file)} under `acknowledgements` with "
            f"code: {change.code}, pointer: '{change.anchor}' and a reason customers can act on"
        )
        problems.append(Problem(Level.ERROR, "breaking_change_unacknowledged", message, file, line, col, change.anchor))
    for i in unused:
        if problems and any(p.pointer == f"/acknowledgements/{i}/code" for p in problems):
            continue
        ack = acks[i]
        problems.append(
            at_connector(
                Level.WARNING,
                "acknowledgement_unused",
                f"acknowledgement of {ack.get('code')} at {ack.get('pointer')!r} matches no breaking change against {display_path(baseline)}; remove it",
                f"/acknowledgements/{i}",
            )
        )
    return problems


def record_baseline(spec_dir: Path, source: Path | None = None, note: str = "") -> Path:
    """Write `spec_dir/baseline/` from the vendor's current build, or copy a published package
    folder (`source`) byte for byte. Returns the folder. Raises `ProblemError` on unusable input."""
    from generator.diff import load_side
    from generator.diff.load import DEFINITION, PROPERTIES
    from generator.pipeline.sides import build_vendor_side
    from generator.util.jsonio import write_json, write_text

    target = spec_dir / BASELINE_DIR
    if source is not None:
        side = load_side(source)  # checks it is a Swagger 2.0 connector
        if not source.is_dir():
            raise ProblemError([Problem(Level.ERROR, "baseline_source_invalid", "--from takes a published package folder", display_path(source), 0, 0, "#")])
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / DEFINITION, target / DEFINITION)
        if side.properties is not None:
            shutil.copyfile(source / PROPERTIES, target / PROPERTIES)
        else:
            (target / PROPERTIES).unlink(missing_ok=True)
        origin = note or f"copied from the published package folder {display_path(source)}"
    else:
        side = build_vendor_side(spec_dir)
        target.mkdir(parents=True, exist_ok=True)
        write_json(target / DEFINITION, side.definition)
        write_json(target / PROPERTIES, {"properties": side.properties})
        origin = note or "recorded from the connector the build made at release (connectorgen diff --record-baseline)"
    write_text(
        target / "SOURCE.md",
        f"# Baseline: the published {spec_dir.name} connector\n\n{origin}\n\n"
        "`connectorgen build` compares every build of this vendor's Power Platform package with these files and stops on "
        "a breaking change that `acknowledgements` in ../connector.yaml does not cover. Record a new baseline after each "
        f"release: `connectorgen diff --record-baseline {spec_dir.name}`.\n",
    )
    return target
