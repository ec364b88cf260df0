"""KPI benchmark: a large generated warehouse (in SQL, generate_series) and the time of ``compute``.

    python -m pipelines.kpi.bench --rows 1000000 --path /tmp/kpi-bench.duckdb

Prints the build time, then the cold and warm times of the full ``compute``
JSON (median of ``--repeat`` warm runs). The warehouse is never written into the
repository (``*.duckdb`` is git-ignored; use a temporary path).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import time
from pathlib import Path

import duckdb

from pipelines.calendar import build_calendar
from pipelines.kpi import compute
from pipelines.masterdata import MasterData, load_master_data
from pipelines.warehouse import create_schema, load_master_tables

# Deterministic pseudo-random numbers from hash(i, salt): the same rows on every machine and run.
_GENERATE_SQL = """
INSERT INTO complaints BY NAME
WITH
pools AS (
    SELECT
        (SELECT list(department ORDER BY department) FROM departments)           AS departments,
        (SELECT list(category ORDER BY category) FROM categories)                AS categories,
        (SELECT list(classification ORDER BY classification) FROM classifications) AS classifications,
        (SELECT list(channel ORDER BY channel) FROM channels WHERE source = 'lapor') AS lapor_channels,
        (SELECT list(channel ORDER BY channel) FROM channels WHERE source = 'lokal') AS local_channels,
        (SELECT list([kecamatan, kelurahan] ORDER BY kecamatan, kelurahan) FROM wilayah) AS wilayah
),
base AS (
    SELECT
        i,
        hash(i, 'src') % 100                                         AS u_src,
        TIMESTAMP '2021-01-01 07:00:00'
            + to_seconds(CAST(hash(i, 'rep') % (5 * 365 * 86400) AS BIGINT)) AS reported_at,
        hash(i, 'ver') % 100                                         AS u_ver,
        hash(i, 'res') % 100                                         AS u_res,
        hash(i, 'fin') % 100                                         AS u_fin,
        hash(i, 'st') % 100                                          AS u_st
    FROM range(CAST($rows AS BIGINT)) AS t(i)
),
timed AS (
    SELECT
        b.*,
        CASE WHEN u_src < 70 THEN 'lapor' WHEN u_src < 95 THEN 'rekap' ELSE 'open311' END AS source_system,
        CASE WHEN u_src < 70 AND u_ver < 92
             THEN reported_at + to_hours(CAST(1 + hash(i, 'dv') % 120 AS BIGINT)) END     AS verified_at
    FROM base AS b
),
timed2 AS (
    SELECT
        t.*,
        CASE WHEN verified_at IS NOT NULL
             THEN verified_at + to_hours(CAST(hash(i, 'dd') % 48 AS BIGINT)) END          AS dispatched_at
    FROM timed AS t
),
timed3 AS (
    SELECT
        t.*,
        CASE WHEN u_res < 85 AND (source_system <> 'lapor' OR verified_at IS NOT NULL)
             THEN coalesce(dispatched_at, reported_at)
                  + to_hours(CAST(2 + hash(i, 'dr') % 300 AS BIGINT)) END                  AS first_response_at
    FROM timed2 AS t
),
timed4 AS (
    SELECT
        t.*,
        CASE WHEN first_response_at IS NOT NULL AND u_fin < 75
                 THEN first_response_at + to_hours(CAST(hash(i, 'df') % 600 AS BIGINT))
             WHEN first_response_at IS NULL AND u_fin < 3
                 THEN reported_at + to_hours(CAST(24 + hash(i, 'dx') % 200 AS BIGINT)) END AS resolved_at
    FROM timed3 AS t
)
SELECT
    source_system || ':' || CAST(i AS VARCHAR)                         AS complaint_key,
    source_system,
    CAST(i AS VARCHAR)                                                 AS source_id,
    source_system                                                      AS profile,
    source_system = 'lapor'                                            AS has_verification_step,
    reported_at,
    verified_at,
    dispatched_at,
    first_response_at,
    resolved_at,
    CASE WHEN u_st < 5 THEN reported_at + INTERVAL 2 DAY END          AS archived_at,
    CASE
        WHEN u_st < 5 THEN 'archived'
        WHEN u_st < 7 THEN 'not_authority'
        WHEN resolved_at IS NOT NULL THEN 'resolved'
        WHEN first_response_at IS NOT NULL THEN 'in_progress'
        WHEN verified_at IS NOT NULL OR source_system <> 'lapor' THEN 'awaiting_response'
        ELSE 'unverified'
    END                                                                AS status,
    NULL                                                               AS status_label,
    p.classifications[1 + CAST(hash(i, 'cl') % len(p.classifications) AS INTEGER)] AS classification,
    p.categories[1 + CAST(hash(i, 'cat') % len(p.categories) AS INTEGER)]            AS category,
    CASE
        WHEN source_system = 'lapor'
            THEN p.lapor_channels[1 + CAST(hash(i, 'ch') % len(p.lapor_channels) AS INTEGER)]
        WHEN source_system = 'rekap'
            THEN p.local_channels[1 + CAST(hash(i, 'ch') % len(p.local_channels) AS INTEGER)]
        ELSE 'Open311'
    END                                                                AS channel,
    CASE WHEN hash(i, 'nd') % 100 < 4 THEN NULL
         ELSE p.departments[1 + CAST(hash(i, 'dep') % len(p.departments) AS INTEGER)] END AS department,
    NULL                                                               AS department_raw,
    CASE WHEN source_system = 'open311' THEN NULL
         ELSE p.wilayah[1 + CAST(hash(i, 'wil') % len(p.wilayah) AS INTEGER)][1] END  AS kecamatan,
    CASE WHEN source_system = 'open311' THEN NULL
         ELSE p.wilayah[1 + CAST(hash(i, 'wil') % len(p.wilayah) AS INTEGER)][2] END  AS kelurahan,
    'Laporan ' || CAST(i AS VARCHAR)                                   AS title,
    'Isi laporan yang dibuat untuk uji kinerja'                        AS body,
    NULL                                                               AS location,
    false                                                              AS is_anonymous,
    false                                                              AS is_confidential,
    false                                                              AS berkadar_pengawasan,
    CASE WHEN hash(i, 'rh') % 100 < 80 THEN 'r' || CAST(hash(i, 'who') % 400000 AS VARCHAR) END AS reporter_hash,
    CASE WHEN resolved_at IS NOT NULL AND hash(i, 'sat') % 100 < 30
         THEN CAST(1 + hash(i, 'sv') % 5 AS INTEGER) END              AS satisfaction,
    CASE WHEN hash(i, 'dup') % 100 < 2 THEN 'cluster-' || CAST(i // 2 AS VARCHAR) END AS duplicate_cluster,
    hash(i, 'dup') % 100 < 2 AND i % 2 = 1                             AS is_duplicate,
    'bench'                                                            AS first_snapshot_id,
    'bench'                                                            AS last_snapshot_id,
    DATE '2025-12-31'                                                  AS snapshot_date,
    'bench.csv'                                                        AS source_file,
    CAST(i % 1000000 AS INTEGER) + 2                                   AS source_row
FROM timed4
CROSS JOIN pools AS p
"""


def generate_warehouse(path: Path, rows: int = 1_000_000, md: MasterData | None = None) -> float:
    """Write a warehouse with ``rows`` generated complaints (2021-2025) to ``path``; returns seconds."""
    t0 = time.perf_counter()
    md = md or load_master_data()
    path.unlink(missing_ok=True)
    con = duckdb.connect(str(path))
    try:
        create_schema(con)
        load_master_tables(con, md)
        build_calendar(
            con, md, dt.date(2020, 1, 1), dt.date(2026, 12, 31),
            cuti_bersama_is_day_off=md.calendar.cuti_bersama_is_day_off,
        )
        con.execute(_GENERATE_SQL, {"rows": rows})
        con.execute(
            """
            INSERT INTO snapshot
            SELECT 'bench', CAST(max(ts) AS DATE), max(ts), 'bench', ?, now()::TIMESTAMP, 'bench', count(*), 1
            FROM (SELECT greatest(reported_at, coalesce(resolved_at, reported_at),
                                  coalesce(first_response_at, reported_at)) AS ts FROM complaints)
            """,
            [md.config_hash()],
        )
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return time.perf_counter() - t0


def time_compute(
    path: Path, date_from: dt.date, date_to: dt.date, repeat: int = 5, filters: dict | None = None
) -> dict:
    """Cold (first) and warm (median of ``repeat``) seconds of the full compute JSON, read-only."""

    con = duckdb.connect(str(path), read_only=True)
    try:
        t0 = time.perf_counter()
        out = compute(con, date_from, date_to, filters=filters)
        json.dumps(out)
        cold = time.perf_counter() - t0
        warm = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            out = compute(con, date_from, date_to, filters=filters)
            json.dumps(out)
            warm.append(time.perf_counter() - t0)
        complaints = con.execute("SELECT count(*) FROM complaints").fetchone()[0]
    finally:
        con.close()
    return {
        "complaints": complaints,
        "period": f"{date_from}..{date_to}",
        "filters": filters or {},
        "received": out["received"],
        "cold_s": round(cold, 3),
        "warm_median_s": round(statistics.median(warm), 3),
        "warm_max_s": round(max(warm), 3),
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--path", type=Path, default=Path("/tmp/monev-kpi-bench.duckdb"))
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--reuse", action="store_true", help="time an existing warehouse at --path")
    args = ap.parse_args(argv)
    if not (args.reuse and args.path.exists()):
        secs = generate_warehouse(args.path, args.rows)
        print(json.dumps({"generated": args.rows, "build_s": round(secs, 2), "path": str(args.path)}))
    for d_from, d_to in ((dt.date(2024, 1, 1), dt.date(2024, 12, 31)), (dt.date(2021, 1, 1), dt.date(2025, 12, 31))):
        print(json.dumps(time_compute(args.path, d_from, d_to, args.repeat)))
    print(json.dumps(time_compute(args.path, dt.date(2024, 1, 1), dt.date(2024, 12, 31), args.repeat,
                                  {"department": "Dinas Perhubungan"})))


if __name__ == "__main__":
    main()
