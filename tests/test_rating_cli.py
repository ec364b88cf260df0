"""`monev rating` and `monev evidence` end to end on a small published warehouse."""

import json

import pytest
from test_rating_warehouse import AS_OF, complaints
from typer.testing import CliRunner
from warehouse_factory import make_warehouse

from pipelines.cli import app
from pipelines.rating import evidence as ev
from pipelines.settings import DEFAULT_CONFIG_DIR, Paths

runner = CliRunner()
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def paths(tmp_path):
    p = Paths(tmp_path / "data", DEFAULT_CONFIG_DIR)
    p.curated_dir.mkdir(parents=True)
    return p


def publish(paths, with_evidence=True):
    paths.warehouse.unlink(missing_ok=True)  # a new build replaces the published file
    con = make_warehouse(complaints(), as_of=AS_OF, path=paths.warehouse, calendar_years=(2024, 2026))
    if with_evidence:
        ev.copy_evidence_to_warehouse(con, paths)
    con.close()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_evidence_commands_and_rating(paths, tmp_path):
    f = tmp_path / "SK tim.pdf"
    f.write_bytes(PDF)
    d = paths.data_dir
    res = run("evidence", "add", "--indicator", "sk_tim_pengaduan", "--year", 2025, "--type", "sk", "--title",
              "SK Wali Kota No. 188/12/2025", "--date", "2025-01-10", "--file", f, "--by", "Admin", "--data-dir", d)
    assert res.exit_code == 0, res.output
    assert "BD-0001 dicatat" in res.output and "10 Januari 2025" in res.output
    res = run("evidence", "add", "--indicator", "sk_tim_pengaduan", "--year", 2025, "--type", "foto", "--title", "x",
              "--date", "2025-01-10", "--file", f, "--data-dir", d)
    assert res.exit_code == 1 and "Jenis 'foto' tidak dihitung" in res.output
    res = run("evidence", "verify", 1, "--reject", "--data-dir", d)
    assert res.exit_code == 1 and "wajib disertai alasan" in res.output
    res = run("evidence", "list", "--year", 2025, "--data-dir", d)
    assert "BD-0001" in res.output and "diajukan" in res.output and "10/01/2025" in res.output

    # the warehouse is built before verification: the rating says the register changed
    publish(paths)
    res = run("rating", "--year", 2025, "--format", "json", "--data-dir", d)
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["predikat"] == "Tidak dinilai" and out["disclaimer"] == "Estimasi model, bukan nilai resmi Kemendagri"
    # the submitted SK only needs verifying: the plan says so
    verify = [c for c in out["what_if"]["changes"] if c["kind"] == "verifikasi_bukti"]
    assert [c["detail"]["evidence_ids"] for c in verify] == [[1]]
    assert out["what_if"]["reaches"] is True

    res = run("evidence", "verify", 1, "--by", "Evaluator", "--data-dir", d)
    assert res.exit_code == 0 and "diverifikasi" in res.output
    res = run("rating", "--year", 2025, "--format", "json", "--data-dir", d)
    out = json.loads(res.output)
    assert out["predikat"] == "Tidak dinilai"
    assert any("Register bukti dukung berubah" in n for n in out["notes"])
    live = json.loads(run("rating", "--year", 2025, "--format", "json", "--live-evidence", "--data-dir", d).output)
    assert live["predikat"] != "Tidak dinilai" and live["evidence_ids"] == [1]
    assert live["evidence_source"].startswith("penyimpanan aplikasi")
    publish(paths)  # the next build takes the verification in
    out = json.loads(run("rating", "--year", 2025, "--format", "json", "--data-dir", d).output)
    assert out["predikat"] == live["predikat"] and out["total"] == pytest.approx(live["total"])
    assert not any("Register bukti dukung berubah" in n for n in out["notes"])

    # every change made on the command line is in the audit log, with who made it
    from pipelines.auth.audit import list_audit

    log = [(e.username, e.action, e.source) for e in list_audit(paths)]
    assert ("Admin", "evidence_add", "cli") in log
    assert ("Evaluator", "evidence_verify", "cli") in log
    assert sum(1 for _, a, _ in log if a == "evidence_add") == 1  # the refused add is not logged

    res = run("evidence", "completeness", "--year", 2025, "--data-dir", d)
    assert res.exit_code == 0 and "sk_tim_pengaduan" in res.output and "lengkap" in res.output
    assert "Kurang 4 kegiatan sosialisasi" in res.output


def test_rating_table_with_opd_and_target(paths):
    publish(paths)
    res = run("rating", "--year", 2025, "--opd", "--target", "Sangat Baik", "--data-dir", paths.data_dir)
    assert res.exit_code == 0, res.output
    out = res.output
    assert "PREDIKAT: Tidak dinilai" in out
    assert "Estimasi model, bukan nilai resmi Kemendagri" in out
    assert 'Menuju "Sangat Baik"' in out and " poin" in out
    assert "NILAI PER OPD" in out and "data tidak cukup" in out and "Dinas Perhubungan" in out
    assert "1 Januari 2025 – 31 Desember 2025, per 31 Desember 2025" in out


def test_errors_are_clear(paths, tmp_path):
    res = run("rating", "--year", 2025, "--data-dir", paths.data_dir)
    assert res.exit_code == 1 and "Belum ada gudang data" in res.output
    publish(paths)
    bad = tmp_path / "model.yaml"
    bad.write_text((DEFAULT_CONFIG_DIR / "rating_model.yaml").read_text().replace("weight: 35\n", "weight: 30\n", 1))
    res = run("rating", "--year", 2025, "--model", bad, "--data-dir", paths.data_dir)
    assert res.exit_code == 1 and "model.yaml baris" in res.output and "berjumlah 95" in res.output
    res = run("rating", "--year", 2025, "--target", "Istimewa", "--data-dir", paths.data_dir)
    assert res.exit_code == 1 and "Predikat 'Istimewa' tidak ada" in res.output
    res = run("rating", "--year", 2025, "--format", "xml", "--data-dir", paths.data_dir)
    assert res.exit_code == 1 and "Format 'xml'" in res.output
