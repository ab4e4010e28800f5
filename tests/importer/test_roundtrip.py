"""Import → build → compare on a representative sample of published connectors (the whole corpus:
`python -m tests.importer.measure`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from generator.importer import import_connector
from generator.problems import Level, ProblemError

from tests.importer.roundtrip import round_trip

DATA = Path(__file__).resolve().parents[1] / "data"
CALIBRATION = DATA / "calibration" / "connectors"


def _sample() -> list[tuple[str, str]]:
    rows = []
    for line in (DATA / "importer" / "sample.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            folder, expected = (part.strip() for part in line.split("|"))
            rows.append((folder, expected))
    return rows


SAMPLE = _sample()


def test_sample_is_representative() -> None:
    assert len(SAMPLE) >= 30
    assert all((CALIBRATION / folder / "apiDefinition.swagger.json").is_file() for folder, _ in SAMPLE)
    equivalent = sum(expected == "equivalent" for _, expected in SAMPLE)
    assert equivalent / len(SAMPLE) >= 0.85


@pytest.mark.parametrize(("folder", "expected"), SAMPLE, ids=[f for f, _ in SAMPLE])
def test_round_trip(folder: str, expected: str, tmp_path: Path) -> None:
    outcome = round_trip(CALIBRATION / folder, tmp_path)
    if expected == "equivalent":
        assert outcome.status == "equivalent", outcome.reasons[:5]
    else:
        assert outcome.status == "refused", (outcome.status, outcome.reasons[:5])
        assert expected.split(":", 1)[1] in outcome.reasons


@pytest.mark.parametrize(("folder", "expected"), [row for row in SAMPLE if row[1] != "equivalent"], ids=lambda v: str(v))
def test_refusal_is_located_in_the_package(folder: str, expected: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    with pytest.raises(ProblemError) as caught:
        import_connector(CALIBRATION / folder, out)
    errors = [p for p in caught.value.problems if p.level is Level.ERROR and p.code == expected.split(":", 1)[1]]
    assert errors
    for p in errors:
        assert p.file.endswith("apiDefinition.swagger.json")
        assert p.line > 1 and p.pointer.startswith("/")
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []  # no temporary folder left behind
