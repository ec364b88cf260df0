"""`monev export --format parquet`: the curated layer as Parquet, partitioned by year and month.

The hand-off to a distributed engine (Spark, Trino, MotherDuck, BigQuery external tables) when
several pemda's warehouses are rolled up: every pemda exports its published snapshot, the files go
to one object store, and the roll-up reads them with Hive partitioning. Layout of an export:

    <out>/complaints/year=2025/month=7/data_0.parquet     (partitioned by reported_at)
    <out>/complaint_status_history/year=.../month=.../     (partitioned by snapshot_date)
    <out>/calendar.parquet, departments.parquet, ...       (reference tables, one file each)
    <out>/manifest.json                                    (snapshot, tables, rows, columns, partitioning)
    <out>/views.sql                                        (DuckDB views with the warehouse's table names)

Only the curated layer is exported: the complaints (personal data already hashed or redacted by
ingestion) and the reference tables the KPI engine reads. The quality layer (quarantine, warnings,
run log, input files) stays in the warehouse: quarantined rows may quote raw cell values.

``attach_parquet(con, out)`` creates the same views in any DuckDB connection, so
``pipelines.kpi.compute`` runs unchanged on the export (tests/test_export_parquet.py checks the
numbers are identical).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path
from typing import Annotated

import duckdb
import typer

from pipelines import fmt
from pipelines.cli_common import DataDirOpt, fail, paths_from
from pipelines.warehouse import WarehouseMissing, open_readonly

# table -> timestamp/date column whose year and month partition it
PARTITIONED: dict[str, str] = {"complaints": "reported_at", "complaint_status_history": "snapshot_date"}
REFERENCE_TABLES: tuple[str, ...] = (
    "snapshot", "settings", "sla_limits", "calendar", "statuses", "status_labels", "categories",
    "classifications", "channels", "departments", "department_aliases", "wilayah",
)
CURATED_TABLES: tuple[str, ...] = (*PARTITIONED, *REFERENCE_TABLES)
MANIFEST = "manifest.json"
FORMAT_VERSION = 1


class ExportError(RuntimeError):
    """The export cannot be written (message in Bahasa Indonesia)."""


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def _tables_in(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
    ).fetchall()}


def _check_out(out: Path, force: bool) -> None:
    if out.exists() and any(out.iterdir()):
        if not (out / MANIFEST).exists():
            raise ExportError(f"Folder {out} berisi berkas lain (bukan ekspor Parquet monev); pilih --out lain.")
        if not force:
            raise ExportError(f"Ekspor sudah ada di {out}; tambahkan --force untuk menggantinya.")


def _write_tables(con: duckdb.DuckDBPyConnection, tmp: Path, part: str = "") -> list[dict]:
    """Every curated table of ``con`` under ``tmp`` (``part``: a Hive folder such as ``pemda=3572/``)."""
    present = _tables_in(con)
    missing = [t for t in CURATED_TABLES if t not in present]
    if missing:
        raise ExportError(f"Gudang data tidak lengkap (tabel {', '.join(missing)} tidak ada); jalankan `monev run`.")
    tables = []
    for t in CURATED_TABLES:
        cols = con.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'main' AND table_name = ? ORDER BY ordinal_position", [t]
        ).fetchall()
        rows = con.execute(f"SELECT count(*) FROM {_q(t)}").fetchone()[0]  # noqa: S608 - fixed table names
        entry = {"name": t, "rows": rows, "columns": [{"name": c, "type": ty} for c, ty in cols]}
        d = tmp / t / part if part else tmp / t
        if t in PARTITIONED:
            key = PARTITIONED[t]
            if rows:
                d.parent.mkdir(parents=True, exist_ok=True)  # DuckDB creates the last folder only
                sql = f"COPY (SELECT *, year({_q(key)}) AS year, month({_q(key)}) AS month FROM {_q(t)} ORDER BY {_q(key)}) TO {_lit(str(d))} (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (year, month))"  # noqa: S608 - fixed names
                con.execute(sql)
            else:
                (d / "year=0" / "month=0").mkdir(parents=True)
                empty = d / "year=0" / "month=0" / "data_0.parquet"
                con.execute(f"COPY (SELECT * FROM {_q(t)} LIMIT 0) TO {_lit(str(empty))} (FORMAT parquet)")  # noqa: S608 - fixed names
            entry.update(path=f"{t}/", partition_by={"year": f"year({key})", "month": f"month({key})"})
        elif part:
            d.mkdir(parents=True, exist_ok=True)
            con.execute(f"COPY (SELECT * FROM {_q(t)}) TO {_lit(str(d / 'data_0.parquet'))} (FORMAT parquet, COMPRESSION zstd)")  # noqa: S608 - fixed names
            entry["path"] = f"{t}/"
        else:
            dest = tmp / f"{t}.parquet"
            con.execute(f"COPY (SELECT * FROM {_q(t)}) TO {_lit(str(dest))} (FORMAT parquet, COMPRESSION zstd)")  # noqa: S608 - fixed names
            entry["path"] = f"{t}.parquet"
        tables.append(entry)
    return tables


def _place(tmp: Path, out: Path) -> None:
    if out.exists():
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        os.replace(out, old)
        os.replace(tmp, out)
        shutil.rmtree(old, ignore_errors=True)
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, out)


def export_province(province, out_dir: str | Path, *, force: bool = False) -> dict:
    """Every pemda's published warehouse under ``<table>/pemda=<kode tanpa titik>/`` (complaints and
    history further by year/month; each pemda its own reference tables: its calendar, OPD, SLA differ)."""
    out = Path(out_dir).expanduser().resolve()
    _check_out(out, force)
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    pemda, missing, tables = [], [], None
    try:
        for p in province.pemda:
            try:
                con = open_readonly(p.paths)
            except WarehouseMissing:
                missing.append({"kode": p.kode, "name": p.name})
                continue
            try:
                snap = con.execute("SELECT snapshot_id, CAST(as_of AS VARCHAR) FROM snapshot "
                                   "ORDER BY built_at DESC, snapshot_id DESC LIMIT 1").fetchone()
                t = _write_tables(con, tmp, f"pemda={p.slug}")
            finally:
                con.close()
            tables = tables or [{k: v for k, v in e.items() if k != "rows"} for e in t]
            pemda.append({"kode": p.kode, "slug": p.slug, "name": p.name,
                          "snapshot": {"snapshot_id": snap[0], "as_of": snap[1]} if snap else None,
                          "rows": {e["name"]: e["rows"] for e in t}})
        if not pemda:
            raise ExportError(f"Belum ada pemda {province.name} yang punya gudang data terbit; jalankan `monev run`.")
        manifest = {
            "format": "monev-parquet", "format_version": FORMAT_VERSION, "layout": "province",
            "exported_at": dt.datetime.now().replace(microsecond=0).isoformat(), "province": province.name,
            "partitioning": "hive (pemda=KODE/ then year=YYYY/month=M for complaints and history), "
                            "partition columns not stored in the files",
            "pemda": pemda, "missing": missing, "tables": tables,
        }
        (tmp / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        (tmp / "views.sql").write_text(views_sql(manifest), encoding="utf-8")
        for e in pemda:
            (tmp / f"views-pemda-{e['slug']}.sql").write_text(views_sql(manifest, pemda=e["kode"]), encoding="utf-8")
        _place(tmp, out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return manifest


def export_parquet(con: duckdb.DuckDBPyConnection, out_dir: str | Path, *, force: bool = False) -> dict:
    """Write the curated tables of ``con`` to ``out_dir`` as Parquet; returns the manifest.

    The export is written to a sibling temporary folder and renamed into place, so a reader never
    sees half an export. An existing export (a folder with our manifest) is replaced only with
    ``force``; a non-empty folder that is not an export is never touched.
    """
    out = Path(out_dir).expanduser().resolve()
    _check_out(out, force)
    if "snapshot" not in _tables_in(con):
        _write_tables(con, out)  # raises: the warehouse is incomplete
    snap = con.execute(
        "SELECT snapshot_id, CAST(as_of AS VARCHAR), input_hash FROM snapshot "
        "ORDER BY built_at DESC, snapshot_id DESC LIMIT 1"
    ).fetchone()
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        tables = _write_tables(con, tmp)
        manifest = {
            "format": "monev-parquet", "format_version": FORMAT_VERSION,
            "exported_at": dt.datetime.now().replace(microsecond=0).isoformat(),
            "snapshot": {"snapshot_id": snap[0], "as_of": snap[1], "input_hash": snap[2]} if snap else None,
            "partitioning": "hive (year=YYYY/month=M), partition columns not stored in the files",
            "tables": tables,
        }
        (tmp / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        (tmp / "views.sql").write_text(views_sql(manifest), encoding="utf-8")
        _place(tmp, out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return manifest


def _view(t: dict, base: str, layout: str = "city", slug: str | None = None) -> str:
    """One CREATE VIEW. City: as the warehouse. Province: every pemda with a ``pemda`` column
    (``slug`` None), or one pemda's partition with exactly the warehouse's columns."""
    hive = "hive_partitioning = true"
    if layout == "province":
        hive += ", hive_types = {'pemda': 'VARCHAR'}"
        src = f"read_parquet({_lit(base + t['path'] + (f'pemda={slug}/' if slug else '') + '**/*.parquet')}, {hive})"
        drop = (["pemda"] if slug else []) + (["year", "month"] if "partition_by" in t else [])
        body = f"SELECT * EXCLUDE ({', '.join(drop)}) FROM {src}" if drop else f"SELECT * FROM {src}"  # noqa: S608
    elif t["path"].endswith("/"):
        src = f"read_parquet({_lit(base + t['path'] + '**/*.parquet')}, {hive})"
        body = f"SELECT * EXCLUDE (year, month) FROM {src}"  # noqa: S608 - paths quoted as literals
    else:
        body = f"SELECT * FROM read_parquet({_lit(base + t['path'])})"  # noqa: S608 - paths quoted as literals
    return f"CREATE OR REPLACE VIEW {_q(t['name'])} AS {body};"


def _slug(manifest: dict, pemda: str | None) -> str | None:
    if pemda is None:
        return None
    if manifest.get("layout") != "province":
        raise ExportError("Ekspor ini milik satu kota (bukan provinsi); jangan sebut pemda.")
    from pipelines.province import normalize_kode

    kode = normalize_kode(pemda)
    for e in manifest["pemda"]:
        if e["kode"] == kode:
            return e["slug"]
    raise ExportError(f"Pemda {kode} tidak ada di ekspor ini; yang ada: "
                      + ", ".join(e["kode"] for e in manifest["pemda"][:12]) + ".")


def views_sql(manifest: dict, base: str = "", pemda: str | None = None) -> str:
    """DuckDB statements creating one view per exported table (paths relative to ``base``); on a province
    export every pemda together (a ``pemda`` column), or with ``pemda`` that pemda's tables alone."""
    head = ("-- Views over a monev Parquet export, with the warehouse's table names.\n"
            "-- Run from the export folder: duckdb -c \".read views.sql\" (or attach_parquet in Python).\n")
    layout, slug = manifest.get("layout", "city"), _slug(manifest, pemda)
    return head + "\n".join(_view(t, base, layout, slug) for t in manifest["tables"]) + "\n"


def attach_parquet(con: duckdb.DuckDBPyConnection, out_dir: str | Path, pemda: str | None = None) -> dict:
    """Create views named like the warehouse tables over an export in ``con``; returns the manifest.

    ``out_dir`` is a folder or an object-storage URL DuckDB can read (``s3://bucket/monev`` with httpfs, or
    any fsspec filesystem registered with ``con.register_filesystem``): the manifest is read through DuckDB
    too. On a province export, ``pemda`` (a code) gives that pemda's tables, on which
    ``pipelines.kpi.compute`` gives that pemda's warehouse's numbers; without it, every pemda together."""
    if "://" in str(out_dir):
        base = str(out_dir).rstrip("/") + "/"
        try:
            row = con.execute("SELECT content FROM read_text(?)", [base + MANIFEST]).fetchone()
        except duckdb.Error:
            row = None
        if row is None:
            raise ExportError(f"{base} bukan ekspor Parquet monev ({MANIFEST} tidak terbaca).")
        manifest = json.loads(row[0])
    else:
        out = Path(out_dir).expanduser().resolve()
        try:
            manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ExportError(f"{out} bukan ekspor Parquet monev ({MANIFEST} tidak ada).") from None
        base = str(out) + "/"
    layout, slug = manifest.get("layout", "city"), _slug(manifest, pemda)
    for t in manifest["tables"]:
        con.execute(_view(t, base, layout, slug))
    return manifest


def export_cmd(
    output_format: Annotated[str, typer.Option("--format", help="Format ekspor (saat ini: parquet).")] = "parquet",
    out: Annotated[Path | None, typer.Option("--out", help="Folder tujuan; bawaan: curated/exports/parquet-<snapshot>.")]
    = None,
    force: Annotated[bool, typer.Option("--force", help="Ganti ekspor yang sudah ada di folder itu.")] = False,
    data_dir: DataDirOpt = None,
) -> None:
    """Ekspor lapisan curated ke Parquet (dipartisi tahun/bulan) untuk Spark, Trino atau MotherDuck."""

    if output_format != "parquet":
        raise fail(f"Format '{output_format}' tidak dikenal; saat ini hanya parquet.", 2)
    paths = paths_from(data_dir)
    from pipelines.province import ProvinceError, load_province

    try:
        province = load_province(paths)
    except ProvinceError as exc:
        raise fail(str(exc), 2) from None
    if province is not None:
        out = out or paths.data_dir / "curated" / "exports" / f"parquet-provinsi-{dt.date.today():%Y%m%d}"
        try:
            manifest = export_province(province, out, force=force)
        except ExportError as exc:
            raise fail(str(exc), 1) from None
        n = sum(e["rows"]["complaints"] for e in manifest["pemda"])
        typer.echo(f"Ekspor Parquet provinsi ditulis ke {Path(out).resolve()}: {len(manifest['pemda'])} pemda, "
                   f"{fmt.number(n)} pengaduan (dipartisi pemda/tahun/bulan).")
        typer.echo("Baca semua pemda: `.read views.sql`; satu pemda (tabel seperti gudangnya): "
                   "`.read views-pemda-<kode>.sql` (lihat docs/benchmark.md).")
        return
    try:
        con = open_readonly(paths)
    except WarehouseMissing as exc:
        raise fail(str(exc), 1) from None
    try:
        if out is None:
            sid = con.execute("SELECT snapshot_id FROM snapshot ORDER BY built_at DESC LIMIT 1").fetchone()
            out = paths.exports_dir / f"parquet-{sid[0] if sid else 'kosong'}"
        manifest = export_parquet(con, out, force=force)
    except ExportError as exc:
        raise fail(str(exc), 1) from None
    finally:
        con.close()
    n = next(t["rows"] for t in manifest["tables"] if t["name"] == "complaints")
    size = sum(p.stat().st_size for p in Path(out).rglob("*") if p.is_file())
    typer.echo(f"Ekspor Parquet ditulis ke {Path(out).resolve()}: {len(manifest['tables'])} tabel, "
               f"{fmt.number(n)} pengaduan (dipartisi tahun/bulan), {fmt.number(size / 2**20, 1)} MiB.")
    typer.echo("Baca di DuckDB: cd ke folder itu, lalu `duckdb -c \".read views.sql\"` (lihat docs/benchmark.md).")


def register(app: typer.Typer) -> None:
    app.command("export")(export_cmd)
