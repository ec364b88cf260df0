"""Scorecard layout on a hand-made warehouse: the longest OPD name and a 200-row overdue list paginate
cleanly (every row once, header repeated, nothing past the margin), and formula-looking text stays text."""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pytest
from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from warehouse_factory import make_warehouse

from pipelines.safe_export import neutralize
from pipelines.scorecard import gather
from pipelines.scorecard.pdf import FONT, FONT_BOLD, MARGIN_X, PAGE_W, build_pdf
from pipelines.scorecard.xlsx import build_xlsx

LONG = "Dinas Pemberdayaan Perempuan, Perlindungan Anak, Pengendalian Penduduk dan Keluarga Berencana"
GEN = dt.datetime(2025, 10, 3, 8, 0)
FORMULA_TITLE = '=HYPERLINK("http://contoh.invalid/x","klik di sini")'
FORMULA_ID = "@SUM(1+1)"
N_OVERDUE = 200


def complaints() -> list[dict]:
    rows = []
    # 200 open complaints from January to March 2025, never answered: all overdue by 30 September
    day = dt.datetime(2025, 1, 2, 8, 0)
    for i in range(N_OVERDUE):
        rows.append({
            "source_id": f"LB{i + 1:04d}", "reported_at": day + dt.timedelta(hours=9 * i),
            "verified_at": day + dt.timedelta(hours=9 * i + 1), "dispatched_at": day + dt.timedelta(hours=9 * i + 2),
            "status": "awaiting_response", "department": LONG, "category": "Sosial dan Kesejahteraan",
            "title": FORMULA_TITLE if i == 7 else f"Bantuan sosial belum cair {i}",
        })
    rows[3]["source_id"] = FORMULA_ID
    # the quarter itself: 20 complaints answered and resolved in time
    for i in range(20):
        t = dt.datetime(2025, 7, 1, 9, 0) + dt.timedelta(days=3 * i)
        rows.append({
            "source_id": f"Q3{i:03d}", "reported_at": t, "verified_at": t + dt.timedelta(hours=2),
            "dispatched_at": t + dt.timedelta(hours=3), "first_response_at": t + dt.timedelta(days=1),
            "resolved_at": t + dt.timedelta(days=2), "status": "resolved", "department": LONG,
            "category": "Sosial dan Kesejahteraan",
        })
    return rows


@pytest.fixture(scope="module")
def con():
    c = make_warehouse(complaints(), as_of="2025-09-30", calendar_years=(2024, 2026))
    yield c
    c.close()


@pytest.fixture(scope="module")
def opd(con):
    data = gather(con, "2025-Q3", "DP3AP2KB", generated_at=GEN)
    return data, build_pdf(data), build_xlsx(data)


@pytest.fixture(scope="module")
def city(con):
    data = gather(con, "2025-Q3", generated_at=GEN)
    return data, build_pdf(data), build_xlsx(data)


def _runs(blob: bytes) -> list[list[tuple[float, str, str, float]]]:
    """Per page: (x, text, font, size) of every text run."""
    pages = []
    for page in PdfReader(io.BytesIO(blob)).pages:
        runs: list[tuple[float, str, str, float]] = []

        def visit(text, cm, tm, font_dict, font_size, runs=runs):
            if text.strip():
                font = FONT_BOLD if font_dict and "Bold" in str(font_dict.get("/BaseFont")) else FONT
                runs.append((cm[4] + tm[4] * cm[0], text.rstrip("\n"), font, font_size * tm[0] * cm[0]))

        page.extract_text(visitor_text=visit)
        pages.append(runs)
    return pages


@pytest.mark.parametrize("which", ["opd", "city"])
def test_nothing_runs_past_the_margins(which, opd, city):
    _, pdf, _ = opd if which == "opd" else city
    for n, runs in enumerate(_runs(pdf), start=1):
        assert runs, f"page {n} is empty"
        for x, text, font, size in runs:
            right = x + stringWidth(text, font, size)
            assert x >= MARGIN_X - 4, (n, text)
            assert right <= PAGE_W - MARGIN_X + 1.5, (n, text, right)


def test_long_name_and_200_rows_paginate(opd):
    data, pdf, _ = opd
    reader = PdfReader(io.BytesIO(pdf))
    pages = [p.extract_text() for p in reader.pages]
    flat = [" ".join(p.split()) for p in pages]
    assert data.overdue_total == N_OVERDUE and len(data.overdue.rows) == N_OVERDUE
    # the full name on the cover, wrapped but whole
    assert LONG in flat[0]
    # every overdue complaint exactly once, in the order of the list (oldest first)
    ids = [f"LB{i + 1:04d}" for i in range(N_OVERDUE)]
    ids[3] = neutralize(FORMULA_ID)  # PDF cells are text anyway; the id is printed as stored
    text = "\n".join(flat)
    for i in ids[:3] + ids[4:]:
        assert len(re.findall(rf"(?<![\w]){re.escape(i)}(?![\w])", text)) == 1, i
    assert FORMULA_ID in text
    listed = [r[1] for r in data.overdue.rows if r[1] != FORMULA_ID]  # the engine's order: oldest first
    order = [text.find(f" {i} ") for i in listed]
    assert min(order) > 0 and order == sorted(order)
    # the list spans several pages and each of them repeats the header row
    list_pages = [i for i, p in enumerate(flat) if re.search(r"\bLB0\d{3}\b", p)]
    assert len(list_pages) >= 4
    for i in list_pages:
        assert "No ID laporan Kanal Tanggal lapor" in flat[i], i
        assert f"Halaman {i + 1} dari {len(pages)}" in flat[i]
    # the running header uses the short name, so it never wraps
    assert "– DP3AP2KB – Triwulan III 2025" in flat[1]


def test_oldest_first_in_the_list(opd):
    data, _, _ = opd
    j = [c.header for c in data.overdue.columns].index("Umur (HK)")
    ages = [r[j] for r in data.overdue.rows]
    assert ages == sorted(ages, reverse=True) and ages[0] > ages[-1]


def test_formula_text_is_stored_as_text(opd, city):
    for _data, _, xlsx in (opd, city):
        wb = openpyxl.load_workbook(io.BytesIO(xlsx))
        ws = wb["Lewat Batas"]
        head = [c.value for c in ws[2]]
        col_title = head.index("Judul (disamarkan)") + 1
        col_id = head.index("ID laporan") + 1
        titles = [ws.cell(r, col_title) for r in range(3, ws.max_row + 1)]
        ids = [ws.cell(r, col_id) for r in range(3, ws.max_row + 1)]
        t = next(c for c in titles if c.value and "HYPERLINK" in str(c.value))
        i = next(c for c in ids if c.value and "SUM" in str(c.value))
        for cell, raw in ((t, FORMULA_TITLE), (i, FORMULA_ID)):
            assert cell.data_type == "s"
            assert cell.value == "'" + raw
        # nothing in the workbook is a formula
        for sheet in wb.worksheets:
            for row in sheet.iter_rows():
                for c in row:
                    assert c.data_type != "f", (sheet.title, c.coordinate, c.value)
    # the raw xml has no <f> element at all
    import zipfile

    z = zipfile.ZipFile(io.BytesIO(city[2]))
    for name in z.namelist():
        if name.startswith("xl/worksheets/"):
            assert b"<f>" not in z.read(name) and b"<f " not in z.read(name)


def test_city_lists_the_opd_by_short_name(city):
    data, pdf, _ = city
    text = " ".join("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    # the city's list names the OPD by its short name in the PDF, the workbook keeps the full name
    assert " LB0001 02/01/2025 DP3AP2KB " in text
    full = [c for c in data.overdue.columns if c.header == "OPD"]
    assert [c.pdf for c in full] == [False, True] and [c.xlsx for c in full] == [True, False]
