import shutil

import pytest

from pipelines.masterdata import ConfigError, load_master_data
from pipelines.settings import DEFAULT_CONFIG_DIR


def test_default_master_data_is_kota_blitar():
    md = load_master_data(DEFAULT_CONFIG_DIR)
    assert sum(1 for d in md.departments if d.kind != "kelurahan") == 30
    assert sum(1 for d in md.departments if d.kind == "kelurahan") == 21
    assert set(md.kecamatan) == {"Sukorejo", "Kepanjenkidul", "Sananwetan"}
    assert all(len(v) == 7 for v in md.kecamatan.values())


def test_aliases_and_labels_resolve():
    md = load_master_data(DEFAULT_CONFIG_DIR)
    pupr = "Dinas Pekerjaan Umum dan Penataan Ruang"
    for alias in ("Dinas PUPR", "DPUPR", " dinas pekerjaan umum dan penataan ruang "):
        assert md.department_exact(alias) == pupr
    assert md.status_of("SELESAI") == "resolved"
    assert md.status_of("belum  ditindaklanjuti") == "awaiting_response"
    assert md.status_of("Sudah dibaca") is None
    assert md.kelurahan_of("Kepanjen Lor") == "Kepanjenlor"
    assert md.kecamatan_for_kelurahan("Gedog") == "Sananwetan"


def test_resolution_limits():
    md = load_master_data(DEFAULT_CONFIG_DIR)
    assert md.resolution_limit("Perhubungan") == 14
    assert md.resolution_limit("Penanggulangan Bencana") == 3
    assert md.resolution_limit("Perhubungan", berkadar_pengawasan=True) == 60


def test_conflicting_alias_is_refused(tmp_path):
    cdir = tmp_path / "config"
    shutil.copytree(DEFAULT_CONFIG_DIR, cdir)
    f = cdir / "departments.yaml"
    f.write_text(f.read_text().replace("aliases: [Dishub,", "aliases: [Dishub, Dinkes,"))
    with pytest.raises(ConfigError, match="Dinkes"):
        load_master_data(cdir)


def test_unknown_canonical_status_is_refused(tmp_path):
    cdir = tmp_path / "config"
    shutil.copytree(DEFAULT_CONFIG_DIR, cdir)
    f = cdir / "statuses.yaml"
    f.write_text(f.read_text() + "  closed_forever: [Tamat]\n")
    with pytest.raises(ConfigError, match="closed_forever"):
        load_master_data(cdir)
