"""Kualitas Data: the quality report of the published snapshot (reconciliation per file, freshness per
source, quarantine with reasons, unmatched names with suggestions, warnings) and the last run."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import context, data
from dashboard.components import admin, states, tables
from dashboard.components.cards import Card, show_cards
from dashboard.components.tables import Col
from pipelines import fmt

ctx = context.get()
scope, snap = ctx.scope, ctx.snap

st.title("Kualitas Data")
if snap is None:
    st.stop()

run = data.last_run()
if run and run.get("status") != "published":
    refused = [f for f in run.get("files", []) if f.get("status") == "refused"]
    st.error(
        f"Proses terakhir ({run.get('run_id')}) **tidak menerbitkan** gudang data: {run.get('message')}\n\n"
        + "\n".join(f"- {f.get('message')}" for f in refused)
        + f"\n\nDasbor tetap memakai data versi {fmt.datetime_long(snap.built_at)} (data per "
        f"{fmt.date_long(snap.as_of)}).",
        icon=":material/error:",
    )

q = None
with states.guarded():
    q = data.quality(scope, snap)
if q is None:
    st.stop()

files, sources, quarantine, unmatched = q["files"], q["sources"], q["quarantine"], q["unmatched"]
held = quarantine.filter(pl.col("status") == "held")
stale = sources.filter(pl.col("is_stale")) if sources.height else sources
show_cards([
    Card("q-files", "Berkas dimuat", fmt.number(files.height),
         "Berkas ekspor yang masuk ke snapshot ini (berkas identik dihitung sekali).", good_when=None,
         caption=f"{fmt.number(int(files['rows_read'].sum() or 0))} baris dibaca"),
    Card("q-loaded", "Baris dimuat", fmt.number(int(files["rows_loaded"].sum() or 0)),
         "Baris yang lolos pemeriksaan dan masuk ke gudang data. Dibaca = dimuat + karantina + dilewati.",
         good_when=None, caption=f"{fmt.number(int(files['rows_skipped'].sum() or 0))} baris non-data dilewati"),
    Card("q-held", "Ditahan di karantina", fmt.number(held.select("file_name", "sheet", "source_row").unique().height),
         "Baris yang melanggar aturan wajib: tidak dimuat sampai berkas perbaikan masuk.",
         band="Kurang" if held.height else "Sangat Baik", good_when=None,
         caption=f"{fmt.number(q['quarantine_count'])} temuan karantina (termasuk yang sudah dilepas)"),
    Card("q-names", "Nama tak dikenal", fmt.number(unmatched.height),
         "Nama OPD, kategori, kecamatan atau kelurahan di ekspor yang tidak cocok dengan data induk.",
         band="Sedang" if unmatched.height else "Sangat Baik", good_when=None,
         caption=f"{fmt.number(int(unmatched['rows'].sum() or 0))} baris terdampak" if unmatched.height else ""),
    Card("q-warn", "Peringatan", fmt.number(q["warnings_count"]),
         "Temuan yang tidak menahan baris (baris tetap dimuat), mis. tanggal yang janggal.", good_when=None),
    Card("q-stale", "Sumber basi", fmt.number(stale.height),
         "Sumber yang ekspor terakhirnya lebih lama dari batas kesegaran yang diatur admin.",
         band="Sedang" if stale.height else "Sangat Baik", good_when=None,
         caption=", ".join(stale["label"].to_list()) if stale.height else "semua sumber segar"),
], columns=3)

tab_src, tab_files, tab_q, tab_names, tab_warn = st.tabs(
    ["Kesegaran sumber", "Rekonsiliasi berkas", f"Karantina ({fmt.number(held.height)})",
     f"Nama tak dikenal ({fmt.number(unmatched.height)})", "Peringatan"]
)
with tab_src, states.guarded():
    cols = [Col("label", "Sumber"), Col("files", "Berkas", "int"), Col("complaints", "Pengaduan", "int"),
            Col("latest_export", "Ekspor terakhir", "date"), Col("days_since", "Hari sejak ekspor", "int"),
            Col("is_stale", "Basi", "bool", "Minta ekspor baru dari pengelola sumber ini.")]
    tables.show(sources, cols, key="kualitas.sources", flag_columns=("is_stale",))
    if scope.can("download_data"):
        tables.downloads(sources, cols, file_stub=ctx.file_stub("kesegaran-sumber"), key="kualitas.sources.dl")
with tab_files, states.guarded():
    cols = [Col("file_name", "Berkas", width="medium"), Col("source", "Sumber"), Col("profile", "Profil"),
            Col("snapshot_date", "Tgl ekspor", "date"), Col("rows_read", "Dibaca", "int"),
            Col("rows_loaded", "Dimuat", "int"), Col("rows_quarantined", "Karantina", "int"),
            Col("rows_released", "Dilepas", "int"), Col("rows_skipped", "Dilewati", "int"),
            Col("warnings", "Peringatan", "int"), Col("blocking_share", "Porsi ditahan", "pct"),
            Col("gate", "Gerbang mutu")]
    st.caption("Setiap berkas: dibaca = dimuat + karantina + dilewati (judul, baris kosong, subtotal).")
    tables.show(files, cols, key="kualitas.files", height=tables.fit_height(files.height, 520))
    if scope.can("download_data"):
        tables.downloads(files, cols, file_stub=ctx.file_stub("rekonsiliasi-berkas"), key="kualitas.files.dl")
with tab_q, states.guarded():
    show_released = st.toggle("Tampilkan juga yang sudah dilepas", key="kualitas.released")
    qdf = quarantine if show_released else held
    if qdf.height == 0:
        st.success("Tidak ada baris yang ditahan di karantina.", icon=":material/check_circle:")
    else:
        cols = [Col("file_name", "Berkas"), Col("sheet", "Lembar"), Col("source_row", "Baris", "int"),
                Col("column_name", "Kolom"), Col("rule", "Aturan"), Col("observed", "Tertulis"),
                Col("message", "Pesan dan tindakan", width="large"), Col("status", "Status"),
                Col("released_by", "Dilepas oleh berkas")]
        tables.show(qdf, cols, key="kualitas.quarantine", height=tables.fit_height(qdf.height, 520))
        if scope.can("download_data"):
            tables.downloads(qdf, cols, file_stub=ctx.file_stub("karantina"), key="kualitas.quarantine.dl")
with tab_names, states.guarded():
    if unmatched.height == 0:
        st.success("Semua nama cocok dengan data induk.", icon=":material/check_circle:")
    else:
        kinds = {"department": "OPD", "category": "Kategori", "kelurahan": "Kelurahan", "kecamatan": "Kecamatan"}
        names = unmatched.with_columns(pl.col("kind").replace_strict(kinds, default=pl.col("kind")))
        cols = [Col("kind", "Jenis"), Col("raw_value", "Tertulis"), Col("rows", "Baris", "int"),
                Col("suggestions", "Saran (paling mirip)", "list", width="large"), Col("files", "Berkas", "list")]
        st.caption("Ejaan ini perlu didaftarkan sebagai alias di data induk oleh admin koordinator; "
                   "sesudah gudang data dibangun ulang, barisnya dihitung ke nama yang benar.")
        admin.note(scope, "Tambahkan ejaan sebagai alias di `config/` (mis. `departments.yaml`), lalu jalankan "
                          "ulang `monev run` (atau tombol di halaman Unggah Data).")
        tables.show(names, cols, key="kualitas.names")
        if scope.can("download_data"):
            tables.downloads(names, cols, file_stub=ctx.file_stub("nama-tak-dikenal"), key="kualitas.names.dl")
with tab_warn, states.guarded():
    wr = q["warnings_by_rule"]
    if wr.height == 0:
        st.success("Tidak ada peringatan.", icon=":material/check_circle:")
    else:
        tables.show(wr, [Col("layer", "Lapisan"), Col("rule", "Aturan"), Col("field", "Kolom"),
                         Col("findings", "Temuan", "int")], key="kualitas.warn.rules")
        w = q["warnings"]
        cols = [Col("file_name", "Berkas"), Col("source_row", "Baris", "int"), Col("column_name", "Kolom"),
                Col("rule", "Aturan"), Col("message", "Pesan", width="large")]
        more = q["warnings_count"] - w.height
        st.caption(f"{fmt.number(w.height)} peringatan pertama" + (f" (dan {fmt.number(more)} lagi)" if more > 0 else ""))
        tables.show(w, cols, key="kualitas.warn.list", height=400)
        if scope.can("download_data"):
            tables.downloads(w, cols, file_stub=ctx.file_stub("peringatan"), key="kualitas.warn.dl")
