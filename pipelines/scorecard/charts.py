"""Scorecard charts as PNG bytes, drawn with matplotlib's Agg backend (no browser, no display).

Figures are built with ``matplotlib.figure.Figure`` (not pyplot), so rendering
keeps no global state and is safe in the dashboard's threads.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

from pipelines import fmt

NAVY = "#1F3B57"
BLUE = "#2E86AB"
GREEN = "#3BB273"
AMBER = "#E0A100"
RED = "#C0392B"
GREY = "#8A94A0"
PERIOD_BG = "#FFF4CC"
DPI = 200

_RC = {
    "font.family": "DejaVu Sans",
    "font.size": 8,
    "axes.edgecolor": "#B0B7BF",
    "axes.linewidth": 0.6,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "xtick.color": "#333333",
    "ytick.color": "#333333",
}


def _png(fig: Any) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
    return buf.getvalue()


def _int_axis(ax: Any) -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    ax.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: fmt.number(v)))


def trend_chart(rows: Sequence[Mapping[str, Any]], *, width_cm: float = 17.0, height_cm: float = 5.6) -> bytes:
    """Complaints received, answered and resolved per month (months of the period shaded)."""
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=(width_cm / 2.54, height_cm / 2.54))
        ax = fig.add_subplot(1, 1, 1)
        n = len(rows)
        xs = list(range(n))
        w = 0.27
        series = (("received", "Masuk", NAVY), ("responded", "Ditanggapi", BLUE), ("resolved", "Selesai", GREEN))
        for i, r in enumerate(rows):
            if r.get("in_period"):
                ax.axvspan(i - 0.5, i + 0.5, color=PERIOD_BG, zorder=0, lw=0)
        for j, (key, lab, col) in enumerate(series):
            ax.bar([x + (j - 1) * w for x in xs], [int(r[key]) for r in rows], width=w, color=col, label=lab,
                   zorder=2)
        ax.set_xticks(xs)
        ax.set_xticklabels([str(r["label"]) for r in rows], rotation=0 if n <= 8 else 45,
                           ha="center" if n <= 8 else "right", fontsize=7)
        ax.set_xlim(-0.6, max(n, 1) - 0.4)
        _int_axis(ax)
        if not any(int(r["received"]) for r in rows):
            ax.set_ylim(0, 1)
            ax.text(0.5, 0.5, "Tidak ada pengaduan pada bulan-bulan ini", transform=ax.transAxes,
                    ha="center", va="center", color=GREY, fontsize=9)
        ax.grid(axis="y", color="#E3E6EA", lw=0.5, zorder=1)
        ax.set_ylabel("pengaduan")
        handles, labels = ax.get_legend_handles_labels()
        from matplotlib.patches import Patch

        handles.append(Patch(facecolor=PERIOD_BG, edgecolor="#E5D48A", lw=0.5))
        labels.append("bulan dalam periode")
        ax.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, 1.16), ncol=4, frameon=False,
                  fontsize=7)
        fig.subplots_adjust(left=0.08, right=0.99, top=0.86, bottom=0.25 if n > 8 else 0.12)
        return _png(fig)


def aging_chart(aging: Sequence[tuple[str, int]], *, width_cm: float = 8.2, height_cm: float = 4.6) -> bytes:
    """Open backlog by age bucket (working days), oldest bucket in red."""
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=(width_cm / 2.54, height_cm / 2.54))
        ax = fig.add_subplot(1, 1, 1)
        labels = [f"{lab} HK" for lab, _ in aging]
        values = [int(v) for _, v in aging]
        n = len(values)
        colors = [GREEN, AMBER, "#E67E22", RED, RED, RED, RED, RED][:n] if n > 1 else [NAVY]
        ys = list(range(n))[::-1]
        ax.barh(ys, values, color=colors, height=0.6, zorder=2)
        ax.set_yticks(ys)
        ax.set_yticklabels(labels)
        top = max(values) if values and max(values) > 0 else 1
        ax.set_xlim(0, top * 1.22)
        for y, v in zip(ys, values, strict=True):
            ax.text(v + top * 0.02, y, fmt.number(v), va="center", fontsize=7.5)
        ax.xaxis.set_visible(False)
        ax.spines["bottom"].set_visible(False)
        ax.set_title("Umur tunggakan (hari kerja sejak lapor)", fontsize=8, loc="left")
        fig.subplots_adjust(left=0.2, right=0.97, top=0.84, bottom=0.06)
        return _png(fig)


def on_time_chart(steps: Sequence[tuple[str, float | None, float | None]], *, width_cm: float = 8.2,
                  height_cm: float = 4.6) -> bytes:
    """On-time rate per step (label, rate, target); a missing rate is drawn as '–'."""
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=(width_cm / 2.54, height_cm / 2.54))
        ax = fig.add_subplot(1, 1, 1)
        n = len(steps)
        ys = list(range(n))[::-1]
        for y, (_lab, rate, target) in zip(ys, steps, strict=True):
            v = 0.0 if rate is None else rate * 100
            col = GREY if rate is None else (GREEN if target is None or rate >= target else AMBER)
            ax.barh(y, v, color=col, height=0.6, zorder=2)
            ax.text(min(v, 100) + 1.5, y, fmt.percent(rate), va="center", fontsize=7.5)
            if target is not None:
                ax.plot([target * 100, target * 100], [y - 0.38, y + 0.38], color=NAVY, lw=1.2, zorder=3)
        if all(rate is None for _lab, rate, _t in steps):
            ax.text(50, (n - 1) / 2, "Belum ada tahap yang dapat dinilai", ha="center", va="center", color=GREY,
                    fontsize=7.5)
        ax.set_yticks(ys)
        ax.set_yticklabels([s[0] for s in steps])
        ax.set_xlim(0, 118)
        ax.set_xticks([0, 25, 50, 75, 100])
        ax.set_xticklabels(["0%", "25%", "50%", "75%", "100%"], fontsize=7)
        ax.set_title("Tepat waktu per tahap", fontsize=8, loc="left")
        ax.set_xlabel("garis tegak = target model", fontsize=6.5, color=GREY, labelpad=2)
        fig.subplots_adjust(left=0.3, right=0.97, top=0.86, bottom=0.22)
        return _png(fig)


def kelurahan_map(area: Any, *, width_cm: float = 13.0, height_cm: float = 12.0) -> bytes:
    """The city's kelurahan coloured by ``area.values`` (darker = more), kecamatan borders drawn thick,
    name and value on each kelurahan, and a colour bar (``area``: ``model.AreaMap``)."""
    import matplotlib
    from matplotlib.collections import LineCollection, PolyCollection
    from matplotlib.colors import Normalize
    from matplotlib.figure import Figure

    b = area.boundaries
    known = [v for v in area.values.values() if v is not None]
    norm = Normalize(vmin=min(known, default=0), vmax=max(max(known, default=1), min(known, default=0) + 1))
    cmap = matplotlib.colormaps["Blues"]
    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=(width_cm / 2.54, height_cm / 2.54))
        ax = fig.add_subplot(1, 1, 1)
        polys, colours = [], []
        for a in b.areas:
            v = area.values.get(a.kelurahan) or 0
            for ring in a.rings:
                polys.append(ring)
                colours.append(cmap(0.12 + 0.88 * norm(v)))
        ax.add_collection(PolyCollection(polys, facecolors=colours, edgecolors="#FFFFFF", linewidths=0.6))
        ax.add_collection(LineCollection(list(b.kecamatan_lines), colors=NAVY, linewidths=1.6))
        for a in b.areas:
            v = area.values.get(a.kelurahan) or 0
            ink = "#FFFFFF" if norm(v) > 0.6 else "#1B2733"
            ax.text(a.label[0], a.label[1], f"{a.kelurahan}\n{fmt.number(v)}", ha="center", va="center",
                    fontsize=5.6, color=ink)
        x0, y0, x1, y1 = b.bounds()
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.set_aspect(1 / b.aspect)
        ax.set_axis_off()
        sm = matplotlib.cm.ScalarMappable(norm=norm, cmap=cmap)
        bar = fig.colorbar(sm, ax=ax, fraction=0.035, pad=0.02)
        bar.set_label(area.label)
        bar.ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _p: fmt.number(v)))
        fig.subplots_adjust(left=0.01, right=0.92, top=0.99, bottom=0.01)
        return _png(fig)


# the pemda lines of the province scorecard's trends (up to this many pemda; more are drawn as a heat map)
PEMDA_COLORS = (NAVY, "#E67E22", GREEN, "#8E44AD", RED, BLUE, "#7F6000", GREY)
PEMDA_LINES_MAX = len(PEMDA_COLORS)


def _value_axis(ax: Any, kind: str) -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    if kind == "rate":
        ax.set_ylim(0, 1.04)
        ax.set_yticks([0, 0.25, 0.5, 0.75, 1.0])
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v * 100:.0f}%"))
    else:
        ax.set_ylim(bottom=0)
        ax.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: fmt.number(v)))


def province_trends(panels: Sequence[Mapping[str, Any]], months: Sequence[str], in_period: Sequence[bool],
                    names: Sequence[str], *, width_cm: float = 25.5, height_cm: float = 10.5) -> bytes:
    """Small multiples of the province scorecard: one panel per metric (``panels``: title, kind 'int' or
    'rate', series = {pemda name: one value or None per month}), one line per pemda in ``names`` order with one
    shared legend; months of the period shaded. A month without data (after a pemda's as-of date) is a gap."""
    import matplotlib
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    n = len(months)
    xs = list(range(n))
    cols = 2 if len(panels) > 1 else 1
    rows = (len(panels) + cols - 1) // cols
    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=(width_cm / 2.54, height_cm / 2.54))
        axes = [fig.add_subplot(rows, cols, i + 1) for i in range(len(panels))]
        for ax, panel in zip(axes, panels, strict=True):
            for i, inside in enumerate(in_period):
                if inside:
                    ax.axvspan(i - 0.5, i + 0.5, color=PERIOD_BG, zorder=0, lw=0)
            for j, name in enumerate(names):
                vals = panel["series"].get(name) or [None] * n
                ys = [float("nan") if v is None else float(v) for v in vals]
                ax.plot(xs, ys, color=PEMDA_COLORS[j % len(PEMDA_COLORS)], lw=1.4, marker="o", ms=2.4,
                        label=name, zorder=3)
            _value_axis(ax, panel["kind"])
            ax.set_xlim(-0.5, max(n, 1) - 0.5)
            ax.set_xticks(xs)
            ax.set_xticklabels(list(months), fontsize=6.5)
            ax.grid(axis="y", color="#E3E6EA", lw=0.5, zorder=1)
            ax.set_title(panel["title"], fontsize=8.5, loc="left", color=NAVY, fontweight="bold")
        handles, labels = axes[0].get_legend_handles_labels()
        handles.append(Patch(facecolor=PERIOD_BG, edgecolor="#E5D48A", lw=0.5))
        labels.append("bulan dalam periode")
        fig.legend(handles, labels, loc="upper center", ncol=min(len(labels), 5), frameon=False, fontsize=7.5)
        fig.subplots_adjust(left=0.06, right=0.99, top=0.87, bottom=0.09, hspace=0.55, wspace=0.14)
        return _png(fig)


def province_heatmap(title: str, kind: str, names: Sequence[str], months: Sequence[str],
                     values: Sequence[Sequence[float | None]], *, width_cm: float = 25.5) -> bytes:
    """One metric for many pemda: a row per pemda (``names`` order), a column per month, the value printed
    in each cell (darker = higher; an empty cell = no data)."""
    import matplotlib
    import numpy as np
    from matplotlib.figure import Figure

    n_rows, n_cols = len(names), len(months)
    grid = np.array([[np.nan if v is None else float(v) for v in row] for row in values], dtype=float)
    height_cm = 1.6 + 0.42 * max(n_rows, 1)
    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=(width_cm / 2.54, height_cm / 2.54))
        ax = fig.add_subplot(1, 1, 1)
        known = grid[~np.isnan(grid)] if grid.size else np.array([])
        vmax = 1.0 if kind == "rate" else float(known.max()) if known.size else 1.0
        cmap = matplotlib.colormaps["Blues"].copy()
        cmap.set_bad("#FFFFFF")
        ax.imshow(np.ma.masked_invalid(grid), cmap=cmap, vmin=0, vmax=max(vmax, 1e-9), aspect="auto")
        for i in range(n_rows):
            for j in range(n_cols):
                v = grid[i, j]
                if np.isnan(v):
                    continue
                text = f"{v * 100:.0f}%" if kind == "rate" else fmt.number(v)
                ink = "#FFFFFF" if v / max(vmax, 1e-9) > 0.6 else "#1B2733"
                ax.text(j, i, text, ha="center", va="center", fontsize=5.6, color=ink)
        ax.set_xticks(range(n_cols))
        ax.set_xticklabels(list(months), fontsize=6.5)
        ax.set_yticks(range(n_rows))
        ax.set_yticklabels(list(names), fontsize=6.5)
        ax.tick_params(length=0)
        for s in ax.spines.values():
            s.set_visible(False)
        ax.set_title(title, fontsize=8.5, loc="left", color=NAVY, fontweight="bold")
        fig.subplots_adjust(left=0.17, right=0.99, top=1 - 0.9 / height_cm, bottom=0.6 / height_cm)
        return _png(fig)
