"""SLA & Tunggakan: on-time rates per step, backlog aging per OPD, the overdue list (oldest first) and
the early warning of complaints that pass their limit on the next working day."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from dashboard import context, data, insights
from dashboard.components import charts, complaints, coverage, states, summary, tables
from dashboard.components.cards import Card, definition, show_cards
from dashboard.components.tables import Col
from pipelines import fmt

ctx = context.get()
scope, snap, filters = ctx.scope, ctx.snap, ctx.filters

st.title("SLA & Tunggakan")
if filters is None or ctx.windows is None:
    st.stop()

cur = cmp = None
with states.guarded():
    cur = data.kpi(scope, snap, ctx.current, filters)
    cmp = data.kpi(scope, snap, ctx.comparison, filters) if ctx.comparison is not None else None
if cur is None:
    st.stop()
limits = cur["settings"]["limits"]

# ---------------------------------------------------------------- on time per step
st.subheader(f"Ketepatan waktu per langkah · {ctx.current.label}")
STEPS = (
    ("verification", "Verifikasi", "on_time_verification_rate", limits["verification"]),
    ("response", "Tanggapan pertama", "on_time_response_rate", limits["response"]),
    ("resolution", "Penyelesaian", "on_time_resolution_rate", limits["resolution"]),
)
vs = ""
if cmp is not None:
    vs = "dibanding tahun lalu" if filters.comparison == "tahun_lalu" else "dibanding periode sebelumnya"
cards = []
for step, label, key, limit in STEPS:
    b = insights.kpi_band(ctx.model, key, cur) if ctx.model is not None else insights.Band(None, None)
    d, v = insights.change_text(cur.get(key), None if cmp is None else cmp.get(key), "rate")
    on, late = cur[f"{step}_on_time"], cur[f"{step}_late"]
    cards.append(Card(
        f"sla-{step}", f"{label} tepat waktu", fmt.percent(cur.get(key)), definition(key), b.band,
        f"Predikat: {b.band}" if b.band else "", d, v, "up", vs,
        summary.marked_caption(f"{fmt.number(on)} tepat, {fmt.number(late)} terlambat · batas {limit} HK"
                               + (" (LAPOR! saja)" if step == "verification" else ""), cur, key),
    ))
show_cards(cards, columns=3)
coverage.caption(cur)
show_cards([coverage.reopen_card(cur, "sla"), coverage.due_soon_card(cur, "sla")], columns=3)
steps_df = pl.DataFrame([
    {"step": label, "limit": limit, "on_time": cur[f"{step}_on_time"], "late": cur[f"{step}_late"],
     "rate": cur.get(key)}
    for step, label, key, limit in STEPS
], schema={"step": pl.String, "limit": pl.Int64, "on_time": pl.Int64, "late": pl.Int64, "rate": pl.Float64})
with states.guarded():
    fig = go.Figure()
    for col, name, colour in (("on_time", "Tepat waktu", "#3A9D5D"), ("late", "Terlambat", "#C0392B")):
        fig.add_trace(go.Bar(
            y=[f"{s} (≤ {lim} HK)" for s, lim in zip(steps_df["step"], steps_df["limit"], strict=True)],
            x=steps_df[col].to_list(), name=name, orientation="h", marker_color=colour,
            text=[fmt.number(v) for v in steps_df[col].to_list()], textposition="inside",
            hovertemplate=f"{name}: %{{x:,.0f}}<extra>%{{y}}</extra>",
        ))
    fig.update_layout(barmode="stack")
    fig.update_yaxes(autorange="reversed", title=None, automargin=True)
    fig.update_xaxes(title="Pengaduan")
    charts.style(fig, ctx, "Tepat waktu dan terlambat per langkah", height=300)
    st.caption("Terlambat = sudah melewati batas, termasuk yang belum dikerjakan sampai tanggal data; yang masih "
               "dalam batas dan belum selesai belum dihitung.")
    charts.show(fig, ctx, name="ketepatan-waktu", key="sla.steps", data=steps_df, cols=[
        Col("step", "Langkah"), Col("limit", "Batas (HK)", "int"), Col("on_time", "Tepat waktu", "int"),
        Col("late", "Terlambat", "int"), Col("rate", "Tepat waktu (%)", "pct"),
    ], sheet="Ketepatan waktu")

# ---------------------------------------------------------------- aging per OPD
st.subheader(f"Umur tunggakan per OPD · per {fmt.date_long(ctx.as_of)}")
st.caption("Tunggakan adalah stok pada tanggal data (semua pengaduan terbuka, dari periode mana pun), "
           "dengan filter OPD/kategori/kanal/wilayah yang aktif.")
with states.guarded():
    aging = data.aging_by_department(scope, snap, ctx.as_of, filters)
    if aging.height == 0:
        st.success("Tidak ada tunggakan terbuka.", icon=":material/check_circle:")
    else:
        top_n = 15
        order = (aging.select("department", "backlog_open", "backlog_overdue").unique()
                 .sort(["backlog_overdue", "backlog_open", "department"], descending=[True, True, False]))
        shown = order.head(top_n)["department"].to_list()
        short = ctx.master.department_short if ctx.master else {}
        fig = go.Figure()
        buckets = aging.select("bucket_order", "aging_bucket").unique().sort("bucket_order")
        for i, bucket in enumerate(buckets["aging_bucket"].to_list()):
            part = aging.filter(pl.col("aging_bucket") == bucket)
            by = dict(zip(part["department"].to_list(), part["complaints"].to_list(), strict=True))
            fig.add_trace(go.Bar(
                y=[short.get(d, d) for d in shown], x=[by.get(d, 0) for d in shown], name=f"{bucket} HK",
                orientation="h", marker_color=charts.AGING_COLOURS[i % len(charts.AGING_COLOURS)],
                customdata=shown, hovertemplate=f"%{{customdata}}<br>{bucket} HK: %{{x:,.0f}}<extra></extra>",
            ))
        fig.update_layout(barmode="stack")
        fig.update_yaxes(autorange="reversed", title=None, automargin=True)
        fig.update_xaxes(title="Tunggakan terbuka")
        more = f" ({top_n} OPD dengan tunggakan lewat batas terbanyak)" if order.height > top_n else ""
        charts.style(fig, ctx, f"Umur tunggakan per OPD{more}", height=max(300, 110 + 28 * len(shown)))
        wide = aging.pivot(on="aging_bucket", index=["department", "backlog_open", "backlog_overdue"],
                           values="complaints", sort_columns=False)
        wide = order.select("department").join(wide, on="department", how="left")
        bucket_cols = [c for c in wide.columns if c not in ("department", "backlog_open", "backlog_overdue")]
        charts.show(fig, ctx, name="umur-tunggakan-opd", key="sla.aging", data=wide, cols=[
            Col("department", "OPD"), Col("backlog_open", "Tunggakan", "int"),
            Col("backlog_overdue", "Lewat batas", "int"), *[Col(b, f"{b} HK", "int") for b in bucket_cols],
        ], sheet="Umur tunggakan per OPD")

# ---------------------------------------------------------------- lists
if not scope.can("view_complaints"):
    st.info("Akses Anda tidak mencakup daftar pengaduan.", icon=":material/lock:")
    st.stop()

st.subheader("Peringatan dini: lewat batas pada hari kerja berikutnya")
with states.guarded():
    ew = data.early_warning(scope, snap, ctx.as_of, filters)
    if ew.height == 0:
        st.success(f"Tidak ada langkah yang jatuh tempo pada hari kerja sesudah {fmt.date_long(ctx.as_of)}.",
                   icon=":material/check_circle:")
    else:
        st.caption(f"{fmt.number(ew.height)} langkah pengaduan hari ini tepat di batasnya: bila belum dikerjakan, "
                   "terlambat mulai hari kerja berikutnya.")
        EW_COLS = [
            Col("step_label", "Langkah"), Col("late_from", "Terlambat mulai", "date"),
            Col("department", "OPD"), Col("source_no", "No. pengaduan", "text", "Nomor pengaduan di sumbernya (kanal di kolom Kanal)."), Col("category", "Kategori"),
            Col("reported_at", "Tgl lapor", "datetime"), Col("days_elapsed", "Berjalan (HK)", "int"),
            Col("limit_days", "Batas (HK)", "int"), Col("due_date", "Jatuh tempo", "date"),
            Col("status", "Status"), Col("title", "Judul (disamarkan)", width="large"),
        ]
        if "channel" in ew.columns:
            EW_COLS.insert(4, Col("channel", "Kanal"))
        ew = complaints.with_source_number(ew).with_columns(pl.col("status").replace_strict(
            ctx.master.statuses if ctx.master else {}, default=pl.col("status")))
        tables.show(ew, EW_COLS, key="sla.ew", height=tables.fit_height(ew.height, 420))
        if scope.can("download_data"):
            tables.downloads(ew, EW_COLS, file_stub=ctx.file_stub("peringatan-dini"), key="sla.ew.dl",
                             sheet="Peringatan dini")

st.subheader(f"Daftar tunggakan lewat batas · per {fmt.date_long(ctx.as_of)}")
st.caption("Urut dari yang paling lama (umur dalam hari kerja sejak dilaporkan).")
with states.guarded():
    complaints.paged(
        ctx, key="sla.overdue",
        fetch=lambda offset: data.overdue(scope, snap, ctx.as_of, filters, offset=offset),
        cols=complaints.OVERDUE_COLS,
        file_stub=ctx.file_stub("tunggakan-lewat-batas"),
        empty="Tidak ada tunggakan yang lewat batas.",
    )
