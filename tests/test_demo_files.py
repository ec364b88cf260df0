"""`monev demo` files: determinism, the manifest against the bytes, messiness, personal data."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from pipelines.demo.generate import MANIFEST_NAME, DemoError, write_demo
from pipelines.demo.render import UNKNOWN_STATUS_LABEL, best_fuzzy_score
from pipelines.demo.simulate import simulate_complaints
from pipelines.masterdata import load_master_data
from pipelines.textnorm import norm_key

SEED = 5
START, END = dt.date(2025, 9, 1), dt.date(2026, 2, 28)

# Header spellings input-formats.md lists (matching ignores case, spaces, dots, underscores),
# plus a rekap's register number and "No" column, which it names without spelling them out.
DOC_HEADERS = {
    "Tracking ID", "Tracking Id", "ID Laporan", "No Tracking", "Nomor Laporan",
    "Tanggal Laporan", "Tgl Laporan", "Tanggal Masuk", "Waktu Lapor", "Tanggal Dibuat", "Tanggal",
    "Judul", "Judul Laporan", "Isi Laporan", "Isi", "Uraian", "Deskripsi", "Isi Pengaduan", "Pengaduan", "Keluhan",
    "Klasifikasi", "Jenis Laporan", "Kategori", "Topik", "Kategori Laporan", "Kanal", "Sumber", "Media",
    "Sumber Laporan", "Instansi Terdisposisi", "Disposisi", "OPD", "Perangkat Daerah", "Unit Kerja",
    "Status", "Status Laporan", "Tanggal Verifikasi", "Tgl Verifikasi", "Tanggal Disposisi", "Tgl Disposisi",
    "Tanggal Tindak Lanjut", "Tanggal Tindak Lanjut Pertama", "Tgl TL", "Tanggal Respon", "Tanggal Selesai",
    "Tgl Selesai", "Tanggal Ditutup", "Kecamatan", "Kelurahan", "Desa/Kelurahan", "Lokasi", "Alamat Kejadian",
    "Anonim", "Rahasia", "Nama Pelapor", "Nama", "No HP", "No. HP", "No. Telp", "Telepon", "WA", "Email", "NIK",
    "Rating", "Penilaian", "Kepuasan",
    "No", "No. Register", "No Register", "Nomor Register",
    # input-formats.md 1a, the real SP4N-LAPOR! "Laporan Ringkas" header
    "Tanggal Laporan Masuk", "Waktu Laporan Masuk", "Klasifikasi Laporan", "ID Kategori", "Isi Laporan Awal",
    "Isi Laporan Akhir", "Tipe Laporan (Anonim/Rahasia)", "Instansi Induk", "ID Instansi Terdisposisi",
    "Alasan Tunda/Arsip", "Provinsi", "Kota/Kabupaten",
}
ENCODINGS = {"windows-1252": "cp1252", "utf-8 (BOM)": "utf-8-sig", "utf-8": "utf-8"}
PHONE = re.compile(r"(?<!\d)(\+62 ?8|628|08)\d[\d-]{7,13}")
NIK = re.compile(r"(?<!\d)3572\d{12}(?!\d)")
EMAIL = re.compile(r"[\w.]+@[\w-]+\.[\w.]+")


def read_rows(raw: Path, entry: dict) -> list[list]:
    """A demo file as a list of rows, 0-based (row n of the manifest is rows[n - 1])."""
    path = raw / entry["path"]
    if entry["format"] == "csv":
        text = path.read_bytes().decode(ENCODINGS[entry["encoding"]])
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=entry["delimiter"]))
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python(skip_empty_area=False)


def cell(raw: Path, entry: dict, row: int, column: str):
    rows = read_rows(raw, entry)
    header = rows[entry["header_row"] - 1]
    return rows[row - 1][list(header).index(column)]


def as_datetime(v) -> dt.datetime | None:
    """Parse the date forms the demo writes (tests only)."""
    if isinstance(v, dt.datetime):
        return v
    if isinstance(v, dt.date):
        return dt.datetime(v.year, v.month, v.day)
    s = str(v).strip()
    if s in ("", "-"):
        return None
    months = {m: i + 1 for i, m in enumerate(["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"])}
    months["Agt"] = 8
    m = re.fullmatch(r"(\d{1,2}) (\w{3}) (\d{4}) (\d{2})\.(\d{2})", s)
    if m:
        return dt.datetime(int(m[3]), months[m[2]], int(m[1]), int(m[4]), int(m[5]))
    for f in ("%Y-%m-%d %H:%M", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(s, f)
        except ValueError:
            pass
    raise ValueError(s)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    d = tmp_path_factory.mktemp("demo")
    res = write_demo(d, seed=SEED, start=START, end=END)
    return d, res.manifest


@pytest.fixture(scope="module")
def files(demo):
    d, m = demo
    return {f["path"]: f for f in m["files"]}


def test_same_seed_same_bytes(demo, tmp_path):
    d, m = demo
    again = write_demo(tmp_path, seed=SEED, start=START, end=END).manifest
    assert [f["sha256"] for f in again["files"]] == [f["sha256"] for f in m["files"]]
    for f in m["files"]:
        assert (tmp_path / "raw" / f["path"]).read_bytes() == (d / "raw" / f["path"]).read_bytes()
    assert (tmp_path / MANIFEST_NAME).read_text() == (d / MANIFEST_NAME).read_text()
    other = write_demo(tmp_path / "other", seed=SEED + 1, start=START, end=END).manifest
    assert [f["sha256"] for f in other["files"]] != [f["sha256"] for f in m["files"]]


def test_manifest_lists_exactly_the_files(demo):
    d, m = demo
    raw = d / "raw"
    on_disk = sorted(p.relative_to(raw).as_posix() for p in raw.rglob("*") if p.is_file())
    assert on_disk == sorted(f["path"] for f in m["files"])
    for f in m["files"]:
        assert hashlib.sha256((raw / f["path"]).read_bytes()).hexdigest() == f["sha256"]
    assert not [p for p in d.iterdir() if p.name not in ("raw", MANIFEST_NAME)]


def test_file_layout_counts_match_the_bytes(demo):
    d, m = demo
    for f in m["files"]:
        rows = read_rows(d / "raw", f)
        assert list(rows[f["header_row"] - 1][: len(f["header"])]) == f["header"], f["path"]
        # Every row after the header is either data or a counted non-data row.
        after = rows[f["header_row"]:]
        while after and not any(str(c).strip() for c in after[-1]):
            after.pop()  # calamine may report trailing empty cells of the used range
        assert len(after) == f["rows_after_header"], f["path"]
        assert f["data_rows"] + f["non_data_rows_after_header"] == f["rows_after_header"]


def test_export_schedule_and_names(files):
    lapor = sorted(p for p in files if p.startswith("lapor/"))
    assert lapor == [
        "lapor/lapor_export_2025-10-01.csv", "lapor/lapor_export_2025-11-01.xlsx",
        "lapor/lapor_export_2025-12-01.csv", "lapor/lapor_export_2026-01-01.xlsx",
        "lapor/lapor_export_2026-02-01.csv",
        "lapor/lapor_export_2026-02-15_laporan_ringkas.xlsx",  # the real "Laporan Ringkas" layout
        "lapor/lapor_export_2026-03-01.xlsx",
    ]
    rekap = {p for p in files if p.startswith("rekap/")}
    assert "rekap/rekap_ulpim_2025.xlsx" in rekap and "rekap/rekap_whatsapp_2026.csv" in rekap
    assert "rekap/rekap_callcenter112_2025-09.xlsx" in rekap
    assert min(p for p in rekap if "sapamaswali" in p) == "rekap/rekap_sapamaswali_2025-11.xlsx"
    assert not [p for p in rekap if not re.fullmatch(r"rekap/rekap_(ulpim|whatsapp|instagram|callcenter112|sapamaswali)_\d{4}(-\d{2})?\.(xlsx|csv)", p)]


def test_headers_are_spellings_the_docs_list(files):
    allowed = {norm_key(h) for h in DOC_HEADERS}
    for f in files.values():
        bad = [h for h in f["header"] if norm_key(h) not in allowed]
        assert not bad, (f["path"], bad)
        assert "Kanal" not in f["header"] or f["kind"] == "lapor"  # a rekap has no channel column


def test_messiness_is_present(demo, files):
    d, m = demo
    raw = d / "raw"
    feats = set().union(*(set(f["features"]) for f in files.values()))
    for want in (
        "semicolon", "windows1252", "utf8_bom", "title_block", "merged_title", "indonesian_month_names",
        "numeric_ids", "hyperlink_formula", "totals_row", "blank_rows", "kelurahan_only", "multiline_fields",
        "trailing_empty_columns", "month_title_rows", "dash_for_missing", "dates_serial",
        "lapor_ringkas", "english_month_names", "separate_time_column", "flags_in_one_cell", "wilayah_in_body",
    ):
        assert want in feats, want
    boms = [p for p, f in files.items() if f["format"] == "csv" and (raw / p).read_bytes().startswith(b"\xef\xbb\xbf")]
    assert boms and all(files[p]["encoding"] == "utf-8 (BOM)" for p in boms)
    cp = [raw / p for p, f in files.items() if f.get("encoding") == "windows-1252"]
    assert cp
    non_utf8 = 0
    for p in cp:
        try:
            p.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            non_utf8 += 1
    assert non_utf8 >= 1  # "±", "–" or "é" written as single Windows-1252 bytes
    semis = [p for p, f in files.items() if f["format"] == "csv" and f["delimiter"] == ";"]
    assert any(";" in (raw / p).read_bytes().decode(ENCODINGS[files[p]["encoding"]]).splitlines()[files[p]["header_row"] - 1] for p in semis)
    texts = "".join((raw / p).read_bytes().decode(ENCODINGS[f["encoding"]]) for p, f in files.items() if f["format"] == "csv")
    assert re.search(r"\b\d{1,2} (Jan|Feb|Mar|Apr|Mei|Jun|Jul|Agu|Agt|Sep|Okt|Nov|Des) 20\d\d \d{2}\.\d{2}\b", texts)
    # Excel: title rows above the header, tracking ids as numbers, real date cells, a formula's cached value.
    x = next(f for f in files.values() if f["kind"] == "lapor" and "numeric_ids" in f["features"] and "title_block" in f["features"])
    # The "Laporan Ringkas" export: its title block as the national system writes it, every cell text.
    rk = next(f for f in files.values() if "lapor_ringkas" in f["features"])
    rows = read_rows(raw, rk)
    assert rk["header_row"] == 11 and [r[0] for r in rows[:10:2]] == [
        "Judul Laporan", "Nama Instansi", "Tanggal Generate", "Periode Masuk", "Pengelola"]
    assert rows[4][2] == rk["export_date"] and all(isinstance(c, str) for r in rows[11:] for c in r)
    assert re.fullmatch(r"\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) 20\d\d", rows[11][1])
    assert re.fullmatch(r"\d{2}:\d{2}:\d{2}", rows[11][2])
    rows = read_rows(raw, x)
    assert x["header_row"] > 1 and "SP4N-LAPOR!" in rows[0][0]
    first = rows[x["header_row"]]
    assert isinstance(first[0], float) and first[0].is_integer() and len(str(int(first[0]))) == 7
    assert isinstance(first[1], dt.datetime)
    u = next(f for f in files.values() if f["path"].startswith("rekap/rekap_ulpim"))
    rows = read_rows(raw, u)
    assert rows[0][0] == "PEMERINTAH KOTA BLITAR" and rows[2][0].startswith("REKAP PENGADUAN ULPIM")
    assert rows[u["header_row"]][0].startswith("REKAP PENGADUAN BULAN ")
    assert rows[-1][0] == "JUMLAH" and re.fullmatch(r"\d+ pengaduan", str(rows[-1][u["header"].index("Uraian")]))


def test_status_and_opd_spellings_vary_but_resolve(demo, files):
    d, m = demo
    md = load_master_data()
    statuses, depts = set(), set()
    for f in files.values():
        rows = read_rows(d / "raw", f)
        h = list(rows[f["header_row"] - 1])
        s_col = next(i for i, x in enumerate(h) if norm_key(x) in ("status", "statuslaporan"))
        d_col = next(i for i, x in enumerate(h) if norm_key(x) in {norm_key(y) for y in (
            "Instansi Terdisposisi", "Disposisi", "OPD", "Perangkat Daerah", "Unit Kerja")})
        for r in rows[f["header_row"]:]:
            if len(r) > s_col and str(r[s_col]).strip() and str(r[0]) != "JUMLAH":
                statuses.add(str(r[s_col]))
                depts.add(str(r[d_col]))
    statuses.discard(UNKNOWN_STATUS_LABEL)
    assert all(md.status_of(s) for s in statuses), [s for s in statuses if not md.status_of(s)]
    assert {s for s in statuses if s.isupper()} and {s for s in statuses if s.islower()}
    assert len({md.status_of(s) for s in statuses}) >= 6
    depts.discard("")
    unmatched = {u["name"] for u in m["unmatched_departments"]}
    exact = {x for x in depts if md.department_exact(x)}
    other = depts - exact - unmatched
    assert any(x != x.strip() or "  " in x for x in exact)  # stray spaces
    assert any(x.isupper() for x in exact)
    assert other, "no typos"  # typos: fuzzy-matchable only
    assert all(best_fuzzy_score(md, x) >= 90 for x in other), sorted(other)
    assert "Dinas Perhubunan" in other or any("Dinas " in x for x in other)


def test_each_defect_is_where_the_manifest_says(demo, files):
    d, m = demo
    raw = d / "raw"
    kinds = [x["kind"] for x in m["defects"]]
    assert sorted(kinds) == sorted(
        ["missing_id", "future_timestamp", "placeholder_date", "resolved_before_reported", "unparseable_date", "unknown_status"]
    )
    assert len({x["file"] for x in m["defects"]}) == len(kinds)  # each in a different file
    assert not m["defects_skipped"]
    for x in m["defects"]:
        f = files[x["file"]]
        assert x["column"] in f["header"]
        assert 1 / f["data_rows"] < 0.05
        v = cell(raw, f, x["row"], x["column"])
        rows = read_rows(raw, f)
        header = list(rows[f["header_row"] - 1])
        row = rows[x["row"] - 1]
        if x["kind"] == "missing_id":
            assert v in ("", None)
            assert str(row[header.index(x["column"]) + 1]).strip()  # the rest of the row is there
        elif x["kind"] == "unknown_status":
            assert v == UNKNOWN_STATUS_LABEL
        elif x["kind"] == "placeholder_date":
            assert as_datetime(v).date() == dt.date(1900, 1, 1)
        elif x["kind"] == "future_timestamp":
            assert as_datetime(v).date() > dt.date.fromisoformat(f["export_date"])
        elif x["kind"] == "resolved_before_reported":
            rep = next(i for i, h in enumerate(header) if norm_key(h) in {norm_key(y) for y in DOC_HEADERS if "Tanggal" in y or "Tgl" in y or "Waktu" in y} and i < header.index(x["column"]))
            assert as_datetime(v) < as_datetime(row[rep])
        elif x["kind"] == "unparseable_date":
            assert "O" in str(v)
            with pytest.raises(ValueError):
                as_datetime(v)
    assert m["expected"]["quarantined_rows"] == len(m["defects"])


def test_unmatched_opd_names_are_where_listed(demo, files):
    d, m = demo
    md = load_master_data()
    assert 2 <= len(m["unmatched_departments"]) <= 3
    for u in m["unmatched_departments"]:
        assert md.department_exact(u["name"]) is None and best_fuzzy_score(md, u["name"]) < 75
        assert u["occurrences"]
        for o in u["occurrences"]:
            assert cell(d / "raw", files[o["file"]], o["row"], o["column"]) == u["name"]


def test_duplicate_pairs_point_at_real_rows(demo, files):
    d, m = demo
    assert m["duplicates"]
    for p in m["duplicates"]:
        r, lp = p["rekap"], p["lapor"]
        rf, lf = files[r["file"]], files[lp["file"]]
        reg = next(h for h in rf["header"] if "Register" in h)
        assert cell(d / "raw", rf, r["row"], reg) == r["source_id"]
        lid = lf["header"][0]
        v = cell(d / "raw", lf, lp["row"], lid)
        assert (str(int(v)) if isinstance(v, float) else v) == lp["source_id"]


def test_snapshots_overlap_and_statuses_advance(demo, files):
    d, m = demo
    rank = {"unverified": 0, "awaiting_response": 1, "in_progress": 2, "postponed": 3, "resolved": 4}
    md = load_master_data()
    seen: dict[str, list[int]] = {}
    for p in sorted(x for x in files if x.startswith("lapor/")):
        f = files[p]
        rows = read_rows(d / "raw", f)
        h = list(rows[f["header_row"] - 1])
        s_col = next(i for i, x in enumerate(h) if norm_key(x) in ("status", "statuslaporan"))
        for r in rows[f["header_row"]:]:
            sid = str(int(r[0])) if isinstance(r[0], float) else str(r[0])
            st = md.status_of(r[s_col])
            if sid and st in rank:
                seen.setdefault(sid, []).append(rank[st])
    multi = {k: v for k, v in seen.items() if len(v) > 1}
    assert len(multi) > 0.5 * len(seen)  # the exports overlap
    assert all(a <= b for v in multi.values() for a, b in zip(v, v[1:], strict=False))  # never backwards
    assert sum(v[0] != v[-1] for v in multi.values()) > 0.2 * len(multi)  # and they move


def test_expected_counts_reconcile(demo):
    d, m = demo
    e = m["expected"]
    assert e["data_rows"] == sum(f["data_rows"] for f in m["files"])
    assert e["loaded_rows"] == e["data_rows"] - e["quarantined_rows"]
    assert sum(e["complaints_by_source"].values()) == e["complaints"] == sum(e["by_status"].values())
    assert e["complaints_unique"] == e["complaints"] - e["duplicate_pairs"] == e["complaints"] - len(m["duplicates"])
    assert e["complaints_in_no_file"] == 0
    truth = simulate_complaints(SEED, START, END)
    assert e["complaints"] + e["complaints_lost_to_defects"] == truth.height
    # A rekap defect loses its complaint; a LAPOR! defect sits in an earlier snapshot and loses nothing.
    assert e["complaints_lost_to_defects"] == sum(1 for x in m["defects"] if x["file"].startswith("rekap/"))
    k = e["kpi_reference"]
    assert k["received"] == e["complaints_unique"]
    assert 0.8 < k["response_rate"] <= 1.0


def test_personal_data_only_in_raw_files(demo):
    d, m = demo
    text = (d / MANIFEST_NAME).read_text(encoding="utf-8")
    assert not PHONE.search(text) and not NIK.search(text) and not EMAIL.search(text)
    truth = simulate_complaints(SEED, START, END)
    names = {n for n in truth["reporter_name"].drop_nulls().to_list() if " " in n}
    assert not [n for n in names if n in text]
    # ... and the raw files do carry it (that is what ingestion must strip).
    raw_text = b"".join(p.read_bytes() for p in (d / "raw").rglob("*.csv")).decode("latin-1")
    assert NIK.search(raw_text) and EMAIL.search(raw_text)


def test_refuses_to_overwrite_or_mix(tmp_path):
    write_demo(tmp_path, seed=1, start=dt.date(2025, 1, 1), end=dt.date(2025, 2, 28))
    before = (tmp_path / MANIFEST_NAME).read_text()
    with pytest.raises(DemoError, match="--force"):
        write_demo(tmp_path, seed=2, start=dt.date(2025, 1, 1), end=dt.date(2025, 2, 28))
    assert (tmp_path / MANIFEST_NAME).read_text() == before
    res = write_demo(tmp_path, seed=2, start=dt.date(2025, 1, 1), end=dt.date(2025, 1, 31), force=True)
    assert res.manifest["seed"] == 2
    files = sorted(p.relative_to(tmp_path / "raw").as_posix() for p in (tmp_path / "raw").rglob("*") if p.is_file())
    assert files == sorted(f["path"] for f in res.manifest["files"])  # nothing left of the old demo
    (tmp_path / "raw" / "lapor" / "ekspor_asli.csv").write_text("x")
    with pytest.raises(DemoError, match="bukan bagian"):
        write_demo(tmp_path, seed=3, force=True)
    assert (tmp_path / "raw" / "lapor" / "ekspor_asli.csv").exists()


def test_refuses_raw_dir_with_real_exports(tmp_path):
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "lapor_maret.xlsx").write_bytes(b"PK")
    with pytest.raises(DemoError, match="bukan data demo"):
        write_demo(tmp_path, force=True)
    assert [p.name for p in (tmp_path / "raw").iterdir()] == ["lapor_maret.xlsx"]


def test_manifest_is_json_with_the_promised_keys(demo):
    d, m = demo
    again = json.loads((d / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert again == m
    assert {"seed", "options", "files", "defects", "unmatched_departments", "duplicates", "expected"} <= set(m)
    assert m["options"] == {"from": START.isoformat(), "to": END.isoformat(), "rows": None, "scale": 1.0}
