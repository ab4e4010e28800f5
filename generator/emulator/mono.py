"""Running a connector's script.csx offline: compiled once with Mono's `mcs` against the harness in
generator/data/csharp/ (package data: Microsoft's documented ScriptBase/IScriptContext surface), then run as a process that
reads each request as a line of JSON on stdin, lets the script do its HTTP with HttpClient, and
writes the response as a line of JSON on stdout (one process serves every call of a runner).

The script is compiled as the platform compiles it: every namespace Power Platform allows in custom
code (generator/data/csharp/allowed_namespaces.txt, 26 of them) is in scope as an implicit `using`,
whatever the script's own `using` lines say, so a name two of them define (`Formatting`: Newtonsoft.Json
and System.Xml) is ambiguous here as it is there. A `#line` directive keeps the compiler's line
numbers those of the script.

Debian packages: mono-mcs, libnewtonsoft-json-cil-dev, libmono-system-net-http4.0-cil, and for the
assemblies behind the allowed namespaces libmono-system-drawing4.0-cil, libmono-system-web4.0-cil,
libmono-system-io-compression4.0-cil.
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

__all__ = [
    "ALLOWED_NAMESPACES_FILE",
    "DEFAULT_HARNESS",
    "MonoError",
    "ScriptRunner",
    "compile_script",
    "find_newtonsoft",
    "implicit_usings",
    "mono_available",
    "platform_source",
]

DEFAULT_HARNESS = Path(__file__).resolve().parents[1] / "data" / "csharp"
ALLOWED_NAMESPACES_FILE = DEFAULT_HARNESS / "allowed_namespaces.txt"
# The assemblies behind the allowed namespaces (mscorlib and System are always referenced).
_REFERENCES = ("System.Core", "System.Net.Http", "System.Xml", "System.Xml.Linq", "System.Drawing", "System.Web", "System.IO.Compression")
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


def implicit_usings() -> tuple[str, ...]:
    """The allowed namespaces, in the file's order (lines that are not blank or `#` comments)."""
    lines = ALLOWED_NAMESPACES_FILE.read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#"))


def platform_source(text: str, name: str = "script.csx") -> str:
    """`text` with every allowed namespace as a `using` in front, then `#line 1 "name"` so that the
    compiler reports the script's own lines. Repeating one of the script's usings is harmless (CS0105
    is silenced when compiling)."""
    prologue = "".join(f"using {namespace};\n" for namespace in implicit_usings())
    quoted = name.replace("\\", "/").replace('"', "")
    return f'{prologue}#line 1 "{quoted}"\n{text}'


def compile_script(script: Path, harness: Path | None = None, *, strict: bool = True) -> Path:
    """The runner for `script` compiled with the harness (cached by content); MonoError with the
    compiler's messages if it does not compile. `strict`: warnings are errors (our own scripts)."""
    harness = harness or DEFAULT_HARNESS
    script = Path(script)
    source = platform_source(script.read_text(encoding="utf-8-sig"), str(script.resolve())).encode("utf-8")
    harness_files = sorted(harness.glob("*.cs"))
    digest = hashlib.sha256(b"strict" if strict else b"lenient")
    for name, data in [*((f.name, f.read_bytes()) for f in harness_files), ("script.cs", source)]:
        digest.update(name.encode() + b"\0" + data + b"\0")
    folder = Path(tempfile.gettempdir()) / "connectorgen-mono" / digest.hexdigest()[:24]
    exe = folder / "runner.exe"
    if exe.is_file():
        return exe
    newtonsoft = find_newtonsoft()
    if not (shutil.which("mcs") and newtonsoft):
        raise MonoError("Mono is not installed (apt-get install mono-mcs libnewtonsoft-json-cil-dev libmono-system-net-http4.0-cil)")
    folder.mkdir(parents=True, exist_ok=True)
    token = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
    partial = folder / f"runner-{token}.exe"
    combined = folder / f"script-{token}.cs"
    combined.write_bytes(source)
    command = [
        "mcs",
        "-nologo",
        *(["-warnaserror"] if strict else []),
        "-nowarn:105",  # a script's own `using` repeats an implicit one
        "-langversion:latest",  # Mono's newest, C# 7.2; the platform's Roslyn takes newer syntax too
        "-target:exe",
        f"-out:{partial}",
        *(f"-r:{reference}" for reference in _REFERENCES),
        f"-r:{newtonsoft}",
        *map(str, harness_files),
        str(combined),
    ]
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False)
    finally:
        combined.unlink(missing_ok=True)
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
        self.exe = compile_script(Path(script), harness)
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
