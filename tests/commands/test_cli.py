"""The top-level CLI: every command listed in help, only the one being run imported."""

from __future__ import annotations

import subprocess
import sys

import pytest
from generator.cli import build_parser, main
from generator.commands import COMMANDS


def _choices(argv: list[str]) -> dict[str, str]:
    parser = build_parser(argv)
    sub = next(a for a in parser._actions if a.dest == "command")  # argparse keeps subparsers here
    return {action.dest: action.help or "" for action in sub._choices_actions}  # type: ignore[attr-defined]


@pytest.mark.parametrize("argv", [[], ["convert", "x.yaml"], ["--version"], ["mock", "eevion"]])
def test_help_lists_every_command_with_its_summary(argv: list[str]) -> None:
    assert _choices(argv) == {name: summary for name, (_, summary) in COMMANDS.items()}


def test_running_a_command_imports_no_other_command() -> None:
    """Shared option helpers (`commands/_options.py`) are not commands."""
    probe = (
        "import sys\n"
        "from generator.cli import main\n"
        "try:\n"
        "    main(['convert', '--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('generator.commands.') and not m.startswith('generator.commands._')))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == "['generator.commands.convert']"


def test_unknown_command_exits_2_naming_the_choices(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["bogus"])
    assert exit_info.value.code == 2
    assert "invalid choice: 'bogus'" in capsys.readouterr().err


def test_no_command_prints_help_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    out = capsys.readouterr().out
    assert all(name in out for name in COMMANDS)
