"""Build and publish the warehouse: stage every raw file (cached by content
hash), validate, merge snapshots, flag likely duplicates, write lineage and
data-quality tables, then publish atomically.

The build writes into a new file in ``curated/`` and replaces
``curated/monev.duckdb`` with ``os.replace`` only after every check passed, so
a failed or killed build leaves the previous warehouse untouched and readable.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import gc
import hashlib
import json
import os
import secrets
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from pipelines import __version__, fmt
from pipelines.build.cache import StagedEntry, StagingCache
from pipelines.build.contradictions import quarantine_contradictions
from pipelines.build.discover import RawFile, discover
from pipelines.build.interrupted import log_rows as interrupted_log
from pipelines.build.interrupted import mark_running
from pipelines.build.interrupted import recover as recover_interrupted
from pipelines.build.reconcile import mark_unpublished
from pipelines.build.settings import IngestSettings, load_ingest_settings
from pipelines.ingest import load_profiles
from pipelines.ingest.enrich import declared_as_of
from pipelines.ingest.profiles import Profile, validate_channels
from pipelines.masterdata import MasterData, load_master_data
from pipelines.settings import Paths, pii_salt
from pipelines.validate.engine import ISSUE_SCHEMA, MinimalChecks, Validator, issues_from, preload
from pipelines.validate.rules import BLOCKING, WARNING
from pipelines.validate.suites import (
    curated_checks,
    curated_frames,
    file_checks,
    file_frames,
    staging_checks,
    staging_frames,
)
from pipelines.warehouse import create_schema, load_master_tables

Progress = Callable[[str], None]


class BuildError(Exception):
    """The build stopped; ``message`` (Bahasa Indonesia) says why and what to do."""


# ---------------------------------------------------------------- results
@dataclass
class FileOutcome:
    rel_path: str
    file_name: str
    file_hash: str
    size: int
    status: str  # ok | refused | duplicate
    message: str | None = None
    profile: str | None = None
    source: str | None = None
    snapshot_date: str | None = None
    duplicate_of: str | None = None
    cached: bool = False
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    rows_released: int = 0
    rows_skipped: int = 0
    rows_warned: int = 0
    rows_pending: int = 0  # read but not loaded: the run was refused or held (pipelines.build.reconcile)
    warnings: int = 0
    blocking_share: float = 0.0
    gate: str = "ok"
    skipped: dict[str, int] = field(default_factory=dict)


@dataclass
class RunResult:
    run_id: str
    started_at: dt.datetime
    finished_at: dt.datetime | None = None
    status: str = "error"  # published | refused | blocked | error
    message: str | None = None
    files: list[FileOutcome] = field(default_factory=list)
    snapshot_id: str | None = None
    as_of: dt.date | None = None
    complaints: int = 0
    duplicates: int = 0
    evidence: int = 0  # evidence records copied into the warehouse
    warehouse: str | None = None
    timings: dict[str, float] = field(default_factory=dict)
    interrupted: list[dict[str, Any]] = field(default_factory=list)  # earlier builds found killed (interrupted.py)

    @property
    def published(self) -> bool:
        return self.status == "published"

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        return json.loads(json.dumps(d, default=str))


# ---------------------------------------------------------------- helpers
def sql_file(name: str) -> str:
    return resources.files("pipelines").joinpath(f"sql/{name}").read_text(encoding="utf-8")


def run_sql(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any] | None = None) -> None:
    """Run every statement of pipelines/sql/<name> (statements end with ';' at a line end)."""
    text = "\n".join(line for line in sql_file(name).splitlines() if not line.lstrip().startswith("--"))
    for stmt in (s.strip() for s in text.split(";\n")):
        stmt = stmt.rstrip(";").strip()
        if not stmt:
            continue
        used = {k: v for k, v in (params or {}).items() if f"${k}" in stmt}
        con.execute(stmt, used) if used else con.execute(stmt)


def code_fingerprint() -> str:
    """Hash of the pipeline's own code and SQL (recorded with the snapshot)."""
    h = hashlib.sha256()
    root = Path(__file__).resolve().parents[1]
    for p in sorted([*root.rglob("*.py"), *root.rglob("*.sql")]):
        h.update(p.relative_to(root).as_posix().encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


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


def source_of(meta: dict[str, Any]) -> str:
    if meta.get("source_system") == "rekap":
        return f"rekap:{meta.get('channel') or 'kolom kanal'}"
    return str(meta.get("source_system"))


def source_label(src: str) -> str:
    if src == "lapor":
        return "SP4N-LAPOR!"
    if src == "open311":
        return "Open311"
    return "Rekap " + src.split(":", 1)[1]


def _end_of_day(d: dt.date) -> dt.datetime:
    return dt.datetime(d.year, d.month, d.day, 23, 59, 59, 999999)


# ---------------------------------------------------------------- the pipeline
def run_pipeline(
    paths: Paths,
    *,
    from_staging: bool = False,
    progress: Progress | None = None,
    now: dt.datetime | None = None,
    validate: bool = True,
) -> RunResult:
    """Stage (or reuse) every raw file, build a new warehouse, publish it if every check passed.

    ``from_staging``: rebuild from the files staged by the last ``monev run`` without reading raw/.
    ``validate=False`` only measures what validation costs (docs/pipeline.md): no rule but
    the warehouse's own constraints is checked; never use it for a real warehouse.
    Never raises for bad input: the result's status and message say what happened.
    """
    say = progress or (lambda _m: None)
    now = now or dt.datetime.now().replace(microsecond=0)
    if validate:
        preload()  # Great Expectations imports while the files are read
    run_id = f"{now:%Y%m%dT%H%M%S}-{secrets.token_hex(3)}"
    result = RunResult(run_id=run_id, started_at=now)
    t0 = time.perf_counter()
    try:
        paths.ensure()
        md = load_master_data(paths.config_dir)
        profiles = load_profiles(paths.config_dir)
        validate_channels(profiles, md.channel_names)
        settings = load_ingest_settings(paths.config_dir)
        with build_lock(paths):
            result.interrupted = recover_interrupted(paths, now)
            mark_running(paths, run_id, now)
            _cleanup_stale_builds(paths)
            _run_locked(paths, md, profiles, settings, result, from_staging, say, now, validate)
    except BuildError as exc:
        result.status = result.status if result.status in ("refused", "blocked") else "error"
        result.message = str(exc)
        mark_unpublished(result)
    except Exception as exc:  # a ConfigError or a bug: still record the run
        from pipelines.masterdata import ConfigError

        result.status = "error"
        if isinstance(exc, ConfigError):
            result.message = f"Konfigurasi tidak valid: {exc}"
        else:
            result.message = f"Pembangunan gagal karena kesalahan tak terduga: {type(exc).__name__}: {exc}"
            _write_run(paths, result)
            raise
    finally:
        result.finished_at = dt.datetime.now().replace(microsecond=0)
        result.timings["total"] = round(time.perf_counter() - t0, 3)
    _write_run(paths, result)
    return result


def _cleanup_stale_builds(paths: Paths) -> None:
    for p in paths.curated_dir.glob(".build-*.duckdb*"):
        p.unlink(missing_ok=True)


def _write_run(paths: Paths, result: RunResult) -> None:
    try:
        d = paths.runs_dir / result.run_id
        d.mkdir(parents=True, exist_ok=True)
        payload = json.dumps(result.to_json(), ensure_ascii=False, indent=1)
        (d / "run.json").write_text(payload, encoding="utf-8")
        tmp = paths.runs_dir / "latest.json.tmp"
        tmp.write_text(payload, encoding="utf-8")
        os.replace(tmp, paths.runs_dir / "latest.json")
    except OSError:
        pass


def _run_locked(
    paths: Paths,
    md: MasterData,
    profiles: list[Profile],
    settings: IngestSettings,
    result: RunResult,
    from_staging: bool,
    say: Progress,
    now: dt.datetime,
    validate: bool = True,
) -> None:
    salt = pii_salt(paths)
    cache = StagingCache(paths, md, salt)
    t = time.perf_counter()
    if from_staging:
        files = cache.read_manifest()
        if files is None:
            raise BuildError(
                "Belum ada berkas yang dibaca dengan konfigurasi ini (atau konfigurasi berubah sejak itu). "
                f"Jalankan `monev run --data-dir {paths.data_dir}` untuk membaca berkas di raw/."
            )
    else:
        files = discover(paths.raw_dir)
    if not files:
        result.status = "refused"
        raise BuildError(
            f"Tidak ada berkas ekspor di {paths.raw_dir}. Letakkan ekspor SP4N-LAPOR!, rekap kanal lokal atau Open311 "
            "di folder itu (atau `monev ingest BERKAS`), lalu jalankan monev run lagi."
        )

    # ---- stage (once per content hash)
    by_hash: dict[str, str] = {}
    unique: list[RawFile] = []
    for rf in files:
        if rf.file_hash not in by_hash:
            by_hash[rf.file_hash] = rf.rel_path
            unique.append(rf)
    if from_staging:
        entries: dict[str, tuple[StagedEntry, bool]] = {}
        for rf in unique:
            entry = cache.get(rf)
            if entry is None:
                raise BuildError(
                    f"Hasil baca berkas {rf.rel_path} tidak ada lagi di cache. Jalankan `monev run` untuk membacanya ulang."
                )
            entries[rf.rel_path] = (entry, True)
    else:
        entries = cache.stage_all(unique, profiles, now=now, progress=say)
    staged: list[tuple[RawFile, StagedEntry, FileOutcome]] = []
    for rf in files:
        out = FileOutcome(rf.rel_path, rf.name, rf.file_hash, rf.size, "ok")
        result.files.append(out)
        if by_hash[rf.file_hash] != rf.rel_path:
            out.status = "duplicate"
            out.duplicate_of = by_hash[rf.file_hash]
            out.message = f"Isi berkas identik dengan {by_hash[rf.file_hash]}; tidak dimuat dua kali."
            continue
        entry, cached = entries[rf.rel_path]
        out.cached = cached
        if entry.refused:
            out.status = "refused"
            out.message = entry.refused["message"]
            continue
        m = entry.meta
        out.profile = m["profile"]
        out.source = source_of(m)
        out.snapshot_date = m.get("snapshot_date")
        out.rows_read = m["rows_read"]
        out.rows_skipped = sum(m["skipped"].values())
        out.skipped = dict(m["skipped"])
        staged.append((rf, entry, out))
    result.timings["stage"] = round(time.perf_counter() - t, 3)
    if not from_staging:
        cache.write_manifest([(rf, e) for rf, e, _ in staged])
    refused = [f for f in result.files if f.status == "refused"]
    if refused:
        result.status = "refused"
        raise BuildError(
            f"{len(refused)} berkas ditolak, jadi gudang data tidak diperbarui (gudang sebelumnya tetap dipakai). "
            "Perbaiki atau pindahkan berkas itu dari folder raw, lalu jalankan monev run lagi."
        )

    # ---- build into a new file
    tmp = paths.curated_dir / f".build-{result.run_id}.duckdb"
    try:
        _build(tmp, paths, md, profiles, settings, staged, result, say, now, validate)
        if result.status == "blocked":
            raise BuildError(result.message or "Pemeriksaan mutu data menahan publikasi.")
        # ---- publish atomically
        t = time.perf_counter()
        stale_wal = paths.warehouse.with_name(paths.warehouse.name + ".wal")
        stale_wal.unlink(missing_ok=True)
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, paths.warehouse)
        dfd = os.open(paths.curated_dir, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
        result.timings["publish"] = round(time.perf_counter() - t, 3)
        result.status = "published"
        result.warehouse = str(paths.warehouse)
        if not from_staging:
            cache.prune([rf for rf, _, _ in staged])
    finally:
        for p in (tmp, tmp.with_name(tmp.name + ".wal")):
            p.unlink(missing_ok=True)


# ---------------------------------------------------------------- the build proper
def _build(
    tmp: Path,
    paths: Paths,
    md: MasterData,
    profiles: list[Profile],
    settings: IngestSettings,
    staged: list[tuple[RawFile, StagedEntry, FileOutcome]],
    result: RunResult,
    say: Progress,
    now: dt.datetime,
    validate: bool = True,
) -> None:
    tm = result.timings
    t = time.perf_counter()
    say("Membangun gudang data ...")
    con = duckdb.connect(str(tmp))
    try:
        con.execute("SET preserve_insertion_order = false")
        # A bounded buffer pool (spilling to <warehouse>.tmp beyond it), so DuckDB's share
        # of the build's memory does not grow with the data (config/ingest.yaml build.memory_limit).
        con.execute(f"SET memory_limit = '{settings.memory_limit_bytes() // 2**20}MiB'")
        create_schema(con)
        load_master_tables(con, md)

        # File order: snapshot date, then file name (a later snapshot wins).
        def snap(e: StagedEntry, rf: RawFile) -> dt.date:
            if e.snapshot_date:
                return e.snapshot_date
            # No date in the name and no timestamp inside: the file's modification date.
            return dt.datetime.fromtimestamp(rf.path.stat().st_mtime).date() if rf.path.exists() else now.date()

        order = sorted(staged, key=lambda t3: (snap(t3[1], t3[0]), t3[0].name, t3[0].rel_path))
        file_order = {rf.file_hash: i for i, (rf, _, _) in enumerate(order)}
        prof_by_name = {p.name: p for p in profiles}

        frames: dict[str, list[pl.DataFrame]] = {}
        colnames: list[dict[str, str]] = []
        suggestions: dict[tuple[str, str], tuple[str, ...]] = {}
        for rf, entry, out in staged:
            m = entry.meta
            sdate = snap(entry, rf)
            out.snapshot_date = sdate.isoformat()
            end = _end_of_day(sdate) if m.get("snapshot_date_source") in ("name", "title_block") else now
            df = entry.rows().with_columns(
                pl.lit(rf.file_hash).alias("file_hash"),
                pl.lit(rf.name).alias("file_name"),
                pl.lit(file_order[rf.file_hash], dtype=pl.Int32).alias("file_order"),
                pl.lit(sdate, dtype=pl.Date).alias("snapshot_date"),
                pl.lit(end, dtype=pl.Datetime("us")).alias("snapshot_end"),
                pl.lit(m["profile"]).alias("profile"),
                pl.lit(m["source_system"]).alias("source_system"),
                pl.lit(bool(m["has_verification_step"])).alias("has_verification_step"),
            )
            frames.setdefault(m["profile"], []).append(df)
            for header, fld in m["columns"]:
                if fld:
                    colnames.append({"file_hash": rf.file_hash, "field": fld, "column_name": header})
            for n in m["names"]:
                if n["value"] is None and n["suggestions"]:
                    suggestions.setdefault((n["kind"], n["raw"]), tuple(n["suggestions"]))
        colnames_df = (
            pl.DataFrame(colnames, schema={"file_hash": pl.String, "field": pl.String, "column_name": pl.String})
            .unique(["file_hash", "field"], keep="first")
        )
        tm["prepare"] = round(time.perf_counter() - t, 3)

        # ---- validation (Great Expectations), per mapping profile
        t = time.perf_counter()
        say("Memvalidasi (Great Expectations) ...")
        validator = Validator() if validate else MinimalChecks()
        issue_parts: list[pl.DataFrame] = []
        earliest = dt.datetime.combine(settings.earliest_plausible_date, dt.time())
        all_rows: list[pl.DataFrame] = []
        offset = 0
        frame: pl.DataFrame | None = None
        for pname in list(frames):
            dfs = frames.pop(pname)  # the per-file frames go once concatenated
            prof = prof_by_name.get(pname)
            if prof is None:
                raise BuildError(f"Profil {pname!r} tidak ada lagi di config/profiles; jalankan `monev run` ulang.")
            frame = pl.concat(dfs, how="vertical_relaxed")
            del dfs
            frame = frame.with_row_index("__row", offset=offset).with_columns(pl.col("__row").cast(pl.Int64))
            offset += frame.height
            all_rows.append(frame)
            findings = validator.validate(f"staging_{pname}", staging_frames(frame, md), staging_checks(prof, md, earliest))
            issue_parts.append(issues_from(frame, findings, column_names=colnames_df, suggestions=suggestions))
        rows = pl.concat(all_rows, how="vertical_relaxed")
        timed = [rf.file_hash for rf, e, _ in staged if e.meta.get("has_time")]
        fframes = file_frames(rows, timed)
        summ = fframes["midnight"]
        if summ.height:
            summ = summ.with_row_index("__row").with_columns(
                pl.col("__row").cast(pl.Int64),
                pl.lit(None, dtype=pl.String).alias("sheet"),
                pl.lit(None, dtype=pl.Int64).alias("source_row"),
                pl.lit(None, dtype=pl.String).alias("complaint_key"),
                pl.lit(None, dtype=pl.String).alias("source_id"),
            )
            ff = validator.validate("file_columns", {"midnight": summ}, file_checks())
            file_warnings = issues_from(summ, ff, column_names=colnames_df)
        else:
            file_warnings = pl.DataFrame(schema=ISSUE_SCHEMA)
        staging_issues = (
            pl.concat(issue_parts, how="vertical_relaxed") if issue_parts else pl.DataFrame(schema=ISSUE_SCHEMA)
        )
        tm["validate_staging"] = round(time.perf_counter() - t, 3)

        # ---- quarantine: rows failing a blocking rule do not load
        t = time.perf_counter()
        blocking = staging_issues.filter(pl.col("severity") == BLOCKING)
        held_rows = blocking.select("file_hash", "sheet", "source_row").unique()
        # (no copy of every row when nothing is held, the usual case)
        loaded = (
            rows.join(held_rows, on=["file_hash", "sheet", "source_row"], how="anti", nulls_equal=True)
            if held_rows.height
            else rows
        )
        stg_cols = [
            c for c in loaded.columns if not c.endswith("__raw") and c not in ("channel__col", "snapshot_end", "__row")
        ]
        con.register("stg_src", loaded.select(stg_cols))
        con.execute("CREATE TEMP TABLE stg_rows AS SELECT * FROM stg_src")
        con.unregister("stg_src")
        # The staged rows live in DuckDB from here on: release the frames (no other reference is kept).
        del loaded, rows, all_rows, frame, fframes, summ
        gc.collect()
        con.register("q_src", blocking.with_columns(
            pl.col("file_hash").replace_strict(file_order, return_dtype=pl.Int32).alias("file_order")
        ))
        con.execute("CREATE TEMP TABLE q_issues AS SELECT * FROM q_src")
        con.unregister("q_src")
        quarantine_contradictions(con, colnames_df)
        run_sql(con, "build_merge.sql")
        tm["merge"] = round(time.perf_counter() - t, 3)

        # ---- likely duplicates across channels
        t = time.perf_counter()
        from pipelines.build.duplicates import flag_duplicates

        result.duplicates = flag_duplicates(con, settings)
        tm["duplicates"] = round(time.perf_counter() - t, 3)

        # ---- as-of, calendar, curated checks
        t = time.perf_counter()
        as_of_ts = con.execute(
            "SELECT max(greatest(reported_at, coalesce(verified_at, reported_at), coalesce(dispatched_at, reported_at),"
            " coalesce(first_response_at, reported_at), coalesce(resolved_at, reported_at),"
            " coalesce(archived_at, reported_at))) FROM complaints"
        ).fetchone()[0]
        earliest_rep = con.execute("SELECT min(reported_at) FROM complaints").fetchone()[0]
        if as_of_ts is None:
            as_of_ts = now
            earliest_rep = now
        as_of_ts = max(as_of_ts, declared_as_of([e.meta for _, e, _ in staged]) or as_of_ts)
        from pipelines.calendar import build_calendar

        build_calendar(
            con,
            md,
            dt.date(earliest_rep.year - 1, 1, 1),
            dt.date(as_of_ts.year + 1, 12, 31),
            cuti_bersama_is_day_off=md.calendar.cuti_bersama_is_day_off,
        )
        tm["calendar"] = round(time.perf_counter() - t, 3)

        t = time.perf_counter()
        cur = con.execute(
            "SELECT complaint_key, source_id, last_snapshot_id AS file_hash, source_file AS file_name,"
            " NULL::VARCHAR AS sheet, source_row, status, title, body, location, department_raw,"
            " reported_at, verified_at, dispatched_at, first_response_at, resolved_at, archived_at, times_resolution"
            " FROM complaints"
        ).pl().with_row_index("__row").with_columns(pl.col("__row").cast(pl.Int64))
        cfind = validator.validate("curated_complaints", curated_frames(cur, md.status_display), curated_checks(as_of_ts))
        curated_issues = issues_from(cur, cfind)
        tm["validate_curated"] = round(time.perf_counter() - t, 3)
        tm["validate"] = round(validator.seconds, 3)
        cur_block = curated_issues.filter(pl.col("severity") == BLOCKING)
        if cur_block.height:
            result.status = "error"
            raise BuildError(
                "Pemeriksaan gudang data gagal, jadi gudang tidak diterbitkan: "
                + "; ".join(cur_block["message"].head(5).to_list())
            )

        # ---- quality tables, lineage, gate
        t = time.perf_counter()
        _write_quality(con, staged, staging_issues, file_warnings, curated_issues, settings, result, now)
        # Evidence records (rating) enter the warehouse through the build, so the
        # snapshot says which documents the rating of this snapshot read.
        from pipelines.rating.evidence import copy_evidence_to_warehouse, evidence_fingerprint, load_evidence

        result.evidence = copy_evidence_to_warehouse(con, paths)
        ev_fp = evidence_fingerprint(load_evidence(con)[0])
        _write_lineage(con, md, staged, result, as_of_ts, now, ev_fp)
        if result.interrupted:
            con.executemany("INSERT INTO run_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", interrupted_log(result.interrupted))
        result.as_of = as_of_ts.date()
        tm["lineage"] = round(time.perf_counter() - t, 3)
        validator.write_results(paths.runs_dir / result.run_id)
        over = [f for f in result.files if f.gate != "ok"]
        if over:
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
            from pipelines.validate.report import report_from_connection

            rep_path = paths.runs_dir / result.run_id / "quality.json"
            rep_path.write_text(
                json.dumps(report_from_connection(con), ensure_ascii=False, default=str), encoding="utf-8"
            )
            return
        # ---- KPI facts at the snapshot's as-of date: the engine reads them instead of recomputing
        t = time.perf_counter()
        from pipelines.kpi.engine import materialize_facts

        materialize_facts(con, result.as_of, result.snapshot_id)
        tm["kpi_facts"] = round(time.perf_counter() - t, 3)
        con.execute("CHECKPOINT")
    finally:
        con.close()


def _write_quality(
    con: duckdb.DuckDBPyConnection,
    staged,
    staging_issues: pl.DataFrame,
    file_warnings: pl.DataFrame,
    curated_issues: pl.DataFrame,
    settings: IngestSettings,
    result: RunResult,
    now: dt.datetime,
) -> None:
    # Quarantine with release: a later (or same-date) file loaded the complaint.
    con.execute(
        """
        INSERT INTO quarantine BY NAME
        WITH rel AS (
            SELECT q.file_hash, q.sheet, q.source_row, min_by(s.file_name, s.file_order) AS released_by
            FROM (SELECT DISTINCT file_hash, sheet, source_row, complaint_key, file_order
                  FROM q_issues WHERE complaint_key IS NOT NULL) AS q
            INNER JOIN stg_rows AS s
                ON s.complaint_key = q.complaint_key
                AND s.file_hash <> q.file_hash
                AND s.file_order >= q.file_order
            GROUP BY ALL
        )
        SELECT q.file_hash, q.file_name, q.sheet, q.source_row, q.complaint_key, q.source_id, q.field,
               q.column_name, q.rule, q.observed, q.message,
               CASE WHEN rel.released_by IS NULL THEN 'held' ELSE 'released' END AS status,
               rel.released_by
        FROM q_issues AS q
        LEFT JOIN rel
            ON rel.file_hash = q.file_hash
            AND rel.source_row = q.source_row
            AND rel.sheet IS NOT DISTINCT FROM q.sheet
        """
    )
    # Warnings on loaded rows only (a held row is described by its blocking finding).
    warn = staging_issues.filter(pl.col("severity") == WARNING)
    held = staging_issues.filter(pl.col("severity") == BLOCKING).select("file_hash", "sheet", "source_row").unique()
    warn = warn.join(held, on=["file_hash", "sheet", "source_row"], how="anti", nulls_equal=True)
    allw = pl.concat(
        [
            warn.with_columns(pl.lit("staging").alias("layer")),
            file_warnings.with_columns(pl.lit("file").alias("layer")),
            curated_issues.filter(pl.col("severity") == WARNING).with_columns(pl.lit("curated").alias("layer")),
        ],
        how="diagonal_relaxed",
    ).drop("severity")
    con.register("w_src", allw)
    con.execute("INSERT INTO warnings BY NAME SELECT * FROM w_src")
    con.unregister("w_src")

    # Per file reconciliation: rows_read = loaded + quarantined + skipped.
    counts = {
        r[0]: r[1:]
        for r in con.execute(
            """
            SELECT f.file_hash,
                   (SELECT count(*) FROM stg_rows s WHERE s.file_hash = f.file_hash),
                   (SELECT count(*) FROM (SELECT DISTINCT sheet, source_row FROM quarantine q WHERE q.file_hash = f.file_hash)),
                   (SELECT count(*) FROM (SELECT DISTINCT sheet, source_row FROM quarantine q
                                          WHERE q.file_hash = f.file_hash AND q.status = 'released')),
                   (SELECT count(*) FROM (SELECT DISTINCT sheet, source_row FROM warnings w
                                          WHERE w.file_hash = f.file_hash AND w.layer = 'staging')),
                   (SELECT count(*) FROM warnings w WHERE w.file_hash = f.file_hash AND w.layer <> 'curated')
            FROM (SELECT DISTINCT file_hash FROM stg_rows UNION SELECT DISTINCT file_hash FROM q_issues) f
            """
        ).fetchall()
    }
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
    con.execute(
        """
        INSERT INTO quality_rules
        SELECT file_hash, file_name, rule, 'blocking', count(DISTINCT (sheet, source_row)) FROM quarantine
        GROUP BY ALL
        UNION ALL
        SELECT file_hash, file_name, rule, 'warning', count(*) FROM warnings GROUP BY ALL
        """
    )
    # Unmatched names across files.
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
    # Freshness per source.
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
            (k, source_label(k), v["files"], int(n_by_src.get(k, 0)), v["latest"], ref, (ref - v["latest"]).days,
             (ref - v["latest"]).days > settings.stale_after_days)
            for k, v in sorted(src.items())
        ],
    )


def _write_lineage(
    con, md: MasterData, staged, result: RunResult, as_of_ts: dt.datetime, now: dt.datetime, evidence_fp: str = ""
) -> None:
    """Snapshot, input files and run log. The input hash covers the input files, the
    configuration, the pipeline code and the evidence register (``evidence_fp``)."""
    file_hashes = sorted(rf.file_hash for rf, _, _ in staged)
    h = hashlib.sha256()
    for part in [*file_hashes, md.config_hash(), code_fingerprint(), f"evidence:{evidence_fp}"]:
        h.update(part.encode())
    input_hash = h.hexdigest()[:16]
    result.snapshot_id = f"{now:%Y%m%dT%H%M%S}-{input_hash[:8]}"
    n = con.execute("SELECT count(*) FROM complaints").fetchone()[0]
    result.complaints = n
    con.execute(
        "INSERT INTO snapshot VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [result.snapshot_id, as_of_ts.date(), as_of_ts, input_hash, md.config_hash(), now, __version__, n, len(staged)],
    )
    con.executemany(
        "INSERT INTO input_files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (o.file_hash, o.file_name, o.rel_path, o.size, o.profile, e.meta["source_system"], o.snapshot_date,
             o.rows_read, o.rows_loaded, o.rows_quarantined, o.rows_skipped, o.rows_warned, None)
            for _, e, o in staged
        ],
    )
    fin = dt.datetime.now().replace(microsecond=0)
    log = [
        (result.run_id, now, fin, o.file_name, o.file_hash, o.rows_read, o.rows_loaded, o.rows_quarantined,
         o.rows_skipped, "ok" if o.status != "duplicate" else "ok", o.message)
        for o in result.files
    ]
    tot = [o for o in result.files if o.status == "ok"]
    log.append(
        (result.run_id, now, fin, None, None, sum(o.rows_read for o in tot), sum(o.rows_loaded for o in tot),
         sum(o.rows_quarantined for o in tot), sum(o.rows_skipped for o in tot), "ok",
         f"{len(tot)} berkas dimuat, {n} pengaduan, snapshot {result.snapshot_id}")
    )
    con.executemany("INSERT INTO run_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", log)
