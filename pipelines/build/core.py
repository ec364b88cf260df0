"""Build and publish the warehouse: a list of named steps run in order by one driver.

``STEPS`` is the build, in the order a complaint passes through it: read the configuration,
find and stage the raw files, validate, quarantine, merge the snapshots, flag duplicates,
as-of and calendar, curated checks, quality tables, evidence, lineage, the publish gate, the
KPI facts, publish. Each step is a small function (or one SQL model file under
``pipelines/sql/``) taking the ``BuildContext``; ``run_steps`` times each one and records it in
the run log (``<data-dir>/runs/<run>/run.json``: ``steps`` and ``timings``).
``monev run --explain`` prints the list with the file of each step.

The build writes into a new file in ``curated/`` and replaces ``curated/monev.duckdb`` with
``os.replace`` only after every check passed, so a failed or killed build leaves the previous
warehouse untouched and readable.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import gc
import json
import os
import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipelines.build.asof import as_of_and_calendar
from pipelines.build.context import BuildContext, BuildError, FileOutcome, Progress, RunResult, StepRun
from pipelines.build.contradictions import contradictions_step
from pipelines.build.duplicates import flag_duplicates_step
from pipelines.build.interrupted import log_interrupted, mark_running
from pipelines.build.interrupted import recover as recover_interrupted
from pipelines.build.lineage import copy_evidence, write_lineage
from pipelines.build.prepare import open_warehouse, order_snapshots
from pipelines.build.publish import build_lock, cleanup_stale_builds, kpi_facts, publish, publish_gate
from pipelines.build.quality import write_quality
from pipelines.build.quarantine import quarantine
from pipelines.build.reconcile import mark_unpublished
from pipelines.build.sqlfiles import run_sql
from pipelines.build.stage import discover_files, read_config, stage_files
from pipelines.build.validation import validate_curated, validate_staging
from pipelines.masterdata import ConfigError
from pipelines.settings import Paths
from pipelines.validate.engine import preload

__all__ = ["STEPS", "BuildError", "FileOutcome", "RunResult", "Step", "explain", "run_pipeline", "run_steps"]


@dataclass(frozen=True)
class Step:
    """One named step of the build: what it does (Bahasa Indonesia) and the files that do it."""

    name: str
    does: str
    files: tuple[str, ...]
    run: Callable[[BuildContext], None]


def sql_model(name: str) -> Callable[[BuildContext], None]:
    """A step that is one SQL model file of pipelines/sql/."""

    def run(ctx: BuildContext) -> None:
        run_sql(ctx.con, name)

    run.__name__ = name.removesuffix(".sql")
    return run


STEPS: tuple[Step, ...] = (
    Step("read_config", "Baca data master, profil pemetaan dan pengaturan (config/)",
         ("pipelines/build/stage.py", "pipelines/masterdata.py", "pipelines/ingest/profiles.py"), read_config),
    Step("discover", "Cari berkas ekspor di raw/ dan hitung hash isinya",
         ("pipelines/build/discover.py",), discover_files),
    Step("stage", "Baca tiap berkas dengan profilnya menjadi baris kanonik (sekali per hash isi, disimpan di staging/)",
         ("pipelines/build/stage.py", "pipelines/build/cache.py", "pipelines/ingest/readers.py",
          "pipelines/ingest/canonical.py"), stage_files),
    Step("open_warehouse", "Buat berkas gudang baru: skema dan data master",
         ("pipelines/build/prepare.py", "pipelines/sql/schema.sql", "pipelines/warehouse.py"), open_warehouse),
    Step("order_snapshots", "Urutkan snapshot (tanggal ekspor, lalu nama berkas) dan tandai tiap baris dengan berkasnya",
         ("pipelines/build/prepare.py",), order_snapshots),
    Step("validate_staging", "Validasi baris per profil dan per berkas (Great Expectations)",
         ("pipelines/build/validation.py", "pipelines/validate/suites.py"), validate_staging),
    Step("quarantine", "Tahan baris yang gagal aturan pemblokir; baris lain menjadi stg_rows",
         ("pipelines/build/quarantine.py",), quarantine),
    Step("contradictions", "Tahan pengaduan yang ekspor-ekspornya saling bertentangan (tanggal ekspor sama, isi berbeda; "
         "langkah terbalik setelah digabung)", ("pipelines/build/contradictions.py",), contradictions_step),
    Step("merge_snapshots", "Gabungkan semua snapshot menjadi complaints dan riwayat status (snapshot terbaru menang)",
         ("pipelines/sql/build_merge.sql",), sql_model("build_merge.sql")),
    Step("flag_duplicates", "Tandai kemungkinan duplikat lintas kanal (rekap yang juga diketik ke SP4N-LAPOR!)",
         ("pipelines/build/duplicates.py", "pipelines/sql/build_duplicate_candidates.sql"), flag_duplicates_step),
    Step("calendar", "Tanggal data (as-of) dan kalender hari kerja",
         ("pipelines/build/asof.py", "pipelines/calendar.py"), as_of_and_calendar),
    Step("validate_curated", "Periksa pengaduan hasil gabungan (Great Expectations)",
         ("pipelines/build/validation.py", "pipelines/validate/suites.py"), validate_curated),
    Step("quality_tables", "Tabel mutu data: karantina (dan pelepasannya), peringatan, rekonsiliasi, kesegaran sumber",
         ("pipelines/build/quality.py", "pipelines/sql/build_quarantine.sql", "pipelines/sql/build_quality_counts.sql"),
         write_quality),
    Step("evidence", "Salin register bukti dukung penilaian (dan fakta SK pejabat penghubung per OPD) ke gudang",
         ("pipelines/build/lineage.py", "pipelines/rating/evidence.py", "pipelines/officers/facts.py"),
         copy_evidence),
    Step("lineage", "Catat snapshot (id, tanggal data, hash masukan), berkas masukan dan log proses",
         ("pipelines/build/lineage.py",), write_lineage),
    Step("interrupted_runs", "Catat di log proses pembangunan sebelumnya yang terhenti di tengah jalan",
         ("pipelines/build/interrupted.py",), log_interrupted),
    Step("publish_gate", "Tahan publikasi bila baris yang dikarantina suatu berkas melebihi batas",
         ("pipelines/build/publish.py",), publish_gate),
    Step("kpi_facts", "Fakta KPI per pengaduan pada tanggal data snapshot, dan hasil kueri tampilan bawaan dasbor",
         ("pipelines/build/publish.py", "pipelines/kpi/engine.py", "pipelines/kpi/stored.py",
          "pipelines/build/default_views.py"), kpi_facts),
    Step("publish", "Terbitkan: ganti curated/monev.duckdb dengan berkas baru sekaligus (os.replace)",
         ("pipelines/build/publish.py",), publish),
)


def explain(steps: Sequence[Step] = STEPS) -> str:
    """The steps a complaint passes through, in order, with the file(s) of each (``monev run --explain``)."""
    width = max(len(s.name) for s in steps)
    lines = []
    for i, s in enumerate(steps, start=1):
        lines.append(f"{i:2}. {s.name:<{width}}  {s.does}")
        lines.append(f"    {'':<{width}}  {', '.join(s.files)}")
    return "\n".join(lines)


def _status_mib(key: str) -> int | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(key):
                return int(line.split()[1]) // 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def peak_rss_mib() -> int | None:
    """This process's peak resident memory so far in MiB (Linux VmHWM; None elsewhere). Recorded after
    each step, the step where it jumps is the one that set the build's peak (docs/benchmark.md)."""
    return _status_mib("VmHWM:")


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


GC_AFTER_GROWTH_MIB = 512  # a full collection after a step only once the build has grown this much


def release_memory(grown_mib: int | None) -> None:
    """Hand the memory the step freed back to the system (glibc keeps freed heap pages otherwise, and the
    next step's DuckDB buffers would come on top of them). A full garbage collection (Great Expectations'
    results hold reference cycles) costs ~0,2 s in a process with many objects, so it runs only when the
    build has grown by GC_AFTER_GROWTH_MIB since it started: a large build, not the small ones of tests."""
    if grown_mib is not None and grown_mib > GC_AFTER_GROWTH_MIB:
        gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def run_steps(ctx: BuildContext, steps: Sequence[Step] = STEPS) -> None:
    """Run ``steps`` in order, timing each into the run log; the first BuildError stops the build."""
    base = _status_mib("VmRSS:")
    try:
        for step in steps:
            t = time.perf_counter()
            status = "stopped"
            try:
                step.run(ctx)
                status = "ok"
            finally:
                seconds = round(time.perf_counter() - t, 3)
                now_mib = _status_mib("VmRSS:")
                release_memory(now_mib - base if now_mib is not None and base is not None else None)
                ctx.result.steps.append(StepRun(step.name, seconds, status, peak_rss_mib(), _status_mib("VmRSS:")))
                if status == "ok":
                    ctx.timings[step.name] = seconds
    finally:
        ctx.close()


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
    now = now or dt.datetime.now().replace(microsecond=0)
    if validate:
        preload()  # Great Expectations imports while the files are read
    result = RunResult(run_id=f"{now:%Y%m%dT%H%M%S}-{secrets.token_hex(3)}", started_at=now)
    ctx = BuildContext(paths=paths, result=result, now=now, say=progress or (lambda _m: None),
                       from_staging=from_staging, validate=validate)
    t0 = time.perf_counter()
    try:
        paths.ensure()
        with build_lock(paths):
            result.interrupted = recover_interrupted(paths, now)  # killed builds: recorded, leftovers removed
            mark_running(paths, result.run_id, now)
            cleanup_stale_builds(paths)
            run_steps(ctx)
    except BuildError as exc:
        result.status = result.status if result.status in ("refused", "blocked") else "error"
        result.message = str(exc)
        mark_unpublished(result)
    except ConfigError as exc:
        result.status = "error"
        result.message = f"Konfigurasi tidak valid: {exc}"
    except Exception as exc:  # a bug: still record the run
        result.status = "error"
        result.message = f"Pembangunan gagal karena kesalahan tak terduga: {type(exc).__name__}: {exc}"
        result.finished_at = dt.datetime.now().replace(microsecond=0)
        result.timings["total"] = round(time.perf_counter() - t0, 3)
        _write_run(paths, result)
        raise
    result.finished_at = dt.datetime.now().replace(microsecond=0)
    result.timings["total"] = round(time.perf_counter() - t0, 3)
    _write_run(paths, result)
    return result


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
