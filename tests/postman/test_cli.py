"""`connectorgen postman SPEC [-o OUT]` on any OpenAPI 3.0/3.1 document."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from generator.cli import main

from tests.conftest import REPO, SPECS
from tests.postman.conftest import THIRD_PARTY


def test_third_party_document(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["postman", str(THIRD_PARTY), "-o", str(tmp_path / "out")]) == 0
    collection = json.loads((tmp_path / "out" / "e-mobility-rest-api.postman_collection.json").read_text())
    assert collection["info"]["name"] == "e-Mobility REST API"
    assert sorted(p.name for p in (tmp_path / "out" / "environments").iterdir()) == [
        "e-mobility-rest-api-current-server.postman_environment.json",
        "e-mobility-rest-api-mock.postman_environment.json",
    ]
    captured = capsys.readouterr()
    assert captured.err == ""  # style findings about the input are for --verbose only
    assert "e-mobility-rest-api.postman_collection.json" in captured.out
    assert main(["postman", str(THIRD_PARTY), "-o", str(tmp_path / "out"), "--verbose"]) == 0
    assert "missing_operation_id" in capsys.readouterr().err


def test_default_output_folder_and_identical_reruns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    spec = SPECS / "volue" / "openapi.yaml"
    assert main(["postman", str(spec)]) == 0
    out = tmp_path / "volue-spark-energy-coordination-postman"
    first = {p.relative_to(out): p.read_bytes() for p in out.rglob("*.json")}
    assert main(["postman", str(spec), "--mock-url", "http://127.0.0.1:9999"]) == 0
    second = {p.relative_to(out): p.read_bytes() for p in out.rglob("*.json")}
    changed = sorted(str(p) for p in first if first[p] != second[p])
    assert changed == ["environments/volue-spark-energy-coordination-mock.postman_environment.json"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("swagger: '2.0'\ninfo: {title: x, version: '1'}\npaths: {}\n", "swagger.yaml"),
        ("openapi: [\n", "broken.yaml"),
    ],
)
def test_unusable_input_exits_2(tmp_path: Path, text: str, name: str, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / name
    spec.write_text(text)
    assert main(["postman", str(spec), "-o", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_missing_file_exits_2(tmp_path: Path) -> None:
    assert main(["postman", str(tmp_path / "nope.yaml")]) == 2


def test_output_does_not_depend_on_hash_seed(tmp_path: Path) -> None:
    """Sets and dicts iterate differently under other seeds; the bytes must not change."""
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        env = {**os.environ, "PYTHONHASHSEED": seed}
        spec = SPECS / "eevion" / "openapi.yaml"
        subprocess.run([sys.executable, "-m", "generator", "postman", str(spec), "-o", str(out), "--name", "eevion"], check=True, env=env, cwd=REPO, capture_output=True)
        outputs.append({p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*.json"))})
    assert outputs[0] == outputs[1]
