"""Safe spreadsheet exports: neutralise text that a spreadsheet would run as a formula.

A complaint text such as ``=HYPERLINK("http://evil","klik")`` or ``@SUM(A1)`` must
never run when an evaluator opens an export. Following the OWASP guidance on CSV
(formula) injection, a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab,
a carriage return, a line feed or a NUL (also after leading spaces, and the
full-width forms of the four signs) gets a leading apostrophe. Numbers are never
touched: only text is.

Every CSV/XLSX export of the project goes through this module: the scorecards
(``pipelines.scorecard``) and the dashboard downloads (``frame_to_csv_bytes``,
``frames_to_xlsx_bytes``). In XLSX, text is additionally written with
``write_string`` so it is stored as a string, never as a formula.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pipelines.capabilities import require

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\x00", "\uff1d", "\uff0b", "\uff0d", "\uff20")
PREFIX = "'"


def is_formula_like(value: Any) -> bool:
    """True for a text a spreadsheet could read as a formula (see module docstring)."""
    if not isinstance(value, str) or not value:
        return False
    return value.startswith(FORMULA_TRIGGERS) or value.lstrip(" ").startswith(FORMULA_TRIGGERS)


def neutralize(value: Any) -> Any:
    """The value to write into a spreadsheet cell: formula-looking text gets a leading apostrophe;
    anything else (numbers, dates, ordinary text, None) is returned unchanged."""
    if is_formula_like(value):
        return PREFIX + value
    return value


# ----------------------------------------------------------------- CSV


def _csv_value(v: Any) -> Any:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    if isinstance(v, dt.datetime | dt.date):
        return v.isoformat(sep=" ") if isinstance(v, dt.datetime) else v.isoformat()
    if isinstance(v, list | tuple):
        return neutralize("; ".join("" if x is None else str(x) for x in v))
    return neutralize(v)


def rows_to_csv_bytes(headers: Sequence[str], rows: Iterable[Sequence[Any]], *, bom: bool = True) -> bytes:
    """CSV (comma, UTF-8 with BOM so Excel reads the accents) with every text cell neutralised."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([neutralize(h) for h in headers])
    for r in rows:
        w.writerow([_csv_value(v) for v in r])
    return (("\ufeff" if bom else "") + buf.getvalue()).encode("utf-8")


def _frame_rows(df: Any) -> tuple[list[str], list[Sequence[Any]]]:
    """Column names and rows of a polars or pandas DataFrame (or a list of dicts)."""
    if hasattr(df, "iter_rows"):  # polars
        return list(df.columns), list(df.iter_rows())
    if hasattr(df, "itertuples"):  # pandas
        return [str(c) for c in df.columns], [tuple(r) for r in df.itertuples(index=False, name=None)]
    rows = list(df)
    headers = list(rows[0].keys()) if rows else []
    return headers, [[r.get(h) for h in headers] for r in rows]


def frame_to_csv_bytes(df: Any, *, bom: bool = True, actor: Any = None) -> bytes:
    """A polars/pandas DataFrame (or list of dicts) as neutralised CSV bytes; a download, so refused
    without ``download_data`` (``actor``: the dashboard's viewer; None = the command-line operator)."""
    require(actor, "download_data")
    headers, rows = _frame_rows(df)
    return rows_to_csv_bytes(headers, rows, bom=bom)


# ----------------------------------------------------------------- XLSX


def write_cell(ws: Any, row: int, col: int, value: Any, cell_format: Any = None, *,
               date_format: Any = None) -> None:
    """Write one value into an xlsxwriter worksheet safely: text with ``write_string`` (neutralised),
    numbers with ``write_number``, dates with ``write_datetime`` (``date_format``), None as blank."""
    if value is None or (isinstance(value, float) and (math.isnan(value) or math.isinf(value))):
        ws.write_blank(row, col, None, cell_format)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, cell_format)
    elif isinstance(value, int | float):
        ws.write_number(row, col, value, cell_format)
    elif isinstance(value, dt.datetime | dt.date):
        ws.write_datetime(row, col, value, date_format or cell_format)
    elif isinstance(value, list | tuple):
        ws.write_string(row, col, neutralize("; ".join("" if x is None else str(x) for x in value)), cell_format)
    else:
        ws.write_string(row, col, neutralize(str(value)), cell_format)


def new_workbook(buf: io.BytesIO, *, created: dt.datetime | None = None, title: str = "") -> Any:
    """An xlsxwriter workbook that never turns strings into formulas, numbers or links."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(
        buf,
        {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False},
    )
    props: dict[str, Any] = {"title": title} if title else {}
    if created is not None:
        props["created"] = created.replace(tzinfo=None) if created.tzinfo else created
    if props:
        wb.set_properties(props)
    return wb


def frames_to_xlsx_bytes(sheets: Mapping[str, Any], *, created: dt.datetime | None = None,
                         actor: Any = None) -> bytes:
    """Several DataFrames (sheet name -> polars/pandas frame or list of dicts) as one XLSX:
    bold header row, frozen header, auto-filter, column widths, dates as dates, text neutralised.
    Refused without ``download_data`` (``actor`` as in ``frame_to_csv_bytes``)."""
    require(actor, "download_data")
    buf = io.BytesIO()
    wb = new_workbook(buf, created=created)
    head = wb.add_format({"bold": True, "bg_color": "#1F3B57", "font_color": "#FFFFFF", "border": 1,
                          "text_wrap": True, "valign": "top"})
    date_f = wb.add_format({"num_format": "dd/mm/yyyy"})
    dtime_f = wb.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    for name, df in sheets.items():
        ws = wb.add_worksheet(sheet_name(name))
        headers, rows = _frame_rows(df)
        widths = [min(max(len(str(h)), 8), 50) for h in headers]
        for c, h in enumerate(headers):
            write_cell(ws, 0, c, str(h), head)
        for r, row in enumerate(rows, start=1):
            for c, v in enumerate(row):
                f = dtime_f if isinstance(v, dt.datetime) else (date_f if isinstance(v, dt.date) else None)
                write_cell(ws, r, c, v, f)
                if v is not None and c < len(widths):
                    widths[c] = min(max(widths[c], len(str(v)) + 1), 50)
        for c, w in enumerate(widths):
            ws.set_column(c, c, w + 1)
        ws.freeze_panes(1, 0)
        if headers:
            ws.autofilter(0, 0, max(len(rows), 1), len(headers) - 1)
    wb.close()
    return buf.getvalue()


_BAD_SHEET_CHARS = str.maketrans({c: " " for c in "[]:*?/\\"})


def sheet_name(name: str) -> str:
    """A valid Excel sheet name (no []:*?/\\, at most 31 characters, not starting with an apostrophe)."""
    s = str(name).translate(_BAD_SHEET_CHARS).strip().strip("'") or "Sheet"
    return s[:31]
