"""The building blocks of the executive summary (also used by the Mode Rapat slides and the OPD page):
headline cards, the monthly trend, backlog aging, OPDs needing attention, rising categories."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Mapping
from typing import Any

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from dashboard import insights
from dashboard.components import charts
from dashboard.components.cards import Card, definition, show_cards
from dashboard.components.style import band_colour
from dashboard.components.tables import Col
from dashboard.context import Context
from pipelines import fmt
from pipelines.kpi import derived, rules_text
from pipelines.kpi.coverage import rate_denominator


def _band_note(b: insights.Band) -> tuple[str, str]:
    if b.band is None:
        return "", ""
    return f"Predikat: {b.band}", f"Warna kartu: predikat {b.band} menurut model penilaian. {b.text}"


def marked_caption(caption: str, cur: Mapping[str, Any], key: str) -> str:
    """A card caption with the "sampel kecil" mark first when the value rests on too few complaints."""
    note = derived.small_sample_note(cur, (key,), rules_text.min_sample(cur))
    return f"⚠ {note} · {caption}" if note else caption


def headline_cards(ctx: Context, cur: Mapping[str, Any], cmp: Mapping[str, Any] | None,
                   trend: list[float] | None = None) -> list[Card]:
    """The six headline KPIs: received, response rate, on-time response, resolution rate, median
    resolution days, overdue backlog; each with its change against the comparison window."""
    limits = cur.get("settings", {}).get("limits", {})
    vs = ""
    if ctx.comparison is not None and cmp is not None and ctx.filters is not None:
        vs = ("dibanding tahun lalu" if ctx.filters.comparison == "tahun_lalu"
              else "dibanding periode sebelumnya")
    model = ctx.model

    def band(key: str) -> insights.Band:
        return insights.kpi_band(model, key, cur) if model is not None else insights.Band(None, None)

    def prev(key: str) -> float | None:
        return None if cmp is None else cmp.get(key)

    cards = []
    d, v = insights.change_text(cur["received"], prev("received"), "count")
    cards.append(Card(
        "received", "Pengaduan masuk", fmt.number(cur["received"]), definition("received"),
        delta=d, delta_value=v, good_when=None, delta_description=vs,
        caption=f"{fmt.number(cur['in_scope'])} dalam cakupan, {fmt.number(cur['excluded'])} dikecualikan",
    ))
    for key, label, _num, caption_fn in (
        ("response_rate", "Tingkat tanggapan", "responded",
         lambda: f"{fmt.number(cur['responded'])} dari {fmt.number(rate_denominator(cur, 'response'))} sudah ditanggapi"),
        ("on_time_response_rate", "Tanggapan tepat waktu", None,
         lambda: f"{fmt.number(cur['response_on_time'])} tepat, {fmt.number(cur['response_late'])} terlambat "
                 f"(batas {limits['response']} HK)"),
        ("resolution_rate", "Tingkat penyelesaian", "resolved",
         lambda: f"{fmt.number(cur['resolved'])} dari {fmt.number(rate_denominator(cur, 'resolution'))} sudah selesai"),
    ):
        b = band(key)
        band_text, band_help = _band_note(b)
        d, v = insights.change_text(cur.get(key), prev(key), "rate")
        cards.append(Card(key, label, fmt.percent(cur.get(key)), definition(key, band_help), b.band, band_text,
                          d, v, "up", vs, marked_caption(caption_fn(), cur, key)))
    b = band("resolution_days_median")
    band_text, band_help = _band_note(b)
    d, v = insights.change_text(cur.get("resolution_days_median"), prev("resolution_days_median"), "days")
    cards.append(Card(
        "resolution_days_median", "Median lama penyelesaian", fmt.days(cur.get("resolution_days_median")),
        definition("resolution_days_median", band_help), b.band, band_text, d, v, "down", vs,
        marked_caption(f"90% selesai dalam {fmt.days(cur.get('resolution_days_p90'))}; batas "
                       f"{limits['resolution']} hari kerja (HK)", cur, "resolution_days_median"),
    ))
    b = band("backlog_overdue_share")
    band_text, band_help = _band_note(b)
    d, v = insights.change_text(cur.get("backlog_overdue"), prev("backlog_overdue"), "count")
    share = derived.overdue_share(cur)
    cards.append(Card(
        "backlog_overdue", "Tunggakan lewat batas", fmt.number(cur["backlog_overdue"]),
        definition("backlog_overdue", band_help), b.band, band_text, d, v, "down",
        f"dibanding {fmt.date_long(ctx.comparison.as_of)}" if vs else "",
        f"{fmt.percent(share)} dari {fmt.number(cur['backlog_open'])} tunggakan per {fmt.date_long(ctx.as_of)}",
    ))
    return cards


def show_headline(ctx: Context, cur, cmp, trend=None, columns: int = 3) -> None:
    show_cards(headline_cards(ctx, cur, cmp, trend), columns=columns)


# ---------------------------------------------------------------- trend


def trend_frame(by_month: list[Mapping[str, Any]] | pl.DataFrame) -> pl.DataFrame:
    if isinstance(by_month, pl.DataFrame):
        df = by_month.select(pl.col("month_key").alias("month"), "received", "in_scope", "responded", "resolved")
    else:
        df = pl.DataFrame(by_month, schema={"month": pl.String, "received": pl.Int64, "excluded": pl.Int64,
                                            "in_scope": pl.Int64, "verified": pl.Int64, "responded": pl.Int64,
                                            "resolved": pl.Int64})
    return df.select("month", "received", "in_scope", "responded", "resolved")


TREND_COLS = [
    Col("month", "Bulan"), Col("received", "Masuk", "int"), Col("in_scope", "Dalam cakupan", "int"),
    Col("responded", "Ditanggapi", "int"), Col("resolved", "Selesai", "int"),
]


def show_trend(ctx: Context, df: pl.DataFrame, title: str, key: str) -> None:
    if df.height == 0 or df["received"].sum() == 0:
        st.info("Belum ada pengaduan pada bulan-bulan ini.", icon=":material/show_chart:")
        return
    x = charts.month_labels(df["month"].to_list())
    fig = go.Figure()
    for col, name, colour, dash in (
        ("received", "Masuk", "#1F5A96", "solid"),
        ("responded", "Ditanggapi", "#E07B39", "solid"),
        ("resolved", "Selesai", "#3A9D5D", "dot"),
    ):
        fig.add_trace(go.Scatter(
            x=x, y=df[col].to_list(), name=name, mode="lines+markers",
            line={"color": colour, "width": 3, "dash": dash}, marker={"size": 7},
            hovertemplate=f"{name}: %{{y:,.0f}}<extra>%{{x}}</extra>",
        ))
    fig.update_yaxes(rangemode="tozero", title=None)
    fig.update_xaxes(title=None, type="category")
    charts.style(fig, ctx, title)
    st.caption("Ditanggapi dan selesai dihitung dari pengaduan yang masuk pada bulan itu, sampai tanggal data.")
    charts.show(fig, ctx, name="tren-bulanan", key=key, data=df, cols=TREND_COLS, sheet="Tren bulanan")


# ---------------------------------------------------------------- backlog aging


def aging_frame(cur: Mapping[str, Any]) -> pl.DataFrame:
    aging = cur.get("backlog_aging") or {}
    return pl.DataFrame({"bucket": list(aging), "complaints": [int(v) for v in aging.values()]},
                        schema={"bucket": pl.String, "complaints": pl.Int64})


def show_aging(ctx: Context, cur: Mapping[str, Any], key: str, height: int = 380) -> None:
    df = aging_frame(cur)
    if df.height == 0 or df["complaints"].sum() == 0:
        st.success("Tidak ada tunggakan terbuka pada tanggal data.", icon=":material/check_circle:")
        return
    labels = [f"{b} HK" for b in df["bucket"].to_list()]
    fig = go.Figure(go.Bar(
        x=labels, y=df["complaints"].to_list(), marker_color=charts.AGING_COLOURS[: df.height],
        text=[fmt.number(v) for v in df["complaints"].to_list()], textposition="outside",
        hovertemplate="%{x}: %{y:,.0f} pengaduan<extra></extra>", cliponaxis=False,
    ))
    fig.update_yaxes(rangemode="tozero", title=None, showticklabels=False)
    fig.update_xaxes(title=None, type="category")
    charts.style(fig, ctx, f"Umur tunggakan per {fmt.date_long(ctx.as_of)}", height=height, legend=False)
    st.caption(
        f"{fmt.number(cur['backlog_open'])} tunggakan terbuka, {fmt.number(cur['backlog_overdue'])} "
        "sudah lewat batas penyelesaian. Umur = hari kerja sejak dilaporkan."
    )
    charts.show(fig, ctx, name="umur-tunggakan", key=key, data=df,
                cols=[Col("bucket", "Umur (HK)"), Col("complaints", "Tunggakan", "int")], sheet="Umur tunggakan")


# ---------------------------------------------------------------- attention


def show_attention(ctx: Context, ratings: list[Mapping[str, Any]], cur: Mapping[str, Any], n: int = 3,
                   horizontal: bool = False) -> None:
    items = insights.attention_opds(ratings, cur.get("by_department") or [], cur, n=n)
    if not items:
        st.info(
            "Tidak ada OPD dengan tunggakan lewat batas atau pengaduan terlambat di antara OPD yang punya "
            f"minimal {rules_text.min_sample(cur)} pengaduan dalam cakupan pada periode dan filter ini.",
            icon=":material/info:",
        )
        return
    cols = st.columns(len(items)) if horizontal else [st.container() for _ in items]
    for i, (col, a) in enumerate(zip(cols, items, strict=True)):
        with col, st.container(key=f"attention-{i}"):
            reasons = "".join(f"<li>{html.escape(r)}</li>" for r in a.reasons)
            st.markdown(
                f"<div style='font-weight:700;font-size:1.05rem'>{html.escape(a.department)}</div>"
                f"<div style='color:{band_colour(a.predikat)};font-weight:700;margin:0.1rem 0 0.3rem 0'>"
                f"{html.escape(a.headline)}</div><ul style='margin:0;padding-left:1.2rem'>{reasons}</ul>",
                unsafe_allow_html=True,
            )


# ---------------------------------------------------------------- rising categories


def show_rising(ctx: Context, cur: Mapping[str, Any], key: str, n: int = 5) -> None:
    rising = insights.rising_categories(cur.get("category_trend") or [], n=n)
    prev = cur.get("previous_period") or {}
    if not rising:
        st.info("Tidak ada kategori yang naik berarti dibanding periode pembanding.", icon=":material/trending_flat:")
        return
    df = pl.DataFrame(rising).select("category", "received_previous", "received", "change")
    cats = [charts.wrap_label(c, 28) for c in reversed(df["category"].to_list())]
    changes = list(reversed(df["change"].to_list()))
    text = [f"+{fmt.number(c)} ({fmt.number(p)} → {fmt.number(r)})" for c, p, r in
            zip(reversed(df["change"].to_list()), reversed(df["received_previous"].to_list()),
                reversed(df["received"].to_list()), strict=True)]
    fig = go.Figure(go.Bar(
        x=changes, y=cats, orientation="h", marker_color="#C0392B", text=text, textposition="outside",
        hovertemplate="%{y}: %{text}<extra></extra>", cliponaxis=False,
    ))
    fig.update_xaxes(title=None, showticklabels=False, rangemode="tozero")
    fig.update_yaxes(title=None, automargin=True)
    title = f"Kategori yang naik (dibanding {_prev_label(prev)})"
    charts.style(fig, ctx, title, height=max(280, 90 + 56 * df.height), legend=False, margin={"r": 140})
    charts.show(fig, ctx, name="kategori-naik", key=key, data=df, cols=[
        Col("category", "Kategori"), Col("received_previous", "Masuk periode pembanding", "int"),
        Col("received", "Masuk periode ini", "int"), Col("change", "Perubahan", "int"),
    ], sheet="Kategori naik")


def _prev_label(prev: Mapping[str, Any]) -> str:
    if not prev:
        return "periode sebelumnya"
    from pipelines.periods import range_label

    return range_label(dt.date.fromisoformat(prev["from"]), dt.date.fromisoformat(prev["to"]))
