"""A readable text rendering (Bahasa Indonesia) of a ``compute`` result, for ``monev kpi --format table``."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

from pipelines import fmt
from pipelines.kpi import rules_text
from pipelines.kpi.coverage import coverage_sentences
from pipelines.kpi.glossary import label
from pipelines.periods import COMPARISONS

FILTER_NAMES = {
    "department": "OPD",
    "category": "Kategori",
    "channel": "Kanal",
    "kecamatan": "Kecamatan",
    "kelurahan": "Kelurahan",
    "classification": "Klasifikasi",
}
TREND_WORDS = {"naik": "naik", "turun": "turun", "tetap": "tetap", None: "–"}


def _cut(text: Any, width: int) -> str:
    s = "–" if text is None else str(text)
    return s if len(s) <= width else s[: width - 1] + "…"


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]], align: str | None = None) -> list[str]:
    """Fixed-width text table; ``align`` is one 'l'/'r' per column (default: first left, rest right)."""
    align = align or "l" + "r" * (len(headers) - 1)
    cells = [[str(h) for h in headers]] + [[str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]

    def line(r: list[str]) -> str:
        return "  ".join(c.ljust(w) if a == "l" else c.rjust(w) for c, w, a in zip(r, widths, align, strict=True))

    out = [line(cells[0]), "  ".join("-" * w for w in widths)]
    out += [line(r) for r in cells[1:]]
    return [s.rstrip() for s in out]


def _kv(pairs: Sequence[tuple[str, str]]) -> list[str]:
    w = max(len(k) for k, _ in pairs)
    return [f"  {k.ljust(w)}  {v}" for k, v in pairs]


def _share(n: int, rate: float | None) -> str:
    return f"{fmt.number(n)} ({fmt.percent(rate)})"


def _on_time(r: Mapping[str, Any], step: str, rate_key: str) -> str:
    return (
        f"{fmt.percent(r.get(rate_key))} "
        f"({fmt.number(r.get(step + '_on_time'))} tepat, {fmt.number(r.get(step + '_late'))} terlambat)"
    )


def _breakdown(title: str, name_header: str, key: str, rows: list[Mapping[str, Any]], width: int) -> list[str]:
    if not rows:
        return [title, "  (tidak ada pengaduan)", ""]
    body = [
        (
            "–" if r["rank"] is None else str(r["rank"]),
            _cut(r[key], width),
            fmt.number(r["in_scope"]),
            fmt.percent(r["response_rate"]),
            fmt.percent(r["on_time_response_rate"]),
            fmt.percent(r["resolution_rate"]),
            fmt.days(r["resolution_days_median"]),
            fmt.number(r["backlog_overdue"]),
            "data tidak cukup" if r["insufficient_data"] else "",
        )
        for r in rows
    ]
    headers = ("#", name_header, "Cakupan", "Ditanggapi", "Tanggapan tepat", "Selesai", "Median selesai",
               "Tunggakan lewat", "Catatan")
    return [title, *table(headers, body, "rlrrrrrrl"), ""]


def comparison_line(result: Mapping[str, Any]) -> str:
    """'Pembanding: periode yang sama tahun lalu, 1 Januari – 30 Oktober 2025 (dilihat per ...)'."""
    c = result.get("comparison") or result.get("previous_period") or {}
    if not c:
        return "Pembanding: tidak ada (periode dimulai sesudah tanggal data)."
    mode = COMPARISONS.get(c.get("mode", ""), "periode pembanding").lower()
    note = f", {c['note']}" if c.get("note") else ""
    return f"Pembanding: {mode}, {c.get('label')} ({c['from']}..{c['to']}){note}."


def _changes(result: Mapping[str, Any]) -> list[str]:
    c = result.get("comparison")
    if not c:
        return []
    rows = []
    for key, unit in (("received", "count"), ("in_scope", "count"), ("response_rate", "rate"),
                      ("on_time_response_rate", "rate"), ("resolution_rate", "rate"),
                      ("resolution_days_median", "days"), ("backlog_overdue", "count")):
        d = c["change"].get(key)
        if unit == "rate":
            now, then = fmt.percent(result.get(key)), fmt.percent(c.get(key))
            diff = fmt.EMPTY if d is None else fmt.signed(d * 100, 1, " poin persen")
        elif unit == "days":
            now, then = fmt.days(result.get(key)), fmt.days(c.get(key))
            diff = fmt.EMPTY if d is None else fmt.signed(d, 1, " HK")
        else:
            now, then = fmt.number(result.get(key)), fmt.number(c.get(key))
            diff = fmt.EMPTY if d is None else fmt.signed(d, 0)
        rows.append((label(key), then, now, diff))
    return ["Dibanding pembanding", *table(("", "Pembanding", "Periode ini", "Perubahan"), rows), ""]


def _summary(result: Mapping[str, Any]) -> list[str]:
    return ["Ringkasan periode", *_kv([
        (label("received"), fmt.number(result["received"])),
        (label("excluded"), fmt.number(result["excluded"])),
        (label("in_scope"), fmt.number(result["in_scope"])),
        (label("verified"), fmt.number(result["verified"])),
        (label("responded"), _share(result["responded"], result["response_rate"])),
        (label("resolved"), _share(result["resolved"], result["resolution_rate"])),
        (label("reopened"), _share(result.get("reopened") or 0, result.get("reopen_rate")) + " dari yang selesai"),
        (label("satisfaction_mean"),
         f"{fmt.number(result['satisfaction_mean'], 2)} dari 5 ({fmt.number(result['satisfaction_count'])} penilaian)"),
        (label("repeat_rate"), _share(result["repeat_complaints"], result["repeat_rate"])),
    ])]


def _durations(result: Mapping[str, Any]) -> list[str]:
    """Durations and on-time rates, then what part of them is unknown (coverage, in words)."""
    lines = ["Lama penanganan (hari kerja)", *_kv([
        (label("verification_days_median"), fmt.days(result["verification_days_median"])),
        ("Median / P90 tanggapan", f"{fmt.days(result['response_days_median'])} / {fmt.days(result['response_days_p90'])}"),
        ("Median / P90 penyelesaian",
         f"{fmt.days(result['resolution_days_median'])} / {fmt.days(result['resolution_days_p90'])}"),
    ])]
    lines += ["", "Ketepatan waktu", *_kv([
        (label("on_time_verification_rate"), _on_time(result, "verification", "on_time_verification_rate")),
        (label("on_time_response_rate"), _on_time(result, "response", "on_time_response_rate")),
        (label("on_time_resolution_rate"), _on_time(result, "resolution", "on_time_resolution_rate")),
    ])]
    notes = coverage_sentences(result.get("coverage"))
    if notes:
        lines += ["", "Catatan data (tanggal yang tidak tercatat)"]
        lines += [w for n in notes for w in textwrap.wrap(n, 100, initial_indent="  - ", subsequent_indent="    ")]
    return lines


def _stock(result: Mapping[str, Any]) -> list[str]:
    p = result["period"]
    aging = "; ".join(f"{k} HK: {fmt.number(v)}" for k, v in result["backlog_aging"].items())
    days = (result.get("settings") or {}).get("due_soon_days", 2)
    return ["", f"Tunggakan per {fmt.date_long(p['as_of'])} (semua periode)", *_kv([
        (label("backlog_open"), fmt.number(result["backlog_open"])),
        (label("backlog_overdue"), fmt.number(result["backlog_overdue"])),
        (label("backlog_aging"), aging),
        (f"{label('due_soon')} ({fmt.number(days)} HK)", fmt.number(result.get("due_soon") or 0)),
    ]), ""]


def render(result: Mapping[str, Any], *, max_rows: int = 60) -> str:
    """The KPI result as text for a terminal."""
    p = result["period"]
    lines = [
        f"KPI PENGADUAN — {p.get('label') or ''} ({fmt.date_long(p['from'])} s.d. {fmt.date_long(p['to'])})",
        f"Data per {fmt.date_long(p['as_of'])}",
    ]
    if result.get("filters"):
        parts = [f"{FILTER_NAMES.get(k, k)}: {', '.join(v)}" for k, v in result["filters"].items()]
        lines.append("Filter: " + "; ".join(parts))
    snap = result.get("snapshot")
    if snap:
        lines.append(f"Snapshot: {snap['snapshot_id']} (hash masukan {snap['input_hash']})")
    lines.append(comparison_line(result))
    lines.append("")

    lines += _summary(result)
    lines += ["", *_changes(result)]
    lines += _durations(result)
    lines += _stock(result)

    sections = (
        (f"Peringkat OPD ({rules_text.league_text(result)}; minimal {rules_text.min_sample(result)} pengaduan "
         "dalam cakupan)", "OPD", "department", "by_department", 45),
        ("Per kategori", "Kategori", "category", "by_category", 45),
        ("Per kanal", "Kanal", "channel", "by_channel", 28),
        ("Per kecamatan", "Kecamatan", "kecamatan", "by_kecamatan", 20),
        ("Per kelurahan", "Kelurahan", "kelurahan", "by_kelurahan", 20),
    )
    for title, header, key, rk, width in sections:
        rows = list(result.get(rk) or [])
        more = len(rows) - max_rows
        lines += _breakdown(title, header, key, rows[:max_rows], width)
        if more > 0:
            lines.insert(len(lines) - 1, f"  … dan {fmt.number(more)} baris lagi (lihat --format json)")

    months = result.get("by_month") or []
    if months:
        body = [
            (fmt.month_label(m["month"]), fmt.number(m["received"]), fmt.number(m["in_scope"]),
             fmt.number(m["responded"]), fmt.number(m["resolved"]))
            for m in months
        ]
        lines += ["Per bulan", *table(("Bulan", "Masuk", "Cakupan", "Ditanggapi", "Selesai"), body), ""]

    trend = result.get("category_trend") or []
    if trend:
        prev = result.get("previous_period") or {}
        body = [
            (_cut(t["category"], 45), fmt.number(t["received"]), fmt.number(t["received_previous"]),
             fmt.signed(t["change"], 0), TREND_WORDS.get(t["trend"], str(t["trend"])))
            for t in trend[:max_rows]
        ]
        lines += [f"Tren kategori (dibanding {prev.get('label', 'periode sebelumnya')})",
                  *table(("Kategori", "Masuk", "Sebelumnya", "Perubahan", "Tren"), body, "lrrrl"), ""]
    lines.append(f"Definisi: docs/glosarium.md (versi definisi {result.get('definitions_version')}).")
    return "\n".join(lines)
