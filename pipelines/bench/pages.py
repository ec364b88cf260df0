"""Each dashboard page's data queries, timed by calling ``dashboard.data`` directly (no Streamlit
rendering; the render benchmark is separate). A page = the data functions its script calls on
first load with the default filters (the running year, compared with the previous period), as a
coordinator (full access) sees it.

Streamlit's result caches are cleared before every timed call, so each figure is the page's
queries on a warm database (the read-only handle stays open, as in the dashboard process) and never a
cache hit. ``first_ms`` is the first call of the page in the run (DuckDB's buffers may still be
cold for the tables it reads); ``warm_ms`` the median of ``repeat`` further calls.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

from dashboard.filters import default_filters, windows
from dashboard.pages import DATA_PAGES
from pipelines.auth.scope import Scope
from pipelines.rating import load_model


class _Ctx:
    def __init__(self, d: Any):
        self.d = d
        self.scope = Scope.full()
        self.snap = d.snapshot()
        if self.snap is None:
            raise RuntimeError("no published warehouse")
        self.filters = default_filters(self.snap.first_date, self.snap.as_of)
        w = windows(self.filters, self.snap.as_of)
        self.cur, self.cmp, self.as_of = w.current, w.comparison, self.snap.as_of


def _sidebar(c: _Ctx) -> None:
    c.d.snapshot()
    c.d.master(c.snap)


def _ringkasan(c: _Ctx) -> None:
    d = c.d
    cur = d.kpi(c.scope, c.snap, c.cur, c.filters, previous=c.cmp)
    if c.cmp is not None:
        d.kpi(c.scope, c.snap, c.cmp, c.filters)
    if len(cur["by_month"]) < 6:  # a short period gets a 12-month trend
        end = min(c.cur.period.end, c.as_of)
        start = dt.date(end.year - 1 + (end.month == 12), end.month % 12 + 1, 1)
        d.by_month(c.scope, c.snap, start, end, c.as_of, c.filters)
    d.department_ratings(c.scope, c.snap, c.cur, c.filters, previous=c.cmp)


def _kinerja_opd(c: _Ctx) -> None:
    d = c.d
    cur = d.kpi(c.scope, c.snap, c.cur, c.filters)
    d.department_ratings(c.scope, c.snap, c.cur, c.filters)
    dept = cur["by_department"][0]["department"] if cur["by_department"] else None
    if dept:
        d.complaints(c.scope, c.snap, c.cur, c.filters, as_of=c.as_of, department=dept)


def _sla_tunggakan(c: _Ctx) -> None:
    d = c.d
    d.kpi(c.scope, c.snap, c.cur, c.filters)
    if c.cmp is not None:
        d.kpi(c.scope, c.snap, c.cmp, c.filters)
    d.aging_by_department(c.scope, c.snap, c.as_of, c.filters)
    d.early_warning(c.scope, c.snap, c.as_of, c.filters)
    d.overdue(c.scope, c.snap, c.as_of, c.filters)


def _tren_kategori(c: _Ctx) -> None:
    d = c.d
    d.kpi(c.scope, c.snap, c.cur, c.filters, previous=c.cmp)
    d.category_by_month(c.scope, c.snap, c.cur, c.filters)
    d.channel_by_month(c.scope, c.snap, c.cur, c.filters)


def _wilayah(c: _Ctx) -> None:
    d = c.d
    d.breakdown(c.scope, c.snap, "kecamatan", c.cur, c.filters)
    d.breakdown(c.scope, c.snap, "kelurahan", c.cur, c.filters)
    d.kpi(c.scope, c.snap, c.cur, c.filters)


def _penilaian(c: _Ctx) -> None:
    d = c.d
    year = c.filters.period.end.year
    result = d.city_rating(c.scope, c.snap, year)
    d.warehouse_completeness(c.scope, c.snap, year)
    model = load_model(config_dir=d.paths().config_dir)
    bands = list(reversed([b.name for b in model.bands]))
    standing = result.predikat if result.predikat in bands else (
        model.band_for(result.total) if result.total is not None else None)
    targets = bands[bands.index(standing) + 1:] if standing in bands else bands
    if targets:
        d.what_if(c.scope, c.snap, year, targets[0])


def _kualitas_data(c: _Ctx) -> None:
    c.d.quality(c.scope, c.snap)
    c.d.last_run()


CALLS: dict[str, Callable[[_Ctx], None]] = {
    "sidebar": _sidebar, "ringkasan": _ringkasan, "kinerja_opd": _kinerja_opd, "sla_tunggakan": _sla_tunggakan,
    "tren_kategori": _tren_kategori, "wilayah": _wilayah, "penilaian": _penilaian, "kualitas_data": _kualitas_data,
}
# the sidebar, then the registry's pages (dashboard/pages.py) whose data queries are timed, in menu order
PAGES = ("sidebar", *(p for p in DATA_PAGES if p in CALLS))
assert set(CALLS) == set(PAGES), "every timed page is a page of the registry"


def _clear(d: Any) -> None:
    import streamlit as st

    st.cache_data.clear()
    d._city_rating.clear()  # a cache_resource; the warehouse handle (also one) stays open


def time_pages(data_dir: str, repeat: int = 3) -> dict[str, dict[str, float]]:
    """{page: {"first_ms", "warm_ms" (median), "warm_max_ms"}} for the warehouse in ``data_dir``."""
    os.environ["MONEV_DATA_DIR"] = str(data_dir)
    import streamlit  # noqa: F401 - creates its loggers

    # outside `streamlit run` every cached function warns "No runtime found"; the memory cache is what we want
    for name in list(logging.root.manager.loggerDict):
        if name.startswith("streamlit"):
            logging.getLogger(name).setLevel(logging.ERROR)
    import dashboard.data as d

    _clear(d)
    out: dict[str, dict[str, float]] = {}
    try:
        c = _Ctx(d)
        for page in PAGES:
            fn = CALLS[page]
            _clear(d)
            t = time.perf_counter()
            fn(c)
            first = time.perf_counter() - t
            warm = []
            for _ in range(max(1, repeat)):
                _clear(d)
                t = time.perf_counter()
                fn(c)
                warm.append(time.perf_counter() - t)
            out[page] = {"first_ms": round(first * 1000, 1), "warm_ms": round(statistics.median(warm) * 1000, 1),
                         "warm_max_ms": round(max(warm) * 1000, 1)}
    finally:
        _clear(d)
        d.handle().close()
    return out
