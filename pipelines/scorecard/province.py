"""The province scorecard (rapor provinsi, issue 19): the pemda of a province ranked on the same KPIs,
as PDF (A4 landscape) and XLSX.

Every number comes from ``pipelines.province.ranking``: ``ranking`` (the only ranking implementation;
the rows are shown in its order with its ranks, never re-ranked) and ``pemda_trend`` (the months side by
side). Nothing here queries a complaint: only the aggregates of those two functions, each pemda's
snapshot id and as-of date, and whether a pemda's warehouse holds demo data. The rule sentence is the
one the ranking result carries (``rank_rule`` of the province settings).

Layout reuses the city scorecard's fonts, styles, tables and charts (``pdf.py``, ``charts.py``,
``xlsx.py``); the page is landscape because the league has thirteen columns and the trends sit side by
side. ``province_scorecard`` checks the actor itself (``download_scorecard`` and, for a viewer,
``require_province``): a pemda's own viewer is refused here, whatever a page shows.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from pipelines import fmt
from pipelines.capabilities import require
from pipelines.kpi import derived, rules_text
from pipelines.kpi.glossary import label as kpi_label
from pipelines.periods import Period
from pipelines.province import Province, ProvinceError
from pipelines.scorecard.model import (
    ESTIMATE_NOTE_INLINE,
    Column,
    ScorecardError,
    Table,
    generated_text,
    now_wib,
)

TITLE = "Rapor Provinsi: Kinerja Pengelolaan Pengaduan Kabupaten/Kota"
FORMATS = ("pdf", "xlsx")
# the trends the province pages and this scorecard chart (precomputed at publish for calendar years)
TREND_METRICS: tuple[tuple[str, str], ...] = (
    ("received", "int"), ("response_rate", "rate"), ("on_time_response_rate", "rate"), ("resolution_rate", "rate"),
)
# the rates of the league table; the "sampel kecil" mark looks at each of them
RATE_KEYS = ("response_rate", "on_time_response_rate", "on_time_resolution_rate", "resolution_rate")
TREND_MONTHS = 12  # a shorter period is shown within the 12 months up to its end (as the city scorecard)


@dataclass
class ProvinceScorecardData:
    """Everything the province scorecard shows (built by ``gather_province``, laid out by the renderers)."""

    province: str
    period: Period
    generated_at: dt.datetime
    rule: str
    settings: dict[str, Any]
    rows: list[dict[str, Any]]  # ranking() rows, in its order
    missing: list[dict[str, Any]]
    league: Table  # the ranked pemda
    small: Table  # the pemda with too little data (no rank), listed apart as the league rule says
    sources: Table  # each pemda's snapshot and as-of date
    trend: Table  # one row per pemda and month, every trend metric
    trend_months: list[str]  # 'YYYY-MM'
    trend_in_period: list[bool]
    trend_series: dict[str, dict[str, list[float | None]]]  # metric -> pemda name -> value per month
    notes: list[str] = field(default_factory=list)
    demo: bool = False

    @property
    def title(self) -> str:
        return f"{TITLE} – {self.province} – {self.period.label}"

    @property
    def period_range(self) -> str:
        return fmt.date_long(self.period.start) + " – " + fmt.date_long(self.period.end)

    @property
    def year(self) -> int:
        return self.period.end.year

    @property
    def as_of_text(self) -> str:
        days = sorted({r["as_of"] for r in self.rows if r.get("as_of")})
        if not days:
            return fmt.EMPTY
        if len(days) == 1:
            return fmt.date_long(days[0])
        return f"{fmt.date_long(days[0])} – {fmt.date_long(days[-1])} (tiap pemda pada tanggal datanya)"

    @property
    def generated_text(self) -> str:
        return generated_text(self.generated_at)

    def tables(self) -> list[Table]:
        return [self.league, self.small, self.trend, self.sources]


# ----------------------------------------------------------------- content


def _league_columns(year: int) -> list[Column]:
    return [
        Column("Peringkat", "int", 0.0, short="#"),
        Column("Kode", "text", 0.0, pdf=False),
        Column("Pemda", "text", 3.0),
        Column(kpi_label("received"), "int", 0.0, short="Masuk"),
        Column(kpi_label("in_scope"), "int", 0.0, short="Cakupan"),
        Column(kpi_label("response_rate"), "rate", 0.0, short="Ditanggapi"),
        Column(kpi_label("on_time_response_rate"), "rate", 0.0, short="Tanggapan tepat waktu"),
        Column(kpi_label("on_time_resolution_rate"), "rate", 0.0, short="Penyelesaian tepat waktu"),
        Column(kpi_label("resolution_rate"), "rate", 0.0, short="Selesai"),
        Column(kpi_label("backlog_open"), "int", 0.0, short="Tunggakan"),
        Column(kpi_label("backlog_overdue"), "int", 0.0, short="Lewat batas"),
        Column(f"Nilai estimasi {year} (0–100)", "score", 0.0, short=f"Nilai {year}"),
        Column("Predikat", "text", 0.3),
        Column("Tahun penilaian", "int", 0.0, pdf=False),
        Column("Data per", "date", 0.0),
        Column("Catatan", "text", 0.8),
    ]


LEAGUE_KEYS = ("received", "in_scope", "response_rate", "on_time_response_rate", "on_time_resolution_rate",
               "resolution_rate", "backlog_open", "backlog_overdue")


def _league_cells(r: dict[str, Any], min_sample: int) -> list[Any]:
    rating = r.get("rating") or {}
    note = derived.small_sample_note(r, RATE_KEYS, min_sample)
    if r.get("insufficient_data"):
        note = "data tidak cukup" + (f"; {note}" if note else "")
    return [
        r.get("rank"), r["kode"], r["name"], *[r.get(k) for k in LEAGUE_KEYS],
        rating.get("score"), rating.get("predikat") or fmt.EMPTY, rating.get("year"),
        dt.date.fromisoformat(r["as_of"]) if r.get("as_of") else None, note or None,
    ]


def _notes(result: dict[str, Any], year: int) -> list[str]:
    s = result["settings"]
    return [
        f"{result['rule']} Pemda dengan {rules_text.insufficient_text(s)} (Bagian 2).",
        "Angka setiap pemda dihitung dari gudang data pemda itu sendiri (batas waktu, kalender dan data masternya), "
        "sama dengan `monev kpi` dan rapor kota pemda itu; setiap pemda dibaca pada tanggal datanya sendiri "
        "(kolom Data per).",
        f"Catatan: {rules_text.small_sample_text(s)}.",
        f"Nilai dan predikat: model penilaian gaya Kemendagri tahun {year} atas data dan bukti dukung pemda "
        f"itu ({ESTIMATE_NOTE_INLINE}).",
        "Ditanggapi = tingkat tanggapan, Selesai = tingkat penyelesaian, Tunggakan = tunggakan terbuka, Lewat batas "
        "= tunggakan lewat batas (per tanggal data). Rapor ini hanya memuat angka agregat; tanpa data pribadi.",
    ]


def _trend_window(period: Period) -> tuple[dt.date, dt.date]:
    start = period.start
    first = dt.date(period.end.year - (1 if period.end.month < TREND_MONTHS else 0),
                    (period.end.month % TREND_MONTHS) + 1, 1)
    return (min(start.replace(day=1), first), period.end)


def _months(d_from: dt.date, d_to: dt.date) -> list[str]:
    out, y, m = [], d_from.year, d_from.month
    while (y, m) <= (d_to.year, d_to.month):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _span_label(months: list[str], in_period: list[bool]) -> str:
    inside = [m for m, x in zip(months, in_period, strict=True) if x]
    if not inside:
        return fmt.EMPTY
    if len(inside) == 1:
        return fmt.month_label(inside[0])
    return f"{fmt.month_label(inside[0])} – {fmt.month_label(inside[-1])}"


def _trends(province: Province, period: Period, rows: list[dict[str, Any]]
            ) -> tuple[list[str], list[bool], dict[str, dict[str, list[float | None]]], Table]:
    from pipelines.province.ranking import pemda_trend

    d_from, d_to = _trend_window(period)
    months = _months(d_from, d_to)
    in_period = [period.start.strftime("%Y-%m") <= m <= period.end.strftime("%Y-%m") for m in months]
    as_of = {r["name"]: (r.get("as_of") or "")[:7] for r in rows}
    names = [r["name"] for r in rows]
    series: dict[str, dict[str, list[float | None]]] = {}
    for key, _kind in TREND_METRICS:
        df = pemda_trend(province, metric=key, date_from=d_from, date_to=d_to)
        got: dict[tuple[str, str], float | None] = {}
        for rec in df.iter_rows(named=True):
            got[(rec["name"], rec["month"].strftime("%Y-%m"))] = rec["value"]
        # a month after the pemda's as-of date holds no data yet: a gap, not a zero
        series[key] = {n: [None if (as_of.get(n) and m > as_of[n]) else got.get((n, m)) for m in months]
                       for n in names}
    kode = {r["name"]: r["kode"] for r in rows}
    trend_rows = [[fmt.month_label(m), m, kode[n], n, *[series[k][n][i] for k, _ in TREND_METRICS]]
                  for n in names for i, m in enumerate(months)]
    table = Table(
        name="Tren",
        title=f"Tren bulanan per pemda, {fmt.month_label(months[0])} – {fmt.month_label(months[-1])}",
        columns=[Column("Bulan"), Column("Kode bulan"), Column("Kode"), Column("Pemda"),
                 *[Column(kpi_label(k), kind) for k, kind in TREND_METRICS]],
        rows=trend_rows,
        note="Tingkat tanpa pengaduan pada bulan itu, dan bulan sesudah tanggal data suatu pemda, kosong (garis "
             f"terputus). Bulan dalam periode rapor: {_span_label(months, in_period)}.",
    )
    return months, in_period, series, table


def _sources(province: Province, result: dict[str, Any]) -> tuple[Table, bool]:
    """Each pemda's published snapshot and as-of date, and whether any warehouse holds demo data."""
    from pipelines.demo.detect import is_demo_warehouse
    from pipelines.warehouse import WarehouseMissing, open_readonly

    by_kode = {r["kode"]: r for r in result["rows"]}
    missing = {m["kode"] for m in result.get("missing") or []}
    rows, demo = [], False
    for p in province.pemda:
        r = by_kode.get(p.kode)
        if r is None:
            status = "belum punya gudang data terbit" if p.kode in missing else "tidak ada di peringkat"
            rows.append([p.kode, p.name, None, None, status])
            continue
        try:
            con = open_readonly(p.paths)
        except WarehouseMissing:
            pass
        else:
            try:
                demo = demo or is_demo_warehouse(con)
            finally:
                con.close()
        rows.append([p.kode, p.name, r.get("snapshot_id"), dt.date.fromisoformat(r["as_of"]) if r.get("as_of")
                     else None, "berperingkat" if r.get("rank") is not None else "data tidak cukup"])
    note = ("Setiap pemda dibangun dari folder datanya sendiri (docs/province.md); snapshot = versi gudang data "
            "pemda yang terbit.")
    if missing:
        note += (" Belum punya gudang data terbit (tidak dinilai): "
                 + ", ".join(m["name"] for m in result["missing"]) + ".")
    return Table(name="Sumber data", title="Sumber data per pemda",
                 columns=[Column("Kode"), Column("Pemda", width=3.0), Column("Snapshot", width=2.0),
                          Column("Data per", "date"), Column("Status", width=1.5)],
                 rows=rows, note=note), demo


def gather_province(province: Province, period: Period, *, generated_at: dt.datetime | None = None
                    ) -> ProvinceScorecardData:
    """The province scorecard's content for ``period`` (ranking and trends of ``pipelines.province.ranking``)."""
    from pipelines.province.ranking import ranking

    result = ranking(province, date_from=period.start, date_to=period.end)
    rows = list(result["rows"])
    ms = int(result["min_sample"])
    year = period.end.year
    ranked = [r for r in rows if not r.get("insufficient_data")]
    small = [r for r in rows if r.get("insufficient_data")]
    league = Table(name="Peringkat", title="Peringkat pemda", columns=_league_columns(year),
                   rows=[_league_cells(r, ms) for r in ranked], note=result["rule"])
    small_t = Table(name="Data tidak cukup", title="Tanpa peringkat: data tidak cukup", columns=_league_columns(year),
                    rows=[_league_cells(r, ms) for r in small],
                    note=f"Pemda dengan {rules_text.insufficient_text(result['settings'])}.")
    months, in_period, series, trend = _trends(province, period, rows)
    sources, demo = _sources(province, result)
    return ProvinceScorecardData(
        province=result["province"], period=period, generated_at=generated_at or now_wib(), rule=result["rule"],
        settings=dict(result["settings"]), rows=rows, missing=list(result.get("missing") or []), league=league,
        small=small_t, sources=sources, trend=trend, trend_months=months, trend_in_period=in_period,
        trend_series=series, notes=_notes(result, year), demo=demo,
    )


# ----------------------------------------------------------------- entry point


def _period_of(date_from: dt.date | str, date_to: dt.date | str) -> Period:
    try:
        d_from = date_from if isinstance(date_from, dt.date) else dt.date.fromisoformat(str(date_from))
        d_to = date_to if isinstance(date_to, dt.date) else dt.date.fromisoformat(str(date_to))
    except ValueError:
        raise ScorecardError("Tanggal periode rapor provinsi tidak sah; tulis TTTT-BB-HH.") from None
    if d_to < d_from:
        raise ScorecardError(f"Periode terbalik: {d_from.isoformat()} sesudah {d_to.isoformat()}.")
    return Period.from_dates(d_from, d_to)


def province_scorecard(province: Province, *, date_from: dt.date | str, date_to: dt.date | str, fmt: str,
                       actor: Any = None, generated_at: dt.datetime | None = None) -> bytes:
    """The province scorecard for [date_from, date_to] as ``fmt`` ('pdf' or 'xlsx') bytes.

    ``actor``: the viewer (``pipelines.auth.scope.Scope``); None is the operator at the command line. A
    viewer needs ``download_scorecard`` and must be province-level (``require_province``): a pemda's own
    viewer gets ScopeError here, whatever a page offers."""
    require(actor, "download_scorecard")
    if actor is not None:
        actor.require_province()
    if fmt not in FORMATS:
        raise ScorecardError(f"Format '{str(fmt)[:20]}' tidak dikenal; pakai pdf atau xlsx.")
    if province is None:
        raise ProvinceError("Rapor provinsi hanya untuk instalasi provinsi (folder data dengan provinsi.yaml).")
    data = gather_province(province, _period_of(date_from, date_to), generated_at=generated_at)
    return build_province_pdf(data) if fmt == "pdf" else build_province_xlsx(data)


def file_name(province_name: str, period: Period, fmt_: str) -> str:
    from pipelines.scorecard.render import slug

    return f"rapor_provinsi_{period.key.replace('..', '_')}_{slug(province_name)}.{fmt_}"


# ----------------------------------------------------------------- PDF


def build_province_pdf(data: ProvinceScorecardData) -> bytes:
    """A4 landscape; the city scorecard's fonts, colours, tables and chart style."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import cm
    from reportlab.platypus import CondPageBreak, Paragraph, SimpleDocTemplate, Spacer

    from pipelines.scorecard import charts
    from pipelines.scorecard import pdf as P

    P._register_fonts()
    st = P._styles()
    page_w, page_h = landscape(A4)
    margin_x = 1.5 * cm
    frame_w = page_w - 2 * margin_x

    def p(text: str, style: str = "base") -> Paragraph:
        from xml.sax.saxutils import escape

        return Paragraph(escape(text), st[style])

    n = 0

    def h1(text: str) -> Paragraph:
        nonlocal n
        n += 1
        return p(f"{n}. {text}", "h1")

    ranked = data.league.rows
    out: list[Any] = [
        p(data.province.upper(), "kop"),
        p(f"Perbandingan {fmt.number(len(data.rows))} kabupaten/kota pada KPI yang sama", "kop2"),
        Spacer(1, 3), _hr(frame_w), p(TITLE.upper(), "title"),
        p(f"{data.period.label} ({data.period_range}) · data per {data.as_of_text}", "period"),
        Spacer(1, 8), _facts(data, frame_w),
        h1("Peringkat pemda"), p(data.rule, "base"), Spacer(1, 3),
        P.data_table(data.league, width=frame_w),
    ]
    if not ranked:
        out.append(p("Belum ada pemda yang memenuhi sampel minimum pada periode ini.", "small"))
    out += [CondPageBreak(3 * cm), h1("Tanpa peringkat: data tidak cukup"), p(data.small.note, "base"), Spacer(1, 3)]
    out.append(P.data_table(data.small, width=frame_w) if data.small.rows
               else p("Semua pemda memenuhi sampel minimum.", "small"))
    out += [Spacer(1, 4), *[p(x, "small") for x in data.notes[1:]]]  # notes[0] repeats the rule stated above

    months = [_tick(m, i) for i, m in enumerate(data.trend_months)]
    names = [r["name"] for r in data.rows]
    out += [CondPageBreak(13.5 * cm), h1("Tren bulanan per pemda")]
    if len(names) <= charts.PEMDA_LINES_MAX:
        panels = [{"title": kpi_label(k), "kind": kind, "series": data.trend_series[k]} for k, kind in TREND_METRICS]
        out.append(P._image(charts.province_trends(panels, months, data.trend_in_period, names), frame_w))
    else:
        for k, kind in TREND_METRICS:
            grid = [data.trend_series[k][nm] for nm in names]
            out += [CondPageBreak(4 * cm), P._image(charts.province_heatmap(kpi_label(k), kind, names, months, grid),
                                                   frame_w)]
    out.append(p(f"{data.trend.title}; urutan pemda = urutan peringkat. {data.trend.note} Angka per bulan ada di "
                 "berkas Excel (lembar Tren).", "small"))

    src = P.data_table(data.sources, width=frame_w * 0.75)
    src.hAlign = "LEFT"
    out += [CondPageBreak(4 * cm), h1("Sumber data"), src, p(data.sources.note, "small")]

    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf, pagesize=(page_w, page_h), leftMargin=margin_x, rightMargin=margin_x, topMargin=1.7 * cm,
        bottomMargin=1.9 * cm, title=data.title, author=data.province, subject=f"{TITLE} {data.period.label}",
        creator="Monev Pengaduan", invariant=1,
    )
    doc.build(out, canvasmaker=_canvas_class(data, page_w, page_h, margin_x))
    return buf.getvalue()


def _tick(ym: str, i: int) -> str:
    """'Jan\n2025' for January and the first month, else 'Feb' (readable ticks for 12 months side by side)."""
    short = fmt.month_label(ym, short=True)
    return short.replace(" ", "\n") if i == 0 or ym.endswith("-01") else short.split(" ")[0]


def _hr(width: float) -> Any:
    from reportlab.platypus import Table as RLTable
    from reportlab.platypus import TableStyle

    from pipelines.scorecard import pdf as P

    t = RLTable([[""]], colWidths=[width], rowHeights=[2])
    t.setStyle(TableStyle([("LINEABOVE", (0, 0), (-1, 0), 1.2, P.NAVY)]))
    return t


def _facts(data: ProvinceScorecardData, frame_w: float) -> Any:
    from reportlab.platypus import Paragraph, TableStyle
    from reportlab.platypus import Table as RLTable

    from pipelines.scorecard import pdf as P

    st = P._styles()
    top = data.league.rows[0] if data.league.rows else None
    facts = [
        ("Pemda", fmt.number(len(data.rows) + len(data.missing))),
        ("Berperingkat", fmt.number(len(data.league.rows))),
        ("Data tidak cukup", fmt.number(len(data.small.rows))),
        ("Pengaduan masuk (jumlah)", fmt.number(sum(int(r.get("received") or 0) for r in data.rows))),
        ("Peringkat 1", top[2] if top else fmt.EMPTY),
    ]
    cells = [[Paragraph(lab, st["fact_label"]) for lab, _ in facts], [Paragraph(v, st["fact"]) for _, v in facts]]
    t = RLTable(cells, colWidths=[frame_w / len(facts)] * len(facts))
    t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("LEFTPADDING", (0, 0), (-1, -1), 8),
                           ("LINEBEFORE", (1, 0), (-1, -1), 0.4, P.LINE), ("BOX", (0, 0), (-1, -1), 0.5, P.LINE),
                           ("BACKGROUND", (0, 0), (-1, -1), P.ZEBRA), ("TOPPADDING", (0, 0), (-1, -1), 4),
                           ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]))
    return t


def _canvas_class(data: ProvinceScorecardData, page_w: float, page_h: float, margin_x: float) -> type:
    """Footer on every page (generation time, page x of y, the estimate note), running head from page 2,
    the DEMO mark when a pemda's warehouse holds demo data: the city scorecard's page furniture."""
    from reportlab.lib.units import cm

    from pipelines.scorecard.pdf import paged_canvas

    return paged_canvas(
        page_w=page_w, page_h=page_h, margin_x=margin_x, footer_y=1.9 * cm - 0.55 * cm, head_y=page_h - 1.05 * cm,
        foot_line=(f"{data.province} · {fmt.number(len(data.rows))} pemda, masing-masing per tanggal datanya "
                   f"(Bagian Sumber data) · dibuat {data.generated_text}"),
        note_line=f"Nilai dan predikat dalam rapor ini: {ESTIMATE_NOTE_INLINE}.",
        running=f"Rapor Provinsi – {data.province} – {data.period.label}", running_right=None,
        pdf_date=data.generated_at.strftime("D:%Y%m%d%H%M%S+07'00'"), demo=data.demo, demo_angle=25)


# ----------------------------------------------------------------- XLSX


def build_province_xlsx(data: ProvinceScorecardData) -> bytes:
    """Ringkasan plus a sheet per part (Peringkat with every pemda, Tren, Sumber data); values, no formulas."""
    from pipelines.safe_export import new_workbook, write_cell
    from pipelines.scorecard import xlsx as X

    buf = io.BytesIO()
    wb = new_workbook(buf, created=data.generated_at, title=data.title)
    wb.set_properties({"title": data.title, "subject": f"{TITLE} {data.period.label}", "author": data.province,
                       "company": data.province, "created": data.generated_at})
    f = X._Formats(wb)
    ws = wb.add_worksheet("Ringkasan")
    ws.set_column(0, 0, 30)
    ws.set_column(1, 1, 70)
    write_cell(ws, 0, 0, TITLE, f.title)
    write_cell(ws, 1, 0, f"{data.province} – {data.period.label}", f.subtitle)
    info: list[tuple[str, Any, Any]] = [
        ("Provinsi", data.province, None),
        ("Periode", f"{data.period.label} ({data.period.key})", None),
        ("Dari tanggal", data.period.start, f.kinds_left["date"]),
        ("Sampai tanggal", data.period.end, f.kinds_left["date"]),
        ("Data per", data.as_of_text, None),
        ("Dibuat", data.generated_at, f.datetime),
        ("Pemda", len(data.rows) + len(data.missing), f.kinds_left["int"]),
        ("Berperingkat", len(data.league.rows), f.kinds_left["int"]),
        ("Data tidak cukup", len(data.small.rows), f.kinds_left["int"]),
        ("Sampel minimum", int(data.settings["min_sample"]), f.kinds_left["int"]),
        ("Aturan peringkat", data.rule, f.wrap),
    ]
    row = 3
    for lab, v, cf in info:
        write_cell(ws, row, 0, lab, f.label)
        write_cell(ws, row, 1, v, cf or f.text, date_format=cf)
        row += 1
    row += 1
    write_cell(ws, row, 0, "Catatan", f.section)
    for note in data.notes:
        row += 1
        write_cell(ws, row, 0, note, f.muted)
    row += 2
    write_cell(ws, row, 0, "Lembar: Peringkat (semua pemda; yang tanpa peringkat di bawah, kolom Catatan), Tren, "
                           "Sumber data.", f.muted)
    ws.freeze_panes(3, 0)

    used = {"ringkasan"}
    everyone = Table(name="Peringkat", title=f"Peringkat pemda – {data.period.label}", columns=data.league.columns,
                     rows=data.league.rows + data.small.rows,
                     note=f"{data.rule}\nBaris tanpa peringkat: {rules_text.insufficient_text(data.settings)}.")
    for t in (everyone, data.trend, data.sources):
        X._table_sheet(wb, f, t, used)
    if data.demo:
        X._demo_lines(wb)
    wb.close()
    return buf.getvalue()


def available_years(province: Province) -> list[int]:
    """The calendar years with data in the province, latest first (those the province views precompute)."""
    from pipelines.province.build import _default_windows

    return [start.year for start, _end in _default_windows(province)]
