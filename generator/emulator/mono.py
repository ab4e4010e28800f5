"""Running a connector's script.csx offline: compiled once with Mono's `mcs` against the harness in
generator/data/csharp/ (package data: Microsoft's documented ScriptBase/IScriptContext surface), then run as a process that
reads each request as a line of JSON on stdin, lets the script do its HTTP with HttpClient, and
writes the response as a line of JSON on stdout (one process serves every call of a runner).

Debian packages: mono-mcs, libnewtonsoft-json-cil-dev, libmono-system-net-http4.0-cil.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import threading
import uuid
from pathlib import Path

from generator.emulator.package import EmulatorError
from generator.emulator.wire import WireRequest, WireResponse

__all__ = ["DEFAULT_HARNESS", "MonoError", "ScriptRunner", "find_newtonsoft", "mono_available"]

DEFAULT_HARNESS = Path(__file__).resolve().parents[1] / "data" / "csharp"
_NEWTONSOFT_CANDIDATES = (
    "/usr/lib/cli/Newtonsoft.Json-5.0/Newtonsoft.Json.dll",
    "/usr/lib/mono/gac/Newtonsoft.Json/6.0.0.0__b9a188c8922137c6/Newtonsoft.Json.dll",
)


class MonoError(EmulatorError):
    """The script did not compile, or the runner failed (not an error answer of the script)."""


def find_newtonsoft() -> Path | None:
    if shutil.which("pkg-config"):
        result = subprocess.run(["pkg-config", "--libs", "newtonsoft-json"], capture_output=True, text=True, check=False)
        for flag in result.stdout.split():
            if flag.startswith("-r:") and Path(flag[3:]).is_file():
                return Path(flag[3:])
    return next((Path(p) for p in _NEWTONSOFT_CANDIDATES if Path(p).is_file()), None)


def mono_available() -> bool:
    return bool(shutil.which("mcs") and shutil.which("mono") and find_newtonsoft())


def _compile(script: Path, harness: Path) -> Path:
    sources = [*sorted(harness.glob("*.cs")), script]
    digest = hashlib.sha256()
    for source in sources:
        digest.update(source.name.encode() + b"\0" + source.read_bytes() + b"\0")
    folder = Path(tempfile.gettempdir()) / "connectorgen-mono" / digest.hexdigest()[:24]
    exe = folder / "runner.exe"
    if exe.is_file():
        return exe
    newtonsoft = find_newtonsoft()
    if not (shutil.which("mcs") and newtonsoft):
        raise MonoError("Mono is not installed (apt-get install mono-mcs libnewtonsoft-json-cil-dev libmono-system-net-http4.0-cil)")
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f"runner-{os.getpid()}-{uuid.uuid4().hex[:8]}.exe"
    command = ["mcs", "-nologo", "-warnaserror", "-target:exe", f"-out:{partial}", "-r:System.Net.Http", f"-r:{newtonsoft}", *map(str, sources)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        partial.unlink(missing_ok=True)
        raise MonoError(f"{script} does not compile:\n{result.stdout}{result.stderr}")
    shutil.copy2(newtonsoft, folder / newtonsoft.name)  # found beside the exe even outside the GAC
    os.replace(partial, exe)  # atomic: parallel test workers may compile the same script
    return exe


class ScriptRunner:
    """One compiled script; `run` executes it for one request in the runner process (started on
    first use, restarted if it died); `close` stops it."""

    def __init__(self, script: Path, harness: Path | None = None, timeout_seconds: float = 5.0):
        self.exe = _compile(Path(script), harness or DEFAULT_HARNESS)
        self.timeout_seconds = timeout_seconds
        self._process: subprocess.Popen[str] | None = None
        self._lock = threading.Lock()

    def _start(self) -> subprocess.Popen[str]:
        if self._process is None or self._process.poll() is not None:
            self._process = subprocess.Popen(
                ["mono", str(self.exe), "--serve"],
                cwd=self.exe.parent,  # Mono writes mono_crash.*.json into its working folder if it crashes on exit
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
                bufsize=1,
            )
        return self._process

    def close(self) -> None:
        with self._lock:
            process, self._process = self._process, None
        if process is not None and process.poll() is None:
            assert process.stdin is not None
            process.stdin.close()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def __enter__(self) -> ScriptRunner:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def __del__(self) -> None:
        with contextlib.suppress(Exception):  # interpreter shutdown: nothing left to tidy
            self.close()

    def _exchange(self, line: str) -> str:
        with self._lock:
            process = self._start()
            assert process.stdin is not None and process.stdout is not None
            try:
                process.stdin.write(line + "\n")
                process.stdin.flush()
            except (BrokenPipeError, OSError) as exc:
                raise MonoError(f"the script runner stopped: {exc}") from exc
            answers: list[str] = []
            reader = threading.Thread(target=lambda: answers.append(process.stdout.readline()), daemon=True)  # type: ignore[union-attr]
            reader.start()
            reader.join(self.timeout_seconds + 30)  # the script's own limit is enforced inside
            if reader.is_alive():
                process.kill()
                raise MonoError("the script runner did not answer in time")
            answer = answers[0] if answers else ""
            if not answer:
                raise MonoError(f"the script runner stopped (exit status {process.poll()})")
            return answer

    def run(self, request: WireRequest, operation_id: str, correlation_id: str = "") -> WireResponse:
        payload = {
            "operationId": operation_id,
            "correlationId": correlation_id or str(uuid.uuid5(uuid.NAMESPACE_URL, request.url)),
            "method": request.method,
            "url": request.url,
            "headers": [list(pair) for pair in request.headers],
            "body": base64.b64encode(request.body).decode() if request.body is not None else None,
            "timeoutSeconds": self.timeout_seconds,
        }
        # The script's own 5-second limit is enforced inside the runner (CancellationToken).
        data = json.loads(self._exchange(json.dumps(payload)))
        return WireResponse(
            status=int(data["status"]),
            headers=[(str(k), str(v)) for k, v in data.get("headers", [])],
            body=base64.b64decode(data.get("body") or ""),
            reason=str(data.get("reason", "")),
            sent=[str(s) for s in data.get("sent", [])],
            logs=[str(s) for s in data.get("logs", [])] + ([str(data["error"])] if data.get("error") else []),
        )
