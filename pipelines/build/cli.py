"""`monev run`, `monev build`, `monev ingest` and `monev check`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pipelines import fmt
from pipelines.cli_common import ConfigDirOpt, DataDirOpt, PemdaOpt, fail, paths_from, pemda_paths
from pipelines.province import ProvinceError, load_province


def _print_reconciliation(result) -> None:
    from pipelines import fmt
    from pipelines.build.reconcile import identity_label
    from pipelines.safe_text import shown_name

    rows = [f for f in result.files]
    if not rows:
        return
    pending = any(f.rows_pending for f in rows)
    head = ("Berkas", "Profil", "Dibaca", "Dimuat", "Karantina", "Dilewati", "Tertunda" if pending else "",
            "Peringatan", "Keterangan")
    table = []
    for f in rows:
        if f.status == "refused":
            note = "DITOLAK"
        elif f.status == "duplicate":
            note = f"identik dengan {shown_name(f.duplicate_of)}"
        else:
            note = "dari cache" if f.cached else "dibaca"
            if f.rows_released:
                note += f", {fmt.number(f.rows_released)} dilepas"
            if f.gate != "ok":
                note += ", MELEBIHI BATAS"
        nums = (
            ("", "", "", "", "", "")
            if f.status != "ok"
            else (
                fmt.number(f.rows_read),
                fmt.number(f.rows_loaded),
                fmt.number(f.rows_quarantined),
                fmt.number(f.rows_skipped),
                fmt.number(f.rows_pending) if pending else "",
                fmt.number(f.warnings),
            )
        )
        table.append((shown_name(f.rel_path), f.profile or "-", *nums[:6], note))
    ok = [f for f in rows if f.status == "ok"]
    if ok:
        table.append(
            (
                "JUMLAH",
                "",
                fmt.number(sum(f.rows_read for f in ok)),
                fmt.number(sum(f.rows_loaded for f in ok)),
                fmt.number(sum(f.rows_quarantined for f in ok)),
                fmt.number(sum(f.rows_skipped for f in ok)),
                fmt.number(sum(f.rows_pending for f in ok)) if pending else "",
                fmt.number(sum(f.warnings for f in ok)),
                identity_label(ok),
            )
        )
    keep = [i for i in range(len(head)) if i != 6 or pending]
    head = tuple(head[i] for i in keep)
    table = [tuple(r[i] for i in keep) for r in table]
    widths = [max(len(str(r[i])) for r in [head, *table]) for i in range(len(head))]
    right = {2, 3, 4, 5, 6, 7} - {len(head) - 1}

    def line(r) -> str:
        return "  ".join(str(v).rjust(widths[i]) if i in right else str(v).ljust(widths[i]) for i, v in enumerate(r))

    typer.echo(line(head))
    typer.echo("  ".join("-" * w for w in widths))
    for r in table[:-1] if ok else table:
        typer.echo(line(r))
    if ok:
        typer.echo("  ".join("-" * w for w in widths))
        typer.echo(line(table[-1]))


def _report(result, paths) -> None:
    from pipelines import fmt

    _print_reconciliation(result)
    for f in result.files:
        for w in f.pemda_warnings:
            typer.secho("\n" + w, err=True, fg=typer.colors.YELLOW)
        for n in f.notes:
            typer.secho(f"\nCatatan {f.file_name}: {n}.", err=True, fg=typer.colors.YELLOW)
    for f in result.files:
        if f.status == "refused" and f.message:
            typer.secho("\n" + f.message, err=True, fg=typer.colors.RED)
    if result.published:
        dup = f", {fmt.number(result.duplicates)} kemungkinan duplikat lintas kanal" if result.duplicates else ""
        ev = f", {fmt.number(result.evidence)} bukti dukung" if result.evidence else ""
        typer.echo(
            f"\nGudang data diterbitkan: {paths.warehouse}\n"
            f"Snapshot {result.snapshot_id}, data per {fmt.date_long(result.as_of)}, "
            f"{fmt.number(result.complaints)} pengaduan{dup}{ev}. "
            f"Waktu {fmt.number(result.timings.get('total', 0), 1)} detik."
        )
        held = sum(f.rows_quarantined - f.rows_released for f in result.files if f.status == "ok")
        if held:
            typer.echo(f"{fmt.number(held)} baris ditahan di karantina: lihat `monev check --data-dir {paths.data_dir}`.")
    else:
        raise fail("\n" + (result.message or "Pembangunan gagal."), code=2 if result.status == "blocked" else 1)


def run_cmd(
    data_dir: DataDirOpt = None,
    config_dir: ConfigDirOpt = None,
    quiet: Annotated[bool, typer.Option("--diam", "-q", help="Jangan tampilkan kemajuan.")] = False,
    explain: Annotated[bool, typer.Option(
        "--explain", help="Tampilkan langkah-langkah build (urutan dan berkas kodenya) tanpa menjalankannya.")] = False,
    pemda: Annotated[list[str] | None, typer.Option(
        "--pemda", help="Instalasi provinsi: bangun hanya pemda ini (kode, boleh diulang).")] = None,
    paksa: Annotated[bool, typer.Option(
        "--paksa", help="Instalasi provinsi: bangun ulang pemda walau berkasnya tidak berubah.")] = False,
) -> None:
    """Baca semua berkas di raw/, bangun gudang data, dan terbitkan bila lolos pemeriksaan."""
    from pipelines.build import core

    if explain:
        typer.echo("Langkah build (`monev run`), urutan yang dilalui setiap pengaduan:\n")
        typer.echo(core.explain())
        return
    run_pipeline = core.run_pipeline
    paths = paths_from(data_dir, config_dir)
    say = None if quiet else (lambda m: typer.echo(m, err=True))
    try:
        province = load_province(paths)
    except ProvinceError as exc:
        raise fail(str(exc), 2) from None
    if province is not None:
        _run_province(province, pemda, paksa, say)
        return
    if pemda:
        pemda_paths(data_dir, config_dir, pemda[0])  # refuses --pemda on a single-city folder
    result = run_pipeline(paths, progress=say)
    _report(result, paths)


def _run_province(province, pemda: list[str] | None, force: bool, say) -> None:
    from pipelines.province import normalize_kode
    from pipelines.province.build import run_province

    try:
        only = tuple(province.get(normalize_kode(k)).kode for k in pemda) if pemda else None
    except ProvinceError as exc:
        raise fail(str(exc), 2) from None
    summary = run_province(province, only=only, force=force, progress=say)
    words = {"published": "terbit", "unchanged": "tidak berubah", "refused": "ditolak", "blocked": "tertahan",
             "error": "gagal"}
    for o in summary.outcomes:
        line = f"{o.name} ({o.kode}): {words.get(o.status, o.status)}"
        if o.status == "published":
            line += f", {fmt.number(o.complaints)} pengaduan, {fmt.number(o.seconds, 1)} detik"
        typer.echo(line)
        if o.message and o.status not in ("published", "unchanged"):
            typer.echo("  " + o.message.strip().replace("\n", "\n  "))
    typer.echo(f"{province.name}: {fmt.number(summary.views)} tampilan disiapkan di {summary.warehouse}.")
    if summary.failed:
        raise fail(
            f"{len(summary.failed)} pemda gagal dibangun; gudang data terbit mereka sebelumnya tetap dipakai. "
            "Perbaiki berkasnya lalu jalankan `monev run` lagi.", 1)


def build_cmd(data_dir: DataDirOpt = None, config_dir: ConfigDirOpt = None, pemda: PemdaOpt = None) -> None:
    """Bangun ulang gudang data dari berkas yang sudah dibaca (tanpa membaca raw/ lagi)."""
    from pipelines.build.core import run_pipeline

    paths = pemda_paths(data_dir, config_dir, pemda)
    result = run_pipeline(paths, from_staging=True, progress=lambda m: typer.echo(m, err=True))
    _report(result, paths)
    if pemda and result.published:  # the province pages follow the pemda's new snapshot
        from pipelines.province.build import build_province

        province = load_province(paths_from(data_dir, config_dir))
        if province is not None:
            build_province(province)


def ingest_cmd(
    file: Annotated[Path, typer.Argument(help="Berkas ekspor (CSV, XLSX, JSON) yang akan disalin ke raw/.")],
    data_dir: DataDirOpt = None,
    config_dir: ConfigDirOpt = None,
    kanal: Annotated[str | None, typer.Option("--kanal", help="Kanal rekap (mis. WhatsApp) bila tidak tersirat.")] = None,
    profil: Annotated[str | None, typer.Option("--profil", help="Paksa profil pemetaan tertentu.")] = None,
    run: Annotated[bool, typer.Option("--run", help="Langsung jalankan monev run setelah disalin.")] = False,
    pemda: PemdaOpt = None,
) -> None:
    """Periksa satu berkas (pratinjau), lalu salin ke raw/ bila dapat dibaca."""
    import shutil

    from pipelines.build.profile_choice import record_choice
    from pipelines.ingest.matching import channel_slug
    from pipelines.ingest.preview import preview_file, preview_lines
    from pipelines.masterdata import ConfigError, load_master_data

    paths = pemda_paths(data_dir, config_dir, pemda)
    if not file.is_file():
        raise fail(f"Berkas {file} tidak ditemukan.")
    try:
        md = load_master_data(paths.config_dir)
        pv = preview_file(file, md, profile=profil, channel=kanal)
    except ConfigError as exc:
        raise fail(str(exc)) from None
    if not pv.ok:
        raise fail(pv.refused or "Berkas ditolak.")
    for line in preview_lines(pv, md):
        typer.echo(line)
    paths.raw_dir.mkdir(parents=True, exist_ok=True)
    name = file.name
    if kanal:
        stem, suf = file.stem, file.suffix
        name = f"{stem}__kanal-{channel_slug(pv.channel or kanal)}{suf}"
    target = paths.raw_dir / name
    if target.exists():
        raise fail(f"Sudah ada berkas bernama {name} di {paths.raw_dir}; ganti namanya dulu.")
    shutil.copy2(file, target)
    typer.echo(f"Disalin ke {target}.")
    if profil:
        record_choice(paths, target, pv.profile, by="monev ingest")
        typer.echo(f"Profil '{pv.profile}' dicatat untuk berkas ini: `monev run` membacanya dengan profil itu.")
    if run:
        if pemda:  # the province's own run: this pemda, then provinsi.duckdb
            run_cmd(data_dir=data_dir, config_dir=config_dir, pemda=[pemda])
        else:
            run_cmd(data_dir=paths.data_dir, config_dir=paths.config_dir)


def check_cmd(
    data_dir: DataDirOpt = None,
    config_dir: ConfigDirOpt = None,
    format: Annotated[str, typer.Option("--format", help="json atau table.")] = "table",
    pemda: PemdaOpt = None,
) -> None:
    """Laporan mutu data dari gudang yang terbit: karantina, peringatan, nama tak dikenal, kesegaran sumber."""
    import json

    from pipelines.validate.report import quality_report, render_table
    from pipelines.warehouse import WarehouseMissing

    if format not in ("json", "table"):
        raise fail("--format harus json atau table.")
    paths = pemda_paths(data_dir, config_dir, pemda)
    try:
        rep = quality_report(paths)
    except WarehouseMissing as exc:
        raise fail(str(exc)) from exc
    if format == "json":
        typer.echo(json.dumps(rep, ensure_ascii=False, indent=1, default=str))
    else:
        typer.echo(render_table(rep))


def register(app: typer.Typer) -> None:
    app.command("run")(run_cmd)
    app.command("build")(build_cmd)
    app.command("ingest")(ingest_cmd)
    app.command("check")(check_cmd)
