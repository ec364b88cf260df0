"""`monev bench`: baselines agree with the KPI engine, scaling maths, and a smoke run at 10k and 100k.

No timing is asserted: only that every figure is there, that the ratios are computed from them,
and that the three ways of computing the headline KPIs give the same numbers.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import subprocess
import sys

import pytest

from pipelines.bench import baselines
from pipelines.bench.core import TARGETS, exponent, scaling, targets
from pipelines.bench.pages import PAGES
from pipelines.kpi import compute


# ---------------------------------------------------------------- baselines
@pytest.mark.parametrize("d_from,d_to", [
    (dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
    (dt.date(2024, 4, 1), dt.date(2024, 6, 30)),
    (dt.date(2026, 1, 1), dt.date(2026, 10, 31)),
])
def test_bare_sql_and_pandas_give_the_engines_headline(demo_con, d_from, d_to):
    want = baselines.from_compute(compute(demo_con, d_from, d_to))
    assert want["received"] > 0 and want["by_department"]
    assert baselines.bare_sql(demo_con, d_from, d_to) == want
    got, parts = baselines.pandas_peer(demo_con, d_from, d_to)
    assert got == want
    assert set(parts) == {"load_s", "compute_s"}


def test_headline_keys_and_department_rows(demo_con):
    out = compute(demo_con, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    h = baselines.from_compute(out)
    assert set(h) == {*baselines.CITY_KEYS, "by_department"}
    assert h["received"] == out["received"] and h["backlog_open"] == out["backlog_open"]
    row = out["by_department"][0]
    assert h["by_department"][row["department"]] == (row["received"], row["response_on_time"], row["backlog_open"])


# ---------------------------------------------------------------- scaling and targets
def test_exponent_is_the_log_log_slope():
    assert exponent([10_000, 100_000, 1_000_000], [1.0, 10.0, 100.0]) == 1.0
    assert exponent([10_000, 1_000_000], [2.0, 20.0]) == 0.5
    assert exponent([10_000, 100_000, 1_000_000], [3.0, 3.0, 3.0]) == 0.0
    assert exponent([10_000, 100_000], [1.0, None]) is None
    slope = exponent([1_000, 10_000, 100_000], [1.0, 12.0, 90.0])
    assert math.isclose(slope, 0.977, abs_tol=0.001)


def _fake(n: int, secs: float) -> dict:
    return {
        "rows": n,
        "ingest_csv": {"seconds": secs, "peak_rss_bytes": 2**30}, "build": {"seconds": secs, "total_s": 2 * secs},
        "read_csv": {"seconds": secs / 2}, "ingest_xlsx": None, "kpi": {"warm_s": secs / 10},
        "bare_sql": {"warm_s": secs / 100}, "pandas": {"total_s": secs}, "warehouse_bytes": n * 100,
        "pages": {p: {"warm_ms": 100.0} for p in PAGES}, "pages_warm_max_ms": 100.0,
        "ingest_run": {"peak_rss_bytes": 3 * 2**30},
        "ratios": {"ingest_csv_vs_read_csv": 2.0, "kpi_speedup_vs_pandas": 10.0},
    }


def test_targets_are_checked_at_the_largest_size():
    res = [_fake(10_000, 1.0), _fake(1_000_000, 100.0)]
    sc = scaling(res)
    assert sc["run_total_s"] == 1.0 and sc["ingest_xlsx_s"] is None and sc["warehouse_bytes"] == 1.0
    assert sc["upper"]["run_total_s"] is None  # needs three sizes
    sc3 = scaling([_fake(10_000, 1.0), _fake(100_000, 1.0), _fake(1_000_000, 10.0)])
    assert sc3["upper"]["run_total_s"] == 1.0 and sc3["run_total_s"] == 0.5
    t = {x["key"]: x for x in targets(res, sc)}
    assert set(t) == set(TARGETS)
    assert all(x["rows"] == 1_000_000 for x in t.values())
    assert t["kpi_warm_s"]["value"] == 10.0 and t["kpi_warm_s"]["met"] is False
    assert t["ingest_csv_vs_read_csv"]["met"] is True and t["kpi_speedup_vs_pandas"]["met"] is True
    assert t["page_warm_ms"]["met"] is True and t["ingest_peak_rss_gib"]["value"] == 1.0
    assert t["run_peak_rss_gib"]["value"] == 3.0 and t["run_peak_rss_gib"]["met"] is True
    assert t["exponent"]["value"] == 1.0 and t["exponent"]["met"] is True


# ---------------------------------------------------------------- smoke run
@pytest.mark.slow
def test_monev_bench_smoke(tmp_path):
    """`monev bench --sizes 5000,30000 --quick`: every figure present, ratios computed (the sizes are small:
    the figures' presence and arithmetic are tested here, the figures themselves in docs/benchmark.md)."""
    out_json = tmp_path / "bench.json"
    r = subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "bench", "--sizes", "5000,30000", "--quick",
         "--out", str(tmp_path / "work"), "--json", str(out_json)],
        capture_output=True, text=True, check=False, env={**__import__("os").environ, "MONEV_PII_SALT": "test-salt"},
    )
    assert r.returncode == 0, r.stderr[-3000:]
    assert "Ingest CSV" in r.stdout and "Target pada 30.000 pengaduan" in r.stdout
    assert "No runtime found" not in r.stderr
    res = json.loads(out_json.read_text(encoding="utf-8"))
    assert res["options"]["sizes"] == [5_000, 30_000] and res["options"]["quick"] is True
    assert not (tmp_path / "work" / "n5000").exists()  # working files removed without --keep
    for s in res["sizes"]:
        n = s["rows"]
        assert s["ingest_csv"]["rows"] == n and s["read_csv"]["rows"] == n
        assert s["build"]["complaints"] == n
        assert s["headline_agree"] == {"cli": True, "bare_sql": True, "pandas": True}
        assert set(s["pages"]) == set(PAGES)
        assert all(v["warm_ms"] > 0 for v in s["pages"].values())
        assert s["pages_warm_max_ms"] == max(v["warm_ms"] for v in s["pages"].values())
        assert s["warehouse_bytes"] > 0 and s["ingest_csv"]["peak_rss_bytes"] > 0
        assert s["ingest_run"]["peak_rss_bytes"] == max(s["ingest_csv"]["peak_rss_bytes"],
                                                        s["build_run"]["peak_rss_bytes"])
        assert s["build"]["timings"]["stage"] < s["ingest_csv"]["seconds"]  # the run found the file staged
        rat = s["ratios"]
        assert rat["ingest_csv_vs_read_csv"] == round(s["ingest_csv"]["seconds"] / s["read_csv"]["seconds"], 2)
        assert rat["kpi_speedup_vs_pandas"] == round(s["pandas"]["total_s"] / s["kpi"]["warm_s"], 2)
        assert rat["kpi_vs_bare_sql"] > 0 and rat["bare_sql_speedup_vs_pandas"] > 0
        assert rat["ingest_csv_vs_read_csv_cpu"] == round(s["ingest_csv"]["cpu_s"] / s["read_csv"]["cpu_s"], 2)
    small, big = res["sizes"]
    # quick mode: XLSX and the scorecard only at 10,000
    assert small["ingest_xlsx"]["rows"] == 5_000 and big["ingest_xlsx"] is None
    assert small["scorecard"]["files"] >= 3 and big["scorecard"] is None
    assert small["ratios"]["xlsx_vs_csv_ingest"] > 0 and big["ratios"]["xlsx_vs_csv_ingest"] is None
    assert big["headline"]["received"] > small["headline"]["received"]
    sc = res["scaling"]
    assert sc["from"] == 5_000 and sc["to"] == 30_000
    assert all(isinstance(sc[k], float) for k in ("ingest_csv_s", "run_total_s", "kpi_warm_s", "pandas_s"))
    assert sc["ingest_xlsx_s"] is None  # one size only
    assert [t["key"] for t in res["targets"]] == list(TARGETS)
    assert all(isinstance(t["met"], bool) for t in res["targets"])
    assert res["machine"]["cpu_count"] >= 1


def test_child_peak_memory_is_its_own(tmp_path):
    """A step's peak RSS must not include the benchmark process's memory (ru_maxrss would)."""
    from pipelines.bench.core import _child

    csv = tmp_path / "x.csv"
    csv.write_text("a,b\n" + "".join(f"{i},teks {i}\n" for i in range(1000)), encoding="utf-8")
    ballast = b"x" * (700 * 2**20)  # resident in this process while the child runs
    out = _child("read_csv", {"csv": str(csv), "db": str(tmp_path / "x.duckdb")})
    assert len(ballast) == 700 * 2**20
    assert out["rows"] == 1000 and 0 < out["peak_rss_bytes"] < 500 * 2**20


def test_bench_config_admits_its_own_export_and_changes_nothing_else(tmp_path):
    """The 1M export (404 MB, 1M records) exceeds config/ingest.yaml's hostile-input bounds; the benchmark's
    copy of the configuration raises exactly those two bounds to fit it, and never lowers them."""
    import yaml

    from pipelines.bench.core import bench_config
    from pipelines.settings import resolve_config_dir

    export = tmp_path / "big.csv"
    with export.open("wb") as f:
        f.truncate(250_000_000)  # a sparse 250 MB file
    d = bench_config(tmp_path / "cfg", 1_000_000, export)
    src = yaml.safe_load((resolve_config_dir() / "ingest.yaml").read_text(encoding="utf-8"))
    got = yaml.safe_load((d / "ingest.yaml").read_text(encoding="utf-8"))
    assert got["limits"]["max_file_mb"] >= 275 > src["limits"]["max_file_mb"]
    assert got["limits"]["max_rows"] >= 1_000_000 > src["limits"]["max_rows"]
    for key in ("max_file_mb", "max_rows"):
        src["limits"].pop(key), got["limits"].pop(key)
    assert got == src
    assert sorted(p.name for p in d.iterdir()) == sorted(p.name for p in resolve_config_dir().iterdir())
    small = tmp_path / "small.csv"
    small.write_text("x\n", encoding="utf-8")
    again = yaml.safe_load((bench_config(tmp_path / "cfg2", 10, small) / "ingest.yaml").read_text(encoding="utf-8"))
    assert again["limits"]["max_file_mb"] == src_limits(resolve_config_dir())["max_file_mb"]


def src_limits(config_dir):
    import yaml

    return yaml.safe_load((config_dir / "ingest.yaml").read_text(encoding="utf-8"))["limits"]
