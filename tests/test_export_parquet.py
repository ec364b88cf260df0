"""`monev export --format parquet`: the curated layer, partitioned by year/month, gives the same KPIs."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pipelines.export import CURATED_TABLES, ExportError, attach_parquet, export_parquet
from pipelines.kpi import compute


@pytest.fixture(scope="module")
def export_dir(demo_data_dir, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("parquet") / "export"
    r = subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "export", "--format", "parquet", "--data-dir", str(demo_data_dir),
         "--out", str(out)],
        capture_output=True, text=True, check=False,
    )
    assert r.returncode == 0, r.stderr
    assert "Ekspor Parquet ditulis" in r.stdout
    return out


def test_layout_is_hive_partitioned_by_year_and_month(export_dir, demo_con):
    manifest = json.loads((export_dir / "manifest.json").read_text(encoding="utf-8"))
    assert [t["name"] for t in manifest["tables"]] == list(CURATED_TABLES)
    sid = demo_con.execute("SELECT snapshot_id FROM snapshot").fetchone()[0]
    assert manifest["snapshot"]["snapshot_id"] == sid
    months = demo_con.execute(
        "SELECT DISTINCT year(reported_at), month(reported_at) FROM complaints ORDER BY 1, 2"
    ).fetchall()
    dirs = sorted(
        (int(p.parent.name.split("=")[1]), int(p.name.split("=")[1]))
        for p in (export_dir / "complaints").glob("year=*/month=*")
    )
    assert dirs == months
    # each partition holds exactly the complaints of its month, and the files carry no partition columns
    con = duckdb.connect()
    part = export_dir / "complaints" / f"year={months[0][0]}" / f"month={months[0][1]}"
    n_part = con.execute(f"SELECT count(*) FROM read_parquet('{part}/*.parquet')").fetchone()[0]
    n_src = demo_con.execute(
        "SELECT count(*) FROM complaints WHERE year(reported_at) = ? AND month(reported_at) = ?", list(months[0])
    ).fetchone()[0]
    assert n_part == n_src > 0
    cols = [r[0] for r in con.execute(
        f"DESCRIBE SELECT * FROM read_parquet('{part}/*.parquet', hive_partitioning = false)").fetchall()]
    assert "year" not in cols and "month" not in cols
    # the quality layer (may quote raw cells) is not exported
    assert not (export_dir / "quarantine.parquet").exists() and not (export_dir / "warnings").exists()


def test_views_have_the_same_tables_rows_and_columns(export_dir, demo_con):
    con = duckdb.connect()
    attach_parquet(con, export_dir)
    for t in CURATED_TABLES:
        src = demo_con.execute(f"DESCRIBE {t}").fetchall()
        got = con.execute(f"DESCRIBE {t}").fetchall()
        assert [(r[0], r[1]) for r in got] == [(r[0], r[1]) for r in src], t
        assert con.execute(f"SELECT count(*) FROM {t}").fetchone() == demo_con.execute(
            f"SELECT count(*) FROM {t}").fetchone(), t
    for t, key in (("complaints", "complaint_key"), ("calendar", "date"), ("complaint_status_history",
                                                                         "complaint_key, snapshot_id")):
        sql = f"SELECT * FROM {t} ORDER BY {key}"
        assert con.execute(sql).fetchall() == demo_con.execute(sql).fetchall(), t


def test_kpi_numbers_are_identical_on_the_export(export_dir, demo_con):
    con = duckdb.connect()
    attach_parquet(con, export_dir)
    as_of = demo_con.execute("SELECT as_of FROM snapshot").fetchone()[0]
    for d_from, d_to, filters in (
        (dt.date(2025, 1, 1), dt.date(2025, 12, 31), None),
        (dt.date(2026, 1, 1), as_of, None),
        (dt.date(2024, 7, 1), dt.date(2024, 9, 30), {"channel": ["WhatsApp"]}),
    ):
        want = compute(demo_con, d_from, d_to, filters=filters)
        got = compute(con, d_from, d_to, filters=filters)
        assert want["received"] > 0
        assert json.dumps(got, sort_keys=True, default=str) == json.dumps(want, sort_keys=True, default=str)


def test_views_sql_works_from_the_export_folder(export_dir):
    r = subprocess.run(
        [sys.executable, "-c",
         "import duckdb; con = duckdb.connect(); con.execute(open('views.sql').read()); "
         "print(con.execute('SELECT count(*) FROM complaints').fetchone()[0])"],
        cwd=export_dir, capture_output=True, text=True, check=False,
    )
    assert r.returncode == 0, r.stderr
    manifest = json.loads((export_dir / "manifest.json").read_text(encoding="utf-8"))
    assert int(r.stdout) == next(t["rows"] for t in manifest["tables"] if t["name"] == "complaints")


def test_refuses_to_overwrite_without_force_and_never_foreign_folders(demo_con, tmp_path):
    out = tmp_path / "x"
    first = export_parquet(demo_con, out)
    with pytest.raises(ExportError, match="--force"):
        export_parquet(demo_con, out)
    again = export_parquet(demo_con, out, force=True)
    assert again["tables"] == first["tables"]
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("x")
    with pytest.raises(ExportError, match="bukan ekspor"):
        export_parquet(demo_con, foreign)
    assert (foreign / "notes.txt").read_text() == "x"
    with pytest.raises(ExportError, match="bukan ekspor"):
        attach_parquet(duckdb.connect(), foreign)


def test_an_empty_warehouse_exports_readable_empty_tables(tmp_path):
    from pipelines.masterdata import load_master_data
    from pipelines.warehouse import create_schema, load_master_tables

    con = duckdb.connect()
    create_schema(con)
    load_master_tables(con, load_master_data())
    manifest = export_parquet(con, tmp_path / "empty")
    assert manifest["snapshot"] is None
    assert next(t["rows"] for t in manifest["tables"] if t["name"] == "complaints") == 0
    back = duckdb.connect()
    attach_parquet(back, tmp_path / "empty")
    assert back.execute("SELECT count(*) FROM complaints").fetchone()[0] == 0
    assert [r[0] for r in back.execute("DESCRIBE complaints").fetchall()] == [
        r[0] for r in con.execute("DESCRIBE complaints").fetchall()]
    assert back.execute("SELECT count(*) FROM departments").fetchone() == con.execute(
        "SELECT count(*) FROM departments").fetchone()
