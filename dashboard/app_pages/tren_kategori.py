"""Tren & Kategori: which categories rise or fall, how the channel mix moves, and a heat table of
category by month."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from dashboard import context, data
from dashboard.components import charts, states, tables
from dashboard.components.tables import Col
from pipelines import fmt

ctx = context.get()
scope, snap, filters = ctx.scope, ctx.snap, ctx.filters

st.title("Tren & Kategori")
if filters is None or ctx.windows is None:
    st.stop()

cur = None
with states.guarded():
    cur = data.kpi(scope, snap, ctx.current, filters, previous=ctx.comparison)
if cur is None:
    st.stop()
if cur["received"] == 0:
    states.no_data()
    st.stop()

TREND_LABELS = {"naik": "Naik", "turun": "Turun", "tetap": "Tetap"}
prev = cur["previous_period"]
min_sample = cur["settings"]["min_sample"]

# ---------------------------------------------------------------- category trend
st.subheader("Tren kategori")
st.caption(
    f"Pengaduan masuk per kategori: {ctx.current.label} dibanding {ctx.comparison.label if ctx.comparison else prev['label']}. "
    f"Naik/turun hanya untuk kategori dengan minimal {min_sample} pengaduan pada salah satu periode."
)
trend = pl.DataFrame(cur["category_trend"], schema={
    "category": pl.String, "received": pl.Int64, "received_previous": pl.Int64, "change": pl.Int64,
    "change_rate": pl.Float64, "trend": pl.String,
}).with_columns(pl.col("trend").replace_strict(TREND_LABELS, default="Sampel kecil").alias("trend_label"))
TREND_COLS = [
    Col("category", "Kategori"), Col("received_previous", "Masuk pembanding", "int"),
    Col("received", "Masuk periode ini", "int"), Col("change", "Perubahan", "int"),
    Col("change_rate", "Perubahan (%)", "pct", "Perubahan dibagi jumlah periode pembanding."),
    Col("trend_label", "Tren"),
]
moving = trend.filter(pl.col("trend").is_in(["naik", "turun"])).sort("change")
with states.guarded():
    if moving.height == 0:
        st.info("Tidak ada kategori yang naik atau turun berarti.", icon=":material/trending_flat:")
    else:
        colours = ["#C0392B" if c > 0 else "#3A9D5D" for c in moving["change"].to_list()]
        detail = [f"{fmt.signed(c, 0)} ({fmt.number(p)} → {fmt.number(r)})" for c, p, r in
                  zip(moving["change"].to_list(), moving["received_previous"].to_list(),
                      moving["received"].to_list(), strict=True)]
        fig = go.Figure(go.Bar(
            x=moving["change"].to_list(), y=[charts.wrap_label(c, 30) for c in moving["category"].to_list()],
            orientation="h", marker_color=colours, text=[fmt.signed(c, 0) for c in moving["change"].to_list()],
            textposition="outside", cliponaxis=False, customdata=detail,
            hovertemplate="%{y}: %{customdata}<extra></extra>"))
        lo, hi = min(0, min(moving["change"])), max(0, max(moving["change"]))
        span = max(hi - lo, 1)
        fig.update_xaxes(title="Perubahan jumlah pengaduan", zeroline=True, zerolinecolor="#888",
                         range=[lo - 0.12 * span if lo < 0 else 0, hi + 0.12 * span if hi > 0 else 0])
        fig.update_yaxes(title=None, automargin=True)
        charts.style(fig, ctx, "Kategori yang naik (merah) dan turun (hijau)",
                     height=max(300, 90 + 40 * moving.height), legend=False, margin={"r": 50})
        charts.show(fig, ctx, name="tren-kategori", key="tren.cat.chart",
                    data=moving.sort("change", descending=True), cols=TREND_COLS, sheet="Tren kategori")
with st.expander(f"Tabel semua kategori ({fmt.number(trend.height)})"), states.guarded():
    tables.show(trend, TREND_COLS, key="tren.cat.table", height=tables.fit_height(trend.height, 560))
    if scope.can("download_data"):
        tables.downloads(trend, TREND_COLS, file_stub=ctx.file_stub("tren-kategori-semua"), key="tren.cat.dl",
                         sheet="Tren kategori")

# ---------------------------------------------------------------- channel mix
st.subheader("Komposisi kanal per bulan")
with states.guarded():
    ch = data.channel_by_month(scope, snap, ctx.current, filters)
    ch = ch.select("channel", pl.col("month_key").alias("month"), "received").filter(
        pl.col("channel").is_in(ch.group_by("channel").agg(pl.col("received").sum()).filter(
            pl.col("received") > 0)["channel"].implode()))
    mode = st.segmented_control("Tampilkan", ["Jumlah", "Persentase"], default="Jumlah", key="tren.chmode",
                                required=True)
    months = sorted(ch["month"].unique().to_list())
    totals = ch.group_by("month").agg(pl.col("received").sum().alias("total"))
    ch = ch.join(totals, on="month").with_columns(
        (pl.when(pl.col("total") > 0).then(pl.col("received") / pl.col("total")).otherwise(None)).alias("share")
    ).sort("channel", "month")
    order = ch.group_by("channel").agg(pl.col("received").sum()).sort("received", descending=True)["channel"]
    fig = go.Figure()
    for i, name in enumerate(order.to_list()):
        part = ch.filter(pl.col("channel") == name).sort("month")
        y = part["share"] if mode == "Persentase" else part["received"]
        fig.add_trace(go.Bar(
            x=charts.month_labels(part["month"].to_list()), y=y.to_list(), name=name,
            marker_color=charts.PALETTE[i % len(charts.PALETTE)],
            hovertemplate=(f"{name}: %{{y:.1%}}<extra>%{{x}}</extra>" if mode == "Persentase"
                           else f"{name}: %{{y:,.0f}}<extra>%{{x}}</extra>"),
        ))
    fig.update_layout(barmode="stack")
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=charts.month_labels(months))
    if mode == "Persentase":
        fig.update_yaxes(tickformat=".0%", range=[0, 1])
    charts.style(fig, ctx, "Pengaduan masuk per kanal" + (" (persentase)" if mode == "Persentase" else ""),
                 height=440, legend="right")
    charts.show(fig, ctx, name="kanal-per-bulan", key="tren.channel", data=ch.drop("total"), cols=[
        Col("month", "Bulan"), Col("channel", "Kanal"), Col("received", "Masuk", "int"),
        Col("share", "Porsi bulan itu", "pct"),
    ], sheet="Kanal per bulan")

# ---------------------------------------------------------------- heat table
st.subheader("Kategori × bulan")
with states.guarded():
    cm = data.category_by_month(scope, snap, ctx.current, filters).select(
        "category", pl.col("month_key").alias("month"), "received")
    keep = cm.group_by("category").agg(pl.col("received").sum().alias("n")).filter(pl.col("n") > 0).sort(
        "n", descending=True)
    cm = cm.filter(pl.col("category").is_in(keep["category"].implode()))
    if cm.height == 0:
        st.info("Tidak ada pengaduan per kategori untuk ditampilkan.", icon=":material/grid_off:")
    else:
        wide = cm.pivot(on="month", index="category", values="received", sort_columns=True)
        wide = keep.select("category").join(wide, on="category", how="left")
        months = [c for c in wide.columns if c != "category"]
        z = wide.select(months).to_numpy()
        cats = wide["category"].to_list()
        fig = go.Figure(go.Heatmap(
            z=z, x=charts.month_labels(months), y=cats, colorscale="Blues", text=z, texttemplate="%{text:,.0f}",
            hovertemplate="%{y}<br>%{x}: %{z:,.0f} pengaduan<extra></extra>", showscale=False, xgap=2, ygap=2,
        ))
        fig.update_yaxes(autorange="reversed", automargin=True, title=None)
        fig.update_xaxes(side="top", type="category", title=None)
        charts.style(fig, ctx, "Pengaduan masuk per kategori dan bulan", height=max(320, 110 + 30 * len(cats)),
                     legend=False)
        export = wide.rename({m: fmt.month_label(m, short=True) for m in months})
        charts.show(fig, ctx, name="kategori-bulan", key="tren.heat", data=export,
                    cols=[Col("category", "Kategori")] + [Col(c, c, "int") for c in export.columns[1:]],
                    sheet="Kategori x bulan")
