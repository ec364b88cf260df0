"""`monev ... --help` of every command speaks Indonesian: none of Typer/Click's own English words
(their help frame), while our own help texts are already Indonesian."""

from __future__ import annotations

import re

import click
import typer.main
from typer.testing import CliRunner

from pipelines.cli import app
from pipelines.cli_help import type_label

# Click's and Typer's own words in a help page (and in the hint on a usage error)
ENGLISH = [
    r"\bUsage\b", r"\bOptions\b", r"\bCommands\b", r"\bArguments\b", r"Show this message", r"\[default:",
    r"\[env var", r"\[required\]", r"<bool>", r"<str>", r"<int>", r"<float>", r"<path>", r"<list\[",
    r"\[OPTIONS\]", r"COMMAND \[ARGS\]", r"\bTry '", r"for help",
]


def _commands(cmd: click.Command, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = [path]
    for name, sub in getattr(cmd, "commands", {}).items():
        out += _commands(sub, (*path, name))
    return out


def test_every_help_page_is_indonesian():
    root = typer.main.get_command(app)
    paths = _commands(root)
    assert len(paths) > 20  # every command and subcommand, not just the root
    runner = CliRunner()
    for path in paths:
        r = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "100", "NO_COLOR": "1"})
        assert r.exit_code == 0, (path, r.output)
        text = r.output
        assert "Cara pakai: monev" in text, (path, text)
        assert "Tampilkan bantuan ini lalu keluar." in text, path
        for pattern in ENGLISH:
            assert not re.search(pattern, text), (path, pattern, text)


def test_a_usage_error_hint_is_indonesian():
    r = CliRunner().invoke(app, ["kpi", "--tidak-ada"], env={"COLUMNS": "100", "NO_COLOR": "1"})
    assert r.exit_code != 0
    assert "untuk bantuan" in r.output and "for help" not in r.output, r.output


def test_type_labels():
    assert type_label("<str>") == "<teks>"
    assert type_label("<list[str]>") == "<teks, boleh diulang>"
    assert type_label("<path>") == "<jalur>"
    assert type_label("<a|b>") == "<a|b>"
    assert type_label("NAME") == "NAME"
