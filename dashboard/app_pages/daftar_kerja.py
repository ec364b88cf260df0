"""Daftar Kerja: what each OPD has to do now, from the KPI engine's lists (overdue, due soon, awaiting a
first response, reopened) at the data's as-of date; the city's counts by OPD; the pimpinan's one-page
snapshot; CSV/XLSX/PDF downloads and the WhatsApp text of an OPD (the same texts `monev digest` sends)."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import auth_ui, context, data
from dashboard.components import states, tables
from dashboard.components.cards import Card, show_cards
from dashboard.components.tables import Col
from pipelines import fmt

ctx = context.get()
scope, snap = ctx.scope, ctx.snap
CITY = "Seluruh OPD"

st.title("Daftar Kerja")
if snap is None:
    st.stop()
if not scope.can("view_complaints"):
    st.info("Akses Anda tidak mencakup daftar pengaduan.", icon=":material/lock:")
    st.stop()

from pipelines.digest import pdf as wl_pdf  # noqa: E402
from pipelines.digest import render  # noqa: E402
from pipelines.digest.mail import load_settings  # noqa: E402

as_of = ctx.as_of
st.caption(f"Per {fmt.date_long(as_of)} (tanggal data). Daftar ini sama dengan yang dikirim lewat surel setiap "
           "minggu kepada pejabat penghubung OPD; hanya nomor pengaduan, tanggal, umur, kategori, kelurahan dan status.")

LIST_COLS = {
    "overdue": [Col("source_id", "Nomor"), Col("department", "OPD"), Col("reported_date", "Dilaporkan", "date"),
                Col("age_days", "Umur (HK)", "int"), Col("limit_days", "Batas (HK)", "int"),
                Col("due_date", "Seharusnya selesai", "date"), Col("category", "Kategori"),
                Col("kelurahan", "Kelurahan"), Col("status_label", "Status")],
    "due_soon": [Col("source_id", "Nomor"), Col("department", "OPD"), Col("step_label", "Langkah"),
                 Col("due_date", "Jatuh tempo", "date"), Col("reported_date", "Dilaporkan", "date"),
                 Col("age_days", "Umur (HK)", "int"), Col("category", "Kategori"), Col("kelurahan", "Kelurahan"),
                 Col("status_label", "Status")],
    "awaiting": [Col("source_id", "Nomor"), Col("department", "OPD"), Col("reported_date", "Dilaporkan", "date"),
                 Col("age_days", "Umur (HK)", "int"), Col("limit_days", "Batas tanggapan (HK)", "int"),
                 Col("category", "Kategori"), Col("kelurahan", "Kelurahan"), Col("status_label", "Status")],
    "reopened": [Col("source_id", "Nomor"), Col("department", "OPD"), Col("reopened_on", "Dibuka kembali", "date"),
                 Col("reported_date", "Dilaporkan", "date"),
                 Col("age_days", "Umur (HK)", "int"), Col("category", "Kategori"), Col("kelurahan", "Kelurahan"),
                 Col("status_label", "Status")],
}


def _settings():
    try:
        return load_settings(data.paths().config_dir)
    except Exception:  # noqa: BLE001 - a broken digest.yaml must not hide the lists
        return None


def _executive() -> None:
    s = data.executive_snapshot(scope, snap, as_of)
    n = s.numbers
    st.subheader(f"Ringkasan untuk pimpinan · {s.label}")
    show_cards([
        Card("dk-masuk", "Pengaduan masuk", fmt.number(n["received"]), caption=f"{fmt.number(n['in_scope'])} diproses"),
        Card("dk-tanggap", "Ditanggapi", fmt.percent(n["response_rate"]),
             caption=f"tepat waktu {fmt.percent(n['on_time_response_rate'])}"),
        Card("dk-selesai", "Selesai", fmt.percent(n["resolution_rate"]),
             caption=f"tepat waktu {fmt.percent(n['on_time_resolution_rate'])}"),
        Card("dk-tunggak", "Tunggakan lewat batas", fmt.number(n["backlog_overdue"]),
             caption=f"dari {fmt.number(n['backlog_open'])} terbuka"),
    ], columns=4)
    top = pl.DataFrame(s.top_overdue, schema={"department": pl.String, "backlog_overdue": pl.Int64,
                                              "backlog_open": pl.Int64})
    st.markdown("**Lima OPD dengan tunggakan lewat batas terbanyak**")
    tables.show(top, [Col("department", "OPD", width="large"), Col("backlog_overdue", "Lewat batas", "int"),
                      Col("backlog_open", "Tunggakan terbuka", "int")], key="dk.top", height="auto")
    st.download_button("Ringkasan satu halaman (PDF)",
                       auth_ui.audited(scope, "data_download", f"ringkasan-pengaduan-{as_of.isoformat()}.pdf",
                                       lambda: wl_pdf.snapshot_pdf(s, f"Tanggal {fmt.date_long(as_of)}", snap.city)),
                       file_name=f"ringkasan-pengaduan-{as_of.isoformat()}.pdf", mime="application/pdf",
                       key="dk.exec.pdf", icon=":material/picture_as_pdf:", on_click="ignore")


def _register_notice() -> None:
    flags = data.register_flags(scope, snap)
    bad = [f for f in flags if f.flagged]
    if bad:
        st.warning(f"Register pejabat penghubung: {fmt.number(len(bad))} dari {fmt.number(len(flags))} OPD belum punya "
                   "pejabat penghubung atau SK-nya lebih dari setahun, sehingga daftar kerjanya tidak sampai ke siapa "
                   "pun. Lihat halaman Pejabat Penghubung.", icon=":material/badge:")


def _counts(city) -> None:
    counts = city.counts_by_department()
    st.subheader("Per OPD")
    cols = [Col("department", "OPD", width="large"),
            *[Col(s.key, s.short[:1].upper() + s.short[1:], "int", s.title) for s in city.sections]]
    tables.show(counts, cols, key="dk.counts", height=tables.fit_height(counts.height, 420))
    if scope.can("download_data"):
        tables.downloads(counts, cols, file_stub=f"daftar-kerja-per-opd_{as_of.isoformat()}", key="dk.counts.dl",
                         sheet="Per OPD")


def _lists(w, unit: str) -> None:
    show_cards([Card(f"dk-{s.key}", s.short[:1].upper() + s.short[1:], fmt.number(w.count(s.key)),
                     help=f"{s.title}: {s.explain}") for s in w.sections],
               columns=max(1, len(w.sections)))
    if w.missing:
        st.caption(render.missing_note(w))
    stub = f"daftar-kerja-{unit.lower().replace(' ', '-')}_{as_of.isoformat()}"
    for s in w.sections:
        df = w.frames[s.key]
        st.markdown(f"**{s.title}** ({fmt.number(df.height)})")
        st.caption(s.explain)
        if df.height == 0:
            st.success("Tidak ada.", icon=":material/check_circle:")
            continue
        cols = [c for c in LIST_COLS[s.key] if not (c.field == "department" and w.department)]
        tables.show(df, cols, key=f"dk.{s.key}", height=tables.fit_height(df.height, 380))
        if scope.can("download_data"):
            tables.downloads(df, cols, file_stub=f"{stub}_{s.key}", key=f"dk.{s.key}.dl", sheet=s.title[:31])
    st.download_button(f"Daftar kerja {unit} (PDF)",
                       auth_ui.audited(scope, "data_download", f"{stub}.pdf",
                                       lambda: wl_pdf.worklist_pdf(w, f"Tanggal {fmt.date_long(as_of)}")),
                       file_name=f"{stub}.pdf", mime="application/pdf", key="dk.pdf",
                       icon=":material/picture_as_pdf:", on_click="ignore")


def _whatsapp(w) -> None:
    settings = _settings()
    url = settings.dashboard_url if settings else "http://localhost:8501"
    st.subheader("Teks WhatsApp")
    st.caption("Salin (ikon di pojok kanan atas kotak) lalu tempel ke grup WhatsApp OPD.")
    st.code(render.whatsapp_text(w, render.page_link(url, w.department), settings.whatsapp_items if settings else 3),
            language=None, wrap_lines=True)


if scope.can("view_all_departments") and scope.role == "pimpinan":
    with states.guarded():
        _executive()
if scope.can("manage_officers"):
    with states.guarded():
        _register_notice()

options = [d for d in (ctx.master.departments if ctx.master else ()) if scope.sees_department(d)]
if not scope.restricted:
    options = [CITY, *options]
    asked = ctx.filters.department[0] if ctx.filters is not None and len(ctx.filters.department) == 1 else None
    if asked in options and "dk.opd" not in st.session_state:
        st.session_state["dk.opd"] = asked
choice = st.selectbox("OPD", options, key="dk.opd", disabled=scope.restricted)

with states.guarded():
    if choice == CITY:
        city = data.worklist(scope, snap, as_of)
        _counts(city)
        st.subheader("Seluruh daftar")
        _lists(city, "seluruh OPD")
    else:
        w = data.worklist(scope, snap, as_of, choice)
        st.subheader(choice)
        _lists(w, choice)
        _whatsapp(w)
if scope.can("view_all_departments") and scope.role != "pimpinan":
    with st.expander("Ringkasan satu halaman untuk pimpinan"), states.guarded():
        _executive()
