"""script.csx: Microsoft's rules checked offline, and real compilation with Mono."""

from __future__ import annotations

from pathlib import Path

import pytest
from generator.emulator.mono import MonoError, ScriptRunner
from generator.targets.powerplatform.script import check_script, cs_literal

from tests.emulator.mono_support import require_mono
from tests.powerplatform.packages import built_packages

SCRIPTED = ("vev-iq", "volue", "eevion")

GOOD = """using System.Net.Http;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;

public class Script : ScriptBase
{
    // class Helper : ScriptBase  <- comments do not count
    public override async Task<HttpResponseMessage> ExecuteAsync()
    {
        var text = "class Other { }";
        return await this.Context.SendAsync(this.Context.Request, this.CancellationToken);
    }
}
"""


def test_generated_scripts_follow_the_rules() -> None:
    for vendor in SCRIPTED:
        text = (built_packages()[vendor][0] / "script.csx").read_text(encoding="utf-8")
        assert check_script(text) == [], vendor


def test_rules_accept_a_minimal_script() -> None:
    assert check_script(GOOD) == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (GOOD.replace("using Newtonsoft.Json.Linq;", "using System.Reflection;"), "System.Reflection is not allowed"),
        (GOOD + "\npublic class Extra { }\n", "exactly one class"),
        (GOOD.replace("class Script : ScriptBase", "class Script"), "Script : ScriptBase"),
        (GOOD.replace("return await", "var c = new HttpClient(); return await"), "Context.SendAsync"),
        (GOOD + "//" + "x" * (1024 * 1024), "limit is 1 MB"),
    ],
)
def test_rules_reject(text: str, message: str) -> None:
    assert any(message in m for m in check_script(text))


def test_cs_literal_escapes() -> None:
    assert cs_literal('a"b\\c\n') == '"a\\"b\\\\c\\n"'


@pytest.mark.parametrize("vendor", SCRIPTED)
def test_scripts_compile_with_mono(vendor: str) -> None:
    require_mono()
    ScriptRunner(built_packages()[vendor][0] / "script.csx")


def test_compile_errors_are_reported(tmp_path: Path) -> None:
    require_mono()
    broken = tmp_path / "script.csx"
    broken.write_text(GOOD.replace("return await", "return awaitt"))
    with pytest.raises(MonoError, match="does not compile"):
        ScriptRunner(broken)


def test_allowed_namespaces_are_the_26_documented() -> None:
    from generator.emulator.mono import implicit_usings
    from generator.targets.powerplatform.script import ALLOWED_NAMESPACES

    assert len(implicit_usings()) == 26
    assert set(implicit_usings()) == ALLOWED_NAMESPACES
    assert {"System.Xml", "Newtonsoft.Json", "System.Drawing.Imaging", "System.Net.Security"} <= ALLOWED_NAMESPACES


# Names that two allowed namespaces both define: with all 26 in scope, as the platform compiles, a
# bare one is ambiguous (CS0104). Checked without Mono; the compile tests below see the rest.
AMBIGUOUS = ("Formatting",)  # Newtonsoft.Json.Formatting, System.Xml.Formatting


@pytest.mark.parametrize("vendor", SCRIPTED)
def test_generated_scripts_qualify_ambiguous_names(vendor: str) -> None:
    import re

    text = (built_packages()[vendor][0] / "script.csx").read_text(encoding="utf-8")
    for name in AMBIGUOUS:
        assert not re.search(rf"(?<![\w.]){name}\.", text), f"{vendor}: bare {name} is ambiguous in custom code"


def test_harness_puts_every_allowed_namespace_in_scope(tmp_path: Path) -> None:
    """A script with no `using` at all compiles (the namespaces are implicit), and a bare
    `Formatting` is refused as ambiguous, as the platform refuses it."""
    require_mono()
    body = """public class Script : ScriptBase
{
    public override async Task<HttpResponseMessage> ExecuteAsync()
    {
        var text = new JObject { ["a"] = 1 }.ToString(FORMATTING.None);
        Context.Logger.LogInformation(text + HttpUtility.UrlEncode("a b") + Regex.Escape("."));
        return await Context.SendAsync(Context.Request, CancellationToken);
    }
}
"""
    good = tmp_path / "good.csx"
    good.write_text(body.replace("FORMATTING", "Newtonsoft.Json.Formatting"))
    ScriptRunner(good)
    bad = tmp_path / "bad.csx"
    bad.write_text("using Newtonsoft.Json;\n" + body.replace("FORMATTING", "Formatting"))
    with pytest.raises(MonoError, match=r"bad\.csx\(6,\d+\): error CS0104: `Formatting' is an ambiguous reference"):
        ScriptRunner(bad)
