"""The kelurahan map (choropleth of the chosen measure) drawn offline: every kelurahan is a filled
polygon in a plain Plotly figure (no tile server, no base map, no topojson download), kecamatan borders
drawn on top, names and values on the map, a colour bar. Values come from the same ``breakdown`` frame
as the bars (the KPI engine's ``by_kelurahan``)."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
import streamlit as st
from plotly.colors import sample_colorscale

from dashboard import data
from dashboard.components import charts
from dashboard.context import Context
from pipelines import fmt
from pipelines.geo import Boundaries, load_boundaries

NO_DATA = "#E3E8EE"
SCALES = {"received": "Blues", "backlog_overdue": "Reds"}  # counts; rates: red (low) to green (high)


@st.cache_resource(show_spinner=False, max_entries=4)
def _boundaries(config_dir: str, key: str) -> Boundaries | None:
    from pipelines.masterdata import load_master_data

    md = load_master_data(config_dir)
    return load_boundaries(config_dir, md.city, md.kecamatan)


def boundaries() -> Boundaries | None:
    """The configured boundaries (None: the page keeps its bars)."""
    cdir = data.paths().config_dir
    city = cdir / "city.yaml"
    return _boundaries(str(cdir), f"{city.stat().st_mtime_ns if city.exists() else 0}")


def _value_text(v: float | None, kind: str) -> str:
    return fmt.percent(v) if kind == "pct" else fmt.number(v)


def _colour_of(value: float | None, lo: float, hi: float, scale: str) -> str:
    if value is None:
        return NO_DATA
    t = 0.5 if hi <= lo else (value - lo) / (hi - lo)
    return sample_colorscale(scale, [0.12 + 0.88 * max(0.0, min(1.0, t))])[0]


def _ink(fill: str) -> str:
    """Dark text on a light fill, white on a dark one."""
    import re

    nums = [float(x) for x in re.findall(r"[\d.]+", fill)[:3]] if fill.startswith("rgb") else [
        int(fill[i:i + 2], 16) for i in (1, 3, 5)]
    lum = 0.299 * nums[0] + 0.587 * nums[1] + 0.114 * nums[2]
    return "#FFFFFF" if lum < 140 else "#1B2733"


def map_values(kel: pl.DataFrame, metric: str, kind: str) -> dict[str, float | None]:
    """kelurahan -> the value the map colours (a rate with too few complaints: None, 'data tidak cukup')."""
    out: dict[str, float | None] = {}
    for r in kel.filter(pl.col("kelurahan").is_not_null()).iter_rows(named=True):
        v = r.get(metric)
        out[r["kelurahan"]] = None if (kind == "pct" and r.get("insufficient_data")) else v
    return out


def figure(ctx: Context, b: Boundaries, values: dict[str, float | None], metric: str, label: str,
           kind: str) -> go.Figure:
    scale = SCALES.get(metric, "RdYlGn")
    known = [v for v in values.values() if v is not None]
    lo, hi = (min(known), max(known)) if known else (0.0, 1.0)
    fig = go.Figure()
    for a in b.areas:
        v = values.get(a.kelurahan)
        text = _value_text(v, kind) if v is not None else ("data tidak cukup" if a.kelurahan in values else "0")
        for ring in a.rings:
            fig.add_trace(go.Scatter(
                x=[p[0] for p in ring], y=[p[1] for p in ring], mode="lines", fill="toself",
                fillcolor=_colour_of(v, lo, hi, scale), line={"color": "#FFFFFF", "width": 1},
                name=a.kelurahan, customdata=[[a.kecamatan, v]] * len(ring), meta={"kelurahan": a.kelurahan, "value": v},
                hoveron="fills", hovertemplate=f"<b>{a.kelurahan}</b> ({a.kecamatan})<br>{label}: {text}<extra></extra>",
                showlegend=False,
            ))
    xs, ys = [], []
    for p, q in b.kecamatan_lines:
        xs += [p[0], q[0], None]
        ys += [p[1], q[1], None]
    fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", line={"color": "#1B2733", "width": 2.2}, hoverinfo="skip",
                             showlegend=False, name="Batas kecamatan"))
    fig.add_trace(go.Scatter(
        x=[a.label[0] for a in b.areas], y=[a.label[1] for a in b.areas], mode="text", hoverinfo="skip",
        text=[f"{a.kelurahan}<br><b>{_value_text(values.get(a.kelurahan), kind)}</b>" for a in b.areas],
        textfont={"size": 15 if ctx.meeting else 10,
                  "color": [_ink(_colour_of(values.get(a.kelurahan), lo, hi, scale)) for a in b.areas]},
        showlegend=False, name="Nama",
    ))
    fig.add_trace(go.Scatter(  # the colour bar
        x=[None], y=[None], mode="markers", showlegend=False, hoverinfo="skip", name="Skala",
        marker={"colorscale": [[0, sample_colorscale(scale, [0.12])[0]], [1, sample_colorscale(scale, [1.0])[0]]],
                "cmin": lo, "cmax": hi, "color": [lo], "showscale": True,
                "colorbar": {"title": {"text": label, "side": "right"}, "thickness": 14,
                             "tickformat": ".0%" if kind == "pct" else ",d"}},
    ))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1 / b.aspect)
    charts.style(fig, ctx, f"{label} per kelurahan (garis tebal: batas kecamatan)", height=620, legend=False)
    fig.update_layout(plot_bgcolor="#FFFFFF")
    return fig


def show(ctx: Context, b: Boundaries, kel: pl.DataFrame, metric: str, label: str, kind: str, key: str) -> None:
    values = map_values(kel, metric, kind)
    fig = figure(ctx, b, values, metric, label, kind)
    charts.show(fig, ctx, name="peta-kelurahan", key=key)
    note = "Kelurahan abu-abu: pengaduan dalam cakupan terlalu sedikit untuk tingkat ini. " if kind == "pct" else ""
    st.caption(note + f"Batas wilayah: {b.source or 'berkas batas kelurahan'} ({b.license.split(';')[0]}).")
