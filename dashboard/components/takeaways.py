"""One sentence per Mode Rapat slide, generated from the numbers the slide shows.

Every number comes from the same KPI result (``data.kpi``), rating list and trend frame the slide
draws, so the sentence and the chart cannot disagree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

from dashboard import insights
from dashboard.context import Context
from pipelines import fmt


def _short(ctx: Context, department: str) -> str:
    short = ctx.master.department_short if ctx.master is not None else {}
    return short.get(department) or department


def _change(cur: float | None, prev: float | None, unit: str = "count") -> str:
    """'naik 91%' / 'turun 3' / 'tetap' for counts; 'naik 1,2 poin persen' for rates."""
    if cur is None or prev is None:
        return ""
    diff = cur - prev
    if abs(diff) < 1e-12:
        return "tetap"
    word = "naik" if diff > 0 else "turun"
    if unit == "rate":
        return f"{word} {fmt.number(abs(diff) * 100, 1)} poin persen"
    if prev:
        return f"{word} {fmt.number(abs(diff) / prev * 100, 0)}%"
    return f"{word} {fmt.number(abs(diff))}"


def headline(ctx: Context, cur: Mapping[str, Any], cmp: Mapping[str, Any] | None) -> str:
    parts = [f"{fmt.number(cur['received'])} pengaduan masuk"]
    if cmp is not None:
        ch = _change(cur["received"], cmp.get("received"))
        if ch:
            parts[0] += f" ({ch} dari {ctx.comparison.label})"
    parts.append(f"{fmt.percent(cur.get('response_rate'))} sudah ditanggapi")
    parts.append(f"{fmt.percent(cur.get('resolution_rate'))} sudah selesai")
    parts.append(f"{fmt.number(cur['backlog_overdue'])} tunggakan lewat batas")
    return ", ".join(parts[:-1]) + " dan " + parts[-1] + "."


def trend(df: pl.DataFrame) -> str:
    if df.height == 0 or df["received"].sum() == 0:
        return "Belum ada pengaduan pada bulan-bulan ini."
    peak = df.sort(["received", "month"], descending=[True, True]).row(0, named=True)
    last = df.row(df.height - 1, named=True)
    text = (f"Pengaduan masuk terbanyak pada {fmt.month_label(peak['month'])}: {fmt.number(peak['received'])}; "
            f"{fmt.month_label(last['month'])}: {fmt.number(last['received'])} masuk, "
            f"{fmt.number(last['resolved'])} sudah selesai.")
    return text


def backlog(ctx: Context, cur: Mapping[str, Any], cmp: Mapping[str, Any] | None) -> str:
    overdue = int(cur.get("backlog_overdue") or 0)
    if not cur.get("backlog_open"):
        return "Tidak ada tunggakan terbuka pada tanggal data."
    text = f"Tunggakan lewat batas {fmt.number(overdue)}"
    if cmp is not None and ctx.comparison is not None:
        ch = _change(overdue, cmp.get("backlog_overdue"))
        if ch:
            text += f", {ch} dari {fmt.date_long(ctx.comparison.as_of)}"
    depts = [d for d in (cur.get("by_department") or []) if (d.get("backlog_overdue") or 0) > 0]
    if depts:
        top = max(depts, key=lambda d: (d["backlog_overdue"], str(d["department"])))
        text += f"; terbanyak di {_short(ctx, top['department'])}: {fmt.number(top['backlog_overdue'])}"
    return text + "."


def attention(ctx: Context, items: Sequence[insights.Attention]) -> str:
    if not items:
        return "Belum ada OPD dengan pengaduan yang cukup untuk dinilai."
    names = [f"{_short(ctx, a.department)} ({fmt.number(a.score, 1)}, {a.predikat})" for a in items
             if a.score is not None]
    if not names:
        return "Belum ada OPD dengan pengaduan yang cukup untuk dinilai."
    return f"Nilai terendah dari {fmt.number(items[0].ranked)} OPD yang dinilai: " + ", ".join(names) + "."


def rising(rows: Sequence[Mapping[str, Any]]) -> str:
    if not rows:
        return "Tidak ada kategori yang naik berarti dibanding periode pembanding."
    top = rows[0]
    text = (f"Kenaikan terbesar: {top['category']}, +{fmt.number(top['change'])} pengaduan "
            f"({fmt.number(top['received_previous'])} → {fmt.number(top['received'])})")
    if len(rows) > 1:
        text += f"; {fmt.number(len(rows) - 1)} kategori lain juga naik"
    return text + "."
