"""The dashboard's one data-access module: every number a page shows comes through here,
from the KPI and rating APIs (``pipelines.kpi``, ``pipelines.rating``), never computed by a page.

- The published warehouse is opened read-only once per process (``st.cache_resource``) through a
  ``WarehouseHandle`` that notices a newly published snapshot (the file's inode/mtime/size, one
  ``os.stat`` per call) and reopens: the build replaces the file atomically, so until then every
  session keeps reading the previous snapshot, and a failed build changes nothing.
- Results are cached per snapshot (``st.cache_data`` with ttl and max_entries), keyed by the
  snapshot token, the window and the canonical filters.
- Every function takes the viewer's ``Scope`` and applies it in the query: an ``opd`` viewer's
  lists and breakdowns are pinned to its department, city-level aggregates stay city-level, and a
  capability the role lacks raises ``ScopeError``.
- On a province installation (docs/province.md) a ``Snapshot`` knows its pemda (``Snapshot.pemda``)
  and every function that reads it first calls ``scope.check_pemda(snap.pemda)``: a pemda's viewer
  handed another pemda's snapshot (by URL, filter or download) gets ``ScopeError``. ``paths()`` is the
  pemda being viewed (``activate``), ``root_paths()`` the installation (accounts, audit log).

DuckDB shares one database instance per file path inside a process, so a second connection to
the same path would still see the old snapshot while any connection to it is open. That is why
only the handle opens the warehouse in the dashboard process: never call ``open_readonly`` (or an
API that opens the warehouse by path) from a page.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import streamlit as st

from dashboard.filters import Filters, Window
from pipelines.auth.scope import Scope, ScopeError
from pipelines.settings import Paths

ENV_DEMO = "MONEV_DASHBOARD_DEMO"
TTL = 600  # seconds; results are also keyed by the snapshot, so a new snapshot never shows stale numbers
MAX_ENTRIES = 64
LIST_LIMIT = 500  # rows per complaint list page


# ---------------------------------------------------------------- settings


def root_paths() -> Paths:
    """The installation's data and config directories (``monev serve`` passes them as MONEV_DATA_DIR /
    MONEV_CONFIG_DIR): on a province installation the province folder (accounts, sessions, audit log)."""
    return Paths.from_args()


ACTIVE_KEY = "app.pemda"  # session state: the code of the pemda being viewed (set by ``activate`` only)


def _province_token(p: Path) -> str | None:
    return file_token(p)


@st.cache_resource(ttl=TTL, max_entries=4, show_spinner=False)
def _province(data_dir: str, config_dir: str, token: str):
    from pipelines.province import load_province

    return load_province(Paths(Path(data_dir), Path(config_dir)))


def province():
    """The ``Province`` of a province installation (``provinsi.yaml``), or None for a single city."""
    from pipelines.province import province_file

    root = root_paths()
    token = _province_token(province_file(root.data_dir))
    if token is None:
        return None
    return _province(str(root.data_dir), str(root.config_dir), token)


def active_pemda() -> str | None:
    """The code of the pemda this session is viewing (None: a single city, or the province pages)."""
    if province() is None:
        return None
    try:
        kode = st.session_state.get(ACTIVE_KEY)
    except Exception:  # noqa: BLE001 - outside a script run
        return None
    return kode if isinstance(kode, str) else None


def paths() -> Paths:
    """The data and config directories of what is viewed: the installation of a single city, on a province
    installation the active pemda's (``activate``), else the province folder."""
    kode = active_pemda()
    prov = province() if kode else None
    return prov.get(kode).paths if prov is not None else root_paths()


def pemda_paths(scope: Scope, kode: object) -> Paths:
    """The Paths of pemda ``kode`` of the province installation, if this viewer may open it (ScopeError
    first, before the code is even looked up; ProvinceError for a code the province does not hold)."""
    from pipelines.province import ProvinceError

    scope.check_pemda(kode)
    prov = province()
    if prov is None:
        raise ProvinceError("Parameter pemda hanya berlaku pada instalasi provinsi; dasbor ini untuk satu pemda.")
    return prov.get(kode).paths


def activate(scope: Scope, kode: object | None) -> str | None:
    """Make pemda ``kode`` the one this session views (None: the province pages), scope checked first;
    returns the normalised code."""
    if kode is None:
        st.session_state.pop(ACTIVE_KEY, None)
        return None
    pemda_paths(scope, kode)
    from pipelines.province import normalize_kode

    st.session_state[ACTIVE_KEY] = normalize_kode(kode)
    return st.session_state[ACTIVE_KEY]


def _pemda_of(path: str) -> str | None:
    """The code of the pemda whose warehouse is ``path`` (None on a single-city installation)."""
    prov = province()
    if prov is None:
        return None
    for p in prov.pemda:
        if str(p.paths.warehouse) == path:
            return p.kode
    return "?"  # a warehouse of no pemda of the province: check_pemda refuses every pemda viewer


def _config_of(path: str) -> Path:
    """The configuration folder of the warehouse at ``path`` (its pemda's on a province installation)."""
    prov = province()
    if prov is not None:
        for p in prov.pemda:
            if str(p.paths.warehouse) == path:
                return p.paths.config_dir
    return paths().config_dir


def demo_mode() -> bool:
    return os.environ.get(ENV_DEMO, "").strip().lower() in ("1", "true", "ya", "yes")


# ---------------------------------------------------------------- the warehouse handle


def file_token(path: Path) -> str | None:
    """Identity of the published file: changes whenever a new snapshot is published."""
    try:
        s = os.stat(path)
    except FileNotFoundError:
        return None
    return f"{s.st_ino}-{s.st_mtime_ns}-{s.st_size}"


class WarehouseHandle:
    """One read-only connection to the published warehouse, shared by every session and swapped for
    a new one when a new snapshot is published. Each use gets its own cursor; the swap waits until
    the queries running on the old connection have finished."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._cond = threading.Condition()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._token: str | None = None
        self._users = 0

    @property
    def token(self) -> str | None:
        return self._token

    def _swap(self, token: str) -> None:
        # wait (bounded) for the queries on the old connection, then close it: DuckDB would otherwise
        # hand the new connection the old, cached database instance of this path
        waited = 0.0
        while self._users and waited < 60:
            self._cond.wait(timeout=0.5)
            waited += 0.5
        if self._con is not None:
            with suppress(duckdb.Error):
                self._con.close()
            self._con = None
        self._con = duckdb.connect(str(self.path), read_only=True)
        self._token = token

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor on the current snapshot (reopening first if a new one was published)."""
        token = file_token(self.path)
        if token is None:
            from pipelines.warehouse import WarehouseMissing

            raise WarehouseMissing(f"Belum ada gudang data di {self.path}.")
        with self._cond:
            if token != self._token or self._con is None:
                self._swap(token)
            self._users += 1
            cur = self._con.cursor()
        try:
            yield cur
        finally:
            with suppress(duckdb.Error):
                cur.close()
            with self._cond:
                self._users -= 1
                self._cond.notify_all()

    def close(self) -> None:
        with self._cond:
            if self._con is not None:
                self._con.close()
                self._con = None
                self._token = None


@st.cache_resource(show_spinner=False)
def _handle(path: str) -> WarehouseHandle:
    return WarehouseHandle(Path(path))


def handle() -> WarehouseHandle:
    return _handle(str(paths().warehouse))


@contextmanager
def cursor(path: str) -> Iterator[duckdb.DuckDBPyConnection]:
    with _handle(path).cursor() as cur:
        yield cur


# ---------------------------------------------------------------- snapshot and master data


@dataclass(frozen=True)
class Snapshot:
    snapshot_id: str
    as_of: dt.date
    built_at: dt.datetime
    input_hash: str
    complaints: int
    files: int
    city: str
    first_date: dt.date
    token: str
    path: str
    pemda: str | None = None  # the pemda's code on a province installation (None: a single city)

    @property
    def short_id(self) -> str:
        return self.snapshot_id


@dataclass(frozen=True)
class Master:
    """Canonical names for the filter widgets (from the warehouse's master tables)."""

    departments: tuple[str, ...]
    department_short: dict[str, str] = field(default_factory=dict)
    categories: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    kecamatan: dict[str, tuple[str, ...]] = field(default_factory=dict)
    statuses: dict[str, str] = field(default_factory=dict)

    @property
    def kelurahan(self) -> tuple[str, ...]:
        return tuple(k for ks in self.kecamatan.values() for k in ks)

    def values(self) -> dict[str, tuple[str, ...]]:
        return {
            "department": self.departments,
            "category": self.categories,
            "channel": self.channels,
            "kecamatan": tuple(self.kecamatan),
            "kelurahan": self.kelurahan,
        }


def current_token() -> str | None:
    return file_token(paths().warehouse)


@st.cache_data(ttl=TTL, max_entries=8, show_spinner=False)
def _snapshot(path: str, token: str) -> Snapshot | None:
    with cursor(path) as cur:
        row = cur.execute(
            "SELECT snapshot_id, as_of, built_at, input_hash, complaints, files FROM snapshot "
            "ORDER BY built_at DESC, snapshot_id DESC LIMIT 1"
        ).fetchone()
        if row is None:
            return None
        city = cur.execute("SELECT value FROM settings WHERE key = 'city_name'").fetchone()
        first = cur.execute("SELECT CAST(min(reported_at) AS DATE) FROM complaints").fetchone()[0]
    return Snapshot(
        snapshot_id=row[0], as_of=row[1], built_at=row[2], input_hash=row[3], complaints=int(row[4]),
        files=int(row[5]), city=(city[0] if city and city[0] else ""), first_date=first or row[1],
        token=token, path=path, pemda=_pemda_of(path),
    )


def snapshot() -> Snapshot | None:
    """The published snapshot of what is viewed (``paths()``), or None when there is no warehouse yet (or it
    is empty; on a province installation also when no pemda is active)."""
    if province() is not None and active_pemda() is None:
        return None
    return _snapshot_at(paths().warehouse)


def _snapshot_at(p: Path) -> Snapshot | None:
    token = file_token(p)
    if token is None:
        return None
    return _snapshot(str(p), token)


def pemda_snapshot(scope: Scope, kode: object) -> Snapshot | None:
    """The published snapshot of pemda ``kode`` (scope checked first; None when it has no warehouse yet)."""
    return _snapshot_at(pemda_paths(scope, kode).warehouse)


@st.cache_data(ttl=TTL, max_entries=8, show_spinner=False)
def _master(path: str, token: str) -> Master:
    with cursor(path) as cur:
        deps = cur.execute("SELECT department, short_name FROM departments ORDER BY department").fetchall()
        cats = [r[0] for r in cur.execute("SELECT category FROM categories ORDER BY category").fetchall()]
        chans = [r[0] for r in cur.execute("SELECT channel FROM channels ORDER BY channel").fetchall()]
        wil = cur.execute("SELECT kecamatan, kelurahan FROM wilayah ORDER BY kecamatan, kelurahan").fetchall()
        sts = cur.execute("SELECT status, label FROM statuses").fetchall()
    kec: dict[str, list[str]] = {}
    for k, kel in wil:
        kec.setdefault(k, []).append(kel)
    return Master(
        departments=tuple(d for d, _ in deps),
        department_short={d: s for d, s in deps},
        categories=tuple(cats),
        channels=tuple(chans),
        kecamatan={k: tuple(v) for k, v in kec.items()},
        statuses=dict(sts),
    )


def master(snap: Snapshot) -> Master:
    return _master(snap.path, snap.token)


def resolver(snap: Snapshot) -> dict[str, Any]:
    """Per filter key, a function mapping a written value (alias, other case) to its canonical name."""
    from pipelines.kpi.filters import FilterError, normalize_filters

    def make(key: str):
        def resolve(raw: str) -> str | None:
            try:
                with cursor(snap.path) as cur:
                    return normalize_filters(cur, {key: [raw]})[key][0]
            except (FilterError, KeyError, IndexError):
                return None

        return resolve

    return {k: make(k) for k in ("department", "category", "channel", "kecamatan", "kelurahan")}


# ---------------------------------------------------------------- helpers


def _fkey(filters: Mapping[str, Any]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Filters as a hashable, order-independent cache key."""
    out = []
    for k, v in sorted(filters.items()):
        vals = (v,) if isinstance(v, str) else tuple(v or ())
        if vals:
            out.append((k, tuple(sorted(vals))))
    return tuple(out)


def _fdict(fkey: tuple[tuple[str, tuple[str, ...]], ...]) -> dict[str, list[str]]:
    return {k: list(v) for k, v in fkey}


def _date(s: str | None) -> dt.date | None:
    return dt.date.fromisoformat(s) if s else None


# ---------------------------------------------------------------- KPI (cached per snapshot)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def _compute(path: str, token: str, d_from: str, d_to: str, as_of: str, fkey: tuple,
             prev: tuple[str, str] | None = None) -> dict:
    from pipelines.kpi import compute

    previous = (_date(prev[0]), _date(prev[1])) if prev else None
    with cursor(path) as cur:
        return compute(cur, _date(d_from), _date(d_to), as_of=_date(as_of), filters=_fdict(fkey),
                       previous=previous)


def tidy(df: pl.DataFrame) -> pl.DataFrame:
    """Whole-number decimals (DuckDB sums) as integers, other decimals as floats, for charts and tables."""
    casts = []
    for name, dtype in df.schema.items():
        if isinstance(dtype, pl.Decimal):
            casts.append(pl.col(name).cast(pl.Int64 if (dtype.scale or 0) == 0 else pl.Float64))
    return df.with_columns(casts) if casts else df


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def _frame(path: str, token: str, name: str, d_from: str | None, d_to: str | None, as_of: str, fkey: tuple,
           extra: tuple = ()) -> pl.DataFrame:
    return tidy(_frame_raw(path, name, d_from, d_to, as_of, fkey, extra))


def _frame_raw(path: str, name: str, d_from: str | None, d_to: str | None, as_of: str, fkey: tuple,
               extra: tuple) -> pl.DataFrame:
    from pipelines import kpi

    kw = dict(extra)
    f = _fdict(fkey)
    with cursor(path) as cur:
        if name == "by_month":
            return kpi.by_month_frame(cur, _date(d_from), _date(d_to), as_of=_date(as_of), filters=f)
        if name == "category_by_month":
            return kpi.category_by_month(cur, _date(d_from), _date(d_to), as_of=_date(as_of), filters=f)
        if name == "channel_by_month":
            return kpi.channel_by_month(cur, _date(d_from), _date(d_to), as_of=_date(as_of), filters=f)
        if name == "breakdown":
            return kpi.breakdown_frame(cur, kw["dimension"], _date(d_from), _date(d_to), as_of=_date(as_of),
                                       filters=f)
        if name == "aging_by_department":
            return kpi.aging_by_department(cur, as_of=_date(as_of), filters=f)
        if name == "complaint_list":
            return kpi.complaint_list(cur, _date(d_from), _date(d_to), as_of=_date(as_of), filters=f,
                                      status=kw.get("status"), overdue_only=kw.get("overdue_only", False),
                                      limit=kw.get("limit", LIST_LIMIT), offset=kw.get("offset", 0))
        if name == "overdue_list":
            return kpi.overdue_list(cur, as_of=_date(as_of), filters=f, limit=kw.get("limit", LIST_LIMIT),
                                    offset=kw.get("offset", 0))
        if name == "early_warning":
            return kpi.early_warning(cur, as_of=_date(as_of), filters=f)
    raise ValueError(f"unknown frame {name!r}")


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def _normalized(path: str, token: str, fkey: tuple) -> dict[str, list[str]]:
    from pipelines.kpi.filters import normalize_filters

    with cursor(path) as cur:
        return normalize_filters(cur, _fdict(fkey))


def _canonical(snap: Snapshot, filters: Filters | Mapping[str, Any]) -> dict[str, list[str]]:
    """Canonical filter values (validated against the warehouse's master data; an unknown value
    raises UnknownFilterValue)."""
    raw = filters.dimension_filters() if isinstance(filters, Filters) else dict(filters)
    if not _fkey(raw):
        return {}
    return _normalized(snap.path, snap.token, _fkey(raw))


BREAKDOWN_KEYS = ("by_category", "by_channel", "by_kecamatan", "by_kelurahan", "category_trend")


def kpi(scope: Scope, snap: Snapshot, window: Window, filters: Filters | Mapping[str, Any],
        previous: Window | None = None) -> dict:
    """``pipelines.kpi.compute`` for the window and filters, as the viewer may see it: city-level
    totals and trend; for an ``opd`` viewer the per-department list holds only its own row (with its
    city rank) and the other breakdowns are its department's. ``previous``: the window the category
    trend compares with (the comparison window of the filters)."""
    scope.check_pemda(snap.pemda)
    scope.require("view_aggregates")
    f = _canonical(snap, filters)
    agg = scope.aggregate_filters(f)
    d_from, d_to, as_of = window.key
    prev = (previous.date_from.isoformat(), previous.date_to.isoformat()) if previous else None
    out = _compute(snap.path, snap.token, d_from, d_to, as_of, _fkey(agg), prev)
    if scope.restricted:
        own = _compute(snap.path, snap.token, d_from, d_to, as_of, _fkey(scope.breakdown_filters(f)), prev)
        for key in BREAKDOWN_KEYS:
            out[key] = own.get(key, [])
        out["by_department"] = scope.visible_rows(out.get("by_department", []))
    return out


def _frame_for(scope: Scope, snap: Snapshot, name: str, window: Window | None, filters, *, as_of: dt.date,
               pin: bool, **extra: Any) -> pl.DataFrame:
    f = _canonical(snap, filters)
    f = scope.breakdown_filters(f) if pin else scope.aggregate_filters(f)
    d_from = window.date_from.isoformat() if window else None
    d_to = window.date_to.isoformat() if window else None
    return _frame(snap.path, snap.token, name, d_from, d_to, as_of.isoformat(), _fkey(f),
                  tuple(sorted((k, v) for k, v in extra.items())))


def by_month(scope: Scope, snap: Snapshot, date_from: dt.date, date_to: dt.date, as_of: dt.date,
             filters) -> pl.DataFrame:
    """Every period metric per month from ``date_from`` to ``date_to`` (a city-level aggregate)."""
    scope.check_pemda(snap.pemda)
    scope.require("view_aggregates")
    f = scope.aggregate_filters(_canonical(snap, filters))
    return _frame(snap.path, snap.token, "by_month", date_from.isoformat(), date_to.isoformat(),
                  as_of.isoformat(), _fkey(f))


def category_by_month(scope: Scope, snap: Snapshot, window: Window, filters) -> pl.DataFrame:
    scope.check_pemda(snap.pemda)
    scope.require("view_aggregates")
    return _frame_for(scope, snap, "category_by_month", window, filters, as_of=window.as_of, pin=True)


def channel_by_month(scope: Scope, snap: Snapshot, window: Window, filters) -> pl.DataFrame:
    scope.check_pemda(snap.pemda)
    scope.require("view_aggregates")
    return _frame_for(scope, snap, "channel_by_month", window, filters, as_of=window.as_of, pin=True)


def breakdown(scope: Scope, snap: Snapshot, dimension: str, window: Window, filters) -> pl.DataFrame:
    """Breakdown rows of one dimension; an ``opd`` viewer gets its own department's rows only."""
    scope.check_pemda(snap.pemda)
    scope.require("view_aggregates")
    if dimension == "department":
        df = _frame_for(scope, snap, "breakdown", window, filters, as_of=window.as_of, pin=False,
                        dimension=dimension)
        return df.filter(pl.col("department") == scope.department) if scope.restricted else df
    return _frame_for(scope, snap, "breakdown", window, filters, as_of=window.as_of, pin=True,
                      dimension=dimension)


def aging_by_department(scope: Scope, snap: Snapshot, as_of: dt.date, filters) -> pl.DataFrame:
    scope.check_pemda(snap.pemda)
    scope.require("view_aggregates")
    return _frame_for(scope, snap, "aging_by_department", None, filters, as_of=as_of, pin=True)


def _redact_for(scope: Scope, df: pl.DataFrame) -> pl.DataFrame:
    """Lists never carry the complaint body; the (redacted) title only for roles that may read it."""
    drop = [c for c in ("body",) if c in df.columns]
    if not scope.can("view_complaint_text"):
        drop += [c for c in ("title",) if c in df.columns]
    return df.drop(drop)


def complaints(scope: Scope, snap: Snapshot, window: Window | None, filters, *, as_of: dt.date,
               department: str | None = None, status: tuple[str, ...] | None = None,
               overdue_only: bool = False, limit: int = LIST_LIMIT, offset: int = 0) -> pl.DataFrame:
    """Complaint rows (ids, dates, status, OPD, category, working days, flags; never reporter data)."""
    scope.check_pemda(snap.pemda)
    scope.require("view_complaints")
    f = dict(_canonical(snap, filters))
    if department:
        f["department"] = [department]
    df = _frame_for(scope, snap, "complaint_list", window, f, as_of=as_of, pin=True,
                    status=tuple(status) if status else None, overdue_only=overdue_only, limit=limit,
                    offset=offset)
    return _redact_for(scope, df)


def overdue(scope: Scope, snap: Snapshot, as_of: dt.date, filters, *, limit: int = LIST_LIMIT,
            offset: int = 0) -> pl.DataFrame:
    scope.check_pemda(snap.pemda)
    scope.require("view_complaints")
    df = _frame_for(scope, snap, "overdue_list", None, filters, as_of=as_of, pin=True, limit=limit,
                    offset=offset)
    return _redact_for(scope, df)


def early_warning(scope: Scope, snap: Snapshot, as_of: dt.date, filters) -> pl.DataFrame:
    scope.check_pemda(snap.pemda)
    scope.require("view_complaints")
    return _redact_for(scope, _frame_for(scope, snap, "early_warning", None, filters, as_of=as_of, pin=True))


# ---------------------------------------------------------------- worklists (daftar kerja, pipelines.digest)


@st.cache_data(ttl=TTL, max_entries=16, show_spinner=False)
def _worklist(path: str, token: str, as_of: str, department: str | None):
    from pipelines.digest.worklist import build_worklist

    with cursor(path) as cur:
        return build_worklist(cur, as_of=_date(as_of), department=department)


def worklist(scope: Scope, snap: Snapshot, as_of: dt.date, department: str | None = None):
    """The worklist (overdue, due soon, awaiting a first response, reopened) of one OPD, or of the city
    (``department`` None); an ``opd`` viewer gets its own OPD's only, whatever it asks for."""
    scope.check_pemda(snap.pemda)
    scope.require("view_complaints")
    if department is not None:
        department = _canonical(snap, {"department": [department]})["department"][0]
    if scope.restricted:
        if department not in (None, scope.department):
            raise ScopeError(f"Akses Anda terbatas pada {scope.department}; daftar kerja {department} tidak dapat "
                             "dibuka.")
        department = scope.department
    return _worklist(snap.path, snap.token, as_of.isoformat(), department)


@st.cache_data(ttl=TTL, max_entries=8, show_spinner=False)
def _executive_snapshot(path: str, token: str, as_of: str):
    from pipelines.digest.worklist import executive_snapshot as snapshot_of

    with cursor(path) as cur:
        return snapshot_of(cur, _date(as_of))


def executive_snapshot(scope: Scope, snap: Snapshot, as_of: dt.date):
    """The pimpinan's one page: the year's Ringkasan numbers and the five OPD with the most overdue."""
    scope.check_pemda(snap.pemda)
    scope.require("view_aggregates")
    scope.require("view_all_departments")
    return _executive_snapshot(snap.path, snap.token, as_of.isoformat())


# ---------------------------------------------------------------- officers' register (pejabat penghubung)


def officers(scope: Scope, department: str | None = None) -> list:
    """The officers' register with contact data: the koordinator only (any other role, an ``opd``
    viewer asking for its own OPD or another one included, gets ScopeError)."""
    scope.check_pemda(active_pemda())
    from pipelines.officers import list_officers

    scope.require("manage_officers")
    return list_officers(paths(), department)


def register_flags(scope: Scope, snap: Snapshot | None, reference: dt.date | None = None) -> list:
    """Per OPD of the master data: officer present, SK current or not (no contact data); koordinator only."""
    scope.check_pemda(snap.pemda if snap is not None else active_pemda())
    from pipelines.masterdata import load_master_data
    from pipelines.officers import list_officers
    from pipelines.officers import register_flags as flags_of

    scope.require("manage_officers")
    deps = master(snap).departments if snap is not None else load_master_data(paths().config_dir).department_names
    return flags_of(deps, list_officers(paths()), reference or dt.date.today())


# ---------------------------------------------------------------- rating


@st.cache_data(ttl=TTL, max_entries=16, show_spinner=False)
def _department_ratings(path: str, token: str, d_from: str, d_to: str, as_of: str, fkey: tuple,
                        prev: tuple[str, str] | None = None) -> list[dict]:
    from pipelines.rating import load_model, score_departments

    # the ratings read only by_department and the period, which the comparison period does not
    # change: with the page's comparison this is the compute the page's kpi() already cached
    kpi_all = _compute(path, token, d_from, d_to, as_of, fkey, prev)
    model = load_model(config_dir=_config_of(path))
    return [r.to_dict() for r in score_departments(model, kpi_all)]


def department_ratings(scope: Scope, snap: Snapshot, window: Window, filters,
                       previous: Window | None = None) -> list[dict]:
    """Per-OPD score, predikat and rank (rating ``opd_model``) with the indicators behind them.
    ``previous``: the comparison window the page passed to ``kpi`` (the same ratings either way; with
    it the page's cached KPI result is reused instead of computing the period again)."""
    scope.check_pemda(snap.pemda)
    scope.require("view_aggregates")
    f = scope.aggregate_filters(_canonical(snap, filters))
    prev = (previous.date_from.isoformat(), previous.date_to.isoformat()) if previous else None
    rows = _department_ratings(snap.path, snap.token, *window.key, _fkey(f), prev)
    # "peringkat 3 dari 27": the number ranked city-wide, also for a user who sees only their own OPD
    ranked_of = sum(1 for r in rows if r.get("rank"))
    return [{**r, "ranked_of": ranked_of} for r in scope.visible_rows(rows)]


@st.cache_resource(ttl=TTL, max_entries=8, show_spinner=False)
def _city_rating(path: str, token: str, year: int):
    from pipelines.rating import load_model, rate_city

    model = load_model(config_dir=_config_of(path))
    with cursor(path) as cur:
        return rate_city(cur, year, model=model)


def city_rating(scope: Scope, snap: Snapshot, year: int):
    """``pipelines.rating.rate_city`` for the evaluation year (city level; filters do not apply).
    The result is shared between sessions: treat it as read-only."""
    scope.check_pemda(snap.pemda)
    scope.require("view_rating")
    return _city_rating(snap.path, snap.token, int(year))


@st.cache_data(ttl=TTL, max_entries=16, show_spinner=False)
def _what_if(path: str, token: str, year: int, target: str) -> dict:
    from pipelines.rating import what_if

    return what_if(_city_rating(path, token, year), target).to_dict()


def what_if(scope: Scope, snap: Snapshot, year: int, target: str) -> dict:
    scope.check_pemda(snap.pemda)
    scope.require("view_rating")
    return _what_if(snap.path, snap.token, int(year), target)


@st.cache_data(ttl=TTL, max_entries=8, show_spinner=False)
def _warehouse_completeness(path: str, token: str, year: int) -> tuple[list[dict], str | None]:
    from pipelines.rating import completeness, load_evidence, load_model

    model = load_model(config_dir=_config_of(path))
    with cursor(path) as cur:
        records, note = load_evidence(cur)
    return [c.to_dict() for c in completeness(model, records, year)], note


def warehouse_completeness(scope: Scope, snap: Snapshot, year: int) -> tuple[list[dict], str | None]:
    """Evidence completeness per indicator as the published snapshot's rating reads it."""
    scope.check_pemda(snap.pemda)
    scope.require("view_rating")
    return _warehouse_completeness(snap.path, snap.token, int(year))


# ---------------------------------------------------------------- data quality


@st.cache_data(ttl=TTL, max_entries=8, show_spinner=False)
def _quality(path: str, token: str) -> dict[str, Any]:
    def frame(cur, sql: str) -> pl.DataFrame:
        return cur.execute(sql).pl()

    with cursor(path) as cur:
        out = {
            "files": frame(cur, "SELECT * FROM quality_files ORDER BY snapshot_date DESC, file_name"),
            "rules": frame(cur, "SELECT * FROM quality_rules ORDER BY file_name NULLS LAST, rule"),
            "sources": frame(cur, "SELECT * FROM quality_sources ORDER BY source"),
            "quarantine": frame(
                cur,
                "SELECT file_name, sheet, source_row, column_name, field, rule, observed, message, status, "
                "released_by, complaint_key FROM quarantine "
                "ORDER BY status, file_name, sheet NULLS FIRST, source_row, rule LIMIT 5000",
            ),
            "quarantine_count": cur.execute("SELECT count(*) FROM quarantine").fetchone()[0],
            "warnings_by_rule": frame(
                cur, "SELECT layer, rule, field, count(*) AS findings FROM warnings "
                     "GROUP BY ALL ORDER BY findings DESC, rule",
            ),
            "warnings": frame(
                cur,
                "SELECT layer, file_name, sheet, source_row, column_name, field, rule, observed, message, "
                "complaint_key FROM warnings ORDER BY layer, file_name NULLS LAST, source_row, rule LIMIT 5000",
            ),
            "warnings_count": cur.execute("SELECT count(*) FROM warnings").fetchone()[0],
            "unmatched": frame(cur, "SELECT * FROM unmatched_names ORDER BY kind, rows DESC, raw_value"),
        }
    return out


def quality(scope: Scope, snap: Snapshot) -> dict[str, Any]:
    """The quality tables of the published snapshot (files, rules, freshness, quarantine, names)."""
    scope.check_pemda(snap.pemda)
    scope.require("view_quality")
    return _quality(snap.path, snap.token)


def last_run() -> dict[str, Any] | None:
    """The last `monev run` (runs/latest.json), published or not."""
    p = paths().runs_dir / "latest.json"
    try:
        return json.loads(p.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None


# ---------------------------------------------------------------- scorecards (rapor, pipelines.scorecard)


def scorecard_unit(scope: Scope, snap: Snapshot, department: str | None) -> str | None:
    """The canonical OPD of a scorecard request (None: the city's), if this viewer may download it: an
    ``opd`` viewer gets its own department's and the city's aggregate scorecard only."""
    scope.check_pemda(snap.pemda)
    scope.require("download_scorecard")
    if department is None:
        return None
    name = _canonical(snap, {"department": [department]})["department"][0]
    if not scope.sees_department(name):
        raise ScopeError(f"Akses Anda terbatas pada {scope.department}; rapor {name} tidak dapat diunduh.")
    return name


def scorecard_departments(scope: Scope, snap: Snapshot) -> list[str]:
    """The OPD whose scorecards this viewer may download."""
    scope.check_pemda(snap.pemda)
    scope.require("download_scorecard")
    return [d for d in master(snap).departments if scope.sees_department(d)]


@st.cache_data(ttl=TTL, max_entries=16, show_spinner=False)
def _scorecard(path: str, token: str, period_key: str, comparison: str, department: str | None
               ) -> dict[str, tuple[str, bytes]]:
    from pipelines.scorecard import file_name, gather, render

    with cursor(path) as cur:
        d = gather(cur, period_key, department, config_dir=_config_of(path), comparison=comparison)
    return {f: (file_name(d, f), render(d, f)) for f in ("pdf", "xlsx")}


def scorecard(scope: Scope, snap: Snapshot, period_key: str, comparison: str, department: str | None = None
              ) -> dict[str, tuple[str, bytes]]:
    """The scorecard of the city (``department=None``) or one OPD for the period and comparison
    ('sebelumnya' / 'tahun_lalu'): {'pdf': (file name, bytes), 'xlsx': (...)}, cached per snapshot."""
    scope.check_pemda(snap.pemda)
    unit = scorecard_unit(scope, snap, department)
    return _scorecard(snap.path, snap.token, period_key, comparison, unit)


ZIP_KEEP = 2  # batch ZIPs kept per process (a few MB each)


@st.cache_resource(show_spinner=False)
def _zip_store() -> dict[tuple, bytes]:
    return {}


def scorecard_zip(scope: Scope, snap: Snapshot, period_key: str, comparison: str, formats: tuple[str, ...],
                  on_unit: Any = None) -> bytes:
    """A ZIP of the city's scorecard and every OPD's this viewer may download (with the index CSV),
    kept per snapshot, period, comparison and formats; ``on_unit(name)`` is called as each unit is
    taken up (a progress bar; not called when the ZIP is already there). Not an ``st.cache_data``
    function, because the progress bar is drawn from inside."""
    scope.check_pemda(snap.pemda)
    from pipelines.scorecard import generate, zip_batch

    deps = tuple(scorecard_departments(scope, snap))
    key = (snap.path, snap.token, period_key, comparison, tuple(formats), deps)
    store = _zip_store()
    if key in store:
        return store[key]
    with cursor(snap.path) as cur:
        blob = zip_batch(generate(cur, period_key, departments=deps, city=True, formats=tuple(formats),
                                  config_dir=_config_of(snap.path), comparison=comparison, on_unit=on_unit))
    while len(store) >= ZIP_KEEP:
        store.pop(next(iter(store)), None)
    store[key] = blob
    return blob


# ---------------------------------------------------------------- cache control


def clear_caches() -> None:
    """Forget cached results (after the viewer changed evidence, or to force a re-read)."""
    st.cache_data.clear()


__all__ = [
    "LIST_LIMIT", "Master", "Scope", "ScopeError", "Snapshot", "WarehouseHandle", "activate", "active_pemda",
    "aging_by_department", "pemda_paths", "pemda_snapshot", "province", "root_paths",
    "breakdown", "category_by_month", "channel_by_month", "city_rating", "complaints", "current_token",
    "demo_mode", "department_ratings", "early_warning", "executive_snapshot", "file_token", "handle", "kpi",
    "last_run", "master", "officers", "overdue", "paths", "quality", "register_flags", "resolver", "scorecard",
    "scorecard_departments", "scorecard_unit", "scorecard_zip", "snapshot", "warehouse_completeness", "what_if",
    "worklist",
]
