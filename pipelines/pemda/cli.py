"""`monev init`: a configuration folder for a new pemda."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pipelines.cli_common import fail


def init_cmd(
    folder: Annotated[Path, typer.Argument(help="Folder konfigurasi baru (dipakai dengan --config-dir).")],
    pemda: Annotated[str, typer.Option("--pemda", help='Nama kabupaten/kota, mis. "Kabupaten Sleman" atau "Kota Blitar".')],
    provinsi: Annotated[str | None, typer.Option("--provinsi", help="Provinsi, bila nama pemda ada di lebih dari satu provinsi.")] = None,
    dari_ekspor: Annotated[Path | None, typer.Option("--dari-ekspor", help="Ekspor SP4N-LAPOR! untuk draf daftar OPD (kolom Instansi Terdisposisi).")] = None,
    timpa: Annotated[bool, typer.Option("--timpa", help="Timpa berkas konfigurasi di folder yang sudah berisi.")] = False,
) -> None:
    """Tulis folder konfigurasi untuk pemda baru: wilayah dengan kode Kemendagri, draf OPD, dan pengaturan bawaan."""
    from pipelines.ingest.errors import FileRefused
    from pipelines.masterdata import ConfigError
    from pipelines.pemda.init import InitError, init_config
    from pipelines.pemda.regions import PemdaNotFound

    if dari_ekspor is not None and not dari_ekspor.is_file():
        raise fail(f"Berkas ekspor {dari_ekspor} tidak ditemukan.")
    try:
        res = init_config(folder, pemda, provinsi=provinsi, export=dari_ekspor, overwrite=timpa)
    except (PemdaNotFound, InitError, ConfigError) as exc:
        raise fail(str(exc)) from None
    except FileRefused as exc:
        raise fail(exc.message) from None
    typer.echo(res.summary())
    if res.set_aside:
        typer.echo(f"{len(res.set_aside)} nilai Instansi Terdisposisi menyebut instansi lain dan tidak dimasukkan "
                   "(tercantum di akhir departments.yaml).")
        aside = sum(n for _, n in res.set_aside)
        if res.export_rows and aside > res.export_rows / 2:
            typer.secho(f"PERINGATAN: {aside} dari {res.export_rows} laporan di ekspor didisposisikan ke instansi "
                        f"di luar {res.pemda.name}; periksa bahwa ekspor ini memang milik {res.pemda.pemda_name}.",
                        fg=typer.colors.YELLOW)
    typer.echo(
        "Langkah berikut: periksa departments.yaml terhadap SOTK, lalu\n"
        f"  monev ingest EKSPOR.xlsx --config-dir {folder}\n"
        f"  monev run --config-dir {folder}\n"
        f"  monev serve --config-dir {folder}\n"
        "(panduan lengkap: docs/pemda-baru.md)"
    )


def register(app: typer.Typer) -> None:
    app.command("init")(init_cmd)
