"""Tables in Indonesian formats, with CSV/XLSX downloads of exactly the rows shown.

Tables are shown through a pandas Styler: the cells read "87,5%" and "8 Juli 2024" while the
columns keep their numbers, so sorting by a column still sorts by value. Downloads take the same
columns with their raw values (numbers stay numbers) through ``pipelines.safe_export``, which
neutralises formula-looking text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl
import streamlit as st

from dashboard.components.style import band_background, band_colour
from pipelines import fmt
from pipelines.auth.scope import SESSION_KEY
from pipelines.safe_text import shown_name

# File names come from outside: control characters and bidi overrides are shown escaped (\u202e).
FILE_NAME_FIELDS = frozenset({"file_name", "file", "rel_path", "source_file", "released_by", "files"})


@dataclass(frozen=True)
class Col:
    field: str
    label: str
    kind: str = "text"  # text | int | num1 | num2 | pct | days | date | datetime | bool | predikat | list
    help: str | None = None
    width: str | int | None = None
    pinned: bool = False


def _fmt_date(v: Any) -> str:
    if v is None:
        return fmt.EMPTY
    if isinstance(v, dt.datetime):
        return v.strftime("%d/%m/%Y")
    return fmt.date_short(v)


def _fmt_datetime(v: Any) -> str:
    if v is None:
        return fmt.EMPTY
    if isinstance(v, dt.datetime):
        return fmt.datetime_short(v) if (v.hour or v.minute) else v.strftime("%d/%m/%Y")
    return fmt.date_short(v)


def _missing(v: Any) -> bool:
    try:
        import pandas as pd

        return v is None or (not isinstance(v, list | tuple) and bool(pd.isna(v)))
    except (TypeError, ValueError):
        return v is None


def _safe(f: Callable[[Any], str]) -> Callable[[Any], str]:
    def g(v: Any) -> str:
        if _missing(v):
            return fmt.EMPTY
        return f(v)

    return g


FORMATTERS: dict[str, Callable[[Any], str]] = {
    "text": _safe(str),
    "int": _safe(lambda v: fmt.number(v)),
    "num1": _safe(lambda v: fmt.number(v, 1)),
    "num2": _safe(lambda v: fmt.number(v, 2)),
    "pct": _safe(lambda v: fmt.percent(v)),
    "days": _safe(lambda v: fmt.days(v)),
    "date": _safe(_fmt_date),
    "datetime": _safe(_fmt_datetime),
    "bool": _safe(lambda v: "Ya" if v else "Tidak"),
    "predikat": _safe(str),
    "list": _safe(lambda v: ", ".join(str(x) for x in v)),
}


def _predikat_css(v: Any) -> str:
    if not isinstance(v, str) or not v:
        return ""
    return f"background-color: {band_background(v)}; color: {band_colour(v)}; font-weight: 600"


def _flag_css(v: Any) -> str:
    return "color: #B3261E; font-weight: 600" if v is True else ""


def fit_height(rows: int, max_height: int = 560) -> int:
    """A table height that shows ``rows`` rows without an empty line (scrolls beyond ``max_height``)."""
    return min(35 * max(rows, 1) + 40, max_height)


def export_frame(df: pl.DataFrame, cols: Sequence[Col]) -> pl.DataFrame:
    """The columns shown, under their Indonesian labels, with raw values (for CSV/XLSX)."""
    present = [c for c in cols if c.field in df.columns]
    return df.select([pl.col(c.field).alias(c.label) for c in present])


def show(
    df: pl.DataFrame,
    cols: Sequence[Col],
    *,
    key: str,
    height: int | str = "auto",
    selectable: bool = False,
    on_select: Callable[[], None] | None = None,
    flag_columns: Sequence[str] = (),
) -> Any:
    """Show ``df`` (polars) with ``cols``; returns the selection state when ``selectable``."""
    present = [c for c in cols if c.field in df.columns]
    # an empty text cell shows '–' (st.dataframe draws a missing value as a grey 'None')
    texts = [c.field for c in present if df.schema[c.field] == pl.String]
    names = [c for c in texts if c in FILE_NAME_FIELDS]
    pdf = df.select([c.field for c in present]).with_columns(
        *[pl.col(c).map_elements(shown_name, return_dtype=pl.String) for c in names],
    ).with_columns(pl.col(texts).fill_null(fmt.EMPTY)).to_pandas()
    pdf.columns = [c.label for c in present]
    styler = pdf.style.format({c.label: FORMATTERS[c.kind] for c in present}, na_rep=fmt.EMPTY)
    pred = [c.label for c in present if c.kind == "predikat"]
    if pred:
        styler = styler.map(_predikat_css, subset=pred)
    flags = [c.label for c in present if c.field in flag_columns]
    if flags:
        styler = styler.map(_flag_css, subset=flags)
    config = {
        c.label: st.column_config.Column(c.label, help=c.help, width=c.width, pinned=c.pinned or None)
        for c in present if c.help or c.width or c.pinned
    }
    kwargs: dict[str, Any] = {}
    if selectable:
        kwargs = {"on_select": on_select or "rerun", "selection_mode": "single-row"}
    return st.dataframe(styler, hide_index=True, column_config=config, key=key, height=height, **kwargs)


def downloads(df: pl.DataFrame, cols: Sequence[Col], *, file_stub: str, key: str, sheet: str = "Data",
              png_hint: bool = False, extra: dict[str, pl.DataFrame] | None = None) -> None:
    """CSV and XLSX buttons for exactly ``df`` (the filtered rows) with the shown columns.
    The files are produced only when a button is pressed."""
    from pipelines.safe_export import frame_to_csv_bytes, frames_to_xlsx_bytes

    data = export_frame(df, cols)
    viewer = st.session_state.get(SESSION_KEY)  # the writer checks download_data itself
    from dashboard.auth_ui import audited

    rows = f"({fmt.number(data.height)} baris)"
    csv_bytes = audited(viewer, "data_download", f"{file_stub}.csv {rows}",
                        lambda: frame_to_csv_bytes(data, actor=viewer))
    xlsx_bytes = audited(viewer, "data_download", f"{file_stub}.xlsx {rows}",
                         lambda: frames_to_xlsx_bytes({sheet: data, **(extra or {})}, actor=viewer))

    with st.container(horizontal=True, gap="small", key=f"dl-{key}"):
        st.download_button(
            "CSV", csv_bytes, file_name=f"{file_stub}.csv", mime="text/csv", key=f"{key}.csv",
            icon=":material/download:", on_click="ignore", type="tertiary",
            help="Data persis seperti yang difilter (CSV UTF-8, koma sebagai pemisah kolom, titik desimal)."
                 + (" Gambar PNG: ikon kamera di pojok kanan atas grafik." if png_hint else ""),
        )
        st.download_button(
            "XLSX", xlsx_bytes, file_name=f"{file_stub}.xlsx", key=f"{key}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            icon=":material/download:", on_click="ignore", type="tertiary",
            help="Data persis seperti yang difilter, untuk Excel.",
        )
