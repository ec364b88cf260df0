"""The province pages' data (issue 19): the ranking of pemda and their trends side by side.

Every number comes from ``pipelines.province.ranking`` (``ranking`` and ``pemda_trend``: the one
implementation the CLI and the province scorecard also use); nothing is ranked or recomputed here.
Each function takes the viewer's ``Scope`` and first calls ``scope.require_province()``: only a
province-level viewer (role ``provinsi``, or pimpinan/koordinator/evaluator/analis without a pemda)
compares pemda; a pemda's own viewer gets ``ScopeError`` whatever a page shows.

Results are cached per province state (``pipelines.province.store.current_state``: every pemda's
published warehouse and the province rules), so a pemda that publishes again is never shown stale.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import streamlit as st

from dashboard import data
from pipelines.auth.scope import Scope, ScopeError
from pipelines.province import Province

TTL = data.TTL
# the trends the province pages chart by default (precomputed at publish, pipelines.province.build)
TREND_METRICS: dict[str, str] = {
    "received": "Pengaduan masuk",
    "response_rate": "Tingkat tanggapan",
    "on_time_response_rate": "Tanggapan tepat waktu",
    "resolution_rate": "Tingkat penyelesaian",
}


def _province() -> Province:
    prov = data.province()
    if prov is None:
        raise ScopeError("Halaman provinsi hanya ada pada instalasi provinsi (folder data dengan provinsi.yaml).")
    return prov


def _state(prov: Province) -> str:
    from pipelines.province.store import current_state

    # a pemda's warehouse the dashboard already holds open is reopened first when it was published again,
    # so the ranking (which opens each warehouse by path) never reads an old instance of that file
    for p in prov.pemda:
        if data.file_token(p.paths.warehouse) is not None:
            with data.cursor(str(p.paths.warehouse)):
                pass
    return current_state(prov)


@st.cache_data(ttl=TTL, max_entries=32, show_spinner=False)
def _ranking(data_dir: str, state: str, d_from: str, d_to: str) -> dict[str, Any]:
    from pipelines.province.ranking import ranking as rank

    return rank(_province(), date_from=d_from, date_to=d_to)


def ranking(scope: Scope, date_from: dt.date, date_to: dt.date) -> dict[str, Any]:
    """``pipelines.province.ranking.ranking`` for the period (each pemda at its own as-of date)."""
    scope.require_province()
    prov = _province()
    return _ranking(str(prov.data_dir), _state(prov), date_from.isoformat(), date_to.isoformat())


@st.cache_data(ttl=TTL, max_entries=32, show_spinner=False)
def _trend(data_dir: str, state: str, metric: str, d_from: str, d_to: str) -> pl.DataFrame:
    from pipelines.province.ranking import pemda_trend

    return pemda_trend(_province(), metric=metric, date_from=d_from, date_to=d_to)


def trend(scope: Scope, metric: str, date_from: dt.date, date_to: dt.date) -> pl.DataFrame:
    """``pipelines.province.ranking.pemda_trend``: [kode, name, month, value], one row per pemda and month."""
    scope.require_province()
    prov = _province()
    return _trend(str(prov.data_dir), _state(prov), metric, date_from.isoformat(), date_to.isoformat())


def pemda_choices(scope: Scope) -> list[tuple[str, str]]:
    """(kode, name) of the pemda this viewer may open: every pemda for a province-level viewer, its own for
    a pemda's viewer (the sidebar selector never lists another pemda)."""
    prov = _province()
    return [(p.kode, p.name) for p in prov.pemda if scope.sees_pemda(p.kode)]


def span(scope: Scope) -> tuple[dt.date, dt.date] | None:
    """(first report, latest as-of date) over the pemda with a published warehouse: the range the province
    pages' period selector offers. None when no pemda has published yet."""
    scope.require_province()
    first = latest = None
    for kode, _name in pemda_choices(scope):
        snap = data.pemda_snapshot(scope, kode)
        if snap is None:
            continue
        first = snap.first_date if first is None else min(first, snap.first_date)
        latest = snap.as_of if latest is None else max(latest, snap.as_of)
    return (first, latest) if first is not None and latest is not None else None


__all__ = ["TREND_METRICS", "pemda_choices", "ranking", "span", "trend"]
