"""schemathesis (CLI: examples, coverage, fuzzing and stateful phases, every check of
`tests.support.contract.ALL_CHECKS`) against the generic mock of real-world documents
(`tests/data/corpus/`, see `tests/data/mockcorpus/SOURCE.md`): no failure of any check.
Bound by example counts (3 per operation and phase), never by the clock."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.fuzz import fuzz_document

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"
SCHEMATHESIS = [
    "adyen.com__BinLookupService.json",
    "breadcrumbs.one.json",
    "dodo.ac.json",
    "exoapi.dev.json",
    "flat.io.json",
    "fungenerators.com__lottery.json",
    "hetras-certification.net__hotel.json",
    "mailscript.com.json",
    "paylocity.com.json",
    "placekit.co.json",
    "readme.io.json",
    "rentcast.io.json",
    "surrey.ca__trafficloops.json",
    "twilio.com__twilio_lookups_v2.json",
    "urlbox.io.json",
    "useapi.net.json",
    "webscraping.ai.json",
    "whapi.com__locations.json",
    "wolframalpha.com.json",
    "zapier.com__nla.json",
]

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("name", SCHEMATHESIS)
def test_schemathesis_finds_nothing(name: str) -> None:
    result = fuzz_document(CORPUS / name, None, max_examples=3)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert "generated" in result.stdout and "failures" not in result.stdout.splitlines()[-1], result.stdout[-3000:]
