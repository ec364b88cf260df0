"""Stored query results: the KPI queries of the dashboard's default views, run once at publish.

Every KPI function ends in one statement (``engine.build_query``: the SQL models as CTEs, a final
SELECT) run with bound parameters (the window, the as-of date, the canonical filters and the
settings row). ``run_stored`` runs that statement, unless the build stored its result: the key of
a stored result is a hash of the statement's text and of every parameter it binds, so a stored
result is used only for exactly the query that produced it (same rules, same window, same
filters, same settings), and only while it belongs to the published snapshot (its snapshot id
and its number of complaints). Any other query, a changed SQL model or a changed setting runs
against the warehouse as before.

At publish (``pipelines.build.default_views.store_default_views``) the build calls the KPI functions the dashboard pages call
on first load (``default_view_calls`` there: the running year and its comparison window, no filters,
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
from collections.abc import Iterator
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
