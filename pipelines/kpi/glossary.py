"""The KPI glossary (Bahasa Indonesia): key -> (label, short help, formula).

The dashboard shows these beside each number; ``docs/glosarium.md`` is generated
from this table (``python -m pipelines.kpi.glossary > docs/glosarium.md``) and a
test checks that the two agree. Keys are those of ``pipelines.kpi.compute`` where one exists.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from pipelines.kpi import rules_text


class GlossaryEntry(NamedTuple):
    label: str
    help: str
    formula: str


GLOSSARY: dict[str, GlossaryEntry] = {
    # ------------------------------------------------------------ basic terms
    "hari_kerja": GlossaryEntry(
        "Hari kerja (HK)",
        "Senin sampai Jumat, dikurangi libur nasional dan (secara bawaan) cuti bersama, ditambah perubahan "
        "lokal (kalender libur daerah yang diatur admin). Lama sebuah langkah dihitung dalam hari kerja: pengaduan "
        "yang masuk Sabtu dan dijawab Senin berikutnya butuh 1 HK; yang dijawab pada hari yang sama 0 HK.",
        "HK(mulai, selesai) = banyaknya hari kerja d dengan tanggal(mulai) < d ≤ tanggal(selesai)",
    ),
    "as_of": GlossaryEntry(
        "Tanggal data",
        "Tanggal acuan perhitungan. Semua kejadian sesudah akhir hari itu dianggap belum terjadi, sehingga "
        "laporan September yang dibuat pada Oktober tetap bisa diulang dengan angka yang sama. Bawaan: "
        "tanggal terbaru dalam data yang dimuat.",
        "kejadian dihitung bila waktunya ≤ akhir hari tanggal data",
    ),
    "step_states": GlossaryEntry(
        "Status menyatakan apakah, tanggal menyatakan kapan",
        "Setiap pengaduan punya tiga langkah: verifikasi, tindak lanjut pertama (tanggapan) dan penyelesaian. "
        "Per tanggal data setiap langkah ada dalam satu keadaan. Sudah, bertanggal: waktunya tercatat dan "
        "tidak sesudah tanggal data. Sudah, tanpa tanggal: waktunya tidak tercatat, tetapi status terakhir menyatakan "
        "langkah itu sudah terjadi (Dalam Proses: sudah diverifikasi dan ditanggapi; Selesai: sudah diverifikasi "
        "dan selesai; label sumber dapat menambah langkah, misalnya Ditutup oleh Sistem juga berarti sudah "
        "ditanggapi) dan ekspor yang memuat status itu bertanggal paling lambat tanggal data. Belum: status menyatakan "
        "belum terjadi, atau sumbernya biasa mencatat tanggal langkah itu dan tanggalnya kosong. Tidak diketahui: "
        "selain itu, misalnya tanggapan untuk laporan Ditutup oleh Admin dalam ekspor tanpa tanggal. Sumber tanpa "
        "langkah verifikasi (rekap, Open311) tidak punya keadaan verifikasi.",
        "sudah = bertanggal + tanpa tanggal; lama dan ketepatan waktu hanya dari langkah bertanggal",
    ),
    "coverage": GlossaryEntry(
        "Cakupan tanggal",
        "Untuk setiap langkah: berapa pengaduan dalam cakupan periode yang bertanggal, tanpa tanggal, belum, "
        "dan tidak diketahui. Lama penanganan dan ketepatan waktu hanya dihitung dari langkah bertanggal, "
        "sehingga setiap tampilan lama atau ketepatan waktu menyebut berapa pengaduan yang waktunya tidak "
        "tercatat, bukan menampilkan 0 atau 100% tanpa dasar.",
        "per langkah: bertanggal + tanpa tanggal + belum + tidak diketahui = dalam cakupan "
        "(verifikasi: hanya sumber yang punya langkah verifikasi)",
    ),
    # ------------------------------------------------------------ period cohort
    "received": GlossaryEntry(
        "Pengaduan masuk",
        "Semua pengaduan yang tanggal laporannya jatuh dalam periode, apa pun statusnya. Pengaduan yang "
        "tercatat ganda (kemungkinan duplikat lintas kanal) dihitung sekali: laporan paling awal mewakilinya.",
        "jumlah pengaduan dengan tanggal lapor dalam [awal, akhir] dan ≤ tanggal data",
    ),
    "excluded": GlossaryEntry(
        "Dikecualikan",
        "Pengaduan masuk yang diarsipkan (tidak valid, duplikat, spam) atau bukan wewenang pemda. "
        "Tidak ikut dihitung dalam tingkat tanggapan, penyelesaian, maupun ketepatan waktu.",
        "masuk dengan status diarsipkan atau bukan wewenang",
    ),
    "in_scope": GlossaryEntry(
        "Dalam cakupan",
        "Pengaduan masuk yang benar-benar harus ditangani: menjadi penyebut tingkat tanggapan dan "
        "tingkat penyelesaian.",
        "masuk − dikecualikan",
    ),
    "verified": GlossaryEntry(
        "Terverifikasi",
        "Pengaduan dalam cakupan yang sudah diverifikasi admin sampai tanggal data: waktu verifikasinya "
        "tercatat, atau statusnya menyatakan sudah diverifikasi walau tanpa tanggal.",
        "dalam cakupan dengan verifikasi sudah (bertanggal ≤ tanggal data atau tanpa tanggal)",
    ),
    "responded": GlossaryEntry(
        "Ditanggapi",
        "Pengaduan dalam cakupan yang sudah mendapat tindak lanjut pertama dari OPD sampai tanggal data "
        "(bertanggal, atau statusnya menyatakan sudah ditanggapi). Pengaduan yang ditutup tanpa tanggapan "
        "tidak dihitung sebagai ditanggapi.",
        "dalam cakupan dengan tanggapan sudah (bertanggal ≤ tanggal data atau tanpa tanggal)",
    ),
    "resolved": GlossaryEntry(
        "Selesai",
        "Pengaduan dalam cakupan yang sudah selesai sampai tanggal data (juga bila selesai tanpa tanggapan; "
        "juga bila hanya statusnya yang menyatakan selesai, tanpa tanggal).",
        "dalam cakupan dengan penyelesaian sudah (bertanggal ≤ tanggal data atau tanpa tanggal)",
    ),
    "response_rate": GlossaryEntry(
        "Tingkat tanggapan",
        "Bagian pengaduan dalam cakupan yang sudah ditanggapi. Pengaduan yang tanggapannya tidak diketahui "
        "tidak ikut dihitung. Kosong (–) bila tidak ada pengaduan yang bisa dinilai, bukan 0%.",
        "ditanggapi ÷ (dalam cakupan − tanggapan tidak diketahui)",
    ),
    "resolution_rate": GlossaryEntry(
        "Tingkat penyelesaian",
        "Bagian pengaduan dalam cakupan yang sudah selesai. Pengaduan yang penyelesaiannya tidak diketahui "
        "tidak ikut dihitung. Kosong (–) bila tidak ada pengaduan yang bisa dinilai.",
        "selesai ÷ (dalam cakupan − penyelesaian tidak diketahui)",
    ),
    # ------------------------------------------------------------ durations
    "verification_days_median": GlossaryEntry(
        "Median lama verifikasi",
        "Nilai tengah lama verifikasi (hari kerja) dari pengaduan yang sudah terverifikasi dengan tanggal "
        "tercatat; yang terverifikasi tanpa tanggal tidak ikut (bukan 0 hari).",
        "median HK(waktu lapor, waktu verifikasi), atas verifikasi bertanggal",
    ),
    "response_days_median": GlossaryEntry(
        "Median lama tanggapan",
        "Nilai tengah lama OPD memberi tanggapan pertama, dihitung sejak OPD menerima pengaduan "
        "(disposisi; bila tidak ada: verifikasi; bila tidak ada: waktu lapor). Hanya tanggapan bertanggal.",
        "median HK(disposisi ∨ verifikasi ∨ lapor, tanggapan pertama), atas tanggapan bertanggal",
    ),
    "response_days_p90": GlossaryEntry(
        "Persentil 90 lama tanggapan",
        "Sembilan dari sepuluh pengaduan yang ditanggapi dijawab dalam waktu ini atau lebih cepat.",
        "persentil 90 (interpolasi linear) dari HK(mulai tanggapan, tanggapan pertama)",
    ),
    "resolution_days_median": GlossaryEntry(
        "Median lama penyelesaian",
        "Nilai tengah lama penyelesaian dalam hari kerja sejak pengaduan dilaporkan; hanya penyelesaian "
        "bertanggal (yang selesai tanpa tanggal tidak dihitung 0 hari).",
        "median HK(waktu lapor, waktu selesai), atas penyelesaian bertanggal",
    ),
    "resolution_days_p90": GlossaryEntry(
        "Persentil 90 lama penyelesaian",
        "Sembilan dari sepuluh pengaduan yang selesai diselesaikan dalam waktu ini atau lebih cepat.",
        "persentil 90 (interpolasi linear) dari HK(waktu lapor, waktu selesai)",
    ),
    # ------------------------------------------------------------ on time
    "on_time_verification_rate": GlossaryEntry(
        "Verifikasi tepat waktu",
        "Bagian verifikasi yang selesai dalam batas waktu (bawaan 3 HK). Pengaduan yang belum diverifikasi "
        "padahal batasnya sudah lewat dihitung terlambat; yang belum diverifikasi dan masih dalam batas belum "
        "dinilai. Hanya sumber yang punya langkah verifikasi (SP4N-LAPOR!) dan mencatat tanggalnya yang bisa "
        "terlambat verifikasi; verifikasi tanpa tanggal tidak dinilai.",
        "verifikasi tepat waktu ÷ (terverifikasi + belum terverifikasi yang sudah lewat batas)",
    ),
    "on_time_response_rate": GlossaryEntry(
        "Tanggapan tepat waktu",
        "Bagian tanggapan pertama yang diberikan dalam batas waktu (bawaan 5 HK sejak OPD menerima "
        "pengaduan). Pengaduan yang belum ditanggapi padahal batasnya lewat dihitung terlambat, sehingga "
        "bulan yang baru berjalan tidak tampak 100% tepat waktu. Tanggapan tanpa tanggal tidak dinilai, dan "
        "sumber yang tidak mencatat tanggal tanggapan tidak pernah dihitung terlambat.",
        "tanggapan tepat waktu ÷ (ditanggapi + belum ditanggapi yang sudah lewat batas)",
    ),
    "on_time_resolution_rate": GlossaryEntry(
        "Penyelesaian tepat waktu",
        "Bagian penyelesaian dalam batas waktu (bawaan 14 HK; 60 HK untuk pengaduan berkadar pengawasan; "
        "sebagian kategori punya batas sendiri). Pengaduan terbuka yang sudah lewat batas dihitung terlambat, "
        "bila sumbernya mencatat tanggal selesai; penyelesaian tanpa tanggal tidak dinilai.",
        "selesai tepat waktu ÷ (selesai + belum selesai yang sudah lewat batas)",
    ),
    "verification_on_time": GlossaryEntry(
        "Verifikasi: tepat waktu",
        "Banyaknya pengaduan terverifikasi dalam batas waktu (pembilang verifikasi tepat waktu).",
        "terverifikasi dengan HK(lapor, verifikasi) ≤ batas",
    ),
    "verification_late": GlossaryEntry(
        "Verifikasi: terlambat",
        "Diverifikasi melewati batas, ditambah yang belum diverifikasi padahal batasnya sudah lewat.",
        "terverifikasi dengan HK > batas + belum terverifikasi dengan HK(lapor, tanggal data) > batas",
    ),
    "response_on_time": GlossaryEntry(
        "Tanggapan: tepat waktu",
        "Banyaknya pengaduan yang ditanggapi dalam batas waktu (pembilang tanggapan tepat waktu).",
        "ditanggapi dengan HK(mulai tanggapan, tanggapan pertama) ≤ batas",
    ),
    "response_late": GlossaryEntry(
        "Tanggapan: terlambat",
        "Ditanggapi melewati batas, ditambah yang belum ditanggapi padahal batasnya sudah lewat.",
        "ditanggapi dengan HK > batas + belum ditanggapi dengan HK(mulai tanggapan, tanggal data) > batas",
    ),
    "resolution_on_time": GlossaryEntry(
        "Penyelesaian: tepat waktu",
        "Banyaknya pengaduan selesai dalam batas waktu (pembilang penyelesaian tepat waktu).",
        "selesai dengan HK(lapor, selesai) ≤ batas",
    ),
    "resolution_late": GlossaryEntry(
        "Penyelesaian: terlambat",
        "Selesai melewati batas, ditambah yang belum selesai padahal batasnya sudah lewat.",
        "selesai dengan HK > batas + belum selesai dengan HK(lapor, tanggal data) > batas",
    ),
    # ------------------------------------------------------------ outcome
    "satisfaction_mean": GlossaryEntry(
        "Rata-rata kepuasan pelapor",
        "Rata-rata nilai kepuasan (1–5) dari pengaduan dalam cakupan yang diberi nilai oleh pelapornya.",
        "jumlah nilai ÷ banyaknya pengaduan bernilai (satisfaction_count)",
    ),
    "repeat_rate": GlossaryEntry(
        "Pengaduan berulang",
        "Bagian pengaduan dalam cakupan dari pelapor yang sudah mengadukan hal berkategori sama paling lama "
        "60 hari sebelumnya (pengaduan sebelumnya juga dalam cakupan; duplikat lintas kanal tidak dihitung). "
        "Makin kecil makin baik.",
        "pengaduan berulang (repeat_complaints) ÷ dalam cakupan",
    ),
    "reopened": GlossaryEntry(
        "Dibuka kembali",
        "Pengaduan dalam cakupan periode yang dalam satu ekspor berstatus selesai lalu dalam ekspor sesudahnya "
        "(sampai tanggal data) berstatus belum selesai, bukan diarsipkan atau bukan wewenang. Ditutup belum "
        "tentu tuntas: pengaduan yang dibuka lalu diselesaikan lagi tetap dihitung sekali.",
        "dalam cakupan dengan riwayat status: selesai, lalu status terbuka pada ekspor berikutnya (≤ tanggal data)",
    ),
    "reopen_rate": GlossaryEntry(
        "Tingkat dibuka kembali",
        "Bagian pengaduan selesai yang pernah dibuka kembali. Makin kecil makin baik. Kosong (–) bila belum "
        "ada yang selesai.",
        "dibuka kembali ÷ selesai",
    ),
    # ------------------------------------------------------------ stock at as-of
    "due_soon": GlossaryEntry(
        "Segera jatuh tempo",
        "Pengaduan terbuka per tanggal data (dari periode mana pun) yang belum terlambat untuk langkah "
        "berikutnya, yaitu tindak lanjut pertama bila belum ada (dan sumbernya mencatat tanggalnya), selain itu "
        "penyelesaian, dan batas waktunya jatuh pada hari tanggal data atau dalam beberapa hari kerja sesudahnya "
        "(bawaan 2; sla.yaml: kpi.due_soon_days). Daftar kerja mingguan OPD berangkat dari angka ini.",
        "terbuka dengan 0 ≤ batas − HK(mulai langkah berikutnya, tanggal data) ≤ due_soon_days",
    ),
    "backlog_open": GlossaryEntry(
        "Tunggakan terbuka",
        "Pengaduan dalam cakupan (dari periode mana pun) yang dilaporkan sampai tanggal data dan belum "
        "selesai pada tanggal itu. Yang statusnya Selesai tanpa tanggal (dari ekspor bertanggal paling lambat "
        "tanggal data) sudah selesai; yang penyelesaiannya tidak diketahui tidak dihitung terbuka.",
        "tidak diarsipkan/bukan wewenang, lapor ≤ tanggal data, belum selesai per tanggal data",
    ),
    "backlog_overdue": GlossaryEntry(
        "Tunggakan lewat batas",
        "Bagian tunggakan terbuka yang umurnya sudah melewati batas waktu penyelesaiannya.",
        "tunggakan terbuka dengan HK(lapor, tanggal data) > batas penyelesaian",
    ),
    "backlog_aging": GlossaryEntry(
        "Umur tunggakan",
        "Tunggakan terbuka dikelompokkan menurut umurnya dalam hari kerja: 0–5, 6–14, 15–60, dan lebih dari 60.",
        "jumlah tunggakan terbuka per kelompok HK(lapor, tanggal data)",
    ),
    # ------------------------------------------------------------ breakdowns
    "rank": GlossaryEntry(
        "Peringkat",
        "Urutan unit (OPD, kategori, kanal, wilayah) menurut tanggapan tepat waktu, lalu tingkat tanggapan; "
        "yang lebih tinggi di atas, nilai sama mendapat peringkat sama.",
        "urut menurun: tanggapan tepat waktu, lalu tingkat tanggapan",
    ),
    "insufficient_data": GlossaryEntry(
        "Data tidak cukup",
        "Unit dengan pengaduan dalam cakupan kurang dari ambang minimum (bawaan 5) tidak diberi peringkat, "
        "agar unit dengan satu pengaduan yang kebetulan dijawab tepat waktu tidak menduduki puncak.",
        "dalam cakupan < min_sample",
    ),
    "category_trend": GlossaryEntry(
        "Tren kategori",
        "Perbandingan banyaknya pengaduan masuk per kategori dengan periode sebelumnya yang sama panjang "
        "(bulan, triwulan, semester, tahun sebelumnya; untuk rentang lain: jumlah hari yang sama tepat "
        "sebelumnya). Disebut naik atau turun hanya bila salah satu periode punya paling sedikit min_sample "
        "pengaduan.",
        "perubahan = masuk − masuk periode sebelumnya",
    ),
}


# entries that are terms, not keys of the compute() output
TERMS = frozenset({"hari_kerja", "as_of", "step_states"})


def entries(settings: Mapping[str, Any] | None = None) -> dict[str, GlossaryEntry]:
    """The glossary with the entries that state a setting (league, min_sample, duplicates, cuti bersama,
    comparison) written from ``settings`` (a compute() result or its ``settings``; None: the defaults
    of sla.yaml, as in docs/glosarium.md)."""
    out = dict(GLOSSARY)
    ms = rules_text.min_sample(settings)
    league = rules_text.league_text(settings)
    out["rank"] = GLOSSARY["rank"]._replace(
        help=f"Urutan unit (OPD, kategori, kanal, wilayah) menurut {league}; yang lebih tinggi di atas, nilai "
             "sama mendapat peringkat sama. Satu aturan untuk semua tampilan (dasbor, rapor, baris perintah, "
             "notebook), diatur admin dalam pengaturan SLA.",
        formula=f"urut menurun: {league}")
    out["insufficient_data"] = GLOSSARY["insufficient_data"]._replace(
        help=f"Unit dengan pengaduan dalam cakupan kurang dari {ms} (sla.yaml kpi.min_sample, satu ambang untuk "
             "semua angka) tidak diberi peringkat maupun nilai OPD, agar unit dengan satu pengaduan yang "
             "kebetulan dijawab tepat waktu tidak menduduki puncak. Angka yang dihitung dari kurang dari "
             f"{ms} pengaduan ditandai \"sampel kecil\".",
        formula=f"dalam cakupan < {ms}")
    out["hari_kerja"] = GLOSSARY["hari_kerja"]._replace(
        help=f"{rules_text.working_days_text(settings)}, ditambah perubahan lokal (kalender libur daerah "
             "yang diatur admin). Lama sebuah langkah dihitung dalam hari kerja: pengaduan yang "
             "masuk Sabtu dan dijawab Senin berikutnya butuh 1 HK; yang dijawab pada hari yang sama 0 HK.")
    out["received"] = GLOSSARY["received"]._replace(
        help=f"Semua pengaduan yang tanggal laporannya jatuh dalam periode, apa pun statusnya. "
             f"{rules_text.duplicates_text(settings)}")
    out["category_trend"] = GLOSSARY["category_trend"]._replace(
        help="Perbandingan banyaknya pengaduan masuk per kategori dengan periode pembanding yang sama panjang: "
             "bawaan periode yang sama tahun lalu (atau periode sebelumnya), dipotong sampai hari yang sama "
             "bila periode masih berjalan. Disebut naik atau turun hanya bila salah satu periode punya paling "
             f"sedikit {ms} pengaduan.")
    return out


def render_markdown() -> str:
    """The glossary as Markdown (the content of docs/glosarium.md)."""
    lines = [
        "# Glosarium KPI",
        "",
        "<!-- Dibuat dari pipelines/kpi/glossary.py: `python -m pipelines.kpi.glossary > docs/glosarium.md`. "
        "Jangan diubah langsung. -->",
        "",
        "Definisi angka yang tampil di dasbor, rapor dan `monev kpi`. Semua angka dihitung sekali, dengan "
        "aturan yang sama, dari gudang data; persentase tidak dibulatkan sampai saat ditampilkan.",
        "",
    ]
    for key, e in entries().items():
        lines += [f"## {e.label}", "", e.help, "", f"Rumus: {e.formula}", ""]
        if key not in TERMS:
            lines += [f"Kunci JSON: `{key}`", ""]
    return "\n".join(lines)


def label(key: str) -> str:
    """The Indonesian label of a KPI key (the key itself when unknown)."""
    e = GLOSSARY.get(key)
    return e.label if e else key


if __name__ == "__main__":
    print(render_markdown(), end="")
