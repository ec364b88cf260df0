"""The build's stored results of the dashboard's default views give exactly what the KPI functions compute.

At publish the build runs the KPI statements the default views run (pipelines.kpi.stored) into
tables; a KPI function then reads the stored result of exactly its statement and bound values.
Every default-view call must return byte-identical results stored and computed
(MONEV_KPI_STORED_VIEWS=0), every page's first-load call must be served from the store, and an
entry that no longer fits (another snapshot, changed complaints, changed settings) must be ignored.
"""

import datetime as dt
import json
import shutil

import duckdb
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from pipelines import kpi
from pipelines.build.default_views import default_view_calls, store_default_views
from pipelines.kpi import stored
from pipelines.kpi.stored import RESULTS_TABLE, STATS, STORED_ENV

D = dt.date


def _as_of(con) -> dt.date:
    return con.execute("SELECT as_of FROM snapshot ORDER BY built_at DESC LIMIT 1").fetchone()[0]


def _same(a, b) -> None:
    if isinstance(a, pl.DataFrame):
        assert a.schema == b.schema
        assert_frame_equal(a, b, check_exact=True)
        assert repr(a.rows()) == repr(b.rows())  # every value, its type and its order
    else:
        assert a == b
        assert json.dumps(a, sort_keys=True, default=str) == json.dumps(b, sort_keys=True, default=str)


def _both_ways(monkeypatch, fn, *args, **kwargs):
    """(result, hits) with the store, then the result with the store switched off."""
    monkeypatch.delenv(STORED_ENV, raising=False)
    hits = STATS["hits"]
    with_store = fn(*args, **kwargs)
    hits = STATS["hits"] - hits
    monkeypatch.setenv(STORED_ENV, "0")
    computed = fn(*args, **kwargs)
    monkeypatch.delenv(STORED_ENV, raising=False)
    return with_store, hits, computed


def _cases(con):
    """The default views' calls, each returning its result (dicts and frames)."""
    a = _as_of(con)
    y = a.year
    cmp_as_of = a.replace(year=y - 1)
    # Kinerja OPD opens on the first OPD of the ranking
    top = kpi.compute(con, D(y, 1, 1), D(y, 12, 31), as_of=a)["by_department"][0]["department"]
    return [
        (kpi.compute, (con, D(y, 1, 1), D(y, 12, 31)), {"as_of": a, "previous": (D(y - 1, 1, 1), cmp_as_of)}),
        (kpi.compute, (con, D(y, 1, 1), D(y, 12, 31)), {"as_of": a}),
        (kpi.compute, (con, D(y - 1, 1, 1), cmp_as_of), {"as_of": cmp_as_of}),
        (kpi.category_by_month, (con, D(y, 1, 1), D(y, 12, 31)), {"as_of": a}),
        (kpi.channel_by_month, (con, D(y, 1, 1), D(y, 12, 31)), {"as_of": a}),
        (kpi.breakdown_frame, (con, "kecamatan", D(y, 1, 1), D(y, 12, 31)), {"as_of": a}),
        (kpi.breakdown_frame, (con, "kelurahan", D(y, 1, 1), D(y, 12, 31)), {"as_of": a}),
        (kpi.aging_by_department, (con,), {"as_of": a}),
        (kpi.early_warning, (con,), {"as_of": a}),
        (kpi.overdue_list, (con,), {"as_of": a, "limit": stored.DASHBOARD_LIST_LIMIT}),
        (kpi.complaint_list, (con, D(y, 1, 1), D(y, 12, 31)),
         {"as_of": a, "filters": {"department": [top]}, "limit": stored.DASHBOARD_LIST_LIMIT}),
    ]


def test_the_build_stores_the_default_views(demo_con):
    con = demo_con
    n, tables = con.execute(f"SELECT count(*), count(DISTINCT table_name) FROM {RESULTS_TABLE}").fetchone()  # noqa: S608
    assert n == tables >= 12  # the period (with or without its comparison, and the rating's year) is one
    # every stored result belongs to the published snapshot and holds rows
    bad = con.execute(
        f"SELECT count(*) FROM {RESULTS_TABLE} WHERE snapshot_id <> "  # noqa: S608
        "(SELECT snapshot_id FROM snapshot ORDER BY built_at DESC LIMIT 1) OR result_rows = 0"
    ).fetchone()[0]
    assert bad == 0


def test_stored_and_computed_results_are_identical(demo_con, monkeypatch):
    checked = 0
    for fn, args, kwargs in _cases(demo_con):
        w, hits, wo = _both_ways(monkeypatch, fn, *args, **kwargs)
        assert hits >= 1, fn.__name__  # served from the store
        _same(w, wo)
        checked += (w.height if isinstance(w, pl.DataFrame) else w["received"]) > 0
    assert checked == len(_cases(demo_con))
    # the rating of the running year (rate_city: the year and the same window a year earlier)
    from pipelines.rating import load_model, rate_city

    model = load_model()
    w, hits, wo = _both_ways(monkeypatch, rate_city, demo_con, _as_of(demo_con).year, model=model)
    assert hits == 2 and w.to_dict() == wo.to_dict() and w.total is not None


def test_every_default_view_call_is_stored(demo_con, monkeypatch):
    monkeypatch.delenv(STORED_ENV, raising=False)
    misses = STATS["misses"]
    for _label, call in default_view_calls(demo_con, _as_of(demo_con)):
        call()
    assert STATS["misses"] == misses


def test_every_page_of_the_dashboard_opens_from_the_store(demo_data_dir, monkeypatch):
    """The first load of every page (pipelines/bench/pages.py: the data functions each page calls with
    the default filters) runs no KPI statement against the complaints."""
    from dashboard import data
    from pipelines.bench.pages import time_pages

    assert data.LIST_LIMIT == stored.DASHBOARD_LIST_LIMIT
    monkeypatch.delenv(STORED_ENV, raising=False)
    monkeypatch.setenv("MONEV_DATA_DIR", str(demo_data_dir))
    hits, misses = STATS["hits"], STATS["misses"]
    pages = time_pages(str(demo_data_dir), repeat=1)
    assert len(pages) >= 8
    assert STATS["misses"] == misses
    assert STATS["hits"] - hits >= 2 * 12  # first and warm call of every page


def test_other_queries_are_computed(demo_con, monkeypatch):
    a = _as_of(demo_con)
    dept = demo_con.execute("SELECT department FROM complaints GROUP BY ALL ORDER BY count(*) DESC LIMIT 1"
                            ).fetchone()[0]
    misses = STATS["misses"]
    w, hits, wo = _both_ways(monkeypatch, kpi.compute, demo_con, D(a.year, 1, 1), a,
                             filters={"department": dept})
    assert hits == 0 and STATS["misses"] > misses
    _same(w, wo)


@pytest.fixture()
def copy_con(demo_data_dir, tmp_path):
    db = tmp_path / "copy.duckdb"
    shutil.copy(demo_data_dir / "curated" / "monev.duckdb", db)
    c = duckdb.connect(str(db))
    yield c
    c.close()


def test_a_stale_entry_is_ignored(copy_con, monkeypatch):
    con = copy_con
    monkeypatch.delenv(STORED_ENV, raising=False)
    a = _as_of(con)
    call = (kpi.compute, (con, D(a.year, 1, 1), D(a.year, 12, 31)), {"as_of": a})
    right = call[0](*call[1], **call[2])
    # every stored result is spoiled: a wrong number would show wherever one were still read
    for (table,) in con.execute(f"SELECT table_name FROM {RESULTS_TABLE}").fetchall():  # noqa: S608
        cols = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
        if "received" in cols:
            con.execute(f"UPDATE {table} SET received = received + 1000")
    spoiled, hits, _ = _both_ways(monkeypatch, *call[:1], *call[1], **call[2])
    assert hits == 1 and spoiled["received"] == right["received"] + 1000  # the test can fail

    # a newer snapshot than the one the results were stored for
    snap = con.execute("SELECT snapshot_id FROM snapshot ORDER BY built_at DESC LIMIT 1").fetchone()[0]
    con.execute("INSERT INTO snapshot SELECT * REPLACE ('newer' AS snapshot_id, built_at + INTERVAL 1 HOUR AS built_at)"
                " FROM snapshot WHERE snapshot_id = ?", [snap])
    w, hits, wo = _both_ways(monkeypatch, call[0], *call[1], **call[2])
    assert hits == 0 and w == wo and w["received"] == right["received"] and w["snapshot"]["snapshot_id"] == "newer"
    con.execute("DELETE FROM snapshot WHERE snapshot_id = 'newer'")
    # complaints changed after the build
    con.execute("CREATE TABLE gone AS SELECT * FROM complaints WHERE reported_at < ? LIMIT 1", [D(a.year - 1, 6, 1)])
    con.execute("DELETE FROM complaints WHERE complaint_key IN (SELECT complaint_key FROM gone)")
    w, hits, wo = _both_ways(monkeypatch, call[0], *call[1], **call[2])
    assert hits == 0 and w == wo
    con.execute("INSERT INTO complaints SELECT * FROM gone")
    # a setting changed after the build: the statement's bound values differ, so it is another key
    con.execute("UPDATE sla_limits SET limit_days = limit_days + 3 WHERE step = 'resolution'")
    w, hits, wo = _both_ways(monkeypatch, call[0], *call[1], **call[2])
    assert hits == 0 and w == wo
    con.execute("UPDATE sla_limits SET limit_days = limit_days - 3 WHERE step = 'resolution'")
    # stored again for this snapshot: read, and right
    store_default_views(con, a, snap)
    w, hits, wo = _both_ways(monkeypatch, call[0], *call[1], **call[2])
    assert hits == 1 and w == wo == right


def test_a_warehouse_without_the_store_computes(monkeypatch):
    from warehouse_factory import make_warehouse

    con = make_warehouse([{"reported_at": "2025-03-03 09:00", "status": "in_progress"}])
    monkeypatch.delenv(STORED_ENV, raising=False)
    assert kpi.compute(con, D(2025, 3, 1), D(2025, 3, 31))["received"] == 1


def test_the_key_tells_values_and_types_apart():
    sql = "SELECT $a"
    assert stored.query_key(sql, {"a": D(2025, 1, 1)}) != stored.query_key(sql, {"a": "2025-01-01"})
    assert stored.query_key(sql, {"a": 1}) != stored.query_key(sql, {"a": 1.0})
    assert stored.query_key(sql, {"a": ["x"]}) != stored.query_key(sql, {"a": None})
    assert stored.query_key(sql, {"a": 1}) != stored.query_key("SELECT $a ", {"a": 1})
    assert stored.query_key(sql, {"a": 1}) == stored.query_key(sql, {"a": 1})
