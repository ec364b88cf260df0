"""Peringkat Pemda: the pemda of the province ranked on the same KPIs under one rule (issue 19).

Every row is ``pipelines.province.ranking.ranking`` (through ``dashboard.province_data``, which refuses a
pemda's own viewer): each pemda's figures from its own warehouse at its own as-of date, the rank by the
province rule stated from its settings, the estimated rating of the province's rating model. Selecting a
row opens that pemda's own pages (Ringkasan, Kinerja OPD, …).
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from dashboard import context, province_data
from dashboard.components import charts, states
from dashboard.components import province as prov_ui
from dashboard.components.cards import definition
from dashboard.components.tables import Col, downloads, fit_height, show
from pipelines import fmt
from pipelines.kpi import derived, rules_text

RATE_KEYS = ("response_rate", "on_time_response_rate", "on_time_resolution_rate", "resolution_rate")
TABLE_KEY = "prov.ranking"

ctx = context.get()
scope = ctx.scope
st.title("Peringkat Pemda")

span = None
with states.guarded():
    span = province_data.span(scope)
if span is None:
    st.info("Belum ada pemda dengan gudang data terbit. Bangun dengan `monev run --data-dir FOLDER_PROVINSI`.",
            icon=":material/hourglass_empty:")
    st.stop()

period = prov_ui.period_picker(*span)
result = None
with states.guarded():
    result = province_data.ranking(scope, period.start, period.end)
if result is None:
    st.stop()

settings = result["settings"]
min_sample = rules_text.min_sample(settings)
st.caption(f"{result['rule']} Pemda dengan {rules_text.insufficient_text(settings)}.")

rows = []
for r in result["rows"]:
    rating = r.get("rating") or {}
    note = "data tidak cukup" if r["insufficient_data"] else derived.small_sample_note(r, RATE_KEYS, min_sample)
    rows.append({
        "rank": r["rank"], "rank_label": fmt.EMPTY if r["rank"] is None else str(r["rank"]), "name": r["name"], "kode": r["kode"], "received": r["received"],
        "in_scope": r["in_scope"], "response_rate": r["response_rate"],
        "on_time_response_rate": r["on_time_response_rate"], "on_time_resolution_rate": r["on_time_resolution_rate"],
        "resolution_rate": r["resolution_rate"], "backlog_open": r["backlog_open"],
        "backlog_overdue": r["backlog_overdue"], "score": rating.get("score"), "predikat": rating.get("predikat"),
        "note": note, "as_of": r["as_of"],
    })
schema = {"rank": pl.Int64, "rank_label": pl.String, "name": pl.String, "kode": pl.String, "received": pl.Int64, "in_scope": pl.Int64,
          "response_rate": pl.Float64, "on_time_response_rate": pl.Float64, "on_time_resolution_rate": pl.Float64,
          "resolution_rate": pl.Float64, "backlog_open": pl.Int64, "backlog_overdue": pl.Int64,
          "score": pl.Float64, "predikat": pl.String, "note": pl.String, "as_of": pl.String}
df = pl.DataFrame(rows, schema=schema).with_columns(pl.col("as_of").str.to_date())

ranked = df.filter(pl.col("rank").is_not_null())
c1, c2, c3 = st.columns(3)
c1.metric("Pemda diperingkat", f"{fmt.number(ranked.height)} dari {fmt.number(df.height + len(result['missing']))}",
          help=result["rule"])
if ranked.height:
    top = ranked.row(0, named=True)
    c2.metric("Peringkat 1", top["name"], help=f"Tanggapan tepat waktu {fmt.percent(top['on_time_response_rate'])}.")
    low = ranked.row(ranked.height - 1, named=True)
    c3.metric("Peringkat terbawah", low["name"],
              help=f"Tanggapan tepat waktu {fmt.percent(low['on_time_response_rate'])}.")

bands = ""
with states.guarded():
    from dashboard import data
    from pipelines.rating import load_model

    prov = data.province()
    bands = load_model(config_dir=prov.config_dir).bands_text() if prov is not None else ""

# the shown rank is text ("–" without a rank: st.dataframe draws a missing number as "None"); the export keeps
# the number
COLS = [
    Col("rank_label", "#", "text", result["rule"], 40),
    Col("name", "Pemda", "text", width=150),
    Col("received", "Masuk", "int", definition("received"), 70),
    Col("response_rate", "Ditanggapi", "pct", definition("response_rate"), 85),
    Col("on_time_response_rate", "Tanggapan tepat waktu", "pct", definition("on_time_response_rate"), 95),
    Col("on_time_resolution_rate", "Selesai tepat waktu", "pct", definition("on_time_resolution_rate"), 95),
    Col("resolution_rate", "Selesai", "pct", definition("resolution_rate"), 70),
    Col("backlog_overdue", "Tunggakan lewat batas", "int", definition("backlog_overdue"), 95),
    Col("score", "Nilai", "num1", "Estimasi nilai 0–100 model penilaian provinsi dari data dan bukti dukung pemda "
        "itu, tahun evaluasi akhir periode (estimasi model, bukan nilai resmi Kemendagri).", 60),
    Col("predikat", "Predikat", "predikat", f"{bands} (estimasi model)." if bands else "Predikat model penilaian.",
        90),
    Col("note", "Catatan", "text", rules_text.small_sample_text(settings), 110),
    Col("as_of", "Data per", "date", "Tanggal data pemda itu (gudang datanya yang terbit terakhir); setiap pemda "
        "dihitung dari gudang datanya sendiri (SLA, kalender kerja, data induk pemda itu).", 90),
]
EXPORT_COLS = [Col("rank", "Peringkat", "int"), Col("kode", "Kode pemda"), *COLS[1:]]

st.subheader(f"Peringkat {period.label}")
event = show(df, COLS, key=TABLE_KEY, height=fit_height(df.height), selectable=True)
picked = None
try:
    sel = event.selection.rows if event is not None else []
    picked = df.row(sel[0], named=True) if sel else None
except (AttributeError, IndexError):
    picked = None
if picked is not None:
    st.button(f"Buka halaman {picked['name']} ({picked['kode']})", type="primary", icon=":material/open_in_new:",
              on_click=prov_ui.open_pemda, args=(scope, picked["kode"]), key="prov.open")
else:
    st.caption("Centang satu baris untuk membuka halaman pemda itu (Ringkasan, Kinerja OPD, …) dengan data dan "
               "konfigurasinya sendiri, atau pilih pemda di panel kiri. Nilai dan predikat: estimasi model penilaian "
               "provinsi, bukan nilai resmi Kemendagri.")
if result.get("missing"):
    st.caption("Belum punya gudang data terbit: " + ", ".join(m["name"] for m in result["missing"]) + ".")
if scope.can("download_data"):
    downloads(df, EXPORT_COLS, file_stub=f"peringkat-pemda_{period.key}", key="prov.ranking.dl", sheet="Peringkat")

# the league metric, one bar per pemda in rank order (too few complaints: grey, no rank)
first_key = (settings.get("league") or ["on_time_response_rate"])[0]
label = rules_text.LEAGUE_WORDS.get(first_key, first_key)
if first_key in df.columns and df.height:
    plot = df.reverse()
    colours = ["#9E9E9E" if r is None else charts.PALETTE[0] for r in plot["rank"].to_list()]
    fig = go.Figure(go.Bar(
        x=plot[first_key].to_list(), y=[f"{n}" for n in plot["name"].to_list()], orientation="h",
        marker_color=colours, text=[fmt.percent(v) if v is not None else "–" for v in plot[first_key].to_list()],
        textposition="outside", cliponaxis=False,
        hovertemplate="%{y}: %{x:.1%}<extra></extra>",
    ))
    fig.update_xaxes(tickformat=".0%", range=[0, 1.1])
    charts.style(fig, ctx, f"{label[:1].upper()}{label[1:]} per pemda, {period.label}",
                 height=max(220, 42 * df.height + 120), legend=False)
    charts.show(fig, ctx, name="peringkat-pemda", key="prov.ranking.chart")
    st.caption("Batang abu-abu: pemda tanpa peringkat (data tidak cukup).")
