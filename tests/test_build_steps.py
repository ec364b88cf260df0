"""The build as named steps (issue 20): `monev run --explain` lists them in order with their
files, and the run log records every step a build ran, in that order, with its time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipelines.build.core import STEPS, explain, run_pipeline
from pipelines.cli import app
from pipelines.settings import DEFAULT_CONFIG_DIR, Paths

ROOT = Path(__file__).resolve().parents[1]
HEADER = "Tracking ID;Tanggal Laporan;Judul;Isi Laporan;Kategori;Kanal;Disposisi;Status;Kelurahan"


def test_steps_are_in_the_order_a_complaint_passes_through():
    names = [s.name for s in STEPS]
    assert names == [
        "read_config", "discover", "stage", "open_warehouse", "order_snapshots", "validate_staging", "quarantine",
        "contradictions", "merge_snapshots", "flag_duplicates", "calendar", "validate_curated", "quality_tables",
        "evidence", "lineage", "interrupted_runs", "publish_gate", "kpi_facts", "publish",
    ]
    for s in STEPS:
        assert s.files, s.name
        for f in s.files:
            assert (ROOT / f).is_file(), f"{s.name}: {f} does not exist"


def test_explain_names_every_step_and_its_files():
    r = CliRunner().invoke(app, ["run", "--explain"])
    assert r.exit_code == 0, r.output
    assert r.output.count("\n") >= 2 * len(STEPS)
    pos = [r.output.index(f" {s.name} ") for s in STEPS]
    assert pos == sorted(pos)
    assert "pipelines/build/duplicates.py" in r.output and "pipelines/sql/build_merge.sql" in r.output
    assert explain() in r.output


@pytest.fixture()
def one_file(tmp_path, monkeypatch) -> Paths:
    monkeypatch.setenv("MONEV_PII_SALT", "test-salt")
    p = Paths.from_args(tmp_path / "data", DEFAULT_CONFIG_DIR)
    p.raw_dir.mkdir(parents=True)
    (p.raw_dir / "lapor_2025-01-31.csv").write_text(
        HEADER + "\n1;05/01/2025 09:00;Lampu padam;Lampu jalan padam;Perhubungan;Website;Dishub;Baru;Sentul\n",
        encoding="utf-8")
    return p


def test_run_log_records_each_step_in_order(one_file):
    r = run_pipeline(one_file, validate=False)
    assert r.status == "published", r.message
    assert [s.step for s in r.steps] == [s.name for s in STEPS]
    assert all(s.status == "ok" and s.seconds >= 0 for s in r.steps)
    logged = json.loads((one_file.runs_dir / r.run_id / "run.json").read_text(encoding="utf-8"))
    assert [s["step"] for s in logged["steps"]] == [s.name for s in STEPS]
    assert logged["timings"]["merge_snapshots"] == r.timings["merge_snapshots"]


def test_a_refused_build_stops_at_its_step(one_file):
    (one_file.raw_dir / "lapor_2025-01-31.csv").unlink()
    r = run_pipeline(one_file, validate=False)
    assert r.status == "refused"
    assert [(s.step, s.status) for s in r.steps] == [("read_config", "ok"), ("discover", "stopped")]
    assert not one_file.warehouse.exists()
