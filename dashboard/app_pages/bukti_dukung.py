"""Bukti Dukung: record evidence documents for the rating (form + file), see what is complete and what is
missing, and verify or reject submitted records (koordinator). Changes reach the rating at the next build."""

from __future__ import annotations

import datetime as dt

import polars as pl
import streamlit as st

from dashboard import auth_ui, context, data, jobs
from dashboard.components import states, tables
from dashboard.components.tables import Col
from pipelines import fmt

ctx = context.get()
scope = ctx.scope
paths = data.paths()
YEAR_KEY = "bukti.year"
STATUS_LABELS = {"diajukan": "Diajukan", "diverifikasi": "Diverifikasi", "ditolak": "Ditolak"}

st.title("Bukti Dukung")
if not scope.can("view_evidence"):
    st.warning("Akses Anda tidak mencakup bukti dukung.", icon=":material/lock:")
    st.stop()

from pipelines.rating import (  # noqa: E402
    EvidenceError,
    add_evidence,
    completeness,
    list_evidence,
    load_model,
    reject_evidence,
    verify_evidence,
)
from pipelines.rating.evidence import MAX_FILE_BYTES, evidence_file_path  # noqa: E402

model = load_model(config_dir=paths.config_dir)
this_year = ctx.snap.as_of.year if ctx.snap else dt.date.today().year
years = list(range(this_year + 1, this_year - 4, -1))
if st.session_state.get(YEAR_KEY) not in years:
    st.session_state[YEAR_KEY] = this_year
year = st.columns([1, 4])[0].selectbox("Tahun penilaian", years, key=YEAR_KEY)
st.caption(
    "Bukti dukung dicatat di penyimpanan aplikasi dan masuk ke penilaian saat gudang data dibangun ulang "
    "(tombol di halaman Unggah Data atau di bawah). Hanya bukti yang **diverifikasi** dan berkasnya utuh yang "
    "dihitung."
)
who = scope.user or ("Demo" if scope.demo else "Pengguna dasbor")

records = []
with states.guarded():
    records = list_evidence(paths)

# ---------------------------------------------------------------- completeness
st.subheader(f"Kelengkapan {year}")
with states.guarded():
    comp = completeness(model, records, year)
    cdf = pl.DataFrame([
        {"indicator": c.label, "dimension": c.dimension, "status": c.status, "units": c.units,
         "required": c.required_count, "pending": len(c.pending_ids), "missing": c.missing or "Lengkap"}
        for c in comp
    ], schema={"indicator": pl.String, "dimension": pl.String, "status": pl.String, "units": pl.Int64,
               "required": pl.Int64, "pending": pl.Int64, "missing": pl.String})
    done = sum(1 for c in comp if c.status == "lengkap")
    st.progress(done / len(comp) if comp else 0.0,
                text=f"{done} dari {len(comp)} indikator bukti dukung lengkap untuk {year}")
    tables.show(cdf, [Col("indicator", "Indikator", width="medium"), Col("dimension", "Dimensi"),
                      Col("status", "Status"), Col("units", "Terverifikasi", "int"), Col("required", "Diperlukan", "int"),
                      Col("pending", "Menunggu verifikasi", "int"), Col("missing", "Yang masih kurang", width="large")],
                key="bukti.comp")

# ---------------------------------------------------------------- record
if scope.can("record_evidence"):
    st.subheader("Catat bukti dukung")
    inds = {i.id: i for i in model.evidence_indicators}
    with st.form("bukti.form", clear_on_submit=True, border=True):
        c1, c2 = st.columns(2)
        with c1:
            ind_id = st.selectbox("Indikator", list(inds), format_func=lambda i: inds[i].label, key="bukti.ind")
            title = st.text_input("Judul dokumen", max_chars=300, key="bukti.title",
                                  placeholder="mis. Keputusan Wali Kota No. 188/12/410.010.2/2026")
            note = st.text_area("Catatan (opsional)", max_chars=1000, key="bukti.note", height=80)
        with c2:
            all_types = sorted({t for i in inds.values() for t in (i.evidence.types if i.evidence else ())})
            doc_type = st.selectbox("Jenis dokumen", all_types, key="bukti.type",
                                    help="Jenis yang dihitung per indikator: " + "; ".join(
                                        f"{i.label}: {', '.join(i.evidence.types)}" for i in inds.values()
                                        if i.evidence))
            doc_date = st.date_input("Tanggal dokumen", value=dt.date(year, 1, 1) if year < this_year else
                                     min(dt.date.today(), dt.date(year, 12, 31)), format="DD/MM/YYYY",
                                     key="bukti.date")
            up = st.file_uploader("Berkas (PDF, JPG/PNG, DOC/DOCX, XLS/XLSX, ODT/ODS; paling besar "
                                  f"{MAX_FILE_BYTES // 1048576} MB)",
                                  type=["pdf", "jpg", "jpeg", "png", "doc", "docx", "xls", "xlsx", "odt", "ods"],
                                  key="bukti.file", max_upload_size=MAX_FILE_BYTES // 1048576)
        submitted = st.form_submit_button("Simpan bukti dukung", type="primary", icon=":material/save:")
    if submitted:
        if up is None:
            st.error("Lampirkan berkas dokumennya.", icon=":material/attach_file:")
        else:
            try:
                rec = add_evidence(paths, indicator_id=ind_id, year=year, doc_type=doc_type, title=title,
                                   doc_date=doc_date, recorded_by=who, content=up.getvalue(), file_name=up.name,
                                   note=note or None, model=model, actor=scope)
                st.success(f"{rec.label} tersimpan (status: diajukan). Verifikasi lalu bangun ulang gudang data agar "
                           "masuk ke penilaian.", icon=":material/check_circle:")
                records = list_evidence(paths)
                auth_ui.record(scope, "evidence_add", f"{rec.label} ({rec.indicator_id}, {rec.year}): {rec.file_name}")
            except EvidenceError as exc:
                st.error(str(exc), icon=":material/error:")

# ---------------------------------------------------------------- list and verify
def _decide(action: str, rec, by: str) -> None:
    """Verify or reject (a button callback, before the page is drawn again)."""
    if rec is None:
        return
    try:
        if action == "verify":
            verify_evidence(paths, rec.evidence_id, by=by, actor=scope)
            st.session_state["bukti.msg"] = ("ok", f"{rec.label} diverifikasi.")
            auth_ui.record(scope, "evidence_verify", rec.label)
        else:
            reason = st.session_state.get("bukti.reason", "")
            reject_evidence(paths, rec.evidence_id, by=by, reason=reason, actor=scope)
            st.session_state["bukti.msg"] = ("ok", f"{rec.label} ditolak.")
            auth_ui.record(scope, "evidence_reject", f"{rec.label}: {reason}")
        st.session_state["bukti.target"] = None
        st.session_state["bukti.reason"] = ""
    except EvidenceError as exc:
        st.session_state["bukti.msg"] = ("error", str(exc))


st.subheader("Daftar bukti dukung")
rows = [r for r in records if r.year == year]
if not rows:
    st.info(f"Belum ada bukti dukung yang dicatat untuk {year}.", icon=":material/folder_open:")
else:
    labels = {i.id: i.label for i in model.evidence_indicators}
    df = pl.DataFrame([
        {"label": r.label, "indicator": labels.get(r.indicator_id, r.indicator_id), "doc_type": r.doc_type,
         "title": r.title, "doc_date": r.doc_date, "status": STATUS_LABELS.get(r.status, r.status),
         "reason": r.status_reason, "file_name": r.file_name, "size_kb": r.size_bytes / 1024,
         "recorded_at": r.recorded_at[:16].replace("T", " ")}
        for r in rows
    ], schema={"label": pl.String, "indicator": pl.String, "doc_type": pl.String, "title": pl.String,
               "doc_date": pl.Date, "status": pl.String, "reason": pl.String, "file_name": pl.String,
               "size_kb": pl.Float64, "recorded_at": pl.String})
    cols = [Col("label", "No."), Col("indicator", "Indikator", width="medium"), Col("doc_type", "Jenis"),
            Col("title", "Judul", width="medium"), Col("doc_date", "Tgl dokumen", "date"), Col("status", "Status"),
            Col("reason", "Alasan penolakan"), Col("file_name", "Berkas"), Col("size_kb", "Ukuran (KB)", "num1"),
            Col("recorded_at", "Dicatat")]
    tables.show(df, cols, key="bukti.list", height=tables.fit_height(df.height, 460))
    if scope.can("download_data"):
        tables.downloads(df, cols, file_stub=f"bukti-dukung_{year}", key="bukti.list.dl", sheet="Bukti dukung")

    by_label = {r.label: r for r in rows}
    c1, c2 = st.columns([1, 2], gap="large")
    with c1:
        pick = st.selectbox("Buka berkas", list(by_label), key="bukti.open", index=None,
                            placeholder="Pilih nomor bukti")
        if pick:
            rec = by_label[pick]
            path = evidence_file_path(paths, rec)
            if path.exists():
                st.download_button(f"Unduh {rec.file_name}",
                                   auth_ui.audited(scope, "data_download", f"bukti {rec.label}: {rec.file_name}",
                                                   lambda p=path: p.read_bytes()), file_name=rec.file_name,
                                   key="bukti.file.dl", on_click="ignore", icon=":material/download:")
            else:
                st.error(f"Berkas {rec.label} tidak ada lagi di folder bukti dukung.", icon=":material/error:")
    if scope.can("verify_evidence"):
        with c2:
            pending = [r.label for r in rows if r.status == "diajukan"]
            verifiable = [r.label for r in rows if r.status != "ditolak"]
            st.markdown("**Verifikasi**")
            target = st.selectbox("Bukti", verifiable, key="bukti.target", index=None, placeholder="Pilih nomor bukti",
                                  format_func=lambda lab: f"{lab} · {STATUS_LABELS[by_label[lab].status]} · "
                                                          f"{by_label[lab].title[:60]}")
            reason = st.text_input("Alasan (wajib bila ditolak)", key="bukti.reason", max_chars=500)
            v1, v2 = st.columns(2)
            v1.button("Verifikasi", disabled=target not in pending, key="bukti.verify", icon=":material/verified:",
                      width="stretch", on_click=_decide, args=("verify", by_label.get(target), who))
            v2.button("Tolak", disabled=target is None, key="bukti.reject", icon=":material/block:",
                      width="stretch", on_click=_decide, args=("reject", by_label.get(target), who))
            msg = st.session_state.pop("bukti.msg", None)
            if msg:
                (st.success if msg[0] == "ok" else st.error)(msg[1])

def _rebuild() -> None:
    jobs.start(paths, "run", actor=scope)
    auth_ui.record(scope, "build", "monev run dari halaman Bukti Dukung")


if scope.can("upload_data"):
    job = jobs.current(paths)
    running = job is not None and job.running
    st.button("Bangun ulang gudang data agar bukti masuk ke penilaian", icon=":material/refresh:",
              disabled=running, key="bukti.rebuild", on_click=_rebuild,
              help="Gudang data dibangun ulang di proses terpisah; lihat kemajuannya di halaman Unggah Data.")
    if running:
        frac, last = job.progress()
        st.progress(frac, text=f"Membangun gudang data ... {last}")
st.caption(f"Jumlah catatan di register: {fmt.number(len(records))}.")
