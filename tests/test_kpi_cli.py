import datetime as dt
import json

import pytest
from typer.testing import CliRunner
from warehouse_factory import make_warehouse

from pipelines.cli import app
from pipelines.kpi import compute
from pipelines.kpi.api import BREAKDOWNS, EXTRA_KEYS, PERIOD_KEYS
from pipelines.kpi.glossary import GLOSSARY, render_markdown
from pipelines.settings import PROJECT_ROOT

runner = CliRunner()


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("kpi-cli")
    (d / "curated").mkdir()
    rows = [
        {"source_id": "a", "reported_at": "2024-07-08 09:00", "verified_at": "2024-07-08 10:00",
         "first_response_at": "2024-07-11 09:00", "resolved_at": "2024-07-15 09:00", "status": "resolved"},
        {"source_id": "b", "reported_at": "2024-07-09 09:00", "department": "Dinas Kesehatan",
         "category": "Kesehatan", "status": "awaiting_response"},
    ]
    con = make_warehouse(rows, path=d / "curated" / "monev.duckdb", as_of="2024-07-24")
    con.close()
    return d


def _kpi(*args):
    return runner.invoke(app, ["kpi", *args])


def test_json_is_the_compute_contract(data_dir):
    r = _kpi("--from", "2024-07-01", "--to", "2024-07-31", "--data-dir", str(data_dir))
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["received"] == 2 and out["responded"] == 1
    assert out["response_rate"] == 0.5  # unrounded
    import duckdb

    con = duckdb.connect(str(data_dir / "curated" / "monev.duckdb"), read_only=True)
    assert out == json.loads(json.dumps(compute(con, dt.date(2024, 7, 1), dt.date(2024, 7, 31),
                                                comparison="tahun_lalu")))
    # the window it compared with: the same month last year, seen at the same maturity
    assert out["comparison"]["mode"] == "tahun_lalu" and out["comparison"]["from"] == "2023-07-01"
    assert out["comparison"]["change"]["received"] == out["received"] - out["comparison"]["received"]
    con.close()


def test_period_option_and_filters(data_dir):
    r = _kpi("--period", "2024-07", "--department", "Dinkes", "--data-dir", str(data_dir))
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["period"]["from"] == "2024-07-01" and out["period"]["to"] == "2024-07-31"
    assert out["filters"] == {"department": ["Dinas Kesehatan"]}
    assert out["received"] == 1


def test_table_is_readable_indonesian(data_dir):
    r = _kpi("--period", "2024-07", "--format", "table", "--data-dir", str(data_dir))
    assert r.exit_code == 0, r.output
    text = r.stdout
    for phrase in ("KPI PENGADUAN — Juli 2024", "Data per 24 Juli 2024", "Ringkasan periode", "Ditanggapi",
                   "1 (50,0%)", "Tanggapan tepat waktu", "Peringkat OPD", "data tidak cukup", "Per bulan"):
        assert phrase in text, phrase


def test_errors_exit_non_zero_with_guidance(data_dir, tmp_path):
    r = _kpi("--period", "2024-07", "--department", "Dinas Perhubunga", "--data-dir", str(data_dir))
    assert r.exit_code == 2
    assert "tidak dikenal" in r.output and "'Dinas Perhubungan'" in r.output
    r = _kpi("--period", "2024-07", "--data-dir", str(tmp_path / "kosong"))
    assert r.exit_code == 1 and "Belum ada gudang data" in r.output
    r = _kpi("--period", "2024-Q7", "--data-dir", str(data_dir))
    assert r.exit_code == 2 and "tidak dikenali" in r.output
    r = _kpi("--period", "2024-07", "--from", "2024-07-01", "--data-dir", str(data_dir))
    assert r.exit_code == 2 and "tidak keduanya" in r.output
    r = _kpi("--data-dir", str(data_dir))
    assert r.exit_code == 2 and "Sebutkan periode" in r.output
    r = _kpi("--period", "2024-07", "--format", "xml", "--data-dir", str(data_dir))
    assert r.exit_code == 2


def test_glossary_doc_is_generated_from_the_glossary():
    assert (PROJECT_ROOT / "docs" / "glosarium.md").read_text(encoding="utf-8") == render_markdown()
    explained = set(GLOSSARY)
    for key in (*PERIOD_KEYS, *EXTRA_KEYS, "backlog_open", "backlog_overdue", "backlog_aging", "rank",
                "insufficient_data", "category_trend"):
        if key in ("satisfaction_count", "repeat_complaints"):
            continue  # explained in satisfaction_mean and repeat_rate
        assert key in explained, key
    for e in GLOSSARY.values():
        assert e.label and e.help.endswith(".") and e.formula


def test_demo_warehouse_full_contract_and_filter_order(demo_data_dir):
    base = ["--from", "2024-01-01", "--to", "2024-12-31", "--format", "json", "--data-dir", str(demo_data_dir)]
    r = _kpi(*base)
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    for key in ("period", "filters", *PERIOD_KEYS, *EXTRA_KEYS, "backlog_open", "backlog_overdue",
                "backlog_aging", *BREAKDOWNS, "by_month", "category_trend", "snapshot", "definitions_version"):
        assert key in out, key
    assert out["received"] > 0 and len(out["by_month"]) == 12
    assert out["received"] == sum(m["received"] for m in out["by_month"])
    assert out["in_scope"] == out["received"] - out["excluded"]
    assert set(out["backlog_aging"]) == {"0-5", "6-14", "15-60", ">60"}
    assert sum(out["backlog_aging"].values()) == out["backlog_open"]
    depts = [r["department"] for r in out["by_department"]]
    assert len(depts) == len(set(depts)) and None not in depts
    for row in out["by_department"]:
        assert row["insufficient_data"] == (row["in_scope"] < out["settings"]["min_sample"])
        assert (row["rank"] is None) == row["insufficient_data"]
    top = sorted(out["by_department"], key=lambda r: -r["in_scope"])[:2]
    a, b = top[0]["department"], top[1]["department"]
    only_a = json.loads(_kpi(*base, "--department", a).stdout)
    cat = max(only_a["by_category"], key=lambda r: r["received"])["category"]
    r1 = _kpi(*base, "--department", a, "--department", b, "--category", cat)
    r2 = _kpi("--category", cat, "--department", b, *base, "--department", a)
    assert r1.exit_code == 0 and r2.exit_code == 0
    assert r1.stdout == r2.stdout
    f = json.loads(r1.stdout)
    assert f["filters"] == {"category": [cat], "department": sorted([a, b])}
    assert 0 < f["received"] <= top[0]["received"] + top[1]["received"]
