"""Build small warehouses from hand-written complaints (a test helper: tests import it as ``warehouse_factory``).

    con = make_warehouse([
        {"source_id": "a", "reported_at": "2024-07-08 09:00", "verified_at": "2024-07-08 10:00",
         "status": "resolved", "department": "Dinas Perhubungan"},
    ])

Every column of ``complaints`` not given gets a neutral default, so a test states
only what its rule is about. The warehouse carries master data and the
working-day calendar like a real build.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import duckdb

from pipelines.calendar import build_calendar  # the KPI engine's calendar
from pipelines.masterdata import MasterData, load_master_data
from pipelines.warehouse import create_schema, load_master_tables

_TS_COLS = ("reported_at", "verified_at", "dispatched_at", "first_response_at", "resolved_at", "archived_at")

COMPLAINT_DEFAULTS: dict[str, Any] = {
    "source_system": "lapor",
    "profile": "lapor",
    "has_verification_step": True,
    "verified_at": None,
    "dispatched_at": None,
    "first_response_at": None,
    "resolved_at": None,
    "archived_at": None,
    "status": "unverified",
    "status_label": None,
    "classification": "Pengaduan",
    "category": "Perhubungan",
    "channel": "SP4N-LAPOR! Website",
    "department": "Dinas Perhubungan",
    "department_raw": None,
    "source_department_id": None,
    "parent_agency": None,
    "source_category_id": None,
    "province": None,
    "regency": None,
    "status_reason": None,
    "kecamatan": "Sukorejo",
    "kelurahan": "Sukorejo",
    "title": "Laporan uji",
    "body": "Isi laporan uji",
    "location": None,
    "is_anonymous": False,
    "is_confidential": False,
    "berkadar_pengawasan": False,
    "reporter_hash": None,
    "satisfaction": None,
    "duplicate_cluster": None,
    "is_duplicate": False,
    "first_snapshot_id": "test",
    "last_snapshot_id": "test",
    "snapshot_date": None,
    "source_file": "test.csv",
    "source_row": None,
    "times_verification": True,
    "times_response": True,
    "times_resolution": True,
    "status_implies": None,
}


def _ts(v: Any) -> dt.datetime | None:
    if v is None or isinstance(v, dt.datetime):
        return v
    if isinstance(v, dt.date):
        return dt.datetime(v.year, v.month, v.day)
    s = str(v)
    return dt.datetime.fromisoformat(s if len(s) > 10 else s + " 00:00")


def complaint_row(row: Mapping[str, Any], index: int = 0) -> dict[str, Any]:
    """A full ``complaints`` row from a partial one."""
    out = {**COMPLAINT_DEFAULTS, **row}
    out.setdefault("source_id", f"T{index + 1:05d}")
    for c in _TS_COLS:
        if c in out:
            out[c] = _ts(out[c])
    if out.get("reported_at") is None:
        raise ValueError(f"complaint {out['source_id']}: reported_at is required")
    out["complaint_key"] = f"{out['source_system']}:{out['source_id']}"
    if out["source_row"] is None:
        out["source_row"] = index + 2
    if out["snapshot_date"] is None:
        latest = max(t for t in (out[c] for c in _TS_COLS) if t is not None)
        out["snapshot_date"] = latest.date()
    return out


def insert_complaints(con: duckdb.DuckDBPyConnection, rows: Iterable[Mapping[str, Any]]) -> int:
    """Insert partial complaint rows (see COMPLAINT_DEFAULTS); returns how many."""
    cols = [r[0] for r in con.execute("DESCRIBE complaints").fetchall()]
    full = [complaint_row(r, i) for i, r in enumerate(rows)]
    if full:
        placeholders = ", ".join("?" for _ in cols)
        con.executemany(
            f"INSERT INTO complaints ({', '.join(cols)}) VALUES ({placeholders})",  # noqa: S608 - column names from DESCRIBE
            [[r[c] for c in cols] for r in full],
        )
    return len(full)


def make_warehouse(
    rows: Iterable[Mapping[str, Any]] = (),
    *,
    path: str | Path | None = None,
    md: MasterData | None = None,
    cuti_bersama_is_day_off: bool | None = None,
    calendar_years: tuple[int, int] = (2023, 2027),
    as_of: dt.datetime | dt.date | str | None = None,
) -> duckdb.DuckDBPyConnection:
    """A warehouse (in memory, or at ``path``) with master data, calendar, the rows,
    and a ``snapshot`` row whose as-of is ``as_of`` (default: latest timestamp in the rows)."""


    md = md or load_master_data()
    con = duckdb.connect(str(path) if path else ":memory:")
    create_schema(con)
    load_master_tables(con, md)
    off = md.calendar.cuti_bersama_is_day_off if cuti_bersama_is_day_off is None else cuti_bersama_is_day_off
    if cuti_bersama_is_day_off is not None:
        con.execute("UPDATE settings SET value = ? WHERE key = 'cuti_bersama_is_day_off'", [str(off).lower()])
    build_calendar(con, md, dt.date(calendar_years[0], 1, 1), dt.date(calendar_years[1], 12, 31), cuti_bersama_is_day_off=off)
    n = insert_complaints(con, rows)
    latest = con.execute(
        "SELECT max(greatest(reported_at, coalesce(verified_at, reported_at), coalesce(dispatched_at, reported_at),"
        " coalesce(first_response_at, reported_at), coalesce(resolved_at, reported_at),"
        " coalesce(archived_at, reported_at))) FROM complaints"
    ).fetchone()[0]
    as_of_ts = _ts(as_of) if as_of is not None else latest
    if as_of_ts is not None:
        if as_of is not None and not isinstance(as_of, dt.datetime) and len(str(as_of)) <= 10:
            as_of_ts = as_of_ts.replace(hour=23, minute=59, second=59)
        con.execute(
            "INSERT INTO snapshot VALUES ('test-snapshot', ?, ?, 'test', ?, now()::TIMESTAMP, 'test', ?, 0)",
            [as_of_ts.date(), as_of_ts, md.config_hash(), n],
        )
    return con
