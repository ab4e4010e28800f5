"""A fifth vendor from a spec folder alone (no Python): a mock, a Postman collection that runs green
with newman against it, and a Power Platform connector that lints clean.

The folder (`tests/data/mockcorpus/acme-charge/`: openapi.yaml + connector.yaml, an invented vendor)
is copied into a temp dir, built with `connectorgen build --specs`, and served by `create_app(folder)`,
which finds no `generator.mock.vendors.acme_charge` module and so uses the generic engine.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from generator.mock import create_app, mock_server
from generator.mock.engine import GenericBehaviour
from generator.mock.serve import BackgroundServer

from tests.conftest import REPO

FOLDER = Path(__file__).resolve().parents[1] / "data" / "mockcorpus" / "acme-charge"
NEWMAN = REPO / "node_modules" / ".bin" / "newman"
CLI = [sys.executable, "-m", "generator"]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fifth")
    shutil.copytree(FOLDER, root / "specs" / "acme-charge")
    result = subprocess.run([*CLI, "build", "--specs", str(root / "specs"), "--out", str(root / "out"), "--quiet"], cwd=root, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return root


def test_no_python_for_the_fifth_vendor(built: Path) -> None:
    app = create_app(str(built / "specs" / "acme-charge"))
    assert type(mock_server(app).behaviour) is GenericBehaviour
    assert not (REPO / "generator" / "mock" / "vendors" / "acme_charge.py").exists()


def test_connector_lints_clean(built: Path) -> None:
    result = subprocess.run([*CLI, "lint", str(built / "out" / "acme-charge" / "powerplatform")], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no findings" in result.stdout


def test_postman_collection_runs_green_against_the_mock(built: Path) -> None:
    if not NEWMAN.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"{NEWMAN} is missing under CI")
        pytest.skip("newman is missing: run `npm ci`")
    postman = built / "out" / "acme-charge" / "postman"
    collection = postman / "acme-charge.postman_collection.json"
    environment = postman / "environments" / "acme-charge-mock.postman_environment.json"
    report = built / "newman.json"
    with BackgroundServer(create_app(str(built / "specs" / "acme-charge"))) as server:
        described = httpx.get(f"{server.base_url}/_mock/describe").json()
        assert described["credentials"] == {"apiKey": "mock-acme-key"}
        command = [str(NEWMAN), "run", str(collection), "-e", str(environment), "--color", "off", "--env-var", f"baseUrl={server.base_url}"]
        command += ["-r", "cli,json", "--reporter-json-export", str(report)]
        result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300)
    run = json.loads(report.read_text())["run"]
    assert run["failures"] == [], result.stdout[-4000:]
    assert run["stats"]["requests"]["total"] == 4
    assert run["stats"]["assertions"]["total"] >= 4 and run["stats"]["assertions"]["failed"] == 0
    assert result.returncode == 0
