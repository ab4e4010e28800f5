"""Real-world corpus (tests/data/corpus, see SOURCE.md): every document converts to valid Swagger 2.0
or is refused with exit 2 and located errors; never a traceback, never invalid output with exit 0.
With --lenient a refused document still gives valid output, or is refused with located errors."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from generator.cli import main

from tests.conftest import REPO

CORPUS = REPO / "tests" / "data" / "corpus"
DOCUMENTS = sorted(p.name for p in CORPUS.glob("*.json"))
LOCATED = re.compile(r"^  \S+:\d+:\d+: error [a-z0-9_]+ \[(#|/[^\]]*)\]: \S", re.MULTILINE)


@cache
def _ms_validator() -> Any:
    from generator.lint.msschemas import validator

    return validator("apiDefinition")


def _swagger_errors(document: dict[str, Any], powerplatform: bool) -> list[str]:
    from openapi_spec_validator import OpenAPIV2SpecValidator

    errors = [str(e.message)[:200] for e in OpenAPIV2SpecValidator(document).iter_errors()]
    if powerplatform:
        errors += [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in _ms_validator().iter_errors(document)]
    return errors


def _convert(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], *options: str) -> tuple[int, str, Path]:
    out = tmp_path / "swagger.json"
    code = main(["convert", str(CORPUS / name), "-o", str(out), "--format", "json", *options])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and "internal error" not in captured.err, captured.err
    return code, captured.err, out


def test_corpus_is_large_and_varied() -> None:
    versions = {json.loads((CORPUS / name).read_text())["openapi"][:3] for name in DOCUMENTS}
    assert len(DOCUMENTS) >= 50
    assert versions == {"3.0", "3.1"}
    listed = set(re.findall(r"^\| `([^`]+)`", (CORPUS / "SOURCE.md").read_text(), re.MULTILINE))
    assert listed == set(DOCUMENTS), "SOURCE.md must list every corpus file"


@pytest.mark.parametrize("powerplatform", [False, True], ids=["swagger", "powerplatform"])
@pytest.mark.parametrize("name", DOCUMENTS)
def test_valid_or_refused(name: str, powerplatform: bool, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    options = ("--powerplatform",) if powerplatform else ()
    code, err, out = _convert(name, tmp_path, capsys, *options)
    if code == 2:
        assert LOCATED.search(err), err
        assert not out.exists()
        code, err, out = _convert(name, tmp_path, capsys, "--lenient", *options)
        if code == 2:
            assert LOCATED.search(err), err
            return
    assert code == 0, err
    assert _swagger_errors(json.loads(out.read_text()), powerplatform) == []

