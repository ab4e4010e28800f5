"""The C# harness on Microsoft's published connectors (tests/data/calibration, see SOURCE.md there):
every published script.csx is compiled as the platform compiles it (all 26 allowed namespaces in
scope, the documented ScriptBase/IScriptContext surface, warnings not errors), and the outcome of each
is recorded below with the reason when it fails. A change in the harness that compiles more (or fewer)
of them changes this table, so it is a reviewed diff.

Reasons the harness cannot compile the rest, none of which is a fault of the script:
- `csharp8`: C# 8 or later syntax (`using var`, switch expressions, recursive patterns); Mono's mcs
  speaks C# 7.2 at most, the platform's Roslyn compiler takes it.
- `newtonsoft11`: `JObject.ContainsKey` (Newtonsoft.Json 11.0.1 and later); Debian ships 5.0 and
  the platform a recent one.
- `namespace`: a namespace the platform provides outside the documented list
  (`Microsoft.PowerPlatform.Connectors.CustomCode.CSharp`).
- `class_name`: the class is `script`, not `Script`; the harness instantiates `Script`.

The harness surface is the one Learn documents (ScriptBase: Context, CancellationToken,
CreateJsonContent, ExecuteAsync; IScriptContext: CorrelationId, OperationId, Request, Logger,
SendAsync). DocuSign also calls `Context.OriginalRequestUri` and `Context.CreateNotificationUri`,
which Learn does not document; the harness leaves them out (DocuSign fails earlier, on C# 8 syntax).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from generator.emulator.mono import MonoError, compile_script

from tests.emulator.mono_support import require_mono

CALIBRATION = Path(__file__).resolve().parents[1] / "data" / "calibration" / "connectors"

EXPECTED = {
    "certified-connectors/Airmeet": "csharp8",
    "certified-connectors/Autenti E-Signature Standard Workflow Connector": "newtonsoft11",
    "certified-connectors/Azure Communication Services Chat": "namespace",
    "certified-connectors/Blackbaud Raiser's Edge NXT Fundraising": "compiles",
    "certified-connectors/Blackbaud Raiser's Edge NXT Interactions": "compiles",
    "certified-connectors/Calendly": "compiles",
    "certified-connectors/CardsForPowerApps": "newtonsoft11",
    "certified-connectors/Cradl AI": "compiles",
    "certified-connectors/Data8": "newtonsoft11",
    "certified-connectors/DocuSign": "csharp8",
    "certified-connectors/Oneflow": "compiles",
    "certified-connectors/OpenLegacy IBM Mainframe": "csharp8",
    "certified-connectors/ServiceDeskPlus Cloud": "compiles",
    "certified-connectors/SmartCOMM Doc-Gen": "compiles",
    "certified-connectors/Snowflake v2": "csharp8",
    "certified-connectors/Zoho Calendar": "newtonsoft11",
    "certified-connectors/Zoho Mail": "newtonsoft11",
    "independent-publisher-connectors/IBM Watson Text to Speech": "compiles",
    "independent-publisher-connectors/Open Data Network": "csharp8",
    "independent-publisher-connectors/wttr.in": "class_name",
}

_REASONS = (
    ("newtonsoft11", re.compile(r"`Newtonsoft\.Json\.Linq\.JObject' does not contain a definition for `ContainsKey'")),
    ("namespace", re.compile(r"error CS0234: The type or namespace name `\w+' does not exist in the namespace")),
    ("class_name", re.compile(r"Runner\.cs\(\d+,\d+\): error CS0246: The type or namespace name `Script' could not be found")),
    ("csharp8", re.compile(r"error CS1525: Unexpected symbol `(var|switch)'|error CS1644: Feature `[\w ]+' cannot be used")),
)


def _outcome(script: Path) -> str:
    try:
        compile_script(script, strict=False)
    except MonoError as exc:
        errors = [line for line in str(exc).splitlines() if "error CS" in line]
        found = {reason for reason, pattern in _REASONS for line in errors if pattern.search(line)}
        # Every error line must be explained by one of the known reasons.
        unexplained = [line for line in errors if not any(p.search(line) for _, p in _REASONS) and "Unexpected symbol" not in line]
        if unexplained and not found & {"csharp8"}:
            return "unexplained: " + unexplained[0]
        return "+".join(sorted(found)) or "unexplained: " + (errors[0] if errors else str(exc)[:200])
    return "compiles"


def test_published_scripts_compile_as_recorded() -> None:
    require_mono()
    scripts = sorted(CALIBRATION.rglob("script.csx"))
    outcomes = {script.parent.relative_to(CALIBRATION).as_posix(): _outcome(script) for script in scripts}
    assert outcomes == EXPECTED
    compiled = sum(1 for outcome in outcomes.values() if outcome == "compiles")
    assert compiled == 8 and len(outcomes) == 20


@pytest.mark.parametrize("reason", ["csharp8", "newtonsoft11"])
def test_a_recorded_reason_is_what_the_compiler_says(reason: str) -> None:
    """The categories are read from the compiler's messages, not assumed: one example of each."""
    require_mono()
    example = next(name for name, outcome in EXPECTED.items() if outcome == reason)
    with pytest.raises(MonoError) as failure:
        compile_script(CALIBRATION / example / "script.csx", strict=False)
    assert any(pattern.search(str(failure.value)) for name, pattern in _REASONS if name == reason)
