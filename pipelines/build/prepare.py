"""Open the new warehouse file, and put the staged files in snapshot order with their
rows labelled by file (hash, name, order, snapshot date, profile, source system)."""

from __future__ import annotations

import datetime as dt

import duckdb
import polars as pl

from pipelines.build.cache import StagedEntry
from pipelines.build.context import BuildContext
from pipelines.build.discover import RawFile
from pipelines.warehouse import create_schema, load_master_tables


def open_warehouse(ctx: BuildContext) -> None:
    """A new DuckDB file next to the published one, with the schema and the master data."""
    ctx.say("Membangun gudang data ...")
    ctx.tmp = ctx.paths.curated_dir / f".build-{ctx.result.run_id}.duckdb"
    con = ctx.con = duckdb.connect(str(ctx.tmp))
    con.execute("SET preserve_insertion_order = false")
    # A bounded buffer pool (spilling to <warehouse>.tmp beyond it), so DuckDB's share
    # of the build's memory does not grow with the data (config/ingest.yaml build.memory_limit).
    con.execute(f"SET memory_limit = '{ctx.settings.memory_limit_bytes() // 2**20}MiB'")
    create_schema(con)
    load_master_tables(con, ctx.md)


def _end_of_day(d: dt.date) -> dt.datetime:
    return dt.datetime(d.year, d.month, d.day, 23, 59, 59, 999999)


def snapshot_date(entry: StagedEntry, rf: RawFile, now: dt.datetime) -> dt.date:
    """The export date: from the name or the latest timestamp inside, else the file's modification date."""
    if entry.snapshot_date:
        return entry.snapshot_date
    return dt.datetime.fromtimestamp(rf.path.stat().st_mtime).date() if rf.path.exists() else now.date()


def order_snapshots(ctx: BuildContext) -> None:
    """File order: snapshot date, then file name (a later snapshot wins); label every row with its file."""
    now = ctx.now
    order = sorted(ctx.staged, key=lambda t3: (snapshot_date(t3[1], t3[0], now), t3[0].name, t3[0].rel_path))
    ctx.file_order = {rf.file_hash: i for i, (rf, _, _) in enumerate(order)}
    colnames: list[dict[str, str]] = []
    for rf, entry, out in ctx.staged:
        m = entry.meta
        sdate = snapshot_date(entry, rf, now)
        out.snapshot_date = sdate.isoformat()
        end = _end_of_day(sdate) if m.get("snapshot_date_source") in ("name", "title_block") else now
        df = entry.rows().with_columns(
            pl.lit(rf.file_hash).alias("file_hash"),
            pl.lit(rf.name).alias("file_name"),
            pl.lit(ctx.file_order[rf.file_hash], dtype=pl.Int32).alias("file_order"),
            pl.lit(sdate, dtype=pl.Date).alias("snapshot_date"),
            pl.lit(end, dtype=pl.Datetime("us")).alias("snapshot_end"),
            pl.lit(m["profile"]).alias("profile"),
            pl.lit(m["source_system"]).alias("source_system"),
            pl.lit(bool(m["has_verification_step"])).alias("has_verification_step"),
        )
        ctx.frames.setdefault(m["profile"], []).append(df)
        for header, fld in m["columns"]:
            if fld:
                colnames.append({"file_hash": rf.file_hash, "field": fld, "column_name": header})
        for n in m["names"]:
            if n["value"] is None and n["suggestions"]:
                ctx.suggestions.setdefault((n["kind"], n["raw"]), tuple(n["suggestions"]))
    ctx.column_names = (
        pl.DataFrame(colnames, schema={"file_hash": pl.String, "field": pl.String, "column_name": pl.String})
        .unique(["file_hash", "field"], keep="first")
    )
