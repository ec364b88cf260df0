"""The officers' register (pejabat penghubung): validation, changes in the audit log without contact data,
`monev pejabat`, and what reaches the warehouse through the build (only "has an officer" and "SK current"),
which the rating's Input indicator reads."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest
from typer.testing import CliRunner

from pipelines.auth.audit import list_audit
from pipelines.build.core import run_pipeline
from pipelines.cli import app
from pipelines.ingest.pii import find_pii
from pipelines.officers import (
    OfficerError,
    add_officer,
    get_officer,
    list_officers,
    remove_officer,
    update_officer,
)
from pipelines.officers.facts import load_register_facts
from pipelines.officers.register import normalize_whatsapp
from pipelines.rating.measures import read_measure
from pipelines.settings import DEFAULT_CONFIG_DIR, Paths

HEADER = "Tracking ID;Tanggal Laporan;Judul;Isi Laporan;Kategori;Kanal;Disposisi;Status;Tanggal Selesai"


@pytest.fixture()
def paths(tmp_path) -> Paths:
    return Paths.from_args(tmp_path / "data", DEFAULT_CONFIG_DIR)


def officer(paths: Paths, dep: str = "Dinas Perhubungan", **kw):
    args = dict(name="Budi Santoso", position="Kasubbag Umum", email="budi.s@dishub.test", whatsapp="0812 3456 7890",
                sk_number="188/45/410.010/2026", sk_date="2026-01-15", by="admin")
    return add_officer(paths, dep, **{**args, **kw})


def test_whatsapp_numbers_are_one_form():
    assert {normalize_whatsapp(x) for x in ("0812-3456-7890", "+62 812 3456 7890", "62812 3456 7890",
                                            "(0812) 3456.7890")} == {"+6281234567890"}
    for bad in ("12345", "+1 202 555 0100", "0812-abc"):
        with pytest.raises(OfficerError, match="Nomor WhatsApp"):
            normalize_whatsapp(bad)


@pytest.mark.parametrize(("change", "message"), [
    ({"dep": "Dinas Perhubungn"}, "Mungkin maksudnya: Dinas Perhubungan"),
    ({"email": "budi@"}, "E-mail 'budi@' tidak sah"),
    ({"sk_date": "15/01/2026"}, "tulis sebagai YYYY-MM-DD"),
    ({"sk_date": "2999-01-01"}, "di masa depan"),
    ({"name": "  "}, "Nama pejabat wajib diisi"),
    ({"email": None, "whatsapp": None}, "minimal satu kontak"),
])
def test_bad_input_is_refused_with_a_reason(paths, change, message):
    dep = change.pop("dep", "Dinas Perhubungan")
    with pytest.raises(OfficerError, match=message):
        officer(paths, dep, **change)
    assert list_officers(paths) == []


def test_alias_update_remove_and_audit_without_contact_data(paths):
    o = officer(paths, "dishub")
    assert (o.department, o.email, o.whatsapp, o.label) == ("Dinas Perhubungan", "budi.s@dishub.test",
                                                           "+6281234567890", "PP-0001")
    u = update_officer(paths, o.officer_id, by="admin", sk_number="188/1/2027", sk_date="2026-11-30", whatsapp="")
    assert (u.sk_number, u.sk_date, u.whatsapp, u.email) == ("188/1/2027", dt.date(2026, 11, 30), None, o.email)
    with pytest.raises(OfficerError, match="minimal satu kontak"):
        update_officer(paths, o.officer_id, by="admin", email="")
    remove_officer(paths, o.officer_id, by="admin")
    with pytest.raises(OfficerError, match="PP-0001 tidak ada"):
        get_officer(paths, o.officer_id)
    entries = list_audit(paths)
    assert [e.action for e in entries] == ["officer_remove", "officer_update", "officer_add"]
    details = " ".join(e.detail or "" for e in entries)
    assert "Budi" not in details and not find_pii(details) and "PP-0001 Dinas Perhubungan" in details


def test_monev_pejabat_commands(paths):
    base = ["--data-dir", str(paths.data_dir)]
    r = CliRunner().invoke(app, ["pejabat", "add", *base, "--opd", "Dinas Kesehatan", "--nama", "Sri Lestari",
                                 "--jabatan", "Analis", "--email", "sri@dinkes.test", "--sk-nomor", "188/7/2024",
                                 "--sk-tanggal", "2024-03-01"])
    assert r.exit_code == 0 and "PP-0001 dicatat" in r.output
    listed = CliRunner().invoke(app, ["pejabat", "list", *base])
    assert "sri@dinkes.test" in listed.output and "1 Maret 2024" in listed.output
    st = CliRunner().invoke(app, ["pejabat", "status", *base, "--tanggal", "2026-12-01"])
    assert "Dinas Kesehatan" in st.output and "perlu SK baru" in st.output and "sri@" not in st.output
    bad = CliRunner().invoke(app, ["pejabat", "remove", *base, "PP-0009"])
    assert bad.exit_code == 1 and "tidak ada di register" in bad.output and "Traceback" not in bad.output
    assert CliRunner().invoke(app, ["pejabat", "remove", *base, "1"]).exit_code == 0


def test_the_build_copies_only_the_facts_and_the_rating_reads_them(paths, monkeypatch):
    monkeypatch.setenv("MONEV_PII_SALT", "test-salt")
    paths.raw_dir.mkdir(parents=True)
    rows = [f"{i};05/01/2025 09:00;Judul {i};Isi {i};Perhubungan;Website;Dishub;Selesai;10/01/2025"
            for i in range(1, 6)]
    (paths.raw_dir / "lapor_2025-02-01.csv").write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    r0 = run_pipeline(paths)
    con = duckdb.connect(str(paths.warehouse), read_only=True)
    assert load_register_facts(con) == []  # empty register: no rows, the indicator is not counted
    assert read_measure("opd_liaison_share", {"officer_register": []}).value is None
    h0 = con.execute("SELECT input_hash FROM snapshot").fetchone()[0]
    con.close()
    officer(paths, sk_date="2024-12-01")  # current at the data's as-of date (February 2025)
    officer(paths, "Dinas Kesehatan", email="sri@dinkes.test", sk_date="2023-06-01")  # older than a year
    r1 = run_pipeline(paths)
    assert r0.published and r1.published
    con = duckdb.connect(str(paths.warehouse), read_only=True)
    try:
        facts = {f["department"]: f for f in load_register_facts(con)}
        assert facts["Dinas Perhubungan"]["sk_current"] and not facts["Dinas Kesehatan"]["sk_current"]
        assert facts["Dinas Kesehatan"]["has_officer"] and not facts["Dinas Sosial"]["has_officer"]
        assert con.execute("SELECT input_hash FROM snapshot").fetchone()[0] != h0
        cols = {r[0] for r in con.execute("SELECT column_name FROM information_schema.columns "
                                          "WHERE table_name = 'officer_register'").fetchall()}
        assert cols == {"department", "has_officer", "sk_current", "reference_date"}
        text = " ".join(str(v) for row in con.execute("SELECT * FROM officer_register").fetchall() for v in row)
        assert "Budi" not in text and "188/45" not in text and not find_pii(text)
        mv = read_measure("opd_liaison_share", {"officer_register": load_register_facts(con)})
        assert mv.numerator == 1 and mv.denominator == len(facts) and "Dinas Kesehatan" in mv.extra["opd_tanpa_sk_berlaku"]
        from pipelines.rating import rate_city

        ind = rate_city(con, 2025).indicator("opd_penghubung_sk")
        assert ind.value == pytest.approx(1 / len(facts)) and ind.score == 0.0  # below the floor of 50 %
    finally:
        con.close()


@pytest.mark.parametrize("role", ["pimpinan", "koordinator", "opd", "evaluator", "analis"])
def test_register_writes_check_the_role(paths, role):
    from pipelines.auth.scope import Scope
    from pipelines.capabilities import CapabilityError, allowed

    actor = Scope(role, department="Dinas Perhubungan" if role == "opd" else None, user=f"u-{role}")
    o = officer(paths)  # by the operator
    calls = [lambda: officer(paths, "Dinas Sosial", actor=actor),
             lambda: update_officer(paths, o.officer_id, by="x", actor=actor, sk_number="188/2/2026"),
             lambda: remove_officer(paths, o.officer_id, by="x", actor=actor)]
    for call in calls:
        if allowed(role, "manage_officers"):
            call()
        else:
            with pytest.raises(CapabilityError, match="register pejabat penghubung"):
                call()
    left = list_officers(paths)
    assert [x.department for x in left] == (["Dinas Sosial"] if role == "koordinator" else ["Dinas Perhubungan"])
