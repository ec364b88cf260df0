"""Stored query results: the KPI queries of the dashboard's default views, run once at publish.

Every KPI function ends in one statement (``engine.build_query``: the SQL models as CTEs, a final
SELECT) run with bound parameters (the window, the as-of date, the canonical filters and the
settings row). ``run_stored`` runs that statement, unless the build stored its result: the key of
a stored result is a hash of the statement's text and of every parameter it binds, so a stored
result is used only for exactly the query that produced it (same rules, same window, same
filters, same settings), and only while it belongs to the published snapshot (its snapshot id
and its number of complaints). Any other query, a changed SQL model or a changed setting runs
against the warehouse as before.

At publish (``store_default_views``) the build calls the KPI functions the dashboard pages call
on first load (``default_view_calls``: the running year and its comparison window, no filters,
the coordinator's view; the evaluation year of the rating) with recording on: each statement is
run once into a table ``kpi_stored_result_<n>`` and listed in ``kpi_stored_results``. The results
are those of the very functions they stand for, so no rule is written twice;
``tests/test_kpi_stored.py`` checks byte-identical results stored and computed, that every
default page call is served from the store, and that a stale entry is ignored.

``MONEV_KPI_STORED_VIEWS=0`` (or ``MONEV_KPI_FACTS_TABLE=0``) turns the lookup off.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import hashlib
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import duckdb

RESULTS_TABLE = "kpi_stored_results"
RESULT_PREFIX = "kpi_stored_result_"
STORED_ENV = "MONEV_KPI_STORED_VIEWS"
# the complaint lists of the dashboard show this many rows per page (dashboard.data.LIST_LIMIT)
DASHBOARD_LIST_LIMIT = 500

# while the build stores the default views: {key: table} of the results stored so far
_recording: contextvars.ContextVar[dict[str, str] | None] = contextvars.ContextVar("kpi_recording", default=None)
# lookups served from the store / run, per process (the tests and the benchmark read them)
STATS = {"hits": 0, "misses": 0}


def _enabled() -> bool:
    from pipelines.kpi.engine import FACTS_TABLE_ENV

    return (os.environ.get(STORED_ENV, "1").strip() != "0"
            and os.environ.get(FACTS_TABLE_ENV, "1").strip() != "0")


def _json_value(v: Any) -> Any:
    if isinstance(v, dt.datetime | dt.date):
        return f"{type(v).__name__}:{v.isoformat()}"
    if isinstance(v, list | tuple):
        return [_json_value(x) for x in v]
    if isinstance(v, float):
        return repr(v)
    return v


def query_key(sql: str, params: dict[str, Any]) -> str:
    """The identity of a statement with its bound values (types kept: a date is not its text)."""
    bound = {k: _json_value(v) for k, v in sorted(params.items())}
    text = sql + "\x00" + json.dumps(bound, sort_keys=True, ensure_ascii=False, default=repr)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _stored_table(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    try:
        row = con.cursor().execute(
            f"""
            SELECT r.table_name FROM {RESULTS_TABLE} AS r
            WHERE r.key = ?
              AND r.snapshot_id = (SELECT snapshot_id FROM snapshot ORDER BY built_at DESC, snapshot_id DESC LIMIT 1)
              AND r.complaints = (SELECT count(*) FROM complaints)
            """,  # noqa: S608 - a fixed table name
            [key],
        ).fetchone()
    except duckdb.CatalogException:  # a warehouse built before the store existed, or a test warehouse
        return None
    return row[0] if row else None


def run_stored(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any]) -> duckdb.DuckDBPyConnection:
    """``engine.run``, served from the build's stored result of exactly this statement and these
    values when there is one for the published snapshot."""
    from pipelines.kpi.engine import bound_params, run

    recording = _recording.get()
    if recording is None and not _enabled():
        return run(con, sql, params)
    key = query_key(sql, bound_params(sql, params))
    if recording is not None:
        table = recording.get(key)
        if table is None:
            table = f"{RESULT_PREFIX}{len(recording) + 1}"
            run(con, f"CREATE TABLE {table} AS\n{sql}", params)
            recording[key] = table
        return con.cursor().execute(f"SELECT * FROM {table}")  # noqa: S608 - a name made here
    table = _stored_table(con, key)
    if table is None:
        STATS["misses"] += 1
        return run(con, sql, params)
    STATS["hits"] += 1
    return con.cursor().execute(f"SELECT * FROM {table}")  # noqa: S608 - a name from RESULTS_TABLE


@contextmanager
def recording() -> Iterator[dict[str, str]]:
    """Store every KPI statement run inside the block (``run_stored``) as a result table."""
    store: dict[str, str] = {}
    token = _recording.set(store)
    try:
        yield store
    finally:
        _recording.reset(token)


def drop_stored(con: duckdb.DuckDBPyConnection) -> None:
    cur = con.cursor()
    names = [r[0] for r in cur.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_name = ? OR table_name LIKE ?",
        [RESULTS_TABLE, RESULT_PREFIX + "%"],
    ).fetchall()]
    for name in names:
        cur.execute(f'DROP TABLE IF EXISTS "{name}"')


def default_view_calls(con: duckdb.DuckDBPyConnection, as_of: dt.date) -> list[tuple[str, Callable[[], Any]]]:
    """The KPI calls the dashboard pages make on first load with the default filters (the running
    year up to the as-of date and its comparison window, no filters, the coordinator's view), and the
    rating of the running year (Penilaian), as (label, call). Mirrors ``pipelines/bench/pages.py``;
    ``tests/test_kpi_stored.py`` checks that every one of those page calls is served from the store."""
    from dashboard.filters import default_filters, windows
    from pipelines import kpi
    from pipelines.rating.scoring import previous_year_window, resolve_period

    first = con.cursor().execute("SELECT CAST(min(reported_at) AS DATE) FROM complaints").fetchone()[0] or as_of
    filters = default_filters(first, as_of)
    w = windows(filters, as_of)
    cur, cmp = w.current, w.comparison
    period = (cur.date_from, cur.date_to)
    calls: list[tuple[str, Callable[[], Any]]] = []

    def add(label: str, fn: Callable[[], Any]) -> None:
        calls.append((label, fn))

    prev = (cmp.date_from, cmp.date_to) if cmp is not None else None
    add("compute period vs comparison", lambda: kpi.compute(con, *period, as_of=cur.as_of, filters={}, previous=prev))
    add("compute period", lambda: kpi.compute(con, *period, as_of=cur.as_of, filters={}))
    if cmp is not None:
        add("compute comparison", lambda: kpi.compute(con, cmp.date_from, cmp.date_to, as_of=cmp.as_of, filters={}))
    # Ringkasan's 12-month trend when the period holds under six months
    end = min(cur.period.end, as_of)
    start = dt.date(end.year - 1 + (end.month == 12), end.month % 12 + 1, 1)
    add("by_month 12 months", lambda: kpi.by_month_frame(con, start, end, as_of=as_of, filters={}))
    add("category_by_month", lambda: kpi.category_by_month(con, *period, as_of=cur.as_of, filters={}))
    add("channel_by_month", lambda: kpi.channel_by_month(con, *period, as_of=cur.as_of, filters={}))
    for dim in ("kecamatan", "kelurahan", "department"):
        add(f"breakdown {dim}", lambda dim=dim: kpi.breakdown_frame(con, dim, *period, as_of=cur.as_of, filters={}))
    add("aging_by_department", lambda: kpi.aging_by_department(con, as_of=as_of, filters={}))
    add("early_warning", lambda: kpi.early_warning(con, as_of=as_of, filters={}))
    add("overdue_list", lambda: kpi.overdue_list(con, as_of=as_of, filters={}, limit=DASHBOARD_LIST_LIMIT, offset=0))

    def top_department_list() -> Any:  # Kinerja OPD opens on the OPD with the most complaints
        rows = kpi.compute(con, *period, as_of=cur.as_of, filters={})["by_department"]
        if rows:
            kpi.complaint_list(con, *period, as_of=as_of, filters={"department": [rows[0]["department"]]},
                               status=None, overdue_only=False, limit=DASHBOARD_LIST_LIMIT, offset=0)

    add("complaint_list top OPD", top_department_list)

    def rating_year() -> None:  # rate_city: the whole evaluation year and the same window a year earlier
        y_from, y_to = resolve_period(filters.period.end.year, None)
        kpi.compute(con, y_from, y_to, as_of=as_of)
        win = previous_year_window(y_from, y_to, as_of)
        if win:
            kpi.compute(con, win[0], win[1], as_of=win[2])

    add("rating year", rating_year)
    return calls


def store_default_views(con: duckdb.DuckDBPyConnection, as_of: dt.date, snapshot_id: str) -> int:
    """Run the dashboard's default-view KPI queries once and keep their results in the warehouse
    (``kpi_stored_results`` and one ``kpi_stored_result_<n>`` per statement). Returns the results stored."""
    drop_stored(con)
    with recording() as store:
        for _label, call in default_view_calls(con, as_of):
            call()
    cur = con.cursor()
    cur.execute(
        f"CREATE TABLE {RESULTS_TABLE} (key VARCHAR PRIMARY KEY, table_name VARCHAR, snapshot_id VARCHAR,"
        " complaints BIGINT, result_rows BIGINT, as_of DATE)"
    )
    complaints = cur.execute("SELECT count(*) FROM complaints").fetchone()[0]
    for key, table in store.items():
        rows = cur.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608 - a name made here
        cur.execute(f"INSERT INTO {RESULTS_TABLE} VALUES (?, ?, ?, ?, ?, ?)",  # noqa: S608 - fixed name
                    [key, table, snapshot_id, complaints, rows, as_of])
    return len(store)
