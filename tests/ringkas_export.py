"""A SP4N-LAPOR! "Laporan Ringkas" export written from the documented layout
(../shared/domain/input-formats.md, section 1a), for a pemda given by name.

Rows are ``RingkasRow`` values; the writer puts them under the title block (rows 1-10,
header in row 11) or with the header in row 1. All cells are text, as in the real export.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import xlsxwriter

HEADER = [
    "Tracking ID", "Tanggal Laporan Masuk", "Waktu Laporan Masuk", "Klasifikasi Laporan", "ID Kategori", "Kategori",
    "Judul Laporan", "Isi Laporan Awal", "Isi Laporan Akhir", "Tipe Laporan (Anonim/Rahasia)", "Sumber Laporan",
    "Instansi Induk", "Instansi Terdisposisi", "Status Laporan", "Alasan Tunda/Arsip", "Provinsi", "Kota/Kabupaten",
    "Kecamatan", "Kelurahan",
]


@dataclass
class RingkasRow:
    tracking_id: str
    date: str  # "29 May 2023"
    time: str  # "04:05:34"
    opd: str  # "Dinas Perhubungan Kab. Sleman" or ""
    status: str  # "Ditutup oleh Sistem"
    classification: str = "Pengaduan Tidak Berkadar Pengawasan"
    category_id: str = "12"
    category: str = "Jalan Berlubang"
    title: str = "Jalan rusak"
    body: str = "Mohon perbaikan jalan"
    tipe: str = ""
    source: str = "Website"
    kecamatan: str = ""
    kelurahan: str = ""
    provinsi: str = ""
    kota: str = ""


def write_ringkas(path: Path, rows: list[RingkasRow], *, nama_instansi: str, provinsi: str, kota: str,
                  generated: str = "2025-11-14", periode: str = "(2024-01-01) - (2024-12-31)",
                  title_block: bool = True) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Laporan Ringkas")
    r = 0
    if title_block:
        for label, value in (("Judul Laporan", "Laporan Ringkas"), ("Nama Instansi", nama_instansi),
                             ("Tanggal Generate", generated), ("Periode Masuk", periode), ("Pengelola", "")):
            ws.write_string(r, 0, label)
            ws.write_string(r, 2, value)
            r += 2  # a blank row between
        r = 10  # header in row 11
    for c, h in enumerate(HEADER):
        ws.write_string(r, c, h)
    for i, row in enumerate(rows, start=r + 1):
        values = [
            row.tracking_id, row.date, row.time, row.classification, row.category_id, row.category, row.title,
            row.body, row.body, row.tipe, row.source, nama_instansi, row.opd, row.status, "",
            row.provinsi or provinsi, row.kota or kota, row.kecamatan, row.kelurahan,
        ]
        for c, v in enumerate(values):
            if v != "":
                ws.write_string(i, c, v)
    wb.close()
    return path
