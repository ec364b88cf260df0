"""Evidence (bukti dukung) enters the warehouse through the build: copied before
publish, part of the snapshot's input hash, and seeded by `monev demo` so the
demo's rating is assessed."""

from __future__ import annotations

import datetime as dt
import json

import duckdb
import pytest
from typer.testing import CliRunner

from pipelines.build.core import run_pipeline
from pipelines.cli import app
from pipelines.rating import evidence as ev
from pipelines.settings import DEFAULT_CONFIG_DIR, Paths

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
HEADER = "Tracking ID;Tanggal Laporan;Judul;Isi Laporan;Kategori;Kanal;Disposisi;Status;Tanggal Selesai"


@pytest.fixture(autouse=True)
def _salt(monkeypatch):
    monkeypatch.setenv("MONEV_PII_SALT", "test-salt")


def _paths(tmp_path) -> Paths:
    p = Paths.from_args(tmp_path / "data", DEFAULT_CONFIG_DIR)
    p.raw_dir.mkdir(parents=True)
    rows = [f"{i};05/01/2025 09:00;Judul {i};Isi {i};Perhubungan;Website;Dishub;Selesai;10/01/2025" for i in range(1, 6)]
    (p.raw_dir / "lapor_2025-02-01.csv").write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return p


def _add(paths: Paths, title: str, indicator: str = "sk_tim_pengaduan", doc_type: str = "SK") -> ev.EvidenceRecord:
    return ev.add_evidence(paths, indicator_id=indicator, year=2025, doc_type=doc_type, title=title,
                           doc_date=dt.date(2025, 1, 10), recorded_by="Admin", content=PDF + title.encode(),
                           file_name=f"{title}.pdf")


def _snapshot(paths: Paths) -> tuple[str, list[tuple]]:
    con = duckdb.connect(str(paths.warehouse), read_only=True)
    try:
        h = con.execute("SELECT input_hash FROM snapshot").fetchone()[0]
        rows = con.execute("SELECT evidence_id, indicator_id, status, file_ok FROM evidence ORDER BY 1").fetchall()
        fp_wh = ev.evidence_fingerprint(ev.load_evidence(con)[0])
    finally:
        con.close()
    assert fp_wh == ev.state_evidence_fingerprint(paths)  # the warehouse carries the register as it is
    return h, rows


def test_evidence_is_copied_by_the_build_and_changes_the_input_hash(tmp_path):
    p = _paths(tmp_path)
    r0 = run_pipeline(p)
    assert r0.published and r0.evidence == 0
    h0, rows0 = _snapshot(p)
    assert rows0 == []  # the table exists even before any evidence is recorded

    # Same inputs, same register: the same input hash.
    assert run_pipeline(p).published
    assert _snapshot(p)[0] == h0

    # A new evidence record: the next build is a new snapshot with the record in it.
    rec = _add(p, "SK Tim Pengaduan 2025")
    r1 = run_pipeline(p)
    assert r1.published and r1.evidence == 1
    h1, rows1 = _snapshot(p)
    assert h1 != h0 and r1.snapshot_id.endswith(h1[:8])
    assert rows1 == [(rec.evidence_id, "sk_tim_pengaduan", "diajukan", True)]

    # Verifying it changes what the rating reads: again a new input hash.
    ev.verify_evidence(p, rec.evidence_id, by="Verifikator")
    r2 = run_pipeline(p)
    h2, rows2 = _snapshot(p)
    assert r2.published and h2 not in (h0, h1)
    assert rows2 == [(rec.evidence_id, "sk_tim_pengaduan", "diverifikasi", True)]

    # `monev build` (from the staged files) copies the register too.
    _add(p, "Perwali 40 Tahun 2025", indicator="regulasi_pengaduan", doc_type="Perwali")
    res = CliRunner().invoke(app, ["build", "--data-dir", str(p.data_dir)])
    assert res.exit_code == 0, res.output
    h3, rows3 = _snapshot(p)
    assert h3 not in (h0, h1, h2) and len(rows3) == 2


def test_a_blocked_build_does_not_publish_new_evidence(tmp_path):
    p = _paths(tmp_path)
    assert run_pipeline(p).published
    h0, _ = _snapshot(p)
    _add(p, "SK Tim Pengaduan 2025")
    (p.raw_dir / "laporan.xlsx").write_bytes(PDF)  # a refused file: nothing is published
    assert not run_pipeline(p).published
    con = duckdb.connect(str(p.warehouse), read_only=True)
    assert con.execute("SELECT count(*) FROM evidence").fetchone()[0] == 0
    assert con.execute("SELECT input_hash FROM snapshot").fetchone()[0] == h0
    con.close()


def test_the_demo_build_carries_the_demo_evidence_and_rates_baik(demo_data_dir):
    paths = Paths(demo_data_dir, DEFAULT_CONFIG_DIR)
    state = ev.list_evidence(paths)
    assert state and {r.status for r in state} == {"diajukan", "diverifikasi", "ditolak"}
    con = duckdb.connect(str(paths.warehouse), read_only=True)
    try:
        n = con.execute("SELECT count(*) FROM evidence").fetchone()[0]
        years = {y for (y,) in con.execute("SELECT DISTINCT year FROM evidence").fetchall()}
    finally:
        con.close()
    assert n == len(state) and years == {2024, 2025, 2026}
    res = CliRunner().invoke(app, ["rating", "--year", "2025", "--data-dir", str(demo_data_dir), "--format", "json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["predikat"] == "Baik" and out["assessed"] is True
    assert out["evidence_source"] == "gudang data" and out["evidence_ids"]
    assert not any("Register bukti dukung berubah" in note for note in out["notes"])
