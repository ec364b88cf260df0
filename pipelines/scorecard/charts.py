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
