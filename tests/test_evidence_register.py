"""The evidence register: files by hash, safe names, states, completeness, warehouse copy."""

import datetime as dt
import hashlib

import duckdb
import pytest

from pipelines.rating import evidence as ev
from pipelines.rating.model import load_model
from pipelines.settings import DEFAULT_CONFIG_DIR, Paths

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


@pytest.fixture
def paths(tmp_path):
    return Paths(tmp_path / "data", DEFAULT_CONFIG_DIR)


@pytest.fixture
def model():
    return load_model(config_dir=DEFAULT_CONFIG_DIR)


def add(paths, model, **over):
    args = dict(indicator_id="sk_tim_pengaduan", year=2025, doc_type="SK", title="SK Wali Kota No. 188/12/2025",
                doc_date="2025-01-06", recorded_by="admin kominfo", content=PDF, file_name="sk tim.pdf", model=model)
    args.update(over)
    return ev.add_evidence(paths, **args)


def test_add_stores_file_by_sha256(paths, model, tmp_path):
    src = tmp_path / "SK Tim 2025.pdf"
    src.write_bytes(PDF)
    r = add(paths, model, content=None, file_name=None, file=src)
    digest = hashlib.sha256(PDF).hexdigest()
    assert r.sha256 == digest and r.size_bytes == len(PDF)
    assert r.file_ref == f"{digest}.pdf" and r.file_name == "SK Tim 2025.pdf"
    assert (paths.evidence_dir / r.file_ref).read_bytes() == PDF
    assert r.status == "diajukan" and r.recorded_by == "admin kominfo" and r.label == "BD-0001"
    assert r.doc_date == dt.date(2025, 1, 6) and r.doc_type == "SK" and r.year == 2025
    # the same bytes again: a second record, one stored file
    r2 = add(paths, model, file_name="salinan.pdf")
    assert r2.evidence_id == 2 and r2.file_ref == r.file_ref
    assert [p.name for p in paths.evidence_dir.iterdir()] == [r.file_ref]
    assert ev.file_intact(paths, r)


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\Windows\\win.ini.pdf", "win.ini.pdf"),
        ("/var/www/evil.pdf", "evil.pdf"),
        ("....pdf", "berkas.pdf"),
        (".hidden.pdf", "hidden.pdf"),
        ("CON.pdf", "_CON.pdf"),
        ("a\x00b\nc<>|:*?.pdf", "ab c.pdf"),
        ("SK  Tim\tPengaduan (2025).pdf", "SK Tim Pengaduan (2025).pdf"),
        ("x" * 300 + ".pdf", "x" * 116 + ".pdf"),
    ],
)
def test_file_names_are_sanitised(name, shown, paths, model):
    assert ev.sanitize_filename(name) == shown
    r = add(paths, model, file_name=name)
    assert r.file_name == shown
    stored = ev.evidence_file_path(paths, r)
    assert stored.resolve().parent == paths.evidence_dir.resolve()
    assert sorted(p.name for p in paths.data_dir.rglob("*") if p.is_file() and p.suffix == ".pdf") == [r.file_ref]


def test_stored_path_refuses_a_forged_reference(paths, model):
    r = add(paths, model)
    from dataclasses import replace

    with pytest.raises(ev.EvidenceError):
        ev.evidence_file_path(paths, replace(r, file_ref="../../state/app.sqlite"))
    assert not ev.file_intact(paths, replace(r, file_ref="../x.pdf"))


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (PDF, "sk.exe", "tidak didukung"),
        (PDF, "sk", "tidak didukung"),
        (PNG, "sk.pdf", "tidak sesuai dengan jenisnya"),
        (PDF, "foto.jpg", "tidak sesuai dengan jenisnya"),
        (b"", "sk.pdf", "kosong"),
    ],
)
def test_bad_files_are_refused(content, name, message, paths, model):
    with pytest.raises(ev.EvidenceError, match=message):
        add(paths, model, content=content, file_name=name)
    assert not (paths.evidence_dir.exists() and any(paths.evidence_dir.iterdir()))


def test_oversized_file_is_refused(paths, model, monkeypatch):
    monkeypatch.setattr(ev, "MAX_FILE_BYTES", 10)
    with pytest.raises(ev.EvidenceError, match="terlalu besar"):
        add(paths, model)


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"indicator_id": "tidak_ada"}, "bukan indikator bukti dukung"),
        ({"indicator_id": "tingkat_respons"}, "bukan indikator bukti dukung"),
        ({"doc_type": "Keppres"}, "Jenis dokumen 'Keppres' tidak dikenal"),
        ({"doc_type": "foto"}, "Jenis 'foto' tidak dihitung untuk indikator 'sk_tim_pengaduan'"),
        ({"doc_date": "6 Januari 2025"}, "tidak dapat dibaca"),
        ({"doc_date": "2026-01-02"}, "sesudah tahun penilaian 2025"),
        ({"year": 1990}, "di luar rentang"),
        ({"title": "   "}, "Judul dokumen wajib diisi"),
        ({"recorded_by": ""}, "Nama pencatat wajib diisi"),
        ({"content": None, "file_name": None}, "wajib disertai berkas"),
    ],
)
def test_bad_records_are_refused(over, message, paths, model):
    with pytest.raises(ev.EvidenceError, match=message):
        add(paths, model, **over)
    assert ev.list_evidence(paths) == []


def test_type_spellings_and_dates_are_normalised(paths, model):
    r = add(paths, model, indicator_id="sosialisasi_kanal", doc_type="Daftar_Hadir", doc_date="14/03/2025")
    assert r.doc_type == "daftar hadir" and r.doc_date == dt.date(2025, 3, 14)


def test_verify_and_reject_states(paths, model):
    a = add(paths, model)
    b = add(paths, model, title="SK kedua")
    v = ev.verify_evidence(paths, a.evidence_id, by="evaluator", at="2025-02-01 09:00:00")
    assert (v.status, v.status_by, v.status_at) == ("diverifikasi", "evaluator", "2025-02-01 09:00:00")
    with pytest.raises(ev.EvidenceError, match="hanya bukti yang 'diajukan'"):
        ev.verify_evidence(paths, a.evidence_id, by="evaluator")
    with pytest.raises(ev.EvidenceError, match="Alasan penolakan wajib diisi"):
        ev.reject_evidence(paths, b.evidence_id, by="evaluator", reason=" ")
    rj = ev.reject_evidence(paths, b.evidence_id, by="evaluator", reason="Tanda tangan tidak terbaca")
    assert rj.status == "ditolak" and rj.status_reason == "Tanda tangan tidak terbaca"
    with pytest.raises(ev.EvidenceError):
        ev.verify_evidence(paths, b.evidence_id, by="evaluator")  # resubmit as a new record instead
    # a verified record can still be withdrawn
    assert ev.reject_evidence(paths, a.evidence_id, by="evaluator", reason="SK dicabut").status == "ditolak"
    with pytest.raises(ev.EvidenceError, match="tidak ada"):
        ev.verify_evidence(paths, 99, by="evaluator")


def test_list_filters(paths, model):
    add(paths, model)
    add(paths, model, year=2024, doc_date="2024-01-05")
    add(paths, model, indicator_id="perbaikan_layanan", doc_type="laporan")
    ev.verify_evidence(paths, 3, by="e")
    assert [r.evidence_id for r in ev.list_evidence(paths)] == [1, 2, 3]
    assert [r.evidence_id for r in ev.list_evidence(paths, year=2025)] == [1, 3]
    assert [r.evidence_id for r in ev.list_evidence(paths, status="diverifikasi")] == [3]
    assert [r.evidence_id for r in ev.list_evidence(paths, indicator_id="sk_tim_pengaduan", year=2024)] == [2]


def test_completeness_says_what_is_missing(paths, model):
    # sosialisasi: 4 events needed; two documents on one date = one event, one more pending
    add(paths, model, indicator_id="sosialisasi_kanal", doc_type="undangan", doc_date="2025-03-01")
    add(paths, model, indicator_id="sosialisasi_kanal", doc_type="foto", doc_date="2025-03-01")
    add(paths, model, indicator_id="sosialisasi_kanal", doc_type="foto", doc_date="2025-05-01")
    add(paths, model)  # SK
    add(paths, model, indicator_id="regulasi_pengaduan", doc_type="Perwali", doc_date="2024-11-20", year=2024)
    for i in (1, 2, 4, 5):
        ev.verify_evidence(paths, i, by="e")
    view = {c.indicator_id: c for c in ev.completeness_for(paths, 2025, model)}
    sos = view["sosialisasi_kanal"]
    assert (sos.units, sos.missing_units, sos.status, sos.pending_ids) == (1, 3, "sebagian", [3])
    assert sos.score == pytest.approx(25)
    assert sos.missing == ("Kurang 3 kegiatan sosialisasi kanal pengaduan tahun 2025 (terverifikasi 1 dari 4); "
                           "1 bukti menunggu verifikasi (BD-0003).")
    assert view["sk_tim_pengaduan"].status == "lengkap" and view["sk_tim_pengaduan"].missing == ""
    assert view["regulasi_pengaduan"].status == "lengkap"  # a 2024 Perwali is still in force in 2025
    bim = view["bimtek_pengelola"]
    assert bim.status == "belum ada" and bim.missing_types == ("undangan", "daftar hadir", "laporan")
    assert "jenis dokumen wajib yang belum ada: undangan, daftar hadir, laporan" in bim.missing
    assert view["perbaikan_layanan"].missing.startswith("Kurang 2 dokumen perbaikan layanan")
    # 2026: the SK must be renewed
    v26 = {c.indicator_id: c for c in ev.completeness_for(paths, 2026, model)}
    assert v26["sk_tim_pengaduan"].status == "belum ada"
    assert v26["sk_tim_pengaduan"].missing.startswith("Belum ada SK tim pengelola pengaduan")
    assert v26["regulasi_pengaduan"].status == "lengkap"


def test_copy_to_warehouse_and_read_back(paths, model):
    add(paths, model)
    add(paths, model, indicator_id="perbaikan_layanan", doc_type="foto", content=PNG, file_name="sesudah.png")
    ev.verify_evidence(paths, 1, by="e")
    ev.reject_evidence(paths, 2, by="e", reason="Foto buram")
    con = duckdb.connect()
    con.execute("CREATE TABLE complaints (x INT)")
    recs, note = ev.load_evidence(con)
    assert recs == [] and "dibangun sebelum ada register bukti dukung" in note and "monev run" in note
    assert ev.copy_evidence_to_warehouse(con, paths) == 2
    recs, note = ev.load_evidence(con)
    assert note is None
    assert [(r.evidence_id, r.status, r.file_ok, r.status_reason) for r in recs] == [
        (1, "diverifikasi", True, None), (2, "ditolak", True, "Foto buram")]
    assert recs[0].recorded_by is None and recs[0].status_by is None  # names stay in the state store
    assert ev.evidence_fingerprint(recs) == ev.state_evidence_fingerprint(paths)
    # a missing or altered file is recorded as such at the next build
    (paths.evidence_dir / recs[0].file_ref).write_bytes(PDF + b"tampered")
    assert ev.copy_evidence_to_warehouse(con, paths) == 2
    assert [r.file_ok for r in ev.load_evidence(con)[0]] == [False, True]
    assert ev.evidence_fingerprint(ev.load_evidence(con)[0]) == ev.state_evidence_fingerprint(paths)


def test_empty_register_gives_an_empty_table(paths):
    con = duckdb.connect()
    assert ev.copy_evidence_to_warehouse(con, paths) == 0
    assert ev.load_evidence(con) == ([], None)
    assert not (paths.state_dir / "app.sqlite").exists()  # reading does not create the store


def test_fingerprint_changes_with_verification(paths, model):
    add(paths, model)
    before = ev.state_evidence_fingerprint(paths)
    ev.verify_evidence(paths, 1, by="e")
    assert ev.state_evidence_fingerprint(paths) != before


def test_personal_data_in_free_text_is_redacted(paths, model):
    r = add(paths, model, title="SK tim, kontak 081234567890 / admin@blitarkota.go.id", note="NIK 3572011201900001")
    assert r.title == "SK tim, kontak [telepon] / [email]" and r.note == "NIK [NIK]"
    rj = ev.reject_evidence(paths, r.evidence_id, by="e", reason="Hubungi 0812-3456-7890 untuk versi asli")
    assert "0812" not in rj.status_reason and "[telepon]" in rj.status_reason
    con = duckdb.connect()
    ev.copy_evidence_to_warehouse(con, paths)
    text = " ".join(str(v) for row in con.execute("SELECT * FROM evidence").fetchall() for v in row)
    assert "0812" not in text and "@" not in text and "3572011201900001" not in text
