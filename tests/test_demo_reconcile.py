"""End to end: a small demo through `monev run` reconciles with its manifest.

Every file's rows read / loaded / quarantined / skipped, every deliberate defect
held at its file, row and column, the complaint and status counts, the OPD names
that cannot be matched, the duplicate pairs, and the KPI figures against an
independent reference computation (pipelines.demo.truth).
"""

from __future__ import annotations

import datetime as dt
import json

import duckdb
import polars as pl
import pytest
from typer.testing import CliRunner

pytest.importorskip("pipelines.build.cli")  # the ingestion and build (`monev run`)

from pipelines.cli import app  # noqa: E402
from pipelines.demo.truth import city_kpis  # noqa: E402
from pipelines.demo.workdays import WorkCalendar  # noqa: E402
from pipelines.masterdata import load_master_data  # noqa: E402

START, END = dt.date(2025, 9, 1), dt.date(2026, 2, 28)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    d = tmp_path_factory.mktemp("demo_run")
    runner = CliRunner()
    r = runner.invoke(app, ["demo", "--data-dir", str(d), "--seed", "5", "--from", str(START), "--to", str(END)])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["run", "--data-dir", str(d)])
    assert r.exit_code == 0, r.output
    m = json.loads((d / "demo_manifest.json").read_text(encoding="utf-8"))
    con = duckdb.connect(str(d / "curated" / "monev.duckdb"), read_only=True)
    yield m, con
    con.close()


def test_every_file_reconciles(built):
    m, con = built
    got = {
        r[0]: r[1:]
        for r in con.execute(
            "SELECT rel_path, rows_read, rows_loaded, rows_quarantined, rows_skipped FROM input_files"
        ).fetchall()
    }
    assert set(got) == {f["path"] for f in m["files"]}
    per_file: dict[str, int] = {}
    for x in m["defects"]:
        per_file[x["file"]] = per_file.get(x["file"], 0) + 1
    for f in m["files"]:
        q = per_file.get(f["path"], 0)
        assert got[f["path"]] == (f["rows_after_header"], f["data_rows"] - q, q, f["non_data_rows_after_header"]), f["path"]


def test_quarantine_is_the_manifest(built):
    m, con = built
    held = {
        (r[0], r[1], r[2])
        for r in con.execute("SELECT file_name, source_row, column_name FROM quarantine").fetchall()
    }
    want = {(x["file"].split("/")[-1], x["row"], x["column"]) for x in m["defects"]}
    assert held == want


def test_complaints_statuses_departments(built):
    m, con = built
    e = m["expected"]
    assert con.execute("SELECT count(*) FROM complaints").fetchone()[0] == e["complaints"]
    by_status = dict(con.execute("SELECT status, count(*) FROM complaints GROUP BY 1").fetchall())
    assert by_status == e["by_status"]
    by_channel = dict(con.execute("SELECT channel, count(*) FROM complaints GROUP BY 1").fetchall())
    assert by_channel == e["by_channel"]
    assert con.execute("SELECT count(*) FROM complaints WHERE department IS NULL").fetchone()[0] == e[
        "department_missing_complaints"
    ]
    for u in m["unmatched_departments"]:
        row = con.execute(
            "SELECT department, department_raw FROM complaints WHERE source_system = ? AND source_id = ?",
            [u["source_system"], u["source_id"]],
        ).fetchone()
        assert row == (None, u["name"])
    names = {r[0] for r in con.execute("SELECT raw_value FROM unmatched_names WHERE kind = 'department'").fetchall()}
    assert {u["name"] for u in m["unmatched_departments"]} <= names


def test_duplicate_pairs_share_a_cluster(built):
    m, con = built
    cluster = {
        (r[0], r[1]): r[2]
        for r in con.execute(
            "SELECT source_system, source_id, duplicate_cluster FROM complaints WHERE duplicate_cluster IS NOT NULL"
        ).fetchall()
    }
    for p in m["duplicates"]:
        a = cluster.get(("rekap", p["rekap"]["source_id"]))
        assert a is not None and a == cluster.get(("lapor", p["lapor"]["source_id"])), p


def test_kpi_engine_matches_the_reference(built):
    m, con = built
    from pipelines.kpi.api import compute

    md = load_master_data()
    w = pl.from_arrow(
        con.execute(
            "SELECT source_system, source_id, status, reported_at, verified_at, dispatched_at, first_response_at,"
            " resolved_at, category, berkadar_pengawasan, is_duplicate FROM complaints"
        ).arrow()
    ).with_columns(duplicate_of=pl.when(pl.col("is_duplicate")).then(pl.lit("x")))
    ref = city_kpis(w, md, WorkCalendar(md, START.year - 1, END.year + 2), END)
    k = compute(con, START, END, as_of=END)
    for key, v in ref.items():
        if key == "as_of":
            continue
        assert k[key] == pytest.approx(v), key
