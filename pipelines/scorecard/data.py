"""The scorecard's data: the queries a rapor needs, run once per period for a batch
(``city_context``: the city's KPI, the comparison window, OPD ratings, the overdue list, the
trend) plus the one filtered KPI query per OPD (``unit_kpi``). It reads the KPI engine
(``pipelines.kpi``) and the rating (``pipelines.rating``); it formats nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import yaml

from pipelines import fmt
from pipelines.kpi import (
    KpiError,
    by_month_frame,
    compute,
    department_by_month,
    normalize_filters,
    overdue_list,
    resolve_as_of,
)
from pipelines.periods import DEFAULT_COMPARISON, Period, parse_period
from pipelines.rating import load_model, rate_city, score_departments
from pipelines.scorecard.model import Comparison, ScorecardError, comparison_for
from pipelines.settings import resolve_config_dir

TREND_MONTHS = 12

def _to_period(period: Period | str) -> Period:
    if isinstance(period, Period):
        return period
    try:
        return parse_period(str(period))
    except ValueError as exc:
        raise ScorecardError(str(exc)) from None


def _read_city_config(config_dir: str | Path | None) -> dict[str, Any]:
    f = resolve_config_dir(config_dir) / "city.yaml"
    if not f.exists():
        return {}
    return yaml.safe_load(f.read_text(encoding="utf-8")) or {}


def as_count(v: Any) -> int:
    """A count as int (None: 0)."""
    return 0 if v is None else int(v)


@dataclass
class CityContext:
    """City-level numbers every scorecard of one period needs (computed once per batch)."""

    con: duckdb.DuckDBPyConnection
    period: Period
    as_of: dt.date
    kpi: dict[str, Any]
    comparison: Comparison | None
    prev_kpi: dict[str, Any] | None  # compute() for the comparison window
    model: Any  # RatingModel
    dept_ratings: dict[str, Any]  # name -> DepartmentRating
    departments: dict[str, str]  # canonical name -> short name (master data)
    overdue_rows: list[dict[str, Any]]  # every overdue complaint, oldest first
    trend_months: list[str]
    city_trend: list[dict[str, Any]]
    dept_trend: dict[str, list[dict[str, Any]]]
    city_cfg: dict[str, Any]
    city_name: str
    limits: dict[str, int]
    snapshot: dict[str, Any]
    _city_rating: Any = None

    def city_rating(self) -> Any:
        if self._city_rating is None:
            self._city_rating = rate_city(
                self.con, self.period.end.year, period=self.period, model=self.model, as_of=self.as_of
            )
        return self._city_rating


def _trend_window(con: duckdb.DuckDBPyConnection, period: Period, as_of: dt.date) -> tuple[dt.date, dt.date]:
    """The months the trend chart shows: the 12 months up to the end of the period (the whole period
    when it is longer), not before the first complaint in the warehouse, not after the as-of date."""
    end = min(period.end, as_of)
    y, m = end.year, end.month - (TREND_MONTHS - 1)
    while m < 1:
        y, m = y - 1, m + 12
    start = min(dt.date(y, m, 1), period.start)
    first = con.cursor().execute("SELECT CAST(min(reported_at) AS DATE) FROM complaints").fetchone()[0]
    if first is not None and first > start:
        start = min(dt.date(first.year, first.month, 1), dt.date(period.start.year, period.start.month, 1))
    if end < start:
        end = start
    return start, end


def _trend_rows(df: Any, period: Period) -> list[dict[str, Any]]:
    out = []
    for r in df.iter_rows(named=True):
        mk = str(r["month_key"])
        first = dt.date(int(mk[:4]), int(mk[5:7]), 1)
        out.append({
            "month": mk,
            "label": fmt.month_label(mk, short=True),
            "received": as_count(r["received"]),
            "in_scope": as_count(r["in_scope"]),
            "responded": as_count(r["responded"]),
            "resolved": as_count(r["resolved"]),
            "in_period": period.start <= first <= period.end,
        })
    return out


def city_context(
    con: duckdb.DuckDBPyConnection,
    period: Period | str,
    *,
    as_of: dt.date | None = None,
    config_dir: str | Path | None = None,
    comparison: str = DEFAULT_COMPARISON,
) -> CityContext:
    """Run the city-level queries for ``period`` once (the KPI, the comparison window, OPD ratings,
    the overdue list, the trend) for every scorecard of that period. ``comparison``: 'sebelumnya'
    (the previous period) or 'tahun_lalu' (the same period last year), as on the dashboard."""
    p = _to_period(period)
    try:
        a = resolve_as_of(con, as_of)
        cmp = comparison_for(p, a, comparison)
        window = (cmp.date_from, cmp.date_to) if cmp is not None else None
        kpi = compute(con, p.start, p.end, as_of=a, previous=window)
        prev_kpi = compute(con, cmp.date_from, cmp.date_to, as_of=cmp.as_of) if cmp is not None else None
    except KpiError as exc:
        raise ScorecardError(str(exc)) from None
    model = load_model(config_dir=config_dir)
    ratings = {d.department: d for d in score_departments(model, kpi)}
    cur = con.cursor()
    departments = dict(cur.execute("SELECT department, short_name FROM departments ORDER BY department").fetchall())
    limits = {k: int(v) for k, v in cur.execute("SELECT step, limit_days FROM sla_limits").fetchall()}
    city_row = cur.execute("SELECT value FROM settings WHERE key = 'city_name'").fetchone()

    n_overdue = max(int(kpi["backlog_overdue"]), 1)
    od = overdue_list(con, as_of=a, limit=n_overdue + 1)
    overdue_rows = list(od.iter_rows(named=True))

    t_from, t_to = _trend_window(con, p, a)
    city_trend = _trend_rows(by_month_frame(con, t_from, t_to, as_of=a), p)
    dept_trend: dict[str, list[dict[str, Any]]] = {}
    dbm = department_by_month(con, t_from, t_to, as_of=a)
    for name in dbm["department"].unique().to_list():
        if name is not None:
            dept_trend[name] = _trend_rows(dbm.filter(dbm["department"] == name).sort("month"), p)

    cfg = _read_city_config(config_dir)
    city_name = (city_row[0] if city_row and city_row[0] else None) or cfg.get("name") or "Kota"
    return CityContext(
        con=con, period=p, as_of=a, kpi=kpi, comparison=cmp, prev_kpi=prev_kpi, model=model, dept_ratings=ratings,
        departments=departments, overdue_rows=overdue_rows, trend_months=[r["month"] for r in city_trend],
        city_trend=city_trend, dept_trend=dept_trend, city_cfg=cfg, city_name=city_name, limits=limits,
        snapshot=kpi.get("snapshot") or {},
    )


def resolve_department(con: duckdb.DuckDBPyConnection, department: str) -> str:
    """The canonical name of ``department`` (a canonical name or a known alias)."""
    try:
        return normalize_filters(con, {"department": department})["department"][0]
    except ValueError as exc:
        raise ScorecardError(str(exc)) from None


def unit_kpi(
    con: duckdb.DuckDBPyConnection, ctx: CityContext, unit: str
) -> tuple[dict[str, Any], Mapping[str, Any] | None]:
    """One OPD's KPI for the context's period, and its row of the comparison window (None: no window)."""
    p, cmp = ctx.period, ctx.comparison
    try:
        k = compute(con, p.start, p.end, as_of=ctx.as_of, filters={"department": unit},
                    previous=(cmp.date_from, cmp.date_to) if cmp is not None else None)
    except KpiError as exc:
        raise ScorecardError(str(exc)) from None
    prev_row = None
    if ctx.prev_kpi is not None:
        prev_row = next((r for r in ctx.prev_kpi.get("by_department") or [] if r["department"] == unit), {})
    return k, prev_row
