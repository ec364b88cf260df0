"""The headline KPIs three ways: from ``pipelines.kpi.compute``, by a bare hand-written DuckDB query
(the physical floor), and by pandas after loading every complaint row (the naive peer).

Headline = the city's received, in_scope, responded, resolved, response_on_time, response_late,
response_days_median and backlog_open for the period, and per OPD received, response_on_time and
backlog_open. The rules are the engine's (docs/kpi.md): the as-of cut, duplicates counted once,
in scope by status, the OPD's clock from dispatch/verification/report, working days from the
calendar's ``wd_index``. The three must agree exactly (the benchmark records it, and the test checks it).
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import duckdb
import numpy as np

CITY_KEYS = ("received", "in_scope", "responded", "resolved", "response_on_time", "response_late",
             "response_days_median", "backlog_open")
DEPT_KEYS = ("received", "response_on_time", "backlog_open")


def params(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """The as-of date, the response limit, the duplicate rule and the as-of working-day index."""
    as_of = con.execute("SELECT max(as_of) FROM snapshot").fetchone()[0]
    limit = con.execute("SELECT limit_days FROM sla_limits WHERE step = 'response'").fetchone()
    once = con.execute("SELECT value FROM settings WHERE key = 'count_duplicates_once'").fetchone()
    wd = con.execute("SELECT wd_index FROM calendar WHERE date = ?", [as_of]).fetchone()[0]
    return {"as_of": as_of, "as_of_end": dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time()),
            "limit": int(limit[0]) if limit else 5,
            "once": (once[0].strip().lower() == "true") if once else True, "wd_as_of": int(wd)}


def _norm(city: dict, depts: dict) -> dict:
    out = {k: (None if city.get(k) is None else float(city[k]) if k.endswith("median") else int(city[k]))
           for k in CITY_KEYS}
    out["by_department"] = {d: tuple(int(v) for v in vals) for d, vals in sorted(depts.items())
                            if vals[0] > 0 or vals[2] > 0}
    return out


def from_compute(out: dict) -> dict:
    """The headline figures out of ``compute``'s JSON."""
    depts = {r["department"]: tuple(r[k] for k in DEPT_KEYS) for r in out["by_department"]}
    return _norm(out, depts)


BARE_SQL = """
WITH c AS (
    SELECT
        c.department,
        CAST(c.reported_at AS DATE) BETWEEN $d_from AND $d_to            AS in_period,
        NOT coalesce(s.is_excluded, false)                               AS in_scope,
        CASE WHEN c.first_response_at < $end THEN c.first_response_at END AS fr,
        c.resolved_at < $end                                             AS is_resolved,
        coalesce(CASE WHEN c.dispatched_at < $end THEN c.dispatched_at END,
                 CASE WHEN c.verified_at < $end THEN c.verified_at END, c.reported_at) AS started
    FROM complaints AS c LEFT JOIN statuses AS s ON s.status = c.status
    WHERE c.reported_at < $end AND NOT ($once AND c.is_duplicate)
), d AS (
    SELECT c.*, f.wd_index - b.wd_index AS days, $wd_as_of - b.wd_index AS age
    FROM c
    LEFT JOIN calendar AS b ON b.date = CAST(c.started AS DATE)
    LEFT JOIN calendar AS f ON f.date = CAST(c.fr AS DATE)
)
SELECT
    grouping(department) = 0                                           AS per_department,
    department,
    count_if(in_period)                                                AS received,
    count_if(in_period AND in_scope)                                   AS in_scope,
    count_if(in_period AND in_scope AND fr IS NOT NULL)                AS responded,
    count_if(in_period AND in_scope AND coalesce(is_resolved, false))  AS resolved,
    count_if(in_period AND in_scope AND days <= $limit)                AS response_on_time,
    count_if(in_period AND in_scope AND CASE WHEN fr IS NOT NULL THEN days > $limit ELSE age > $limit END)
                                                                       AS response_late,
    quantile_cont(days, 0.5) FILTER (WHERE in_period AND in_scope AND fr IS NOT NULL) AS response_days_median,
    count_if(in_scope AND NOT coalesce(is_resolved, false))            AS backlog_open
FROM d
GROUP BY GROUPING SETS ((), (department))
"""


def bare_sql(con: duckdb.DuckDBPyConnection, d_from: dt.date, d_to: dt.date, p: dict | None = None) -> dict:
    """The headline KPIs by one hand-written query."""
    p = p or params(con)
    rows = con.execute(BARE_SQL, {"d_from": d_from, "d_to": d_to, "end": p["as_of_end"], "once": p["once"],
                                  "limit": p["limit"], "wd_as_of": p["wd_as_of"]}).fetchall()
    city, depts = {}, {}
    for per_dept, dept, *vals in rows:
        rec = dict(zip(("received", "in_scope", "responded", "resolved", "response_on_time", "response_late",
                        "response_days_median", "backlog_open"), vals, strict=True))
        if not per_dept:
            city = rec
        elif dept is not None:
            depts[dept] = tuple(rec[k] for k in DEPT_KEYS)
    return _norm(city, depts)


def pandas_peer(con: duckdb.DuckDBPyConnection, d_from: dt.date, d_to: dt.date,
                p: dict | None = None) -> tuple[dict, dict[str, float]]:
    """Load every complaint row into pandas (what a typical dashboard does), then compute the
    headline KPIs there. Returns (figures, {"load_s", "compute_s"})."""
    import pandas as pd

    p = p or params(con)
    t = time.perf_counter()
    df = con.execute("SELECT * FROM complaints").df()
    cal = con.execute("SELECT date, wd_index FROM calendar ORDER BY date").df()
    st = con.execute("SELECT status, is_excluded FROM statuses").df()
    load_s = time.perf_counter() - t

    t = time.perf_counter()
    end = pd.Timestamp(p["as_of_end"])
    df = df[df["reported_at"] < end]
    if p["once"]:
        df = df[~df["is_duplicate"].astype(bool)]
    ts = {c: df[c].where(df[c] < end) for c in ("verified_at", "dispatched_at", "first_response_at", "resolved_at")}
    excluded = dict(zip(st["status"], st["is_excluded"].astype(bool), strict=True))
    in_scope = ~df["status"].map(excluded).fillna(False).astype(bool).to_numpy()
    rep_day = df["reported_at"].to_numpy().astype("datetime64[D]")
    in_period = (rep_day >= np.datetime64(d_from)) & (rep_day <= np.datetime64(d_to))
    started = ts["dispatched_at"].fillna(ts["verified_at"]).fillna(df["reported_at"])

    # working-day index by day offset from the calendar's first date
    cal_days = pd.to_datetime(cal["date"]).to_numpy().astype("datetime64[D]")
    first, wd_arr = cal_days[0], cal["wd_index"].to_numpy(dtype="float64")

    def wd_of(s: pd.Series) -> np.ndarray:
        days = s.to_numpy().astype("datetime64[D]")
        idx = (days - first).astype("int64")
        ok = ~np.isnat(days) & (idx >= 0) & (idx < len(wd_arr))
        out = np.full(len(days), np.nan)
        out[ok] = wd_arr[idx[ok]]
        return out

    wd_start, wd_fr = wd_of(started), wd_of(ts["first_response_at"])
    responded_any = ts["first_response_at"].notna().to_numpy()
    resolved_any = ts["resolved_at"].notna().to_numpy()
    days = wd_fr - wd_start
    age = p["wd_as_of"] - wd_start
    lim = p["limit"]
    with np.errstate(invalid="ignore"):
        on_time = in_period & in_scope & (days <= lim)
        late = in_period & in_scope & np.where(responded_any, days > lim, age > lim)
    responded = in_period & in_scope & responded_any
    backlog = in_scope & ~resolved_any
    med = days[responded & ~np.isnan(days)]
    city = {
        "received": int(in_period.sum()), "in_scope": int((in_period & in_scope).sum()),
        "responded": int(responded.sum()), "resolved": int((in_period & in_scope & resolved_any).sum()),
        "response_on_time": int(on_time.sum()), "response_late": int(late.sum()),
        "response_days_median": float(np.median(med)) if len(med) else None,
        "backlog_open": int(backlog.sum()),
    }
    g = pd.DataFrame({"department": df["department"].to_numpy(), "received": in_period, "on_time": on_time,
                      "backlog": backlog}).dropna(subset=["department"])
    agg = g.groupby("department", sort=True)[["received", "on_time", "backlog"]].sum()
    depts = {d: (int(r.received), int(r.on_time), int(r.backlog)) for d, r in agg.iterrows()}
    compute_s = time.perf_counter() - t
    return _norm(city, depts), {"load_s": load_s, "compute_s": compute_s}
