"""The header on every page: city, data date and data version, DEMO marker, the active period and filters.

Users read a human data version ("Versi data: 2 Desember 2026 pukul 04.22"); the snapshot id stays in
its tooltip (and in the element's ``data-snapshot`` attribute, for tests and support). Mode Rapat gets one
compact line, so the slide keeps the screen.
"""

from __future__ import annotations

import html

import streamlit as st

from dashboard.context import Context
from pipelines import fmt

APP_NAME = "Monev Pengaduan"
DEMO_TEXT = "DEMO – data rekaan untuk uji coba, bukan data pengaduan sebenarnya"


def version_html(ctx: Context) -> str:
    """'Versi data: …' with the snapshot id as its tooltip."""
    snap = ctx.snap
    if snap is None:
        return ""
    sid = html.escape(snap.snapshot_id)
    return (f"<span class='app-version' data-snapshot='{sid}' title='Nomor snapshot gudang data: {sid}'>"
            f"Versi data: {fmt.datetime_long(snap.built_at)}</span>")


def render(ctx: Context, city: str, *, show_period: bool = True, note: str | None = None) -> None:
    if ctx.meeting:
        _render_compact(ctx, city)
        return
    with st.container(key="app-header"):
        left, right = st.columns([3, 2], vertical_alignment="bottom")
        with left:
            st.markdown(f"### {city or 'Pemerintah Daerah'} · {APP_NAME}")
        with right:
            if ctx.snap is not None:
                st.markdown(
                    f"<div style='text-align:right'><b>Data per {fmt.date_long(ctx.snap.as_of)}</b><br>"
                    f"<span style='color:#5B6B7B;font-size:0.85rem'>{version_html(ctx)}</span></div>",
                    unsafe_allow_html=True,
                )
            else:
                st.markdown(f"<div style='text-align:right'><b>{html.escape(note or 'Belum ada data')}</b></div>",
                            unsafe_allow_html=True)
    if ctx.scope.demo:
        with st.container(key="demo-marker"):
            st.markdown(DEMO_TEXT, help="Dasbor berjalan dalam mode demo: tanpa login, akses penuh.")
    if show_period and ctx.windows is not None and ctx.filters is not None:
        _period_line(ctx)


def _period_line(ctx: Context) -> None:
    cur, cmp = ctx.windows.current, ctx.windows.comparison
    parts = [f"**Periode:** {cur.label}"]
    if cmp is not None:
        parts.append(f"**Pembanding:** {cmp.label}")
    desc = ctx.filters.describe()
    if desc:
        parts.append(f"**Filter:** {desc}")
    if ctx.scope.restricted:
        parts.append(f"**Akses:** {ctx.scope.department}")
    st.caption(" · ".join(parts))
    for note in ctx.windows.notes:
        st.info(note, icon=":material/event_busy:")


def _render_compact(ctx: Context, city: str) -> None:
    """Mode Rapat: one thin line (city, period, data date, version, DEMO badge)."""
    bits = [f"<b>{html.escape(city or 'Pemerintah Daerah')}</b> · {APP_NAME}"]
    if ctx.windows is not None:
        bits.append(html.escape(ctx.windows.current.label))
    if ctx.snap is not None:
        bits.append(f"data per {fmt.date_long(ctx.snap.as_of)}")
        bits.append(version_html(ctx))
    demo = (f"<span class='demo-badge' title='{html.escape(DEMO_TEXT)}'>DEMO · data rekaan</span>"
            if ctx.scope.demo else "")
    with st.container(key="app-header-compact"):
        st.markdown(f"<div class='compact-header'>{' · '.join(bits)}{demo}</div>", unsafe_allow_html=True)
