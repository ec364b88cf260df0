"""The end of a build: the publish gate (too many held rows in a file), the KPI facts at
the snapshot's as-of date, and the atomic publish that replaces ``curated/monev.duckdb``.
Also the one-writer lock every build holds."""

from __future__ import annotations

import fcntl
import json
import os
from contextlib import contextmanager

from pipelines import fmt
from pipelines.build.context import BuildContext, BuildError
from pipelines.build.default_views import store_default_views
from pipelines.kpi.engine import materialize_facts
from pipelines.settings import Paths
from pipelines.validate.report import report_from_connection


@contextmanager
def build_lock(paths: Paths):
    """One writer per data directory; a second build waits for nobody and stops."""
    paths.curated_dir.mkdir(parents=True, exist_ok=True)
    lock = paths.curated_dir / ".build.lock"
    fh = lock.open("a+")
    try:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise BuildError(
                f"Pembangunan gudang data lain sedang berjalan di {paths.data_dir}. Tunggu sampai selesai, lalu ulangi."
            ) from exc
        yield
    finally:
        fh.close()


def cleanup_stale_builds(paths: Paths) -> None:
    """Build files a killed build left behind."""
    for p in paths.curated_dir.glob(".build-*.duckdb*"):
        p.unlink(missing_ok=True)


def publish_gate(ctx: BuildContext) -> None:
    """Hold the publication when a file's held rows exceed quality.max_blocking_share."""
    result, settings = ctx.result, ctx.settings
    over = [f for f in result.files if f.gate != "ok"]
    if not over:
        return
    result.status = "blocked"
    lines = [
        f"{f.file_name}: {fmt.number(f.rows_quarantined - f.rows_released)} dari "
        f"{fmt.number(f.rows_read - f.rows_skipped)} baris data ({fmt.percent(f.blocking_share)}) ditahan"
        for f in over
    ]
    result.message = (
        f"Publikasi ditahan: baris yang dikarantina melebihi batas {fmt.percent(settings.max_blocking_share)} "
        + "per berkas. "
        + "; ".join(lines)
        + ". Jalankan `monev check` untuk melihat baris, kolom dan cara memperbaikinya; gudang data sebelumnya tetap dipakai."
    )
    rep_path = ctx.paths.runs_dir / result.run_id / "quality.json"
    rep_path.write_text(json.dumps(report_from_connection(ctx.con), ensure_ascii=False, default=str), encoding="utf-8")
    raise BuildError(result.message)


def kpi_facts(ctx: BuildContext) -> None:
    """KPI facts at the snapshot's as-of date: the engine reads them instead of recomputing; then the
    results of the KPI queries the dashboard's default views run (pipelines.kpi.stored)."""
    materialize_facts(ctx.con, ctx.result.as_of, ctx.result.snapshot_id)
    store_default_views(ctx.con, ctx.result.as_of, ctx.result.snapshot_id)
    ctx.con.execute("CHECKPOINT")


def _fsync(path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(ctx: BuildContext) -> None:
    """Replace curated/monev.duckdb with the new file in one rename (readers never see half a file)."""
    ctx.con.close()
    ctx.con = None
    paths = ctx.paths
    stale_wal = paths.warehouse.with_name(paths.warehouse.name + ".wal")
    stale_wal.unlink(missing_ok=True)
    _fsync(ctx.tmp)
    os.replace(ctx.tmp, paths.warehouse)
    _fsync(paths.curated_dir)
    ctx.result.status = "published"
    ctx.result.warehouse = str(paths.warehouse)
    if not ctx.from_staging:
        ctx.cache.prune([rf for rf, _, _ in ctx.staged])
