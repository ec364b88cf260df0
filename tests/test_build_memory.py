"""The build connection's memory limit (config/ingest.yaml build.memory_limit)."""

from __future__ import annotations

import os

import duckdb
import pytest

from pipelines.ingest.settings import IngestSettings, load_ingest_settings
from pipelines.masterdata import ConfigError, load_master_data


def test_memory_limit_is_a_share_of_ram_or_mib(tmp_path):
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    assert IngestSettings(memory_limit=0.5).memory_limit_bytes() == max(2**30, int(total * 0.5))
    assert IngestSettings(memory_limit=4096).memory_limit_bytes() == 4096 * 2**20
    assert IngestSettings(memory_limit=0.0001).memory_limit_bytes() == 2**30
    assert IngestSettings().memory_limit == 1536  # MiB (docs/benchmark.md: the 1M run's peak)
    (tmp_path / "ingest.yaml").write_text("build:\n  memory_limit: 2048\n", encoding="utf-8")
    assert load_ingest_settings(tmp_path).memory_limit_bytes() == 2048 * 2**20
    (tmp_path / "ingest.yaml").write_text("build:\n  memory_limit: 0\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="memory_limit"):
        load_ingest_settings(tmp_path)


def test_shipped_config_sets_1536_mib_and_duckdb_accepts_it():
    s = load_ingest_settings(load_master_data().config_dir)
    assert s.memory_limit == 1536 and s.memory_limit_bytes() == 1536 * 2**20
    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{s.memory_limit_bytes() // 2**20}MiB'")
    got = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    assert got.endswith("iB") and float(got.split()[0]) > 0
