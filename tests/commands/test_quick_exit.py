"""A batch command run by the `connectorgen` script ends its process without freeing what it built
(`commands/_gc.py`): its output is still whole, its exit code kept, the atexit handlers run; a
caller of `cli.main` in its own process keeps Python's normal ending and holds nothing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from generator.cli import main
from generator.commands import _gc

SPEC = """\
openapi: 3.0.3
info: {title: Quick exit, version: "1"}
paths:
  /items:
    get:
      operationId: listItems
      parameters:
        - {name: session, in: cookie, schema: {type: string}}
      responses:
        "200":
          description: the items
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Item"}}
components:
  schemas:
    Item:
      type: object
      properties:
        id: {type: string}
        size: {type: integer}
"""


def _script(*argv: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    """`connectorgen ARGV` as a user runs it: through `cli.run`, the script's entry point."""
    code = "import sys; from generator.cli import run; sys.argv[0] = 'connectorgen'; run()"
    return subprocess.run([sys.executable, "-c", code, *argv], cwd=cwd, capture_output=True, timeout=120)


def _probe(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)


@pytest.fixture()
def spec(tmp_path: Path) -> Path:
    path = tmp_path / "openapi.yaml"
    path.write_text(SPEC, encoding="utf-8")
    return path


def test_a_document_written_to_stdout_is_whole(spec: Path, tmp_path: Path) -> None:
    """Nothing flushes stdout's buffer but `exit_now`: a lost tail would show here."""
    result = _script("convert", str(spec), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    swagger = json.loads(result.stdout)
    assert swagger["swagger"] == "2.0"
    assert set(swagger["definitions"]) == {"Item"}
    in_process = tmp_path / "in-process.json"
    assert main(["convert", str(spec), "-o", str(in_process)]) == 0
    assert result.stdout == in_process.read_bytes()


def test_the_exit_code_and_stderr_survive(spec: Path, tmp_path: Path) -> None:
    """--strict with a warning (Swagger 2.0 has no cookie parameters): exit 1, and the warning
    printed."""
    result = _script("convert", str(spec), "--strict", "-o", str(tmp_path / "out.json"), cwd=tmp_path)
    assert result.returncode == 1
    assert b"/paths/~1items/get/parameters/0" in result.stderr
    assert json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))["swagger"] == "2.0"


def test_a_closed_pipe_is_no_error(tmp_path: Path) -> None:
    """The reader stops after the first bytes of a large document: exit 0, no traceback."""
    from bench.synth import synthetic_json

    big = tmp_path / "big.json"
    big.write_text(synthetic_json(300), encoding="utf-8")
    code = "import sys; from generator.cli import run; sys.argv[0] = 'connectorgen'; run()"
    producer = subprocess.Popen(
        [sys.executable, "-c", code, "convert", str(big), "--lenient"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    assert producer.stdout is not None and producer.stderr is not None
    assert producer.stdout.read(9) == b'{\n  "swag'
    producer.stdout.close()
    stderr = producer.stderr.read()
    assert producer.wait(timeout=120) == 0
    assert b"Traceback" not in stderr and b"Exception ignored" not in stderr


def test_atexit_handlers_run_and_buffers_are_flushed(tmp_path: Path) -> None:
    marker = tmp_path / "atexit.txt"
    probe = (
        "import atexit, sys\n"
        "from generator.commands import _gc\n"
        f"atexit.register(lambda: open({str(marker)!r}, 'w').write('ran'))\n"
        "_gc.enable_quick_exit()\n"
        "@_gc.without_cyclic_gc\n"
        "def command(args):\n"
        "    sys.stdout.write('buffered, not flushed')\n"
        "    _gc.keep_until_exit(['a large tree'])\n"
        "    return 3\n"
        "_gc.exit_now(command(None))\n"
        "print('not reached')\n"
    )
    result = _probe(probe)
    assert result.returncode == 3
    assert result.stdout == "buffered, not flushed"
    assert marker.read_text(encoding="utf-8") == "ran"


def test_a_command_that_is_not_a_batch_command_ends_normally(tmp_path: Path) -> None:
    """`exit_now` without a batch command run is `sys.exit`: the rest of Python's ending happens
    (here: a `finally` block runs, which `os._exit` would skip)."""
    probe = (
        "import sys\n"
        "from generator.commands import _gc\n"
        "_gc.enable_quick_exit()\n"
        "try:\n"
        "    _gc.exit_now(4)\n"
        "finally:\n"
        "    print('finally ran')\n"
    )
    result = _probe(probe)
    assert result.returncode == 4
    assert result.stdout == "finally ran\n"


def test_main_in_a_process_of_its_own_holds_nothing(spec: Path, tmp_path: Path) -> None:
    """The test process calls `main`, not `run`: nothing may be kept alive across commands."""
    assert not _gc._state["enabled"]
    assert main(["convert", str(spec), "-o", str(tmp_path / "out.json")]) == 0
    assert main(["postman", str(spec), "-o", str(tmp_path / "postman")]) == 0
    assert _gc._state["held"] == []


def test_a_profiled_run_still_writes_its_profile(spec: Path, tmp_path: Path) -> None:
    """`python -m cProfile -o F -m generator convert …` (the bench's profile section does this):
    the profiler writes F at Python's normal ending, which a quick exit would skip."""
    dump = tmp_path / "convert.prof"
    result = subprocess.run(
        [sys.executable, "-m", "cProfile", "-o", str(dump), "-m", "generator", "convert", str(spec), "-o", str(tmp_path / "out.json")],
        cwd=tmp_path, capture_output=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    import pstats

    assert any(name == "run" for (_, _, name) in pstats.Stats(str(dump)).stats)  # type: ignore[attr-defined]
