"""Mulai: the first-run page when there is no published warehouse yet (load the demo, or upload exports)."""

from __future__ import annotations

import streamlit as st

from dashboard import context, data, jobs
from dashboard.components import admin

ctx = context.get()
paths = data.paths()

st.title("Selamat datang di Monev Pengaduan")
st.markdown(
    "Belum ada data pengaduan. Dasbor akan terisi begitu data pengaduan pertama dibangun. "
    "Pilih salah satu jalan:"
)
admin.note(ctx.scope, f"Gudang data yang dicari: `{paths.warehouse}`. Dari baris perintah: letakkan berkas di "
                      "`raw/`, lalu `monev run --data-dir ...`; data demo: `monev demo` lalu `monev run`; "
                      "`monev serve --demo` memakai ./data-demo.")

job = jobs.current(paths)
running = job is not None and job.running


@st.fragment(run_every=1.0)
def _progress() -> None:
    j = jobs.current(paths)
    if j is None:
        return
    frac, last = j.progress()
    if j.running:
        st.progress(frac, text=f"Menyiapkan data ... {last}")
        return
    if j.ok and data.snapshot() is not None:
        st.rerun()  # the warehouse is there: the full app appears
    st.error("Pembangunan gagal. Catatan proses:", icon=":material/error:")
    st.code("\n".join(j.log_lines()[-30:]) or "(kosong)", language=None)


def _raw_is_empty() -> bool:
    from pipelines.build.discover import discover

    return not discover(paths.raw_dir)


left, right = st.columns(2, gap="large")
with left, st.container(border=True):
    st.subheader("Coba dengan data demo")
    st.markdown(
        "Data rekaan Kota Blitar (SP4N-LAPOR! dan rekap kanal lokal, 2024–2026) untuk melihat semua halaman "
        "(dibangun dalam sekitar satu menit)."
    )
    allowed = ctx.scope.can("upload_data") and (data.demo_mode() or _raw_is_empty())
    if not data.demo_mode():
        st.caption("Data demo ditulis ke folder data ini. Untuk data asli, sebaiknya pakai folder data lain.")
    if st.button("Bangun data demo", type="primary", icon=":material/rocket_launch:", disabled=running or not allowed,
                 key="mulai.demo"):
        jobs.start(paths, "demo", demo_args=["--force"] if data.demo_mode() else [], actor=ctx.scope)
        st.rerun()
    if not allowed and not running:
        st.caption("Tidak tersedia: folder data sudah berisi berkas, atau akses Anda tidak mencakup unggah data.")
with right, st.container(border=True):
    st.subheader("Unggah ekspor sendiri")
    st.markdown(
        "Ekspor SP4N-LAPOR! (CSV/XLSX), rekap kanal lokal (XLSX/CSV, templat tersedia) atau Open311 (JSON/CSV). "
        "Setiap berkas diperiksa dulu, lalu gudang data dibangun."
    )
    if ctx.scope.can("upload_data"):
        st.page_link("app_pages/unggah_data.py", label="Buka halaman Unggah Data", icon=":material/upload_file:")

if running or job is not None:
    _progress()
