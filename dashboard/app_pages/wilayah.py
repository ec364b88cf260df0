"""Wilayah: complaints and performance per kecamatan and kelurahan: an offline kelurahan map where the
pemda's boundaries are configured (``boundaries:`` in config/city.yaml), bar charts otherwise."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from dashboard import context, data
from dashboard.components import charts, kelurahan_map, states
from dashboard.components.cards import definition
from dashboard.components.tables import Col
from pipelines import fmt
from pipelines.kpi import derived, rules_text

ctx = context.get()
scope, snap, filters = ctx.scope, ctx.snap, ctx.filters

st.title("Wilayah")
if filters is None or ctx.windows is None:
    st.stop()

METRICS = {
    "received": ("Pengaduan masuk", "int"),
    "response_rate": ("Tingkat tanggapan", "pct"),
    "on_time_response_rate": ("Tanggapan tepat waktu", "pct"),
    "resolution_rate": ("Tingkat penyelesaian", "pct"),
    "backlog_overdue": ("Tunggakan lewat batas", "int"),
}
NO_AREA = "(tanpa wilayah)"
metric = st.segmented_control("Ukuran", list(METRICS), format_func=lambda k: METRICS[k][0], default="received",
                              key="wilayah.metric", required=True,
                              help="Definisi setiap ukuran ada di halaman Glosarium.")
label, kind = METRICS[metric]
COLS = [
    Col("kecamatan", "Kecamatan"), Col("received", "Masuk", "int", definition("received")),
    Col("in_scope", "Dalam cakupan", "int"), Col("response_rate", "Tanggapan", "pct"),
    Col("on_time_response_rate", "Tepat waktu", "pct"), Col("resolution_rate", "Penyelesaian", "pct"),
    Col("backlog_open", "Tunggakan", "int"), Col("backlog_overdue", "Lewat batas", "int"),
    Col("insufficient_data", "Data tidak cukup", "bool"),
]
KEC_COLOURS = dict(zip(ctx.master.kecamatan if ctx.master else [], charts.PALETTE, strict=False))


def _bar(df: pl.DataFrame, name_col: str, colour_by: str | None, title: str, key: str, name: str,
         cols: list[Col]) -> None:
    df = df.with_columns(pl.col(name_col).fill_null(NO_AREA))
    # a rate needs enough complaints to mean something
    shown = df.filter(~pl.col("insufficient_data")) if kind == "pct" else df
    shown = shown.sort(metric, descending=False, nulls_last=False)
    if shown.height == 0:
        st.info("Tidak ada wilayah dengan data yang cukup untuk ukuran ini.", icon=":material/info:")
        return
    if kind == "int" and not any(shown[metric].fill_null(0).to_list()):
        st.info(f"{label} pada periode dan filter ini: 0 di setiap wilayah.", icon=":material/info:")
        return
    values = shown[metric].to_list()
    ms = rules_text.min_sample(data.kpi(scope, snap, ctx.current, filters))
    text = [fmt.percent(r[metric]) + (f" ({derived.SMALL_SAMPLE_MARK})" if derived.is_small_sample(r, metric, ms) else "")
            if kind == "pct" else fmt.number(r[metric]) for r in shown.iter_rows(named=True)]
    colours = [KEC_COLOURS.get(k, "#9E9E9E") for k in shown[colour_by].to_list()] if colour_by else "#1F5A96"
    fig = go.Figure(go.Bar(
        x=values, y=shown[name_col].to_list(), orientation="h", marker_color=colours, text=text,
        textposition="outside", cliponaxis=False,
        customdata=shown[colour_by].to_list() if colour_by else None,
        hovertemplate=("%{y} (%{customdata}): %{text}<extra></extra>" if colour_by not in (None, name_col)
                       else "%{y}: %{text}<extra></extra>"),
    ))
    if kind == "pct":
        fig.update_xaxes(range=[0, 1.12], tickformat=".0%")
    fig.update_xaxes(title=None, showticklabels=kind != "int")
    fig.update_yaxes(title=None, automargin=True)
    charts.style(fig, ctx, title, height=max(260, 90 + 26 * shown.height), legend=False, margin={"r": 60})
    charts.show(fig, ctx, name=name, key=key, data=df, cols=cols, sheet=name)


with states.guarded():
    kec = data.breakdown(scope, snap, "kecamatan", ctx.current, filters)
    kel = data.breakdown(scope, snap, "kelurahan", ctx.current, filters)
    if kec.height == 0 or (int(kec["received"].sum()) == 0 and int(kec["backlog_open"].sum()) == 0):
        states.no_data()
        st.stop()
    if int(kec["received"].sum()) == 0 and metric != "backlog_overdue":
        st.info("Tidak ada pengaduan yang masuk pada periode dan filter ini; tunggakan per tanggal data tetap "
                "dapat dilihat dengan ukuran 'Tunggakan lewat batas'.", icon=":material/filter_alt_off:")
        st.stop()
    bounds = kelurahan_map.boundaries()
    min_sample = data.kpi(scope, snap, ctx.current, filters)["settings"]["min_sample"]
    missing = kec.filter(pl.col("kecamatan").is_null())
    no_area = (f"{fmt.number(missing['received'][0])} pengaduan tanpa kecamatan/kelurahan (sumber tidak mencatat "
               "lokasinya) ditampilkan sebagai '(tanpa wilayah)'.") if missing.height else ""
    pct_note = ("Tingkat (persentase) hanya untuk wilayah dengan pengaduan dalam cakupan yang cukup "
                f"(minimal {min_sample}); {rules_text.small_sample_text({'min_sample': min_sample})}."
                ) if kind == "pct" else ""
    if bounds is not None:  # the kelurahan map first, the bars (and their data) under it
        kelurahan_map.show(ctx, bounds, kel, metric, label, kind, key="wilayah.map")
    left, right = st.columns([2, 3], gap="large")
    with left:
        # coloured like the kelurahan bars, so this chart is also their legend
        _bar(kec, "kecamatan", "kecamatan", f"{label} per kecamatan", "wilayah.kec", "per-kecamatan", COLS)
        if no_area:
            st.caption(no_area)
    with right:
        _bar(kel, "kelurahan", "kecamatan", f"{label} per kelurahan (warna = kecamatan)", "wilayah.kel",
             "per-kelurahan", [Col("kelurahan", "Kelurahan"), *COLS])
        if pct_note:
            st.caption(pct_note)
