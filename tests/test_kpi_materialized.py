"""The build's kpi_complaint_facts table gives exactly the numbers of the on-the-fly model.

At the published snapshot's as-of date (and the same day a year earlier) the engine reads
complaint_facts_all from the table the build filled (pipelines.kpi.engine.materialize_facts), at
other as-of dates repeat_flags from kpi_repeat_flags; MONEV_KPI_FACTS_TABLE=0 makes it compute both models from complaints. Every API function must return identical results both ways, and the table
must be left alone when it does not fit (another as-of date, changed settings, changed data).
"""

import datetime as dt
import shutil

import duckdb
import pytest
from polars.testing import assert_frame_equal

from pipelines import kpi
from pipelines.kpi.api import make_scope
from pipelines.kpi.engine import (
    FACTS_TABLE,
    FACTS_TABLE_ENV,
    FACTS_TABLE_PREVIOUS_YEAR,
    REPEAT_TABLE,
    build_query,
    facts_table_usable,
    materialize_facts,
    read_settings,
    run,
    same_day_last_year,
)

D = dt.date


@pytest.fixture()
def con(demo_con):
    return demo_con


def _snapshot_as_of(con) -> dt.date:
    return con.execute("SELECT as_of FROM snapshot ORDER BY built_at DESC LIMIT 1").fetchone()[0]


def _values(con, column: str, n: int) -> list[str]:
    """The n most frequent values of a complaints column (so filters select real complaints)."""
    return [r[0] for r in con.execute(
        f"SELECT {column} FROM complaints WHERE {column} IS NOT NULL "  # noqa: S608 - fixed column names
        f"GROUP BY ALL ORDER BY count(*) DESC, {column} LIMIT {int(n)}"
    ).fetchall()]


def both_ways(monkeypatch, fn, *args, **kwargs):
    """(result reading the table, result computing the model) of one API call."""
    monkeypatch.delenv(FACTS_TABLE_ENV, raising=False)
    with_table = fn(*args, **kwargs)
    monkeypatch.setenv(FACTS_TABLE_ENV, "0")
    without = fn(*args, **kwargs)
    monkeypatch.delenv(FACTS_TABLE_ENV, raising=False)
    return with_table, without


def _cases(con):
    a = _snapshot_as_of(con)
    dept = _values(con, "department", 2)
    cat = _values(con, "category", 2)
    chan = _values(con, "channel", 1)
    kec = _values(con, "kecamatan", 1)
    kel = con.execute("SELECT kelurahan FROM complaints WHERE kecamatan = ? AND kelurahan IS NOT NULL "
                      "GROUP BY ALL ORDER BY count(*) DESC, kelurahan LIMIT 1", kec).fetchone()[0]
    cls = _values(con, "classification", 1)
    windows = [
        (D(a.year, 1, 1), a),  # the running year
        (D(a.year, a.month, 1), a),  # the running month
        (D(a.year - 1, 1, 1), D(a.year - 1, 12, 31)),  # last year
        (D(2024, 1, 1), a),  # everything
    ]
    filters = [
        None,
        {"department": dept[0]},
        {"department": dept, "category": cat[0]},
        {"channel": chan, "classification": cls},
        {"kecamatan": kec, "kelurahan": [kel]},
    ]
    return a, windows, filters


def test_the_build_stores_the_facts_and_the_engine_uses_them(con, monkeypatch):
    a = _snapshot_as_of(con)
    settings = read_settings(con, a)
    n = con.execute(f"SELECT count(*) FROM {FACTS_TABLE}").fetchone()[0]  # noqa: S608 - fixed name
    assert n == con.execute(
        "SELECT count(*) FROM complaints WHERE reported_at < ? AND NOT is_duplicate", [a + dt.timedelta(days=1)]
    ).fetchone()[0] > 1000  # count_duplicates_once is the demo's setting
    monkeypatch.delenv(FACTS_TABLE_ENV, raising=False)
    assert facts_table_usable(con, a, settings)
    assert make_scope(con, None, None).facts_table == FACTS_TABLE
    py = same_day_last_year(a)
    assert make_scope(con, D(py.year, 1, 1), py, as_of=py).facts_table == FACTS_TABLE_PREVIOUS_YEAR
    assert make_scope(con, D(a.year, 1, 1), a, filters={"department": _values(con, "department", 1)}).facts_table
    # another as-of date: the facts are computed, with the stored repeat flags; the switch off: nothing stored
    other = make_scope(con, None, None, as_of=a - dt.timedelta(days=30))
    assert not other.facts_table and other.repeat_table
    monkeypatch.setenv(FACTS_TABLE_ENV, "0")
    off = make_scope(con, None, None)
    assert not off.facts_table and not off.repeat_table
    sql = build_query("SELECT * FROM complaint_facts", ("complaint_facts",), repeat_table=True)
    assert f"FROM {REPEAT_TABLE}" in sql and "lag(" not in sql and f"FROM {FACTS_TABLE}" not in sql
    # the query reading the table does not compute repeats or read complaints for the facts
    sql = build_query("SELECT * FROM complaint_facts", ("complaint_facts",), facts_table=True)
    assert FACTS_TABLE in sql and "repeat_flags" not in sql and "FROM complaints" not in sql


@pytest.mark.parametrize("table", [FACTS_TABLE, FACTS_TABLE_PREVIOUS_YEAR])
def test_the_table_equals_the_model_row_for_row(con, table):
    """Every column of every row, repeats over the whole history included."""
    a = _snapshot_as_of(con)
    a = a if table == FACTS_TABLE else same_day_last_year(a)
    scope = make_scope(con, None, None, as_of=a)
    model = build_query("SELECT * FROM complaint_facts_all", ("complaint_facts_all",), materialized=())
    params = scope.params()
    diff = [
        run(con, f"SELECT count(*) FROM (({model}) EXCEPT ALL SELECT * FROM {table})", params).fetchone()[0],
        run(con, f"SELECT count(*) FROM (SELECT * FROM {table} EXCEPT ALL ({model}))", params).fetchone()[0],
    ]
    assert diff == [0, 0]
    assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] > 500  # noqa: S608 - fixed names
    flags = "SELECT complaint_key, is_repeat FROM repeat_flags"
    model = build_query(flags, ("repeat_flags",), materialized=())
    stored = f"SELECT complaint_key, is_repeat FROM {REPEAT_TABLE}"  # noqa: S608 - fixed name
    diff = [run(con, f"SELECT count(*) FROM (({model}) EXCEPT ALL {stored})", {"repeat_from": None}).fetchone()[0],
            run(con, f"SELECT count(*) FROM ({stored} EXCEPT ALL ({model}))", {"repeat_from": None}).fetchone()[0]]
    assert diff == [0, 0]
    assert con.execute(f"SELECT count_if(is_repeat), count_if(is_overdue) FROM {FACTS_TABLE}").fetchone() > (0, 0)  # noqa: S608


def test_compute_is_identical_with_and_without_the_table(con, monkeypatch):
    a, windows, filters = _cases(con)
    checked = 0
    for date_from, date_to in windows:
        for f in filters:
            with_table, without = both_ways(monkeypatch, kpi.compute, con, date_from, date_to, filters=f)
            assert with_table == without, (date_from, date_to, f)
            checked += with_table["received"] > 0
            # the same period a year earlier, as of then (stored repeat flags, facts computed)
            y0, y1 = D(date_from.year - 1, date_from.month, 1), D(date_to.year - 1, date_to.month, 28)
            with_table, without = both_ways(monkeypatch, kpi.compute, con, y0, y1, as_of=y1, filters=f)
            assert with_table == without, (y0, y1, f)
    assert checked >= len(windows) * len(filters) - 2
    # another as-of date (both ways compute the model), and a chosen comparison period
    earlier = D(a.year, 3, 31)
    w, wo = both_ways(monkeypatch, kpi.compute, con, D(a.year, 1, 1), earlier, as_of=earlier)
    assert w == wo and w["period"]["as_of"] == earlier.isoformat()
    py = same_day_last_year(a)
    for f in filters:
        w, wo = both_ways(monkeypatch, kpi.compute, con, D(py.year, 1, 1), py, as_of=py, filters=f)
        assert w == wo and w["period"]["as_of"] == py.isoformat()
    assert w["received"] > 0
    w, wo = both_ways(monkeypatch, kpi.compute, con, D(a.year, 1, 1), a, previous=(D(2024, 1, 1), D(2024, 6, 30)))
    assert w == wo and w["repeat_complaints"] > 0 and w["backlog_overdue"] > 0


def test_frames_and_lists_are_identical_with_and_without_the_table(con, monkeypatch):
    a, windows, filters = _cases(con)
    frames = 0
    for f in filters:
        for date_from, date_to in windows[:3]:
            for fn in (kpi.by_month_frame, kpi.category_trend, kpi.category_by_month, kpi.channel_by_month,
                       kpi.department_by_month):
                w, wo = both_ways(monkeypatch, fn, con, date_from, date_to, filters=f)
                assert_frame_equal(w, wo, check_exact=True)
                frames += w.height > 0
            for dim in kpi.api.BREAKDOWN_DIMENSIONS:
                w, wo = both_ways(monkeypatch, kpi.breakdown_frame, con, dim, date_from, date_to, filters=f)
                assert_frame_equal(w, wo, check_exact=True)
            w, wo = both_ways(monkeypatch, kpi.complaint_list, con, date_from, date_to, filters=f, limit=50)
            assert_frame_equal(w, wo, check_exact=True)
        for fn in (kpi.aging_by_department, kpi.early_warning):
            w, wo = both_ways(monkeypatch, fn, con, filters=f)
            assert_frame_equal(w, wo, check_exact=True)
        w, wo = both_ways(monkeypatch, kpi.overdue_list, con, filters=f, limit=40, offset=5)
        assert_frame_equal(w, wo, check_exact=True)
        w, wo = both_ways(monkeypatch, kpi.complaint_list, con, filters=f, overdue_only=True, limit=1000)
        assert_frame_equal(w, wo, check_exact=True)
    assert frames > 50
    # lists that are not empty, so the comparisons above compared rows
    assert kpi.overdue_list(con, limit=10).height == 10
    assert kpi.early_warning(con).height > 0
    assert kpi.complaint_list(con, None, None, limit=5000)["is_repeat"].sum() > 0
    # another as-of date (stored repeat flags), and the same day a year earlier (its stored facts)
    for earlier in (a - dt.timedelta(days=45), D(a.year - 1, a.month, min(a.day, 28)), same_day_last_year(a)):
        assert make_scope(con, None, None, as_of=earlier).repeat_table
        for f in filters[:3]:
            w, wo = both_ways(monkeypatch, kpi.overdue_list, con, as_of=earlier, filters=f, limit=200)
            assert_frame_equal(w, wo, check_exact=True)
            for date_from, date_to in ((D(earlier.year, 1, 1), earlier), (D(2024, 1, 1), earlier)):
                for fn in (kpi.by_month_frame, kpi.category_trend):
                    w, wo = both_ways(monkeypatch, fn, con, date_from, date_to, as_of=earlier, filters=f)
                    assert_frame_equal(w, wo, check_exact=True)
                w, wo = both_ways(monkeypatch, kpi.complaint_list, con, date_from, date_to, as_of=earlier,
                                  filters=f, limit=3000)
                assert_frame_equal(w, wo, check_exact=True)
                assert w["is_repeat"].sum() > 0 or f is not None


@pytest.fixture()
def copy_con(demo_data_dir, tmp_path):
    db = tmp_path / "copy.duckdb"
    shutil.copy(demo_data_dir / "curated" / "monev.duckdb", db)
    c = duckdb.connect(str(db))
    yield c
    c.close()


def test_the_table_is_left_alone_when_it_no_longer_fits(copy_con, monkeypatch):
    con = copy_con
    monkeypatch.delenv(FACTS_TABLE_ENV, raising=False)
    a = _snapshot_as_of(con)
    assert make_scope(con, None, None).facts_table
    # a limit changed after the build: facts would differ, so they are computed
    con.execute("UPDATE sla_limits SET limit_days = limit_days + 3 WHERE step = 'resolution'")
    assert not make_scope(con, None, None).facts_table
    w, wo = both_ways(monkeypatch, kpi.compute, con, D(a.year, 1, 1), a)
    assert w == wo
    # filled again for these settings it is used, and agrees
    snap = con.execute("SELECT snapshot_id FROM snapshot ORDER BY built_at DESC LIMIT 1").fetchone()[0]
    materialize_facts(con, a, snap)
    assert make_scope(con, None, None).facts_table
    w2, _ = both_ways(monkeypatch, kpi.compute, con, D(a.year, 1, 1), a)
    assert w2 == w
    # complaints deleted after the build: the counts no longer match
    con.execute("DELETE FROM complaints WHERE complaint_key IN (SELECT complaint_key FROM complaints LIMIT 3)")
    assert not make_scope(con, None, None).facts_table
    assert not make_scope(con, None, None, as_of=a - dt.timedelta(days=10)).repeat_table
    # a newer snapshot than the one the table was filled for
    materialize_facts(con, a, snap)
    assert make_scope(con, None, None).facts_table
    con.execute("INSERT INTO snapshot SELECT * REPLACE ('newer' AS snapshot_id, built_at + INTERVAL 1 HOUR AS built_at)"
                " FROM snapshot WHERE snapshot_id = ?", [snap])
    assert not make_scope(con, None, None).facts_table


def test_test_warehouses_have_no_table_and_compute_the_model():
    from warehouse_factory import make_warehouse

    con = make_warehouse([{"reported_at": "2025-03-03 09:00", "status": "in_progress"}])
    assert not make_scope(con, None, None).facts_table and not make_scope(con, None, None).repeat_table
    assert kpi.compute(con, D(2025, 3, 1), D(2025, 3, 31))["received"] == 1


def test_ringkasan_ratings_reuse_the_pages_kpi_result(demo_data_dir, monkeypatch):
    """Ringkasan passes its comparison window to department_ratings: the same ratings as without it,
    from the compute its kpi() call already made (one compute for both, not two)."""
    from dashboard import data
    from dashboard.filters import Filters, windows
    from pipelines.auth.scope import Scope

    monkeypatch.setenv("MONEV_DATA_DIR", str(demo_data_dir))
    snap = data.snapshot()
    ws = windows(Filters(period_key=str(snap.as_of.year)), snap.as_of)
    assert ws.comparison is not None
    scope = Scope("koordinator", user="k")
    data.clear_caches()
    calls = []
    real = kpi.compute
    monkeypatch.setattr(kpi, "compute", lambda *a, **k: calls.append(k.get("previous")) or real(*a, **k))
    cur = data.kpi(scope, snap, ws.current, {}, previous=ws.comparison)
    with_prev = data.department_ratings(scope, snap, ws.current, {}, previous=ws.comparison)
    assert len(calls) == 1 and calls[0] == (ws.comparison.date_from, ws.comparison.date_to)
    without = data.department_ratings(scope, snap, ws.current, {})
    assert len(calls) == 2 and calls[1] is None
    assert with_prev == without and len(with_prev) == len(cur["by_department"]) > 3
    assert any(r["score"] is not None for r in with_prev)
    data.clear_caches()
