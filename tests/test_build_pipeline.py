"""The build: snapshot merge, idempotence, duplicates, PII absence, lineage,
reconciliation, refusal, the publish gate, and a build killed mid-way."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from pipelines.build.core import run_pipeline
from pipelines.cli import app
from pipelines.ingest.pii import contains_pii
from pipelines.settings import DEFAULT_CONFIG_DIR, Paths

HEADER = "Tracking ID;Tanggal Laporan;Judul;Isi Laporan;Kategori;Kanal;Disposisi;Status;Tanggal Verifikasi;Tanggal Disposisi;Tanggal Tindak Lanjut;Tanggal Selesai;Kelurahan;Nama Pelapor;No HP"


def lapor(path: Path, rows: list[list[str]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER + "\n" + "\n".join(";".join(r) for r in rows) + "\n", encoding="utf-8")
    return path


def row(i, rep="05/01/2025 09:00", status="Selesai", ver="05/01/2025 10:00", disp="06/01/2025", tl="08/01/2025",
        done="10/01/2025", kanal="Website", opd="Dishub", kel="Sentul", title=None, body=None, name="Rina", hp="081211112222"):
    return [str(i), rep, title or f"Judul {i}", body or f"Isi laporan {i}", "Perhubungan", kanal, opd, status,
            ver, disp, tl, done, kel, name, hp]


def paths_for(tmp_path: Path, config_dir: Path | None = None) -> Paths:
    return Paths.from_args(tmp_path / "data", config_dir or DEFAULT_CONFIG_DIR)


def wh(paths: Paths) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(paths.warehouse), read_only=True)


@pytest.fixture(autouse=True)
def _salt(monkeypatch):
    monkeypatch.setenv("MONEV_PII_SALT", "test-salt")


# ---------------------------------------------------------------- merge
def test_status_advances_across_three_snapshots(tmp_path):
    p = paths_for(tmp_path)
    raw = p.raw_dir
    lapor(raw / "lapor_2025-01-06.csv", [row(1, status="Baru", ver="", disp="", tl="", done=""),
                                         row(2, status="Baru", ver="", disp="", tl="", done="")])
    lapor(raw / "lapor_2025-02-01.csv", [row(1, status="Terdisposisi", ver="05/01/2025 10:00", disp="07/01/2025", tl="",
                                             done="")])
    # March: verification left empty (must not erase), dispatch corrected, closed.
    lapor(raw / "lapor_2025-03-01.csv", [row(1, status="selesai", ver="", disp="08/01/2025", tl="09/01/2025",
                                             done="15/01/2025")])
    r = run_pipeline(p)
    assert r.published, r.message
    con = wh(p)
    c = con.execute(
        "SELECT status, status_label, verified_at, dispatched_at, first_response_at, resolved_at, source_file,"
        " first_snapshot_id = (SELECT file_hash FROM input_files WHERE file_name = 'lapor_2025-01-06.csv')"
        " FROM complaints WHERE complaint_key = 'lapor:1'"
    ).fetchone()
    assert c == (
        "resolved", "selesai", dt.datetime(2025, 1, 5, 10), dt.datetime(2025, 1, 8), dt.datetime(2025, 1, 9),
        dt.datetime(2025, 1, 15), "lapor_2025-03-01.csv", True,
    )
    hist = con.execute(
        "SELECT source_file, status, verified_at FROM complaint_status_history WHERE complaint_key = 'lapor:1'"
        " ORDER BY snapshot_date"
    ).fetchall()
    assert hist == [
        ("lapor_2025-01-06.csv", "unverified", None),
        ("lapor_2025-02-01.csv", "awaiting_response", dt.datetime(2025, 1, 5, 10)),
        ("lapor_2025-03-01.csv", "resolved", None),
    ]
    # A complaint no longer in later exports keeps its last known status.
    assert con.execute("SELECT status FROM complaints WHERE complaint_key = 'lapor:2'").fetchone() == ("unverified",)
    snap = con.execute("SELECT as_of, complaints, files FROM snapshot").fetchone()
    assert snap == (dt.date(2025, 1, 15), 2, 3)


def test_reloading_the_same_files_changes_nothing(tmp_path):
    p = paths_for(tmp_path)
    lapor(p.raw_dir / "lapor_2025-02-01.csv", [row(i) for i in range(1, 6)])
    assert run_pipeline(p).published
    con = wh(p)
    first = con.execute("SELECT * FROM complaints ORDER BY complaint_key").fetchall()
    hist1 = con.execute("SELECT * FROM complaint_status_history ORDER BY ALL").fetchall()
    con.close()
    shutil.copy(p.raw_dir / "lapor_2025-02-01.csv", p.raw_dir / "salinan_lapor.csv")
    r = run_pipeline(p)
    assert r.published
    dup = [f for f in r.files if f.rel_path == "salinan_lapor.csv"][0]
    assert dup.status == "duplicate" and dup.duplicate_of == "lapor_2025-02-01.csv"
    assert all(f.cached for f in r.files if f.status == "ok")  # staged once per content hash
    con = wh(p)
    assert con.execute("SELECT * FROM complaints ORDER BY complaint_key").fetchall() == first
    assert con.execute("SELECT * FROM complaint_status_history ORDER BY ALL").fetchall() == hist1
    assert con.execute("SELECT count(*) FROM input_files").fetchone()[0] == 1
    log = dict(con.execute("SELECT file_name, message FROM run_log WHERE file_name IS NOT NULL").fetchall())
    assert "identik" in log["salinan_lapor.csv"]


def test_monev_build_rebuilds_from_staged_files(tmp_path):
    p = paths_for(tmp_path)
    lapor(p.raw_dir / "lapor_2025-02-01.csv", [row(i) for i in range(1, 4)])
    assert run_pipeline(p).published
    (p.raw_dir / "lapor_2025-02-01.csv").unlink()  # build does not read raw/
    r = CliRunner().invoke(app, ["build", "--data-dir", str(p.data_dir)])
    assert r.exit_code == 0, r.output
    assert wh(p).execute("SELECT count(*) FROM complaints").fetchone()[0] == 3


# ---------------------------------------------------------------- duplicates
def test_rekap_and_form_manual_copy_are_one_cluster(tmp_path):
    p = paths_for(tmp_path)
    (p.raw_dir).mkdir(parents=True)
    (p.raw_dir / "rekap_whatsapp_2025-01.csv").write_text(
        "No;No. Register;Tanggal;Isi Pengaduan;OPD;Kategori;Kelurahan\n"
        "1;WA-1;04/01/2025;Lampu jalan padam Jl. Kelud, mohon segera ditangani;Dishub;Perhubungan;Sentul\n"
        "2;WA-2;04/01/2025;Parkir liar di depan pasar;Dishub;Perhubungan;Sentul\n",
        encoding="utf-8",
    )
    lapor(p.raw_dir / "lapor_2025-02-01.csv", [
        row(10, rep="05/01/2025 09:00", kanal="Form Manual", title="Lampu jalan padam Jl. Kelud",
            body="Diteruskan dari WhatsApp: Lampu jalan padam Jl. Kelud, mohon segera ditangani"),
        # same words but another street, and a report through the website: not duplicates
        row(11, rep="05/01/2025 09:00", kanal="Form Manual", title="Lampu jalan padam Jl. Merdeka"),
        row(12, rep="05/01/2025 09:00", kanal="Website", title="Parkir liar di depan pasar",
            body="Parkir liar di depan pasar"),
    ])
    r = run_pipeline(p)
    assert r.published and r.duplicates == 1
    got = wh(p).execute(
        "SELECT complaint_key, duplicate_cluster, is_duplicate FROM complaints WHERE duplicate_cluster IS NOT NULL"
        " ORDER BY complaint_key"
    ).fetchall()
    assert got == [("lapor:10", "rekap:whatsapp:WA-1", True), ("rekap:whatsapp:WA-1", "rekap:whatsapp:WA-1", False)]


# ---------------------------------------------------------------- PII, lineage, reconciliation
def test_no_personal_data_in_any_string_column(tmp_path):
    p = paths_for(tmp_path)
    lapor(p.raw_dir / "lapor_2025-02-01.csv", [
        row(1, body="Saya Rina, WA 0812-1111-2222, email rina@contoh.id, NIK 3572012345670001", name="Rina Wati"),
        row(2, title="Hubungi +62 813 5555 6666", hp="+62 813 5555 6666", opd="Dinas 0812-0000-1111"),
    ])
    assert run_pipeline(p).published
    con = wh(p)
    secrets = ["Rina Wati", "081211112222", "0812-1111-2222", "rina@contoh.id", "3572012345670001", "5555 6666"]
    cols = con.execute(
        "SELECT table_name, column_name FROM information_schema.columns"
        " WHERE data_type = 'VARCHAR' AND table_schema = 'main'"
    ).fetchall()
    checked = 0
    for table, col in cols:
        for (v,) in con.execute(f'SELECT DISTINCT "{col}" FROM "{table}" WHERE "{col}" IS NOT NULL').fetchall():
            checked += 1
            assert not contains_pii(v), (table, col, v)
            assert not any(s in v for s in secrets), (table, col, v)
    assert checked > 50
    body = con.execute("SELECT body FROM complaints WHERE complaint_key = 'lapor:1'").fetchone()[0]
    assert body == "Saya Rina, WA [telepon], email [email], NIK [NIK]"


def test_reconciliation_and_lineage(tmp_path):
    p = paths_for(tmp_path)
    rows = [row(i) for i in range(1, 40)] + [row(99, rep="tanggal?")]
    lapor(p.raw_dir / "lapor_2025-02-01.csv", rows)
    r = run_pipeline(p)
    assert r.published, r.message
    con = wh(p)
    f = con.execute(
        "SELECT rows_read, rows_loaded, rows_quarantined, rows_skipped, profile, source_system, snapshot_date FROM input_files"
    ).fetchone()
    assert f == (40, 39, 1, 0, "lapor", "lapor", dt.date(2025, 2, 1))
    assert f[0] == f[1] + f[2] + f[3]
    assert con.execute("SELECT count(*) FROM complaint_status_history").fetchone()[0] == 39
    log = con.execute("SELECT rows_read, rows_loaded, rows_quarantined, status FROM run_log WHERE file_name IS NULL").fetchone()
    assert log == (40, 39, 1, "ok")
    snap = con.execute("SELECT snapshot_id, input_hash, config_hash, files FROM snapshot").fetchone()
    assert snap[0] == r.snapshot_id and len(snap[1]) == 16 and snap[3] == 1
    assert (p.runs_dir / r.run_id / "run.json").exists()
    assert (p.runs_dir / r.run_id / "great_expectations.json").exists()
    assert con.execute("SELECT count(*) FROM calendar").fetchone()[0] >= 365 * 3


# ---------------------------------------------------------------- refusals and the gate
def test_a_refused_file_publishes_nothing(tmp_path):
    p = paths_for(tmp_path)
    lapor(p.raw_dir / "lapor_2025-02-01.csv", [row(1), row(2)])
    assert run_pipeline(p).published
    before = p.warehouse.stat().st_mtime_ns
    (p.raw_dir / "laporan.xlsx").write_bytes(b"%PDF-1.4\n%%EOF\n")
    (p.raw_dir / "README.md").write_text("catatan")
    (p.raw_dir / ".~lock.x#").write_text("x")
    res = CliRunner().invoke(app, ["run", "--data-dir", str(p.data_dir)])
    assert res.exit_code == 1
    assert "Berkas laporan.xlsx ditolak" in res.output and "PDF" in res.output
    assert p.warehouse.stat().st_mtime_ns == before
    assert wh(p).execute("SELECT count(*) FROM complaints").fetchone()[0] == 2


def test_the_gate_holds_back_a_file_with_too_many_bad_rows(tmp_path):
    cfg = tmp_path / "config"
    shutil.copytree(DEFAULT_CONFIG_DIR, cfg)
    p = paths_for(tmp_path, cfg)
    lapor(p.raw_dir / "lapor_2025-02-01.csv", [row(i) for i in range(1, 10)] + [row(50, status="Dibaca")])
    res = CliRunner().invoke(app, ["run", "--data-dir", str(p.data_dir), "--config-dir", str(cfg)])
    assert res.exit_code == 2, res.output
    assert "Publikasi ditahan" in res.output and "10,0%" in res.output
    assert not p.warehouse.exists()
    chk = CliRunner().invoke(app, ["check", "--data-dir", str(p.data_dir), "--format", "table"])
    assert chk.exit_code == 0 and "belum terbit" in chk.output and "Dibaca" in chk.output
    # The limit is configuration.
    y = cfg / "ingest.yaml"
    y.write_text(y.read_text().replace("max_blocking_share: 0.05", "max_blocking_share: 0.2"))
    res = CliRunner().invoke(app, ["run", "--data-dir", str(p.data_dir), "--config-dir", str(cfg)])
    assert res.exit_code == 0, res.output
    assert wh(p).execute("SELECT count(*) FROM quarantine WHERE status = 'held'").fetchone()[0] == 1


def test_a_killed_build_leaves_the_old_warehouse(tmp_path):
    p = paths_for(tmp_path)
    lapor(p.raw_dir / "lapor_2025-01-31.csv", [row(i) for i in range(1, 4)])
    assert run_pipeline(p).published
    old_bytes = p.warehouse.read_bytes()
    lapor(p.raw_dir / "lapor_2025-02-01.csv", [row(i) for i in range(1, 400)])
    env = {**os.environ, "MONEV_PII_SALT": "test-salt"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipelines.cli", "run", "--data-dir", str(p.data_dir)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
    )
    deadline = time.monotonic() + 60
    killed = False
    while time.monotonic() < deadline and proc.poll() is None:
        if list(p.curated_dir.glob(".build-*.duckdb")):
            time.sleep(0.05)
            proc.send_signal(signal.SIGKILL)
            killed = True
            break
        time.sleep(0.01)
    proc.wait()
    assert killed, "the build finished before it could be killed"
    assert p.warehouse.read_bytes() == old_bytes
    con = duckdb.connect(str(p.warehouse), read_only=True)
    assert con.execute("SELECT count(*) FROM complaints").fetchone()[0] == 3
    con.close()
    # The next run cleans up and publishes.
    r = run_pipeline(p)
    assert r.published and r.complaints == 399
    assert not list(p.curated_dir.glob(".build-*"))


# ---------------------------------------------------------------- broken files, end to end
def _xlsx_bytes(tmp_path: Path) -> bytes:
    import xlsxwriter

    p = tmp_path / "tmp.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    ws = wb.add_worksheet()
    ws.write_row(0, 0, HEADER.split(";"))
    for i in range(1, 40):
        ws.write_row(i, 0, row(100 + i))
    wb.close()
    return p.read_bytes()


BROKEN = {
    # name -> (content maker, words of the "what to do" sentence)
    "empty": ("lapor_2025-03-01.csv", lambda tmp: b"", "Ekspor ulang"),
    "header_only": ("lapor_2025-03-01.csv", lambda tmp: (HEADER + "\n").encode(), "Ekspor ulang"),
    "truncated_xlsx": ("lapor_2025-03-01.xlsx", lambda tmp: _xlsx_bytes(tmp)[:2000], "simpan ulang sebagai XLSX"),
    "pdf_renamed_xlsx": ("lapor_2025-03-01.xlsx", lambda tmp: b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n",
                         "Unduh ekspor dalam format Excel"),
    "wrong_columns": ("lapor_2025-03-01.csv", lambda tmp: b"Nomor;Tanggal Laporan;Catatan\n1;08/03/2025;x\n",
                      "config/profiles"),
}


@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_a_broken_file_is_refused_with_one_paragraph_and_the_warehouse_stays(tmp_path, kind):
    name, make, todo = BROKEN[kind]
    p = paths_for(tmp_path)
    lapor(p.raw_dir / "lapor_2025-02-01.csv", [row(i) for i in range(1, 6)])
    assert run_pipeline(p).published
    before = p.warehouse.read_bytes()
    (p.raw_dir / name).write_bytes(make(tmp_path))
    res = CliRunner().invoke(app, ["run", "--data-dir", str(p.data_dir)])
    assert res.exit_code == 1, res.output
    paragraphs = [line for line in res.output.splitlines() if line.startswith(f"Berkas {name} ditolak: ")]
    assert len(paragraphs) == 1, res.output  # one paragraph naming the file ...
    msg = paragraphs[0]
    assert todo in msg and msg.endswith(".")  # ... saying what to do
    assert "gudang data tidak diperbarui" in res.output
    assert p.warehouse.read_bytes() == before
    con = wh(p)
    assert con.execute("SELECT count(*), sum(files) FROM snapshot").fetchone() == (1, 1)
    assert con.execute("SELECT count(*) FROM complaints").fetchone()[0] == 5
    con.close()


def test_no_personal_data_in_any_string_column_of_the_demo_warehouse(demo_con):
    """The scan over every VARCHAR column of every table and view, on the full demo
    (whose raw files carry reporters' names, phones, emails and NIK)."""
    import re

    from pipelines.demo.vocab import FIRST_NAMES, LAST_NAMES

    first, last = "|".join(FIRST_NAMES), "|".join(LAST_NAMES)
    full_name = re.compile(rf"\b(?:{first})\s+(?:{last})\b", re.IGNORECASE)
    cols = demo_con.execute(
        "SELECT table_name, column_name FROM information_schema.columns"
        " WHERE data_type = 'VARCHAR' AND table_schema = 'main'"
    ).fetchall()
    tables = {t for t, _ in cols}
    assert {"complaints", "complaint_status_history", "quarantine", "warnings", "evidence"} <= tables
    checked = 0
    for table, col in cols:
        for (v,) in demo_con.execute(f'SELECT DISTINCT "{col}" FROM "{table}" WHERE "{col}" IS NOT NULL').fetchall():
            checked += 1
            assert not contains_pii(v), (table, col, v)
            assert not full_name.search(v), (table, col, v)
    assert checked > 5000
    assert demo_con.execute("SELECT count(*) FROM complaints WHERE reporter_hash IS NOT NULL").fetchone()[0] > 100
