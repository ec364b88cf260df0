"""Plotly charts in the house style, each with its data (CSV/XLSX) and a PNG export.

The PNG comes from Plotly's own modebar button ("Unduh sebagai PNG"), drawn in the browser (no
Chrome on the server); the file is named after the chart, the period and the snapshot. Numbers use
Indonesian separators (layout.separators) and months Indonesian labels.
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from dashboard.components.tables import Col, downloads
from dashboard.context import Context
from pipelines import fmt

PALETTE = ["#1F5A96", "#E07B39", "#3A9D5D", "#C0392B", "#7E57C2", "#8D6E63", "#0097A7", "#F2B705", "#5C6BC0",
           "#9E9E9E", "#26A69A", "#EC407A"]
AGING_COLOURS = ["#9CC3E6", "#F2B705", "#E07B39", "#B3261E", "#7B1712", "#4A0D0A", "#300806", "#1A0403"]


def plot_config(file_name: str) -> dict:
    return {
        "displaylogo": False,
        "modeBarButtonsToRemove": ["lasso2d", "select2d", "autoScale2d", "toggleSpikelines", "zoomIn2d",
                                   "zoomOut2d", "pan2d", "zoom2d", "resetScale2d"],
        "toImageButtonOptions": {"format": "png", "filename": file_name, "scale": 2, "width": 1280,
                                 "height": 640},
        "scrollZoom": False,
    }


def style(fig: go.Figure, ctx: Context, title: str, *, height: int = 380, legend: bool | str = True,
          margin: dict | None = None) -> go.Figure:
    """House layout: title inside the figure (so the PNG carries it), Indonesian separators, source line."""
    big = ctx.meeting
    source = ""
    if ctx.snap is not None:
        source = f"Sumber: Monev Pengaduan · data per {fmt.date_long(ctx.snap.as_of)}"
    right = legend == "right"
    m = {"l": 10, "r": 10, "t": 70 if (legend and not right) else 48, "b": 72, **(margin or {})}
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 24 if big else 17}},
        template="plotly_white",
        separators=",.",
        height=int(height * (1.35 if big else 1)),
        margin=m,
        font={"size": 18 if big else 13, "family": "Source Sans Pro, Segoe UI, Arial, sans-serif"},
        legend=({"orientation": "v", "yanchor": "top", "y": 1.0, "x": 1.01, "xanchor": "left", "title": None,
                 "traceorder": "normal"} if right else
                {"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0, "title": None, "traceorder": "normal"}),
        showlegend=bool(legend),
        colorway=PALETTE,
        hoverlabel={"font_size": 14},
    )
    if source:
        # at the bottom edge of the figure (below the axis labels), inside the bottom margin; right-aligned
        # with the plot area, so a narrow plot (long bar labels on the left) does not cut it off
        fig.add_annotation(text=source, xref="paper", yref="paper", x=1, y=0, yshift=-(m["b"] - 4),
                           showarrow=False, xanchor="right", yanchor="bottom",
                           font={"size": 14 if big else 10, "color": "#6B7785"})
    return fig


def show(fig: go.Figure, ctx: Context, *, name: str, key: str, data: pl.DataFrame | None = None,
         cols: Sequence[Col] = (), sheet: str = "Data") -> None:
    """Draw the chart; below it CSV/XLSX of its data and the PNG hint."""
    stub = ctx.file_stub(name)
    if ctx.meeting:  # the slide's container sets the height; the chart fills it
        fig.update_layout(height=None, autosize=True)
    st.plotly_chart(fig, config=plot_config(stub), key=key, width="stretch",
                    height="stretch" if ctx.meeting else "content",
                    theme=None if ctx.meeting else "streamlit")  # meeting: the large fonts set above
    if data is not None and not ctx.meeting and ctx.scope.can("download_data"):
        downloads(data, cols, file_stub=stub, key=key, sheet=sheet, png_hint=True)


def month_labels(keys: Sequence[str]) -> list[str]:
    """'2026-07' -> 'Jul<br>2026' (two lines, so a year of months fits without turning the labels)."""
    return [fmt.month_label(k, short=True).replace(" ", "<br>") for k in keys]


def wrap_label(text: str, width: int = 28) -> str:
    """Break a long category or OPD name over lines (<br>) so chart labels are not cut."""
    import textwrap

    return "<br>".join(textwrap.wrap(str(text), width)) or str(text)
