"""What the province pages share: the period selector (the project's period conventions: a calendar
year by default, or a semester, quarter or month; ``?periode=`` in the URL) and the drill-down into
one pemda."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard import data
from dashboard.filters import PERIOD_KINDS, PERIOD_PARAM, default_period, period_options
from dashboard.pages import GOTO_KEY
from pipelines import fmt
from pipelines.auth.scope import Scope
from pipelines.periods import Period, PeriodError, parse_period

KIND_KEY, PERIOD_KEY = "prov.kind", "prov.period"
KINDS = {k: v for k, v in PERIOD_KINDS.items() if k != "kustom"}


def _from_url(first: dt.date, as_of: dt.date) -> None:
    """``?periode=2025`` (or 2025-S1, 2025-Q3, 2025-07) opens that period, once per session."""
    if KIND_KEY in st.session_state:
        return
    raw = st.query_params.get(PERIOD_PARAM)
    try:
        p = parse_period(raw) if raw else None
    except PeriodError:
        p = None
        st.warning(f"Parameter tautan '{PERIOD_PARAM}={str(raw)[:30]}' diabaikan; tulis mis. 2025, 2025-S1, "
                   "2025-Q3 atau 2025-07.", icon=":material/link_off:")
    if p is not None and p.kind in KINDS:
        st.session_state[KIND_KEY] = p.kind
        st.session_state[PERIOD_KEY] = p.key
    else:
        st.session_state[KIND_KEY] = "tahun"
        st.session_state[PERIOD_KEY] = default_period("tahun", first, as_of)


def _on_kind(first: dt.date, as_of: dt.date) -> None:
    st.session_state[PERIOD_KEY] = default_period(st.session_state[KIND_KEY], first, as_of)


def period_picker(first: dt.date, as_of: dt.date) -> Period:
    """Two selectors in one row; returns the chosen period (its URL form kept in ``?periode=``)."""
    _from_url(first, as_of)
    kind = st.session_state.get(KIND_KEY, "tahun")
    options = period_options(kind, first, as_of)
    if st.session_state.get(PERIOD_KEY) not in options:
        chosen = st.session_state.get(PERIOD_KEY)
        if chosen and chosen not in options:
            options = sorted({*options, chosen}, reverse=True)
    c1, c2, _ = st.columns([1, 1.4, 2.6])
    c1.selectbox("Jenis periode", list(KINDS), format_func=KINDS.get, key=KIND_KEY, on_change=_on_kind,
                 args=(first, as_of))
    key = c2.selectbox("Periode", options, key=PERIOD_KEY, format_func=_label(as_of),
                       help=f"Data tersedia {fmt.date_long(first)} – {fmt.date_long(as_of)} (tanggal data "
                            "terakhir antarpemda bisa berbeda; tiap pemda dihitung per tanggal datanya sendiri).")
    period = parse_period(key)
    if period.key != default_period("tahun", first, as_of):
        st.query_params[PERIOD_PARAM] = period.key
    else:
        st.query_params.pop(PERIOD_PARAM, None)
    return period


def _label(as_of: dt.date):
    def label(key: str) -> str:
        try:
            p = parse_period(key)
        except PeriodError:
            return key
        return f"{p.label} (berjalan)" if p.start <= as_of < p.end else p.label

    return label


def open_pemda(scope: Scope, kode: str) -> None:
    """A callback: open pemda ``kode``'s Ringkasan (scope checked by ``data.activate``)."""
    st.query_params.clear()
    data.activate(scope, kode)
    st.session_state[GOTO_KEY] = "ringkasan"
