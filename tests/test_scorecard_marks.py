"""Scorecards made from demo data say DEMO on every PDF page and every XLSX sheet; a real-data one
(same warehouse, in a data folder without the demo manifest) has no mark. The city scorecard draws the
kelurahan map with the KPI engine's by_kelurahan."""

from __future__ import annotations

import io
import shutil

import duckdb
import openpyxl
import pytest
from pypdf import PdfReader

from pipelines.demo.detect import is_demo_warehouse
from pipelines.scorecard.content import gather
from pipelines.scorecard.model import DEMO_TEXT
from pipelines.scorecard.pdf import build_pdf
from pipelines.scorecard.xlsx import build_xlsx


@pytest.fixture(scope="module")
def real_con(demo_data_dir, tmp_path_factory):
    """The demo warehouse copied into a data folder that holds no demo manifest: real data as far as
    the scorecard can tell."""
    d = tmp_path_factory.mktemp("real") / "curated"
    d.mkdir()
    shutil.copy(demo_data_dir / "curated" / "monev.duckdb", d / "monev.duckdb")
    con = duckdb.connect(str(d / "monev.duckdb"), read_only=True)
    yield con
    con.close()


def _pages(pdf: bytes) -> list[str]:
    return [p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages]


def _sheet_texts(xlsx: bytes) -> dict[str, str]:
    wb = openpyxl.load_workbook(io.BytesIO(xlsx), read_only=True)
    return {ws.title: " ".join(str(c) for row in ws.iter_rows(values_only=True) for c in row if c is not None)
            for ws in wb.worksheets}


def test_demo_scorecard_is_marked_on_every_page_and_sheet(demo_con):
    assert is_demo_warehouse(demo_con)
    data = gather(demo_con, "2026")
    assert data.demo
    pages = _pages(build_pdf(data))
    assert len(pages) >= 3
    for i, text in enumerate(pages, start=1):
        assert "DEMO" in text, f"page {i} has no DEMO mark"
        assert DEMO_TEXT in text.replace("\n", " "), i
    sheets = _sheet_texts(build_xlsx(data))
    assert len(sheets) >= 3
    for name, text in sheets.items():
        assert DEMO_TEXT in text, name


def test_real_data_scorecard_has_no_mark(real_con):
    assert not is_demo_warehouse(real_con)
    data = gather(real_con, "2026", department="Dinas Perhubungan")
    assert not data.demo
    for text in _pages(build_pdf(data)):
        assert "DEMO" not in text
    for name, text in _sheet_texts(build_xlsx(data)).items():
        assert "DEMO" not in text, name


def test_city_scorecard_map_uses_by_kelurahan(demo_con):
    data = gather(demo_con, "2026")
    assert data.area is not None
    expected = {r["kelurahan"]: r["received"] for r in data.kpi["by_kelurahan"] if r["kelurahan"]}
    assert data.area.values == expected
    assert sum(v for v in expected.values()) > 0
    assert {a.kelurahan for a in data.area.boundaries.areas} == set(expected)
    text = " ".join(_pages(build_pdf(data)))
    assert "Pengaduan masuk per kelurahan" in text
    assert "docs/" not in text
    opd = gather(demo_con, "2026", department="Dinas Perhubungan")
    assert opd.area is None
