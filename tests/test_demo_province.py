"""`monev demo --provinsi N`: pemda chosen, rows split, configs, Kota Blitar unchanged, builds per pemda."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import duckdb
import pytest
import yaml

from pipelines.build.core import run_pipeline
from pipelines.demo.generate import DemoError, write_demo
from pipelines.demo.province import choose_pemda, split_rows, write_month_export, write_province_demo
from pipelines.demo.simulate import department_stand_ins, missing_master_data
from pipelines.masterdata import load_master_data
from pipelines.settings import DEFAULT_CONFIG_DIR, Paths

START, END = dt.date(2026, 5, 1), dt.date(2026, 8, 31)


def test_choose_pemda_starts_with_kota_blitar_then_kemendagri_order():
    assert [p.code for p in choose_pemda(4)] == ["35.72", "35.01", "35.02", "35.03"]
    assert len({p.code for p in choose_pemda(38)}) == 38
    with pytest.raises(DemoError, match="antara 1 dan 38"):
        choose_pemda(39)


def test_split_rows_by_weight_largest_remainder():
    # weights of Kota Blitar (3 kecamatan x 3), Pacitan (12), Ponorogo (21); 50 each first, then
    # 4.050 by weight: 867,86 / 1.157,14 / 2.025 -> the one row left goes to the largest remainder
    assert split_rows(4200, [9, 12, 21]) == [918, 1207, 2075]
    assert split_rows(10, [9, 12, 21]) == [2, 3, 5]
    assert sum(split_rows(10_000_000, list(range(1, 39)))) == 10_000_000


def test_builtin_config_needs_no_stand_in():
    md = load_master_data(DEFAULT_CONFIG_DIR)
    assert department_stand_ins(md) == {}
    assert missing_master_data(md) == []


def test_province_demo_monthly_builds_each_pemda(tmp_path, monkeypatch):
    monkeypatch.setenv("MONEV_PII_SALT", "test-salt")
    d = tmp_path / "prov"
    res = write_province_demo(d, 3, rows=600, start=START, end=END, seed=7, form="bulanan")
    assert [(p.kode, p.slug, p.rows) for p in res.pemda] == [("35.72", "3572", 146), ("35.01", "3501", 179),
                                                           ("35.02", "3502", 275)]
    doc = yaml.safe_load((d / "provinsi.yaml").read_text(encoding="utf-8"))
    assert doc == {"nama": "Provinsi Jawa Timur", "pemda": [
        {"kode": "35.72", "config": "pemda/3572/config"}, {"kode": "35.01", "config": "pemda/3501/config"},
        {"kode": "35.02", "config": "pemda/3502/config"}]}
    for p in res.pemda:
        md = load_master_data(d / "pemda" / p.slug / "config")
        assert (md.city["name"], md.city["kode_wilayah"]) == (p.name, p.kode)
        raw = sorted(x.name for x in (d / "pemda" / p.slug / "raw").iterdir())
        assert raw == [f"lapor_export_2026-09-01_laporan_2026{m:02d}.csv" for m in (5, 6, 7, 8)]
    pacitan = load_master_data(d / "pemda" / "3501" / "config")
    assert "Kecamatan Pacitan" in pacitan.department_names and "RSUD Mardi Waluyo" not in pacitan.department_names
    assert department_stand_ins(pacitan)["RSUD Mardi Waluyo"] == "Dinas Kesehatan"

    # one pemda built alone, as `monev run` does for each: every complaint once, every OPD matched
    paths = Paths(d / "pemda" / "3501", d / "pemda" / "3501" / "config")
    assert run_pipeline(paths).status == "published"
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        n, unmatched = con.execute("SELECT count(*), count(*) FILTER (department IS NULL AND department_raw IS NOT NULL) FROM complaints").fetchone()
    assert (n, unmatched) == (179, 0)

    # the next month's export for that pemda only: 40 more complaints after a rebuild
    f = write_month_export(paths, dt.date(2026, 9, 1), rows=40)
    assert f.name == "lapor_export_2026-10-01_laporan_202609.csv"
    assert run_pipeline(paths).status == "published"
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM complaints").fetchone()[0] == 219

    with pytest.raises(DemoError, match="--force"):
        write_province_demo(d, 2, rows=100, start=START, end=END, form="bulanan")
    write_province_demo(d, 2, rows=100, start=START, end=END, form="bulanan", force=True)
    assert sorted(x.name for x in (d / "pemda").iterdir()) == ["3501", "3572"]


def test_kota_blitar_first_is_todays_demo(tmp_path):
    """The full form: Kota Blitar's files are byte for byte those of `monev demo --rows k` alone."""
    res = write_province_demo(tmp_path / "prov", 2, rows=900, start=START, end=END, seed=42)
    blitar = res.pemda[0]
    alone = write_demo(tmp_path / "alone", seed=42, start=START, end=END, rows=blitar.rows)
    assert blitar.rows == 393  # 50 + 342,86 rounded up by the largest remainder
    for f in alone.files:
        rel = f.relative_to(tmp_path / "alone")
        assert (tmp_path / "prov" / "pemda" / "3572" / rel).read_bytes() == f.read_bytes()
    other = tmp_path / "prov" / "pemda" / "3501"
    assert len(list((other / "raw").rglob("*.*"))) > 5 and (other / "demo_manifest.json").exists()


def test_cli_demo_provinsi(tmp_path):
    r = subprocess.run([sys.executable, "-m", "pipelines.cli", "demo", "--provinsi", "2", "--data-dir",
                        str(tmp_path), "--rows", "200", "--from", "2026-07-01", "--to", "2026-08-31",
                        "--ekspor", "bulanan"], capture_output=True, text=True, env=os.environ, check=False)
    assert r.returncode == 0, r.stderr
    assert "2 pemda, 200 pengaduan" in r.stdout and "35.01  Kabupaten Pacitan" in r.stdout
    r = subprocess.run([sys.executable, "-m", "pipelines.cli", "demo", "--provinsi", "2", "--data-dir",
                        str(tmp_path), "--ekspor", "xlsx"], capture_output=True, text=True, check=False)
    assert r.returncode == 1 and "Bentuk ekspor 'xlsx' tidak dikenal" in r.stderr
