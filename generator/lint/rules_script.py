"""Rules on custom code (script.csx), as Microsoft Learn's "Write code in a custom connector" page
defines it: one `public class Script : ScriptBase` overriding ExecuteAsync, the 26 supported
namespaces only, at most 1 MB, HTTP through `Context.SendAsync`. Findings are located at the line
and column of the offending code (comments and string contents are not code: csharp.blank_code).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.lint.csharp import ALLOWED_NAMESPACES, AMBIGUOUS_NAMES, PUBLISHED_EXTRA_NAMESPACES, blank_code
from generator.lint.package import LintPackage
from generator.lint.registry import rule
from generator.problems import Finding, Level

__all__ = ["MAX_SCRIPT_BYTES"]

S = "script"
MAX_SCRIPT_BYTES = 1024 * 1024
_ALLOWED = frozenset(ALLOWED_NAMESPACES)
_USING = re.compile(r"\busing\s+(static\s+)?(?:(\w+)\s*=\s*)?([A-Za-z_][\w.]*)\s*;")
_SCRIPT_CLASS = re.compile(r"\bpublic\s+(?:sealed\s+|partial\s+)*class\s+(script)\s*:\s*ScriptBase\b", re.I)
_EXECUTE = re.compile(
    r"\bpublic\s+(?:async\s+)?override\s+(?:async\s+)?Task\s*<\s*HttpResponseMessage\s*>\s*ExecuteAsync\s*\(\s*\)"
)
_FILE_SYSTEM = re.compile(
    r"(?<!\w)(?:File|Directory|DriveInfo)\s*\.\s*[A-Z]\w*\s*\("
    r"|\bnew\s+(?:FileStream|FileInfo|DirectoryInfo|DriveInfo)\s*\("
    r"|\bnew\s+(?:StreamWriter|StreamReader)\s*\(\s*\""
    r"|\bPath\s*\.\s*(?:GetTempPath|GetTempFileName)\b"
)
_SOCKETS = re.compile(
    r"\b(?:System\s*\.\s*Net\s*\.\s*(?:Sockets|WebSockets)\b|(?:TcpClient|TcpListener|UdpClient|Socket|ClientWebSocket)\s*\()"
)
_NEW_HTTP_CLIENT = re.compile(r"\bnew\s+(?:System\s*\.\s*Net\s*\.\s*Http\s*\.\s*)?HttpClient\s*\(")


def _code(package: LintPackage) -> str | None:
    text = package.texts.get(S)
    return None if text is None else blank_code(text)


def _directives(code: str) -> Iterator[tuple[re.Match[str], str]]:
    """`using` directives (brace depth 0, before the first type), with the namespace each needs: an
    alias or `using static` names a type, so its namespace is the part before the last dot."""
    first_brace = code.find("{")
    head = code if first_brace < 0 else code[:first_brace]
    for match in _USING.finditer(head):
        target = match.group(3)
        is_type = bool(match.group(1)) or (bool(match.group(2)) and target not in _ALLOWED)
        yield match, target.rsplit(".", 1)[0] if is_type and "." in target else target


@rule("ScriptTooLarge", Level.ERROR, f"script.csx is at most {MAX_SCRIPT_BYTES // 1024} KB")
def script_size(package: LintPackage) -> Iterator[Finding]:
    """Learn 'Write code in a custom connector', FAQ: 'the size of your script file can't be more
    than 1 MB'. The largest published script of the sample, DocuSign's, is 110 KB."""
    path = package.files.get(S)
    if path is not None and path.stat().st_size > MAX_SCRIPT_BYTES:
        yield Finding(f"script.csx is {path.stat().st_size} bytes; at most {MAX_SCRIPT_BYTES} allowed", file=S)


@rule(
    "ScriptClassNotValid",
    Level.ERROR,
    "script.csx declares exactly one `public class Script : ScriptBase`",
)
def script_class(package: LintPackage) -> Iterator[Finding]:
    """Learn 'Write code in a custom connector': 'The class name must be Script and it must implement
    ScriptBase'; 'only one script file per custom connector'. Helper types beside it are published
    (DocuSign 2024-09, Snowflake v2 2024-10, Oneflow 2024-03) and so is a lower-case `script`
    (wttr.in 2024-03), so neither is reported."""
    code = _code(package)
    if code is None:
        return
    found = list(_SCRIPT_CLASS.finditer(code))
    if not found:
        declaration = re.search(r"\bclass\s+\w+", code)
        yield Finding(
            "no `public class Script : ScriptBase` (the service runs that class)",
            offset=declaration.start() if declaration else 0,
            file=S,
        )
    for extra in found[1:]:
        yield Finding("a second `class Script : ScriptBase`; exactly one is allowed", offset=extra.start(), file=S)


@rule("ScriptExecuteAsyncMissing", Level.ERROR, "script.csx overrides ExecuteAsync()")
def script_execute(package: LintPackage) -> Iterator[Finding]:
    """Learn 'Write code in a custom connector': 'Your code needs to implement a method called
    ExecuteAsync' (`public override Task<HttpResponseMessage> ExecuteAsync()`, async or not); every
    published script of the sample has it."""
    code = _code(package)
    if code is None or _EXECUTE.search(code):
        return
    found = _SCRIPT_CLASS.search(code)
    yield Finding(
        "no `public override async Task<HttpResponseMessage> ExecuteAsync()`",
        offset=found.start() if found else 0,
        file=S,
    )


@rule("ScriptNamespaceNotAllowed", Level.ERROR, "script.csx uses only the 26 supported namespaces")
def script_namespaces(package: LintPackage) -> Iterator[Finding]:
    """Learn 'Write code in a custom connector', 'Supported namespaces': 'you can use functions from
    the following namespaces only' (csharp.ALLOWED_NAMESPACES); code using others does not compile on
    the service. The two others published scripts import are ScriptNamespaceUndocumented."""
    code = _code(package)
    for match, namespace in _directives(code or ""):
        if namespace not in _ALLOWED and namespace not in PUBLISHED_EXTRA_NAMESPACES:
            yield Finding(f"namespace {namespace} is not one of the 26 supported in custom code", offset=match.start(3), file=S)


@rule(
    "ScriptNamespaceUndocumented",
    Level.WARNING,
    "script.csx imports a namespace outside Learn's list that published scripts use",
)
def script_namespaces_undocumented(package: LintPackage) -> Iterator[Finding]:
    """Namespaces outside Learn's list that published scripts import and the service compiled
    (csharp.PUBLISHED_EXTRA_NAMESPACES: Snowflake v2 2024-10, Azure Communication Services Chat
    2024-03); the list is the documented contract, so a warning."""
    code = _code(package)
    for match, namespace in _directives(code or ""):
        if namespace in PUBLISHED_EXTRA_NAMESPACES:
            yield Finding(
                f"namespace {namespace} is not in Learn's list (published in {PUBLISHED_EXTRA_NAMESPACES[namespace]})",
                offset=match.start(3),
                file=S,
            )


@rule(
    "ScriptNameAmbiguous",
    Level.ERROR,
    "script.csx writes in full the names two allowed namespaces define (Newtonsoft.Json.Formatting)",
)
def script_ambiguous_names(package: LintPackage) -> Iterator[Finding]:
    """The service compiles a script with the 26 supported namespaces in scope (published scripts
    without a single `using` compile there: DocuSign 2024-09, Calendly 2024-05, Oneflow 2024-03), so
    a bare name two of them define is ambiguous (C# CS0104) and the upload fails ('most likely this
    is an issue compiling your code', Learn 'Write code in a custom connector', FAQ). Published
    scripts write `Newtonsoft.Json.Formatting.None` in full (Snowflake v2 2024-10, Autenti 2024-04)."""
    code = _code(package)
    if code is None:
        return
    for name, namespaces in AMBIGUOUS_NAMES.items():
        resolved = re.search(rf"\busing\s+{name}\s*=", code) or re.search(
            rf"\b(?:class|struct|enum|interface|record)\s+{name}\b", code
        )
        if resolved:
            continue
        for match in re.finditer(rf"(?<![\w.]){name}\b(?!\s*=(?!=))", code):
            yield Finding(
                f"{name} is ambiguous between {' and '.join(f'{ns}.{name}' for ns in namespaces)}; write it in full",
                offset=match.start(),
                file=S,
            )


@rule("ScriptSocketsNotAllowed", Level.ERROR, "script.csx opens no sockets")
def script_sockets(package: LintPackage) -> Iterator[Finding]:
    """Sockets live in System.Net.Sockets / System.Net.WebSockets, outside the 26 supported
    namespaces (Learn 'Write code in a custom connector'); no published script of the sample uses
    them."""
    code = _code(package)
    for match in _SOCKETS.finditer(code or ""):
        yield Finding("custom code may not open sockets; send requests with Context.SendAsync", offset=match.start(), file=S)


@rule("ScriptFileSystemAccess", Level.WARNING, "script.csx does not use the file system")
def script_file_system(package: LintPackage) -> Iterator[Finding]:
    """Custom code runs in a sandbox without a file system (power-platform reference: 'No file
    system'); System.IO is supported for streams, so File/Directory use compiles and fails at run
    time: a warning. No published script of the sample touches files."""
    code = _code(package)
    for match in _FILE_SYSTEM.finditer(code or ""):
        yield Finding("custom code has no file system; keep data in memory (MemoryStream)", offset=match.start(), file=S)


@rule("ScriptHttpClientCreated", Level.WARNING, "script.csx sends HTTP through Context.SendAsync")
def script_http_client(package: LintPackage) -> Iterator[Finding]:
    """Learn 'Write code in a custom connector', FAQ: 'Can I create my own http client in script
    code? Currently yes, but we'll block this in the future. The recommended way is to use
    this.Context.SendAsync'. Allowed today, so a warning."""
    code = _code(package)
    for match in _NEW_HTTP_CLIENT.finditer(code or ""):
        yield Finding(
            "`new HttpClient` bypasses the connector's pipeline; use this.Context.SendAsync",
            offset=match.start(),
            file=S,
        )
