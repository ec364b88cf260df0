"""Ringkasan Eksekutif: what the Wali Kota needs in one screen, and Mode Rapat for the projector."""

from __future__ import annotations

import html

import streamlit as st

from dashboard import context, data, insights
from dashboard.components import coverage, rapor, sidebar, states, summary, takeaways
from dashboard.components.sidebar import MEETING_KEY
from pipelines import fmt
from pipelines.kpi import rules_text

SLIDE_KEY = "ringkasan.slide"
SLIDES = ("Kinerja utama", "Tren bulanan", "Tunggakan", "OPD yang perlu perhatian", "Kategori yang naik")

ctx = context.get()
scope, snap, filters = ctx.scope, ctx.snap, ctx.filters

TOGGLE_HELP = ("Huruf besar, tanpa panel samping, satu gagasan per layar untuk proyektor. Tautan dengan "
               "?rapat=1 langsung membuka mode ini (dan &slide=3 layar ketiga).")

if not ctx.meeting:
    title_col, toggle_col = st.columns([3, 1.2], vertical_alignment="bottom")
    with title_col:
        st.title("Ringkasan Eksekutif")
    with toggle_col:
        st.toggle("Mode Rapat", key=MEETING_KEY, help=TOGGLE_HELP)

if filters is None or ctx.windows is None:
    st.stop()

cur = cmp = None
with states.guarded():
    cur = data.kpi(scope, snap, ctx.current, filters, previous=ctx.comparison)
    cmp = data.kpi(scope, snap, ctx.comparison, filters) if ctx.comparison is not None else None
if cur is None:
    st.stop()

if cur["received"] == 0 and cur["backlog_open"] == 0:
    states.no_data()
    st.stop()

# a short period gets a 12-month trend, so the line means something
period = ctx.current.period
trend_df = summary.trend_frame(cur["by_month"])
trend_title = "Tren bulanan: masuk, ditanggapi, selesai"
if trend_df.height < 6:
    import datetime as dt

    end = min(period.end, ctx.as_of)
    start = dt.date(end.year - 1 + (end.month == 12), end.month % 12 + 1, 1)
    with states.guarded():
        trend_df = summary.trend_frame(data.by_month(scope, snap, start, end, ctx.as_of, filters))
        trend_title = f"Tren 12 bulan s.d. {fmt.month_label(end.strftime('%Y-%m'))}: masuk, ditanggapi, selesai"

ratings: list = []
with states.guarded():
    ratings = data.department_ratings(scope, snap, ctx.current, filters, previous=ctx.comparison)


def _step(delta: int) -> None:
    i = int(st.session_state.get(SLIDE_KEY, 0)) + delta
    st.session_state[SLIDE_KEY] = max(0, min(len(SLIDES) - 1, i))


def _slide_from_url() -> None:
    """A link with ``&slide=3`` opens that slide (once per session; the buttons move on from there)."""
    if SLIDE_KEY in st.session_state:
        return
    raw = st.query_params.get("slide")
    if raw and raw.isdigit():
        st.session_state[SLIDE_KEY] = max(0, min(len(SLIDES) - 1, int(raw) - 1))


def slide_nav() -> int:
    _slide_from_url()
    i = max(0, min(len(SLIDES) - 1, int(st.session_state.get(SLIDE_KEY, 0))))
    sidebar.set_page_param("slide", i + 1)
    with st.container(key="slide-nav"):
        prev_col, mid, next_col, toggle_col = st.columns([1.1, 3.6, 1.1, 1.3], vertical_alignment="center")
        with prev_col:
            st.button("◀ Sebelumnya", key="ringkasan.prev", width="stretch", disabled=i == 0,
                      on_click=_step, args=(-1,))
        with next_col:
            st.button("Berikutnya ▶", key="ringkasan.next", width="stretch", disabled=i == len(SLIDES) - 1,
                      on_click=_step, args=(1,))
        with mid:
            st.markdown(f"<div class='slide-count'>{i + 1} / {len(SLIDES)} · {SLIDES[i]}</div>",
                        unsafe_allow_html=True)
        with toggle_col:
            st.toggle("Mode Rapat", key=MEETING_KEY, help=TOGGLE_HELP)
    return i


def show_slide(i: int) -> None:
    """Slide ``i``: its title, the sentence that says what it shows, and the chart or cards filling the screen."""
    if i == 0:
        sentence = takeaways.headline(ctx, cur, cmp)
    elif i == 1:
        sentence = takeaways.trend(trend_df)
    elif i == 2:
        sentence = takeaways.backlog(ctx, cur, cmp)
    elif i == 3:
        sentence = takeaways.attention(ctx, insights.attention_opds(ratings, cur.get("by_department") or [], cur))
    else:
        sentence = takeaways.rising(insights.rising_categories(cur.get("category_trend") or []))
    st.header(SLIDES[i], anchor=False)
    st.markdown(f"<p class='takeaway'>{html.escape(sentence)}</p>", unsafe_allow_html=True)
    with st.container(key=f"slide-body-{i}", height=480, border=False):
        if i == 0:
            summary.show_headline(ctx, cur, cmp, columns=3)
            coverage.caption(cur, ("response", "resolution"))
        elif i == 1:
            summary.show_trend(ctx, trend_df, trend_title, key="ringkasan.trend")
        elif i == 2:
            summary.show_aging(ctx, cur, key="ringkasan.aging")
        elif i == 3:
            summary.show_attention(ctx, ratings, cur, horizontal=True)
        else:
            summary.show_rising(ctx, cur, key="ringkasan.rising")


if ctx.meeting:
    i = slide_nav()
    with states.guarded():
        show_slide(i)
else:
    with states.guarded():
        summary.show_headline(ctx, cur, cmp, trend=[float(v) for v in trend_df["received"].to_list()])
        coverage.caption(cur, ("response", "resolution"))
    left, right = st.columns([3, 2], gap="large")
    with left, states.guarded():
        summary.show_trend(ctx, trend_df, trend_title, key="ringkasan.trend")
    with right, states.guarded():
        summary.show_aging(ctx, cur, key="ringkasan.aging")
    left, right = st.columns([1, 1], gap="large")
    with left:
        st.subheader("OPD yang perlu perhatian")
        with states.guarded():
            summary.show_attention(ctx, ratings, cur)
        st.caption(rules_text.attention_rule(cur))
    with right, states.guarded():
        summary.show_rising(ctx, cur, key="ringkasan.rising")
    if scope.can("view_rating"):
        st.page_link("app_pages/penilaian.py", label="Lihat estimasi predikat Kemendagri", icon=":material/workspace_premium:")
    rapor.show(ctx, None, key="ringkasan.rapor")
