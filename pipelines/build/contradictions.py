"""Build step: contradictions between exports are quarantined, never merged (kpi-spec.md: "`end` before
`start` is a data error ... this includes two exports whose merged timestamps contradict each other").

Runs on ``stg_rows`` (the rows that passed the row rules) before ``build_merge.sql``:

1. **Same export date, different content** (``same_date_conflict``): two files with the same export date
   say different things about one complaint (another status, or another date in one step). Neither can
   win, so both rows are held (with the complaint's other rows), the reason naming both files, rows and
   columns.
2. **Reversed after merging** (``merged_date_conflict``): merging the snapshots as the merge does (each
   step's latest non-empty date; a closing date from before an export that reopened the complaint no
   longer holds) gives a step before the one it follows, e.g. verification 3 days before
   the report, or a first response before the dispatch, with the two dates from different exports.
   Every row of that complaint is held with a reason naming both exports, rows and columns, so the
   complaint counts in no figure until a corrected export arrives.

The held rows are added to ``q_issues`` (and so to ``quarantine``) and removed from ``stg_rows``.
"""

from __future__ import annotations

import duckdb
import polars as pl

from pipelines.ingest.profiles import FIELD_LABELS, TIMESTAMP_FIELDS
from pipelines.validate.suites import ORDER_PAIRS

_DAY = "strftime({}, '%d/%m/%Y')"


def _label(expr: str) -> str:
    cases = " ".join(f"WHEN '{f}' THEN '{FIELD_LABELS[f]}'" for f in (*TIMESTAMP_FIELDS, "status"))
    return f"(CASE {expr} {cases} ELSE {expr} END)"


def _where(p: str) -> str:
    """'<file>, baris <n>, kolom <column>' of one side (p = a | b) of a pair."""
    return (f"{p}_file || coalesce(', lembar ' || {p}_sheet, '') || ', baris ' || {p}_row::VARCHAR"
            f" || ', kolom ' || coalesce({p}_col, {_label(p + '_field')})")


_LONG = """
CREATE OR REPLACE TEMP TABLE x_long AS
SELECT complaint_key, source_id, file_hash, file_name, file_order, snapshot_date, sheet, source_row,
       field, strftime(value::DATE, '%d/%m/%Y') AS shown, value::DATE AS day,
       row_seq,
       row_number() OVER (PARTITION BY complaint_key ORDER BY file_order, sheet NULLS FIRST, source_row) AS seq
FROM (UNPIVOT (SELECT complaint_key, source_id, file_hash, file_name, file_order, snapshot_date, sheet, source_row,
                      row_number() OVER (PARTITION BY complaint_key ORDER BY file_order, sheet NULLS FIRST, source_row)
                        AS row_seq,
                      {ts} FROM stg_rows)
      ON {ts_cols} INTO NAME field VALUE value)
"""


# The last export that reopened each complaint (an open status in an export whose profile dates
# resolution): closing dates before it no longer hold, as in build_merge.sql.
_REOPENED = """
SELECT complaint_key, max(row_seq) AS reopened_seq
FROM (SELECT complaint_key, status, times_resolution,
             row_number() OVER (PARTITION BY complaint_key ORDER BY file_order, sheet NULLS FIRST, source_row) AS row_seq
      FROM stg_rows)
WHERE times_resolution AND status <> 'resolved' AND status IN (SELECT status FROM statuses WHERE NOT is_excluded)
GROUP BY complaint_key
"""


def _pairs_sql() -> str:
    """Candidate contradictions as (complaint, side a, side b, rule): same-date disagreements and
    reversed merged steps."""
    ts = ", ".join(TIMESTAMP_FIELDS)
    order = " UNION ALL ".join(f"SELECT '{a}' AS later, '{b}' AS earlier, {i} AS k" for i, (a, b) in
                               enumerate(ORDER_PAIRS))
    side = ("{p}.file_hash AS {p}_hash, {p}.file_name AS {p}_file, {p}.sheet AS {p}_sheet, {p}.source_row AS {p}_row, "
            "{p}.field AS {p}_field, {p}.shown AS {p}_shown")
    return f"""
    WITH st AS (
        SELECT complaint_key, source_id, file_hash, file_name, file_order, snapshot_date, sheet, source_row,
               'status' AS field, status_label AS shown, status AS canon FROM stg_rows
    ),
    same_ts AS (
        SELECT a.complaint_key, a.source_id, 'same_date_conflict' AS rule, 0 AS k, {side.format(p='a')}, {side.format(p='b')}
        FROM x_long a JOIN x_long b ON a.complaint_key = b.complaint_key AND a.field = b.field
             AND a.snapshot_date = b.snapshot_date AND a.file_hash < b.file_hash AND a.day <> b.day
    ),
    same_st AS (
        SELECT a.complaint_key, a.source_id, 'same_date_conflict' AS rule, -1 AS k, {side.format(p='a')}, {side.format(p='b')}
        FROM st a JOIN st b ON a.complaint_key = b.complaint_key AND a.snapshot_date = b.snapshot_date
             AND a.file_hash < b.file_hash AND a.canon IS DISTINCT FROM b.canon
    ),
    merged_seq AS (
        SELECT complaint_key, field, max(seq) AS seq
        FROM x_long LEFT JOIN ({_REOPENED}) AS ro USING (complaint_key)
        WHERE field <> 'resolved_at' OR row_seq >= coalesce(ro.reopened_seq, 0)
        GROUP BY ALL
    ),
    merged AS (  -- the row of the latest export per step (seq is unique per complaint): arg_max without
                 -- holding every row in the aggregate, which does not fit the build's memory_limit at 1M
        SELECT x.complaint_key, x.field, x AS m
        FROM merged_seq s JOIN x_long x ON x.complaint_key = s.complaint_key AND x.field = s.field AND x.seq = s.seq
    ),
    rev AS (
        SELECT a.complaint_key, a.m.source_id AS source_id, 'merged_date_conflict' AS rule, o.k,
               {side.replace('{p}.', '{p}.m.').format(p='a')}, {side.replace('{p}.', '{p}.m.').format(p='b')}
        FROM ({order}) o
        JOIN merged a ON a.field = o.later
        JOIN merged b ON b.complaint_key = a.complaint_key AND b.field = o.earlier
        WHERE a.m.day < b.m.day
    )
    SELECT * FROM same_st UNION ALL SELECT * FROM same_ts UNION ALL SELECT * FROM rev
    """.replace("{ts}", ts)  # noqa: S608 - built from the module's constants only


def _message_sql() -> str:
    same = (f"'ekspor ' || {_where('a')} || ' (' || coalesce(a_shown, 'kosong') || ') dan ekspor ' || {_where('b')}"
            f" || ' (' || coalesce(b_shown, 'kosong') || ') bertanggal ekspor sama tetapi berbeda isi. Tidak ada yang "
            "dapat dipilih, jadi keduanya ditahan: perbaiki salah satu ekspor di sumbernya (atau hapus yang keliru dari "
            "folder raw), lalu jalankan monev run lagi'")
    rev = (f"'setelah ekspor digabung, ' || {_label('a_field')} || ' ' || a_shown || ' (' || {_where('a')} || ') lebih "
           f"awal dari ' || {_label('b_field')} || ' ' || b_shown || ' (' || {_where('b')} || '). Tanggal dari dua ekspor "
           "itu saling bertentangan, jadi semua baris pengaduan ini ditahan dan tidak dihitung dalam angka mana pun: "
           "periksa kedua tanggal di sumbernya, lalu letakkan ekspor yang sudah diperbaiki di folder raw'")
    return f"CASE rule WHEN 'same_date_conflict' THEN {same} ELSE {rev} END"


def quarantine_contradictions(con: duckdb.DuckDBPyConnection, colnames: pl.DataFrame) -> int:
    """Hold every row involved in a contradiction between exports (see the module doc); returns how many
    complaints were held."""
    ts = ", ".join(TIMESTAMP_FIELDS)
    con.execute(_LONG.format(ts=ts, ts_cols=ts))
    con.register("x_cn", colnames)
    cn = "LEFT JOIN x_cn c{p} ON c{p}.file_hash = x.{p}_hash AND c{p}.field = x.{p}_field"
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE x_found AS
        SELECT x.*, ca.column_name AS a_col, cb.column_name AS b_col
        FROM ({_pairs_sql()}) x {cn.format(p='a')} {cn.format(p='b')}
        QUALIFY row_number() OVER (PARTITION BY x.complaint_key ORDER BY x.rule DESC, x.k, x.a_row, x.b_row) = 1
    """)  # noqa: S608 - constants only
    n = con.execute("SELECT count(*) FROM x_found").fetchone()[0]
    if n:
        _hold(con)
    con.unregister("x_cn")
    con.execute("DROP TABLE IF EXISTS x_long")
    return int(n)


def _hold(con: duckdb.DuckDBPyConnection) -> None:
    """Every row of each complaint found, into q_issues (out of stg_rows)."""
    con.execute(f"""
        INSERT INTO q_issues BY NAME
        SELECT s.file_hash, s.file_name, s.sheet, s.source_row, s.complaint_key, s.source_id,
               CASE WHEN s.file_hash = f.a_hash THEN f.a_field ELSE f.b_field END AS field,
               coalesce(CASE WHEN s.file_hash = f.a_hash THEN f.a_col ELSE f.b_col END,
                        {_label("CASE WHEN s.file_hash = f.a_hash THEN f.a_field ELSE f.b_field END")}) AS column_name,
               f.rule, 'blocking' AS severity,
               coalesce(CASE WHEN s.file_hash = f.a_hash THEN f.a_shown ELSE f.b_shown END, '') AS observed,
               'Berkas ' || s.file_name || coalesce(', lembar ' || s.sheet, '') || ', baris ' || s.source_row::VARCHAR
                 || ' (laporan ' || coalesce(s.source_id, '-') || '): ' || ({_message_sql()}) || '.' AS message,
               s.file_order
        FROM stg_rows s JOIN x_found f USING (complaint_key)
    """)  # noqa: S608 - constants only
    # Every row of the complaint: the other snapshots cannot be merged without the contradicting ones.
    con.execute("DELETE FROM stg_rows WHERE complaint_key IN (SELECT complaint_key FROM x_found)")


def contradictions_step(ctx) -> None:
    """Build step (after quarantine, before merge_snapshots)."""
    quarantine_contradictions(ctx.con, ctx.column_names)
