"""The Excel scorecard (xlsxwriter): a summary sheet plus one sheet per underlying table.

Lays out a ``ScorecardData``; computes nothing. Numbers are stored as numbers
(unrounded) with Indonesian-style display formats, dates as dates; every text
cell goes through ``pipelines.safe_export`` (written as a string, formula-looking
text neutralised). Headers are formatted, panes frozen below the headers, column
widths set. The workbook's creation time is the scorecard's generation time, so
the same data and time give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from pipelines import fmt
from pipelines.safe_export import new_workbook, sheet_name, write_cell
from pipelines.scorecard.model import DEMO_TEXT, TITLE, ScorecardData, Table, cell_text

NUM_FORMATS = {
    "int": "#,##0",
    "signed": "+#,##0;-#,##0;0",
    "rate": "0.0%",
    "days": "0.0",
    "score": "0.0",
    "mean": "0.00",
    "mean1": "0.0",
    "date": "dd/mm/yyyy",
}
NAVY = "#1F3B57"
MAX_WIDTH = 60


class _Formats:
    def __init__(self, wb: Any):
        add = wb.add_format
        self.title = add({"bold": True, "font_size": 14, "font_color": NAVY})
        self.subtitle = add({"bold": True, "font_size": 12})
        self.muted = add({"font_color": "#5B6470", "italic": True, "text_wrap": True, "valign": "top"})
        self.label = add({"bold": True, "valign": "top"})
        self.text = add({"valign": "top"})
        self.wrap = add({"text_wrap": True, "valign": "top"})
        self.section = add({"bold": True, "font_size": 11, "font_color": NAVY})
        self.head = add({"bold": True, "bg_color": NAVY, "font_color": "#FFFFFF", "border": 1, "text_wrap": True,
                         "valign": "top"})
        self.datetime = add({"num_format": "dd/mm/yyyy hh:mm", "align": "left", "valign": "top"})
        self.kinds = {k: add({"num_format": v, "valign": "top"}) for k, v in NUM_FORMATS.items()}
        self.kinds_left = {k: add({"num_format": v, "valign": "top", "align": "left"}) for k, v in NUM_FORMATS.items()}
        self.bold_kinds = {k: add({"num_format": v, "valign": "top", "bold": True}) for k, v in NUM_FORMATS.items()}

    def for_kind(self, kind: str, *, wrap: bool = False) -> Any:
        return self.kinds.get(kind) or (self.wrap if wrap else self.text)


def _width(value: Any, kind: str) -> int:
    if value is None:
        return 2
    if kind in NUM_FORMATS:
        return len(cell_text(kind, value)) + 2
    return min(len(str(value)) + 2, MAX_WIDTH)


def _table_sheet(wb: Any, f: _Formats, t: Table, used: set[str]) -> None:
    name = sheet_name(t.name)
    base, i = name, 2
    while name.lower() in used:
        name = sheet_name(f"{base[:27]} {i}")
        i += 1
    used.add(name.lower())
    ws = wb.add_worksheet(name)
    cols = [c for c in t.columns if c.xlsx]
    idx = [i for i, c in enumerate(t.columns) if c.xlsx]
    write_cell(ws, 0, 0, t.title, f.section)
    widths = [min(max(len(c.header) // 2 + 2, 8), 24) for c in cols]
    for j, c in enumerate(cols):
        write_cell(ws, 1, j, c.header, f.head)
    for r, row in enumerate(t.rows, start=2):
        for j, (i, c) in enumerate(zip(idx, cols, strict=True)):
            v = row[i]
            long_text = c.kind == "text" and isinstance(v, str) and len(v) > MAX_WIDTH
            write_cell(ws, r, j, v, f.for_kind(c.kind, wrap=long_text), date_format=f.kinds["date"])
            widths[j] = max(widths[j], _width(v, c.kind))
    for j, w in enumerate(widths):
        ws.set_column(j, j, w)
    ws.set_row(1, 30)
    ws.freeze_panes(2, 0)
    last = 1 + max(len(t.rows), 1)
    ws.autofilter(1, 0, last, len(cols) - 1)
    if not t.rows:
        write_cell(ws, 2, 0, "Tidak ada data.", f.muted)
    if t.note:
        for k, line in enumerate(t.note.split("\n")):
            write_cell(ws, last + 2 + k, 0, line, f.muted)


def _summary(wb: Any, f: _Formats, data: ScorecardData) -> None:
    ws = wb.add_worksheet("Ringkasan")
    ws.set_column(0, 0, 30)
    ws.set_column(1, 1, 24)
    ws.set_column(2, 2, 14)
    ws.set_column(3, 3, 14)
    ws.set_column(4, 4, 16)
    ws.set_column(5, 5, 22)
    ws.set_column(6, 6, 48)
    ws.set_column(7, 8, 14)
    write_cell(ws, 0, 0, TITLE, f.title)
    write_cell(ws, 1, 0, data.subtitle, f.subtitle)
    write_cell(ws, 2, 0, data.pemda + (f", Provinsi {data.province}" if data.province else ""), f.text)
    ws.freeze_panes(3, 0)

    r = data.rating
    info: list[tuple[str, Any, Any]] = [
        ("Cakupan", "Kota" if data.scope == "kota" else "OPD", None),
        ("Unit", data.unit, None),
        ("Periode", f"{data.period.label} ({data.period.key})", None),
        ("Dari tanggal", data.period.start, f.kinds_left["date"]),
        ("Sampai tanggal", data.period.end, f.kinds_left["date"]),
        ("Pembanding", data.comparison_label, None),
        ("Pembanding dilihat per", data.comparison.as_of if data.comparison else None, f.kinds_left["date"]),
        ("Data per", data.as_of, f.kinds_left["date"]),
        ("Snapshot", data.snapshot_id, None),
        ("Hash data", data.input_hash, None),
        ("Dibuat", data.generated_at, f.datetime),
        ("Predikat (estimasi model)", r.predikat, None),
        ("Nilai (0–100)", r.score, f.kinds_left["score"]),
    ]
    if data.scope == "opd":
        info.append(("Peringkat", r.rank, f.kinds_left["int"]))
        info.append(("OPD yang dinilai", r.ranked, f.kinds_left["int"]))
    info.append(("Catatan penilaian", r.disclaimer, None))
    row = 4
    for lab, v, cf in info:
        write_cell(ws, row, 0, lab, f.label)
        write_cell(ws, row, 1, v, cf or f.text, date_format=cf)
        row += 1
    if not data.has_complaints:
        row += 1
        who = "OPD ini" if data.scope == "opd" else data.unit
        write_cell(ws, row, 0, f"Tidak ada pengaduan untuk {who} pada {data.period.label}.", f.subtitle)
        row += 1

    row = _metrics_block(ws, f, data, row)
    _text_block(ws, f, data, row)


def _metrics_block(ws: Any, f: _Formats, data: ScorecardData, row: int) -> int:
    """The headline KPI and the backlog's ages, from ``row``; returns the next free row."""
    row += 1
    write_cell(ws, row, 0, "Kinerja utama", f.section)
    row += 1
    heads = ["Indikator", "Kunci KPI", "Nilai", "Tampilan", data.comparison_label, "Batas / target",
             "Rincian", "Skor model (0–100)", "Rentang predikat skor"]
    for j, h in enumerate(heads):
        write_cell(ws, row, j, h, f.head)
    ws.set_row(row, 30)
    row += 1
    for m in data.metrics:
        write_cell(ws, row, 0, m.label, f.text)
        write_cell(ws, row, 1, m.key, f.text)
        write_cell(ws, row, 2, m.value, f.bold_kinds.get(m.kind, f.text))
        write_cell(ws, row, 3, m.text, f.text)
        write_cell(ws, row, 4, m.previous, f.for_kind(m.kind))
        write_cell(ws, row, 5, m.standard or None, f.text)
        write_cell(ws, row, 6, m.detail, f.wrap)
        write_cell(ws, row, 7, m.score, f.kinds["score"])
        write_cell(ws, row, 8, m.band, f.text)
        row += 1

    row += 1
    write_cell(ws, row, 0, "Umur tunggakan (hari kerja)", f.section)
    row += 1
    for j, h in enumerate(("Kelompok umur (HK)", "Tunggakan terbuka")):
        write_cell(ws, row, j, h, f.head)
    row += 1
    for lab, n in data.aging:
        write_cell(ws, row, 0, lab, f.text)
        write_cell(ws, row, 1, n, f.kinds["int"])
        row += 1

    return row


def _text_block(ws: Any, f: _Formats, data: ScorecardData, row: int) -> None:
    """Findings, recommendations, notes and the signature, from ``row``."""
    for title, items, numbered in (("Temuan", data.findings, False), ("Rekomendasi", data.recommendations, True)):
        row += 1
        write_cell(ws, row, 0, title, f.section)
        row += 1
        for i, text in enumerate(items, start=1):
            ws.merge_range(row, 0, row, 8, "", f.wrap)
            write_cell(ws, row, 0, f"{i}. {text}" if numbered else f"• {text}", f.wrap)
            ws.set_row(row, 15 * (1 + len(text) // 170))
            row += 1

    row += 1
    write_cell(ws, row, 0, "Catatan", f.section)
    row += 1
    for note in data.notes:
        write_cell(ws, row, 0, note, f.muted)
        row += 1

    row += 1
    s = data.signoff
    for line in (f"{s['place']}, {s['date']}", s["title"], "", "", s["name"], f"NIP {s['nip']}"):
        write_cell(ws, row, 6, line or None, f.text)
        row += 1


def _trend_sheet(wb: Any, f: _Formats, data: ScorecardData) -> None:
    ws = wb.add_worksheet("Tren Bulanan")
    write_cell(ws, 0, 0, data.trend_title, f.section)
    heads = ("Bulan", "Kode bulan", "Masuk", "Dalam cakupan", "Ditanggapi", "Selesai", "Dalam periode")
    for j, h in enumerate(heads):
        write_cell(ws, 1, j, h, f.head)
    for r, t in enumerate(data.trend, start=2):
        write_cell(ws, r, 0, fmt.month_label(t["month"]), f.text)
        write_cell(ws, r, 1, t["month"], f.text)
        for j, key in enumerate(("received", "in_scope", "responded", "resolved"), start=2):
            write_cell(ws, r, j, t[key], f.kinds["int"])
        write_cell(ws, r, 6, "ya" if t["in_period"] else "tidak", f.text)
    ws.set_column(0, 0, 18)
    ws.set_column(1, 1, 11)
    ws.set_column(2, 5, 13)
    ws.set_column(6, 6, 13)
    ws.set_row(1, 30)
    ws.freeze_panes(2, 0)


def _demo_lines(wb: Any) -> None:
    """Demo data: a DEMO line on every sheet (the free row under the Ringkasan's heading, under the data
    elsewhere), in the printed header, and an orange sheet tab."""
    fmt_demo = wb.add_format({"bold": True, "font_color": "#8A4B00", "bg_color": "#FFF4DC"})
    for ws in wb.worksheets():
        row = 3 if ws.name == "Ringkasan" else ws.dim_rowmax + 2
        ws.write_string(row, 0, DEMO_TEXT, fmt_demo)
        ws.set_header(f"&C&\"Arial,Bold\"{DEMO_TEXT}")
        ws.set_tab_color("#E07B39")


def build_xlsx(data: ScorecardData) -> bytes:
    """The scorecard as XLSX bytes."""
    buf = io.BytesIO()
    created = data.generated_at if isinstance(data.generated_at, dt.datetime) else None
    wb = new_workbook(buf, created=created, title=data.title)
    wb.set_properties({
        "title": data.title,
        "subject": f"{TITLE} {data.period.label}",
        "author": data.pemda,
        "company": data.pemda,
        "comments": f"Snapshot {data.snapshot_id}; hash data {data.input_hash}",
        "created": created,
    })
    f = _Formats(wb)
    _summary(wb, f, data)
    _trend_sheet(wb, f, data)
    used = {"ringkasan", "tren bulanan"}
    for t in data.tables():
        _table_sheet(wb, f, t, used)
    if data.demo:
        _demo_lines(wb)
    wb.close()
    return buf.getvalue()
