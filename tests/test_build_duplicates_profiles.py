"""Duplicate detection is driven by the mapping profiles' declarations (issue 20): a new
profile with its own ``source_system`` and ``duplicates: {role: local}`` takes part; without
the declaration it does not; a wrong declaration is refused with a clear message."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
import yaml

from pipelines.build.core import run_pipeline
from pipelines.ingest.profiles import parse_profile
from pipelines.masterdata import ConfigError
from pipelines.settings import DEFAULT_CONFIG_DIR, Paths

LAPOR_HEADER = "Tracking ID;Tanggal Laporan;Judul;Isi Laporan;Kategori;Kanal;Disposisi;Status;Kelurahan"


def _config(tmp_path: Path, role: str | None) -> Path:
    """The shipped configuration with the rekap profile replaced by a new source 'aduanwa'."""
    cfg = tmp_path / "config"
    shutil.copytree(DEFAULT_CONFIG_DIR, cfg)
    rekap = yaml.safe_load((cfg / "profiles" / "rekap.yaml").read_text(encoding="utf-8"))
    (cfg / "profiles" / "rekap.yaml").unlink()
    rekap.update(name="aduanwa", label="Aduan WhatsApp Walikota", source_system="aduanwa",
                 file_patterns=["*aduanwa*"])
    rekap["channel"] = {**rekap.get("channel", {}), "fixed": "WhatsApp"}
    rekap.pop("duplicates", None)
    if role:
        rekap["duplicates"] = {"role": role}
    (cfg / "profiles" / "aduanwa.yaml").write_text(yaml.safe_dump(rekap, allow_unicode=True), encoding="utf-8")
    return cfg


def _build(tmp_path: Path, role: str | None, monkeypatch) -> duckdb.DuckDBPyConnection:
    monkeypatch.setenv("MONEV_PII_SALT", "test-salt")
    p = Paths.from_args(tmp_path / "data", _config(tmp_path, role))
    p.raw_dir.mkdir(parents=True)
    (p.raw_dir / "aduanwa_2025-01.csv").write_text(
        "No;No. Register;Tanggal;Isi Pengaduan;OPD;Kategori;Kelurahan\n"
        "1;WA-1;04/01/2025;Lampu jalan padam Jl. Kelud, mohon segera ditangani;Dishub;Perhubungan;Sentul\n",
        encoding="utf-8")
    (p.raw_dir / "lapor_2025-02-01.csv").write_text(
        LAPOR_HEADER + "\n"
        "10;05/01/2025 09:00;Lampu jalan padam Jl. Kelud;Diteruskan dari WhatsApp: Lampu jalan padam Jl. Kelud, "
        "mohon segera ditangani;Perhubungan;Form Manual;Dishub;Selesai;Sentul\n",
        encoding="utf-8")
    r = run_pipeline(p, validate=False)
    assert r.published, r.message
    return duckdb.connect(str(p.warehouse), read_only=True)


def test_a_new_profile_with_its_own_source_system_takes_part(tmp_path, monkeypatch):
    con = _build(tmp_path, "local", monkeypatch)
    rows = con.execute(
        "SELECT complaint_key, source_system, duplicate_cluster, is_duplicate FROM complaints ORDER BY complaint_key"
    ).fetchall()
    keys = {r[0]: r for r in rows}
    local = next(k for k in keys if k.startswith("aduanwa:"))
    assert keys[local][1] == "aduanwa"
    assert keys[local][2:] == (local, False)  # the earlier report stands for the cluster
    assert keys["lapor:10"][2:] == (local, True)
    label = con.execute("SELECT label FROM quality_sources WHERE source = 'aduanwa'").fetchone()
    assert label == ("Aduan WhatsApp Walikota",)


def test_without_the_declaration_the_profile_takes_no_part(tmp_path, monkeypatch):
    con = _build(tmp_path, None, monkeypatch)
    assert con.execute("SELECT count(*) FROM complaints WHERE duplicate_cluster IS NOT NULL").fetchone() == (0,)


def test_a_wrong_role_is_refused_in_bahasa_indonesia(tmp_path):
    data = yaml.safe_load((DEFAULT_CONFIG_DIR / "profiles" / "rekap.yaml").read_text(encoding="utf-8"))
    data["duplicates"] = {"role": "pusat"}
    with pytest.raises(ConfigError, match="duplicates.role harus 'local'"):
        parse_profile(data, tmp_path / "rekap.yaml")
    data["duplicates"] = {"role": "local", "channels": ["WhatsApp"]}
    with pytest.raises(ConfigError, match="hanya berlaku untuk role 'central'"):
        parse_profile(data, tmp_path / "rekap.yaml")


def test_shipped_profiles_declare_their_part():
    roles = {}
    for f in sorted((DEFAULT_CONFIG_DIR / "profiles").glob("*.yaml")):
        p = parse_profile(yaml.safe_load(f.read_text(encoding="utf-8")), f)
        roles[p.name] = (p.duplicate_role, p.duplicate_channels)
    assert roles["rekap"] == ("local", ())
    assert roles["lapor"] == ("central", ("Form Manual LAPOR!",))
    assert roles["open311"] == (None, ())
