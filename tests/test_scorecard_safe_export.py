"""The shared export neutraliser (pipelines/safe_export.py): formula-looking text never runs in a spreadsheet."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import polars as pl
import pytest

from pipelines.safe_export import (
    frame_to_csv_bytes,
    frames_to_xlsx_bytes,
    is_formula_like,
    neutralize,
    rows_to_csv_bytes,
    sheet_name,
)

DANGEROUS = ["=1+1", "+62 812", "-2+3", "@SUM(A1)", "\t=cmd", "\r=cmd", '  =HYPERLINK("x")', "＝1+1", "\n=x"]
HARMLESS = ["Jalan rusak", "1+1", "a=b", "", "– (kosong)", "'=sudah"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_dangerous_text_gets_an_apostrophe(text):
    assert is_formula_like(text)
    assert neutralize(text) == "'" + text


@pytest.mark.parametrize("value", [*HARMLESS, None, 5, -3.5, dt.date(2025, 1, 1)])
def test_other_values_unchanged(value):
    assert neutralize(value) == value


def test_csv_neutralised_and_readable():
    blob = rows_to_csv_bytes(["id", "judul", "angka"], [["-A1", "=HYPERLINK(\"x\",\"y\")", -5], ["B2", "biasa", 1.5]])
    assert blob.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(blob.decode("utf-8-sig"))))
    assert rows[1] == ["'-A1", "'=HYPERLINK(\"x\",\"y\")", "-5"]  # the number stays a number
    assert rows[2] == ["B2", "biasa", "1.5"]


def test_frame_exports():
    df = pl.DataFrame({"judul": ["=2*3", "aman"], "n": [1, 2], "tgl": [dt.date(2025, 7, 1), None]})
    rows = list(csv.reader(io.StringIO(frame_to_csv_bytes(df).decode("utf-8-sig"))))
    assert rows == [["judul", "n", "tgl"], ["'=2*3", "1", "2025-07-01"], ["aman", "2", ""]]

    blob = frames_to_xlsx_bytes({"Data/[uji]": df}, created=dt.datetime(2025, 1, 1))
    wb = openpyxl.load_workbook(io.BytesIO(blob))
    ws = wb.worksheets[0]
    assert ws.title == "Data  uji"
    assert ws["A2"].value == "'=2*3" and ws["A2"].data_type == "s"
    assert ws["B2"].value == 1 and ws["C2"].is_date
    assert ws.freeze_panes == "A2"
    # same content and creation time: same bytes
    assert frames_to_xlsx_bytes({"Data/[uji]": df}, created=dt.datetime(2025, 1, 1)) == blob


def test_sheet_names():
    assert sheet_name("a" * 40) == "a" * 31
    assert sheet_name("'Tren'") == "Tren"
    assert sheet_name("") == "Sheet"
