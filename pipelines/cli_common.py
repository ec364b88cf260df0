"""Options and helpers shared by every `monev` command."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pipelines.province import PROVINCE_FILE, ProvinceError, load_province
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


PemdaOpt = Annotated[
    str | None,
    typer.Option(
        "--pemda",
        help="Kode pemda (mis. 35.72) pada folder data instalasi provinsi (provinsi.yaml).",
        show_default=False,
    ),
]


def pemda_paths(data_dir: Path | None, config_dir: Path | None = None, pemda: str | None = None) -> Paths:
    """The Paths a command works on: one pemda of a province installation (``--pemda``), or the
    single-city installation as always. A clear refusal when --pemda is given on a single-city folder,
    or missing (or unknown) on a province folder."""
    paths = paths_from(data_dir, config_dir)
    try:
        province = load_province(paths)
        if province is None:
            if pemda:
                raise fail(f"--pemda {pemda} hanya berlaku untuk folder data instalasi provinsi; {paths.data_dir} "
                           f"tidak berisi {PROVINCE_FILE}. Hapus --pemda, atau arahkan --data-dir ke folder provinsi.", 2)
            return paths
        if not pemda:
            codes = ", ".join(f"{p.kode} ({p.name})" for p in province.pemda[:8])
            raise fail(f"{paths.data_dir} adalah instalasi provinsi ({province.name}, {len(province.pemda)} pemda); "
                       f"sebutkan pemdanya dengan --pemda KODE, mis. --pemda {province.pemda[0].kode}. "
                       f"Kode: {codes}{' …' if len(province.pemda) > 8 else ''}.", 2)
        return province.get(pemda).paths
    except ProvinceError as exc:
        raise fail(str(exc), 2) from None
