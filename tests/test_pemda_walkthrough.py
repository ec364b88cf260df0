"""docs/pemda-baru.md, followed step by step: `monev init` for Kabupaten Sleman from one Laporan
Ringkas export written from the documented layout, review of the OPD draft, `monev ingest`,
`monev run`, `monev check`, an account, and the dashboard opening on the published warehouse."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest
from ringkas_export import RingkasRow, write_ringkas
from typer.testing import CliRunner

from pipelines.cli import app

DOC = Path(__file__).resolve().parents[1] / "docs" / "pemda-baru.md"
APP = str(Path(__file__).resolve().parents[1] / "dashboard" / "app.py")

# Ten reports of 2025 in Kabupaten Sleman. By hand: 6 closed ("Ditutup oleh ..."), 2 archived (one archived by
# the admin, one blocked content), 1 waiting for the reporter, 1 unverified; 3 without an OPD of this pemda
# (two not dispositioned, one to the provincial health office); kecamatan Depok 4, Mlati 2, Gamping 2, Godean 1.
ROWS = [
    RingkasRow("5001", "6 Jan 2025", "08:15:00", "Dinas Perhubungan Kab. Sleman", "Ditutup oleh Sistem",
               kecamatan="Depok", kelurahan="Caturtunggal"),
    RingkasRow("5002", "3 Feb 2025", "09:00:10", "Dinas Perhubungan Kab. Sleman", "Ditutup oleh Admin",
               kecamatan="Depok", kelurahan="Condongcatur"),
    RingkasRow("5003", "10 Mar 2025", "10:30:00", "Dinas Kesehatan Kab. Sleman", "Ditutup oleh Pelapor",
               category="Lainnya terkait Kesehatan", kecamatan="Mlati", kelurahan="Sinduadi"),
    RingkasRow("5004", "14 Apr 2025", "11:00:00", "Dinas Lingkungan Hidup Kab. Sleman", "Ditutup oleh Sistem",
               category="Sampah", kecamatan="Gamping", kelurahan="Ambarketawang"),
    RingkasRow("5005", "5 May 2025", "13:45:00", "Kecamatan Depok", "Ditutup oleh Admin",
               kecamatan="Depok", kelurahan="Maguwoharjo"),
    RingkasRow("5006", "2 Jun 2025", "14:00:00", "Dinas Pekerjaan Umum dan Penataan Ruang Kab. Sleman",
               "Menunggu Kelengkapan Informasi", kecamatan="Gamping", kelurahan="Trihanggo"),
    RingkasRow("5007", "7 Jul 2025", "08:00:00", "", "Belum Terverifikasi", kecamatan="Godean"),
    RingkasRow("5008", "4 Aug 2025", "09:30:00", "Dinas Perhubungan Kab. Sleman", "Diarsipkan oleh Admin",
               kecamatan="Depok", kelurahan="Caturtunggal"),
    RingkasRow("5009", "1 Sep 2025", "10:00:00", "", "Konten Terblokir"),
    RingkasRow("5010", "6 Oct 2025", "15:20:00", "Dinas Kesehatan Provinsi Daerah Istimewa Yogyakarta",
               "Ditutup oleh Admin", classification="Pengaduan Berkadar Pengawasan", kecamatan="Mlati"),
]


@pytest.fixture(autouse=True)
def _salt(monkeypatch):
    monkeypatch.setenv("MONEV_PII_SALT", "test-salt")


def commands_in_doc() -> list[list[str]]:
    """The `.venv/bin/monev ...` lines of the walkthrough, as argument lists."""
    out = []
    for line in DOC.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^\.venv/bin/monev (.+?)(?:\s{2,}#.*)?$", line.strip())
        if m:
            out.append(re.findall(r'"[^"]*"|\S+', m.group(1)))
    return [[a.strip('"') for a in cmd] for cmd in out]


def test_the_walkthrough_gives_a_published_warehouse_and_a_dashboard(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    export = write_ringkas(tmp_path / "Unduhan" / "laporan_ringkas_2025.xlsx", ROWS,
                           nama_instansi="Pemerintah Kabupaten Sleman", provinsi="Daerah Istimewa Yogyakarta",
                           kota="Kabupaten Sleman", generated="2025-11-14", periode="(2025-01-01) - (2025-10-31)")
    cmds = commands_in_doc()
    assert [c[0] for c in cmds] == ["init", "ingest", "run", "check", "user", "serve"]
    runner = CliRunner()

    def run(cmd: list[str], **kw):
        cmd = [str(export) if a == "~/Unduhan/laporan_ringkas_2025.xlsx" else a for a in cmd]
        res = runner.invoke(app, cmd, **kw)
        assert res.exit_code == 0, (cmd, res.output)
        return res.output

    # 2. monev init
    out = run(cmds[0])
    assert "Konfigurasi untuk Pemerintah Kabupaten Sleman" in out
    cfg = tmp_path / "konfig-sleman"
    deps = (cfg / "departments.yaml").read_text(encoding="utf-8")
    assert "draft: true" in deps and "  - name: Dinas Perhubungan  # 3 laporan di ekspor" in deps
    assert "#   Dinas Kesehatan Provinsi Daerah Istimewa Yogyakarta (1 laporan)" in deps
    # 3. review: the admin removes the draft mark
    (cfg / "departments.yaml").write_text(deps.replace("draft: true\n", ""), encoding="utf-8")
    # 4. monev ingest: the built-in Ringkas profile, no other pemda
    out = run(cmds[1])
    assert "profil 'Ekspor SP4N-LAPOR! (Laporan Ringkas)', judul kolom di baris 11, 10 baris data" in out
    assert "PERINGATAN" not in out
    assert ('OPD "Dinas Kesehatan Provinsi Daerah Istimewa Yogyakarta": 1 baris; instansi di luar pemda ini '
            "(tidak dipetakan ke OPD)") in out
    # 5. monev run, monev check
    out = run(cmds[2])
    assert "Gudang data diterbitkan" in out and "10 pengaduan" in out
    out = run(cmds[3])
    assert "Berkas yang menyebut pemda lain" not in out
    con = duckdb.connect(str(tmp_path / "data-sleman" / "curated" / "monev.duckdb"), read_only=True)
    try:
        by_status = dict(con.execute("SELECT status, count(*) FROM complaints GROUP BY 1").fetchall())
        by_dep = dict(con.execute("SELECT department, count(*) FROM complaints GROUP BY 1").fetchall())
        by_kec = dict(con.execute("SELECT kecamatan, count(*) FROM complaints GROUP BY 1").fetchall())
    finally:
        con.close()
    assert by_status == {"resolved": 6, "archived": 2, "postponed": 1, "unverified": 1}
    assert by_dep == {"Dinas Perhubungan": 3, "Dinas Kesehatan": 1, "Dinas Lingkungan Hidup": 1,
                      "Kecamatan Depok": 1, "Dinas Pekerjaan Umum dan Penataan Ruang": 1, None: 3}
    assert by_kec == {"Depok": 4, "Mlati": 2, "Gamping": 2, "Godean": 1, None: 1}
    # 6. an account, then the dashboard (the test opens it with AppTest instead of `monev serve`)
    out = run(cmds[4], input="rahasia-kuat-sekali-123\nrahasia-kuat-sekali-123\n")
    assert "Akun admin.kominfo (koordinator) dibuat." in out
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("MONEV_DATA_DIR", str(tmp_path / "data-sleman"))
    monkeypatch.setenv("MONEV_CONFIG_DIR", str(cfg))
    monkeypatch.setenv("MONEV_DASHBOARD_DEMO", "0")
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    at.text_input(key="auth.user").input("admin.kominfo")
    at.text_input(key="auth.password").input("rahasia-kuat-sekali-123")
    next(b for b in at.button if b.label == "Masuk").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert [t.value for t in at.title][0] == "Ringkasan Eksekutif"
    md = " ".join(m.value for m in at.markdown)
    assert "Kabupaten Sleman" in md and "Data per 14 November 2025" in md
    for page in ("kinerja_opd", "wilayah", "kualitas_data"):
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, (page, [e.value for e in at.exception])
        assert not at.error, (page, [e.value for e in at.error])
