"""What Power Platform allows in custom code (script.csx), and a C# source blanker.

`ALLOWED_NAMESPACES` is read from the one list of the project, generator/data/csharp/
allowed_namespaces.txt (also read by the C# harness and the script renderer): Microsoft Learn's
"Write code in a custom connector" page, section "Supported namespaces": "Not all C# namespaces are
supported. Currently, you can use functions from the following namespaces only." (26 namespaces).
"""

from __future__ import annotations

import re
from pathlib import Path

__all__ = [
    "ALLOWED_NAMESPACES",
    "AMBIGUOUS_NAMES",
    "NAMESPACES_FILE",
    "PUBLISHED_EXTRA_NAMESPACES",
    "blank_code",
]

NAMESPACES_FILE = Path(__file__).resolve().parent.parent / "data" / "csharp" / "allowed_namespaces.txt"
# In the page's order.
ALLOWED_NAMESPACES: tuple[str, ...] = tuple(
    line.strip()
    for line in NAMESPACES_FILE.read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
)

# Type names two of the allowed namespaces define: with all 26 in scope, a bare use is ambiguous
# (C# error CS0104), so a script writes them in full (published: Newtonsoft.Json.Formatting.None in
# Snowflake v2 and Autenti) or aliases them. name -> the namespaces defining it.
AMBIGUOUS_NAMES: dict[str, tuple[str, ...]] = {
    "Formatting": ("Newtonsoft.Json", "System.Xml"),
    "WriteState": ("Newtonsoft.Json", "System.Xml"),
    "Encoder": ("System.Text", "System.Drawing.Imaging"),
    "Extensions": ("Newtonsoft.Json.Linq", "System.Xml.Linq"),
}

# Namespaces outside the list that published scripts import and the service compiled (the using
# names a namespace present in the service's assemblies): namespace -> the published evidence.
PUBLISHED_EXTRA_NAMESPACES: dict[str, str] = {
    "System.Runtime.Remoting.Contexts": "Snowflake v2 (certified, 2024-10)",
    "Microsoft.PowerPlatform.Connectors.CustomCode.CSharp": "Azure Communication Services Chat (certified, 2024-03)",
}

_LEXEME = re.compile(
    r"""
    (?P<line>//[^\n]*)
  | (?P<block>/\*.*?(?:\*/|\Z))
  | (?P<verbatim>(?:\$@|@\$|@)"(?:[^"]|"")*(?:"|\Z))
  | (?P<string>\$?"(?:\\.|[^"\\\n])*(?:"|$))
  | (?P<char>'(?:\\.|[^'\\\n])*')
    """,
    re.VERBOSE | re.DOTALL | re.MULTILINE,
)


def blank_code(text: str) -> str:
    """`text` with comments and the contents of string and character literals replaced by spaces
    (newlines kept), so that words and braces in them do not count and every offset stays valid."""

    def blank(match: re.Match[str]) -> str:
        value = match.group()
        if match.lastgroup in ("line", "block"):
            return re.sub(r"[^\n]", " ", value)
        quote = "'" if match.lastgroup == "char" else '"'
        start = value.index(quote) + 1
        end = len(value) - 1 if len(value) > start and value.endswith(quote) else len(value)
        return value[:start] + re.sub(r"[^\n]", " ", value[start:end]) + value[end:]

    return _LEXEME.sub(blank, text)
