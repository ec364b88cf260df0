"""Indonesian help for the ``monev`` command line.

Typer (0.29, with its own copy of Click) writes its help frame in English: "Usage:", the panel titles
"Options"/"Commands"/"Arguments", "Show this message and exit.", "[default: …]", "[env var: …]",
"[required]", type labels such as ``<bool>`` and ``<str>``, "[OPTIONS]", "COMMAND [ARGS]...", and
"Try 'monev --help' for help." on errors. Those strings are module constants (evaluated once at
import with gettext, which has no Indonesian catalogue) or literals in a few methods; ``install()``
replaces the constants and wraps the methods, once, before the app runs. Our own help texts are
already Indonesian.
"""

from __future__ import annotations

from typing import Any

HELP_TEXT = "Tampilkan bantuan ini lalu keluar."
USAGE = "Cara pakai: "
CONSTANTS = {
    "DEFAULT_STRING": "[bawaan: {}]",
    "ENVVAR_STRING": "[variabel lingkungan: {}]",
    "REQUIRED_LONG_STRING": "[wajib]",
    "DEPRECATED_STRING": "(usang) ",
    "ARGUMENTS_PANEL_TITLE": "Argumen",
    "OPTIONS_PANEL_TITLE": "Opsi",
    "COMMANDS_PANEL_TITLE": "Perintah",
    "ERRORS_PANEL_TITLE": "Galat",
    "ABORTED_TEXT": "Dibatalkan.",
    "RICH_HELP": "Coba [blue]'{command_path} {help_option}'[/] untuk bantuan.",
}
METAVARS = {"[OPTIONS]": "[OPSI]", "COMMAND [ARGS]...": "PERINTAH [ARGUMEN]..."}
# Typer's type labels (<str>, <list[str]>, ...) in words a user of the CLI reads
TYPE_WORDS = {"str": "teks", "int": "bilangan", "float": "angka", "path": "jalur", "file": "berkas",
              "directory": "folder", "datetime": "tanggal", "bool": "ya/tidak", "uuid": "uuid"}
_installed = False


def type_label(label: str | None) -> str | None:
    """'<list[str]>' -> '<teks, boleh diulang>'; '<path>' -> '<jalur>'; other labels as they are."""
    if not label or not (label.startswith("<") and label.endswith(">")):
        return label
    inner = label[1:-1]
    repeat = inner.startswith("list[") and inner.endswith("]")
    if repeat:
        inner = inner[5:-1]
    words = "|".join(TYPE_WORDS.get(part, part) for part in inner.split("|"))
    return f"<{words}{', boleh diulang' if repeat else ''}>"


def _metavars(text: str) -> str:
    for en, idn in METAVARS.items():
        text = text.replace(en, idn)
    return text


def install() -> None:
    """Put the Indonesian strings in place (idempotent)."""
    global _installed
    if _installed:
        return
    from typer import core, rich_utils
    from typer._click import core as click_core
    from typer._click import formatting

    for name, text in CONSTANTS.items():
        setattr(rich_utils, name, text)

    write_usage = formatting.HelpFormatter.write_usage

    def _write_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        write_usage(self, prog, _metavars(args), USAGE if prefix is None else prefix)

    formatting.HelpFormatter.write_usage = _write_usage

    get_help_option = click_core.Command.get_help_option

    def _get_help_option(self: Any, ctx: Any) -> Any:
        opt = get_help_option(self, ctx)
        if opt is not None:
            opt.help = HELP_TEXT
        return opt

    click_core.Command.get_help_option = _get_help_option

    display_type = core._TyperParameter.display_type

    def _display_type(self: Any, ctx: Any) -> str:
        if getattr(self, "is_bool_flag", False):
            return ""  # a switch takes no value
        return type_label(display_type(self, ctx)) or ""

    core._TyperParameter.display_type = _display_type
    _installed = True
