"""Paged complaint lists (ids, dates, status, OPD, category, working days, flags; never reporter data)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import polars as pl
import streamlit as st

from dashboard import data
from dashboard.components import tables
from dashboard.components.cards import definition
from dashboard.components.tables import Col
from dashboard.context import Context
from pipelines import fmt

COMPLAINT_COLS = [
    Col("source_id", "ID"), Col("channel", "Kanal"), Col("reported_at", "Tgl lapor", "datetime"),
    Col("status_label", "Status"), Col("department", "OPD"), Col("category", "Kategori"),
    Col("kelurahan", "Kelurahan"), Col("title", "Judul (disamarkan)", width="large"),
    Col("first_response_at", "Tgl tanggapan", "datetime"), Col("resolved_at", "Tgl selesai", "datetime"),
    Col("response_days", "HK tanggapan", "int", "Hari kerja dari mulai tanggapan (disposisi, verifikasi atau "
        "laporan) sampai tanggapan pertama."),
    Col("resolution_days", "HK selesai", "int", "Hari kerja dari laporan sampai selesai."),
    Col("age_days", "Umur (HK)", "int", "Hari kerja sejak dilaporkan sampai tanggal data."),
    Col("resolution_limit", "Batas (HK)", "int", "Batas penyelesaian (kategori; berkadar pengawasan 60 HK)."),
    Col("resolution_due_date", "Batas selesai", "date", "Hari kerja terakhir penyelesaian masih tepat waktu."),
    Col("is_overdue", "Lewat batas", "bool", definition("backlog_overdue")),
]

_BY_FIELD = {c.field: c for c in COMPLAINT_COLS}
# the overdue list: what is late, where, and by how much first
OVERDUE_COLS = [_BY_FIELD[f] for f in (
    "source_id", "department", "age_days", "resolution_limit", "resolution_due_date", "status_label", "category",
    "channel", "reported_at", "kelurahan", "title", "first_response_at",
)]


def with_source_number(df: pl.DataFrame) -> pl.DataFrame:
    """``source_no``: the complaint's number as its users know it (the source's own id, e.g. 4403012 or
    IG.2026.170) from the internal key ``<system>:<id>`` / ``<system>:<channel>:<id>``."""
    if "complaint_key" not in df.columns:
        return df
    parts = pl.col("complaint_key").str.split(":")
    return df.with_columns(
        pl.when(parts.list.len() >= 3).then(parts.list.slice(2).list.join(":"))
        .otherwise(parts.list.slice(1).list.join(":")).alias("source_no")
    )


def paged(
    ctx: Context,
    *,
    key: str,
    fetch: Callable[[int], pl.DataFrame],
    cols: Sequence[Col] = COMPLAINT_COLS,
    file_stub: str,
    empty: str = "Tidak ada pengaduan yang cocok.",
    height: int = 420,
    drop: Sequence[str] = (),
) -> int:
    """Show one page of a list fetched with ``fetch(offset)`` (which returns ``total_rows``); a page
    selector appears when there is more than one page. Returns the total number of rows."""
    page_key = f"{key}.page"
    page = max(1, int(st.session_state.get(page_key, 1)))
    df = fetch((page - 1) * data.LIST_LIMIT)
    total = int(df["total_rows"][0]) if df.height else 0
    pages = max(1, -(-total // data.LIST_LIMIT))
    if page > pages:  # the filters changed under the page number
        page = pages
        st.session_state[page_key] = page
        df = fetch((page - 1) * data.LIST_LIMIT)
    if total == 0:
        st.info(empty, icon=":material/filter_alt_off:")
        return 0
    cols = [c for c in cols if c.field not in drop]
    head, sel = st.columns([4, 1], vertical_alignment="bottom")
    with head:
        note = f"{fmt.number(total)} pengaduan"
        if pages > 1:
            first = (page - 1) * data.LIST_LIMIT + 1
            note += f"; baris {fmt.number(first)}–{fmt.number(min(total, page * data.LIST_LIMIT))}"
        st.caption(note)
    if pages > 1:
        with sel:
            st.selectbox("Halaman", list(range(1, pages + 1)), key=page_key,
                         format_func=lambda p: f"Halaman {p} dari {pages}", label_visibility="collapsed")
    tables.show(df, cols, key=f"{key}.table", flag_columns=("is_overdue",), height=height)
    if ctx.scope.can("download_data"):
        tables.downloads(df, cols, file_stub=file_stub, key=f"{key}.dl", sheet="Pengaduan")
        if pages > 1:
            st.caption("Unduhan berisi halaman yang tampil.")
    return total


def reset_page(key: str) -> None:
    st.session_state.pop(f"{key}.page", None)
