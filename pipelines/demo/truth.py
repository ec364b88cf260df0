"""Reference figures from the simulated truth, following kpi-spec.md.

These are a cross-check for the demo (the manifest records them, the tests use
them); the product's KPIs come from the KPI engine's SQL, never from here.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from pipelines.demo.workdays import WorkCalendar
from pipelines.masterdata import EXCLUDED_STATUSES, MasterData


def _np(df: pl.DataFrame, col: str) -> np.ndarray:
    return df[col].cast(pl.Datetime("us")).to_numpy().astype("datetime64[D]")


def working_days(cal: WorkCalendar, start: pl.Series, end: pl.Series) -> np.ndarray:
    """HK(start, end) per row; -1 where either is missing."""
    s = start.cast(pl.Datetime("us")).to_numpy().astype("datetime64[D]")
    e = end.cast(pl.Datetime("us")).to_numpy().astype("datetime64[D]")
    bad = np.isnat(s) | np.isnat(e)
    out = cal.hk(np.where(bad, np.datetime64("1970-01-01"), s), np.where(bad, np.datetime64("1970-01-01"), e))
    return np.where(bad, -1, out)


def city_kpis(
    df: pl.DataFrame,
    md: MasterData,
    cal: WorkCalendar,
    as_of: dt.date,
    *,
    count_duplicates_once: bool = True,
) -> dict[str, float | int | None]:
    """Whole-period city figures of kpi-spec.md for complaints as the warehouse should hold them.

    ``df`` has the simulator's columns (or a final-visible state of them); ``duplicate_of``
    marks the later copy of a duplicate pair, which counts once when asked.
    """
    a = np.datetime64(as_of)
    d = df
    if count_duplicates_once and "duplicate_of" in d.columns:
        d = d.filter(pl.col("duplicate_of").is_null())
    received = d.height
    scope = d.filter(~pl.col("status").is_in(EXCLUDED_STATUSES))
    n = scope.height
    lim = {c.name: md.resolution_limit(c.name) for c in md.categories}
    res_limit = np.array(
        [
            md.sla.resolution_pengawasan if p else lim.get(c, md.sla.resolution)
            for c, p in zip(scope["category"].to_list(), scope["berkadar_pengawasan"].to_list(), strict=True)
        ]
    )
    rep = _np(scope, "reported_at")
    clock = scope.select(pl.coalesce("dispatched_at", "verified_at", "reported_at")).to_series()
    resp = working_days(cal, clock, scope["first_response_at"])
    resolved = working_days(cal, scope["reported_at"], scope["resolved_at"])
    verified = working_days(cal, scope["reported_at"], scope["verified_at"])
    at = np.full(len(rep), a)
    open_age = cal.hk(rep, at)
    clock_days = clock.cast(pl.Datetime("us")).to_numpy().astype("datetime64[D]")
    response_age = cal.hk(clock_days, at)
    responded = resp >= 0
    res_ok = resolved >= 0
    has_verif = (scope["source_system"] == "lapor").to_numpy()

    def rate(num: int, den: int) -> float | None:
        return num / den if den else None

    def on_time(
        done: np.ndarray, days: np.ndarray, limit: np.ndarray | int, eligible: np.ndarray, age: np.ndarray
    ) -> float | None:
        late_open = (~done) & eligible & (age > limit)
        return rate(int((done & (days <= limit)).sum()), int(done.sum() + late_open.sum()))

    return {
        "as_of": as_of.isoformat(),
        "received": received,
        "excluded": received - n,
        "in_scope": n,
        "verified": int((verified >= 0).sum()),
        "responded": int(responded.sum()),
        "resolved": int(res_ok.sum()),
        "response_rate": rate(int(responded.sum()), n),
        "resolution_rate": rate(int(res_ok.sum()), n),
        "response_days_median": float(np.median(resp[responded])) if responded.any() else None,
        "resolution_days_median": float(np.median(resolved[res_ok])) if res_ok.any() else None,
        "on_time_verification_rate": on_time(verified >= 0, verified, md.sla.verification, has_verif, open_age),
        # The response clock starts at disposition (else verification, else the report).
        "on_time_response_rate": on_time(responded, resp, md.sla.response, np.ones(n, dtype=bool), response_age),
        "on_time_resolution_rate": on_time(res_ok, resolved, res_limit, np.ones(n, dtype=bool), open_age),
        "backlog_open": int((~res_ok).sum()),
    }


def department_response_medians(df: pl.DataFrame, cal: WorkCalendar) -> dict[str, float]:
    """Median response HK per department over responded complaints."""
    clock = df.select(pl.coalesce("dispatched_at", "verified_at", "reported_at")).to_series()
    hk = working_days(cal, clock, df["first_response_at"])
    t = pl.DataFrame({"department": df["department"], "hk": hk}).filter((pl.col("hk") >= 0) & pl.col("department").is_not_null())
    g = t.group_by("department").agg(pl.col("hk").median())
    return dict(zip(g["department"].to_list(), g["hk"].to_list(), strict=True))
