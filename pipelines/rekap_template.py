"""The clean rekap template (XLSX) offered on the upload page for hand-kept local channels.

One header row whose names the built-in ``rekap`` mapping profile reads, drop-down lists from the
master data (kanal, kategori, OPD, kecamatan, kelurahan, status), date cells, and a sheet of
instructions. It has no column for the reporter's name, phone, e-mail or NIK: the monev does not
need them, so they are better not typed at all.
"""

from __future__ import annotations

import datetime as dt
import io

from pipelines.masterdata import MasterData
from pipelines.safe_export import new_workbook, write_cell

# (header as the rekap profile reads it, width, note shown on the header, master list or None, kind)
COLUMNS: tuple[tuple[str, int, str, str | None, str], ...] = (
    ("No Register", 16, "Nomor register/agenda pengaduan di kanal ini (unik per kanal).", None, "text"),
    ("Tanggal", 13, "Tanggal pengaduan diterima (tanggal saja, tanpa jam). Wajib.", None, "date"),
    ("Kanal", 18, "Kanal penerimaan. Boleh kosong bila nama berkas menyebut kanalnya.", "channel", "list"),
    ("Judul", 40, "Judul singkat. Jangan tulis nama, nomor HP, email atau NIK pelapor.", None, "text"),
    ("Isi Pengaduan", 60, "Isi pengaduan. Wajib. Jangan tulis data pribadi pelapor.", None, "text"),
    ("Kategori", 34, "Kategori (pilih dari daftar).", "category", "list"),
    ("Klasifikasi", 20, "Pengaduan, aspirasi, atau permintaan informasi.", "classification", "list"),
    ("OPD", 40, "OPD tujuan disposisi (pilih dari daftar).", "department", "list"),
    ("Kecamatan", 16, "Kecamatan lokasi kejadian.", "kecamatan", "list"),
    ("Kelurahan", 16, "Kelurahan lokasi kejadian (kecamatan terisi otomatis bila kosong).", "kelurahan", "list"),
    ("Status", 22, "Status terakhir (boleh kosong: diturunkan dari tanggal yang terisi).", "status", "list"),
    ("Tanggal Disposisi", 16, "Tanggal diteruskan ke OPD.", None, "date"),
    ("Tanggal Tindak Lanjut", 18, "Tanggal tanggapan/tindak lanjut pertama OPD.", None, "date"),
    ("Tanggal Selesai", 15, "Tanggal pengaduan selesai.", None, "date"),
)
DATA_ROWS = 1000


def _lists(md: MasterData) -> dict[str, list[str]]:
    status_names = {
        "unverified": "Belum Terverifikasi", "awaiting_response": "Belum Ditindaklanjuti",
        "in_progress": "Dalam Proses", "resolved": "Selesai", "postponed": "Ditunda", "archived": "Diarsipkan",
        "not_authority": "Bukan Wewenang",
    }
    statuses = [md.status_display.get(k, v) for k, v in status_names.items()]
    return {
        "channel": [c.name for c in md.channels if c.source == "lokal"],
        "category": md.category_names,
        "classification": [c.name for c in md.classifications],
        "department": md.department_names,
        "kecamatan": md.kecamatan_names,
        "kelurahan": md.kelurahan_names,
        "status": statuses,
    }


def template_xlsx(md: MasterData) -> bytes:
    """The rekap template as XLSX bytes (sheets: Rekap, Petunjuk, Daftar)."""
    buf = io.BytesIO()
    wb = new_workbook(buf, title="Templat rekap pengaduan kanal lokal")
    head = wb.add_format({"bold": True, "bg_color": "#1F3B57", "font_color": "#FFFFFF", "border": 1,
                          "text_wrap": True, "valign": "top"})
    date_f = wb.add_format({"num_format": "dd/mm/yyyy"})
    text_f = wb.add_format({"text_wrap": False})
    ws = wb.add_worksheet("Rekap")
    lists = _lists(md)
    lst = wb.add_worksheet("Daftar")
    ranges: dict[str, str] = {}
    for c, (key, values) in enumerate(lists.items()):
        write_cell(lst, 0, c, key, head)
        for r, v in enumerate(values, start=1):
            write_cell(lst, r, c, v)
        col = chr(ord("A") + c)
        ranges[key] = f"=Daftar!${col}$2:${col}${max(2, len(values) + 1)}"
        lst.set_column(c, c, max([len(key), *(len(v) for v in values)]) + 2)
    lst.hide()
    for c, (header, width, note, source, kind) in enumerate(COLUMNS):
        write_cell(ws, 0, c, header, head)
        ws.write_comment(0, c, note, {"x_scale": 2, "y_scale": 1.2})
        ws.set_column(c, c, width, date_f if kind == "date" else text_f)
        if kind == "date":
            ws.data_validation(1, c, DATA_ROWS, c, {
                "validate": "date", "criteria": ">=", "value": dt.date(2000, 1, 1),
                "error_title": "Tanggal tidak sah", "error_message": "Isi tanggal, mis. 08/07/2025.",
            })
        elif source is not None and lists.get(source):
            ws.data_validation(1, c, DATA_ROWS, c, {
                "validate": "list", "source": ranges[source], "ignore_blank": True,
                "error_type": "warning", "error_title": "Di luar daftar",
                "error_message": "Nilai ini tidak ada di data induk; periksa ejaannya.",
            })
    ws.freeze_panes(1, 0)
    ws.set_row(0, 32)
    guide = wb.add_worksheet("Petunjuk")
    lines = [
        "Templat rekap pengaduan kanal lokal (Monev Pengaduan)",
        "",
        "1. Isi satu baris per pengaduan di lembar 'Rekap', mulai baris 2. Jangan ubah judul kolom.",
        "2. Wajib: Tanggal dan Isi Pengaduan. Kolom lain diisi bila diketahui.",
        "3. Pilih Kanal, Kategori, OPD, Kecamatan, Kelurahan dan Status dari daftar (panah di sel).",
        "4. Tanggal ditulis sebagai tanggal (mis. 08/07/2025), tanpa jam.",
        "5. JANGAN menulis nama, nomor HP, email atau NIK pelapor di kolom mana pun.",
        "6. Simpan satu berkas per kanal dan bulan, mis. rekap_whatsapp_2025-07.xlsx, lalu unggah di halaman "
        "Unggah Data dasbor (atau salin ke folder data/raw).",
        "7. Pengaduan yang sama di bulan berikutnya boleh muncul lagi dengan status terbaru: No Register yang "
        "sama membuatnya dikenali sebagai pengaduan yang sama.",
    ]
    guide.set_column(0, 0, 110)
    bold = wb.add_format({"bold": True, "font_size": 13})
    for r, line in enumerate(lines):
        write_cell(guide, r, 0, line, bold if r == 0 else None)
    wb.close()
    return buf.getvalue()
