"""The dashboard's default views, stored at publish (pipelines.kpi.stored serves them).

``default_view_calls`` lists the KPI calls the dashboard pages make on first load with the default
filters; ``store_default_views`` runs them once with recording on (``pipelines.kpi.stored.recording``),
so every stored result is produced by the very function it stands for. Kept in the build (not in
``pipelines.kpi``) because the list needs the rating's windows, and the rating itself reads the KPIs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import duckdb

from pipelines.kpi.stored import DASHBOARD_LIST_LIMIT, RESULTS_TABLE, drop_stored, recording


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
