"""The KPI API: ``compute`` (the JSON contract of kpi-spec.md) and frames for charts and lists.

Every function runs the same SQL models (``pipelines/kpi/sql``): the rules live
there once, Python only binds parameters and arranges the rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import duckdb

from pipelines.kpi.derived import HEADLINE_KEYS, changes
from pipelines.kpi.engine import (
    KpiQuery,
    build_query,
    fetch_dicts,
    model_sql,
    read_settings,
    stored_tables,
)
from pipelines.kpi.filters import normalize_filters
from pipelines.kpi.stored import run_stored
from pipelines.periods import COMPARISONS, DEFAULT_COMPARISON, Period, comparison_for

if TYPE_CHECKING:
    import polars as pl

# Bump when a KPI rule changes, so saved numbers can be told apart.
DEFINITIONS_VERSION = "1.1"  # 1.1: step states (status says whether, dates say when), reopened, due_soon

PERIOD_KEYS = (
    "received", "excluded", "in_scope", "verified", "responded", "resolved",
    "response_rate", "resolution_rate",
    "verification_days_median", "response_days_median", "response_days_p90",
    "resolution_days_median", "resolution_days_p90",
    "on_time_verification_rate", "on_time_response_rate", "on_time_resolution_rate",
)
EXTRA_KEYS = (
    "verification_on_time", "verification_late", "response_on_time", "response_late",
    "resolution_on_time", "resolution_late",
    "satisfaction_mean", "satisfaction_count", "repeat_complaints", "repeat_rate",
    "reopened", "reopen_rate",
)
STEPS = ("verification", "response", "resolution")
STEP_STATES = ("dated", "undated", "not_done", "unknown")
COVERAGE_COLUMNS = tuple(f"{step}_{state}" for step in STEPS for state in STEP_STATES)
COUNT_KEYS = frozenset(
    ("received", "excluded", "in_scope", "verified", "responded", "resolved", "verification_on_time",
     "verification_late", "response_on_time", "response_late", "resolution_on_time", "resolution_late",
     "satisfaction_count", "repeat_complaints", "backlog_open", "backlog_overdue", "received_previous", "change",
     "reopened", "due_soon", *COVERAGE_COLUMNS)
)
BREAKDOWNS = {  # JSON key -> (dimension, leading key columns)
    "by_department": ("department", ("department",)),
    "by_category": ("category", ("category",)),
    "by_channel": ("channel", ("channel",)),
    "by_kecamatan": ("kecamatan", ("kecamatan",)),
    "by_kelurahan": ("kelurahan", ("kelurahan", "kecamatan")),
}
BY_MONTH_KEYS = ("received", "excluded", "in_scope", "verified", "responded", "resolved")
COMPUTE_DIMENSIONS = ("total", "department", "category", "channel", "kecamatan", "kelurahan", "month")


class KpiError(ValueError):
    """The KPI cannot be computed for these inputs (message in Bahasa Indonesia)."""


# ---------------------------------------------------------------- scope


def _to_date(value: dt.date | str | None, what: str) -> dt.date | None:
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise KpiError(f"Tanggal {what} '{value}' tidak dikenali; tulis sebagai YYYY-MM-DD.") from None


def snapshot_info(con: duckdb.DuckDBPyConnection) -> dict[str, Any] | None:
    """The published snapshot's {snapshot_id, as_of, input_hash}, or None."""
    row = con.cursor().execute(
        "SELECT snapshot_id, as_of, input_hash FROM snapshot ORDER BY built_at DESC, snapshot_id DESC LIMIT 1"
    ).fetchone()
    if row is None:
        return None
    return {"snapshot_id": row[0], "as_of": row[1].isoformat(), "input_hash": row[2]}


def resolve_as_of(con: duckdb.DuckDBPyConnection, as_of: dt.date | str | None) -> dt.date:
    """``as_of``, or the warehouse's own as-of date (``snapshot.as_of``)."""
    a = _to_date(as_of, "as-of")
    if a is not None:
        return a
    snap = snapshot_info(con)
    if snap is None:
        raise KpiError("Gudang data belum mencatat tanggal data (tabel snapshot kosong); berikan tanggal as-of.")
    return dt.date.fromisoformat(snap["as_of"])


def _check_calendar(con: duckdb.DuckDBPyConnection, as_of: dt.date) -> None:
    cal_min, cal_max, first = con.cursor().execute(
        """
        SELECT (SELECT min(date) FROM calendar), (SELECT max(date) FROM calendar),
               (SELECT CAST(min(reported_at) AS DATE) FROM complaints
                WHERE reported_at < CAST($as_of AS DATE) + INTERVAL 1 DAY)
        """,
        {"as_of": as_of},
    ).fetchone()
    if cal_min is None:
        raise KpiError("Kalender hari kerja di gudang data kosong; jalankan ulang `monev run`.")
    need_from = min(first, as_of) if first else as_of
    if need_from < cal_min or as_of > cal_max:
        raise KpiError(
            f"Kalender hari kerja di gudang data hanya mencakup {cal_min.isoformat()} sampai "
            f"{cal_max.isoformat()}, padahal perhitungan butuh {need_from.isoformat()} sampai "
            f"{as_of.isoformat()}. Pilih tanggal as-of di dalam rentang itu, atau jalankan ulang `monev run`."
        )


def make_scope(
    con: duckdb.DuckDBPyConnection,
    date_from: dt.date | str | None,
    date_to: dt.date | str | None,
    *,
    as_of: dt.date | str | None = None,
    filters: Mapping[str, Any] | None = None,
    previous: tuple[dt.date | str, dt.date | str] | None = None,
    comparison: str = DEFAULT_COMPARISON,
) -> KpiQuery:
    """Validated parameters of a KPI query (period, previous period, as-of, canonical filters).

    ``previous``: the (from, to) the category trend compares with; default the comparison window of
    ``comparison`` (pipelines.periods.comparison_for: the same span of the earlier period up to the
    same day, e.g. the same months of last year for a running year)."""
    d_from, d_to = _to_date(date_from, "awal"), _to_date(date_to, "akhir")
    if d_from is not None and d_to is not None and d_to < d_from:
        raise KpiError(
            f"Periode terbalik: tanggal awal {d_from.isoformat()} sesudah tanggal akhir {d_to.isoformat()}."
        )
    a = resolve_as_of(con, as_of)
    _check_calendar(con, a)
    settings = read_settings(con, a)
    bounds = [b["max"] for b in settings["aging_buckets"][:-1]]
    if any(b is None for b in bounds) or bounds != sorted(set(bounds)) or not 1 <= len(bounds) + 1 <= 8:
        raise KpiError(
            "Kelompok umur tunggakan (backlog_aging_buckets di sla.yaml) harus 1 sampai 8 kelompok "
            "dengan batas atas yang naik; hanya kelompok terakhir yang tanpa batas."
        )
    facts_table, repeat_table = stored_tables(con, a, settings)
    prev = None
    if d_from and d_to:  # the one comparison rule (pipelines.periods.comparison_for)
        win = comparison_for(d_from, d_to, a, comparison)
        # a period that starts after A has no comparison window; its trend compares with the one before
        prev = Period.from_dates(win.date_from, win.date_to) if win else Period.from_dates(d_from, d_to).previous()
    if previous is not None:
        p_from, p_to = _to_date(previous[0], "awal pembanding"), _to_date(previous[1], "akhir pembanding")
        if p_from is None or p_to is None or p_to < p_from:
            raise KpiError(f"Periode pembanding tidak sah: {previous[0]} sampai {previous[1]}.")
        prev = Period.from_dates(p_from, p_to)
    return KpiQuery(
        as_of=a,
        settings=settings,
        date_from=d_from,
        date_to=d_to,
        prev_from=prev.start if prev else None,
        prev_to=prev.end if prev else None,
        filters=normalize_filters(con, filters),
        facts_table=facts_table or False,
        repeat_table=repeat_table,
    )


# ---------------------------------------------------------------- compute


def _clean(v: Any) -> Any:
    if isinstance(v, float) and v != v:  # NaN never leaves the engine
        return None
    return v


def _metrics(row: Mapping[str, Any] | None, keys: tuple[str, ...]) -> dict[str, Any]:
    out = {}
    for k in keys:
        v = None if row is None else row.get(k)
        if v is None and k in COUNT_KEYS:
            v = 0
        out[k] = int(v) if (k in COUNT_KEYS and v is not None) else _clean(v)
    return out


def _aging(labels: list[str], row: Mapping[str, Any] | None) -> dict[str, int]:
    return {lab: int(row[f"backlog_aging_{i}"] or 0) if row else 0 for i, lab in enumerate(labels, start=1)}


def _coverage(row: Mapping[str, Any] | None) -> dict[str, dict[str, int]]:
    """Per step, how many in-scope complaints of the period have it dated, undated, not done, unknown."""
    return {
        step: {state: int((row or {}).get(f"{step}_{state}") or 0) for state in STEP_STATES} for step in STEPS
    }


def sort_breakdown(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rank order (ranked first, then by in-scope volume, then name): every ranked table's order."""
    return sorted(
        rows,
        key=lambda r: (r["rank"] is None, r["rank"] or 0, -(r["in_scope"] or 0), str(r["group_value"])),
    )


def breakdown_row(r: Mapping[str, Any], lead: tuple[str, ...]) -> dict[str, Any]:
    """One row of a breakdown (``by_department`` etc.) from a row of the breakdown model."""
    return {
        **{c: r[c] for c in lead},
        **_metrics(r, PERIOD_KEYS),
        **_metrics(r, EXTRA_KEYS),
        **_metrics(r, ("backlog_open", "backlog_overdue", "due_soon")),
        "rank": None if r["rank"] is None else int(r["rank"]),
        "insufficient_data": bool(r["insufficient_data"]),
        "coverage": _coverage(r),
    }


def _breakdowns(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out = {}
    for key, (dim, lead) in BREAKDOWNS.items():
        group_rows = sort_breakdown(
            [r for r in rows if r["dimension"] == dim and (r["received"] > 0 or r["backlog_open"] > 0)]
        )
        out[key] = [breakdown_row(r, lead) for r in group_rows]
    return out


def _category_trend(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "category": r["category"],
            **_metrics(r, ("received", "received_previous", "change")),
            "change_rate": _clean(r["change_rate"]),
            "trend": r["trend"],
        }
        for r in sorted(
            (r for r in rows if r["dimension"] == "category" and (r["received"] or r["received_previous"])),
            key=lambda r: (-abs(r["change"]), r["category"]),
        )
    ]


def _settings_out(settings: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "min_sample": int(settings["min_sample"]),
        "league": list(settings["league"]),
        "count_duplicates_once": bool(settings["count_duplicates_once"]),
        "cuti_bersama_is_day_off": bool(settings["cuti_bersama_is_day_off"]),
        "limits": {
            "verification": settings["verification_limit"],
            "response": settings["response_limit"],
            "resolution": settings["resolution_limit"],
            "resolution_pengawasan": settings["resolution_pengawasan_limit"],
        },
        "backlog_aging_buckets": [dict(b) for b in settings["aging_buckets"]],
        "due_soon_days": int(settings["due_soon_days"]),
    }


def compute(
    con: duckdb.DuckDBPyConnection,
    date_from: dt.date,
    date_to: dt.date,
    *,
    as_of: dt.date | None = None,
    filters: dict | None = None,
    previous: tuple[dt.date, dt.date] | None = None,
    comparison: str | None = None,
) -> dict:
    """All KPIs of kpi-spec.md for the period [date_from, date_to] at ``as_of``, as one JSON-ready dict.

    ``filters``: department, category, channel, kecamatan, kelurahan, classification, each one
    value or a list (canonical names or known aliases); unknown values raise UnknownFilterValue.
    ``previous``: (from, to) the category trend compares with (default: the comparison window).
    ``comparison``: a mode of ``pipelines.periods.COMPARISONS``: also compute the comparison window
    (same span, same maturity) and add ``comparison`` with its headline figures and the changes.
    """
    if comparison is not None and comparison not in COMPARISONS:
        raise KpiError(f"Pembanding '{comparison}' tidak dikenal; pilih {', '.join(COMPARISONS)}.")
    mode = comparison or DEFAULT_COMPARISON
    scope = make_scope(con, date_from, date_to, as_of=as_of, filters=filters, previous=previous, comparison=mode)
    # complaint_facts is computed once and kept: cheaper than streaming it into the grouping sets
    sql = build_query(
        model_sql("compute"), ("breakdown", "by_month"), COMPUTE_DIMENSIONS, ("complaint_facts", "breakdown"),
        scope.facts_table, scope.repeat_table,
    )
    rows = fetch_dicts(run_stored(con, sql, {**scope.params(), "dimension": "month"}))
    total = next((r for r in rows if r["dimension"] == "total"), None)
    period = Period.from_dates(scope.date_from, scope.date_to)
    out: dict[str, Any] = {
        "period": {"from": scope.date_from.isoformat(), "to": scope.date_to.isoformat(),
                   "as_of": scope.as_of.isoformat(), "label": period.label},
        "filters": scope.filters,
    }
    out.update(_metrics(total, PERIOD_KEYS))
    out.update(_metrics(total, EXTRA_KEYS))
    out["backlog_open"] = int(total["backlog_open"] or 0) if total else 0
    out["backlog_overdue"] = int(total["backlog_overdue"] or 0) if total else 0
    out["backlog_aging"] = _aging(scope.aging_labels, total)
    out["due_soon"] = int(total["due_soon"] or 0) if total else 0
    out["coverage"] = _coverage(total)
    out.update(_breakdowns(rows))
    out["by_month"] = [
        {"month": r["month_key"], **_metrics(r, BY_MONTH_KEYS)}
        for r in sorted((r for r in rows if r["dimension"] == "month"), key=lambda r: r["month_key"])
    ]
    out["category_trend"] = _category_trend(rows)
    out["previous_period"] = _previous_out(scope, mode, previous is None)
    out["snapshot"] = snapshot_info(con)
    out["settings"] = _settings_out(scope.settings)
    out["definitions_version"] = DEFINITIONS_VERSION
    if comparison is not None:
        out["comparison"] = _comparison_out(con, scope, comparison, out)
    return out


def _previous_out(scope: KpiQuery, mode: str, by_rule: bool) -> dict[str, Any]:
    """The window the category trend compared with (and, by the rule, the comparison window)."""
    prev = Period.from_dates(scope.prev_from, scope.prev_to)
    out: dict[str, Any] = {"from": prev.start.isoformat(), "to": prev.end.isoformat(), "label": prev.label}
    win = comparison_for(scope.date_from, scope.date_to, scope.as_of, mode) if by_rule else None
    if win is not None:
        out.update({"label": win.label, "as_of": win.as_of.isoformat(), "mode": mode, "note": win.note})
    return out


def _comparison_out(con: duckdb.DuckDBPyConnection, scope: KpiQuery, mode: str, current: Mapping[str, Any]
                    ) -> dict[str, Any] | None:
    """The comparison window's headline figures (same filters, seen at its own as-of date) and the
    change of each against the period: the numbers every surface shows as "vs ..."."""
    win = comparison_for(scope.date_from, scope.date_to, scope.as_of, mode)
    if win is None:
        return None
    other = compute(con, win.date_from, win.date_to, as_of=win.as_of, filters=scope.filters)
    return {
        "mode": mode, "mode_label": COMPARISONS[mode], "from": win.date_from.isoformat(),
        "to": win.date_to.isoformat(), "as_of": win.as_of.isoformat(), "label": win.label, "note": win.note,
        **{k: other.get(k) for k in HEADLINE_KEYS},
        "change": changes(current, other),
    }


# ---------------------------------------------------------------- frames


def _frame_query(
    con: duckdb.DuckDBPyConnection,
    final_sql: str,
    models: tuple[str, ...],
    dimensions: tuple[str, ...],
    scope: KpiQuery,
    extra: Mapping[str, Any] | None = None,
    materialized: tuple[str, ...] = ("complaint_facts", "breakdown"),
) -> pl.DataFrame:
    sql = build_query(final_sql, models, dimensions, materialized, scope.facts_table, scope.repeat_table)
    return run_stored(con, sql, {**scope.params(), **(extra or {})}).pl()


METRIC_COLUMNS = (
    "received", "excluded", "in_scope", "verified", "responded", "resolved", "response_rate", "resolution_rate",
    "verification_days_median", "response_days_median", "response_days_p90", "resolution_days_median",
    "resolution_days_p90", "verification_on_time", "verification_late", "response_on_time", "response_late",
    "resolution_on_time", "resolution_late", "on_time_verification_rate", "on_time_response_rate",
    "on_time_resolution_rate", "satisfaction_mean", "satisfaction_count", "repeat_complaints", "repeat_rate",
    "reopened", "reopen_rate", *COVERAGE_COLUMNS,
)


def by_month_frame(
    con: duckdb.DuckDBPyConnection, date_from: dt.date, date_to: dt.date, *,
    as_of: dt.date | None = None, filters: dict | None = None,
) -> pl.DataFrame:
    """One row per month of the period (zeros included) with every period metric."""
    scope = make_scope(con, date_from, date_to, as_of=as_of, filters=filters)
    df = _frame_query(
        con, "SELECT * FROM by_month ORDER BY month", ("by_month",), ("month",), scope, {"dimension": "month"}
    )
    return df.select("month", "month_key", *METRIC_COLUMNS)


def _group_by_month(con, dim: str, column: str, date_from, date_to, as_of, filters) -> pl.DataFrame:
    scope = make_scope(con, date_from, date_to, as_of=as_of, filters=filters)
    df = _frame_query(
        con, "SELECT * FROM by_month ORDER BY group_value, month", ("by_month",), (dim,), scope,
        {"dimension": dim},
    )
    return df.rename({"group_value": column}).select(column, "month", "month_key", *METRIC_COLUMNS)


def category_by_month(
    con: duckdb.DuckDBPyConnection, date_from: dt.date, date_to: dt.date, *,
    as_of: dt.date | None = None, filters: dict | None = None,
) -> pl.DataFrame:
    """Per category and month of the period (every category seen gets every month, zeros included)."""
    return _group_by_month(con, "category_month", "category", date_from, date_to, as_of, filters)


def channel_by_month(
    con: duckdb.DuckDBPyConnection, date_from: dt.date, date_to: dt.date, *,
    as_of: dt.date | None = None, filters: dict | None = None,
) -> pl.DataFrame:
    """Per channel and month of the period (zeros included)."""
    return _group_by_month(con, "channel_month", "channel", date_from, date_to, as_of, filters)


def department_by_month(
    con: duckdb.DuckDBPyConnection, date_from: dt.date, date_to: dt.date, *,
    as_of: dt.date | None = None, filters: dict | None = None,
) -> pl.DataFrame:
    """Per OPD and month of the period (zeros included)."""
    return _group_by_month(con, "department_month", "department", date_from, date_to, as_of, filters)


BREAKDOWN_DIMENSIONS = ("department", "category", "channel", "kecamatan", "kelurahan", "classification")


def breakdown_frame(
    con: duckdb.DuckDBPyConnection, dimension: str, date_from: dt.date, date_to: dt.date, *,
    as_of: dt.date | None = None, filters: dict | None = None,
) -> pl.DataFrame:
    """The breakdown rows of one dimension (department, category, channel, kecamatan, kelurahan,
    classification) with backlog, rank and insufficient_data, in rank order."""
    if dimension not in BREAKDOWN_DIMENSIONS:
        raise KpiError(f"Rincian '{dimension}' tidak dikenal; pilih {', '.join(BREAKDOWN_DIMENSIONS)}.")
    scope = make_scope(con, date_from, date_to, as_of=as_of, filters=filters)
    df = _frame_query(
        con,
        "SELECT * FROM breakdown WHERE dimension = $dimension AND (received > 0 OR backlog_open > 0) "
        "ORDER BY rank NULLS LAST, in_scope DESC, group_value",
        ("breakdown",), (dimension,), scope, {"dimension": dimension},
    )
    lead = [dimension, "kecamatan"] if dimension == "kelurahan" else [dimension]
    df = df.drop(dimension).rename({"group_value": dimension})
    return df.select(*lead, *METRIC_COLUMNS, "backlog_open", "backlog_overdue", "due_soon", "rank",
                     "insufficient_data")


def category_trend(
    con: duckdb.DuckDBPyConnection, date_from: dt.date, date_to: dt.date, *,
    as_of: dt.date | None = None, filters: dict | None = None,
    previous: tuple[dt.date, dt.date] | None = None, comparison: str = DEFAULT_COMPARISON,
) -> pl.DataFrame:
    """Per category: received now and in the comparison window (or ``previous`` = (from, to)), change,
    and trend (naik/turun/tetap; null when both periods are under min_sample)."""
    scope = make_scope(con, date_from, date_to, as_of=as_of, filters=filters, previous=previous,
                       comparison=comparison)
    return _frame_query(
        con,
        "SELECT group_value AS category, received, received_previous, change, change_rate, trend "
        "FROM breakdown WHERE dimension = 'category' AND (received > 0 OR received_previous > 0) "
        "ORDER BY abs(change) DESC, group_value",
        ("breakdown",), ("category",), scope,
    )


def aging_by_department(
    con: duckdb.DuckDBPyConnection, *, as_of: dt.date | None = None, filters: dict | None = None,
) -> pl.DataFrame:
    """Backlog at the as-of date per OPD and aging bucket (long format, every bucket listed)."""
    scope = make_scope(con, None, None, as_of=as_of, filters=filters)
    return _frame_query(
        con,
        """
        SELECT
            b.group_value                          AS department,
            bucket.i                               AS bucket_order,
            bucket.label                           AS aging_bucket,
            [b.backlog_aging_1, b.backlog_aging_2, b.backlog_aging_3, b.backlog_aging_4,
             b.backlog_aging_5, b.backlog_aging_6, b.backlog_aging_7, b.backlog_aging_8][bucket.i] AS complaints,
            b.backlog_open,
            b.backlog_overdue
        FROM breakdown AS b
        CROSS JOIN (
            SELECT generate_subscripts($aging_labels, 1) AS i, unnest($aging_labels) AS label
        ) AS bucket
        WHERE b.dimension = 'department' AND b.backlog_open > 0
        ORDER BY b.backlog_overdue DESC, b.backlog_open DESC, b.group_value, bucket.i
        """,
        ("breakdown",), ("department",), scope,
    )


def _list_params(
    status: str | list[str] | None, only: str | None, order: str, limit: int, offset: int
) -> dict[str, Any]:
    return {
        "status": [status] if isinstance(status, str) else (list(status) if status else None),
        "only": only,
        "order": order,
        "limit": int(limit),
        "offset": int(offset),
    }


def complaint_list(
    con: duckdb.DuckDBPyConnection,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    *,
    as_of: dt.date | None = None,
    filters: dict | None = None,
    department: str | list[str] | None = None,
    status: str | list[str] | None = None,
    overdue_only: bool = False,
    limit: int = 100,
    offset: int = 0,
) -> pl.DataFrame:
    """Complaints reported in the period (all up to as-of when no period), newest first, with status,
    dates, working days per step, limits and flags; ``total_rows`` gives the count before paging.
    No reporter data; title/body are the redacted ones (blank for rahasia reports)."""
    f = dict(filters or {})
    if department is not None:
        f["department"] = department
    scope = make_scope(con, date_from, date_to, as_of=as_of, filters=f)
    return _frame_query(
        con, model_sql("complaint_list"), ("complaint_facts",), ("total",), scope,
        _list_params(status, "overdue" if overdue_only else None, "reported", limit, offset),
        materialized=(),  # read once: let filters and the period reach the scan
    )


def overdue_list(
    con: duckdb.DuckDBPyConnection,
    *,
    as_of: dt.date | None = None,
    filters: dict | None = None,
    limit: int = 100,
    offset: int = 0,
) -> pl.DataFrame:
    """Open complaints past their resolution limit at the as-of date (any reported date), oldest first."""
    scope = make_scope(con, None, None, as_of=as_of, filters=filters)
    return _frame_query(
        con, model_sql("complaint_list"), ("complaint_facts",), ("total",), scope,
        _list_params(None, "overdue", "age", limit, offset),
        materialized=(),
    )


def due_soon_list(
    con: duckdb.DuckDBPyConnection,
    *,
    as_of: dt.date | None = None,
    filters: dict | None = None,
    limit: int = 100,
    offset: int = 0,
) -> pl.DataFrame:
    """Open complaints not yet late for their next step (``next_step``: first response while it is not
    done in a source that times it, else resolution) whose limit falls within ``due_soon_days`` working
    days (config/sla.yaml, default 2) of the as-of date, today included (``next_step_days_left`` 0 = the
    limit is the as-of date), least time left first. Same rows as the ``due_soon`` count."""
    scope = make_scope(con, None, None, as_of=as_of, filters=filters)
    return _frame_query(
        con, model_sql("complaint_list"), ("complaint_facts",), ("total",), scope,
        _list_params(None, "due_soon", "due", limit, offset),
        materialized=(),
    )


def reopened_list(
    con: duckdb.DuckDBPyConnection,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    *,
    as_of: dt.date | None = None,
    filters: dict | None = None,
    limit: int = 100,
    offset: int = 0,
) -> pl.DataFrame:
    """In-scope complaints reopened by the as-of date (a resolved status in one export, a later
    non-resolved, non-excluded one), reported in the period (every one up to as-of when no period),
    most recently reopened first; ``reopened_on`` is the export date of the reopening, ``is_open``
    whether it is still open. With the period, the same rows as the ``reopened`` count."""
    scope = make_scope(con, date_from, date_to, as_of=as_of, filters=filters)
    return _frame_query(
        con, model_sql("complaint_list"), ("complaint_facts",), ("total",), scope,
        _list_params(None, "reopened", "reopened", limit, offset),
        materialized=(),
    )


def early_warning(
    con: duckdb.DuckDBPyConnection, *, as_of: dt.date | None = None, filters: dict | None = None,
) -> pl.DataFrame:
    """Open steps (verification, first response, resolution) that pass their limit on the next
    working day after the as-of date, one row per complaint and step, by due date."""
    scope = make_scope(con, None, None, as_of=as_of, filters=filters)
    return _frame_query(
        con, model_sql("early_warning"), ("complaint_facts",), ("total",), scope,
        materialized=("complaint_facts",),
    )
