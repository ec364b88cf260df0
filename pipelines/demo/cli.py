"""`monev demo`: write a seeded demo data set for Kota Blitar."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from pipelines.cli_common import ConfigDirOpt, DataDirOpt, fail, paths_from


def _date(value: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise fail(f"{option} {value!r} bukan tanggal yang sah; tulis sebagai TTTT-BB-HH, mis. 2024-01-01.") from None


def demo(
    data_dir: DataDirOpt = None,
    config_dir: ConfigDirOpt = None,
    seed: Annotated[int, typer.Option("--seed", help="Benih acak; benih sama, berkas sama.")] = 42,
    date_from: Annotated[str, typer.Option("--from", help="Tanggal laporan pertama (TTTT-BB-HH).")] = "2024-01-01",
    date_to: Annotated[str, typer.Option("--to", help="Tanggal laporan terakhir (TTTT-BB-HH).")] = "2026-10-31",
    rows: Annotated[int | None, typer.Option("--rows", help="Jumlah pengaduan (menggantikan --scale).")] = None,
    scale: Annotated[
        float | None, typer.Option("--scale", help="Faktor volume; 1,0 = kota sedang, ±2.500 pengaduan per tahun.")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Ganti data demo yang sudah ada di raw/.")] = False,
    provinsi: Annotated[int | None, typer.Option(
        "--provinsi", help="Demo provinsi: N kabupaten/kota Jawa Timur (Kota Blitar pertama), satu folder per pemda.")
    ] = None,
    ekspor: Annotated[str, typer.Option(
        "--ekspor", help="Dengan --provinsi: lengkap (seperti demo kota), bulanan (satu CSV per bulan, cepat) atau tahunan (satu CSV per tahun).")
    ] = "lengkap",
) -> None:
    """Tulis data demo (ekspor SP4N-LAPOR! dan rekap kanal lokal Kota Blitar) ke <data-dir>/raw/."""
    from pipelines import fmt
    from pipelines.demo.generate import DemoError, write_demo
    from pipelines.masterdata import ConfigError, load_master_data

    if rows is not None and scale is not None:
        raise fail("Pakai --rows atau --scale, tidak keduanya.")
    start, end = _date(date_from, "--from"), _date(date_to, "--to")
    paths = paths_from(data_dir, config_dir)
    if provinsi is not None:
        if config_dir is not None or scale is not None:
            raise fail("--provinsi memakai folder konfigurasi per pemda; --config-dir dan --scale tidak dipakai.")
        _province(paths.data_dir, provinsi, rows=rows, start=start, end=end, seed=seed, form=ekspor, force=force)
        return
    try:
        md = load_master_data(paths.config_dir)
        res = write_demo(
            paths.data_dir, seed=seed, start=start, end=end, rows=rows, scale=1.0 if scale is None else scale,
            force=force, md=md,
        )
    except (DemoError, ConfigError) as exc:
        raise fail(str(exc)) from None
    # Demo evidence (bukti dukung) for the rating, per evaluation year; `monev run` copies it into the warehouse.
    from pipelines.rating.demo import seed_demo_evidence

    evidence = seed_demo_evidence(paths, year_from=start.year, year_to=end.year, seed=seed)
    from pipelines.officers.demo import seed_demo_officers  # made-up officers' register (docs/digest.md)

    seed_demo_officers(paths, md.department_names, end, seed=seed)
    m = res.manifest
    typer.echo(
        f"Data demo ditulis ke {res.raw_dir} (seed {seed}, {fmt.date_long(start)} – {fmt.date_long(end)}):"
    )
    width = max(len(f["path"]) for f in m["files"])
    for f in m["files"]:
        typer.echo(f"  {f['path']:<{width}}  {fmt.number(f['data_rows']):>7} baris data")
    e = m["expected"]
    n_lapor = sum(f["kind"] == "lapor" for f in m["files"])
    typer.echo(
        f"Total: {n_lapor} ekspor SP4N-LAPOR!, {len(m['files']) - n_lapor} berkas rekap, "
        f"{fmt.number(e['data_rows'])} baris data; {fmt.number(e['complaints'])} pengaduan "
        f"({fmt.number(e['duplicate_pairs'])} pasangan kemungkinan duplikat lintas kanal)."
    )
    unknown = ", ".join(u["name"] for u in m["unmatched_departments"]) or "–"
    typer.echo(
        f"Baris rusak yang disengaja: {len(m['defects'])} (diharapkan masuk karantina); "
        f"nama OPD yang tidak dikenal: {unknown}."
    )
    if m["defects_skipped"]:
        typer.echo(
            f"Rentang data terlalu kecil untuk sebagian baris rusak ({', '.join(m['defects_skipped'])}); "
            "perbesar rentang atau volume bila semua jenis diperlukan."
        )
    by_status = {st: sum(r.status == st for r in evidence) for st in ("diverifikasi", "diajukan", "ditolak")}
    typer.echo(
        f"Bukti dukung demo: {fmt.number(len(evidence))} dokumen ({start.year}–{end.year}): "
        + ", ".join(f"{fmt.number(n)} {st}" for st, n in by_status.items())
        + "."
    )
    typer.echo(f"Manifest: {res.manifest_path}")
    typer.echo(f"Langkah berikutnya: monev run --data-dir {paths.data_dir}")


def _province(data_dir, n: int, **kw) -> None:
    from pipelines import fmt
    from pipelines.demo.generate import DemoError
    from pipelines.demo.province import write_province_demo
    from pipelines.masterdata import ConfigError
    from pipelines.pemda.regions import PemdaNotFound

    try:
        res = write_province_demo(data_dir, n, say=lambda m: typer.echo(m, err=True), **kw)
    except (DemoError, ConfigError, PemdaNotFound) as exc:
        raise fail(str(exc)) from None
    typer.echo(f"Demo provinsi ditulis ke {res.data_dir}: {len(res.pemda)} pemda, {fmt.number(res.rows)} pengaduan.")
    width = max(len(p.name) for p in res.pemda)
    for p in res.pemda:
        typer.echo(f"  {p.kode}  {p.name:<{width}}  {fmt.number(p.rows):>10} pengaduan  {fmt.number(p.files):>4} berkas"
                   f"  pemda/{p.slug}/")
    typer.echo(f"Daftar pemda: {res.data_dir / 'provinsi.yaml'}")
    typer.echo(f"Langkah berikutnya: monev run --data-dir {res.data_dir}")


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
