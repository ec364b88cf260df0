"""Options and helpers shared by every `monev` command."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pipelines.settings import Paths

DataDirOpt = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        envvar="MONEV_DATA_DIR",
        help="Direktori data (bawaan ./data, atau variabel lingkungan MONEV_DATA_DIR).",
        show_default=False,
    ),
]
ConfigDirOpt = Annotated[
    Path | None,
    typer.Option(
        "--config-dir",
        envvar="MONEV_CONFIG_DIR",
        help="Direktori konfigurasi (bawaan config/ proyek, atau variabel lingkungan MONEV_CONFIG_DIR).",
        show_default=False,
    ),
]


def paths_from(data_dir: Path | None, config_dir: Path | None = None) -> Paths:
    return Paths.from_args(data_dir, config_dir)


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print a user-facing error (Bahasa Indonesia) to stderr and return an Exit to raise."""
    typer.secho(message, err=True, fg=typer.colors.RED)
    return typer.Exit(code)
