"""Worklists (daftar kerja): per OPD the complaints overdue, due soon, awaiting a first response and
reopened, taken from the KPI engine's list functions (``pipelines.kpi``); this module only picks the
columns a worklist shows and splits the city's rows by OPD. No KPI is computed here.

A worklist row carries only what the source itself uses to name a complaint (its id), dates, ages,
category, kelurahan and status: never a title, body or anything about the reporter.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import duckdb
import polars as pl

from pipelines import kpi
from pipelines.kpi.engine import read_settings

ALL_ROWS = 1_000_000
UNASSIGNED = "(belum ada OPD)"  # the engine's lists are paged; a worklist takes every row

# the columns a worklist row may carry (never title/body/reporter data)
ROW_COLUMNS = (
    "complaint_key", "source_id", "department", "category", "kelurahan", "status_label", "reported_date",
    "age_days", "limit_days", "due_date", "step_label", "reopened_on",
)


@dataclass(frozen=True)
class Section:
    key: str
    title: str  # heading in messages and on screen
    short: str  # for counts ("lewat batas")
    explain: str  # one sentence: what the list holds


def sections(due_days: int) -> tuple[Section, ...]:
    """The four lists, in the order a worklist shows them (texts state the settings they use)."""
    return (
        Section("overdue", "Lewat batas waktu penyelesaian", "lewat batas",
                "Pengaduan terbuka yang umurnya (hari kerja sejak dilaporkan) sudah melewati batas penyelesaiannya, "
                "tertua dulu."),
        Section("due_soon", f"Jatuh tempo dalam {due_days} hari kerja", "segera jatuh tempo",
                f"Pengaduan terbuka yang belum terlambat, tetapi batas langkah berikutnya (tanggapan, kalau sudah "
                f"ditanggapi penyelesaian) jatuh dalam {due_days} hari kerja sesudah tanggal data."),
        Section("awaiting", "Menunggu tanggapan pertama", "menunggu tanggapan",
                "Pengaduan yang sudah diteruskan ke OPD (status Belum Ditindaklanjuti) dan belum mendapat tindak "
                "lanjut pertama, tertua dulu."),
        Section("reopened", "Dibuka kembali", "dibuka kembali",
                "Pengaduan yang pernah berstatus selesai lalu dibuka lagi (riwayat status antarekspor) dan belum "
                "selesai lagi, yang terakhir dibuka dulu."),
    )


def _date_col(df: pl.DataFrame, name: str) -> pl.Expr:
    if name not in df.columns:
        return pl.lit(None, dtype=pl.Date)
    return pl.col(name).cast(pl.Date) if df.schema[name] != pl.Date else pl.col(name)


def _project(df: pl.DataFrame, *, due: str | None, limit: str | None, step: str | None = None,
             reopened: str | None = None) -> pl.DataFrame:
    """The worklist columns of an engine list (missing ones as nulls)."""
    def col(name: str | None, dtype: Any) -> pl.Expr:
        return pl.col(name).cast(dtype) if name and name in df.columns else pl.lit(None, dtype=dtype)

    return df.select(
        col("complaint_key", pl.String), col("source_id", pl.String), col("department", pl.String),
        col("category", pl.String), col("kelurahan", pl.String),
        (col("status_label", pl.String) if "status_label" in df.columns else col("status", pl.String))
        .alias("status_label"),
        _date_col(df, "reported_at").alias("reported_date"), col("age_days", pl.Int64).alias("age_days"),
        col(limit, pl.Int64).alias("limit_days"), (_date_col(df, due) if due else pl.lit(None, pl.Date)).alias("due_date"),
        col(step, pl.String).alias("step_label"),
        (_date_col(df, reopened) if reopened else pl.lit(None, pl.Date)).alias("reopened_on"),
    )


def _fetch(con: duckdb.DuckDBPyConnection, key: str, as_of: dt.date, filters: dict | None) -> pl.DataFrame | None:
    """One list from the engine, or None when this engine has no such list yet."""
    if key == "overdue":
        df = kpi.overdue_list(con, as_of=as_of, filters=filters, limit=ALL_ROWS)
        return _project(df, due="resolution_due_date", limit="resolution_limit")
    if key == "awaiting":
        df = kpi.complaint_list(con, as_of=as_of, filters=filters, status="awaiting_response", limit=ALL_ROWS)
        return _project(df, due=None, limit="response_limit").sort(
            ["age_days", "reported_date", "complaint_key"], descending=[True, False, False], nulls_last=True)
    if key == "due_soon":
        fn = getattr(kpi, "due_soon_list", None)
        if fn is None:
            return None
        df = fn(con, as_of=as_of, filters=filters, limit=ALL_ROWS)
        return _project(df, due="next_step_due_date", limit=None, step="next_step_label")
    if key == "reopened":
        fn = getattr(kpi, "reopened_list", None)
        if fn is None:
            return None
        df = fn(con, as_of=as_of, filters=filters, limit=ALL_ROWS)
        if "is_open" in df.columns:  # work to do: reopened and not resolved again
            df = df.filter(pl.col("is_open"))
        return _project(df, due=None, limit=None, reopened="reopened_on")
    raise KeyError(key)


def due_soon_days(con: duckdb.DuckDBPyConnection, as_of: dt.date) -> int:
    """The ``due_soon`` horizon in working days (the KPI settings; kpi-spec.md default 2)."""

    return int(read_settings(con, as_of).get("due_soon_days") or 2)


@dataclass
class Worklist:
    """The four lists at ``as_of`` for the city (``department`` None) or one OPD."""

    as_of: dt.date
    due_days: int
    department: str | None
    frames: dict[str, pl.DataFrame]
    missing: tuple[str, ...] = ()  # lists the KPI engine does not offer yet
    departments: tuple[str, ...] = field(default_factory=tuple)  # master data order (city worklists)

    @property
    def sections(self) -> tuple[Section, ...]:
        return tuple(s for s in sections(self.due_days) if s.key in self.frames)

    def count(self, key: str) -> int:
        f = self.frames.get(key)
        return 0 if f is None else f.height

    @property
    def has_work(self) -> bool:
        return any(f.height for f in self.frames.values())

    def ids(self, key: str) -> list[str]:
        f = self.frames.get(key)
        return [] if f is None else f["source_id"].to_list()

    def unassigned(self) -> Worklist:
        """The complaints of a city worklist that no OPD has yet (the koordinator's to dispatch)."""
        frames = {k: f.filter(pl.col("department").is_null()) for k, f in self.frames.items()}
        return Worklist(self.as_of, self.due_days, None, frames, self.missing, ())

    def for_department(self, department: str) -> Worklist:
        frames = {k: f.filter(pl.col("department") == department) for k, f in self.frames.items()}
        return Worklist(self.as_of, self.due_days, department, frames, self.missing, (department,))

    def counts_by_department(self) -> pl.DataFrame:
        """Per OPD with work the length of each list, most overdue first; complaints not yet given to an
        OPD last, as "(belum ada OPD)"."""
        rows = []
        for d in (*self.departments, None):
            own = self.for_department(d) if d else self.unassigned()
            counts = {s.key: own.count(s.key) for s in self.sections}
            if any(counts.values()):
                rows.append({"department": d or UNASSIGNED, **counts})
        schema = {"department": pl.String, **{s.key: pl.Int64 for s in self.sections}}
        keys = [s.key for s in self.sections]
        rows.sort(key=lambda r: (r["department"] == UNASSIGNED, *(-r[k] for k in keys), r["department"]))
        return pl.DataFrame(rows, schema=schema)


def build_worklist(con: duckdb.DuckDBPyConnection, *, as_of: dt.date | None = None,
                   department: str | None = None) -> Worklist:
    """The worklist of one OPD (canonical name) or, with ``department`` None, of the whole city."""
    a = kpi.resolve_as_of(con, as_of)
    filters = {"department": [department]} if department else None
    frames, missing = {}, []
    for s in sections(2):
        df = _fetch(con, s.key, a, filters)
        if df is None:
            missing.append(s.key)
        else:
            frames[s.key] = df
    deps = tuple(r[0] for r in con.execute("SELECT department FROM departments ORDER BY department").fetchall())
    return Worklist(a, due_soon_days(con, a), department, frames, tuple(missing),
                    (department,) if department else deps)


def year_window(as_of: dt.date) -> tuple[dt.date, dt.date]:
    """The executive snapshot's period: the year of the as-of date, up to the as-of date."""
    return dt.date(as_of.year, 1, 1), as_of


@dataclass(frozen=True)
class ExecutiveSnapshot:
    """The one page for pimpinan: the Ringkasan numbers of the year so far and the five OPD with the
    most overdue complaints (both straight from ``kpi.compute``)."""

    as_of: dt.date
    date_from: dt.date
    date_to: dt.date
    label: str
    numbers: dict[str, Any]
    top_overdue: list[dict[str, Any]]


SNAPSHOT_KEYS = (
    "received", "in_scope", "responded", "resolved", "response_rate", "on_time_response_rate", "resolution_rate",
    "on_time_resolution_rate", "resolution_days_median", "backlog_open", "backlog_overdue",
)


def executive_snapshot(con: duckdb.DuckDBPyConnection, as_of: dt.date | None = None, top: int = 5
                       ) -> ExecutiveSnapshot:
    a = kpi.resolve_as_of(con, as_of)
    d_from, d_to = year_window(a)
    out = kpi.compute(con, d_from, d_to, as_of=a)
    deps = [r for r in out["by_department"] if r["backlog_overdue"] > 0]
    deps.sort(key=lambda r: (-r["backlog_overdue"], -r["backlog_open"], r["department"]))
    top_rows = [{"department": r["department"], "backlog_overdue": r["backlog_overdue"],
                 "backlog_open": r["backlog_open"]} for r in deps[:top]]
    return ExecutiveSnapshot(a, d_from, d_to, out["period"]["label"], {k: out.get(k) for k in SNAPSHOT_KEYS},
                             top_rows)
