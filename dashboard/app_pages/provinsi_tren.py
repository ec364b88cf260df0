"""Tren Pemda: the default trend metrics of every pemda side by side (small multiples, one line per pemda).

The monthly values are ``pipelines.province.ranking.pemda_trend`` (each pemda's own ``by_month_frame``,
through ``dashboard.province_data``, which refuses a pemda's own viewer); nothing is recomputed here.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from dashboard import context, province_data
from dashboard.components import charts, states
from dashboard.components import province as prov_ui
from dashboard.components.cards import definition
from dashboard.components.tables import Col
from pipelines import fmt

MAX_DEFAULT = 8  # more pemda than this: the first eight are drawn until others are chosen
PICK_KEY = "prov.trend.pemda"

ctx = context.get()
scope = ctx.scope
st.title("Tren Pemda")

span = None
with states.guarded():
    span = province_data.span(scope)
if span is None:
    st.info("Belum ada pemda dengan gudang data terbit. Bangun dengan `monev run --data-dir FOLDER_PROVINSI`.",
            icon=":material/hourglass_empty:")
    st.stop()

period = prov_ui.period_picker(*span)
choices = dict(province_data.pemda_choices(scope))
if PICK_KEY not in st.session_state:
    st.session_state[PICK_KEY] = list(choices)[:MAX_DEFAULT]
picked = st.multiselect("Pemda", list(choices), key=PICK_KEY, format_func=lambda k: choices.get(k, k),
                        placeholder="Pilih pemda", help="Pemda yang digambar (satu garis per pemda).")
st.caption("Satu garis per pemda, per bulan menurut tanggal laporan; setiap pemda dari gudang datanya sendiri per "
           "tanggal datanya sendiri. Bulan berjalan belum lengkap. Tingkat dari bulan dengan sedikit pengaduan "
           "mudah melonjak (0% atau 100%): baca bersama grafik pengaduan masuk.")
if not picked:
    st.info("Pilih paling sedikit satu pemda.", icon=":material/filter_alt_off:")
    st.stop()

frames: dict[str, pl.DataFrame] = {}
with states.guarded():
    for metric in province_data.TREND_METRICS:
        frames[metric] = province_data.trend(scope, metric, period.start, period.end).filter(
            pl.col("kode").is_in(picked))
if len(frames) < len(province_data.TREND_METRICS):
    st.stop()

colour = {k: charts.PALETTE[i % len(charts.PALETTE)] for i, k in enumerate(choices)}
metrics = list(province_data.TREND_METRICS.items())
for row in range(0, len(metrics), 2):
    cols = st.columns(2)
    for col, (metric, title) in zip(cols, metrics[row:row + 2], strict=False):
        df = frames[metric].sort("kode", "month")
        is_rate = metric != "received"
        fig = go.Figure()
        for kode in picked:
            part = df.filter(pl.col("kode") == kode)
            if part.is_empty():
                continue
            keys = [m.strftime("%Y-%m") for m in part["month"].to_list()]
            fig.add_trace(go.Scatter(
                x=charts.month_labels(keys), y=part["value"].to_list(), name=choices.get(kode, kode),
                mode="lines+markers", line={"color": colour[kode], "width": 2.5}, marker={"size": 6},
                hovertemplate=f"{choices.get(kode, kode)} · %{{x}}: "
                              + ("%{y:.1%}" if is_rate else "%{y:,.0f}") + "<extra></extra>",
            ))
        if is_rate:
            fig.update_yaxes(tickformat=".0%", rangemode="tozero")
        else:
            fig.update_yaxes(rangemode="tozero")
        with col:
            charts.style(fig, ctx, f"{title}, {period.label}", height=340)
            table = df.select("name", pl.col("month").dt.strftime("%Y-%m").alias("month"), "value")
            charts.show(fig, ctx, name=f"tren-pemda-{metric}_{period.key}", key=f"prov.trend.{metric}",
                        data=table, cols=[Col("name", "Pemda"), Col("month", "Bulan"),
                                          Col("value", title, "pct" if is_rate else "int", definition(metric))])
st.caption(f"{fmt.number(len(picked))} dari {fmt.number(len(choices))} pemda digambar. Angka per pemda dan "
           "peringkatnya: halaman Peringkat Pemda.")
