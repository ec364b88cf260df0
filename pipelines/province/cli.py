"""`monev provinsi init` and `monev provinsi peringkat`: a province installation from the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from pipelines import fmt
from pipelines.cli_common import DataDirOpt, fail, paths_from
from pipelines.province import PROVINCE_FILE, ProvinceError, load_province, province_yaml, slug_of

app = typer.Typer(help="Instalasi provinsi: banyak pemda dalam satu folder data, peringkat antarpemda.",
                  no_args_is_help=True)


@app.command("init")
def init_cmd(
    folder: Annotated[Path, typer.Argument(help="Folder data provinsi baru.")],
    pemda: Annotated[list[str], typer.Option("--pemda", help='Nama kabupaten/kota (boleh diulang), mis. "Kota Blitar".')],
    nama: Annotated[str, typer.Option("--nama", help="Nama provinsi untuk rapor dan dasbor.")] = "",
    provinsi: Annotated[str | None, typer.Option("--provinsi", help="Provinsi asal nama pemda (bila ambigu).")] = None,
) -> None:
    """Tulis provinsi.yaml dan folder konfigurasi (`monev init`) untuk setiap pemda."""
    from pipelines.masterdata import ConfigError
    from pipelines.pemda.init import InitError, init_config  # heavy region list: only for this command
    from pipelines.pemda.regions import PemdaNotFound

    if (folder / PROVINCE_FILE).exists():
        raise fail(f"{folder / PROVINCE_FILE} sudah ada; tambahkan pemda dengan menyunting berkas itu.")
    if not pemda:
        raise fail("Sebutkan paling sedikit satu --pemda.")
    entries, first_province = [], None
    for name in pemda:
        try:
            probe = folder / ".init-probe"
            res = init_config(probe, name, provinsi=provinsi, overwrite=True)
        except (PemdaNotFound, InitError, ConfigError) as exc:
            raise fail(str(exc)) from None
        slug = slug_of(res.pemda.code)
        target = folder / "pemda" / slug / "config"
        if target.exists():
            raise fail(f"Pemda {res.pemda.name} disebut dua kali (folder {target} sudah ada).")
        target.parent.mkdir(parents=True, exist_ok=True)
        probe.rename(target)
        entries.append((res.pemda.code, f"pemda/{slug}/config"))
        first_province = first_province or res.pemda.province
        typer.echo(res.summary().replace(str(probe), str(target)))
    (folder / PROVINCE_FILE).write_text(province_yaml(nama or f"Provinsi {first_province}", entries), encoding="utf-8")
    typer.echo(f"{folder / PROVINCE_FILE} ditulis ({len(entries)} pemda). Taruh ekspor tiap pemda di "
               f"{folder}/pemda/<kode>/raw/ (atau `monev ingest --data-dir {folder} --pemda KODE BERKAS`), lalu "
               f"`monev run --data-dir {folder}`.")


@app.command("peringkat")
def peringkat_cmd(
    period: Annotated[str | None, typer.Option("--period", help="Periode: 2025, 2025-S1, 2025-Q3, 2025-07, atau "
                                               "2025-01-01..2025-06-30 (bawaan: tahun berjalan).")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Tanggal data (TTTT-BB-HH); bawaan: tanggal data "
                                              "masing-masing pemda.")] = None,
    output_format: Annotated[str, typer.Option("--format", help="json atau table.")] = "table",
    data_dir: DataDirOpt = None,
) -> None:
    """Peringkat pemda pada KPI yang sama (aturan dan sampel minimum satu untuk semua)."""
    import datetime as dt

    from pipelines.periods import PeriodError, parse_period
    from pipelines.province.ranking import ranking

    if output_format not in ("json", "table"):
        raise fail(f"Format '{output_format}' tidak dikenal; gunakan json atau table.", 2)
    paths = paths_from(data_dir)
    try:
        province = load_province(paths)
        if province is None:
            raise fail(f"{paths.data_dir} bukan instalasi provinsi (tidak ada {PROVINCE_FILE}); buat dengan "
                       "`monev provinsi init`.", 2)
        p = parse_period(period or str(dt.date.today().year))
        result = ranking(province, date_from=p.start, date_to=p.end, as_of=as_of)
    except (ProvinceError, PeriodError, ValueError) as exc:
        raise fail(str(exc), 2) from None
    if output_format == "json":
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2, default=str))
        return
    typer.echo(render_table(result))


@app.command("rapor")
def rapor_cmd(
    period: Annotated[str, typer.Option("--period", help="Periode: 2025, 2025-S1, 2025-Q3, 2025-07, atau "
                                        "2025-01-01..2025-06-30.")],
    output_format: Annotated[str, typer.Option("--format", help="pdf atau xlsx.")] = "pdf",
    out: Annotated[Path | None, typer.Option("--out", help="Berkas tujuan (bawaan: rapor_provinsi_<periode>_"
                                             "<provinsi>.<format> di folder kerja), atau folder tujuannya.")] = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Rapor provinsi: peringkat pemda (aturan yang sama), pemda dengan data tidak cukup, tren berdampingan."""
    from pipelines.periods import PeriodError, parse_period
    from pipelines.scorecard.model import ScorecardError
    from pipelines.scorecard.province import FORMATS, file_name, province_scorecard

    fmt_ = output_format.strip().lower()
    if fmt_ not in FORMATS:
        raise fail(f"Format '{output_format}' tidak dikenal; gunakan pdf atau xlsx.", 2)
    paths = paths_from(data_dir)
    try:
        province = load_province(paths)
        if province is None:
            raise fail(f"{paths.data_dir} bukan instalasi provinsi (tidak ada {PROVINCE_FILE}); rapor satu pemda "
                       "dibuat dengan `monev scorecard`.", 2)
        p = parse_period(period)
        blob = province_scorecard(province, date_from=p.start, date_to=p.end, fmt=fmt_)
    except (ProvinceError, PeriodError, ScorecardError, ValueError) as exc:
        raise fail(str(exc), 2) from None
    target = out if out is not None else Path(file_name(province.name, p, fmt_))
    if target.is_dir():
        target = target / file_name(province.name, p, fmt_)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_bytes(blob)
        tmp.replace(target)
    except OSError as exc:
        raise fail(f"Tidak dapat menulis {target}: {exc.strerror or exc}. Periksa foldernya dan hak tulisnya.") from None
    typer.echo(f"Rapor provinsi {province.name} {p.label} ({fmt_.upper()}, {fmt.number(len(blob) / 1024)} KB) "
               f"ditulis ke {target.resolve()}.")


def _pct(v) -> str:
    return "–" if v is None else fmt.percent(v)


def render_table(result: dict) -> str:
    """The ranking as a plain-text table (the rule stated from the settings in force)."""
    from pipelines.kpi.report import table

    rows = []
    for r in result["rows"]:
        rating = r.get("rating") or {}
        rows.append([
            "–" if r["rank"] is None else str(r["rank"]), r["name"], fmt.number(r["received"]),
            _pct(r["response_rate"]), _pct(r["on_time_response_rate"]), _pct(r["resolution_rate"]),
            fmt.number(r["backlog_open"]), rating.get("predikat") or "–",
            "sampel kecil" if r["insufficient_data"] else "",
        ])
    lines = [f"{result['province']}: peringkat pemda {result['period']['from']} – {result['period']['to']}", ""]
    lines += table(["#", "Pemda", "Masuk", "Tanggapan", "Tepat waktu", "Selesai", "Tunggakan", "Predikat", ""],
                   rows, align="rlrrrrrll")
    lines += ["", result["rule"]]
    if result.get("missing"):
        lines.append("Belum punya gudang data terbit: " + ", ".join(m["name"] for m in result["missing"]) + ".")
    return "\n".join(lines)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="provinsi")
