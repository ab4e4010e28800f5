"""The linter on Microsoft's own published connectors (tests/data/calibration, see SOURCE.md there).

Every one of them passed Microsoft's validator, so an `error` on one of them is a rule stricter than
Microsoft. The per-rule table of the run is a golden record: a change of severity or of a rule shows
as a reviewed diff (`CONNECTORGEN_REGEN=1`, or `make regen`).
"""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path

from generator.lint.msschemas import validator
from generator.lint.package import load_lint_package
from generator.lint.registry import RULES
from generator.lint.report import LintResult, find_packages, format_summary, lint_many
from generator.lint.runner import load_rules
from generator.problems import Level
from jsonschema.exceptions import best_match

REPO = Path(__file__).resolve().parents[2]
CALIBRATION = REPO / "tests" / "data" / "calibration"
GOLDEN = Path(__file__).parent / "golden" / "calibration-summary.txt"
REGEN = os.environ.get("CONNECTORGEN_REGEN") == "1"
# Misspelled extensions of published connectors, deliberately not added to the schema (SOURCE.md).
MISSPELLED = {"x-ms-sumamry", "x-ms-summary title", "x-ms-enum-value"}


@cache
def results() -> tuple[LintResult, ...]:
    packages, missing = find_packages([CALIBRATION / "connectors"])
    assert missing == []
    return tuple(lint_many(packages))


def test_the_sample_is_the_documented_one() -> None:
    listed = re.findall(r"^\| `(connectors/[^`]+)` \|", (CALIBRATION / "SOURCE.md").read_text(), re.M)
    found = sorted(str(Path(r.path).relative_to(CALIBRATION)) for r in results())
    assert found == sorted(listed) and len(found) == 121


def test_summary_table_is_the_golden_record() -> None:
    table = format_summary(results())
    if REGEN:
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(table, encoding="utf-8")
    assert GOLDEN.read_text(encoding="utf-8") == table, (
        "per-rule table changed: review, then CONNECTORGEN_REGEN=1"
    )


def test_published_connectors_are_error_free_and_all_readable() -> None:
    done = results()
    assert [r.path for r in done if r.unreadable] == []
    clean = sum(1 for r in done if not r.has_errors)
    assert clean / len(done) >= 0.98, [
        (Path(r.path).name, sorted({p.code for p in r.problems if p.level is Level.ERROR}))
        for r in done
        if r.has_errors
    ]


def test_every_finding_is_located() -> None:
    whole_file = {"ApiPropertiesMissing", "ReadmeMissing", "FileTooLarge", "ScriptTooLarge"}
    for result in results():
        for p in result.problems:
            if p.code in whole_file or p.code.startswith("Icon"):
                continue
            assert p.line > 0 and p.col > 0, p
            assert not (p.line == 1 and p.col == 1 and p.pointer in ("", "#")), p
            if p.file.endswith(".json"):
                assert p.pointer.startswith("/") or p.code == "FileTooLarge", p


def test_recent_connectors_break_no_error_rule() -> None:
    """Connectors changed in the 12 months before the sample's commit are the strictest evidence."""
    dates = dict(
        re.findall(
            r"^\| `(connectors/[^`]+)` \| (\d{4}-\d\d-\d\d)", (CALIBRATION / "SOURCE.md").read_text(), re.M
        )
    )
    broken = {
        (Path(r.path).name, p.code)
        for r in results()
        if dates[str(Path(r.path).relative_to(CALIBRATION))] >= "2023-10-23"
        for p in r.problems
        if p.level is Level.ERROR
    }
    # IconBrandColorNotValid on DocuSign: the PR checklist forbids #ffffff; DocuSign predates it.
    assert broken <= {("DocuSign", "IconBrandColorNotValid")}


def test_every_published_x_ms_extension_passes_the_schema_check() -> None:
    rejected: set[str] = set()
    for path in sorted((CALIBRATION / "connectors").glob("*/*/apiDefinition.swagger.json")):
        definition = load_lint_package(path.parent).definition
        for error in validator("apiDefinition").iter_errors(definition):
            if error.validator in ("oneOf", "anyOf") and error.context:
                error = best_match(error.context)  # the alternative that fits (as the report shows it)
            if error.validator == "additionalProperties":
                rejected |= set(re.findall(r"'(x-ms-[^']+)'", error.message))
    assert rejected <= MISSPELLED


def test_every_rule_names_its_evidence() -> None:
    load_rules()
    assert [code for code, rule in RULES.items() if len(rule.evidence) < 40] == []


def test_json_files_strict_json_refuses_are_read_with_a_warning() -> None:
    """Files strict JSON refuses (IN-D, PUG, XSOAR, Shopranos) are read as the platform reads them."""
    repaired = [p for r in results() for p in r.problems if p.code == "JsonRepaired"]
    assert all(p.level is Level.WARNING and p.line > 0 for p in repaired)
    assert {Path(p.file).parent.name for p in repaired} >= {"IN-D Invoice Data Capture", "XSOAR"}
