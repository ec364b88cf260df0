"""Worklist PDFs (reportlab, the scorecards' fonts and colours): an OPD's or the city's worklist, and
the one-page executive snapshot for pimpinan. Laid out from the worklist; nothing is computed here."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from pipelines import fmt
from pipelines.digest.render import FOOTER, register_lines, snapshot_lines
from pipelines.digest.worklist import UNASSIGNED, ExecutiveSnapshot, Section, Worklist
from pipelines.officers import RegisterFlag
from pipelines.scorecard.pdf import FONT, LINE, NAVY, ZEBRA, _styles

PAGE = landscape(A4)
MARGIN = 1.5 * cm
FRAME_W = PAGE[0] - 2 * MARGIN


def _p(text: Any, style: str = "base") -> Paragraph:
    return Paragraph(escape(str(text)), _styles()[style])


def _cell(text: Any, width: float) -> Any:
    """Plain text when it fits the column (fast), a wrapping paragraph otherwise."""
    s = str(text)
    return s if stringWidth(s, FONT, 7.5) <= width - 8 else _p(s, "cell")


def _table(headers: Sequence[str], rows: Sequence[Sequence[Any]], weights: Sequence[float]) -> Table:
    total = sum(weights)
    widths = [FRAME_W * w / total for w in weights]
    data = [[_p(h, "head") for h in headers],
            *[[_cell(c, w) for c, w in zip(r, widths, strict=True)] for r in rows]]
    t = Table(data, colWidths=widths, repeatRows=1)
    style = [("BACKGROUND", (0, 0), (-1, 0), NAVY), ("VALIGN", (0, 0), (-1, -1), "TOP"),
             ("FONT", (0, 1), (-1, -1), FONT, 7.5),
             ("LINEBELOW", (0, 0), (-1, -1), 0.25, LINE), ("TOPPADDING", (0, 0), (-1, -1), 2),
             ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]
    style += [("BACKGROUND", (0, i), (-1, i), ZEBRA) for i in range(2, len(data), 2)]
    t.setStyle(TableStyle(style))
    return t


def _due_text(s: Section, r: dict) -> str:
    if s.key == "overdue":
        return f"{fmt.number(r['limit_days'])} HK · {fmt.date_short(r['due_date'])}"
    if s.key == "due_soon":
        return f"{r['step_label'] or ''} {fmt.date_short(r['due_date'])}".strip()
    if s.key == "awaiting":
        return f"tanggapan {fmt.number(r['limit_days'])} HK"
    return f"dibuka kembali {fmt.date_short(r['reopened_on'])}"


def _section_table(s: Section, df: Any, with_department: bool) -> Table:
    heads = ["No.", "Nomor", *(["OPD"] if with_department else []), "Dilaporkan", "Umur (HK)", "Batas / jatuh tempo",
             "Kategori", "Kelurahan", "Status"]
    rows = [[str(i), r["source_id"] or r["complaint_key"], *([r["department"] or UNASSIGNED] if with_department else []),
             fmt.date_short(r["reported_date"]), fmt.number(r["age_days"]), _due_text(s, r), r["category"] or "",
             r["kelurahan"] or "", r["status_label"] or ""]
            for i, r in enumerate(df.to_dicts(), start=1)]
    weights = [0.5, 1.6, *([3.0] if with_department else []), 1.2, 0.9, 1.6, 2.6, 1.4, 1.6]
    return _table(heads, rows, weights)


def _build(story: list[Any], title: str) -> bytes:
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                            bottomMargin=MARGIN, title=title, author="Monev Pengaduan")
    doc.build([*story, Spacer(1, 8), _p(FOOTER, "small")])
    return buf.getvalue()


def worklist_pdf(w: Worklist, period_label: str, *, flags: Sequence[RegisterFlag] = (),
                 unreachable: Sequence[str] = ()) -> bytes:
    """An OPD's worklist, or the city's (``w.department`` None: counts per OPD, then every list with an OPD
    column, then the register's flags)."""
    unit = w.department or "Seluruh OPD"
    story: list[Any] = [_p(f"Daftar kerja pengaduan – {unit}", "title"),
                        _p(f"Per {fmt.date_long(w.as_of)} · {period_label}", "period"), Spacer(1, 8),
                        _p("Ringkas: " + " · ".join(f"{fmt.number(w.count(s.key))} {s.short}" for s in w.sections))]
    city = w.department is None
    if city:
        counts = w.counts_by_department()
        story += [_p("Per OPD", "h1"), _table(
            ["OPD", *(s.short for s in w.sections)],
            [[r["department"], *(fmt.number(r[s.key]) for s in w.sections)] for r in counts.to_dicts()],
            [4, *([1] * len(w.sections))])]
    for i, s in enumerate(w.sections, start=1):
        df = w.frames[s.key]
        story += [_p(f"{i}. {s.title} ({fmt.number(df.height)})", "h1"), _p(s.explain, "small"), Spacer(1, 3)]
        story.append(_section_table(s, df, city) if df.height else _p("Tidak ada."))
    if city and flags:
        story += [_p("Register pejabat penghubung", "h1"), *[_p(x) for x in register_lines(flags, unreachable)]]
    return _build(story, f"Daftar kerja pengaduan – {unit}")


def _facts(s: ExecutiveSnapshot) -> Table:
    """The Ringkasan numbers as a row of boxes (label over value)."""
    n = s.numbers
    facts = [("Pengaduan masuk", fmt.number(n["received"])), ("Ditanggapi", fmt.percent(n["response_rate"])),
             ("Tanggapan tepat waktu", fmt.percent(n["on_time_response_rate"])),
             ("Selesai", fmt.percent(n["resolution_rate"])),
             ("Tunggakan lewat batas", fmt.number(n["backlog_overdue"]))]
    t = Table([[_p(label, "fact_label") for label, _ in facts], [_p(v, "fact") for _, v in facts]],
              colWidths=[FRAME_W / len(facts)] * len(facts))
    t.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.5, LINE), ("INNERGRID", (0, 0), (-1, -1), 0.5, LINE),
                           ("BACKGROUND", (0, 0), (-1, -1), ZEBRA), ("TOPPADDING", (0, 0), (-1, -1), 4)]))
    return t


def snapshot_pdf(s: ExecutiveSnapshot, period_label: str, city: str = "") -> bytes:
    """The one-page executive snapshot."""
    story: list[Any] = [_p("Ringkasan pengelolaan pengaduan" + (f" – {city}" if city else ""), "title"),
                        _p(f"Per {fmt.date_long(s.as_of)} · {period_label}", "period"), Spacer(1, 10)]
    story += [_facts(s), Spacer(1, 8), *[_p(x, "bullet") for x in snapshot_lines(s)[:4]]]
    if s.top_overdue:
        story += [_p("Lima OPD dengan tunggakan lewat batas terbanyak", "h1"), _table(
            ["No.", "OPD", "Lewat batas", "Tunggakan terbuka"],
            [[str(i), r["department"], fmt.number(r["backlog_overdue"]), fmt.number(r["backlog_open"])]
             for i, r in enumerate(s.top_overdue, start=1)],
            [0.5, 6, 1.5, 1.5])]
    return _build(story, "Ringkasan pengelolaan pengaduan")
