"""Glosarium: every KPI with its definition and formula (pipelines.kpi.glossary), plus the rules the
dashboard itself applies (periods, comparison, predikat colours)."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import context, data
from dashboard.components import states, tables
from dashboard.components.style import BAND_COLOURS
from dashboard.components.tables import Col
from pipelines.kpi import rules_text
from pipelines.kpi.glossary import entries as glossary_entries
from pipelines.textnorm import norm_key

ctx = context.get()
settings = None  # the warehouse's settings: every rule sentence below is written from them
if ctx.snap is not None and ctx.windows is not None and ctx.scope.can("view_aggregates"):
    with states.guarded():
        settings = data.kpi(ctx.scope, ctx.snap, ctx.current, {})["settings"]
GLOSSARY = glossary_entries(settings)

st.title("Glosarium")
st.caption("Definisi setiap angka di dasbor dan rapor. Semua angka dihitung sekali, dengan aturan "
           "yang sama, dari gudang data.")

query = st.text_input("Cari istilah", key="glosarium.q", placeholder="mis. tepat waktu, tunggakan, hari kerja")
q = norm_key(query) if query else ""
entries = [(k, e) for k, e in GLOSSARY.items()
           if not q or q in norm_key(e.label) or q in norm_key(e.help) or q in norm_key(k)]
if not entries:
    st.info("Tidak ada istilah yang cocok.", icon=":material/search_off:")
for key, e in entries:
    with st.container(border=True):
        st.markdown(f"**{e.label}**  \n{e.help}")
        st.markdown(f"Rumus: `{e.formula}`  \nKunci JSON: `{key}`")

df = pl.DataFrame([{"key": k, "label": e.label, "help": e.help, "formula": e.formula} for k, e in GLOSSARY.items()])
if ctx.scope.can("download_data"):
    tables.downloads(df, [Col("label", "Istilah"), Col("help", "Penjelasan"), Col("formula", "Rumus"),
                          Col("key", "Kunci JSON")], file_stub="glosarium-kpi", key="glosarium.dl", sheet="Glosarium")

st.subheader("Aturan tampilan dasbor")
bands = ", ".join(BAND_COLOURS)
st.markdown(
    f"""
- **Singkatan**: OPD = organisasi perangkat daerah; HK = hari kerja (Senin–Jumat di luar libur nasional dan cuti
  bersama); KPI = indikator kinerja utama; SLA = batas waktu layanan; SP4N-LAPOR! = Sistem Pengelolaan Pengaduan
  Pelayanan Publik Nasional – Layanan Aspirasi dan Pengaduan Online Rakyat; persentil 90 = batas yang dilampaui
  hanya oleh satu dari sepuluh pengaduan; Monev = monitoring dan evaluasi.
- **Periode bawaan**: tahun berjalan sampai tanggal data (mis. *Tahun 2026 (s.d. 31 Oktober 2026)*), dibanding
  bulan-bulan yang sama tahun lalu. Rapat monev dan evaluasi Kemendagri melihat tahunan, dan setahun berjalan
  memberi cukup pengaduan per OPD untuk peringkat yang adil.
- **Pembanding**: *periode sebelumnya* atau *periode yang sama tahun lalu*. Bila periode terpilih masih berjalan,
  pembanding dipotong sepanjang yang sama; pembanding dilihat pada **kematangan data yang sama** (berapa hari sesudah
  akhir periodenya), agar bulan yang baru lewat tidak dibandingkan dengan bulan yang sudah sebulan lebih lama
  ditangani.
- **Warna kartu**: predikat ({bands}) dari nilai indikator model penilaian untuk KPI itu (lantai → 0, target → 100;
  diatur dalam model penilaian). Kartu biru tidak punya indikator penilaian. Panah hijau = membaik, merah = memburuk.
- **Peringkat OPD**: {rules_text.rank_rule(settings)} Nilai dan predikat OPD (indikator Output model
  penilaian{"; " + ctx.model.bands_text() if ctx.model is not None else ""}) tampil di sampingnya. OPD dengan
  {rules_text.insufficient_text(settings)}.
- **Sampel kecil**: {rules_text.small_sample_text(settings)} (di layar, PDF dan Excel).
- **OPD yang perlu perhatian**: {rules_text.attention_rule(settings)}
- **Unduhan**: CSV dan XLSX berisi persis baris yang sedang difilter; sel teks yang diawali = + − @ diberi tanda
  kutip agar tidak dijalankan sebagai rumus. Gambar PNG grafik: ikon kamera di pojok kanan atas grafik.
- **Data pribadi**: nama, nomor HP, email dan NIK pelapor tidak pernah tampil; judul pengaduan sudah disamarkan.
"""
)
