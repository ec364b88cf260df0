"""Personal data: patterns, redaction, the salted reporter hash, and the preview."""

from __future__ import annotations

import re

import duckdb
import polars as pl
import pytest

from pipelines.ingest import load_profiles, stage_file
from pipelines.ingest.pii import (
    ANY_PII_PATTERN,
    PII_PATTERNS,
    contains_pii,
    find_pii,
    redact_expr,
    redact_text,
)
from pipelines.ingest.preview import preview_file
from pipelines.masterdata import load_master_data

MD = load_master_data()
PROFILES = load_profiles(MD.config_dir)

CASES = [
    ("Hubungi 081234567890 ya", "Hubungi [telepon] ya"),
    ("wa: +62 812-3456-7890.", "wa: [telepon]."),
    ("telp (0342) 801234", "telp [telepon]"),
    ("NIK 3572012345670001 saya", "NIK [NIK] saya"),
    ("NIK 3572 0123 4567 0001", "NIK [NIK]"),
    ("email budi.s@gmail.com", "email [email]"),
    ("tgl 08-07-2024 jam 09.15, Rp 50.000, RT 02 RW 05", "tgl 08-07-2024 jam 09.15, Rp 50.000, RT 02 RW 05"),
    ("nomor 012/345/2024 kode 4517763", "nomor 012/345/2024 kode 4517763"),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_redaction_python_and_polars_agree(text, expected):
    assert redact_text(text) == expected
    assert pl.DataFrame({"t": [text]}).select(redact_expr(pl.col("t"))).item() == expected
    assert contains_pii(text) == (text != expected)


def test_patterns_work_in_duckdb_too():
    con = duckdb.connect()
    texts = [t for t, _ in CASES]
    got = [con.execute("SELECT regexp_matches(?, ?)", [t, ANY_PII_PATTERN]).fetchone()[0] for t in texts]
    assert got == [t != e for t, e in CASES]
    assert set(PII_PATTERNS) == {"email", "nik", "phone"}
    assert find_pii("a@b.co 081234567890") == ["email", "phone"]


def _csv(path, rows):
    header = "Tracking ID;Tanggal Laporan;Status;Judul;Isi Laporan;Lokasi;Nama Pelapor;No HP;Email;NIK;Anonim;Rahasia"
    path.write_text(header + "\n" + "\n".join(";".join(r) for r in rows) + "\n", encoding="utf-8")
    return path


ROWS = [
    ["1", "08/07/2024", "Proses", "Lampu mati, Budi Santoso", "Saya Budi Santoso, hp 0812-3333-4444",
     "Jl. Merdeka (rumah 0342-801234)", "Budi Santoso", "+62 812 3333 4444", "budi@mail.id", "3572012345670001", "Ya", "Tidak"],
    ["2", "08/07/2024", "Proses", "Sampah", "Isi", "", "Budi Santoso", "0812-3333-4444", "", "", "tidak", "Y"],
    ["3", "08/07/2024", "Proses", "Sampah", "Isi", "", "", "", "ani@mail.id", "", "", ""],
    ["4", "08/07/2024", "Proses", "Sampah", "Isi", "", "", "", "", "", "mungkin", ""],
]


def test_personal_columns_never_reach_staged_rows(tmp_path):
    sf = stage_file(_csv(tmp_path / "lapor.csv", ROWS), MD, PROFILES, salt=b"s1")
    r = sf.rows
    assert not {"reporter_name", "reporter_phone", "reporter_email", "reporter_nik"} & set(r.columns)
    assert r["title"][0] == "Lampu mati, [nama]"
    assert r["body"][0] == "Saya [nama], hp [telepon]"
    assert r["location"][0] == "Jl. Merdeka (rumah [telepon])"
    for col, dtype in r.schema.items():
        if dtype == pl.String:
            for v in r[col].drop_nulls().to_list():
                assert not contains_pii(v), (col, v)
                assert "Budi Santoso" not in v and "budi@mail.id" not in v and "3572012345670001" not in v
    assert r["is_anonymous"].to_list() == [True, False, None, None]
    assert r["is_confidential"].to_list() == [False, True, None, None]


def test_reporter_hash_is_salted_and_normalised(tmp_path):
    p = _csv(tmp_path / "lapor.csv", ROWS)
    h1 = stage_file(p, MD, PROFILES, salt=b"s1").rows["reporter_hash"].to_list()
    h2 = stage_file(p, MD, PROFILES, salt=b"s2").rows["reporter_hash"].to_list()
    assert h1[0] == h1[1]  # +62 812 3333 4444 and 0812-3333-4444 are one reporter
    assert h1[2] is not None and h1[2] != h1[0]
    assert h1[3] is None
    assert h1[0] != h2[0]  # another salt, another hash
    assert re.fullmatch(r"[0-9a-f]{32}", h1[0])


def test_preview_reports_profile_mapping_rows_and_problems(tmp_path):
    pv = preview_file(_csv(tmp_path / "lapor_2024-07-09.csv", ROWS), MD)
    assert pv.ok and pv.profile == "lapor" and pv.header_rows == [1]
    mapping = {h: f for h, f, _ in pv.columns}
    assert mapping["Tracking ID"] == "source_id" and mapping["No HP"] == "reporter_phone"
    assert pv.rows is not None and pv.rows.height == 4
    assert "reporter_phone" not in pv.rows.columns
    assert pv.rows["body"][0] == "Saya [nama], hp [telepon]"
    probs = pv.problems
    assert probs is not None
    flag = probs.filter(pl.col("rule") == "flag_invalid")
    assert flag["source_row"].to_list() == [5] and flag["column_name"].to_list() == ["Anonim"]
    assert "mungkin" in flag["message"][0] and "lapor_2024-07-09.csv, baris 5" in flag["message"][0]
    assert pv.rows_blocked == 0


def test_preview_of_a_refused_file(tmp_path):
    p = tmp_path / "kosong.csv"
    p.write_bytes(b"")
    pv = preview_file(p, MD)
    assert not pv.ok and pv.refused.startswith("Berkas kosong.csv ditolak")


NAME_CASES = [
    # (reporter name, title, body, location) -> expected (title, body, location)
    ("Tari", "Tarif parkir naik", "Pak tari bilang tarif parkir di Tarian Sentul mahal, kata TARI.", "Jl. Tarigan",
     ("Tarif parkir naik", "Pak [nama] bilang tarif parkir di Tarian Sentul mahal, kata [nama].", "Jl. Tarigan")),
    ("Budi Santoso", "Lampu mati", "Saya budi  santoso dari Budi Santosoan", "Rumah Budi Santoso",
     ("Lampu mati", "Saya [nama] dari Budi Santosoan", "Rumah [nama]")),
    ("Ani", "Ani melapor", "Anita dan Ani", "",  # shorter than four letters: never redacted (a common syllable)
     ("Ani melapor", "Anita dan Ani", None)),
    ("Dewi (Ibu)", "Dewi (Ibu) lapor", "dari dewi (ibu)x", "",
     ("[nama] lapor", "dari [nama]x", None)),
]


@pytest.mark.parametrize(("name", "title", "body", "location", "expected"), NAME_CASES)
def test_reporter_name_is_redacted_as_a_whole_word_only(tmp_path, name, title, body, location, expected):
    rows = [["1", "08/07/2024", "Proses", title, body, location, name, "", "", "", "", ""]]
    r = stage_file(_csv(tmp_path / "lapor.csv", rows), MD, PROFILES, salt=b"s1").rows
    assert (r["title"][0], r["body"][0], r["location"][0]) == expected
