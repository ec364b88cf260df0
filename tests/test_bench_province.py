"""`monev bench` at a province size (issue 19): the smoke run of 6,000 complaints over three pemda.

No timing is asserted: that every complaint generated is read and published exactly once, that the
ranking has one row per pemda, that the default views are served from provinsi.duckdb and another
period is computed, that a new monthly export for one pemda rebuilds that pemda only, and that the
peak memory of each `monev run` is recorded.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from pipelines.bench.core import CITY_MAX, DEFAULT_PROVINCE_PEMDA, PROVINCE_TARGETS, province_pemda, targets
from pipelines.bench.pages import PAGES

MIB = 2**20


def test_which_sizes_are_a_province():
    assert province_pemda(CITY_MAX, None) is None  # up to 1M: one city, as in issue 10
    assert province_pemda(10_000_000, None) == DEFAULT_PROVINCE_PEMDA == 38
    assert province_pemda(6_000, 3) == 3  # --provinsi: every size


def _prov(n: int, **over) -> dict:
    inc = [{"pemda": "35.01", "export_rows": 10, "rebuilt": ["35.01"], "skipped": 2, "wall_s": 1.0},
           {"pemda": "35.78", "export_rows": 100, "rebuilt": ["35.78"], "skipped": 2, "wall_s": 5.0}]
    r = {"rows": n, "kind": "provinsi", "pemda_count": 3, "pages_warm_max_ms": 900.0,
         "province_pages_warm_max_ms": 2000.0, "province_run": {"peak_rss_bytes": 3 * 2**30, "wall_s": 100.0},
         "largest_pemda": {"name": "Kota Surabaya"}, "incremental": inc}
    r.update(over)
    return r


def test_province_targets():
    t = {x["key"]: x for x in targets([_prov(10_000)], {"run_total_s": 0.9})}
    assert list(t) == list(PROVINCE_TARGETS)
    assert t["prov_page_warm_ms"]["met"] is True and t["prov_province_pages_ms"]["met"] is False
    assert t["prov_run_peak_rss_gib"]["value"] == 3.0 and t["prov_run_peak_rss_gib"]["met"] is True
    assert t["prov_incremental_only_pemda"]["value"] == 1.0 and t["prov_incremental_only_pemda"]["met"] is True
    # the larger export: 5 % of the run's time for 1 % of the rows -> 5x its share: not proportional
    assert t["prov_incremental_share"]["value"] == 5.0 and t["prov_incremental_share"]["met"] is False
    bad = _prov(10_000)
    bad["incremental"][0]["skipped"] = 1  # one other pemda was rebuilt too
    assert {x["key"]: x for x in targets([bad], {})}["prov_incremental_only_pemda"]["met"] is False


@pytest.mark.slow
def test_monev_bench_province_smoke(tmp_path):
    """`monev bench --sizes 6000 --provinsi 3 --quick`: the province path end to end."""
    out_json = tmp_path / "bench.json"
    r = subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "bench", "--sizes", "6000", "--provinsi", "3", "--quick",
         "--out", str(tmp_path / "work"), "--json", str(out_json)],
        capture_output=True, text=True, check=False, env={**os.environ, "MONEV_PII_SALT": "test-salt"},
    )
    assert r.returncode == 0, r.stderr[-3000:]
    assert "provinsi, 3 pemda" in r.stdout and "Target pada 6.000 pengaduan" in r.stdout
    assert "Traceback" not in r.stderr and "No runtime found" not in r.stderr
    res = json.loads(out_json.read_text(encoding="utf-8"))
    assert not (tmp_path / "work" / "n6000-provinsi3").exists()  # removed without --keep
    (s,) = res["sizes"]
    assert s["kind"] == "provinsi" and s["pemda_count"] == 3
    gen = s["generate"]
    assert sum(gen["pemda_rows"].values()) == 6_000 and len(gen["pemda_rows"]) == 3
    assert gen["files"] == 3 * 5  # one CSV per pemda and calendar year, 2022..2026
    # rows in = rows out: every generated complaint read once and published once
    assert s["read_csv"]["rows"] == s["ingest_csv"]["rows"] == s["build"]["complaints"] == 6_000
    pr = s["province_run"]
    assert pr["rebuilt"] == 3 and pr["skipped"] == 0 and pr["views"] > 0 and pr["province_s"] > 0
    windows = pr["views"] // 5  # a ranking and four trends per calendar year
    assert pr["parts"] == {"computed": 3 * windows, "kept": 0}
    assert {p["kode"]: p["complaints"] for p in pr["pemda"]} == gen["pemda_rows"]
    assert all(p["status"] == "published" for p in pr["pemda"])
    assert 100 * MIB < pr["peak_rss_bytes"] < 8 * 2**30
    assert pr["wall_s"] >= pr["province_s"] and pr["steps"]["stage"] > 0
    assert s["ingest_run"]["peak_rss_bytes"] == pr["peak_rss_bytes"]
    # the province pages: one ranking row per pemda; the default year stored, another period computed
    pp = s["province_pages"]
    assert pp["ranking_rows"] == pp["ranking_fresh_rows"] == 3
    assert pp["default_is_stored"] is True and pp["fresh_is_stored"] is False
    assert pp["trend_fresh_rows"] == 3 * 3  # three pemda x three months of the quarter
    assert all(pp[k]["warm_ms"] > 0 for k in ("ranking_stored", "trends_stored", "ranking_fresh", "trend_fresh"))
    assert s["province_pages_warm_max_ms"] == max(pp[k]["warm_ms"] for k in (
        "ranking_stored", "trends_stored", "ranking_fresh", "trend_fresh"))
    # one pemda's pages, KPI and baselines: the largest pemda
    big = s["largest_pemda"]
    assert big["rows"] == max(gen["pemda_rows"].values())
    assert set(s["pages"]) == set(PAGES) and all(v["warm_ms"] > 0 for v in s["pages"].values())
    assert s["headline_agree"] == {"cli": True, "bare_sql": True, "pandas": True}
    # the incremental case: the smallest and the largest pemda, each rebuilt alone
    incs = s["incremental"]
    assert [i["pemda"] for i in incs] == [min(gen["pemda_rows"], key=gen["pemda_rows"].get), big["kode"]]
    for i in incs:
        assert i["rebuilt"] == [i["pemda"]] and i["skipped"] == 2 and i["failed"] == []
        assert i["complaints_after"] == gen["pemda_rows"][i["pemda"]] + i["export_rows"]
        assert i["export_rows"] > 0 and i["peak_rss_bytes"] > 100 * MIB and i["province_s"] > 0
        assert i["parts"] == {"computed": windows, "kept": 2 * windows}  # only that pemda's parts again
    t = {x["key"]: x for x in res["targets"]}
    assert list(t) == list(PROVINCE_TARGETS)
    assert t["prov_incremental_only_pemda"]["met"] is True
    assert all(isinstance(x["met"], bool) for x in res["targets"] if x["key"] != "exponent_run")
    assert t["exponent_run"]["value"] is None  # one size only
