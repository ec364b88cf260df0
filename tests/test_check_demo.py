"""`monev check` on the default demo lists exactly the demo's deliberate defects
and unmatched names, and the reconciliation identity holds on the full demo."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from pipelines.cli import app


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    d = tmp_path_factory.mktemp("check_demo")
    runner = CliRunner()
    r = runner.invoke(app, ["demo", "--data-dir", str(d)])  # the default demo, as the README runs it
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["run", "--data-dir", str(d)])
    assert r.exit_code == 0, r.output
    manifest = json.loads((d / "demo_manifest.json").read_text(encoding="utf-8"))
    chk = runner.invoke(app, ["check", "--data-dir", str(d), "--format", "json"])
    assert chk.exit_code == 0, chk.output
    return manifest, json.loads(chk.output), r.output


def test_quarantine_is_exactly_the_deliberate_defects(demo):
    m, rep, _ = demo
    got = {(q["file_name"], q["source_row"], q["column_name"]) for q in rep["quarantine"]}
    want = {(x["file"].rsplit("/", 1)[-1], x["row"], x["column"]) for x in m["defects"]}
    assert want and got == want


def test_unmatched_names_and_their_rows_are_exactly_the_manifest(demo):
    m, rep, _ = demo
    assert {(n["kind"], n["raw_value"]) for n in rep["unmatched_names"]} == {
        ("department", u["name"]) for u in m["unmatched_departments"]
    }
    for n in rep["unmatched_names"]:
        assert len(n["suggestions"]) == 3
    got = {(w["rule"], w["file_name"], w["source_row"], w["column_name"]) for w in rep["warnings"]}
    want = {
        ("department_unknown", o["file"].rsplit("/", 1)[-1], o["row"], o["column"])
        for u in m["unmatched_departments"]
        for o in u["occurrences"]
    }
    assert got == want


def test_nothing_else_is_reported(demo):
    _, rep, _ = demo
    assert rep["contradictions"] == []
    assert rep["last_run"] is None and rep["published"] is True
    assert all(f["gate"] == "ok" for f in rep["files"])
    assert rep["totals"]["unmatched_names"] == len(rep["unmatched_names"])


def test_reconciliation_on_the_full_demo(demo):
    m, rep, output = demo
    files = {f["file_name"]: f for f in rep["files"]}
    per_file: dict[str, int] = {}
    for x in m["defects"]:
        name = x["file"].rsplit("/", 1)[-1]
        per_file[name] = per_file.get(name, 0) + 1
    assert len(files) == len(m["files"])
    for mf in m["files"]:
        f = files[mf["path"].rsplit("/", 1)[-1]]
        assert f["rows_read"] == f["rows_loaded"] + f["rows_quarantined"] + f["rows_skipped"]
        assert f["rows_read"] == mf["rows_after_header"]
        assert f["rows_skipped"] == mf["non_data_rows_after_header"]
        assert f["rows_quarantined"] == per_file.get(f["file_name"], 0)
    t = rep["totals"]
    assert t["rows_loaded"] == m["expected"]["loaded_rows"]
    assert rep["snapshot"]["complaints"] == m["expected"]["complaints"]
    # `monev run` printed the per-file reconciliation table
    assert "dibaca = dimuat + karantina + dilewati" in output
    assert "JUMLAH" in output


def test_check_table_is_readable(demo):
    m, rep, _ = demo
    from pipelines.validate.report import render_table

    text = render_table(rep)
    assert "Karantina" in text and "Kesegaran sumber" in text
    for u in m["unmatched_departments"]:
        assert u["name"] in text
