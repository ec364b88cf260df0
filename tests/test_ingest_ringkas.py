"""The real SP4N-LAPOR! "Laporan Ringkas" export (input-formats.md 1a), built in.

The fixtures are written here from the documented layout (not copied from any
file), in both shapes: a title block in rows 1-10 with the header in row 11,
and the header in row 1. All cells are text, as in the real export. They load
with the built-in configuration only, and the counts are checked by hand.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path

import duckdb
import pytest
import xlsxwriter

from pipelines.build.core import run_pipeline
from pipelines.ingest import matching
from pipelines.ingest.canonical import stage_file
from pipelines.ingest.profiles import load_profiles, parse_profile
from pipelines.ingest.readers import title_block
from pipelines.kpi.api import compute
from pipelines.masterdata import ConfigError, load_master_data
from pipelines.settings import DEFAULT_CONFIG_DIR, Paths

HEADER = [
    "Tracking ID", "Tanggal Laporan Masuk", "Waktu Laporan Masuk", "Klasifikasi Laporan", "ID Kategori", "Kategori",
    "Judul Laporan", "Isi Laporan Awal", "Isi Laporan Akhir", "Tipe Laporan (Anonim/Rahasia)", "Sumber Laporan",
    "Instansi Induk", "ID Instansi Terdisposisi", "Instansi Terdisposisi", "Status Laporan", "Alasan Tunda/Arsip",
    "Provinsi", "Kota/Kabupaten",
]
TITLE = [
    ("Judul Laporan", "Laporan Ringkas"),
    ("Nama Instansi", "Pemerintah Kota Blitar"),
    ("Tanggal Generate", "2025-11-14"),
    ("Periode Masuk", "(2023-12-01) - (2024-12-31)"),
    ("Pengelola", ""),
]
LOK = " Lokasi Kejadian Kota Blitar | {kec} | {kel} | Jl. Merdeka {n}"
PEMDA = "Pemerintah Kota Blitar"


def _r(tid, date, time, status, *, cls="Pengaduan Tidak Berkadar Pengawasan", cat_id="", cat="Jalan Berlubang",
       tipe="", src="Website", opd="Dinas Perhubungan Kota Blitar", reason="", kec="Sukorejo", kel="Tlumpu",
       akhir=True):
    body = f"Laporan {tid} tentang jalan." + LOK.format(kec=kec, kel=kel, n=tid)
    return [tid, date, time, cls, cat_id, cat, f"Judul {tid}", body, body if akhir else "", tipe, src, PEMDA,
            "", opd, status, reason, "Jawa Timur", "Kota Blitar"]


# Hand counts below refer to this list (A = Tanggal Generate 2025-11-14).
ROWS = [
    _r("4100001", "5 Jan 2024", "08:15:00", "Ditutup oleh Sistem", cls="Pengaduan Berkadar Pengawasan",
       tipe="Anonim", src="Android"),
    _r("4100002", "20 Jan 2024", "14:00:05", "Ditutup oleh Admin", cat="Lainnya terkait Infrastruktur Jalan",
       tipe="Rahasia", src="Website - pemerintah-kota-blitar"),
    _r("4100003", "3 Feb 2024", "09:30:00", "Ditutup oleh Pelapor", tipe="Anonim|Rahasia", src="Whatsapp",
       opd="Dinas Kesehatan Kota Blitar", cat="Pelayanan Kesehatan", kec="Sananwetan", kel="Klampok"),
    _r("4100004", "14 Feb 2024", "10:00:00", "Diarsipkan oleh Sistem", reason="Tidak ada tanggapan pelapor"),
    _r("4100005", "1 Mar 2024", "11:11:11", "Diarsipkan oleh Admin", reason="Duplikat laporan 4100001", opd=""),
    _r("4100006", "9 March 2024", "07:00:00", "Konten Terblokir", src="SMS", opd=""),
    _r("4100007", "10 Apr 2024", "16:45:00", "Menunggu Kelengkapan Informasi", reason="Mohon lengkapi lokasi",
       src="Hotline Service", opd="", akhir=False),
    _r("4100008", "15 May 2024", "04:05:34", "Belum Terverifikasi", src="Instagram", opd="", cls=""),
    _r("4100009", "20 Jun 2024", "13:00:00", "Ditutup oleh Sistem", cls="Aspirasi", src="Email Instansi",
       kec="Kepanjenkidul", kel="Sentul"),
    _r("4100010", "31 Dec 2024", "23:59:59", "Ditutup oleh Admin", cls="Permintaan Informasi", src="Tatap Muka",
       cat="Penerangan Jalan"),
    _r("4100011", "30 Dec 2023", "12:00:00", "Ditutup oleh Sistem", src="Pos Surat"),
    _r("4100012", "1 Jul 2024", "08:00:00", "Diarsipkan oleh Pelapor", cat="Kategori Nasional Baru", opd=""),
    _r("4100013", "2 Jul 2024", "08:30:00", "Diarsipkan oleh Admin", cat="Kategori Nasional Baru", opd=""),
]


def write_ringkas(path: Path, *, title_block_rows: bool, rows: list[list[str]] = ROWS) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Laporan Ringkas")
    r = 0
    if title_block_rows:
        for label, value in TITLE:  # rows 1, 3, 5, 7, 9; blank rows between; header in row 11
            ws.write_string(r, 0, label)
            ws.write_string(r, 1, "")
            ws.write_string(r, 2, value)
            r += 2
        r = 10
    for j, h in enumerate(HEADER):
        ws.write_string(r, j, h)
    for row in rows:
        r += 1
        for j, v in enumerate(row):
            ws.write_string(r, j, v)
    wb.close()
    return path


@pytest.fixture(autouse=True)
def _salt(monkeypatch):
    monkeypatch.setenv("MONEV_PII_SALT", "test-salt")


@pytest.fixture(scope="module")
def md():
    return load_master_data(DEFAULT_CONFIG_DIR)


@pytest.fixture(scope="module")
def profiles():
    return load_profiles(DEFAULT_CONFIG_DIR)


def test_title_block_pairs():
    rows = [["Judul Laporan", "", "Laporan Ringkas"], [], ["Nama Instansi", "", "Pemerintah Kabupaten Bandung"],
            ["", "", ""], ["Tanggal Generate", "", "2025-11-14"], ["Pengelola", "", ""]]
    assert title_block(rows) == {
        "Judul Laporan": "Laporan Ringkas", "Nama Instansi": "Pemerintah Kabupaten Bandung",
        "Tanggal Generate": "2025-11-14", "Pengelola": "",
    }
    assert title_block([["DAFTAR LAPORAN SP4N-LAPOR! PEMERINTAH KOTA BLITAR"]]) == {}


@pytest.mark.parametrize("with_title", [True, False])
def test_both_shapes_stage_with_the_builtin_profile(tmp_path, md, profiles, with_title):
    f = write_ringkas(tmp_path / "laporan.xlsx", title_block_rows=with_title)
    sf = stage_file(f, md, profiles)
    assert sf.profile.name == "lapor_ringkas"
    assert sf.header_rows == [11 if with_title else 1]
    assert sf.rows.height == len(ROWS) and sf.rows_skipped == 0
    if with_title:
        assert (sf.snapshot_date, sf.snapshot_date_source) == (dt.date(2025, 11, 14), "title_block")
        assert sf.title_block["Nama Instansi"] == "Pemerintah Kota Blitar"
    else:  # no title block: the latest timestamp inside, as for any export without a date in its name
        assert (sf.snapshot_date, sf.snapshot_date_source) == (dt.date(2024, 12, 31), "content")
    r = {row["source_id"]: row for row in sf.rows.iter_rows(named=True)}
    assert r["4100001"]["reported_at"] == dt.datetime(2024, 1, 5, 8, 15)
    assert r["4100006"]["reported_at"] == dt.datetime(2024, 3, 9, 7, 0)  # "March" spelled out
    assert r["4100008"]["reported_at"] == dt.datetime(2024, 5, 15, 4, 5, 34)
    # statuses and what they imply
    assert {k: v["status"] for k, v in r.items()} == {
        "4100001": "resolved", "4100002": "resolved", "4100003": "resolved", "4100004": "archived",
        "4100005": "archived", "4100006": "archived", "4100007": "postponed", "4100008": "unverified",
        "4100009": "resolved", "4100010": "resolved", "4100011": "resolved", "4100012": "archived",
        "4100013": "archived",
    }
    assert r["4100001"]["status_implies"] == ["response"] and r["4100002"]["status_implies"] is None
    assert all(not (v["times_verification"] or v["times_response"] or v["times_resolution"]) for v in r.values())
    # classification tiers
    assert r["4100001"]["classification"] == "Pengaduan Berkadar Pengawasan" and r["4100001"]["berkadar_pengawasan"]
    assert r["4100002"]["classification"] == "Pengaduan" and not r["4100002"]["berkadar_pengawasan"]
    assert r["4100008"]["classification"] is None
    # flags from one cell
    flags = {k: (v["is_anonymous"], v["is_confidential"]) for k, v in r.items()}
    assert flags["4100001"] == (True, False) and flags["4100002"] == (False, True)
    assert flags["4100003"] == (True, True) and flags["4100004"] == (False, False)
    # channels
    assert r["4100001"]["channel"] == "SP4N-LAPOR! Aplikasi"
    assert r["4100002"]["channel"] == "SP4N-LAPOR! Website"
    assert r["4100003"]["channel"] == "WhatsApp"
    assert r["4100007"]["channel"] == "Form Manual LAPOR!"
    assert r["4100009"]["channel"] == "Email" and r["4100010"]["channel"] == "Tatap Muka"
    assert r["4100011"]["channel"] == "Surat" and r["4100006"]["channel"] == "SMS 1708"
    # departments with the pemda's suffix
    assert r["4100001"]["department"] == "Dinas Perhubungan"
    assert r["4100003"]["department"] == "Dinas Kesehatan"
    assert r["4100005"]["department"] is None
    # national categories onto the city's
    assert r["4100001"]["category"] == "Pekerjaan Umum dan Penataan Ruang"
    assert r["4100002"]["category"] == "Pekerjaan Umum dan Penataan Ruang"  # Lainnya terkait Infrastruktur Jalan
    assert r["4100003"]["category"] == "Kesehatan"
    assert r["4100010"]["category"] == "Energi dan Sumber Daya Alam"
    assert r["4100012"]["category"] is None and r["4100012"]["category__raw"] == "Kategori Nasional Baru"
    # wilayah from the body's Lokasi Kejadian tail (no Kecamatan/Kelurahan columns)
    assert (r["4100003"]["kecamatan"], r["4100003"]["kelurahan"]) == ("Sananwetan", "Klampok")
    assert (r["4100009"]["kecamatan"], r["4100009"]["kelurahan"]) == ("Kepanjenkidul", "Sentul")
    assert r["4100009"]["location"] == "Jl. Merdeka 4100009"
    # body: Isi Laporan Akhir, else Awal
    assert r["4100007"]["body"].startswith("Laporan 4100007")
    assert r["4100005"]["status_reason"] == "Duplikat laporan 4100001"
    assert (r["4100001"]["province"], r["4100001"]["regency"], r["4100001"]["parent_agency"]) == (
        "Jawa Timur", "Kota Blitar", PEMDA)
    # an unmapped national category is reported once, with its count and the closest city category
    cats = [n for n in sf.names if n.kind == "category" and n.value is None]
    assert [(n.raw, n.rows) for n in cats] == [("Kategori Nasional Baru", 2)]
    assert cats[0].suggestions


def test_kabupaten_suffix_is_stripped():
    base = load_master_data(DEFAULT_CONFIG_DIR)
    md2 = dataclasses.replace(base, city={**base.city, "name": "Kabupaten Bandung", "pemda": "Pemerintah Kabupaten Bandung"})
    got = matching.match_values("department", ["Dinas Perhubungan Kab. Bandung", "Dinas Kesehatan Kabupaten Bandung"], md2)
    assert {k: v.value for k, v in got.items()} == {
        "Dinas Perhubungan Kab. Bandung": "Dinas Perhubungan",
        "Dinas Kesehatan Kabupaten Bandung": "Dinas Kesehatan",
    }


def _build(tmp_path: Path, files: dict[str, bool]) -> duckdb.DuckDBPyConnection:
    p = Paths.from_args(tmp_path / "data", DEFAULT_CONFIG_DIR)
    for name, with_title in files.items():
        write_ringkas(p.raw_dir / name, title_block_rows=with_title)
    r = run_pipeline(p)
    assert r.published, r.message
    return duckdb.connect(str(p.warehouse), read_only=True)


def test_build_loads_everything_and_plumbs_the_step_columns(tmp_path):
    con = _build(tmp_path, {"laporan_ringkas.xlsx": True})
    assert con.execute("SELECT count(*) FROM quarantine").fetchone()[0] == 0
    # no "status Selesai tetapi tanggal selesai kosong": this source does not date resolution
    rules = dict(con.execute("SELECT rule, count(*) FROM warnings GROUP BY rule").fetchall())
    assert "resolved_without_date" not in rules
    assert rules == {"category_unknown": 2}
    assert con.execute("SELECT as_of FROM snapshot").fetchone()[0] == dt.date(2025, 11, 14)
    rows = con.execute(
        "SELECT source_id, snapshot_date, times_verification, times_response, times_resolution, status_implies,"
        " has_verification_step, profile FROM complaints ORDER BY source_id"
    ).fetchall()
    assert len(rows) == 13
    assert {r[1] for r in rows} == {dt.date(2025, 11, 14)}
    assert all(r[2:5] == (False, False, False) and r[6] and r[7] == "lapor_ringkas" for r in rows)
    implied = {r[0] for r in rows if r[5]}
    assert implied == {"4100001", "4100009", "4100011"}  # Ditutup oleh Sistem
    hist = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE NOT times_resolution) FROM complaint_status_history"
    ).fetchone()
    assert hist == (13, 13)
    # hand counts for 2024 (status only; no lifecycle date at all)
    got = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE status IN ('archived', 'not_authority')),"
        " count(*) FILTER (WHERE status = 'resolved'), count(*) FILTER (WHERE status IN ('postponed', 'unverified')),"
        " count(resolved_at) + count(first_response_at) + count(verified_at)"
        " FROM complaints WHERE reported_at >= '2024-01-01' AND reported_at < '2025-01-01'"
    ).fetchone()
    assert got == (12, 5, 5, 2, 0)


def test_ringkas_then_dated_export_keeps_both_sides(tmp_path):
    """A complaint first seen in a Ringkas export and later in a dated LAPOR! export:
    the later snapshot's profile times every step; the Ringkas one's status history stays."""
    p = Paths.from_args(tmp_path / "data", DEFAULT_CONFIG_DIR)
    write_ringkas(p.raw_dir / "laporan_ringkas.xlsx", title_block_rows=True)
    dated = p.raw_dir / "lapor_2025-12-01.csv"
    dated.write_text(
        "Tracking ID;Tanggal Laporan;Status;Isi Laporan;Tanggal Verifikasi;Tanggal Tindak Lanjut;Tanggal Selesai\n"
        "4100007;10/04/2024 16:45;Selesai;Lampu mati;11/04/2024 08:00;15/04/2024 09:00;2025-11-20 10:00\n",
        encoding="utf-8",
    )
    assert run_pipeline(p).published
    con = duckdb.connect(str(p.warehouse), read_only=True)
    row = con.execute(
        "SELECT status, resolved_at, times_resolution, times_response, profile FROM complaints WHERE source_id = '4100007'"
    ).fetchone()
    assert row == ("resolved", dt.datetime(2025, 11, 20, 10), True, True, "lapor")
    others = con.execute("SELECT count(*) FROM complaints WHERE profile = 'lapor_ringkas' AND times_resolution").fetchone()
    assert others[0] == 0
    hist = con.execute(
        "SELECT h.status, h.times_resolution FROM complaint_status_history h JOIN complaints c USING (complaint_key)"
        " WHERE c.source_id = '4100007' ORDER BY h.snapshot_date"
    ).fetchall()
    assert hist == [("postponed", False), ("resolved", True)]


@pytest.mark.parametrize("with_title", [True, False])
def test_kpis_equal_hand_counts(tmp_path, with_title):
    """kpi-spec.md "Status says whether, dates say when", on the Ringkas fixture, period 2024.
    With the title block the data date is Tanggal Generate (2025-11-14); without it the build's
    own rule applies and the test asks for the same as-of date."""
    con = _build(tmp_path, {"laporan_ringkas.xlsx": with_title})
    k = compute(con, dt.date(2024, 1, 1), dt.date(2024, 12, 31), as_of=dt.date(2025, 11, 14))
    # received: rows reported in 2024 (all but 4100011); excluded: the five archived/blocked
    assert (k["received"], k["excluded"], k["in_scope"]) == (12, 5, 7)
    # resolved: the five "Ditutup oleh ..." of 2024, without any date
    assert (k["verified"], k["responded"], k["resolved"]) == (5, 2, 5)
    # response: done for the two "Ditutup oleh Sistem"; unknown for "Ditutup oleh Admin/Pelapor" (3)
    assert k["response_rate"] == pytest.approx(2 / (7 - 3))
    assert k["resolution_rate"] == pytest.approx(5 / 7)
    # nothing is dated: no duration, no on-time rate (never 0, never 100 %)
    for key in ("verification_days_median", "response_days_median", "response_days_p90", "resolution_days_median",
                "resolution_days_p90", "on_time_verification_rate", "on_time_response_rate",
                "on_time_resolution_rate"):
        assert k[key] is None, key
    assert k["coverage"]["resolution"] == {"dated": 0, "undated": 5, "not_done": 2, "unknown": 0}
    assert k["coverage"]["response"] == {"dated": 0, "undated": 2, "not_done": 2, "unknown": 3}
    assert k["coverage"]["verification"] == {"dated": 0, "undated": 5, "not_done": 1, "unknown": 1}
    # backlog at A: the postponed and the unverified report, both far past 14 working days
    assert (k["backlog_open"], k["backlog_overdue"]) == (2, 2)
    months = {m["month"]: (m["received"], m["in_scope"], m["responded"], m["resolved"]) for m in k["by_month"]}
    assert months == {
        "2024-01": (2, 2, 1, 2), "2024-02": (2, 1, 0, 1), "2024-03": (2, 0, 0, 0), "2024-04": (1, 1, 0, 0),
        "2024-05": (1, 1, 0, 0), "2024-06": (1, 1, 1, 1), "2024-07": (2, 0, 0, 0), "2024-08": (0, 0, 0, 0),
        "2024-09": (0, 0, 0, 0), "2024-10": (0, 0, 0, 0), "2024-11": (0, 0, 0, 0), "2024-12": (1, 1, 0, 1),
    }


def test_builtin_profiles_time_what_their_sources_record(profiles):
    """Existing profiles keep today's behaviour: LAPOR! dates every step, rekap and Open311
    date response and resolution (and have no verification step); only Ringkas dates none."""
    got = {p.name: (p.timed_steps, p.has_verification_step) for p in profiles}
    assert got == {
        "lapor": (("verification", "response", "resolution"), True),
        "lapor_ringkas": ((), True),
        "open311": (("response", "resolution"), False),
        "open311_csv": (("response", "resolution"), False),
        "rekap": (("response", "resolution"), False),
    }


def test_undated_rule_still_applies_where_the_profile_dates_resolution(tmp_path):
    """A dated LAPOR! export that says Selesai without Tanggal Selesai is still a contradiction."""
    p = Paths.from_args(tmp_path / "data", DEFAULT_CONFIG_DIR)
    p.raw_dir.mkdir(parents=True)
    (p.raw_dir / "lapor_2024-08-01.csv").write_text(
        "Tracking ID;Tanggal Laporan;Status;Isi Laporan;Tanggal Selesai\n"
        "1;08/07/2024 09:00;Selesai;Lampu mati;\n2;08/07/2024 10:00;Ditutup oleh Sistem;Jalan rusak;15/07/2024\n",
        encoding="utf-8",
    )
    assert run_pipeline(p).published
    con = duckdb.connect(str(p.warehouse), read_only=True)
    rows = con.execute(
        "SELECT source_id, rule FROM warnings WHERE rule = 'resolved_without_date' ORDER BY source_id"
    ).fetchall()
    assert rows == [("1", "resolved_without_date")]
    implies = con.execute("SELECT source_id, status_implies FROM complaints ORDER BY source_id").fetchall()
    assert implies == [("1", None), ("2", ["response"])]


def _config_copy(tmp_path: Path) -> Path:
    cdir = tmp_path / "config"
    shutil.copytree(DEFAULT_CONFIG_DIR, cdir)
    return cdir


def test_category_map_must_point_to_city_categories(tmp_path):
    cdir = _config_copy(tmp_path)
    (cdir / "category_map.yaml").write_text("by_name:\n  Jalan Berlubang: Jalanan\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"category_map.yaml: by_name memetakan ke kategori yang tidak ada di "
                                          r"categories.yaml: \['Jalanan'\]"):
        load_master_data(cdir)


def test_category_map_is_optional_and_ids_win(tmp_path, profiles):
    cdir = _config_copy(tmp_path)
    (cdir / "category_map.yaml").unlink()
    md_none = load_master_data(cdir)
    assert md_none.category_map_names == {} and md_none.national_category("Jalan Berlubang") is None
    (cdir / "category_map.yaml").write_text(
        "other_prefixes: [Lainnya terkait]\nby_id: {'101': Kesehatan}\nby_name: {Jalan Berlubang: Perhubungan}\n",
        encoding="utf-8",
    )
    md2 = load_master_data(cdir)
    rows = [_r("4200001", "5 Jan 2024", "08:00:00", "Ditutup oleh Admin", cat_id="101", cat="Jalan Berlubang"),
            _r("4200002", "6 Jan 2024", "08:00:00", "Ditutup oleh Admin", cat="Jalan Berlubang"),
            _r("4200003", "7 Jan 2024", "08:00:00", "Ditutup oleh Admin", cat="Lainnya terkait Jalan Berlubang")]
    f = write_ringkas(tmp_path / "r.xlsx", title_block_rows=False, rows=rows)
    got = dict(stage_file(f, md2, load_profiles(cdir)).rows.select("source_id", "category").iter_rows())
    assert got == {"4200001": "Kesehatan", "4200002": "Perhubungan", "4200003": "Perhubungan"}


def test_statuses_implies_names_known_labels_only(tmp_path):
    cdir = _config_copy(tmp_path)
    st = (cdir / "statuses.yaml").read_text(encoding="utf-8")
    (cdir / "statuses.yaml").write_text(st + "  Ditutup oleh Robot: [response]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"'implies' names labels that are not under 'labels': \['Ditutup oleh Robot'\]"):
        load_master_data(cdir)
    (cdir / "statuses.yaml").write_text(st.replace("[response]", "[jawaban]"), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"implies.Ditutup oleh Sistem berisi \['jawaban'\]"):
        load_master_data(cdir)


def test_profile_flags_and_timed_steps_are_checked(tmp_path):
    base = {"source_system": "lapor", "fields": {"reported_at": ["Tanggal"], "flags": {"aliases": ["Tipe"]}}}
    with pytest.raises(ConfigError, match=r"fields.flags perlu 'values'"):
        parse_profile(base, tmp_path / "x.yaml")
    ok = {**base, "fields": {"reported_at": ["Tanggal"],
                             "flags": {"aliases": ["Tipe"], "separator": ";", "values": {"Anonim": "is_anonymous"}}}}
    prof = parse_profile({**ok, "timed_steps": ["resolution"]}, tmp_path / "x.yaml")
    assert prof.timed_steps == ("resolution",) and prof.fields["flags"].flags.separator == ";"
    with pytest.raises(ConfigError, match=r"timed_steps berisi \['selesai'\]"):
        parse_profile({**ok, "timed_steps": ["selesai"]}, tmp_path / "x.yaml")
