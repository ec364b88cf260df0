"""Kinerja OPD: the league table (score, predikat, rank; 'data tidak cukup' apart) and the drill-down
into one OPD's complaints."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import context, data, insights
from dashboard.components import complaints, coverage, league, rapor, sidebar, states, tables
from dashboard.components.cards import Card, definition, show_cards
from dashboard.components.tables import Col
from pipelines import fmt
from pipelines.kpi import derived, rules_text

DRILL_KEY = "opd.drill"
TABLE_KEY = "opd.table"
STATUS_KEY = "opd.status"
OVERDUE_KEY = "opd.overdue"
LIST_KEY = "opd.list"
RATE_KEYS = ("response_rate", "on_time_response_rate", "resolution_rate", "resolution_days_median")


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


ctx = context.get()
scope, snap, filters = ctx.scope, ctx.snap, ctx.filters

st.title("Kinerja OPD")
if filters is None or ctx.windows is None:
    st.stop()

cur = None
ratings: list = []
with states.guarded():
    cur = data.kpi(scope, snap, ctx.current, filters)
    ratings = data.department_ratings(scope, snap, ctx.current, filters)
if cur is None:
    st.stop()
min_sample = rules_text.min_sample(cur)
st.caption(
    f"{rules_text.rank_rule(cur)} Nilai OPD di sampingnya = indikator Output model penilaian dari data OPD itu "
    "sendiri (estimasi model, bukan nilai resmi). OPD dengan "
    f"{rules_text.insufficient_text(cur)}. {_cap(rules_text.small_sample_text(cur))}."
)

rows = {r["department"]: r for r in cur["by_department"]}
league_rows = [
    {
        "rank": r["rank"], "department": r["department"], "score": r["score"], "predikat": r["predikat"],
        **{k: rows.get(r["department"], {}).get(k) for k in (
            "received", "in_scope", "response_rate", "on_time_response_rate", "resolution_rate",
            "resolution_days_median", "reopen_rate", "backlog_open", "backlog_overdue")},
        "note": derived.small_sample_note(rows.get(r["department"], {}), RATE_KEYS, min_sample),
    }
    for r in ratings
]
schema = {"rank": pl.Int64, "department": pl.String, "score": pl.Float64, "predikat": pl.String,
          "received": pl.Int64, "in_scope": pl.Int64, "response_rate": pl.Float64,
          "on_time_response_rate": pl.Float64, "resolution_rate": pl.Float64,
          "resolution_days_median": pl.Float64, "reopen_rate": pl.Float64, "backlog_open": pl.Int64, "backlog_overdue": pl.Int64,
          "note": pl.String}
df = pl.DataFrame(league_rows, schema=schema)
ranked = df.filter(pl.col("rank").is_not_null())  # the league rule of sla.yaml, as `monev kpi`
insufficient = df.filter(pl.col("rank").is_null())

LEAGUE_COLS = [
    Col("rank", "Peringkat", "int", rules_text.rank_rule(cur), 72),
    Col("department", "OPD", "text", width="large"),
    Col("score", "Nilai", "num1", "Nilai 0–100 dari indikator Output model penilaian (estimasi model)."),
    Col("predikat", "Predikat", "predikat",
        f"{ctx.model.bands_text()} (model)." if ctx.model is not None else "Predikat model penilaian."),
    Col("in_scope", "Pengaduan dalam cakupan", "int", definition("in_scope")),
    Col("response_rate", "Ditanggapi", "pct", definition("response_rate")),
    Col("on_time_response_rate", "Tanggapan tepat waktu", "pct", definition("on_time_response_rate")),
    Col("resolution_rate", "Selesai", "pct", definition("resolution_rate")),
    Col("resolution_days_median", "Median lama selesai", "days", definition("resolution_days_median")),
    Col("reopen_rate", "Dibuka kembali", "pct", definition("reopen_rate")),
    Col("backlog_overdue", "Tunggakan lewat batas", "int", definition("backlog_overdue")),
    Col("note", "Catatan", "text", rules_text.small_sample_text(cur)),
]


SHORT = ctx.master.department_short if ctx.master is not None else {}
SCROLL_KEY = "opd.scroll"


def _query() -> dict:
    return {k: st.query_params.get_all(k) for k in st.query_params}


def _detail_from_url(choices: list[str]) -> None:
    """``?rincian=<singkatan or name>`` (a link from the league or a shared one) opens that OPD's detail."""
    raw = st.query_params.get(league.DETAIL_PARAM)
    if not raw or st.session_state.get("opd.url_seen") == raw:
        return
    st.session_state["opd.url_seen"] = raw
    by_short = {SHORT.get(d, d).casefold(): d for d in choices} | {d.casefold(): d for d in choices}
    dept = by_short.get(raw.casefold())
    if dept is not None:
        st.session_state[DRILL_KEY] = dept
        st.session_state[SCROLL_KEY] = True


def _on_pick() -> None:
    complaints.reset_page(LIST_KEY)
    st.session_state[SCROLL_KEY] = True


def _scroll_to_detail() -> None:
    """Bring the detail into view (the league above it can be long)."""
    if not st.session_state.pop(SCROLL_KEY, False):
        return
    import streamlit.components.v1 as components

    components.html(
        f"<script>const go = () => {{ const e = window.parent.document.getElementById('{league.DETAIL_ANCHOR}');"
        " if (e) { e.scrollIntoView({block: 'start'}); } else { setTimeout(go, 150); } }; setTimeout(go, 300);"
        "</script>", height=0,
    )


if df.height == 0:
    states.no_data("Tidak ada OPD dengan pengaduan atau tunggakan pada periode dan filter ini.")
else:
    st.subheader(f"Peringkat OPD · {ctx.current.label}")
    if ranked.height:
        league.show(ranked.to_dicts(), rows, SHORT, _query(), selected=st.session_state.get(DRILL_KEY))
        st.caption("Angka kecil di bawah persentase: banyaknya pengaduan di balik persentase itu. Klik nama OPD "
                   "untuk membuka rinciannya di bawah.")
        coverage.caption(cur, ("response", "resolution"))
        if scope.can("download_data"):
            tables.downloads(ranked, LEAGUE_COLS, file_stub=ctx.file_stub("peringkat-opd"), key="opd.dl",
                             sheet="Peringkat OPD",
                             extra={"Data tidak cukup": tables.export_frame(insufficient, LEAGUE_COLS)})
    else:
        st.info("Belum ada OPD yang dapat diberi peringkat pada periode dan filter ini.", icon=":material/info:")
    if insufficient.height:
        with st.expander(f"Data tidak cukup ({fmt.number(insufficient.height)} OPD, kurang dari "
                         f"{min_sample} pengaduan dalam cakupan; semua angkanya sampel kecil)"):
            tables.show(insufficient, [c for c in LEAGUE_COLS if c.field not in ("rank", "score")],
                        key="opd.insufficient")

# ---------------------------------------------------------------- drill-down
st.divider()
st.subheader("Rincian OPD", anchor=league.DETAIL_ANCHOR)
choices = [*ranked["department"].to_list(), *insufficient["department"].to_list()]
if scope.restricted:
    choices = [scope.department]
_detail_from_url(choices)
if st.session_state.get(DRILL_KEY) not in choices:
    st.session_state.pop(DRILL_KEY, None)
dept = st.selectbox("OPD", choices, key=DRILL_KEY, index=None, placeholder="Pilih OPD (atau klik nama di tabel)",
                    on_change=_on_pick)
sidebar.set_page_param(league.DETAIL_PARAM, SHORT.get(dept, dept) if dept else None)
_scroll_to_detail()
if dept:
    row = rows.get(dept, {})
    rating = next((r for r in ratings if r["department"] == dept), None)
    band = rating["predikat"] if rating and rating.get("score") is not None else None
    head = f"**{dept}** · " + (
        f"peringkat {rating['rank']} dari {rating.get('ranked_of') or sum(1 for r in ratings if r.get('rank'))}, nilai {fmt.number(rating['score'], 1)} "
        f"({rating['predikat']})" if band and rating.get("rank") else "data tidak cukup untuk dinilai"
    )
    note = derived.small_sample_note(row, RATE_KEYS, min_sample)
    if note:
        head += f" · ⚠ {note}"
    st.markdown(head)
    cards = []
    for key, label, kind in (
        ("in_scope", "Dalam cakupan", "int"), ("response_rate", "Ditanggapi", "pct"),
        ("on_time_response_rate", "Tepat waktu", "pct"), ("resolution_rate", "Selesai", "pct"),
        ("reopen_rate", "Dibuka kembali", "pct"), ("backlog_overdue", "Lewat batas", "int"),
    ):
        b = insights.kpi_band(ctx.model, key if key != "backlog_overdue" else "backlog_overdue_share", row,
                              min_sample) \
            if (ctx.model is not None and key not in ("in_scope", "reopen_rate") and row) else insights.Band(None, None)
        cards.append(Card(f"opd-{key}", label, tables.FORMATTERS[kind](row.get(key)), definition(key), b.band,
                          f"Predikat: {b.band}" if b.band else ""))
    show_cards(cards, columns=6)
    coverage.caption(row, ("response", "resolution"))
    if rating and rating.get("indicators"):
        with st.expander("Bagaimana nilai OPD ini dihitung"):
            ind = pl.DataFrame([
                {"label": i["label"], "value_text": i["value_text"], "score": i["score"], "points": i["points"],
                 "max_points": i["max_points"], "explanation": i["explanation"]}
                for i in rating["indicators"]
            ], schema={"label": pl.String, "value_text": pl.String, "score": pl.Float64, "points": pl.Float64,
                       "max_points": pl.Float64, "explanation": pl.String})
            tables.show(ind, [Col("label", "Indikator"), Col("value_text", "Nilai KPI"),
                              Col("score", "Skor (0–100)", "num1"), Col("points", "Poin", "num1"),
                              Col("max_points", "Poin maks.", "num1"), Col("explanation", "Penjelasan")],
                        key="opd.indicators")
    rapor.show(ctx, dept, key="opd.rapor")

    if not scope.can("view_complaints"):
        st.info("Akses Anda tidak mencakup daftar pengaduan.", icon=":material/lock:")
        st.stop()
    st.markdown(f"**Pengaduan {dept}** yang masuk pada {ctx.current.label}")
    statuses_all = ctx.master.statuses if ctx.master is not None else {}
    f1, f2 = st.columns([3, 1.4], vertical_alignment="bottom")
    with f1:
        statuses = st.multiselect("Status", list(statuses_all), format_func=lambda s: statuses_all.get(s, s),
                                  key=STATUS_KEY, placeholder="Semua status", select_all=False,
                                  on_change=complaints.reset_page, args=(LIST_KEY,))
    with f2:
        overdue_only = st.toggle("Hanya yang lewat batas", key=OVERDUE_KEY,
                                 on_change=complaints.reset_page, args=(LIST_KEY,))
    with states.guarded():
        complaints.paged(
            ctx, key=LIST_KEY,
            fetch=lambda offset: data.complaints(
                scope, snap, ctx.current, filters, as_of=ctx.as_of, department=dept,
                status=tuple(statuses) or None, overdue_only=overdue_only, offset=offset),
            file_stub=ctx.file_stub(f"pengaduan-{ctx.master.department_short.get(dept, dept) if ctx.master else dept}"),
            drop=("department",),
        )
