"""The global filters in the sidebar: they persist across pages and are mirrored in the URL.

The values live in ``st.session_state[STORE]`` (a ``Filters``); the widgets (keys ``flt.*``) are
filled from it whenever they are (re)drawn, so the filters survive page changes and Mode Rapat
(which draws no sidebar). On a session's first run the URL parameters are read and validated
against the master data; an invalid value is ignored with a notice. After every run the URL is
rewritten from the filters, so a copied link reproduces the view.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard.filters import (
    COMPARISONS,
    DIMENSION_FILTERS,
    MEETING_PARAM,
    PERIOD_KINDS,
    Filters,
    default_filters,
    default_period,
    parse_query_params,
    period_options,
)
from pipelines import fmt
from pipelines.auth.scope import Scope
from pipelines.periods import Period, PeriodError, parse_period

STORE = "flt.state"
PAGE_PARAMS = "app.page_params"
NOTICES = "flt.notices"
MEETING_KEY = "ringkasan.rapat"
W_KIND, W_PERIOD, W_RANGE, W_CMP = "flt.kind", "flt.period", "flt.range", "flt.cmp"
DIM_PLACEHOLDERS = {
    "department": "Semua OPD",
    "category": "Semua kategori",
    "channel": "Semua kanal",
    "kecamatan": "Semua kecamatan",
    "kelurahan": "Semua kelurahan",
}


def _wkey(dim: str) -> str:
    return f"flt.{dim}"


def init_from_url(snap, master, resolver) -> None:
    """On a session's first run: the filters from the URL (validated), else the defaults."""
    if STORE in st.session_state:
        return
    parsed = parse_query_params(
        dict(_query_params()), first=snap.first_date, as_of=snap.as_of, master=master.values(), resolve=resolver,
    )
    st.session_state[STORE] = parsed.filters
    st.session_state[NOTICES] = parsed.notices
    if parsed.meeting:
        st.session_state[MEETING_KEY] = True


def _query_params() -> dict[str, list[str]]:
    qp = st.query_params
    return {k: qp.get_all(k) for k in qp}


def current(snap) -> Filters:
    f = st.session_state.get(STORE)
    return f if f is not None else default_filters(snap.first_date, snap.as_of)


def _set_store(f: Filters) -> None:
    st.session_state[STORE] = f


def _fill_widgets(f: Filters) -> None:
    """Give every filter widget its value from the store (widgets not drawn last run were forgotten)."""
    ss = st.session_state
    p = f.period
    ss.setdefault(W_KIND, p.kind)
    if p.kind == "kustom":
        ss.setdefault(W_RANGE, (p.start, p.end))
    else:
        ss.setdefault(W_PERIOD, f.period_key)
    ss.setdefault(W_CMP, f.comparison)
    for dim in DIMENSION_FILTERS:
        ss.setdefault(_wkey(dim), list(getattr(f, dim)))


def _on_kind_change(first: dt.date, as_of: dt.date) -> None:
    kind = st.session_state[W_KIND]
    key = default_period(kind, first, as_of)
    if kind == "kustom":
        p = parse_period(key)
        st.session_state[W_RANGE] = (p.start, p.end)
    else:
        st.session_state[W_PERIOD] = key


def reset_state() -> None:
    """Forget the filters and their widgets (another pemda: other OPD, categories and wilayah)."""
    for k in [STORE, W_KIND, W_PERIOD, W_RANGE, W_CMP, *(_wkey(d) for d in DIMENSION_FILTERS)]:
        st.session_state.pop(k, None)


def _reset(snap) -> None:
    for k in [W_KIND, W_PERIOD, W_RANGE, W_CMP, *(_wkey(d) for d in DIMENSION_FILTERS)]:
        st.session_state.pop(k, None)
    _set_store(default_filters(snap.first_date, snap.as_of))


def render(snap, master, scope: Scope) -> Filters:
    """Draw the filter widgets in the sidebar and return the filters they set."""
    f = current(snap)
    _fill_widgets(f)
    first, as_of = snap.first_date, snap.as_of
    sb = st.sidebar
    sb.markdown("**Periode**")
    kind = sb.selectbox(
        "Jenis periode", list(PERIOD_KINDS), format_func=PERIOD_KINDS.get, key=W_KIND,
        on_change=_on_kind_change, args=(first, as_of),
    )
    period_key = f.period_key
    if kind == "kustom":
        # A range from a link may start before the first report or end after the data date: widen the
        # picker's bounds to it instead of failing (the KPI engine handles any range).
        rng = st.session_state.get(W_RANGE)
        picked = [d for d in rng if isinstance(d, dt.date)] if isinstance(rng, tuple | list) else []
        value = sb.date_input(
            "Rentang tanggal", key=W_RANGE, min_value=min([first, as_of, *picked]), max_value=max([as_of, *picked]),
            format="DD/MM/YYYY",
            help="Tanggal laporan, awal dan akhir termasuk.",
        )
        if isinstance(value, tuple | list) and len(value) == 2:
            period_key = Period.from_dates(value[0], value[1]).key
        else:
            sb.caption("Pilih tanggal akhir rentang.")
    else:
        options = period_options(kind, first, as_of)
        chosen = st.session_state.get(W_PERIOD)
        if chosen not in options:
            try:
                p = parse_period(chosen) if chosen else None
            except PeriodError:
                p = None
            if p is not None and p.kind == kind:
                options = sorted({*options, chosen}, reverse=True)
            else:
                st.session_state[W_PERIOD] = default_period(kind, first, as_of)
        period_key = sb.selectbox(
            "Periode", options, key=W_PERIOD, format_func=_period_label(as_of),
            help=f"Data tersedia {fmt.date_long(first)} – {fmt.date_long(as_of)}.",
        )
    comparison = sb.radio("Bandingkan dengan", list(COMPARISONS), format_func=COMPARISONS.get, key=W_CMP)

    sb.markdown("**Filter**")
    values = master.values()
    chosen_dims: dict[str, list[str]] = {}
    for dim, (_param, label) in DIMENSION_FILTERS.items():
        options = list(values[dim])
        if dim == "department" and scope.restricted:
            options = [scope.department]
        if dim == "kelurahan" and chosen_dims.get("kecamatan"):
            options = [k for kec in chosen_dims["kecamatan"] for k in master.kecamatan.get(kec, ())]
        current_values = [v for v in st.session_state.get(_wkey(dim), []) if v in options]
        if dim == "department" and scope.restricted:
            _refused_departments(scope, st.session_state.get(_wkey(dim), []), options)
        st.session_state[_wkey(dim)] = current_values
        chosen_dims[dim] = sb.multiselect(
            label, options, key=_wkey(dim), placeholder=DIM_PLACEHOLDERS[dim],
            select_all=False,  # "Select all" is English and means the same as no filter
        )
    new = Filters(period_key, comparison, **{d: tuple(v) for d, v in chosen_dims.items()})
    _set_store(new)
    if new != default_filters(first, as_of):
        sb.button("Atur ulang filter", on_click=_reset, args=(snap,), icon=":material/restart_alt:",
                  width="stretch")
    return new


def _period_label(as_of: dt.date):
    def label(key: str) -> str:
        try:
            p = parse_period(key)
        except PeriodError:
            return key
        if p.start <= as_of < p.end:
            return f"{p.label} (berjalan)"
        return p.label

    return label


def _refused_departments(scope, asked, allowed) -> None:
    """An opd viewer asked (by link or filter) for another OPD: say so, never drop it silently."""
    foreign = [v for v in asked if v not in allowed]
    if foreign:
        st.session_state.setdefault(NOTICES, []).append(
            f"Akses Anda terbatas pada {scope.department}; data {', '.join(foreign)} tidak dapat dibuka, "
            f"jadi halaman ini menampilkan {scope.department} (dan angka tingkat kota).")


def show_notices() -> None:
    """Show (once) the notices about URL parameters that were ignored."""
    notices = st.session_state.pop(NOTICES, None)
    for n in notices or []:
        st.warning(n, icon=":material/link_off:")


def set_page_param(name: str, value: object) -> None:
    """A parameter of the running page kept in the URL next to the filters (e.g. ``slide=3``,
    ``opd=DPUPR``); ``None`` leaves it out. The entry script clears these before every page run."""
    params = st.session_state.setdefault(PAGE_PARAMS, {})
    params[name] = None if value is None else str(value)


def clear_page_params() -> None:
    st.session_state[PAGE_PARAMS] = {}


def sync_url(f: Filters, snap, *, meeting: bool) -> None:
    """Rewrite the URL parameters from the filters (only values that differ from the defaults) and the
    running page's own parameters."""
    want = f.to_query_params(default_filters(snap.first_date, snap.as_of).period_key)
    if meeting:
        want[MEETING_PARAM] = "1"
    for k, v in (st.session_state.get(PAGE_PARAMS) or {}).items():
        if v is not None:
            want[k] = v
    have = _query_params()
    norm = {k: ([v] if isinstance(v, str) else list(v)) for k, v in want.items()}
    if have != norm:
        st.query_params.from_dict(want)
