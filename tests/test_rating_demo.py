"""The rating on the seeded demo warehouse (tests/conftest.py) with the demo evidence:
a plausible band ("Baik") with a reachable path to "Sangat Baik", and the rating's
inputs equal the KPI engine's numbers for the same period."""

import datetime as dt
import json
import shutil

import duckdb
import pytest
from typer.testing import CliRunner

from pipelines.cli import app
from pipelines.kpi import compute
from pipelines.rating.demo import seed_demo_evidence
from pipelines.rating.evidence import copy_evidence_to_warehouse, list_evidence
from pipelines.rating.model import load_model
from pipelines.rating.scoring import rate_city, rate_departments
from pipelines.rating.whatif import what_if
from pipelines.settings import DEFAULT_CONFIG_DIR, Paths

runner = CliRunner()


@pytest.fixture(scope="module")
def demo_paths(demo_data_dir, tmp_path_factory):
    """A copy of the demo warehouse with the demo evidence copied in (as `monev run` will)."""
    paths = Paths(tmp_path_factory.mktemp("rating_demo"), DEFAULT_CONFIG_DIR)
    paths.curated_dir.mkdir(parents=True)
    shutil.copy(demo_data_dir / "curated" / "monev.duckdb", paths.warehouse)
    seed_demo_evidence(paths, year_from=2024, year_to=2026, seed=42)
    con = duckdb.connect(str(paths.warehouse))
    copy_evidence_to_warehouse(con, paths)
    con.close()
    return paths


def test_demo_city_is_baik_with_a_reachable_path_to_sangat_baik(demo_paths):
    model = load_model(config_dir=DEFAULT_CONFIG_DIR)
    con = duckdb.connect(str(demo_paths.warehouse), read_only=True)
    r = rate_city(con, 2025, model=model)
    assert r.predikat == "Baik" and 70 <= r.total < 85
    assert r.assessed and r.city == "Kota Blitar"
    assert r.disclaimer == "Estimasi model, bukan nilai resmi Kemendagri"
    assert r.previous_period == {"from": "2024-01-01", "to": "2024-12-31", "as_of": r.previous_period["as_of"]}
    plan = what_if(r, "Sangat Baik")
    assert plan.reaches and plan.predikat_after == "Sangat Baik" and 1 <= len(plan) <= 8
    kinds = {c.kind for c in plan}
    assert {"verifikasi_bukti", "unggah_bukti"} & kinds  # the demo leaves evidence pending and missing
    assert all(c.sentence.endswith(" poin") and "+" in c.sentence for c in plan)
    # OPD: ranked, and the small ones are "data tidak cukup"
    depts = rate_departments(con, dt.date(2025, 1, 1), dt.date(2025, 12, 31), model=model)
    ranked = [d for d in depts if d.rank]
    assert ranked and ranked[0].rank == 1 and {d.predikat for d in ranked} <= set(model.band_names)
    min_sample = int(con.execute("SELECT value FROM settings WHERE key = 'min_sample'").fetchone()[0])
    assert all(d.in_scope < min_sample for d in depts if d.predikat == "data tidak cukup")
    con.close()


def test_demo_evidence_is_mixed_and_deterministic(demo_paths, tmp_path):
    recs = list_evidence(demo_paths)
    assert {r.status for r in recs} == {"diajukan", "diverifikasi", "ditolak"}
    assert {r.year for r in recs} == {2024, 2025, 2026}
    other = Paths(tmp_path, DEFAULT_CONFIG_DIR)
    again = seed_demo_evidence(other, year_from=2024, year_to=2026, seed=42)
    assert [r.sha256 for r in again] == [r.sha256 for r in recs]
    assert [(r.title, r.status, r.doc_date) for r in again] == [(r.title, r.status, r.doc_date) for r in recs]
    # re-seeding replaces the demo records instead of adding more
    seed_demo_evidence(other, year_from=2024, year_to=2026, seed=42)
    assert len(list_evidence(other)) == len(recs)


def test_rating_inputs_equal_monev_kpi(demo_paths):
    res = runner.invoke(app, ["rating", "--year", "2025", "--format", "json", "--data-dir", str(demo_paths.data_dir)])
    assert res.exit_code == 0, res.output
    rating = json.loads(res.output)
    con = duckdb.connect(str(demo_paths.warehouse), read_only=True)
    kpi = compute(con, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    con.close()
    out = runner.invoke(app, ["kpi", "--from", "2025-01-01", "--to", "2025-12-31", "--format", "json",
                              "--data-dir", str(demo_paths.data_dir)])
    assert out.exit_code == 0, out.output
    cli_kpi = json.loads(out.output)
    assert cli_kpi["period"] == kpi["period"]
    assert rating["period"] == kpi["period"]
    output = next(d for d in rating["dimensions"] if d["id"] == "output")
    checked = 0
    for ind in output["indicators"]:
        for key, value in ind["inputs"].items():
            assert kpi[key] == value, (ind["id"], key)
            assert cli_kpi[key] == value, (ind["id"], key)
            checked += 1
    assert checked >= 10
    resp = next(i for i in output["indicators"] if i["id"] == "tingkat_respons")
    assert resp["value"] == kpi["response_rate"] == kpi["responded"] / kpi["in_scope"]
