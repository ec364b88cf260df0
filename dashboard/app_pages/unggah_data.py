"""Unggah Data: upload an export, preview how it will be read, put it in raw/ and rebuild the warehouse
in a separate process; show the reconciliation of the run. A failed run changes nothing: the
dashboard keeps serving the published snapshot."""

from __future__ import annotations

import tempfile
from pathlib import Path

import polars as pl
import streamlit as st

from dashboard import auth_ui, context, data, jobs
from dashboard.components import states, tables, upload_feedback
from dashboard.components.tables import Col
from pipelines import fmt
from pipelines.safe_text import shown_name

MAX_UPLOAD_MB = 50
TYPES = ("csv", "xlsx", "xls", "json")
PREVIEW_KEY = "unggah.preview"
UPLOAD_KEY = "unggah.file"

ctx = context.get()
scope = ctx.scope
paths = data.paths()

st.title("Unggah Data")
if not scope.can("upload_data"):
    st.warning("Akses Anda tidak mencakup unggah data.", icon=":material/lock:")
    st.stop()
jobs.warm_up()  # the preview runs in a memory-limited worker process: start it now

st.markdown(
    "Unggah ekspor **SP4N-LAPOR!** (CSV/XLSX), **rekap kanal lokal** (XLSX/CSV) atau **Open311** (JSON/CSV). "
    "Periksa pratinjau cara berkas dibaca, lalu simpan ke folder data dan bangun ulang gudang data. Selama "
    "pembangunan, dasbor tetap menampilkan data terbit terakhir; bila pembangunan gagal, tidak ada yang berubah."
)


@st.cache_data(ttl=3600, max_entries=2, show_spinner=False)
def _template(config_dir: str) -> bytes:
    from pipelines.masterdata import load_master_data
    from pipelines.rekap_template import template_xlsx

    return template_xlsx(load_master_data(config_dir))


with st.container(horizontal=True, vertical_alignment="center"):
    st.download_button(
        "Unduh templat rekap (XLSX)",
        auth_ui.audited(scope, "data_download", "templat_rekap_pengaduan.xlsx", lambda: _template(str(paths.config_dir))),
        file_name="templat_rekap_pengaduan.xlsx", icon=":material/table_view:", on_click="ignore",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        help="Templat bersih untuk rekap kanal lokal: judul kolom yang dikenali, daftar pilihan dari data induk, "
             "tanpa kolom data pribadi pelapor.",
    )
    st.caption("Rekap yang sudah ada tetap dapat diunggah apa adanya; templat ini memudahkan rekap baru.")


# ---------------------------------------------------------------- the running job
def _show_job(job: jobs.Job) -> None:
    frac, last = job.progress()
    if job.running:
        st.progress(frac, text=f"Membangun gudang data ... {last}")
        st.caption(f"Dimulai {job.started_at:%H.%M.%S}. Halaman lain tetap dapat dibuka.")
    elif job.ok:
        st.success("Pembangunan selesai dan gudang data baru sudah terbit. Halaman lain menampilkan data baru.",
                   icon=":material/check_circle:")
        upload_feedback.after_build()
    else:
        st.error("Pembangunan gagal; gudang data sebelumnya tetap dipakai. Lihat pesan di bawah.",
                 icon=":material/error:")
    with st.expander("Catatan proses", expanded=not job.running and not job.ok):
        st.code("\n".join(job.log_lines()[-40:]) or "(belum ada keluaran)", language=None)


@st.fragment(run_every=1.0)
def _job_watch() -> None:
    job = jobs.current(paths)
    if job is None:
        return
    _show_job(job)
    if not job.running and st.session_state.get("unggah.job_seen") != str(job.log_path):
        st.session_state["unggah.job_seen"] = str(job.log_path)
        data.clear_caches()
        st.rerun()  # a full rerun: the header and the reconciliation pick up the new snapshot


job = jobs.current(paths)
if job is not None and job.running:
    _job_watch()
elif job is not None:
    _show_job(job)


def _start_run() -> None:
    upload_feedback.remember_before(ctx.snap)
    jobs.start(paths, "run", actor=scope)
    auth_ui.record(scope, "build", "monev run dari halaman Unggah Data")
    st.session_state.pop("unggah.job_seen", None)


def _unknown_labels(pv, md, wilayah_names: list[dict]) -> None:
    """Each unknown label once, with the closest known label, and the YAML to paste (pipelines.ingest.unknown_labels)."""
    from pipelines.ingest import unknown_labels as ul

    if not pv.unknown_labels and not wilayah_names:
        st.success("Semua label dan nama cocok dengan profil dan data induk.", icon=":material/check_circle:")
        return
    if pv.unknown_labels:
        rows = [{"kind": ul.KIND_LABELS[u.kind], "raw": u.raw, "rows": u.rows,
                 "closest": line.split("; ", 1)[1].removeprefix("paling mirip: ")} for u, line in zip(pv.unknown_labels,
                                                                        ul.summary_lines(pv.unknown_labels, md),
                                                                        strict=True)]
        tables.show(pl.DataFrame(rows), [Col("kind", "Jenis"), Col("raw", "Tertulis"), Col("rows", "Baris", "int"),
                                         Col("closest", "Label terdekat yang dikenal", width="large")],
                    key="unggah.labels")
        st.caption("Tempel potongan YAML ini ke berkas yang disebut (periksa setiap tebakan dulu), lalu unggah lagi.")
        for snip in pv.label_snippets:
            st.code(snip, language="yaml")
    if wilayah_names:
        st.markdown("**Kecamatan/kelurahan yang tidak dikenal** (tambahkan aliasnya di config/wilayah.yaml)")
        tables.show(pl.DataFrame(wilayah_names), [Col("kind", "Jenis"), Col("raw", "Tertulis"),
                                                  Col("rows", "Baris", "int"), Col("suggestions", "Saran", "list")],
                    key="unggah.unmatched")


# ---------------------------------------------------------------- upload and preview
st.subheader("1. Pilih berkas")
c1, c2 = st.columns([2, 1])
with c2:
    from pipelines.ingest.profiles import load_profiles
    from pipelines.masterdata import ConfigError, load_master_data

    try:
        md = load_master_data(paths.config_dir)
        profiles = {p.name: p.label for p in load_profiles(paths.config_dir)}
    except ConfigError as exc:  # a broken profile or master-data file: its one paragraph, never a traceback
        st.error(str(exc), icon=":material/error:")
        st.stop()
    profile = st.selectbox("Profil pemetaan", [None, *profiles], format_func=lambda p: "Kenali otomatis" if p is None
                           else profiles[p], key="unggah.profile",
                           help="Biasanya dikenali otomatis dari judul kolom. Pilih bila ingin memaksa satu profil.")
    local = [c.name for c in md.channels if c.source == "lokal"]
    channel = st.selectbox("Kanal (untuk rekap)", [None, *local], key="unggah.channel",
                           format_func=lambda c: "Dari isi/nama berkas" if c is None else c,
                           help="Rekap sering tidak punya kolom kanal; pilih kanalnya bila nama berkas tidak "
                                "menyebutnya (mis. rekap_whatsapp_2025-07.xlsx).")
with c1:
    up = st.file_uploader(
        f"Ekspor CSV, XLSX, XLS atau JSON (paling besar {MAX_UPLOAD_MB} MB)", type=list(TYPES), key=UPLOAD_KEY,
        max_upload_size=MAX_UPLOAD_MB,
    )


if up is not None:
    # server-side checks (the widget's own limits can be bypassed): type, size, a bare file name
    from pipelines.auth.uploads import UploadRejected, check_upload

    try:
        safe_name = check_upload(up.name, up.size, types=TYPES, max_bytes=MAX_UPLOAD_MB * 1024 * 1024,
                                 default="ekspor")
    except UploadRejected as exc:
        st.error(str(exc), icon=":material/block:")
        st.stop()
    content = up.getvalue()
    from pipelines.filekind import mismatch

    wrong = mismatch(safe_name, content[:4096])
    if wrong:
        st.error(f"**{safe_name}** {wrong}. Simpan ulang berkas dari aplikasi asalnya dalam format yang benar "
                 "(atau ganti akhiran namanya sesuai isinya), lalu unggah lagi. Tidak ada yang disimpan.",
                 icon=":material/block:")
        st.stop()
    with states.guarded():

        with tempfile.TemporaryDirectory(prefix="monev-unggah-") as tmp:
            tmp_path = Path(tmp) / safe_name
            tmp_path.write_bytes(content)
            with st.spinner("Membaca berkas seperti pipeline membacanya ..."):
                pv = jobs.preview_in_worker(tmp_path, paths.config_dir, profile=profile, channel=channel)
        st.subheader("2. Pratinjau")
        if not pv.ok:
            st.error(pv.refused or "Berkas ditolak.", icon=":material/block:")
            st.stop()
        blocked = pv.rows_blocked
        st.markdown(
            f"**{safe_name}** dibaca dengan profil **{pv.profile_label}**"
            + (f", kanal **{pv.channel}**" if pv.channel else "")
            + f"; judul kolom di baris {', '.join(map(str, pv.header_rows)) or '–'}"
            + (f", lembar {', '.join(s for s in pv.sheets if s)}" if any(pv.sheets) else "")
            + (f", pengodean {pv.encoding}" if pv.encoding else "")
            + (f", pemisah '{pv.delimiter}'" if pv.delimiter else "")
            + (f"; tanggal ekspor {fmt.date_long(pv.snapshot_date)}" if pv.snapshot_date else "") + "."
        )
        m1, m2, m3, m4 = st.columns(4)
        m1.metric("Baris data", fmt.number(pv.rows_data))
        m2.metric("Baris dilewati", fmt.number(sum(pv.skipped.values())),
                  help="Judul, baris kosong, subtotal, judul kolom berulang: " + (", ".join(
                      f"{k} {fmt.number(v)}" for k, v in pv.skipped.items()) or "tidak ada"))
        m3.metric("Akan dikarantina", fmt.number(blocked), help="Baris yang melanggar aturan wajib.")
        m4.metric("Porsi dikarantina", fmt.percent(pv.blocking_share))
        for note in pv.notes:
            st.info(note, icon=":material/info:")
        for warn in pv.pemda_warnings:
            st.warning(warn, icon=":material/location_off:")
        from pipelines.ingest import unknown_labels as ul

        wilayah_names = [n for n in pv.unmatched if n["kind"] not in ul.KINDS]
        mapping = pl.DataFrame([{"header": str(h), "label": lab or "(tidak dipakai)"} for h, _f, lab in pv.columns],
                               schema={"header": pl.String, "label": pl.String})
        t1, t2, t3, t4 = st.tabs(["Pemetaan kolom", "Baris pertama", f"Temuan ({fmt.number(pv.problems.height if pv.problems is not None else 0)})",
                                  f"Label tak dikenal ({fmt.number(len(pv.unknown_labels) + len(wilayah_names))})"])
        with t1:
            tables.show(mapping, [Col("header", "Judul kolom di berkas"), Col("label", "Dibaca sebagai")],
                        key="unggah.mapping")
        with t2:
            if pv.rows is not None and pv.rows.height:
                st.caption("Setelah dibaca dan disamarkan (data pribadi pelapor tidak pernah ditampilkan).")
                tables.show(pv.rows, [
                    Col("source_row", "Baris", "int"), Col("source_id", "ID"), Col("reported_at", "Tgl lapor", "datetime"),
                    Col("status", "Status"), Col("channel", "Kanal"), Col("department", "OPD"),
                    Col("department_raw", "OPD tertulis"), Col("category", "Kategori"), Col("kelurahan", "Kelurahan"),
                    Col("title", "Judul (disamarkan)"),
                ], key="unggah.rows")
        with t3:
            if pv.problems is not None and pv.problems.height:
                tables.show(pv.problems, [Col("source_row", "Baris", "int"), Col("column_name", "Kolom"),
                                          Col("severity", "Tingkat"), Col("message", "Pesan", width="large")],
                            key="unggah.problems", height=360)
            else:
                st.success("Tidak ada temuan.", icon=":material/check_circle:")
        with t4:
            _unknown_labels(pv, md, wilayah_names)

        st.subheader("3. Simpan dan bangun ulang")
        identical = upload_feedback.before_saving(content, pv, ctx.snap)
        busy = (job is not None and job.running) or (
            identical and not st.checkbox("Tetap simpan dan bangun ulang", key="unggah.anyway"))
        from pipelines.ingest.matching import channel_slug

        stem, suffix = Path(safe_name).stem, Path(safe_name).suffix.lower()
        target_name = f"{stem}__kanal-{channel_slug(pv.channel)}{suffix}" if channel and pv.channel else safe_name
        st.caption(f"Berkas akan disimpan sebagai raw/unggahan/{target_name} (diberi cap waktu bila nama itu sudah ada).")
        if st.button("Simpan dan bangun ulang gudang data", type="primary", disabled=busy,
                     icon=":material/play_arrow:", key="unggah.go"):
            from pipelines.auth.uploads import save_upload

            target = save_upload(paths, content, target_name, actor=scope)  # checks upload_data itself
            if profile:  # `monev run` reads this file with the profile chosen here (build/profile_choice.py)
                from pipelines.build.profile_choice import record_choice

                record_choice(paths, target, pv.profile, by=scope.user or scope.label)
            auth_ui.record(scope, "upload", f"raw/unggahan/{target.name} ({fmt.number(len(content))} bita)")
            _start_run()
            st.rerun()

st.divider()
st.subheader("Bangun ulang tanpa unggahan")
st.caption("Membaca ulang semua berkas di folder raw/ (mis. setelah mengubah data induk di config/ atau mencatat "
           "bukti dukung).")
st.button("Bangun ulang gudang data", icon=":material/refresh:", on_click=_start_run,
          disabled=job is not None and job.running, key="unggah.rebuild")

# ---------------------------------------------------------------- last run
run = data.last_run()
if run:
    st.subheader("Hasil proses terakhir")
    status = {"published": "terbit", "refused": "ditolak", "blocked": "ditahan gerbang mutu", "error": "gagal",
              "interrupted": "terhenti di tengah jalan", "running": "sedang berjalan"}
    text = (f"Proses {run.get('run_id')}: **{status.get(run.get('status'), run.get('status'))}**"
            + (f", snapshot {run.get('snapshot_id')}, {fmt.number(run.get('complaints'))} pengaduan"
               if run.get("status") == "published" else ""))
    if run.get("status") == "published":
        st.success(text, icon=":material/check_circle:")
    else:
        st.error(text + f". {run.get('message') or ''}", icon=":material/error:")
    files = pl.DataFrame([
        {"file": shown_name(f.get("rel_path")), "profile": f.get("profile"), "status": f.get("status"),
         "rows_read": f.get("rows_read"), "rows_loaded": f.get("rows_loaded"),
         "rows_quarantined": f.get("rows_quarantined"), "rows_skipped": f.get("rows_skipped"),
         "warnings": f.get("warnings"), "message": f.get("message")}
        for f in run.get("files", [])
    ], schema={"file": pl.String, "profile": pl.String, "status": pl.String, "rows_read": pl.Int64,
               "rows_loaded": pl.Int64, "rows_quarantined": pl.Int64, "rows_skipped": pl.Int64,
               "warnings": pl.Int64, "message": pl.String})
    if files.height:
        ok = files.filter(pl.col("status") == "ok")
        pending = sum(int(f.get("rows_pending") or 0) for f in run.get("files", []) if f.get("status") == "ok")
        st.caption(
            f"Rekonsiliasi: dibaca {fmt.number(int(ok['rows_read'].sum() or 0))} = dimuat "
            f"{fmt.number(int(ok['rows_loaded'].sum() or 0))} + karantina "
            f"{fmt.number(int(ok['rows_quarantined'].sum() or 0))} + dilewati "
            f"{fmt.number(int(ok['rows_skipped'].sum() or 0))}"
            + (f" + tertunda {fmt.number(pending)} (proses ini tidak menerbitkan gudang baru)" if pending else "")
            + " baris."
        )
        cols = [Col("file", "Berkas", width=280), Col("profile", "Profil"), Col("status", "Status"),
                Col("rows_read", "Dibaca", "int"), Col("rows_loaded", "Dimuat", "int"),
                Col("rows_quarantined", "Karantina", "int"), Col("rows_skipped", "Dilewati", "int"),
                Col("warnings", "Peringatan", "int"), Col("message", "Keterangan", width="medium")]
        tables.show(files, cols, key="unggah.recon", height=tables.fit_height(files.height, 420))
