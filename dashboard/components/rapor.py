"""Scorecard (rapor) downloads: one unit's PDF and XLSX on the Ringkasan and Kinerja OPD pages.

The files are made only when the viewer presses "Siapkan rapor" (``dashboard.data.scorecard``, cached
per snapshot, period, comparison and unit), then offered as two download buttons; they stay ready in
the session while the same view is shown. The period and the comparison are the dashboard's; the other
filters (kategori, kanal, wilayah) do not apply to a scorecard, and the caption says so.
"""

from __future__ import annotations

import streamlit as st

from dashboard import auth_ui, data
from dashboard.components import states
from dashboard.context import Context
from dashboard.filters import COMPARISONS

MIME = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def files_key(key: str) -> str:
    """Session-state key holding the prepared files of the download block ``key``."""
    return f"{key}.files"


def request_id(ctx: Context, department: str | None) -> tuple:
    assert ctx.snap is not None and ctx.filters is not None
    return (ctx.snap.token, ctx.filters.period_key, ctx.filters.comparison, department)


def show(ctx: Context, department: str | None, *, key: str) -> None:
    """The download block for the city's scorecard (``department=None``) or one OPD's."""
    if ctx.snap is None or ctx.filters is None or ctx.windows is None:
        return
    if not ctx.scope.can("download_scorecard"):
        return
    unit = department or ctx.snap.city or "kota"
    other = _other_filters(ctx, department)
    with st.container(border=True, key=f"rapor-{key}"):
        st.markdown(f"**Rapor {unit}** · {ctx.current.period.label}")
        st.caption(
            f"PDF dan Excel, pembanding: {COMPARISONS[ctx.filters.comparison].lower()}. "
            + (f"Filter ({other}) tidak berlaku untuk rapor: rapor selalu mencakup semua pengaduan "
               f"{'OPD ini' if department else 'kota'}." if other else "")
        )
        rid = request_id(ctx, department)
        held = st.session_state.get(files_key(key))
        ready = held is not None and held.get("id") == rid
        if not ready and st.button("Siapkan rapor", key=f"{key}.make", icon=":material/description:",
                                   help="Membuat rapor PDF dan Excel untuk periode terpilih (beberapa detik)."):
            files = None
            with st.spinner(f"Menyiapkan rapor {unit} ..."), states.guarded():
                files = data.scorecard(ctx.scope, ctx.snap, ctx.filters.period_key, ctx.filters.comparison,
                                       department)
            if files is not None:
                st.session_state[files_key(key)] = {"id": rid, "files": files}
                ready = True
        if ready:
            files = st.session_state[files_key(key)]["files"]
            with st.container(horizontal=True, gap="small"):
                for f in ("pdf", "xlsx"):
                    name, blob = files[f]
                    st.download_button(
                        f"Unduh {f.upper()}", blob, file_name=name, mime=MIME[f], key=f"{key}.{f}",
                        icon=":material/download:", on_click=auth_ui.record,
                        args=(ctx.scope, "scorecard_download", name),
                        type="primary" if f == "pdf" else "secondary",
                    )


def _other_filters(ctx: Context, department: str | None) -> str:
    """The filters set besides this scorecard's own OPD, described ('' when none)."""
    f = ctx.filters
    if f is None:
        return ""
    if department is not None and f.department == (department,):
        f = f.with_values(department=())
    return f.describe()
