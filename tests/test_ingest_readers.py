"""Readers and the messiness of input-formats.md, on small files made here."""

from __future__ import annotations

import datetime as dt
import json

import polars as pl
import pytest
import xlsxwriter

from pipelines.ingest import FileRefused, load_profiles, stage_file
from pipelines.masterdata import load_master_data

MD = load_master_data()
PROFILES = load_profiles(MD.config_dir)

LAPOR_HEADER = [
    "Tracking ID", "Tanggal Laporan", "Judul", "Isi Laporan", "Kategori", "Kanal", "Instansi Terdisposisi",
    "Status", "Tanggal Verifikasi", "Tanggal Disposisi", "Tanggal Tindak Lanjut", "Tanggal Selesai", "Kelurahan",
]


def lapor_row(i: int, **kw) -> list[str]:
    base = {
        "Tracking ID": str(4500000 + i),
        "Tanggal Laporan": "2024-07-08 09:15",
        "Judul": f"Laporan {i}",
        "Isi Laporan": f"Isi laporan nomor {i}",
        "Kategori": "Perhubungan",
        "Kanal": "Website",
        "Instansi Terdisposisi": "Dinas Perhubungan",
        "Status": "Selesai",
        "Tanggal Verifikasi": "2024-07-08 10:00",
        "Tanggal Disposisi": "2024-07-09 08:00",
        "Tanggal Tindak Lanjut": "2024-07-11 09:00",
        "Tanggal Selesai": "2024-07-15 10:00",
        "Kelurahan": "Sentul",
    }
    base.update(kw)
    return [base[h] for h in LAPOR_HEADER]


def write_csv(path, header, rows, *, sep=",", encoding="utf-8", bom=False, lead: list[str] = ()):
    def q(v: str) -> str:
        v = "" if v is None else str(v)
        return '"' + v.replace('"', '""') + '"' if any(c in v for c in (sep, '"', "\n")) else v

    lines = [*lead, sep.join(q(h) for h in header)] + [sep.join(q(v) for v in r) for r in rows]
    data = ("\r\n".join(lines) + "\r\n").encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def stage(path, **kw):
    return stage_file(path, MD, PROFILES, salt=b"test-salt", **kw)


# ---------------------------------------------------------------- CSV
@pytest.mark.parametrize("sep", [",", ";", "\t"])
@pytest.mark.parametrize(("encoding", "bom"), [("utf-8", False), ("utf-8", True), ("cp1252", False)])
def test_csv_delimiters_and_encodings(tmp_path, sep, encoding, bom):
    rows = [lapor_row(1, **{"Isi Laporan": "Jalan rusak – parah, ±30 cm"}), lapor_row(2)]
    p = write_csv(tmp_path / "lapor_2024-07-20.csv", LAPOR_HEADER, rows, sep=sep, encoding=encoding, bom=bom)
    sf = stage(p)
    assert sf.profile.name == "lapor"
    assert sf.delimiter == sep
    assert sf.rows.height == 2
    assert sf.rows["body"][0] == "Jalan rusak – parah, ±30 cm"
    assert sf.rows["complaint_key"].to_list() == ["lapor:4500001", "lapor:4500002"]
    assert sf.snapshot_date == dt.date(2024, 7, 20)


def test_csv_quoted_line_breaks_are_one_row(tmp_path):
    rows = [lapor_row(1, **{"Isi Laporan": "baris satu\nbaris dua\nbaris tiga"}), lapor_row(2)]
    sf = stage(write_csv(tmp_path / "lapor.csv", LAPOR_HEADER, rows))
    assert sf.rows["source_row"].to_list() == [2, 3]
    assert sf.rows["body"][0] == "baris satu\nbaris dua\nbaris tiga"
    assert sf.rows_read == 2


def test_csv_title_rows_above_the_header_and_row_numbers(tmp_path):
    lead = ["EKSPOR LAPORAN SP4N-LAPOR!", "Periode: Juli 2024", ""]
    sf = stage(write_csv(tmp_path / "lapor.csv", LAPOR_HEADER, [lapor_row(1), lapor_row(2)], lead=lead))
    assert sf.header_rows == [4]
    assert sf.rows["source_row"].to_list() == [5, 6]


def test_ids_as_excel_leaves_them(tmp_path):
    rows = [lapor_row(0, **{"Tracking ID": v}) for v in ("4517763.0", "0045", "4.517764E+06", "LPR-0007")]
    sf = stage(write_csv(tmp_path / "lapor.csv", LAPOR_HEADER, rows))
    assert sf.rows["source_id"].to_list() == ["4517763", "45", "4517764", "LPR-0007"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-07-08 09:15", dt.datetime(2024, 7, 8, 9, 15)),
        ("08/07/2024", dt.datetime(2024, 7, 8)),
        ("8-7-2024", dt.datetime(2024, 7, 8)),
        ("08 Juli 2024", dt.datetime(2024, 7, 8)),
        ("8 Jul 2024 09.15", dt.datetime(2024, 7, 8, 9, 15)),
        ("Senin, 08 Juli 2024", dt.datetime(2024, 7, 8)),
        ("13 Agu 2024", dt.datetime(2024, 8, 13)),
        ("1 Agt 2024", dt.datetime(2024, 8, 1)),
        ("5 Okt 2024", dt.datetime(2024, 10, 5)),
        ("24 Des 2024 23:59", dt.datetime(2024, 12, 24, 23, 59)),
        ("45481", dt.datetime(2024, 7, 8)),
        ("45481.375", dt.datetime(2024, 7, 8, 9, 0)),
        ("2024-07-08T02:15:00Z", dt.datetime(2024, 7, 8, 9, 15)),
        ("-", None),
        ("", None),
    ],
)
def test_every_listed_date_form(tmp_path, raw, expected):
    rows = [lapor_row(1, **{"Tanggal Selesai": raw, "Tanggal Laporan": "01/07/2024"})]
    sf = stage(write_csv(tmp_path / "lapor.csv", LAPOR_HEADER, rows))
    assert sf.rows["resolved_at"][0] == expected


def test_status_labels_mixed_case_and_synonyms(tmp_path):
    labels = ["SELESAI", "sedang diproses", "Belum Ditindaklanjuti", " tuNtas ", "Tidak Valid", "Dialihkan", "Sudah dibaca"]
    rows = [lapor_row(i, Status=s) for i, s in enumerate(labels)]
    sf = stage(write_csv(tmp_path / "lapor.csv", LAPOR_HEADER, rows))
    assert sf.rows["status"].to_list() == [
        "resolved", "in_progress", "awaiting_response", "resolved", "archived", "not_authority", None,
    ]
    assert sf.rows["status_label"][6] == "Sudah dibaca"  # unknown: kept for the quarantine message, never guessed


def test_department_alias_typo_and_unmatched_with_suggestions(tmp_path):
    names = ["DPUPR", "  Dinas   Perhubngan ", "Dishub Kota Blitar", "Perumda Air Minum Tirta Penataran", ""]
    rows = [lapor_row(i, **{"Instansi Terdisposisi": n}) for i, n in enumerate(names)]
    sf = stage(write_csv(tmp_path / "lapor.csv", LAPOR_HEADER, rows))
    assert sf.rows["department"].to_list() == [
        "Dinas Pekerjaan Umum dan Penataan Ruang", "Dinas Perhubungan", "Dinas Perhubungan", None, None,
    ]
    assert sf.rows["department_raw"][3] == "Perumda Air Minum Tirta Penataran"
    assert sf.rows["department_raw"][4] is None  # empty = not yet dispositioned, legal
    unmatched = [n for n in sf.names if n.kind == "department" and n.value is None]
    assert [n.raw for n in unmatched] == ["Perumda Air Minum Tirta Penataran"]
    assert len(unmatched[0].suggestions) == 3


def test_kecamatan_is_filled_from_the_kelurahan(tmp_path):
    header = [*LAPOR_HEADER, "Kecamatan"]
    rows = [
        [*lapor_row(1, Kelurahan="Kepanjen Lor"), ""],
        [*lapor_row(2, Kelurahan="Kel. Gedog"), "Sananwetan"],
    ]
    sf = stage(write_csv(tmp_path / "lapor.csv", header, rows))
    assert sf.rows["kelurahan"].to_list() == ["Kepanjenlor", "Gedog"]
    assert sf.rows["kecamatan"].to_list() == ["Kepanjenkidul", "Sananwetan"]


def test_header_spellings_are_tolerant(tmp_path):
    header = ["tracking_id", "TGL. LAPORAN", "status laporan", "isi", "Disposisi", "tgl_selesai"]
    rows = [["1", "08/07/2024", "Selesai", "x", "Dinkes", "10/07/2024"]]
    sf = stage(write_csv(tmp_path / "x.csv", header, rows))
    assert sf.profile.name == "lapor"
    assert sf.rows["department"][0] == "Dinas Kesehatan"
    assert sf.rows["resolved_at"][0] == dt.datetime(2024, 7, 10)


def test_formula_cells_are_unwrapped(tmp_path):
    rows = [lapor_row(1, **{"Tracking ID": '=HYPERLINK("https://www.lapor.go.id/laporan/detil/4517763";"4517763")'})]
    rows.append(lapor_row(2, **{"Tracking ID": '="0007"'}))
    sf = stage(write_csv(tmp_path / "lapor.csv", LAPOR_HEADER, rows, sep=";"))
    assert sf.rows["source_id"].to_list() == ["4517763", "7"]


# ---------------------------------------------------------------- XLSX (rekap)
def write_rekap_xlsx(path, *, channel_title="WHATSAPP", extra_rows=None):
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Rekap")
    ws.merge_range(0, 0, 0, 8, "PEMERINTAH KOTA BLITAR")
    ws.merge_range(1, 0, 1, 8, f"REKAP PENGADUAN {channel_title} TAHUN 2024")
    # Two-row header: "Tanggal" merged over "Lapor" / "Selesai".
    ws.write(3, 0, "No")
    ws.merge_range(3, 1, 3, 2, "Tanggal")
    ws.write_row(3, 3, ["Nama", "No. HP", "Isi Pengaduan", "OPD", "Kelurahan", "No. Register"])
    ws.write_row(4, 1, ["Lapor", "Selesai"])
    date_fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    ws.merge_range(5, 0, 5, 8, "JULI 2024")
    ws.write_row(6, 0, [1])
    ws.write_datetime(6, 1, dt.datetime(2024, 7, 8), date_fmt)
    ws.write_row(6, 2, ["10 Juli 2024", "Siti", "081298765432", "Lampu jalan mati, hub 0812-9876-5432", "Dishub", "Sentul"])
    ws.write_number(6, 8, 101)
    ws.write_row(7, 0, [2, 45483, "", "Joko", "", "Sampah menumpuk di Jl. Kalimantan", "DLH", "Bendogerit", 102])
    # a blank line between months, a month title, a row with only its running number
    ws.merge_range(9, 0, 9, 8, "AGUSTUS 2024")
    ws.write_row(10, 0, [3, "01/08/2024", "", "Ani", "", "Pohon tumbang", "BPBD", "Gedog", 103])
    ws.write_row(11, 0, [4])
    ws.write_row(12, 0, ["Jumlah", "", "", "", "", 3])
    for r, row in enumerate(extra_rows or [], start=13):
        ws.write_row(r, 0, row)
    wb.close()
    return path


def test_rekap_xlsx_title_block_merged_header_blank_and_total_rows(tmp_path):
    sf = stage(write_rekap_xlsx(tmp_path / "rekap_2024.xlsx"))
    assert sf.profile.name == "rekap"
    assert sf.header_rows == [5]
    assert sf.channel == "WhatsApp" and sf.channel_source == "title"
    r = sf.rows
    assert r["source_row"].to_list() == [7, 8, 11]
    assert r["reported_at"].to_list() == [dt.datetime(2024, 7, 8), dt.datetime(2024, 7, 10), dt.datetime(2024, 8, 1)]
    assert r["resolved_at"][0] == dt.datetime(2024, 7, 10)
    assert r["complaint_key"].to_list() == ["rekap:whatsapp:101", "rekap:whatsapp:102", "rekap:whatsapp:103"]
    assert r["department"].to_list() == ["Dinas Perhubungan", "Dinas Lingkungan Hidup", "Badan Penanggulangan Bencana Daerah"]
    # sheet rows 6..13 after the header: 3 data, 2 month titles, 2 blank (one with only its "No"), 1 total
    assert sf.rows_read == 8
    assert sf.skipped == {"title": 2, "blank": 2, "subtotal": 1}
    assert sf.rows_read == r.height + sum(sf.skipped.values())
    # no verification step in rekap; status derived from the dates
    assert r["status"].to_list() == ["resolved", "awaiting_response", "awaiting_response"]


def test_rekap_channel_from_the_file_name(tmp_path):
    sf = stage(write_rekap_xlsx(tmp_path / "rekap_ulpim_2024.xlsx", channel_title=""))
    assert sf.channel == "ULPIM" and sf.channel_source == "file_name"
    assert sf.rows["complaint_key"][0] == "rekap:ulpim:101"


def test_rekap_channel_marker_written_by_monev_ingest(tmp_path):
    sf = stage(write_rekap_xlsx(tmp_path / "rekap_2024__kanal-instagram.xlsx", channel_title=""))
    assert sf.channel == "Instagram"


def test_rekap_whose_channel_cannot_be_known_is_refused(tmp_path):
    with pytest.raises(FileRefused) as ei:
        stage(write_rekap_xlsx(tmp_path / "rekap_2024.xlsx", channel_title=""))
    assert ei.value.reason == "channel_unknown"
    assert "rekap_2024.xlsx" in ei.value.message and "--kanal" in ei.value.message


def test_rekap_without_register_number_gets_a_stable_derived_id(tmp_path):
    header = ["No", "Tanggal", "Isi Pengaduan"]
    rows = [["1", "08/07/2024", "Jalan rusak"], ["2", "08/07/2024", "Jalan rusak"], ["3", "09/07/2024", "PJU mati"]]
    a = stage(write_csv(tmp_path / "rekap_wa_a.csv", header, rows)).rows["complaint_key"].to_list()
    b = stage(write_csv(tmp_path / "rekap_wa_b.csv", header, rows)).rows["complaint_key"].to_list()
    assert a == b
    assert a[0].startswith("rekap:whatsapp:20240708-") and a[1] == a[0] + "~2"
    assert len(set(a)) == 3


def test_xlsx_serial_dates_numbers_and_hyperlinks(tmp_path):
    p = tmp_path / "lapor_2024-07-20.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    ws = wb.add_worksheet()
    ws.write_row(0, 0, ["Tracking ID", "Tanggal Laporan", "Status", "Isi Laporan", "", ""])
    ws.write_number(1, 0, 4517763)
    ws.write_number(1, 1, 45481.5)
    ws.write_row(1, 2, ["Selesai"])
    ws.write_formula(1, 3, '=HYPERLINK("http://x/1","Jalan rusak")', None, "Jalan rusak")
    wb.close()
    sf = stage(p)
    assert sf.rows["source_id"][0] == "4517763"
    assert sf.rows["reported_at"][0] == dt.datetime(2024, 7, 8, 12, 0)
    assert sf.rows["body"][0] == "Jalan rusak"


# ---------------------------------------------------------------- Open311
def open311_records():
    return [
        {"service_request_id": "A1", "status": "closed", "status_notes": "Sudah diperbaiki",
         "service_name": "Perhubungan", "description": "Lampu lalu lintas mati", "agency_responsible": "Dishub",
         "requested_datetime": "2024-07-08T02:15:00Z", "updated_datetime": "2024-07-10T03:00:00+00:00",
         "address": "Jl. Merdeka", "lat": -8.09, "long": 112.16},
        {"service_request_id": 2, "status": "open", "status_notes": "Dijadwalkan",
         "service_name": "Pekerjaan Umum dan Penataan Ruang", "description": "Jalan berlubang",
         "agency_responsible": "Dinas PUPR", "requested_datetime": "2024-07-09T08:00:00+07:00",
         "updated_datetime": "2024-07-11T09:30:00+07:00"},
        {"service_request_id": "A3", "status": "open", "status_notes": None, "service_name": "Kesehatan",
         "description": "Antrean lama", "agency_responsible": "Dinkes",
         "requested_datetime": "2024-07-09T10:00:00+07:00", "updated_datetime": None},
    ]


@pytest.mark.parametrize("wrapped", [False, True])
def test_open311_json_mapping(tmp_path, wrapped):
    recs = open311_records()
    p = tmp_path / "requests.json"
    p.write_text(json.dumps({"service_requests": recs} if wrapped else recs), encoding="utf-8")
    r = stage(p).rows
    assert r["complaint_key"].to_list() == ["open311:A1", "open311:2", "open311:A3"]
    assert r["status"].to_list() == ["resolved", "in_progress", "awaiting_response"]
    assert r["reported_at"][0] == dt.datetime(2024, 7, 8, 9, 15)  # UTC -> WIB
    assert r["resolved_at"].to_list() == [dt.datetime(2024, 7, 10, 10, 0), None, None]
    assert r["first_response_at"].to_list() == [dt.datetime(2024, 7, 10, 10, 0), dt.datetime(2024, 7, 11, 9, 30), None]
    assert r["verified_at"].null_count() == 3 and r["dispatched_at"].null_count() == 3
    assert r["channel"].unique().to_list() == ["Open311"]
    assert r["department"].to_list() == ["Dinas Perhubungan", "Dinas Pekerjaan Umum dan Penataan Ruang", "Dinas Kesehatan"]
    assert r["source_row"].to_list() == [1, 2, 3]


def test_open311_csv(tmp_path):
    recs = open311_records()
    header = list(recs[0])
    rows = [[("" if rec.get(h) is None else str(rec.get(h))) for h in header] for rec in recs]
    sf = stage(write_csv(tmp_path / "open311_export.csv", header, rows))
    assert sf.profile.name == "open311_csv"
    assert sf.rows["status"].to_list() == ["resolved", "in_progress", "awaiting_response"]


# ---------------------------------------------------------------- broken files
def _refused(path) -> FileRefused:
    with pytest.raises(FileRefused) as ei:
        stage(path)
    msg = ei.value.message
    assert path.name in msg and msg.startswith(f"Berkas {path.name} ditolak:")
    assert "\n" not in msg  # one paragraph
    return ei.value


def test_empty_file(tmp_path):
    p = tmp_path / "lapor.csv"
    p.write_bytes(b"")
    assert _refused(p).reason == "empty"


def test_header_only(tmp_path):
    assert _refused(write_csv(tmp_path / "lapor.csv", LAPOR_HEADER, [])).reason == "header_only"


def test_truncated_xlsx(tmp_path):
    good = write_rekap_xlsx(tmp_path / "rekap_wa.xlsx")
    p = tmp_path / "rekap_wa_potong.xlsx"
    p.write_bytes(good.read_bytes()[:1500])
    assert _refused(p).reason == "unreadable"


def test_pdf_renamed_xlsx(tmp_path):
    p = tmp_path / "lapor_2024-07.xlsx"
    p.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")
    e = _refused(p)
    assert e.reason == "pdf" and "PDF" in e.message


def test_wrong_columns_name_the_missing_ones_and_how_to_add_a_profile(tmp_path):
    p = write_csv(tmp_path / "data.csv", ["Tracking ID", "Tanggal Laporan", "Catatan"], [["1", "08/07/2024", "x"]])
    e = _refused(p)
    assert e.reason == "missing_columns"
    assert "status" in e.message and "config/profiles" in e.message and "aliases" in e.message


def test_only_title_total_and_blank_rows_is_refused(tmp_path):
    p = write_csv(tmp_path / "rekap_wa.csv", ["No", "Tanggal", "Isi Pengaduan"], [["", "", ""], ["Jumlah", "", "0"]])
    assert _refused(p).reason == "no_data"


def test_forced_profile(tmp_path):
    p = write_csv(tmp_path / "x.csv", ["Tanggal", "Isi"], [["08/07/2024", "Jalan rusak"]])
    sf = stage(p, profile_name="rekap", channel_override="Radio")
    assert sf.profile.name == "rekap" and sf.channel == "Radio"
    assert sf.rows["complaint_key"][0].startswith("rekap:radio:")
    assert isinstance(sf.rows, pl.DataFrame)


def test_trailing_empty_columns_and_separators_are_ignored(tmp_path):
    # Excel leaves empty columns (and their separators) to the right of the data.
    header = [*LAPOR_HEADER, "", "", ""]
    rows = [[*lapor_row(1), "", "", ""], [*lapor_row(2), "", "", ""]]
    sf = stage(write_csv(tmp_path / "lapor.csv", header, rows, sep=";"))
    assert sf.profile.name == "lapor" and sf.rows.height == 2 and sf.rows_read == 2
    assert [f for _, f in sf.columns if f] == [
        "source_id", "reported_at", "title", "body", "category", "channel", "department", "status",
        "verified_at", "dispatched_at", "first_response_at", "resolved_at", "kelurahan",
    ]
    assert sf.rows["kelurahan"].to_list() == ["Sentul", "Sentul"]


def test_latin1_file_with_a_semicolon_title_block(tmp_path):
    # Windows-1252 bytes that are not valid UTF-8 (é, ±), a kop above the header.
    rows = [lapor_row(1, **{"Judul": "Café di Jl. Ciliwung", "Isi Laporan": "bising ±2 jam"})]
    p = write_csv(tmp_path / "lapor_2024-07-20.csv", LAPOR_HEADER, rows, sep=";", encoding="cp1252",
                  lead=["PEMERINTAH KOTA BLITAR;;;", "Ekspor SP4N-LAPOR!;;;"])
    sf = stage(p)
    assert sf.encoding and sf.encoding.lower().replace("-", "").replace("_", "") in {"cp1252", "windows1252", "latin1",
                                                                                      "iso88591"}
    assert sf.header_rows == [3]
    assert (sf.rows["title"][0], sf.rows["body"][0]) == ("Café di Jl. Ciliwung", "bising ±2 jam")


def test_a_large_file_with_a_very_long_cell(tmp_path):
    # "a huge file": many rows and one cell far longer than any spreadsheet shows; nothing is cut or lost.
    n = 50_000
    long_body = "Jalan rusak parah. " * 10_000  # 190.000 characters
    rows = [lapor_row(i) for i in range(n)]
    rows[123] = lapor_row(123, **{"Isi Laporan": long_body})
    sf = stage(write_csv(tmp_path / "lapor_2024-07-20.csv", LAPOR_HEADER, rows, sep=";"))
    assert sf.rows_read == n and sf.rows.height == n and sf.rows_skipped == 0
    assert sf.rows["complaint_key"].n_unique() == n
    assert sf.rows.filter(pl.col("source_row") == 125)["body"][0] == long_body.strip()
