"""The data-quality rules: identifier, severity, and what the operator reads.

Blocking rules send the row to quarantine (it does not load until a corrected
file arrives); warnings load the row and are listed beside it. Every message
names the file, the row and the column, says what was written, and what to do.
"""

from __future__ import annotations

from dataclasses import dataclass

BLOCKING = "blocking"
WARNING = "warning"


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    layer: str  # staging | curated | file
    problem: str  # Bahasa Indonesia; placeholders: {label} {observed} {other_label} {other_observed} {extra}
    fix: str
    contradiction: bool = False  # listed among "status/timestamps contradict each other"


_R = [
    # ---- staging, blocking
    Rule("source_id_missing", BLOCKING, "staging", "nomor/ID laporan kosong",
         "Isi ID laporan (mis. Tracking ID) pada baris ini di berkas sumber, lalu jalankan monev run lagi"),
    Rule("duplicate_id", BLOCKING, "staging", "ID laporan {observed} muncul lebih dari sekali di berkas ini{extra}",
         "Hapus baris ganda atau perbaiki ID-nya di berkas sumber; semua baris dengan ID ini ditahan sampai diperbaiki"),
    Rule("reported_at_invalid", BLOCKING, "staging", "{label} {observed}",
         "Isi tanggal laporan dalam bentuk seperti 08/07/2024, 2024-07-08 09:15 atau 8 Juli 2024"),
    Rule("date_unparseable", BLOCKING, "staging", "{label} tidak dapat dibaca sebagai tanggal (tertulis \"{observed}\")",
         "Tulis tanggal seperti 08/07/2024, 2024-07-08 09:15 atau 8 Juli 2024, atau kosongkan bila belum ada"),
    Rule("status_missing", BLOCKING, "staging", "status kosong",
         "Isi status laporan (mis. Selesai, Proses, Belum Ditindaklanjuti) di berkas sumber"),
    Rule("status_unknown", BLOCKING, "staging", "label status \"{observed}\" tidak dikenal",
         "Tambahkan label ini pada status yang tepat di config/statuses.yaml (atau perbaiki ejaannya di berkas), "
         "lalu jalankan monev run lagi; label yang tidak dikenal tidak pernah ditebak"),
    Rule("required_missing", BLOCKING, "staging", "{label} kosong",
         "Isi kolom ini di berkas sumber; tanpa isinya laporan tidak dapat dikenali"),
    Rule("channel_unknown", BLOCKING, "staging", "kanal laporan tidak dapat ditentukan (tertulis \"{observed}\")",
         "Isi kolom kanal dengan nama kanal dari config/channels.yaml, atau beri nama berkas yang memuat kanalnya"),
    Rule("date_order", BLOCKING, "staging", "{label} ({observed}) lebih awal dari {other_label} ({other_observed})",
         "Periksa kedua tanggal itu di sumbernya dan perbaiki yang salah; urutan yang benar: laporan, verifikasi, "
         "disposisi, tindak lanjut, selesai"),
    Rule("future_date", BLOCKING, "staging", "{label} ({observed}) melewati tanggal ekspor berkas ({other_observed})",
         "Periksa tanggal itu di sumbernya; tanggal sesudah berkas diekspor tidak mungkin benar"),
    Rule("placeholder_date", BLOCKING, "staging", "{label} bernilai {observed}, tanggal pengganti yang tidak mungkin benar",
         "Kosongkan kolom bila tanggalnya belum ada, atau isi tanggal yang sebenarnya"),
    Rule("surplus_fields", BLOCKING, "staging", "baris ini berisi lebih banyak kolom daripada baris judul kolom ({observed})",
         "Periksa pemisah kolom (koma/titik koma) dan tanda kutip di baris ini di berkas sumber; nilai yang lebih "
         "tidak pernah dibuang diam-diam, jadi baris ini ditahan sampai diperbaiki"),
    # ---- across exports, blocking (pipelines/build/contradictions.py; the message is composed there)
    Rule("same_date_conflict", BLOCKING, "merge", "dua ekspor bertanggal sama berbeda isi tentang {label}",
         "Perbaiki salah satu ekspor di sumbernya (atau hapus yang keliru dari folder raw), lalu jalankan monev run lagi",
         contradiction=True),
    Rule("merged_date_conflict", BLOCKING, "merge",
         "setelah ekspor digabung, {label} lebih awal dari langkah sebelumnya",
         "Periksa kedua tanggal di sumbernya, lalu letakkan ekspor yang sudah diperbaiki di folder raw",
         contradiction=True),
    # ---- staging, warnings
    Rule("time_order", WARNING, "staging", "pada hari yang sama, jam {label} ({observed}) lebih awal dari {other_label} ({other_observed})",
         "Periksa jamnya di sumber; laporan tetap dimuat (durasi hari kerja tidak terpengaruh)"),
    Rule("department_unknown", WARNING, "staging", "OPD \"{observed}\" tidak ada di data induk{extra}",
         "Tambahkan ejaan ini sebagai alias OPD yang benar di config/departments.yaml, atau perbaiki di sumbernya; "
         "laporan tetap dimuat tanpa OPD sampai itu dilakukan"),
    Rule("category_unknown", WARNING, "staging", "kategori \"{observed}\" tidak ada di data induk{extra}",
         "Tambahkan ejaan ini sebagai alias kategori di config/categories.yaml; laporan dimuat tanpa kategori"),
    Rule("classification_unknown", WARNING, "staging", "klasifikasi \"{observed}\" tidak dikenal",
         "Tambahkan ejaan ini sebagai alias klasifikasi di config/categories.yaml; laporan dimuat tanpa klasifikasi"),
    Rule("channel_value_unknown", WARNING, "staging", "kanal \"{observed}\" tidak dikenal; dipakai kanal {extra}",
         "Tambahkan ejaan ini sebagai alias kanal di config/channels.yaml bila kanalnya lain"),
    Rule("kelurahan_unknown", WARNING, "staging", "kelurahan \"{observed}\" tidak dikenal{extra}",
         "Perbaiki ejaannya atau tambahkan di kelurahan_aliases config/wilayah.yaml"),
    Rule("kecamatan_unknown", WARNING, "staging", "kecamatan \"{observed}\" tidak dikenal{extra}",
         "Perbaiki ejaannya atau tambahkan alias di config/wilayah.yaml"),
    Rule("wilayah_mismatch", WARNING, "staging", "kelurahan {other_observed} tidak berada di kecamatan {observed}",
         "Periksa kecamatan dan kelurahan di sumbernya"),
    Rule("flag_invalid", WARNING, "staging", "{label} bernilai \"{observed}\", bukan Ya/Tidak",
         "Isi dengan Ya/Tidak (atau Y/N, 1/0); dianggap Tidak sampai diperbaiki"),
    Rule("satisfaction_invalid", WARNING, "staging", "penilaian \"{observed}\" bukan angka 1 sampai 5",
         "Isi penilaian dengan angka bulat 1-5 atau kosongkan"),
    # ---- file level (one row per file and column)
    Rule("midnight_times", WARNING, "file", "semua {label} berjam 00.00 ({observed} baris), padahal kolom ini seharusnya berisi jam",
         "Ekspor ulang dengan format tanggal-jam lengkap; durasi tetap dihitung per hari kerja"),
    # ---- curated (merged complaints), warnings that describe contradictions
    Rule("resolved_without_date", WARNING, "curated", "status Selesai tetapi tanggal selesai kosong",
         "Isi tanggal selesai di sumbernya; sampai itu laporan tidak dihitung selesai", contradiction=True),
    Rule("resolved_date_open_status", WARNING, "curated", "ada tanggal selesai ({observed}) tetapi statusnya {other_observed}",
         "Periksa status terakhir laporan ini di sumbernya", contradiction=True),
    Rule("archived_inconsistent", WARNING, "curated", "ada tanggal arsip ({observed}) tetapi statusnya {other_observed}",
         "Periksa status terakhir laporan ini di sumbernya", contradiction=True),
    Rule("merged_date_order", WARNING, "curated",
         "setelah digabung antar-ekspor, {label} ({observed}) lebih awal dari {other_label} ({other_observed})",
         "Periksa ekspor terbaru yang memuat laporan ini; tanggal dari ekspor yang berbeda saling bertentangan",
         contradiction=True),
    # ---- curated, blocking (the build refuses to publish)
    Rule("key_not_unique", BLOCKING, "curated", "kunci pengaduan {observed} muncul lebih dari sekali di gudang",
         "Ini kesalahan program; laporkan ke pengelola aplikasi"),
    Rule("pii_in_text", BLOCKING, "curated", "{label} masih memuat pola data pribadi",
         "Ini kesalahan program (penyamaran gagal); laporkan ke pengelola aplikasi"),
    Rule("after_as_of", BLOCKING, "curated", "{label} ({observed}) melewati tanggal data (as-of)",
         "Ini kesalahan program; laporkan ke pengelola aplikasi"),
]

RULES: dict[str, Rule] = {r.id: r for r in _R}
