"""`monev kpi`: the KPI contract as JSON, or a readable table."""

from __future__ import annotations

from typing import Annotated

import typer

from pipelines.cli_common import DataDirOpt, PemdaOpt, fail, pemda_paths

_Multi = list[str] | None


def kpi(
    date_from: Annotated[str | None, typer.Option("--from", help="Awal periode (YYYY-MM-DD).")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Akhir periode (YYYY-MM-DD).")] = None,
    period: Annotated[
        str | None,
        typer.Option("--period", help="Periode: 2025, 2025-S1, 2025-Q3, 2025-07, atau 2025-07-01..2025-09-30."),
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Tanggal data (YYYY-MM-DD); bawaan: tanggal data gudang.")
    ] = None,
    department: Annotated[_Multi, typer.Option("--department", help="OPD (boleh diulang).")] = None,
    category: Annotated[_Multi, typer.Option("--category", help="Kategori (boleh diulang).")] = None,
    channel: Annotated[_Multi, typer.Option("--channel", help="Kanal (boleh diulang).")] = None,
    kecamatan: Annotated[_Multi, typer.Option("--kecamatan", help="Kecamatan (boleh diulang).")] = None,
    kelurahan: Annotated[_Multi, typer.Option("--kelurahan", help="Kelurahan (boleh diulang).")] = None,
    classification: Annotated[
        _Multi, typer.Option("--classification", help="Klasifikasi (boleh diulang).")
    ] = None,
    compare: Annotated[
        str,
        typer.Option("--compare", help="Pembanding: tahun_lalu (periode yang sama tahun lalu, bawaan) atau "
                     "sebelumnya (periode sebelumnya); rentang dan kematangan sama dengan dasbor."),
    ] = "tahun_lalu",
    output_format: Annotated[str, typer.Option("--format", help="json atau table.")] = "json",
    data_dir: DataDirOpt = None,
    pemda: PemdaOpt = None,
) -> None:
    """Hitung KPI pengaduan untuk satu periode (JSON sesuai kontrak, atau tabel)."""
    import json

    from pipelines.kpi import compute
    from pipelines.kpi.api import KpiError
    from pipelines.kpi.filters import FilterError
    from pipelines.periods import COMPARISONS, PeriodError, parse_period
    from pipelines.warehouse import WarehouseMissing, open_readonly

    if compare not in COMPARISONS:
        raise fail(f"Pembanding '{compare}' tidak dikenal; gunakan {' atau '.join(COMPARISONS)}.", 2)
    if output_format not in ("json", "table"):
        raise fail(f"Format '{output_format}' tidak dikenal; gunakan json atau table.", 2)
    if period and (date_from or date_to):
        raise fail("Gunakan --period ATAU --from/--to, tidak keduanya.", 2)
    try:
        if period:
            p = parse_period(period)
            d_from, d_to = p.start.isoformat(), p.end.isoformat()
        elif date_from and date_to:
            d_from, d_to = date_from, date_to
        else:
            raise fail("Sebutkan periode: --from YYYY-MM-DD --to YYYY-MM-DD, atau --period (mis. 2025-Q3).", 2)
    except PeriodError as exc:
        raise fail(str(exc), 2) from exc

    filters = {
        k: v
        for k, v in (
            ("department", department), ("category", category), ("channel", channel),
            ("kecamatan", kecamatan), ("kelurahan", kelurahan), ("classification", classification),
        )
        if v
    }
    paths = pemda_paths(data_dir, None, pemda)
    try:
        con = open_readonly(paths)
    except WarehouseMissing as exc:
        raise fail(str(exc), 1) from exc
    try:
        result = compute(con, d_from, d_to, as_of=as_of, filters=filters, comparison=compare)
    except (FilterError, KpiError) as exc:
        raise fail(str(exc), 2) from exc
    finally:
        con.close()

    if output_format == "json":
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2, allow_nan=False))
    else:
        from pipelines.kpi.report import render

        typer.echo(render(result))


def register(app: typer.Typer) -> None:
    app.command("kpi")(kpi)
