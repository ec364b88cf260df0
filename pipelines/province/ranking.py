"""The province ranking and trends: the pemda of a province on the same KPIs, under one rule.

Each pemda's figures come from the KPI engine on that pemda's own published warehouse (its own SLA,
calendar and master data): the ``total`` row of ``group_metrics`` for the period. The rank is the
same SQL as every other league (``pipelines/kpi/sql/breakdown.sql``: rates, the minimum sample and
the league rule) over one ``group_metrics`` row per pemda, with ``min_sample`` and ``league`` of the
province configuration. So a pemda's row equals what ``pipelines.kpi.compute`` gives on that pemda
alone, and the rank follows the rule every other ranked table states.

Results for the views the province pages open on are precomputed at publish
(``pipelines.province.build``) and served from ``provinsi.duckdb`` while every pemda's published
warehouse is the one they were computed from; any other view is computed here.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

import duckdb
import polars as pl

from pipelines.kpi.api import (
    METRIC_COLUMNS,
    breakdown_row,
    by_month_frame,
    make_scope,
    snapshot_info,
    sort_breakdown,
)
from pipelines.kpi.engine import build_query, fetch_dicts, model_sql, run
from pipelines.kpi.rules_text import rank_rule
from pipelines.masterdata import load_master_data
from pipelines.province import Pemda, Province, ProvinceError
from pipelines.province.store import stored_view
from pipelines.rating.model import load_model
from pipelines.rating.scoring import rate_city
from pipelines.warehouse import WarehouseMissing, open_readonly

TOTAL_SQL = "SELECT * FROM group_metrics WHERE dimension = 'total'"
# the trend metrics a province page may chart (those of by_month_frame)
TREND_METRICS = METRIC_COLUMNS


def province_settings(province: Province) -> dict[str, Any]:
    """min_sample and league of the province configuration (its sla.yaml `kpi`)."""
    kpi = load_master_data(province.config_dir).kpi
    return {"min_sample": int(kpi.min_sample), "league": list(kpi.league)}


def _date(v: dt.date | str | None, what: str) -> dt.date | None:
    if v is None or isinstance(v, dt.date):
        return v
    try:
        return dt.date.fromisoformat(str(v))
    except ValueError:
        raise ProvinceError(f"Tanggal {what} {str(v)[:30]!r} tidak sah; tulis TTTT-BB-HH.") from None


def _pemda_total(con: duckdb.DuckDBPyConnection, date_from: dt.date, date_to: dt.date,
                 as_of: dt.date | None) -> tuple[pl.DataFrame, str]:
    """The pemda's group_metrics total row for the period (as compute builds it) and its as-of date."""
    scope = make_scope(con, date_from, date_to, as_of=as_of)
    sql = build_query(TOTAL_SQL, ("group_metrics",), ("total",), ("complaint_facts",),
                      scope.facts_table, scope.repeat_table)
    return run(con, sql, scope.params()).pl(), scope.as_of.isoformat()


def _rating(con: duckdb.DuckDBPyConnection, model: Any, date_from: dt.date, date_to: dt.date,
            as_of: dt.date | None) -> dict[str, Any] | None:
    """The estimated rating of the evaluation year of ``date_to``, on the period when it lies in that year."""
    period = (date_from, date_to) if date_from.year == date_to.year else None
    try:
        r = rate_city(con, date_to.year, period=period, model=model, as_of=as_of)
    except ValueError:  # e.g. no data for that year: no estimate rather than a wrong one
        return None
    return {"score": r.total, "predikat": r.predikat, "assessed": bool(r.assessed), "year": date_to.year}


def _rank(frames: list[pl.DataFrame], codes: list[str], settings: Mapping[str, Any]) -> list[dict[str, Any]]:
    """breakdown.sql over one group_metrics row per pemda (dimension 'pemda', group_value = kode)."""
    src = pl.concat(frames, how="vertical_relaxed").with_columns(
        pl.lit("pemda").alias("dimension"), pl.Series("group_value", codes, dtype=pl.Utf8)
    )
    league = list(settings["league"]) + [None, None, None]
    body = model_sql("breakdown").rstrip().rstrip(";")  # a fixed model file; values are bound parameters
    sql = f"WITH group_metrics AS (SELECT * FROM src),\nbreakdown AS (\n{body}\n)\nSELECT * FROM breakdown"  # noqa: S608
    con = duckdb.connect()
    try:
        con.register("src_frame", src.to_arrow())
        con.execute("CREATE TABLE src AS SELECT * FROM src_frame")  # a table: run() reads on a cursor
        params = {"min_sample": int(settings["min_sample"]), **{f"league_{i}": league[i - 1] for i in (1, 2, 3)}}
        return fetch_dicts(run(con, sql, params))
    finally:
        con.close()


def pemda_part(p: Pemda, date_from: dt.date, date_to: dt.date, as_of: dt.date | None, model: Any | None,
               *, total: bool = True, trend: bool = False) -> dict[str, Any] | None:
    """What one pemda's warehouse contributes to a province view of the period (None: no warehouse):
    its group_metrics total row, as-of date, snapshot and estimated rating (``model``: None gives no
    rating), and with ``trend`` its by_month_frame. It depends on nothing but that warehouse, the period
    and the rating model, so publish can keep it for a pemda that did not change."""
    try:
        con = open_readonly(p.paths)
    except WarehouseMissing:
        return None
    try:
        part: dict[str, Any] = {"snapshot_id": (snapshot_info(con) or {}).get("snapshot_id")}
        if total:
            part["frame"], part["as_of"] = _pemda_total(con, date_from, date_to, as_of)
            part["rating"] = _rating(con, model, date_from, date_to, as_of) if model is not None else None
        if trend:
            part["trend"] = by_month_frame(con, date_from, date_to)
    finally:
        con.close()
    return part


def assemble_ranking(province: Province, parts: Mapping[str, dict[str, Any] | None], date_from: dt.date,
                     date_to: dt.date, as_of: dt.date | None = None) -> dict[str, Any]:
    """The ranking from one ``pemda_part`` per pemda of the province (kode -> part; None: missing)."""
    settings = province_settings(province)
    names = {p.kode: p.name for p in province.pemda}
    frames, codes, missing = [], [], []
    for p in province.pemda:
        part = parts.get(p.kode)
        if part is None:
            missing.append({"kode": p.kode, "name": p.name})
            continue
        frames.append(part["frame"])
        codes.append(p.kode)
    rows = sort_breakdown(_rank(frames, codes, settings)) if frames else []
    out_rows = []
    for r in rows:
        row = breakdown_row(r, ())
        part = parts[r["group_value"]]
        out_rows.append({"kode": r["group_value"], "name": names[r["group_value"]], **row,
                         "as_of": part["as_of"], "snapshot_id": part["snapshot_id"], "rating": part["rating"]})
    return {
        "province": province.name,
        "period": {"from": date_from.isoformat(), "to": date_to.isoformat(),
                   "as_of": as_of.isoformat() if as_of else None},
        "rule": rank_rule(settings),
        "min_sample": int(settings["min_sample"]),
        "settings": settings,
        "rows": out_rows,
        "missing": missing,
    }


def assemble_trends(province: Province, parts: Mapping[str, dict[str, Any] | None],
                    metrics: tuple[str, ...]) -> dict[str, pl.DataFrame]:
    """metric -> [kode, name, month, value] from the ``trend`` of one ``pemda_part`` per pemda."""
    frames = [parts[p.kode]["trend"].with_columns(pl.lit(p.kode).alias("kode"), pl.lit(p.name).alias("name"))
              for p in province.pemda if parts.get(p.kode) is not None]
    out = {}
    for metric in metrics:
        if not frames:
            out[metric] = pl.DataFrame(schema={"kode": pl.Utf8, "name": pl.Utf8, "month": pl.Date, "value": pl.Float64})
            continue
        out[metric] = pl.concat([f.select("kode", "name", "month", pl.col(metric).cast(pl.Float64).alias("value"))
                                 for f in frames])
    return out


def compute_ranking(province: Province, date_from: dt.date, date_to: dt.date, as_of: dt.date | None = None,
                    *, with_rating: bool = True) -> dict[str, Any]:
    """The ranking computed from every pemda's warehouse (what ``ranking`` serves when nothing is stored)."""
    model = load_model(config_dir=province.config_dir) if with_rating else None
    parts = {p.kode: pemda_part(p, date_from, date_to, as_of, model) for p in province.pemda}
    return assemble_ranking(province, parts, date_from, date_to, as_of)


def view_key(kind: str, **params: Any) -> str:
    return json.dumps({"view": kind, **{k: (v.isoformat() if isinstance(v, dt.date) else v)
                                        for k, v in sorted(params.items())}}, sort_keys=True)


def ranking(province: Province, *, date_from: dt.date | str, date_to: dt.date | str,
            as_of: dt.date | str | None = None, with_rating: bool = True) -> dict[str, Any]:
    """The pemda of ``province`` ranked on the period's KPIs at ``as_of`` (default: each pemda's own
    published as-of date, as its own `monev kpi` would use). Rows in rank order; see the module doc."""
    d_from, d_to, a = _date(date_from, "awal"), _date(date_to, "akhir"), _date(as_of, "as-of")
    if d_from is None or d_to is None:
        raise ProvinceError("Periode peringkat butuh tanggal awal dan akhir.")
    if d_to < d_from:
        raise ProvinceError(f"Periode terbalik: {d_from.isoformat()} sesudah {d_to.isoformat()}.")
    key = view_key("ranking", date_from=d_from, date_to=d_to, as_of=a, rating=with_rating)
    stored = stored_view(province, key)
    if stored is not None:
        return stored
    return compute_ranking(province, d_from, d_to, a, with_rating=with_rating)


def compute_trends(province: Province, metrics: tuple[str, ...], date_from: dt.date,
                   date_to: dt.date) -> dict[str, pl.DataFrame]:
    """metric -> [kode, name, month, value]: one by_month_frame per pemda serves every metric."""
    parts = {p.kode: pemda_part(p, date_from, date_to, None, None, total=False, trend=True) for p in province.pemda}
    return assemble_trends(province, parts, metrics)


def pemda_trend(province: Province, *, metric: str, date_from: dt.date | str, date_to: dt.date | str) -> pl.DataFrame:
    """One row per pemda and month of the period: [kode, name, month, value] of ``metric``."""
    if metric not in TREND_METRICS:
        raise ProvinceError(f"Ukuran tren '{str(metric)[:40]}' tidak dikenal; pilih salah satu dari: "
                            f"{', '.join(TREND_METRICS[:12])} ….")
    d_from, d_to = _date(date_from, "awal"), _date(date_to, "akhir")
    if d_from is None or d_to is None or d_to < d_from:
        raise ProvinceError("Periode tren butuh tanggal awal dan akhir yang berurutan.")
    key = view_key("trend", metric=metric, date_from=d_from, date_to=d_to)
    stored = stored_view(province, key)
    if stored is not None:
        return pl.DataFrame(stored["rows"], schema={"kode": pl.Utf8, "name": pl.Utf8, "month": pl.Utf8,
                                                    "value": pl.Float64}).with_columns(pl.col("month").str.to_date())
    return compute_trends(province, (metric,), d_from, d_to)[metric]


__all__ = ["Pemda", "assemble_ranking", "assemble_trends", "compute_ranking", "compute_trends", "pemda_part", "pemda_trend", "ranking", "view_key"]
