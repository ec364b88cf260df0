"""`monev init` for a new pemda: Kemendagri region codes, the OPD draft from an export, a folder
that loads, and the warning for a file of another pemda (issue 14, item 4)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml
from ringkas_export import RingkasRow, write_ringkas
from typer.testing import CliRunner

from pipelines.cli import app
from pipelines.ingest import stage_file
from pipelines.ingest.profiles import load_profiles
from pipelines.masterdata import load_master_data
from pipelines.pemda import opd, regions
from pipelines.pemda.mismatch import FilePemda, names_this_pemda, pemda_warnings, staged_warnings
from pipelines.settings import DEFAULT_CONFIG_DIR

SLEMAN_ROWS = [
    RingkasRow("1001", "3 Jan 2024", "08:00:00", "Dinas Perhubungan Kab. Sleman", "Ditutup oleh Sistem"),
    RingkasRow("1002", "4 Jan 2024", "09:00:00", "Dinas Kesehatan Kab. Sleman", "Ditutup oleh Admin"),
    RingkasRow("1003", "5 Jan 2024", "10:00:00", "Kecamatan Depok", "Menunggu Kelengkapan Informasi"),
    RingkasRow("1004", "6 Jan 2024", "10:00:00", "", "Belum Terverifikasi"),
    RingkasRow("1005", "7 Jan 2024", "10:00:00", "Dinas Kesehatan Provinsi Daerah Istimewa Yogyakarta", "Ditutup oleh Admin"),
    RingkasRow("1006", "8 Jan 2024", "10:00:00", "Satuan Polisi Pamong Praja Kab. Sleman", "Diarsipkan oleh Admin"),
    RingkasRow("1007", "9 Jan 2024", "10:00:00", "Dinas Perhubungan Kab. Sleman", "Ditutup oleh Pelapor"),
]


def file_warnings(path: Path, md) -> list[str]:
    return staged_warnings(stage_file(path, md, load_profiles(md.config_dir)), md)


def sleman_export(path: Path, **kw) -> Path:
    return write_ringkas(path, SLEMAN_ROWS, nama_instansi="Pemerintah Kabupaten Sleman",
                         provinsi="Daerah Istimewa Yogyakarta", kota="Kabupaten Sleman", **kw)


# ---------------------------------------------------------------- region codes
def test_the_code_list_is_complete_and_current():
    every = regions.all_pemda()
    assert len(every) == 514  # 416 kabupaten + 98 kota (Kepmendagri 300.2.2-2138/2025)
    assert sum(p.kind == "kota" for p in every) == 98
    assert len({p.province_code for p in every}) == 38  # including the four new Papua provinces
    blitar = regions.find_pemda("Kota Blitar")
    kec = regions.districts(blitar)
    # complaint-lifecycle.md: 3 kecamatan of 7 kelurahan each
    assert {d.name: sorted(v.name for v in d.villages) for d in kec} == {
        "Sukorejo": sorted(["Tlumpu", "Karangsari", "Turi", "Blitar", "Sukorejo", "Pakunden", "Tanjungsari"]),
        "Kepanjenkidul": sorted(["Kepanjenkidul", "Kepanjenlor", "Kauman", "Bendo", "Tanggung", "Sentul",
                                 "Ngadirejo"]),
        "Sananwetan": sorted(["Rembang", "Klampok", "Plosokerep", "Karangtengah", "Sananwetan", "Bendogerit",
                              "Gedog"]),
    }
    assert {v.kind for d in kec for v in d.villages} == {"kelurahan"}


@pytest.mark.parametrize("name", ["Kabupaten Sleman", "Kab. Sleman", "kab sleman", "Pemkab Sleman",
                                  "Pemerintah Kabupaten Sleman", "34.04"])
def test_a_pemda_is_found_by_the_ways_people_write_it(name):
    p = regions.find_pemda(name)
    assert (p.code, p.name, p.province, p.timezone) == ("34.04", "Kabupaten Sleman", "Daerah Istimewa Yogyakarta",
                                                         "Asia/Jakarta")


def test_an_ambiguous_or_unknown_name_says_what_to_write():
    with pytest.raises(regions.PemdaNotFound) as exc:
        regions.find_pemda("Bandung")
    assert str(exc.value) == (
        'Nama "Bandung" cocok dengan lebih dari satu pemda: Kabupaten Bandung (Jawa Barat, kode 32.04); '
        'Kota Bandung (Jawa Barat, kode 32.73). Tulis lengkap, mis. --pemda "Kabupaten Bandung".'
    )
    with pytest.raises(regions.PemdaNotFound) as exc:
        regions.find_pemda("Kabupaten Slemann")
    assert str(exc.value).startswith(
        'Tidak ada kabupaten/kota bernama "Kabupaten Slemann" dalam daftar kode wilayah Kemendagri. '
        "Yang paling mirip: Kabupaten Sleman (Daerah Istimewa Yogyakarta)"
    )
    assert regions.find_pemda("Kota Jayapura").timezone == "Asia/Jayapura"
    assert regions.find_pemda("Kota Jakarta Selatan").name == "Kota Administrasi Jakarta Selatan"
    assert regions.find_pemda("Kabupaten Kepulauan Seribu").code == "31.01"
    assert regions.find_pemda("Kota Makassar").timezone == "Asia/Makassar"


# ---------------------------------------------------------------- OPD draft
def test_the_pemda_suffix_is_stripped_and_other_instansi_set_aside():
    p = regions.find_pemda("Kabupaten Bandung")
    assert opd.strip_pemda("Dinas Perhubungan Kab. Bandung", p) == ("Dinas Perhubungan", True)
    assert opd.strip_pemda("Dinas Kesehatan Kabupaten Bandung", p) == ("Dinas Kesehatan", True)
    assert opd.strip_pemda("Kecamatan Ciparay", p) == ("Kecamatan Ciparay", True)
    assert opd.strip_pemda("Dinas Kesehatan Kota Bandung", p) == (None, False)
    assert opd.strip_pemda("Dinas Kesehatan Provinsi Jawa Barat", p) == (None, False)
    kudus = regions.find_pemda("Kabupaten Kudus")
    local = frozenset(opd.norm_key(d.name) for d in regions.districts(kudus))
    assert opd.strip_pemda("Kecamatan Kota Kudus", kudus, local) == ("Kecamatan Kota Kudus", True)


def test_init_writes_a_folder_that_loads(tmp_path):
    export = sleman_export(tmp_path / "ekspor" / "laporan_ringkas.xlsx")
    target = tmp_path / "konfig-sleman"
    r = CliRunner().invoke(app, ["init", str(target), "--pemda", "Kabupaten Sleman", "--dari-ekspor", str(export)])
    assert r.exit_code == 0, r.output
    assert r.output.startswith(
        f"Konfigurasi untuk Pemerintah Kabupaten Sleman (Daerah Istimewa Yogyakarta, kode wilayah 34.04) ditulis ke "
        f"{target}: 17 kecamatan, 0 kelurahan dan 86 desa (kode Kemendagri), OPD draf dari 20 unit di ekspor "
        "laporan_ringkas.xlsx. departments.yaml adalah DRAF: cocokkan dengan SOTK pemda sebelum dipakai untuk "
        "laporan resmi.\n1 nilai Instansi Terdisposisi menyebut instansi lain"
    )
    md = load_master_data(target)
    assert md.city["name"] == "Kabupaten Sleman" and md.city["kode_wilayah"] == "34.04"
    assert len(md.kecamatan) == 17 and sum(len(v) for v in md.kecamatan.values()) == 86
    wil = yaml.safe_load((target / "wilayah.yaml").read_text(encoding="utf-8"))
    assert wil["kecamatan"]["Gamping"]["kode"] == "34.04.01"
    assert wil["kecamatan"]["Gamping"]["kode_kelurahan"]["Balecatur"] == "34.04.01.2001"
    deps = yaml.safe_load((target / "departments.yaml").read_text(encoding="utf-8"))
    assert deps["draft"] is True
    by_name = {d["name"]: d for d in deps["departments"]}
    # 2 Dinas Perhubungan rows, then one each; every kecamatan; the provincial office is set aside
    assert list(by_name)[:4] == ["Dinas Perhubungan", "Satuan Polisi Pamong Praja", "Dinas Kesehatan",
                                 "Kecamatan Depok"]
    assert by_name["Dinas Perhubungan"] == {"name": "Dinas Perhubungan", "short": "Dishub", "kind": "dinas",
                                            "aliases": ["Dinas Perhubungan Kab. Sleman"]}
    assert by_name["Satuan Polisi Pamong Praja"]["kind"] == "satpol"
    assert by_name["Kecamatan Depok"]["kecamatan"] == "Depok"
    assert sum(d["kind"] == "kecamatan" for d in deps["departments"]) == 17
    assert not any("Provinsi" in d["name"] for d in deps["departments"])
    assert "#   Dinas Kesehatan Provinsi Daerah Istimewa Yogyakarta (1 laporan)" in (
        target / "departments.yaml").read_text(encoding="utf-8")
    # the export's names match the draft as written
    assert md.department_exact("Dinas Perhubungan Kab. Sleman") == "Dinas Perhubungan"
    # generic parts are the built-in ones
    for f in ("statuses.yaml", "channels.yaml", "sla.yaml", "rating_model.yaml", "profiles/lapor.yaml"):
        assert (target / f).read_text(encoding="utf-8") == (DEFAULT_CONFIG_DIR / f).read_text(encoding="utf-8")
    assert "Kota Blitar" not in (target / "calendar_overrides.yaml").read_text(encoding="utf-8")


def test_init_without_an_export_and_refusals(tmp_path):
    target = tmp_path / "konfig-bandung"
    r = CliRunner().invoke(app, ["init", str(target), "--pemda", "Kabupaten Bandung"])
    assert r.exit_code == 0, r.output
    md = load_master_data(target)
    assert len(md.kecamatan) == 31 and sum(len(v) for v in md.kecamatan.values()) == 280
    names = [d.name for d in md.departments]
    assert "Sekretariat Daerah" in names and "Kecamatan Ciparay" in names
    assert not any("Blitar" in a for d in md.departments for a in (d.name, *d.aliases))
    r = CliRunner().invoke(app, ["init", str(target), "--pemda", "Kabupaten Bandung"])
    assert r.exit_code == 1
    assert r.output == (f"Folder {target} sudah berisi berkas; pilih folder baru atau tambahkan --timpa untuk "
                        "menimpa berkas konfigurasinya.\n")
    r = CliRunner().invoke(app, ["init", str(tmp_path / "x"), "--pemda", "Bandung"])
    assert r.exit_code == 1 and "cocok dengan lebih dari satu pemda" in r.output
    assert "Traceback" not in r.output


# ---------------------------------------------------------------- a file of another pemda
def test_a_file_of_another_pemda_gets_one_warning(tmp_path):
    export = sleman_export(tmp_path / "laporan_ringkas.xlsx")
    blitar = load_master_data(DEFAULT_CONFIG_DIR)
    warnings = file_warnings(export, blitar)
    assert warnings == [
        "Berkas laporan_ringkas.xlsx: kop berkas menyebut Nama Instansi \"Pemerintah Kabupaten Sleman\", sedangkan "
        "konfigurasi ini untuk Pemerintah Kota Blitar. Bila berkas ini ekspor pemda lain, pakai folder konfigurasi "
        "pemda itu (--config-dir, dibuat dengan `monev init`); bila salah unggah, keluarkan berkas dari folder raw.",
        "Berkas laporan_ringkas.xlsx: 7 dari 7 laporan (100,0%) mencatat Kota/Kabupaten selain Kota Blitar "
        "(terbanyak: Kabupaten Sleman 7). Hampir semua laporan menyebut pemda lain: kemungkinan besar ini ekspor "
        "pemda lain; periksa sebelum memakainya.",
    ]
    target = tmp_path / "konfig"
    CliRunner().invoke(app, ["init", str(target), "--pemda", "Kabupaten Sleman"])
    sleman = load_master_data(target)
    assert file_warnings(export, sleman) == []
    few = FilePemda("Pemerintah Kabupaten Sleman", Counter({"Kabupaten Sleman": 98, "Kota Yogyakarta": 2}), 100)
    assert pemda_warnings(few, sleman, "x.xlsx") == [
        "Berkas x.xlsx: 2 dari 100 laporan (2,0%) mencatat Kota/Kabupaten selain Kabupaten Sleman (terbanyak: "
        "Kota Yogyakarta 2). Laporan tentang lokasi di luar wilayah memang bisa masuk; laporan itu tetap dimuat."
    ]
    # Kota Blitar is not Kabupaten Blitar; a bare name or an OPD of the pemda counts as the pemda
    assert names_this_pemda("Kabupaten Blitar", blitar) is False
    assert names_this_pemda("KOTA BLITAR", blitar) is True
    assert names_this_pemda("Blitar", blitar) is True
    assert names_this_pemda("Dinas Kesehatan Kota Blitar", blitar) is True
    assert names_this_pemda("Laporan Ringkas", blitar) is None


def test_the_other_pemda_warning_reaches_preview_run_log_and_check(tmp_path, monkeypatch):
    monkeypatch.setenv("MONEV_PII_SALT", "test-salt")
    export = sleman_export(tmp_path / "laporan_ringkas.xlsx")
    data = tmp_path / "data"
    runner = CliRunner()
    title = ("Berkas laporan_ringkas.xlsx: kop berkas menyebut Nama Instansi \"Pemerintah Kabupaten Sleman\", "
             "sedangkan konfigurasi ini untuk Pemerintah Kota Blitar.")
    r = runner.invoke(app, ["ingest", str(export), "--data-dir", str(data)])  # the built-in (Blitar) configuration
    assert r.exit_code == 0, r.output
    assert r.output.count("PERINGATAN: ") == 2 and f"PERINGATAN: {title}" in r.output
    r = runner.invoke(app, ["run", "--data-dir", str(data), "-q"])
    assert r.exit_code == 0, r.output
    assert r.output.count(title) == 1  # once per file, not per row
    r = runner.invoke(app, ["check", "--data-dir", str(data)])
    assert "Berkas yang menyebut pemda lain:\n  - " + title in r.output
    assert r.output.count("mencatat Kota/Kabupaten selain Kota Blitar") == 1
