"""`monev demo` on the command line."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from pipelines.cli import app

runner = CliRunner()


def test_demo_command_writes_and_refuses_second_time(tmp_path):
    args = ["demo", "--data-dir", str(tmp_path), "--seed", "11", "--from", "2025-01-01", "--to", "2025-03-31"]
    r = runner.invoke(app, args)
    assert r.exit_code == 0, r.output
    assert "Data demo ditulis ke" in r.output and "lapor/lapor_export_2025-02-01.csv" in r.output
    assert "Manifest:" in r.output and "monev run --data-dir" in r.output
    m = json.loads((tmp_path / "demo_manifest.json").read_text(encoding="utf-8"))
    assert m["seed"] == 11 and m["options"]["to"] == "2025-03-31"
    r2 = runner.invoke(app, args)
    assert r2.exit_code == 1 and "--force" in r2.output
    r3 = runner.invoke(app, [*args, "--force", "--rows", "300"])
    assert r3.exit_code == 0, r3.output
    assert json.loads((tmp_path / "demo_manifest.json").read_text())["truth"]["complaints"] == 300


def test_demo_command_rejects_bad_options(tmp_path):
    r = runner.invoke(app, ["demo", "--data-dir", str(tmp_path), "--from", "2025-13-01"])
    assert r.exit_code == 1 and "--from" in r.output and "TTTT-BB-HH" in r.output
    r = runner.invoke(app, ["demo", "--data-dir", str(tmp_path), "--rows", "10", "--scale", "2"])
    assert r.exit_code == 1 and "tidak keduanya" in r.output
    r = runner.invoke(app, ["demo", "--data-dir", str(tmp_path), "--from", "2025-05-01", "--to", "2025-04-01"])
    assert r.exit_code == 1 and "sebelum" in r.output
    assert not (tmp_path / "raw").exists()


def test_demo_refuses_master_data_without_the_city(tmp_path):
    import shutil

    from pipelines.settings import DEFAULT_CONFIG_DIR

    cdir = tmp_path / "config"
    shutil.copytree(DEFAULT_CONFIG_DIR, cdir)
    f = cdir / "departments.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace("- name: Dinas Perhubungan\n", "- name: Dinas Perhubungan Darat\n"))
    r = runner.invoke(app, ["demo", "--data-dir", str(tmp_path / "d"), "--config-dir", str(cdir)])
    assert r.exit_code == 1 and "Dinas Perhubungan" in r.output and "master data Kota Blitar" in r.output
    assert not (tmp_path / "d" / "raw").exists()
