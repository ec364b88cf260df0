"""The header on every page: city, snapshot id and as-of date, DEMO marker, the active period and filters."""

from __future__ import annotations

import streamlit as st

from dashboard.context import Context
from pipelines import fmt

APP_NAME = "Monev Pengaduan"


def render(ctx: Context, city: str, *, show_period: bool = True) -> None:
    with st.container(key="app-header"):
        left, right = st.columns([3, 2], vertical_alignment="bottom")
        with left:
            st.markdown(f"### {city or 'Pemerintah Daerah'} · {APP_NAME}")
        with right:
            if ctx.snap is not None:
                st.markdown(
                    f"<div style='text-align:right'><b>Data per {fmt.date_long(ctx.snap.as_of)}</b><br>"
                    f"<span style='color:#5B6B7B;font-size:0.85rem'>Snapshot {ctx.snap.snapshot_id}</span></div>",
                    unsafe_allow_html=True,
                )
            else:
                st.markdown("<div style='text-align:right'><b>Belum ada data</b></div>", unsafe_allow_html=True)
    if ctx.scope.demo:
        with st.container(key="demo-marker"):
            st.markdown(
                "DEMO – data rekaan untuk uji coba, bukan data pengaduan sebenarnya",
                help="Dasbor berjalan dalam mode demo (monev serve --demo): tanpa login, akses penuh.",
            )
    if show_period and ctx.windows is not None and ctx.filters is not None:
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
