"""No curation vocabulary in what users read: every file of a fresh `connectorgen build` (Power Platform
packages, Postman collections and environments, Python models, bundled OpenAPI documents) is scanned
against a deny-list. Where the facts came from, and what curators inferred, belongs in
`specs/<vendor>/README.md` or in `x-connectorgen-source`, which no target renders."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, VENDORS

DENY = re.compile(
    r"\bseeds?\b|\bassumed\b|\bhand-curated\b|\bcurat(?:ed|ion|or|ors)\b|not in the seeds|follows the quickstart"
    r"|this document follows|judging by|\blabell?ed 400\b|connectorgen-source",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def fresh_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wording-build")
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--force", "--quiet", "--out", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def _hits(root: Path) -> list[str]:
    hits = []
    for path in sorted(root.rglob("*")):
        if not path.is_file() or ".state" in path.relative_to(root).parts:
            continue
        text = path.read_bytes().decode("utf-8", errors="replace")
        for match in DENY.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            context = text[max(0, match.start() - 60) : match.end() + 30].replace("\n", " ")
            hits.append(f"{path.relative_to(root)}:{line}: {match.group(0)!r} in ...{context}...")
    return hits


def test_the_deny_list_catches_curation_words(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text('{"summary": "Success (200), seed 004", "note": "body shape assumed"}\n')
    (tmp_path / "b.md").write_text("Seeded and seedling are fine words; curators and the Seeds are not.\n")
    hits = _hits(tmp_path)
    assert [h.split(": ", 1)[1].split(" in ")[0] for h in hits] == ["'seed'", "'assumed'", "'curators'", "'Seeds'"]
    assert hits[0].startswith("a.json:1: ")


@pytest.mark.parametrize("vendor", VENDORS)
def test_no_curation_vocabulary_in_the_build(vendor: str, fresh_build: Path) -> None:
    root = fresh_build / vendor
    assert any(root.rglob("*.json")), f"nothing built for {vendor}"
    assert _hits(root) == []


def test_no_curation_vocabulary_in_the_models(fresh_build: Path) -> None:
    root = fresh_build / "python"
    assert any(root.rglob("*.py"))
    assert _hits(root) == []
