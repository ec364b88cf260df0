"""A spreadsheet as rows of cells, and its writers (CSV in any encoding, XLSX).

A demo file is laid out first (title rows, header, data, blank and total rows),
then defects are placed in it, then it is written; row numbers are known before
writing, so the manifest can say exactly where each defect is.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import xlsxwriter


@dataclass(frozen=True)
class Formula:
    """A formula cell with its cached value (what a reader without a formula engine sees)."""

    formula: str
    value: str | float


@dataclass
class Row:
    kind: str  # title | blank | header | month | data | total
    cells: list[Any]
    key: str | None = None  # the complaint's source id on data rows
    merge: bool = False  # title rows merged across the table width (XLSX)
    status: str | None = None  # canonical status of a data row as this file shows it


@dataclass
class Sheet:
    rel_path: str  # relative to raw/
    fmt: str  # csv | xlsx
    kind: str  # lapor | rekap
    channel: str | None
    snapshot: dt.datetime  # statuses as of this moment
    export_date: dt.date
    header: list[str]
    fields: list[str]  # canonical field per column (row_no, or "" for an empty trailing column)
    rows: list[Row] = field(default_factory=list)
    features: set[str] = field(default_factory=set)
    # CSV
    delimiter: str = ","
    encoding: str = "utf-8"  # utf-8 | utf-8-sig | cp1252
    line_terminator: str = "\n"
    # XLSX
    date_format: str = "dd/mm/yyyy hh:mm"
    date_form: str = "serial"  # serial (XLSX date cells) or a render.DATE_FORMS form
    agustus: str = "Agu"
    bordered: bool = False
    trailing_empty: int = 0  # empty columns after the table (formatted blanks / trailing separators)
    sheet_name: str | None = None  # XLSX sheet name (default "Laporan" / "Rekap")

    @property
    def width(self) -> int:
        return len(self.header)

    def header_row(self) -> int:
        return next(i for i, r in enumerate(self.rows) if r.kind == "header") + 1

    def data_rows(self) -> list[tuple[int, Row]]:
        """(1-based row number, row) of every data row."""
        return [(i + 1, r) for i, r in enumerate(self.rows) if r.kind == "data"]

    def column(self, field_name: str) -> int:
        return self.fields.index(field_name)

    def counts(self) -> dict[str, int]:
        hr = self.header_row()
        after = self.rows[hr:]
        return {
            "header_row": hr,
            "rows_before_header": hr - 1,
            "rows_after_header": len(after),
            "data_rows": sum(r.kind == "data" for r in after),
            "non_data_rows_after_header": sum(r.kind != "data" for r in after),
        }


def _csv_text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, Formula):
        return str(v.value)
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def write_csv(sheet: Sheet, path: Path) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=sheet.delimiter, lineterminator=sheet.line_terminator, quoting=csv.QUOTE_MINIMAL)
    width = sheet.width + sheet.trailing_empty
    for r in sheet.rows:
        cells = [_csv_text(c) for c in r.cells]
        w.writerow(cells + [""] * (width - len(cells)))
    text = buf.getvalue()
    if sheet.encoding == "utf-8-sig":
        data = b"\xef\xbb\xbf" + text.encode("utf-8")
    else:
        data = text.encode(sheet.encoding)
    path.write_bytes(data)


def write_xlsx(sheet: Sheet, path: Path, created: dt.datetime) -> None:
    """Write with fixed workbook metadata, so the same sheet gives the same bytes."""
    wb = xlsxwriter.Workbook(
        str(path), {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}
    )
    wb.set_properties({"created": created, "author": "Pemerintah Kota Blitar", "title": Path(sheet.rel_path).stem})
    ws = wb.add_worksheet(sheet.sheet_name or ("Rekap" if sheet.kind == "rekap" else "Laporan"))
    border = {"border": 1} if sheet.bordered else {}
    f_title = wb.add_format({"bold": True, "align": "center", "font_size": 12})
    f_head = wb.add_format({"bold": True, "bg_color": "#D9E1F2", "text_wrap": True, **border})
    f_cell = wb.add_format({"text_wrap": False, **border})
    f_date = wb.add_format({"num_format": sheet.date_format, **border})
    f_total = wb.add_format({"bold": True, **border})
    width = sheet.width
    for i, r in enumerate(sheet.rows):
        if r.kind in ("title", "month") and r.merge and width > 1:
            ws.merge_range(i, 0, i, width - 1, r.cells[0] if r.cells else "", f_title)
            continue
        if r.kind == "blank":
            continue
        fmt = f_head if r.kind == "header" else f_total if r.kind == "total" else f_cell
        for j, v in enumerate(r.cells):
            if v is None or v == "":
                if sheet.bordered and r.kind in ("data", "total"):
                    ws.write_blank(i, j, None, fmt)
                continue
            if isinstance(v, Formula):
                ws.write_formula(i, j, v.formula, fmt, v.value)
            elif isinstance(v, dt.datetime | dt.date):
                ws.write_datetime(i, j, v, f_date)
            elif isinstance(v, bool):
                ws.write_string(i, j, str(v).lower(), fmt)
            elif isinstance(v, int | float):
                ws.write_number(i, j, v, fmt)
            else:
                ws.write_string(i, j, str(v), fmt)
        if sheet.trailing_empty and r.kind in ("header", "data"):
            for j in range(width, width + sheet.trailing_empty):
                ws.write_blank(i, j, None, fmt)
    ws.freeze_panes(sheet.header_row(), 0)
    wb.close()


def write_sheet(sheet: Sheet, raw_dir: Path) -> Path:
    path = raw_dir / sheet.rel_path
    path.parent.mkdir(parents=True, exist_ok=True)
    if sheet.fmt == "csv":
        write_csv(sheet, path)
    else:
        write_xlsx(sheet, path, dt.datetime.combine(sheet.export_date, dt.time(7, 0)))
    return path
