"""`monev scorecard`: PDF and Excel scorecards (rapor) per OPD and for the city, in batch."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Annotated

import typer

from pipelines.cli_common import ConfigDirOpt, DataDirOpt, PemdaOpt, fail, pemda_paths


def default_jobs() -> int:
    """Worker processes for a batch: one per core, at most 4 (measured in docs/rapor.md: on an idle
    2-core machine two workers take 9 s for the demo's 52 scorecards against 15 s for one)."""
    return min(os.cpu_count() or 1, 4)


def _units(con, names: list[str]) -> list[str]:
    """The canonical names of the --department options (aliases allowed), each once."""
    from pipelines.kpi import normalize_filters

    units: list[str] = []
    for name in names:
        try:
            units += [u for u in normalize_filters(con, {"department": name})["department"] if u not in units]
        except ValueError as exc:
            raise fail(f"--department: {exc}") from None
    return units


def _write_with_progress(con, p, units: list[str], with_city: bool, formats, paths, jobs: int | None,
                         comparison: str, out: Path) -> list:
    """Make and write the batch, with a progress bar per unit; returns the index rows."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from pipelines.scorecard import ScorecardError, generate, write_batch

    total = (1 if with_city else 0) + len(units)
    with Progress(
        TextColumn("[bold]Rapor[/bold] {task.description}"), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), transient=False,
    ) as progress:
        task = progress.add_task(p.label, total=total)
        current: list[str] = []

        def on_unit(name: str) -> None:
            if current:
                progress.advance(task)
            current[:] = [name]
            progress.update(task, description=f"{p.label}: {name}")

        try:
            rows = write_batch(out, generate(
                con, p, departments=units, city=with_city, formats=formats, config_dir=paths.config_dir,
                on_unit=on_unit, jobs=jobs or default_jobs(), warehouse=paths.warehouse,
                comparison=comparison,
            ))
        except ScorecardError as exc:
            raise fail(str(exc)) from None
        progress.update(task, completed=total, description=p.label)
    return rows


def scorecard(
    period: Annotated[str, typer.Option(
        "--period", help="Periode: 2025 (tahun), 2025-S1, 2025-Q3 (triwulan), 2025-07 (bulan) atau "
                         "2025-07-01..2025-09-30.")],
    out: Annotated[Path, typer.Option("--out", help="Direktori tujuan berkas rapor dan indeksnya.")],
    all_units: Annotated[bool, typer.Option("--all", help="Rapor kota dan setiap OPD di data master.")] = False,
    department: Annotated[list[str] | None, typer.Option(
        "--department", help="Rapor satu OPD (nama resmi atau singkatan); boleh diulang.")] = None,
    city: Annotated[bool, typer.Option("--kota", help="Rapor tingkat kota (sudah termasuk dalam --all).")] = False,
    format: Annotated[str, typer.Option(  # noqa: A002 - the option is called --format everywhere
        "--format", help="pdf, xlsx atau pdf,xlsx.")] = "pdf,xlsx",
    comparison: Annotated[str, typer.Option(
        "--banding", help="Kolom pembanding: tahun_lalu (periode yang sama tahun lalu, bawaan, seperti dasbor "
        "dan monev kpi) atau sebelumnya (periode sebelumnya).")] = "tahun_lalu",
    jobs: Annotated[int | None, typer.Option(
        "--jobs", min=1, help="Jumlah proses paralel (default: jumlah inti CPU, paling banyak 4).")] = None,
    data_dir: DataDirOpt = None,
    config_dir: ConfigDirOpt = None,
    pemda: PemdaOpt = None,
) -> None:
    """Buat rapor kinerja pengelolaan pengaduan (PDF/Excel) per OPD dan untuk kota, dengan indeks CSV.
    Pada folder instalasi provinsi: rapor satu pemda (--pemda KODE), sama dengan rapor folder pemda itu sendiri;
    rapor provinsi dibuat dengan `monev provinsi rapor`."""
    from pipelines import fmt
    from pipelines.periods import PeriodError, parse_period
    from pipelines.scorecard import (
        INDEX_NAME,
        ScorecardError,
        all_departments,
        parse_formats,
    )
    from pipelines.warehouse import WarehouseMissing, open_readonly

    try:
        formats = parse_formats(format)
        p = parse_period(period)
    except (ScorecardError, PeriodError) as exc:
        raise fail(str(exc)) from None
    if comparison not in ("sebelumnya", "tahun_lalu"):
        raise fail(f"--banding '{comparison}' tidak dikenal; pakai 'sebelumnya' atau 'tahun_lalu'.")
    if not (all_units or department or city):
        raise fail("Pilih rapor yang dibuat: --all (kota dan semua OPD), --department NAMA, atau --kota.")
    paths = pemda_paths(data_dir, config_dir, pemda)  # one pemda of a province folder, or the city
    try:
        con = open_readonly(paths)
    except WarehouseMissing as exc:
        raise fail(str(exc)) from None
    started = time.perf_counter()
    try:
        units = all_departments(con) if all_units else _units(con, department or [])
        with_city = all_units or city
        total = (1 if with_city else 0) + len(units)
        rows = _write_with_progress(con, p, units, with_city, formats, paths, jobs, comparison, out)
    finally:
        con.close()
    secs = time.perf_counter() - started
    typer.echo(
        f"{fmt.number(len(rows))} berkas rapor {p.label} ({', '.join(formats)}) untuk {fmt.number(total)} unit "
        f"ditulis ke {Path(out).resolve()} dalam {fmt.number(secs, 1)} detik. Indeks: {INDEX_NAME}."
    )


def register(app: typer.Typer) -> None:
    app.command("scorecard")(scorecard)
