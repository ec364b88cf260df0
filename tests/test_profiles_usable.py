"""Profiles a user can write: the profile chosen at ingest is the one `monev run` uses, unknown
labels are listed once each with the closest known label and a YAML snippet, and a profile error
is one paragraph naming the file and the line (issue 14, item 3)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from pipelines.cli import app
from pipelines.ingest.profiles import load_profiles
from pipelines.masterdata import ConfigError
from pipelines.settings import DEFAULT_CONFIG_DIR

HEADER = "Tracking ID;Tanggal Laporan;Judul;Isi Laporan;Kategori;Kanal;Disposisi;Status"
ROWS = [
    "101;05/01/2024 09:00;Jalan;Jalan rusak;Jalan Berlubang Parah;Website;Dishub;Ditutup Otomatis",
    "102;06/01/2024 09:00;Jalan;Jalan rusak;Jalan Berlubang Parah;Website;Dishub;Ditutup Otomatis",
    "103;07/01/2024 09:00;Lampu;PJU mati;Perhubungan;Aplikasi Sapawarga;Dinas Kesehatan Kab. Bandung;Ditutup Otomatis",
    "104;08/01/2024 09:00;Sampah;Sampah;Perhubungan;Website;Dishub;Diarsipkan Admin",
    "105;09/01/2024 09:00;Sampah;Sampah;Perhubungan;Website;Dishub;Selesai",
]


@pytest.fixture(autouse=True)
def _salt(monkeypatch):
    monkeypatch.setenv("MONEV_PII_SALT", "test-salt")


def export(path: Path, rows: list[str] = ROWS) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def invoke(*args: str):
    return CliRunner().invoke(app, [*map(str, args)])


# ---------------------------------------------------------------- the chosen profile
def _profiles_in_warehouse(data: Path) -> list[tuple[str, str]]:
    con = duckdb.connect(str(data / "curated" / "monev.duckdb"), read_only=True)
    try:
        return con.execute("SELECT file_name, profile FROM quality_files ORDER BY file_name").fetchall()
    finally:
        con.close()


def test_the_profile_chosen_at_ingest_is_the_one_run_uses(tmp_path):
    # "rekap_2024.csv" matches the rekap profile's file pattern, so automatic recognition picks rekap;
    # the user forces lapor at ingest, and `monev run` must read it with lapor.
    ok = [r.replace("Ditutup Otomatis", "Selesai").replace("Diarsipkan Admin", "Diarsipkan") for r in ROWS]
    src = export(tmp_path / "in" / "rekap_2024.csv", ok)
    data = tmp_path / "data"
    r = invoke("ingest", src, "--data-dir", data, "--profil", "lapor")
    assert r.exit_code == 0, r.output
    assert "profil 'Ekspor SP4N-LAPOR!'" in r.output
    assert "Profil 'lapor' dicatat untuk berkas ini: `monev run` membacanya dengan profil itu." in r.output
    r = invoke("run", "--data-dir", data, "-q")
    assert r.exit_code == 0, r.output
    assert _profiles_in_warehouse(data) == [("rekap_2024.csv", "lapor")]
    con = duckdb.connect(str(data / "curated" / "monev.duckdb"), read_only=True)
    keys = sorted(k for (k,) in con.execute("SELECT complaint_key FROM complaints").fetchall())
    con.close()
    assert keys == ["lapor:101", "lapor:102", "lapor:103", "lapor:104", "lapor:105"]

    # Without the recorded choice the same file is read as a rekap: the recorded choice made the difference.
    other = tmp_path / "data2"
    (other / "raw").mkdir(parents=True)
    shutil.copy(src, other / "raw" / src.name)
    r = invoke("run", "--data-dir", other, "-q")
    assert re.search(r"^rekap_2024\.csv +rekap +5 ", r.output, re.M), r.output


def test_an_upload_with_a_chosen_profile_behaves_the_same(tmp_path):
    # the dashboard's Unggah Data page records the choice with the same function
    from pipelines.build.profile_choice import chosen_profiles, record_choice
    from pipelines.settings import Paths

    paths = Paths.from_args(tmp_path / "data", DEFAULT_CONFIG_DIR)
    f = export(paths.raw_dir / "unggahan" / "rekap_2024.csv",
               [r.replace("Ditutup Otomatis", "Selesai").replace("Diarsipkan Admin", "Arsip") for r in ROWS])
    h = record_choice(paths, f, "lapor", by="admin")
    assert chosen_profiles(paths) == {h: "lapor"}
    assert invoke("run", "--data-dir", paths.data_dir, "-q").exit_code == 0
    assert _profiles_in_warehouse(paths.data_dir) == [("rekap_2024.csv", "lapor")]
    record_choice(paths, f, None, by="admin")  # "Kenali otomatis" forgets the choice
    assert chosen_profiles(paths) == {}
    r = invoke("run", "--data-dir", paths.data_dir, "-q")
    assert re.search(r"^unggahan/rekap_2024\.csv +rekap ", r.output, re.M), r.output


# ---------------------------------------------------------------- unknown labels, once each
EXPECTED_LABELS = """Label tak dikenal (5 label berbeda, 8 baris):
  - status "Ditutup Otomatis": 3 baris; paling mirip: "Ditutup" (Selesai)
  - status "Diarsipkan Admin": 1 baris; paling mirip: "Diarsipkan oleh Admin" (Diarsipkan)
  - kategori "Jalan Berlubang Parah": 2 baris; paling mirip: "Jalan Berlubang" (Pekerjaan Umum dan Penataan Ruang)
  - OPD "Dinas Kesehatan Kab. Bandung": 1 baris; instansi di luar pemda ini (tidak dipetakan ke OPD)
  - kanal "Aplikasi Sapawarga": 1 baris; paling mirip: "Aplikasi" (SP4N-LAPOR! Aplikasi)
Potongan YAML siap tempel:

    # Tempel di config/profiles/lapor.yaml: ganti baris `labels:` di bagian `status:` dengan ini (atau tambahkan
    # ejaannya ke config/statuses.yaml). Tebakan di kanan adalah label terdekat: periksa setiap baris;
    # status kanonik: unverified, awaiting_response, in_progress, resolved, postponed, archived, not_authority.
    status:
      labels:
        Ditutup Otomatis: resolved  # 3 baris; paling mirip "Ditutup"
        Diarsipkan Admin: archived  # 1 baris; paling mirip "Diarsipkan oleh Admin"

    # config/category_map.yaml: tambahkan baris-baris di bawah `by_name:` ke bagian `by_name:` yang ada
    # (nilai: nama kategori kota di categories.yaml; tebakan terdekat: periksa dulu).
    by_name:
      Jalan Berlubang Parah: Pekerjaan Umum dan Penataan Ruang  # 2 baris; paling mirip "Jalan Berlubang"

    # config/channels.yaml: tambahkan setiap ejaan ke `aliases` entri `channels` yang sama namanya
    # (tebakan terdekat: periksa dulu; tanpa tebakan, pilih sendiri entrinya).
    channels:
      - name: SP4N-LAPOR! Aplikasi
        aliases: [Aplikasi Sapawarga]  # 1 baris
"""


def test_the_preview_lists_each_unknown_label_once_with_a_snippet(tmp_path):
    src = export(tmp_path / "lapor_2024.csv")
    r = invoke("ingest", src, "--data-dir", tmp_path / "data")
    assert r.exit_code == 0, r.output
    assert EXPECTED_LABELS in r.output
    # no line per row for those labels
    assert "label status \"Ditutup Otomatis\" tidak dikenal" not in r.output


def test_the_status_snippet_pastes_into_the_profile_and_the_file_loads(tmp_path):
    import yaml

    from pipelines.ingest.preview import preview_file
    from pipelines.masterdata import load_master_data

    cfg = tmp_path / "config"
    shutil.copytree(DEFAULT_CONFIG_DIR, cfg)
    src = export(tmp_path / "lapor_2024.csv")
    pv = preview_file(src, load_master_data(cfg))
    assert pv.rows_blocked == 4
    prof = cfg / "profiles" / "lapor.yaml"
    data = yaml.safe_load(prof.read_text(encoding="utf-8"))
    data["status"]["labels"] = yaml.safe_load(pv.label_snippets[0])["status"]["labels"]
    prof.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    pv = preview_file(src, load_master_data(cfg))
    assert pv.rows_blocked == 0
    assert [u.kind for u in pv.unknown_labels] == ["category", "department", "channel"]
    assert [u.raw for u in pv.unknown_labels if u.other_pemda] == ["Dinas Kesehatan Kab. Bandung"]


def test_monev_check_groups_unknown_labels(tmp_path):
    cfg = tmp_path / "config"
    shutil.copytree(DEFAULT_CONFIG_DIR, cfg)
    gate = cfg / "ingest.yaml"
    gate.write_text(gate.read_text(encoding="utf-8").replace("max_blocking_share: 0.05", "max_blocking_share: 1.0"),
                    encoding="utf-8")
    data = tmp_path / "data"
    export(data / "raw" / "lapor_2024.csv",
           [*ROWS, "106;10/01/2024 09:00;A;B;Perhubungan;Website;Bidang Perhubungan;Selesai",
            "107;11/01/2024 09:00;A;B;Perhubungan;Website;Bidang Perhubungan;Selesai"])
    r = invoke("run", "--data-dir", data, "--config-dir", cfg, "-q")
    assert r.exit_code == 0, r.output
    r = invoke("check", "--data-dir", data, "--config-dir", cfg)
    assert r.exit_code == 0, r.output
    out = r.output
    assert "  - 4 baris dengan label tak dikenal: lihat \"Label tak dikenal\" di bawah" in out
    assert (
        "Label tak dikenal (3 label berbeda, 6 baris):\n"
        "  - status \"Ditutup Otomatis\": 3 baris; paling mirip: \"Ditutup\" (Selesai)\n"
        "  - status \"Diarsipkan Admin\": 1 baris; paling mirip: \"Diarsipkan oleh Admin\" (Diarsipkan)\n"
        "  - OPD \"Bidang Perhubungan\": 2 baris; paling mirip: \"Dinas Perhubungan\"\n"
    ) in out
    assert "label status \"Ditutup Otomatis\" tidak dikenal" not in out
    assert out.count("Bidang Perhubungan") == 2  # the summary line and the snippet, not one line per row


def test_the_gate_config_key_used_above_exists():
    assert "max_blocking_share: 0.05" in (DEFAULT_CONFIG_DIR / "ingest.yaml").read_text(encoding="utf-8")


# ---------------------------------------------------------------- profile errors
LAPOR = (DEFAULT_CONFIG_DIR / "profiles" / "lapor.yaml").read_text(encoding="utf-8")
DOC = "(format profil: docs/pipeline.md, bagian 5)."
FIX = "Perbaiki berkas itu, lalu jalankan perintahnya lagi " + DOC


def _config_with(tmp_path: Path, text: str) -> tuple[Path, Path]:
    cfg = tmp_path / "config"
    shutil.copytree(DEFAULT_CONFIG_DIR, cfg)
    prof = cfg / "profiles" / "lapor.yaml"
    prof.write_text(text, encoding="utf-8")
    return cfg, prof


def _line(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


CASES = {
    "tab": (
        lambda s: s.replace("label: Ekspor SP4N-LAPOR!", "label: Ekspor\n\tx: 1"), "\tx: 1",
        "tidak dapat dibaca sebagai YAML: ada karakter tab; YAML hanya boleh menjorok dengan spasi. " + FIX,
    ),
    "unknown_key": (
        lambda s: s.replace("has_verification_step:", "has_verifikasi_step:"), "has_verifikasi_step",
        "kunci 'has_verifikasi_step' tidak dikenal; maksud Anda 'has_verification_step'? Perbaiki ejaan kunci "
        "itu atau hapus barisnya, lalu jalankan perintahnya lagi " + DOC,
    ),
    "unknown_nested_key": (
        lambda s: s.replace("day_first: true", "dayfirst: true"), "dayfirst",
        "kunci 'dates.dayfirst' tidak dikenal; maksud Anda 'day_first'? Perbaiki ejaan kunci itu atau hapus "
        "barisnya, lalu jalankan perintahnya lagi " + DOC,
    ),
    "fields_misspelt": (
        lambda s: s.replace("\nfields:", "\nfield:"), "field:",
        "kunci 'field' tidak dikenal; maksud Anda 'fields'? Perbaiki ejaan kunci itu atau hapus barisnya, lalu "
        "jalankan perintahnya lagi " + DOC,
    ),
    "unknown_field": (
        lambda s: s.replace("  satisfaction:", "  satisfactoin:"), "satisfactoin",
        "kolom kanonik 'satisfactoin' tidak dikenal; maksud Anda 'satisfaction'? " + FIX,
    ),
    "wrong_type_mapping": (
        lambda s: s.replace("channel:\n  column_default: SP4N-LAPOR! Website", "channel: WhatsApp"), "channel: WhatsApp",
        "'channel' harus berupa pemetaan (kunci: nilai di baris-baris berikutnya, menjorok ke dalam), tetapi berisi "
        "teks 'WhatsApp'. " + FIX,
    ),
    "wrong_type_bool": (
        lambda s: s.replace("day_first: true", "day_first: ya"), "day_first: ya",
        "'dates.day_first' harus berupa true atau false, tetapi berisi teks 'ya'. " + FIX,
    ),
    "bad_status": (
        lambda s: s.replace("labels: {}", "labels: {Dibaca: in_progres}"), "Dibaca",
        "status.labels memetakan 'Dibaca' ke 'in_progres'; gunakan salah satu dari unverified, awaiting_response, "
        "in_progress, resolved, postponed, archived, not_authority; maksud Anda 'in_progress'? " + FIX,
    ),
    "missing_required": (
        lambda s: s.replace("source_system: lapor ", "# source_system: lapor "), None,
        "kunci wajib 'source_system' belum ada (isi: lapor, rekap, open311 atau nama sumber baru seperti aduan_wa). " + FIX,
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_profile_error_is_one_paragraph_with_file_and_line(tmp_path, case):
    edit, needle, expected = CASES[case]
    text = edit(LAPOR)
    assert text != LAPOR
    cfg, prof = _config_with(tmp_path, text)
    where = f"Profil pemetaan {prof}" + (f", baris {_line(text, needle)}" if needle else "")
    with pytest.raises(ConfigError) as exc:
        load_profiles(cfg)
    assert str(exc.value) == f"{where}: {expected}"


def test_commands_show_a_profile_error_without_a_traceback(tmp_path):
    text = LAPOR.replace("has_verification_step:", "has_verifikasi_step:")
    cfg, prof = _config_with(tmp_path, text)
    src = export(tmp_path / "lapor_2024.csv")
    line = _line(text, "has_verifikasi_step")
    expected = (
        f"Profil pemetaan {prof}, baris {line}: kunci 'has_verifikasi_step' tidak dikenal; maksud Anda "
        "'has_verification_step'? Perbaiki ejaan kunci itu atau hapus barisnya, lalu jalankan perintahnya lagi "
        f"{DOC}\n"
    )
    r = invoke("ingest", src, "--data-dir", tmp_path / "data", "--config-dir", cfg)
    assert r.exit_code == 1 and r.exception is None or isinstance(r.exception, SystemExit)
    assert r.output == expected
    assert "Traceback" not in r.output
    r = invoke("run", "--data-dir", tmp_path / "data", "--config-dir", cfg, "-q")
    assert r.exit_code == 1
    assert "Traceback" not in r.output
    assert r.output.strip() == "Konfigurasi tidak valid: " + expected.strip()


# ---------------------------------------------------------------- the dashboard's Unggah Data page
def test_the_upload_page_lists_labels_once_and_records_the_chosen_profile(tmp_path, monkeypatch, demo_data_dir):
    from streamlit.testing.v1 import AppTest

    from dashboard import jobs
    from pipelines.build.discover import file_hash
    from pipelines.build.profile_choice import chosen_profiles
    from pipelines.settings import Paths

    data = tmp_path / "data"
    (data / "curated").mkdir(parents=True)
    shutil.copy(demo_data_dir / "curated" / "monev.duckdb", data / "curated" / "monev.duckdb")
    monkeypatch.setenv("MONEV_DATA_DIR", str(data))
    monkeypatch.setenv("MONEV_DASHBOARD_DEMO", "1")
    started = []
    monkeypatch.setattr(jobs, "start", lambda paths, *a, **k: started.append(a))
    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "dashboard" / "app.py"), default_timeout=90)
    at.run()
    at.switch_page("app_pages/unggah_data.py").run()
    at.selectbox(key="unggah.profile").set_value("lapor").run()
    content = export(tmp_path / "rekap_2024.csv").read_bytes()
    at.file_uploader(key="unggah.file").set_value(("rekap_2024.csv", content, "text/csv"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    labels = next(d.value for d in at.dataframe if "Label terdekat yang dikenal" in d.value.columns)
    assert list(labels["Tertulis"]) == ["Ditutup Otomatis", "Diarsipkan Admin", "Jalan Berlubang Parah",
                                        "Dinas Kesehatan Kab. Bandung", "Aplikasi Sapawarga"]
    assert list(labels["Baris"]) == [3, 1, 2, 1, 1]
    assert list(labels["Label terdekat yang dikenal"])[:1] == ['"Ditutup" (Selesai)']
    codes = [c.value for c in at.code]
    assert codes[0].startswith("# Tempel di config/profiles/lapor.yaml")
    assert "    Ditutup Otomatis: resolved  # 3 baris; paling mirip \"Ditutup\"" in codes[0]
    next(b for b in at.button if b.key == "unggah.go").click().run()
    stored = data / "raw" / "unggahan" / "rekap_2024.csv"
    assert stored.read_bytes() == content and started == [("run",)]
    assert chosen_profiles(Paths.from_args(data, DEFAULT_CONFIG_DIR)) == {file_hash(stored): "lapor"}
