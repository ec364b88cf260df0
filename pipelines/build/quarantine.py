"""Quarantine: rows failing a blocking rule do not load. The rest become ``stg_rows`` in
DuckDB (the staging model the SQL steps read); the blocking findings become ``q_issues``."""

from __future__ import annotations

import gc

import polars as pl

from pipelines.build.context import BuildContext
from pipelines.validate.rules import BLOCKING

ROW_KEY = ["file_hash", "sheet", "source_row"]


def quarantine(ctx: BuildContext) -> None:
    """Hold every row with a blocking finding; load the others into the build as ``stg_rows``."""
    con = ctx.con
    blocking = ctx.staging_issues.filter(pl.col("severity") == BLOCKING)
    held_rows = blocking.select(*ROW_KEY).unique()
    rows = ctx.rows
    # (no copy of every row when nothing is held, the usual case)
    loaded = rows.join(held_rows, on=ROW_KEY, how="anti", nulls_equal=True) if held_rows.height else rows
    stg_cols = [
        c for c in loaded.columns if not c.endswith("__raw") and c not in ("channel__col", "snapshot_end", "__row")
    ]
    con.register("stg_src", loaded.select(stg_cols))
    con.execute("CREATE TEMP TABLE stg_rows AS SELECT * FROM stg_src")
    con.unregister("stg_src")
    # The staged rows live in DuckDB from here on: release the frames (no other reference is kept).
    ctx.rows = None
    del loaded, rows
    gc.collect()
    con.register("q_src", blocking.with_columns(
        pl.col("file_hash").replace_strict(ctx.file_order, return_dtype=pl.Int32).alias("file_order")
    ))
    con.execute("CREATE TEMP TABLE q_issues AS SELECT * FROM q_src")
    con.unregister("q_src")
