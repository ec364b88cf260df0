"""The data-quality tables of the snapshot: quarantine (with release), warnings, per-file
reconciliation and the publish gate's share, rule counts, unmatched names, source freshness.
``monev check`` and the dashboard's Kualitas Data page read them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb
import polars as pl

from pipelines.build.context import BuildContext, BuildError, Staged
from pipelines.build.quarantine import ROW_KEY
from pipelines.build.sqlfiles import run_sql
from pipelines.ingest.settings import IngestSettings
from pipelines.validate.rules import BLOCKING, WARNING


def source_label(src: str, labels: dict[str, str] | None = None) -> str:
    """'SP4N-LAPOR!', 'Open311', 'Rekap WhatsApp'; another source: its profile's label (``labels``)."""
    if src == "lapor":
        return "SP4N-LAPOR!"
    if src == "open311":
        return "Open311"
    if src.startswith("rekap:"):
        return "Rekap " + src.split(":", 1)[1]
    return (labels or {}).get(src, src)


def _warnings(con: duckdb.DuckDBPyConnection, ctx: BuildContext) -> None:
    """Warnings on loaded rows only (a held row is described by its blocking finding)."""
    issues = ctx.staging_issues
    warn = issues.filter(pl.col("severity") == WARNING)
    held = issues.filter(pl.col("severity") == BLOCKING).select(*ROW_KEY).unique()
    warn = warn.join(held, on=ROW_KEY, how="anti", nulls_equal=True)
    allw = pl.concat(
        [
            warn.with_columns(pl.lit("staging").alias("layer")),
            ctx.file_warnings.with_columns(pl.lit("file").alias("layer")),
            ctx.curated_issues.filter(pl.col("severity") == WARNING).with_columns(pl.lit("curated").alias("layer")),
        ],
        how="diagonal_relaxed",
    ).drop("severity")
    con.register("w_src", allw)
    con.execute("INSERT INTO warnings BY NAME SELECT * FROM w_src")
    con.unregister("w_src")


def _reconcile(con: duckdb.DuckDBPyConnection, staged: list[Staged], settings: IngestSettings) -> None:
    """Per file: rows_read = loaded + quarantined + skipped, and the share the publish gate reads."""
    counts = {r[0]: r[1:] for r in con.execute("SELECT * FROM quality_counts").fetchall()}
    for rf, _entry, out in staged:
        loaded, quarantined, released, warned, nwarn = counts.get(rf.file_hash, (0, 0, 0, 0, 0))
        out.rows_loaded, out.rows_quarantined, out.rows_released = loaded, quarantined, released
        out.rows_warned, out.warnings = warned, nwarn
        data_rows = out.rows_read - out.rows_skipped
        if out.rows_read != loaded + quarantined + out.rows_skipped:
            raise BuildError(
                f"Rekonsiliasi {out.file_name} tidak cocok: dibaca {out.rows_read}, dimuat {loaded}, "
                f"dikarantina {quarantined}, dilewati {out.rows_skipped}. Ini kesalahan program; laporkan."
            )
        out.blocking_share = (quarantined - released) / data_rows if data_rows else 0.0
        out.gate = "over_limit" if out.blocking_share > settings.max_blocking_share else "ok"
    con.executemany(
        "INSERT INTO quality_files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (o.file_hash, o.file_name, o.profile, o.source, o.snapshot_date, o.rows_read, o.rows_loaded,
             o.rows_quarantined, o.rows_released, o.rows_skipped, o.rows_warned, o.warnings, o.blocking_share, o.gate)
            for _, _, o in staged
        ],
    )


def _unmatched_names(con: duckdb.DuckDBPyConnection, staged: list[Staged]) -> None:
    """Names (OPD, kelurahan, ...) no master-data entry matched, across files."""
    agg: dict[tuple[str, str], dict[str, Any]] = {}
    for rf, entry, _ in staged:
        for n in entry.meta["names"]:
            if n["value"] is not None:
                continue
            a = agg.setdefault((n["kind"], n["raw"]), {"rows": 0, "files": [], "suggestions": n["suggestions"]})
            a["rows"] += n["rows"]
            if rf.name not in a["files"]:
                a["files"].append(rf.name)
    if agg:
        con.executemany(
            "INSERT INTO unmatched_names VALUES (?, ?, ?, ?, ?)",
            [(k, raw, a["rows"], a["files"], list(a["suggestions"])) for (k, raw), a in sorted(agg.items())],
        )


def _freshness(con: duckdb.DuckDBPyConnection, staged: list[Staged], settings: IngestSettings,
               now: dt.datetime, labels: dict[str, str]) -> None:
    """Per source: files, complaints, the latest snapshot and whether it is stale."""
    src: dict[str, dict[str, Any]] = {}
    for _rf, _entry, out in staged:
        s = src.setdefault(out.source, {"files": 0, "latest": None})
        s["files"] += 1
        d = dt.date.fromisoformat(out.snapshot_date)
        s["latest"] = d if s["latest"] is None or d > s["latest"] else s["latest"]
    n_by_src = dict(
        con.execute(
            "SELECT CASE WHEN source_system = 'rekap' THEN 'rekap:' || channel ELSE source_system END, count(*)"
            " FROM complaints GROUP BY 1"
        ).fetchall()
    )
    ref = now.date()
    con.executemany(
        "INSERT INTO quality_sources VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (k, source_label(k, labels), v["files"], int(n_by_src.get(k, 0)), v["latest"], ref, (ref - v["latest"]).days,
             (ref - v["latest"]).days > settings.stale_after_days)
            for k, v in sorted(src.items())
        ],
    )


def write_quality(ctx: BuildContext) -> None:
    """Fill quarantine, warnings, quality_files, quality_rules, unmatched_names and quality_sources."""
    con = ctx.con
    run_sql(con, "build_quarantine.sql")
    _warnings(con, ctx)
    run_sql(con, "build_quality_counts.sql")
    _reconcile(con, ctx.staged, ctx.settings)
    _unmatched_names(con, ctx.staged)
    labels = {p.source_system: p.label for p in ctx.profiles}
    _freshness(con, ctx.staged, ctx.settings, ctx.now, labels)
