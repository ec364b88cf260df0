"""One measured step of the benchmark in its own process, so its peak memory is its own.

    python -m pipelines.bench.child MODE '{"json": "arguments"}'

Modes: ``run`` (``monev run`` in-process: ingest, build, validation, publish; files already in the
staging cache are not read again), ``province`` (``monev run`` on a province folder:
``run_province``, every pemda whose inputs changed, then ``build_province``; the figures of each
pemda's build and of the province step are recorded around the same functions), ``stage`` (ingest only: read and canonicalise every raw file into
the staging cache), ``read_csv`` (DuckDB's bare
``read_csv`` of a file into a table: the physical floor). Prints one JSON line: the step's own
figures plus ``wall_s``, ``cpu_s`` (user + system of every thread) and ``peak_rss_bytes``
(``VmHWM``: the process's high-water mark, imports included).
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path


def _run(args: dict) -> dict:
    from pipelines.build.core import run_pipeline
    from pipelines.settings import Paths

    r = run_pipeline(Paths.from_args(args["data_dir"]), validate=args.get("validate", True))
    return {"status": r.status, "message": r.message, "timings": r.timings, "complaints": r.complaints,
            "rows_read": sum(f.rows_read for f in r.files), "rows_loaded": sum(f.rows_loaded for f in r.files)}


def _province(args: dict) -> dict:
    import pipelines.province.build as pb
    from pipelines.province import load_province
    from pipelines.settings import Paths

    paths = Paths.from_args(args["data_dir"])
    province = load_province(paths)
    if province is None:
        raise SystemExit(f"{paths.data_dir} is not a province folder (no provinsi.yaml)")
    kode_of = {p.paths.data_dir: p.kode for p in province.pemda}
    per: dict[str, dict] = {}
    prov: dict[str, float] = {}
    real_run, real_build = pb.run_pipeline, pb.build_province

    def run_pipeline(p, **kw):  # the same call, timed (run_province looks the name up in its module)
        r = real_run(p, **kw)
        per[kode_of[p.data_dir]] = {"timings": r.timings, "rows_read": sum(f.rows_read for f in r.files),
                                    "peak_rss_bytes": peak_rss()}
        return r

    def build_province(province, progress=None, stats=None):
        t, c = time.perf_counter(), time.process_time()
        out = real_build(province, progress=progress, stats=stats)
        prov.update(province_s=round(time.perf_counter() - t, 3), province_cpu_s=round(time.process_time() - c, 3))
        return out

    pb.run_pipeline, pb.build_province = run_pipeline, build_province
    try:
        summary = pb.run_province(province, force=bool(args.get("force")))
    finally:
        pb.run_pipeline, pb.build_province = real_run, real_build
    pemda = []
    for o in summary.outcomes:
        pemda.append({"kode": o.kode, "name": o.name, "status": o.status, "message": o.message,
                      "complaints": o.complaints, **per.get(o.kode, {})})
    for o in pemda:  # a skipped pemda: its published warehouse's complaints
        if o["status"] == "unchanged":
            import duckdb

            wh = next(p.paths.warehouse for p in province.pemda if p.kode == o["kode"])
            with duckdb.connect(str(wh), read_only=True) as con:
                o["complaints"] = con.execute("SELECT count(*) FROM complaints").fetchone()[0]
    return {"status": "failed" if summary.failed else "ok", "pemda": pemda, "views": summary.views,
            "parts": dict(summary.parts), **prov}


def _stage(args: dict) -> dict:
    from pipelines.build.cache import StagingCache
    from pipelines.build.discover import discover
    from pipelines.ingest.profiles import load_profiles
    from pipelines.masterdata import load_master_data
    from pipelines.settings import Paths, pii_salt

    paths = Paths.from_args(args["data_dir"])
    md = load_master_data(paths.config_dir)
    cache = StagingCache(paths, md, pii_salt(paths))
    files = discover(paths.raw_dir)
    profiles = load_profiles(paths.config_dir)
    t, c = time.perf_counter(), time.process_time()
    entries = cache.stage_all(files, profiles)
    secs, cpu = time.perf_counter() - t, time.process_time() - c
    refused = [k for k, (e, _) in entries.items() if e.refused]
    rows = sum(e.meta["rows_read"] for e, _ in entries.values() if not e.refused)
    return {"status": "refused" if refused else "ok", "stage_s": round(secs, 3), "stage_cpu_s": round(cpu, 3),
            "rows_read": rows, "files": len(files)}


def _read_csv(args: dict) -> dict:
    import duckdb

    db = Path(args["db"])
    db.unlink(missing_ok=True)
    con = duckdb.connect(str(db))
    try:
        t, c = time.perf_counter(), time.process_time()
        con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?)", [args["csv"]])
        con.execute("CHECKPOINT")
        secs, cpu = time.perf_counter() - t, time.process_time() - c
        rows = con.execute("SELECT count(*) FROM t").fetchone()[0]
    finally:
        con.close()
    size = db.stat().st_size
    db.unlink(missing_ok=True)
    return {"status": "ok", "read_csv_s": round(secs, 3), "read_csv_cpu_s": round(cpu, 3), "rows": rows,
            "db_bytes": size}


def peak_rss() -> int:
    """This process's peak resident memory in bytes: ``VmHWM`` (reset by exec, so it is the step's own).
    ``ru_maxrss`` is not: Linux carries it over from the parent across fork and exec."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) * 1024  # kilobytes on Linux


MODES = {"run": _run, "province": _province, "stage": _stage, "read_csv": _read_csv}


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    mode, args = argv[0], json.loads(argv[1] if len(argv) > 1 else "{}")
    t0, c0 = time.perf_counter(), time.process_time()
    out = MODES[mode](args)
    out.update(
        wall_s=round(time.perf_counter() - t0, 3),
        cpu_s=round(time.process_time() - c0, 3),
        peak_rss_bytes=peak_rss(),
    )
    print(json.dumps(out, default=str), flush=True)


if __name__ == "__main__":
    main()
