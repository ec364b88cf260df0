"""The benchmark run: per size, generate exports, ingest, build, query, compare with the baselines."""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import polars

from pipelines.bench import baselines
from pipelines.bench.bounds import raise_input_bounds
from pipelines.bench.pages import time_pages
from pipelines.bench.province import FORM as PROV_FORM
from pipelines.bench.province import PROV_FROM, PROV_TO
from pipelines.demo import simulate_complaints
from pipelines.demo.bench import write_bench_exports
from pipelines.kpi import compute
from pipelines.scorecard import generate, write_batch

SIM_FROM = dt.date(2024, 1, 1)
SIM_TO = dt.date(2026, 10, 31)
SEED = 42
QUICK_XLSX_MAX = 10_000
QUICK_SCORECARD_MAX = 10_000
GIB = 2**30

# A size above CITY_MAX is a province installation of DEFAULT_PROVINCE_PEMDA pemda (issue 19);
# `--provinsi N` makes every size a province of N pemda.
CITY_MAX = 1_000_000
DEFAULT_PROVINCE_PEMDA = 38

# Targets at the largest single-city size (issue 10; at 1M also issue 19's).
TARGETS = {
    "ingest_csv_vs_read_csv": 3.0,  # ingest CSV within 3x DuckDB's bare read_csv
    "kpi_warm_s": 2.0,  # full KPI JSON warm
    "kpi_speedup_vs_pandas": 10.0,  # at least 10x faster than the pandas peer
    "page_warm_ms": 300.0,  # every page's queries, warm
    "ingest_peak_rss_gib": 4.0,  # peak memory of ingestion (reading the file)
    "run_peak_rss_gib": 4.0,  # ... and of the whole monev run (build and validation included)
    "exponent": 1.0,  # linear or better from the smallest to the largest size
}
# Targets at the largest province size (issue 19: 10 million complaints over 38 pemda).
PROVINCE_TARGETS = {
    "prov_page_warm_ms": 1500.0,  # every single-pemda page's queries on the largest pemda, warm
    "prov_province_pages_ms": 1500.0,  # the province pages' data (ranking, trends), stored and fresh
    "prov_run_peak_rss_gib": 8.0,  # the whole monev run of the province
    "prov_incremental_only_pemda": 1.0,  # a new export for one pemda rebuilds that pemda only (1 = yes)
    "prov_incremental_share": 2.0,  # incremental time share of the full run <= 2x the export's row share
    "exponent_run": 1.0,  # monev run, smallest to largest size
}

Say = Callable[[str], None]


def _dir_bytes(p: Path) -> int:
    return sum(f.stat().st_size for f in p.rglob("*") if f.is_file()) if p.exists() else 0


def _child(mode: str, args: dict, env: dict | None = None) -> dict:
    t = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "pipelines.bench.child", mode, json.dumps(args)],
                       capture_output=True, text=True, env={**os.environ, **(env or {})}, check=False)
    wall = time.perf_counter() - t
    if r.returncode != 0:
        raise RuntimeError(f"bench step {mode} failed ({r.returncode}):\n{r.stdout[-2000:]}\n{r.stderr[-3000:]}")
    out = json.loads(r.stdout.strip().splitlines()[-1])
    out["process_wall_s"] = round(wall, 3)
    return out


def machine() -> dict[str, Any]:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = int(line.split()[1]) * 1024
                break
    except OSError:
        pass
    return {
        "cpu": cpu, "cpu_count": os.cpu_count(), "memory_bytes": mem, "os": platform.platform(),
        "python": platform.python_version(), "duckdb": duckdb.__version__, "polars": polars.__version__,
        "pandas": pd.__version__, "loadavg_start": [round(x, 2) for x in os.getloadavg()],
    }


def _median_time(fn: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    times, last = [], None
    for _ in range(max(1, repeat)):
        t = time.perf_counter()
        last = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), max(times), last


def _kpi_window(as_of: dt.date) -> tuple[dt.date, dt.date]:
    """The last complete calendar year before the as-of date (the heaviest ordinary question)."""
    y = as_of.year - 1
    return dt.date(y, 1, 1), dt.date(y, 12, 31)


def bench_size(n: int, root: Path, *, repeat: int, xlsx: bool, scorecard: bool, say: Say) -> dict[str, Any]:
    """Every measurement at ``n`` complaints (docs/benchmark.md), each heavy step in its own process."""
    res: dict[str, Any] = {"rows": n, "kind": "kota", "pemda_count": 1}
    base = root / f"n{n}"
    shutil.rmtree(base, ignore_errors=True)
    csv_path, xlsx_path = _bench_generate(n, base, xlsx, res, say)
    wh = _bench_ingest_and_build(n, base, csv_path, xlsx_path, res, say)
    d_from, head = _bench_kpi(n, csv_path, wh, repeat, res, say)
    csv_dir = base / "csv"
    # ---- dashboard pages' data queries
    say(f"[{n:,}] kueri halaman dasbor ...")
    res["pages"] = time_pages(str(csv_dir), repeat)

    # ---- scorecards: the city and one OPD (PDF and XLSX)
    if scorecard:
        say(f"[{n:,}] rapor (kota + 1 OPD) ...")
        res["scorecard"] = _scorecard(wh, str(d_from.year), head)
    else:
        res["scorecard"] = None

    res["ratios"] = _ratios(res)
    res["pages_warm_max_ms"] = max(v["warm_ms"] for v in res["pages"].values())
    return res


def _bench_generate(n: int, base: Path, xlsx: bool, res: dict[str, Any], say: Say) -> tuple[Path, Path | None]:
    """Simulate ``n`` complaints and write them as one LAPOR! CSV (and XLSX)."""
    csv_dir, xlsx_dir = base / "csv", base / "xlsx"
    # ---- generate (text included)
    say(f"[{n:,}] simulasi pengaduan ...")
    t = time.perf_counter()
    df = simulate_complaints(SEED, SIM_FROM, SIM_TO, rows=n)
    gen = {"simulate_s": round(time.perf_counter() - t, 3)}
    t = time.perf_counter()
    (csv_path,) = write_bench_exports(df, csv_dir / "raw" / "lapor", formats=("csv",))
    gen["csv_write_s"] = round(time.perf_counter() - t, 3)
    gen["csv_bytes"] = csv_path.stat().st_size
    xlsx_path = None
    if xlsx:
        t = time.perf_counter()
        (xlsx_path,) = write_bench_exports(df, xlsx_dir / "raw" / "lapor", formats=("xlsx",))
        gen["xlsx_write_s"] = round(time.perf_counter() - t, 3)
        gen["xlsx_bytes"] = xlsx_path.stat().st_size
    del df
    res["generate"] = gen

    return csv_path, xlsx_path


def bench_config(dest: Path, n: int, export: Path) -> Path:
    """A copy of the configuration in force whose input bounds admit ``export`` (``n`` rows): only
    ``limits.max_file_mb`` and ``limits.max_rows`` of ingest.yaml are raised, never lowered."""
    from pipelines.settings import resolve_config_dir

    src = resolve_config_dir()
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(src, dest)
    raise_input_bounds(dest / "ingest.yaml", export.stat().st_size, n)
    return dest


def _bench_ingest_and_build(n: int, base: Path, csv_path: Path, xlsx_path: Path | None, res: dict[str, Any],
                            say: Say) -> Path:
    """DuckDB's read_csv (the floor), ingest of the CSV, monev run, ingest of the XLSX; returns the warehouse."""
    csv_dir, xlsx_dir = base / "csv", base / "xlsx"
    env = {"MONEV_PII_SALT": os.environ.get("MONEV_PII_SALT", "bench-salt")}
    gen = res["generate"]
    # the benchmark's single export of up to 1M complaints is larger than the hostile-input bounds of
    # config/ingest.yaml (limits.max_file_mb, limits.max_rows); each data dir gets a copy of the config
    # whose bounds fit this export (and nothing else changed), read by every child through MONEV_CONFIG_DIR
    csv_env = {**env, "MONEV_CONFIG_DIR": str(bench_config(csv_dir / "config", n, csv_path))}
    # ---- the physical floor: DuckDB read_csv of the same file into a table
    say(f"[{n:,}] DuckDB read_csv (acuan) ...")
    rc = _child("read_csv", {"csv": str(csv_path), "db": str(base / "read_csv.duckdb")})
    res["read_csv"] = {"seconds": rc["read_csv_s"], "cpu_s": rc["read_csv_cpu_s"], "rows": rc["rows"],
                       "peak_rss_bytes": rc["peak_rss_bytes"]}

    # ---- ingest of the CSV (reading, canonicalisation, staging cache), own process
    say(f"[{n:,}] ingest CSV ...")
    st = _child("stage", {"data_dir": str(csv_dir)}, csv_env)
    if st["status"] != "ok":
        raise RuntimeError("the bench CSV was refused by ingestion")
    stage = st["stage_s"]
    res["ingest_csv"] = {
        "seconds": stage, "cpu_s": st["stage_cpu_s"], "rows": st["rows_read"],
        "rows_per_s": round(st["rows_read"] / stage) if stage else None,
        "mib_per_s": round(gen["csv_bytes"] / 2**20 / stage, 2) if stage else None,
        "peak_rss_bytes": st["peak_rss_bytes"],
    }

    # ---- build + validation + publish (monev run on the staged file), own process
    say(f"[{n:,}] monev run (bangun + validasi) ...")
    run = _child("run", {"data_dir": str(csv_dir)}, csv_env)
    if run["status"] != "published":
        raise RuntimeError(f"monev run did not publish: {run.get('message')}")
    tm = run["timings"]
    res["build"] = {
        "seconds": round(tm["total"] - tm.get("stage", 0.0), 3), "validate_s": tm.get("validate"),
        "run_s": tm["total"], "total_s": round(stage + tm["total"] - tm.get("stage", 0.0), 3),
        "timings": tm, "complaints": run["complaints"],
    }
    res["build_run"] = {"peak_rss_bytes": run["peak_rss_bytes"], "cpu_s": run["cpu_s"],
                        "process_wall_s": run["process_wall_s"]}
    res["ingest_run"] = {"peak_rss_bytes": max(st["peak_rss_bytes"], run["peak_rss_bytes"])}
    wh = csv_dir / "curated" / "monev.duckdb"
    res["warehouse_bytes"] = wh.stat().st_size
    res["staging_bytes"] = _dir_bytes(csv_dir / "staging")

    # ---- XLSX ingest (reading and canonicalisation only; the build is the CSV's)
    if xlsx_path is not None:
        say(f"[{n:,}] ingest XLSX ...")
        st = _child("stage", {"data_dir": str(xlsx_dir)},
                    {**env, "MONEV_CONFIG_DIR": str(bench_config(xlsx_dir / "config", n, xlsx_path))})
        res["ingest_xlsx"] = {
            "seconds": st["stage_s"], "cpu_s": st["stage_cpu_s"], "rows": st["rows_read"],
            "rows_per_s": round(st["rows_read"] / st["stage_s"]) if st["stage_s"] else None,
            "mib_per_s": round(gen["xlsx_bytes"] / 2**20 / st["stage_s"], 2) if st["stage_s"] else None,
            "peak_rss_bytes": st["peak_rss_bytes"],
        }
        shutil.rmtree(xlsx_dir, ignore_errors=True)
    else:
        res["ingest_xlsx"] = None

    return wh


def _bench_kpi(n: int, csv_path: Path | None, wh: Path, repeat: int, res: dict[str, Any], say: Say) -> tuple[dt.date, dict]:
    """`monev kpi`, compute cold and warm, and the bare-SQL and pandas baselines on the same warehouse."""
    csv_dir = wh.parents[1]
    # ---- KPI: `monev kpi` (new process), then compute cold/warm on one read-only connection
    con = duckdb.connect(str(wh), read_only=True)
    try:
        as_of = con.execute("SELECT max(as_of) FROM snapshot").fetchone()[0]
        d_from, d_to = _kpi_window(as_of)
        res["period"] = {"from": d_from.isoformat(), "to": d_to.isoformat(), "as_of": as_of.isoformat()}
        con.close()
        say(f"[{n:,}] monev kpi {d_from.year} ...")
        t = time.perf_counter()
        cfg = {"MONEV_CONFIG_DIR": str(csv_dir / "config")} if (csv_dir / "config" / "city.yaml").is_file() else {}
        r = subprocess.run([sys.executable, "-m", "pipelines.cli", "kpi", "--period", str(d_from.year),
                            "--data-dir", str(csv_dir)], capture_output=True, text=True, check=False,
                           env={**os.environ, **cfg})
        cli_s = time.perf_counter() - t
        if r.returncode != 0:
            raise RuntimeError(f"monev kpi failed: {r.stderr[-2000:]}")
        cli_out = json.loads(r.stdout)
        con = duckdb.connect(str(wh), read_only=True)
        t = time.perf_counter()
        out = compute(con, d_from, d_to)
        json.dumps(out)
        cold = time.perf_counter() - t
        warm, warm_max, out = _median_time(lambda: _compute_json(compute, con, d_from, d_to), repeat)
        res["kpi"] = {"cold_s": round(cold, 3), "warm_s": round(warm, 3), "warm_max_s": round(warm_max, 3),
                      "cli_s": round(cli_s, 3), "received": out["received"]}
        head = baselines.from_compute(out)

        # ---- baselines on the same warehouse
        say(f"[{n:,}] acuan: SQL langsung dan pandas ...")
        p = baselines.params(con)
        baselines.bare_sql(con, d_from, d_to, p)
        sql_s, sql_max, sql_out = _median_time(lambda: baselines.bare_sql(con, d_from, d_to, p), repeat)
        pd_times, pd_out = [], None
        for _ in range(max(1, min(repeat, 3))):
            t = time.perf_counter()
            pd_out, parts = baselines.pandas_peer(con, d_from, d_to, p)
            pd_times.append((time.perf_counter() - t, parts))
        best = sorted(pd_times, key=lambda x: x[0])[len(pd_times) // 2]
        pd_csv_s = None
        if csv_path is not None:  # a province size has one file per pemda and year: not read again
            t = time.perf_counter()
            pd.read_csv(csv_path)
            pd_csv_s = time.perf_counter() - t
        res["bare_sql"] = {"warm_s": round(sql_s, 4)}
        res["pandas"] = {"total_s": round(best[0], 3), "load_s": round(best[1]["load_s"], 3),
                         "compute_s": round(best[1]["compute_s"], 3),
                         "read_csv_s": round(pd_csv_s, 3) if pd_csv_s is not None else None}
        res["headline"] = {k: v for k, v in head.items() if k != "by_department"}
        res["headline_agree"] = {"cli": baselines.from_compute(cli_out) == head, "bare_sql": sql_out == head,
                                 "pandas": pd_out == head}
    finally:
        con.close()

    return d_from, head


def _ratios(res: dict[str, Any]) -> dict[str, Any]:
    ing, rcs = res["ingest_csv"]["seconds"], res["read_csv"]["seconds"]
    return {
        "ingest_csv_vs_read_csv": round(ing / rcs, 2) if rcs else None,
        "ingest_csv_vs_read_csv_cpu": (round(res["ingest_csv"]["cpu_s"] / res["read_csv"]["cpu_s"], 2)
                                       if res["read_csv"]["cpu_s"] and res["ingest_csv"]["cpu_s"] else None),
        "run_vs_read_csv": round(res["build"]["total_s"] / rcs, 2) if rcs else None,
        "kpi_speedup_vs_pandas": round(res["pandas"]["total_s"] / res["kpi"]["warm_s"], 2),
        "kpi_speedup_vs_pandas_compute_only": round(res["pandas"]["compute_s"] / res["kpi"]["warm_s"], 2),
        "kpi_vs_bare_sql": round(res["kpi"]["warm_s"] / res["bare_sql"]["warm_s"], 2),
        "bare_sql_speedup_vs_pandas": round(res["pandas"]["total_s"] / res["bare_sql"]["warm_s"], 2),
        "xlsx_vs_csv_ingest": (round(res["ingest_xlsx"]["seconds"] / ing, 2) if res["ingest_xlsx"] and ing else None),
    }


def _compute_json(compute: Callable, con: Any, d_from: dt.date, d_to: dt.date) -> dict:
    out = compute(con, d_from, d_to)
    json.dumps(out)
    return out


def _scorecard(wh: Path, period: str, head: dict) -> dict:
    dept = max(head["by_department"].items(), key=lambda kv: (kv[1][0], kv[0]))[0] if head["by_department"] else None
    con = duckdb.connect(str(wh), read_only=True)
    try:
        t = time.perf_counter()
        with tempfile.TemporaryDirectory() as out:
            rows = write_batch(out, generate(con, period, departments=[dept] if dept else [], city=True,
                                             formats=("pdf", "xlsx"), jobs=1, warehouse=wh))
        secs = time.perf_counter() - t
    finally:
        con.close()
    return {"seconds": round(secs, 3), "units": 1 + bool(dept), "department": dept, "files": len(rows),
            "bytes": sum(r.size for r in rows)}


def exponent(sizes: Sequence[int], values: Sequence[float | None]) -> float | None:
    """Least-squares slope of log(value) against log(size): 1 = linear, < 1 = better than linear."""
    pts = [(math.log(n), math.log(v)) for n, v in zip(sizes, values, strict=True) if v and v > 0]
    if len(pts) < 2:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    sxx = sum((x - mx) ** 2 for x, _ in pts)
    return round(sum((x - mx) * (y - my) for x, y in pts) / sxx, 3) if sxx else None


SCALED = {
    "ingest_csv_s": lambda r: r["ingest_csv"]["seconds"],
    "build_s": lambda r: r["build"]["seconds"],
    "run_total_s": lambda r: r["build"]["total_s"],
    "read_csv_s": lambda r: r["read_csv"]["seconds"],
    "ingest_xlsx_s": lambda r: r["ingest_xlsx"]["seconds"] if r["ingest_xlsx"] else None,
    "kpi_warm_s": lambda r: r["kpi"]["warm_s"],
    "bare_sql_s": lambda r: r["bare_sql"]["warm_s"],
    "pandas_s": lambda r: r["pandas"]["total_s"],
    "pages_warm_total_ms": lambda r: sum(v["warm_ms"] for v in r["pages"].values()),
    "warehouse_bytes": lambda r: r["warehouse_bytes"],
    "ingest_peak_rss_bytes": lambda r: r["ingest_csv"]["peak_rss_bytes"],
    "run_peak_rss_bytes": lambda r: r["ingest_run"]["peak_rss_bytes"],
}


def scaling(results: list[dict]) -> dict[str, Any]:
    sizes = [r["rows"] for r in results]
    out: dict[str, Any] = {"from": min(sizes), "to": max(sizes)}
    upper: dict[str, float | None] = {}
    for key, get in SCALED.items():
        vals = [get(r) for r in results]
        ok = [(n, v) for n, v in zip(sizes, vals, strict=True) if v]
        out[key] = exponent([n for n, _ in ok], [v for _, v in ok]) if len(ok) >= 2 else None
        # between the two largest sizes: fixed costs weigh less there than over the whole range
        upper[key] = exponent([n for n, _ in ok[-2:]], [v for _, v in ok[-2:]]) if len(ok) >= 3 else None
    out["upper"] = upper
    return out


def _check(key: str, label: str, rows: int, value: float | None, op: str, limits: dict) -> dict:
    limit = limits[key]
    met = None if value is None else (value <= limit if op == "<=" else value < limit if op == "<" else value >= limit)
    return {"key": key, "label": label, "rows": rows, "value": value, "limit": limit, "op": op, "met": met}


def province_targets(r: dict, scale: dict) -> list[dict]:
    """Issue 19's targets at a province size ``r``."""
    n, L = r["rows"], PROVINCE_TARGETS
    big = max(r["incremental"], key=lambda i: i["export_rows"]) if r.get("incremental") else None
    only = None
    share = None
    if big is not None:
        others = r["pemda_count"] - 1
        only = 1.0 if all(i["rebuilt"] == [i["pemda"]] and i["skipped"] == others for i in r["incremental"]) else 0.0
        # time share of the full run divided by the export's share of the rows: 1 = proportional to the export
        share = round((big["wall_s"] / r["province_run"]["wall_s"]) / (big["export_rows"] / r["rows"]), 2)
    return [
        _check("prov_page_warm_ms", f"Kueri tiap halaman pemda terbesar ({r['largest_pemda']['name']}) < 1,5 s",
               n, r["pages_warm_max_ms"], "<", L),
        _check("prov_province_pages_ms", "Kueri halaman provinsi (peringkat, tren; tersimpan dan dihitung) < 1,5 s",
               n, r["province_pages_warm_max_ms"], "<", L),
        _check("prov_run_peak_rss_gib", f"Memori puncak monev run provinsi ({r['pemda_count']} pemda) < 8 GiB",
               n, r["province_run"]["peak_rss_bytes"] / GIB, "<", L),
        _check("prov_incremental_only_pemda", "Ekspor baru satu pemda: hanya pemda itu dibangun ulang (1 = ya)",
               n, only, ">=", L),
        _check("prov_incremental_share", "Waktu tambahan ekspor sebanding ekspornya (porsi waktu / porsi baris <= 2)",
               n, share, "<=", L),
        _check("exponent_run", "Eksponen skala monev run, ukuran terkecil s.d. terbesar <= 1",
               n, scale.get("run_total_s"), "<=", L),
    ]


def targets(results: list[dict], scale: dict) -> list[dict]:
    """Issue 10's targets at the largest single-city size, issue 19's at the largest province size."""
    out = []
    city = [x for x in results if x.get("kind", "kota") == "kota"]
    prov = [x for x in results if x.get("kind") == "provinsi"]
    if city:
        out += _city_targets(max(city, key=lambda x: x["rows"]), scale)
    if prov:
        out += province_targets(max(prov, key=lambda x: x["rows"]), scale)
    return out


def _city_targets(r: dict, scale: dict) -> list[dict]:
    rat = r["ratios"]
    rows = [
        ("ingest_csv_vs_read_csv", "Ingest CSV <= 3x DuckDB read_csv", rat["ingest_csv_vs_read_csv"], "<="),
        ("kpi_warm_s", "KPI JSON lengkap (hangat) < 2 s", r["kpi"]["warm_s"], "<"),
        ("kpi_speedup_vs_pandas", "KPI >= 10x lebih cepat dari pandas", rat["kpi_speedup_vs_pandas"], ">="),
        ("page_warm_ms", "Kueri tiap halaman (hangat) < 300 ms", r["pages_warm_max_ms"], "<"),
        ("ingest_peak_rss_gib", "Memori puncak ingest < 4 GiB", r["ingest_csv"]["peak_rss_bytes"] / GIB, "<"),
        ("run_peak_rss_gib", "Memori puncak monev run (ingest + bangun + validasi) < 4 GiB",
         r["ingest_run"]["peak_rss_bytes"] / GIB, "<"),
        ("exponent", "Eksponen skala (monev run) <= 1", scale.get("run_total_s"), "<="),
    ]
    return [_check(key, label, r["rows"], value, op, TARGETS) for key, label, value, op in rows]


def province_pemda(n: int, provinsi: int | None) -> int | None:
    """How many pemda size ``n`` spreads over (None: a single city)."""
    if provinsi is not None:
        return provinsi
    return DEFAULT_PROVINCE_PEMDA if n > CITY_MAX else None


def run_bench(sizes: Sequence[int], out_dir: str | Path, *, quick: bool = False, repeat: int | None = None,
              xlsx_max: int | None = None, keep: bool = False, provinsi: int | None = None,
              say: Say | None = None) -> dict[str, Any]:
    """Benchmark every size (ascending) under ``out_dir``; returns the result (also for --json).

    A size above CITY_MAX is a province of DEFAULT_PROVINCE_PEMDA pemda; with ``provinsi`` every
    size is a province of that many pemda (pipelines/bench/province.py)."""
    say = say or (lambda _m: None)
    sizes = sorted({int(n) for n in sizes})
    if not sizes or sizes[0] < 1000:
        raise ValueError("sizes must be at least 1000 complaints each")
    if provinsi is not None and not 1 <= provinsi <= 38:
        raise ValueError("--provinsi must be between 1 and 38 (the kabupaten/kota of Jawa Timur)")
    root = Path(out_dir).expanduser().resolve()
    root.mkdir(parents=True, exist_ok=True)
    repeat = repeat if repeat is not None else (2 if quick else 5)
    xlsx_max = xlsx_max if xlsx_max is not None else (QUICK_XLSX_MAX if quick else 1_000_000)
    mach = machine()
    started = dt.datetime.now().replace(microsecond=0)
    t0 = time.perf_counter()
    results = []
    for n in sizes:
        xlsx = n <= xlsx_max
        scorecard = not quick or n <= QUICK_SCORECARD_MAX
        npemda = province_pemda(n, provinsi)
        if npemda is None:
            results.append(bench_size(n, root, repeat=repeat, xlsx=xlsx, scorecard=scorecard, say=say))
            folder = root / f"n{n}"
        else:
            from pipelines.bench.province import bench_province

            r = bench_province(n, npemda, root, repeat=repeat, scorecard=scorecard, child=_child, kpi=_bench_kpi,
                               scorecard_fn=_scorecard, seed=SEED, say=say)
            r["ratios"] = _ratios(r)
            results.append(r)
            folder = root / f"n{n}-provinsi{npemda}"
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)
    mach["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    scale = scaling(results)
    return {
        "benchmark": "monev bench", "version": 1, "started_at": started.isoformat(),
        "seconds": round(time.perf_counter() - t0, 1),
        "options": {"sizes": sizes, "quick": quick, "repeat": repeat, "xlsx_max_rows": xlsx_max,
                    "provinsi": provinsi, "city_max": CITY_MAX,
                    "province_sizes": {n: province_pemda(n, provinsi) for n in sizes
                                       if province_pemda(n, provinsi) is not None},
                    "simulated": {"seed": SEED, "from": SIM_FROM.isoformat(), "to": SIM_TO.isoformat()},
                    "simulated_province": {"from": PROV_FROM.isoformat(), "to": PROV_TO.isoformat(),
                                           "form": PROV_FORM}},
        "machine": mach, "sizes": results, "scaling": scale, "targets": targets(results, scale),
    }
