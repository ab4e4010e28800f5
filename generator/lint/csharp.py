"""What Power Platform allows in custom code (script.csx), in one place, and a C# source blanker.

`ALLOWED_NAMESPACES` is the list of Microsoft Learn's "Write code in a custom connector" page,
section "Supported namespaces" (learn.microsoft.com/connectors/custom-connectors/write-code; the
page's source is MicrosoftDocs, `connectors/custom-connectors/write-code.md`): "Not all C#
namespaces are supported. Currently, you can use functions from the following namespaces only."
The lint rules (rules_script.py) and the C# harness that compiles generated scripts with all of them
as implicit usings import it from here.
"""

from __future__ import annotations

import re

__all__ = ["ALLOWED_NAMESPACES", "PUBLISHED_EXTRA_NAMESPACES", "blank_code"]

# In the page's order; 26 namespaces.
ALLOWED_NAMESPACES: tuple[str, ...] = (
    "System",
    "System.Collections",
    "System.Collections.Generic",
    "System.Diagnostics",
    "System.IO",
    "System.IO.Compression",
    "System.Linq",
    "System.Net",
    "System.Net.Http",
    "System.Net.Http.Headers",
    "System.Net.Security",
    "System.Security.Authentication",
    "System.Security.Cryptography",
    "System.Text",
    "System.Text.RegularExpressions",
    "System.Threading",
    "System.Threading.Tasks",
    "System.Web",
    "System.Xml",
    "System.Xml.Linq",
    "System.Drawing",
    "System.Drawing.Drawing2D",
    "System.Drawing.Imaging",
    "Microsoft.Extensions.Logging",
    "Newtonsoft.Json",
    "Newtonsoft.Json.Linq",
)

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
