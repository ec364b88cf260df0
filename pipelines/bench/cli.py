"""`monev bench`: the performance benchmark of issue 10 (docs/benchmark.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pipelines.cli_common import fail


def bench_cmd(
    sizes: Annotated[str, typer.Option("--sizes", help="Jumlah pengaduan per ukuran, dipisah koma.")]
    = "10000,100000,1000000",
    out: Annotated[Path, typer.Option("--out", help="Folder kerja (ekspor, gudang data sementara).")]
    = Path("data-bench"),
    json_file: Annotated[Path | None, typer.Option("--json", help="Tulis hasil lengkap ke berkas JSON ini.")] = None,
    quick: Annotated[bool, typer.Option("--quick", help="Cepat: XLSX dan rapor hanya s.d. 10.000, 2 ulangan.")]
    = False,
    repeat: Annotated[int | None, typer.Option("--repeat", help="Ulangan untuk angka hangat (median).")] = None,
    xlsx_max: Annotated[int | None, typer.Option("--xlsx-max", help="Ukur ingest XLSX hanya sampai jumlah ini.")] = None,
    keep: Annotated[bool, typer.Option("--keep", help="Simpan berkas dan gudang data tiap ukuran.")] = False,
    provinsi: Annotated[int | None, typer.Option(
        "--provinsi", help="Setiap ukuran jadi instalasi provinsi N pemda (tanpa opsi ini: hanya ukuran "
        "di atas 1.000.000, dengan 38 pemda).")] = None,
    dashboard: Annotated[Path | None, typer.Option(
        "--dashboard", help="Ukur render tiap halaman dasbor pada gudang di folder data ini (bukan ukuran).")] = None,
    browser: Annotated[bool, typer.Option(
        "--browser", help="Dengan --dashboard: ukur di Chromium headless (perlu Playwright).")] = False,
) -> None:
    """Ukur kinerja pada 10 ribu s.d. 10 juta pengaduan: ingest, bangun, KPI, dasbor, rapor, provinsi, acuan."""
    import json

    if dashboard is not None:
        from pipelines.bench import dashboard as dash

        args = ["--data-dir", str(dashboard), "--repeat", str(repeat or 3)]
        args += ["--browser"] if browser else []
        args += ["--json", str(json_file)] if json_file is not None else []
        raise typer.Exit(dash.main(args))

    from pipelines.bench.core import run_bench
    from pipelines.bench.report import table

    try:
        ns = [int(s.replace("_", "").replace(".", "").strip()) for s in sizes.split(",") if s.strip()]
    except ValueError:
        raise fail(f"--sizes tidak valid: {sizes!r} (contoh: 10000,100000).", 2) from None
    try:
        result = run_bench(ns, out, quick=quick, repeat=repeat, xlsx_max=xlsx_max, keep=keep, provinsi=provinsi,
                           say=lambda m: typer.echo(m, err=True))
    except ValueError as exc:
        raise fail(str(exc), 2) from None
    typer.echo(table(result))
    if json_file is not None:
        json_file.parent.mkdir(parents=True, exist_ok=True)
        json_file.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
        typer.echo(f"\nHasil lengkap: {json_file}")


def register(app: typer.Typer) -> None:
    app.command("bench")(bench_cmd)
