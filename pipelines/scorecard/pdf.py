"""The PDF scorecard (reportlab platypus): lays out a ``ScorecardData``, computes nothing.

A4 portrait; tables split across pages with their header row repeated; every
page carries a footer with the snapshot id, the as-of date, the data hash, the
generation time, "Halaman x dari y" and the rating's "estimasi model" note. The
document is built in reportlab's invariant mode with the generation time as its
date, so the same data and time give the same bytes.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    CondPageBreak,
    Image,
    KeepTogether,
    ListFlowable,
    ListItem,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from pipelines import fmt
from pipelines.kpi import rules_text
from pipelines.scorecard import charts
from pipelines.scorecard.model import DEMO_TEXT, ESTIMATE_NOTE_INLINE, TITLE, ScorecardData, cell_text
from pipelines.scorecard.model import Table as DataTable

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
PAGE_W, PAGE_H = A4
MARGIN_X = 1.7 * cm
MARGIN_TOP = 1.9 * cm
MARGIN_BOTTOM = 2.2 * cm
FRAME_W = PAGE_W - 2 * MARGIN_X

NAVY = colors.HexColor("#1F3B57")
LINE = colors.HexColor("#B0B7BF")
ZEBRA = colors.HexColor("#F3F5F8")
MUTED = colors.HexColor("#5B6470")
NOTICE_BG = colors.HexColor("#FFF4CC")
BAND_COLORS = {
    "sangat baik": colors.HexColor("#1E8449"),
    "baik": colors.HexColor("#2E86AB"),
    "sedang": colors.HexColor("#D68910"),
    "kurang": colors.HexColor("#C0392B"),
}
BAND_TINTS = {
    "sangat baik": colors.HexColor("#D5F0DF"),
    "baik": colors.HexColor("#D6EAF3"),
    "sedang": colors.HexColor("#FBEBD0"),
    "kurang": colors.HexColor("#F6D5D1"),
}
GREY_BAND = colors.HexColor("#7F8C8D")
NUMERIC_KINDS = ("int", "signed", "rate", "days", "score", "mean", "mean1", "date")


@cache
def _register_fonts() -> None:
    """DejaVu Sans from matplotlib's own data (always installed with it): it has every character
    the scorecard prints (–, −, ≤, →, Indonesian text), unlike the PDF base fonts."""
    import matplotlib
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    ttf = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdfmetrics.registerFont(TTFont(FONT, str(ttf / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(ttf / "DejaVuSans-Bold.ttf")))
    addMapping(FONT, 0, 0, FONT)
    addMapping(FONT, 1, 0, FONT_BOLD)
    addMapping(FONT, 0, 1, FONT)
    addMapping(FONT, 1, 1, FONT_BOLD)


@cache
def _styles() -> dict[str, ParagraphStyle]:
    _register_fonts()
    base = ParagraphStyle("base", fontName=FONT, fontSize=9, leading=12, textColor=colors.black)
    return {
        "base": base,
        "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=9.5, textColor=MUTED),
        "kop": ParagraphStyle("kop", parent=base, fontName=FONT_BOLD, fontSize=12, leading=15, alignment=TA_CENTER),
        "kop2": ParagraphStyle("kop2", parent=base, fontSize=8.5, leading=11, alignment=TA_CENTER, textColor=MUTED),
        "title": ParagraphStyle("title", parent=base, fontName=FONT_BOLD, fontSize=15, leading=19,
                                alignment=TA_CENTER, textColor=NAVY, spaceBefore=8),
        "unit": ParagraphStyle("unit", parent=base, fontName=FONT_BOLD, fontSize=13, leading=16.5,
                               alignment=TA_CENTER, spaceBefore=2),
        "period": ParagraphStyle("period", parent=base, fontSize=9.5, leading=13, alignment=TA_CENTER,
                                 textColor=MUTED, spaceBefore=3),
        "h1": ParagraphStyle("h1", parent=base, fontName=FONT_BOLD, fontSize=11.5, leading=14.5, textColor=NAVY,
                             spaceBefore=10, spaceAfter=5),
        "h2": ParagraphStyle("h2", parent=base, fontName=FONT_BOLD, fontSize=9.5, leading=12, spaceBefore=6,
                             spaceAfter=3),
        "cell": ParagraphStyle("cell", parent=base, fontSize=7.5, leading=9.2),
        "cell_r": ParagraphStyle("cell_r", parent=base, fontSize=7.5, leading=9.2, alignment=TA_RIGHT),
        "head": ParagraphStyle("head", parent=base, fontName=FONT_BOLD, fontSize=7.3, leading=9,
                               textColor=colors.white),
        "head_r": ParagraphStyle("head_r", parent=base, fontName=FONT_BOLD, fontSize=7.3, leading=9,
                                 textColor=colors.white, alignment=TA_RIGHT),
        "bullet": ParagraphStyle("bullet", parent=base, fontSize=8.8, leading=11.6),
        "badge": ParagraphStyle("badge", parent=base, fontName=FONT_BOLD, fontSize=16, leading=20,
                                alignment=TA_CENTER, textColor=colors.white),
        "badge_small": ParagraphStyle("badge_small", parent=base, fontSize=8, leading=10.5, alignment=TA_CENTER,
                                      textColor=colors.white),
        "fact_label": ParagraphStyle("fact_label", parent=base, fontSize=7.5, leading=9.5, textColor=MUTED),
        "fact": ParagraphStyle("fact", parent=base, fontName=FONT_BOLD, fontSize=13, leading=16, textColor=NAVY),
        "notice": ParagraphStyle("notice", parent=base, fontName=FONT_BOLD, fontSize=10, leading=13.5),
        "sign": ParagraphStyle("sign", parent=base, fontSize=9, leading=12.5, alignment=TA_LEFT),
    }


def _p(text: Any, style: str = "base") -> Paragraph:
    return Paragraph(escape(str(text)), _styles()[style])


def _band_key(predikat: str | None) -> str:
    return (predikat or "").strip().lower()


# ----------------------------------------------------------------- page furniture


def paged_canvas(*, page_w: float, page_h: float, margin_x: float, footer_y: float, head_y: float,
                 foot_line: str, note_line: str, running: str, running_right: str | None, pdf_date: str,
                 demo: bool, demo_angle: float) -> type:
    """A canvas that knows the page count when it saves: the footer (``foot_line``, the estimate note,
    'Halaman x dari y'), the running head from page 2, and the DEMO mark on demo data. The city and the
    province scorecards both draw their pages with it."""

    class PagedCanvas(rl_canvas.Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []
            self.setDateFormatter(lambda *_a: pdf_date)

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._furniture(total)
                super().showPage()
            super().save()

        def _watermark(self) -> None:
            """Demo data: a large diagonal DEMO on the page and one line at its top."""
            self.saveState()
            self.setFillColor(colors.HexColor("#E07B39"))
            self.setFillAlpha(0.16)
            self.translate(page_w / 2, page_h / 2)
            self.rotate(demo_angle)
            self.setFont(FONT_BOLD, 150)
            self.drawCentredString(0, -50, "DEMO")
            self.restoreState()
            self.saveState()
            self.setFillColor(colors.HexColor("#8A4B00"))
            self.setFont(FONT_BOLD, 7.5)
            self.drawCentredString(page_w / 2, page_h - 0.7 * cm, DEMO_TEXT)
            self.restoreState()

        def _furniture(self, total: int) -> None:
            page = self._pageNumber
            if demo:
                self._watermark()
            self.saveState()
            self.setStrokeColor(LINE)
            self.setLineWidth(0.5)
            self.line(margin_x, footer_y + 0.32 * cm, page_w - margin_x, footer_y + 0.32 * cm)
            self.setFillColor(MUTED)
            self.setFont(FONT, 6.6)
            self.drawString(margin_x, footer_y, foot_line)
            self.drawString(margin_x, footer_y - 0.36 * cm, note_line)
            self.setFont(FONT_BOLD, 7)
            self.drawRightString(page_w - margin_x, footer_y - 0.36 * cm, f"Halaman {page} dari {total}")
            if page > 1:
                width = (page_w - 2 * margin_x) * (0.68 if running_right else 1.0)
                self.setFont(FONT, 7)
                self.drawString(margin_x, head_y, _fit(running, FONT, 7, width))
                if running_right:
                    self.drawRightString(page_w - margin_x, head_y, running_right)
                self.line(margin_x, head_y - 0.15 * cm, page_w - margin_x, head_y - 0.15 * cm)
            self.restoreState()

    return PagedCanvas


def _canvas_class(data: ScorecardData) -> type:
    """The city scorecard's pages: snapshot line in the footer, unit and pemda in the running head."""
    return paged_canvas(
        page_w=PAGE_W, page_h=PAGE_H, margin_x=MARGIN_X, footer_y=MARGIN_BOTTOM - 0.55 * cm,
        head_y=PAGE_H - 1.15 * cm,
        foot_line=(f"Snapshot {data.snapshot_id} · data per {fmt.date_long(data.as_of)} · hash data "
                   f"{data.input_hash} · dibuat {data.generated_text}"),
        note_line=f"Nilai dan predikat dalam rapor ini: {ESTIMATE_NOTE_INLINE}.",
        running=f"{TITLE} – {data.unit_short} – {data.period.label}", running_right=data.pemda,
        pdf_date=data.generated_at.strftime("D:%Y%m%d%H%M%S+07'00'"), demo=data.demo, demo_angle=35)


def _fit(text: str, font: str, size: float, width: float) -> str:
    """Cut a one-line text with an ellipsis so it fits ``width`` points."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


# ----------------------------------------------------------------- tables


def _base_style(n_rows: int, header_rows: int = 1) -> list[tuple]:
    st: list[tuple] = [
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), NAVY),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, LINE),
        ("BOX", (0, 0), (-1, -1), 0.5, LINE),
    ]
    if n_rows > header_rows:
        st.append(("ROWBACKGROUNDS", (0, header_rows), (-1, -1), [colors.white, ZEBRA]))
    return st


def _widths(weights: list[float], total: float = FRAME_W) -> list[float]:
    s = sum(weights)
    return [total * w / s for w in weights]


CELL_PAD = 3 + 3 + 1.5  # left + right padding and a little air


def auto_widths(headers: list[str], cells: list[list[str]], weights: list[float], total: float) -> list[float]:
    """Column widths that fit the content: never narrower than the longest word of a column (no words
    cut in two) when that is possible; spare width goes to the columns by ``weights``."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    st = _styles()
    hf, hs = FONT_BOLD, st["head"].fontSize
    cf, cs = FONT, st["cell"].fontSize
    mins, wants = [], []
    for j, h in enumerate(headers):
        words = [stringWidth(w, hf, hs) for w in h.split()] or [0.0]
        mn, want = max(words), max(words)
        for row in cells:
            text = row[j]
            for w in text.split():
                mn = max(mn, stringWidth(w, cf, cs))
            want = max(want, stringWidth(text, cf, cs))
        mins.append(mn + CELL_PAD)
        wants.append(max(want, mn) + CELL_PAD)
    wants = [min(w, total * 0.45) if w > m else w for w, m in zip(wants, mins, strict=True)]
    smin, swant = sum(mins), sum(wants)
    if swant <= total:
        spare = total - swant
        wsum = sum(weights) or float(len(weights))
        ws = weights if sum(weights) else [1.0] * len(weights)
        return [w + spare * x / wsum for w, x in zip(wants, ws, strict=True)]
    if smin <= total:
        f = (total - smin) / (swant - smin)
        return [m + (w - m) * f for m, w in zip(mins, wants, strict=True)]
    return [m * total / smin for m in mins]


def data_table(t: DataTable, *, limit: int | None = None, width: float = FRAME_W) -> Table:
    """A content Table as a platypus Table: wrapping text, right-aligned numbers, header repeated on
    every page, columns sized to their content."""
    st = _styles()
    idx = t.pdf_columns()
    cols = [t.columns[i] for i in idx]
    rows = t.rows if limit is None else t.rows[:limit]
    texts = [[cell_text(c.kind, r[i]) for i, c in zip(idx, cols, strict=True)] for r in rows]
    widths = auto_widths([c.pdf_header for c in cols], texts, [c.width for c in cols], width)
    head = [Paragraph(escape(c.pdf_header), st["head_r" if c.kind in NUMERIC_KINDS else "head"]) for c in cols]
    body = [
        [Paragraph(escape(text), st["cell_r" if c.kind in NUMERIC_KINDS else "cell"])
         for text, c in zip(line, cols, strict=True)]
        for line in texts
    ]
    if not body:
        body = [[Paragraph("Tidak ada data.", st["cell"])] + [""] * (len(cols) - 1)]
    tbl = Table([head, *body], colWidths=widths, repeatRows=1)
    style = _base_style(len(body) + 1)
    if not rows:
        style.append(("SPAN", (0, 1), (-1, 1)))
    # colour the predikat column of league tables
    for j, c in enumerate(cols):
        if c.header == "Predikat":
            for k, r in enumerate(rows, start=1):
                tint = BAND_TINTS.get(_band_key(r[idx[j]]))
                if tint is not None:
                    style.append(("BACKGROUND", (j, k), (j, k), tint))
    tbl.setStyle(TableStyle(style))
    return tbl


def _metrics_table(data: ScorecardData) -> Table:
    st = _styles()
    prev = data.comparison_label
    head = [Paragraph(escape(h), st[s]) for h, s in (
        ("Indikator", "head"), ("Nilai", "head_r"), (prev, "head_r"), ("Batas / target", "head"),
        ("Rincian", "head"), ("Skor model", "head_r"))]
    body, style = [], _base_style(len(data.metrics) + 1)
    for k, m in enumerate(data.metrics, start=1):
        body.append([
            Paragraph(escape(m.label), st["cell"]),
            Paragraph(f"<b>{escape(m.text)}</b>", st["cell_r"]),
            Paragraph(escape(m.previous_text), st["cell_r"]),
            Paragraph(escape(m.standard or fmt.EMPTY), st["cell"]),
            Paragraph(escape(m.detail), st["cell"]),
            Paragraph(escape(cell_text("score", m.score)), st["cell_r"]),
        ])
        tint = BAND_TINTS.get(_band_key(m.band))
        if tint is not None:
            style.append(("BACKGROUND", (5, k), (5, k), tint))
    tbl = Table([head, *body], colWidths=_widths([3.2, 1.15, 1.35, 2.3, 4.25, 1.05]), repeatRows=1)
    tbl.setStyle(TableStyle(style))
    return tbl


# ----------------------------------------------------------------- sections


def _cover(data: ScorecardData) -> list[Any]:
    out: list[Any] = [
        _p(data.pemda.upper(), "kop"),
    ]
    if data.province:
        out.append(_p(f"Provinsi {data.province}", "kop2"))
    out += [
        Spacer(1, 3),
        _hr(),
        _p(TITLE.upper(), "title"),
        _p(data.unit, "unit"),
        _p(f"{data.period.label} ({data.period_range}) · data per {fmt.date_long(data.as_of)}", "period"),
        Spacer(1, 8),
        _summary_box(data),
    ]
    if not data.has_complaints:
        who = "OPD ini" if data.scope == "opd" else data.unit
        msg = Table([[Paragraph(escape(
            f"Tidak ada pengaduan untuk {who} pada {data.period.label}. Angka periode di bawah bernilai 0 atau "
            "kosong (–); tunggakan dan daftar lewat batas tetap ditampilkan bila ada."), _styles()["notice"])]],
            colWidths=[FRAME_W])
        msg.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), NOTICE_BG), ("BOX", (0, 0), (-1, -1), 0.6, LINE),
                                 ("LEFTPADDING", (0, 0), (-1, -1), 8), ("TOPPADDING", (0, 0), (-1, -1), 6),
                                 ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))
        out += [Spacer(1, 6), msg]
    return out


def _hr() -> Table:
    t = Table([[""]], colWidths=[FRAME_W], rowHeights=[2])
    t.setStyle(TableStyle([("LINEABOVE", (0, 0), (-1, 0), 1.2, NAVY)]))
    return t


def _summary_box(data: ScorecardData) -> Table:
    st = _styles()
    r = data.rating
    band_color = BAND_COLORS.get(_band_key(r.predikat), GREY_BAND)
    if data.scope == "kota":
        sub = f"Nilai {r.score_text} dari 100"
        if not r.assessed:
            sub += " · belum ada bukti dukung terverifikasi"
    elif r.score is None:
        sub = "Tanpa nilai dan peringkat"
    else:
        sub = f"Nilai {r.score_text} · peringkat {r.rank} dari {r.ranked} OPD"
    badge = Table(
        [[Paragraph("Predikat (estimasi model)", st["badge_small"])],
         [Paragraph(escape(r.predikat), st["badge"])],
         [Paragraph(escape(sub), st["badge_small"])]],
        colWidths=[5.6 * cm],
    )
    badge.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), band_color), ("TOPPADDING", (0, 0), (-1, -1), 3),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
    k = data.kpi
    facts = [
        ("Pengaduan masuk", fmt.number(k["received"])),
        ("Tingkat tanggapan", fmt.percent(k["response_rate"])),
        ("Tanggapan tepat waktu", fmt.percent(k["on_time_response_rate"])),
        ("Tunggakan lewat batas", fmt.number(k["backlog_overdue"])),
    ]
    fact_cells = [[Paragraph(escape(lab), st["fact_label"]) for lab, _ in facts],
                  [Paragraph(escape(v), st["fact"]) for _, v in facts]]
    fw = (FRAME_W - 5.6 * cm - 0.4 * cm) / 4
    ft = Table(fact_cells, colWidths=[fw] * 4)
    ft.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("LEFTPADDING", (0, 0), (-1, -1), 6),
                            ("LINEBEFORE", (1, 0), (-1, -1), 0.4, LINE)]))
    outer = Table([[badge, ft]], colWidths=[5.6 * cm + 0.4 * cm, FRAME_W - 6.0 * cm])
    outer.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return outer


def _bullets(items: list[str], numbered: bool = False) -> ListFlowable:
    st = _styles()["bullet"]
    flow = [ListItem(Paragraph(escape(s), st), leftIndent=12) for s in items]
    if numbered:
        return ListFlowable(flow, bulletType="1", bulletFontName=FONT, bulletFontSize=8.5, leftIndent=14)
    return ListFlowable(flow, bulletType="bullet", start="•", bulletFontName=FONT, bulletFontSize=8.5,
                        leftIndent=12)


def _image(png: bytes, width: float) -> Image:
    from reportlab.lib.utils import ImageReader

    reader = ImageReader(io.BytesIO(png))
    iw, ih = reader.getSize()
    return Image(io.BytesIO(png), width=width, height=width * ih / iw)


def _signoff(data: ScorecardData) -> list[Any]:
    st = _styles()
    s = data.signoff
    lines = [
        Paragraph(escape(f"{s['place']}, {s['date']}"), st["sign"]),
        Paragraph(escape(s["title"]), st["sign"]),
        Spacer(1, 1.5 * cm),
        Paragraph(f"<b>{escape(s['name'])}</b>", st["sign"]),
        Paragraph(escape(f"NIP {s['nip']}"), st["sign"]),
    ]
    inner = Table([[x] for x in lines], colWidths=[7.6 * cm])
    inner.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    outer = Table([["", inner]], colWidths=[FRAME_W - 7.6 * cm, 7.6 * cm])
    outer.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return [Spacer(1, 12), outer]  # no KeepTogether here: nested ones always split (reportlab)


def _rating_section(data: ScorecardData, st: dict[str, Any], h1: Any, small: Any, out: list[Any],
                    appendices: list[tuple[str, list[Any]]]) -> int:
    """The rating section (city: total, dimensions, what-if; OPD: score and rank) and its appendices.
    Returns where the last section before the signature starts."""
    r = data.rating
    last_section = len(out)
    if data.scope == "kota":
        out += [CondPageBreak(7 * cm), h1("Penilaian gaya Kemendagri (estimasi model)")]
        out.append(Paragraph(escape(f"Total {r.score_text} · predikat {r.predikat}. {r.disclaimer}; {r.model}."),
                             st["base"]))
        out += [small(note) for note in r.notes]
        if r.dimensions is not None:
            out += [Spacer(1, 4), data_table(r.dimensions, width=FRAME_W * 0.62)]
        if r.plan:
            last_section = len(out)
            head = f"Jalan ke predikat {r.target}" if r.assessed else f"Agar dapat dinilai (predikat {r.target})"
            out += [Paragraph(escape(head + " — perubahan terkecil menurut model:"), st["h2"]), _bullets(r.plan)]
            if r.plan_note:
                out.append(small(r.plan_note))
        if r.indicators is not None:
            appendices.append(("Nilai per indikator penilaian", [data_table(r.indicators), small(r.indicators.note)]))
        if data.departments is not None:
            d = data.departments
            appendices.append(("Peringkat OPD dan nilai model", [data_table(d, limit=d.pdf_limit), small(d.note)]))
    else:
        out += [h1("Nilai OPD (estimasi model)")]
        if r.score is None:
            out.append(Paragraph(escape(
                f"Data tidak cukup: {fmt.number(data.kpi['in_scope'])} pengaduan dalam cakupan pada periode ini, "
                f"di bawah batas minimal {rules_text.min_sample(data.kpi)}; OPD ini tidak diberi nilai dan "
                "peringkat."), st["base"]))
        else:
            out.append(Paragraph(escape(
                f"Peringkat {r.rank} dari {r.ranked} OPD ({rules_text.league_text(data.kpi)}) · nilai "
                f"{r.score_text} · predikat {r.predikat}. {r.disclaimer}; {r.model}."), st["base"]))
        if r.indicators is not None:
            out.append(small("Rincian skor per indikator: Lampiran A."))
            appendices.append(("Rincian nilai OPD per indikator", [data_table(r.indicators), small(r.indicators.note)]))

    return last_section


def story(data: ScorecardData) -> list[Any]:
    """The flowables of the scorecard, in reading order: the signed body, then the appendices."""
    st = _styles()
    out: list[Any] = _cover(data)
    n = 0

    def h1(text: str) -> Paragraph:
        nonlocal n
        n += 1
        return Paragraph(escape(f"{n}. {text}"), st["h1"])

    def small(text: str) -> Paragraph:
        return Paragraph("<br/>".join(escape(x) for x in text.split("\n")), st["small"])

    out += [h1("Kinerja utama"), _metrics_table(data),
            small("Skor model: nilai indikator 0–100 pada model penilaian (warna = rentang predikat); kosong bila "
                  "angka itu bukan indikator atau datanya tidak cukup.")]
    out += [small(x) for x in data.notes]
    out += [CondPageBreak(4 * cm), h1("Temuan"), _bullets(data.findings)]
    out += [CondPageBreak(3 * cm), h1("Rekomendasi"), _bullets(data.recommendations, numbered=True)]

    out += [CondPageBreak(8 * cm), h1(data.trend_title), _image(charts.trend_chart(data.trend), FRAME_W)]
    half = (FRAME_W - 0.4 * cm) / 2
    pair = Table([[_image(charts.aging_chart(data.aging), half),
                   _image(charts.on_time_chart(data.on_time_steps), half)]],
                 colWidths=[half + 0.2 * cm, half + 0.2 * cm])
    pair.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                              ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    aging_text = "; ".join(f"{lab} HK: {fmt.number(v)}" for lab, v in data.aging)
    out += [CondPageBreak(6.5 * cm), h1("Tunggakan dan ketepatan waktu"), pair,
            small(f"Tunggakan per {fmt.date_long(data.as_of)} (semua periode): {fmt.number(data.kpi['backlog_open'])} "
                  f"terbuka, {fmt.number(data.kpi['backlog_overdue'])} lewat batas. Umur: {aging_text}.")]

    if data.area is not None:
        a = data.area
        out += [CondPageBreak(11 * cm), h1(a.title), _image(charts.kelurahan_map(a), FRAME_W * 0.72),
                small(f"Warna lebih gelap = lebih banyak; garis tebal: batas kecamatan. Batas wilayah: "
                      f"{a.boundaries.source} ({a.boundaries.license.split(';')[0]}).")]

    cats = data.categories
    out += [CondPageBreak(4 * cm), h1("Kategori pengaduan"), data_table(cats, limit=cats.pdf_limit)]
    if len(cats.rows) > (cats.pdf_limit or len(cats.rows)):
        out.append(small(f"{fmt.number(cats.pdf_limit)} kategori terbanyak dari {fmt.number(len(cats.rows))}; "
                         "semuanya ada di berkas Excel."))

    appendices: list[tuple[str, list[Any]]] = []
    last_section = _rating_section(data, st, h1, small, out, appendices)

    # the last section travels with the signature, so the signature never stands alone on a page
    out[last_section:] = [KeepTogether(out[last_section:] + _signoff(data))]

    od = data.overdue
    listing = [Paragraph(escape(
        f"{fmt.number(data.overdue_total)} pengaduan terbuka melewati batas waktu penyelesaian per "
        f"{fmt.date_long(data.as_of)}, urut dari yang tertua. Tanpa data pribadi pelapor."), st["base"])]
    if od.note:
        listing.append(small(od.note))
    listing += [Spacer(1, 4), data_table(od, limit=od.pdf_limit)]
    appendices.append(("Daftar pengaduan lewat batas waktu", listing))

    for i, (title, flow) in enumerate(appendices):
        letter = "ABCDEFGH"[i]
        first = [PageBreak()] if i == 0 else [CondPageBreak(5 * cm)]
        out += [*first, Paragraph(escape(f"Lampiran {letter}. {title}"), st["h1"]), *flow]
    return out


def build_pdf(data: ScorecardData) -> bytes:
    """The scorecard as PDF bytes."""
    _register_fonts()
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM, title=data.title, author=data.pemda,
        subject=f"{TITLE} {data.period.label}", creator="Monev Pengaduan", invariant=1,
        keywords=f"snapshot {data.snapshot_id}; hash {data.input_hash}",
    )
    doc.build(story(data), canvasmaker=_canvas_class(data))
    return buf.getvalue()
