"""Validation steps (Great Expectations suites of ``pipelines/validate/suites.py``): the staged
rows per mapping profile and per file, then the merged curated complaints."""

from __future__ import annotations

import datetime as dt

import polars as pl

from pipelines.build.context import BuildContext, BuildError
from pipelines.validate.engine import ISSUE_SCHEMA, MinimalChecks, Validator, issues_from
from pipelines.validate.rules import BLOCKING
from pipelines.validate.suites import (
    curated_checks,
    curated_frames,
    file_checks,
    file_frames,
    staging_checks,
    staging_frames,
)


def _file_warnings(ctx: BuildContext, rows: pl.DataFrame) -> pl.DataFrame:
    """File-level checks (a timed export whose times are all midnight)."""
    timed = [rf.file_hash for rf, e, _ in ctx.staged if e.meta.get("has_time")]
    summ = file_frames(rows, timed)["midnight"]
    if not summ.height:
        return pl.DataFrame(schema=ISSUE_SCHEMA)
    summ = summ.with_row_index("__row").with_columns(
        pl.col("__row").cast(pl.Int64),
        pl.lit(None, dtype=pl.String).alias("sheet"),
        pl.lit(None, dtype=pl.Int64).alias("source_row"),
        pl.lit(None, dtype=pl.String).alias("complaint_key"),
        pl.lit(None, dtype=pl.String).alias("source_id"),
    )
    ff = ctx.validator.validate("file_columns", {"midnight": summ}, file_checks())
    return issues_from(summ, ff, column_names=ctx.column_names)


def validate_staging(ctx: BuildContext) -> None:
    """Every profile's rows against its suite; findings name file, row and column."""
    ctx.say("Memvalidasi (Great Expectations) ...")
    validator = ctx.validator = Validator() if ctx.validate else MinimalChecks()
    md = ctx.md
    prof_by_name = {p.name: p for p in ctx.profiles}
    earliest = dt.datetime.combine(ctx.settings.earliest_plausible_date, dt.time())
    issue_parts: list[pl.DataFrame] = []
    all_rows: list[pl.DataFrame] = []
    offset = 0
    for pname in list(ctx.frames):
        dfs = ctx.frames.pop(pname)  # the per-file frames go once concatenated
        prof = prof_by_name.get(pname)
        if prof is None:
            raise BuildError(f"Profil {pname!r} tidak ada lagi di config/profiles; jalankan `monev run` ulang.")
        frame = pl.concat(dfs, how="vertical_relaxed")
        del dfs
        frame = frame.with_row_index("__row", offset=offset).with_columns(pl.col("__row").cast(pl.Int64))
        offset += frame.height
        all_rows.append(frame)
        findings = validator.validate(f"staging_{pname}", staging_frames(frame, md), staging_checks(prof, md, earliest))
        issue_parts.append(issues_from(frame, findings, column_names=ctx.column_names, suggestions=ctx.suggestions))
    ctx.rows = pl.concat(all_rows, how="vertical_relaxed")
    del all_rows
    ctx.file_warnings = _file_warnings(ctx, ctx.rows)
    ctx.staging_issues = (
        pl.concat(issue_parts, how="vertical_relaxed") if issue_parts else pl.DataFrame(schema=ISSUE_SCHEMA)
    )


def validate_curated(ctx: BuildContext) -> None:
    """The merged complaints against the curated suite; a blocking finding stops the build."""
    cur = ctx.con.execute(
        "SELECT complaint_key, source_id, last_snapshot_id AS file_hash, source_file AS file_name,"
        " NULL::VARCHAR AS sheet, source_row, status, title, body, location, department_raw,"
        " reported_at, verified_at, dispatched_at, first_response_at, resolved_at, archived_at, times_resolution"
        " FROM complaints"
    ).pl().with_row_index("__row").with_columns(pl.col("__row").cast(pl.Int64))
    validator = ctx.validator
    cfind = validator.validate(
        "curated_complaints", curated_frames(cur, ctx.md.status_display), curated_checks(ctx.as_of_ts)
    )
    ctx.curated_issues = issues_from(cur, cfind)
    ctx.timings["validate"] = round(validator.seconds, 3)
    cur_block = ctx.curated_issues.filter(pl.col("severity") == BLOCKING)
    if cur_block.height:
        ctx.result.status = "error"
        raise BuildError(
            "Pemeriksaan gudang data gagal, jadi gudang tidak diterbitkan: "
            + "; ".join(cur_block["message"].head(5).to_list())
        )
