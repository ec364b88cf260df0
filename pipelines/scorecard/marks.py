"""What a scorecard adds beside its numbers: the DEMO mark (when the warehouse holds demo data) and,
for the city, the kelurahan map of complaints received (when the pemda's boundaries are configured).
``decorate`` is called once at the end of ``content.gather``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import duckdb

from pipelines.demo.detect import is_demo_warehouse
from pipelines.geo import Boundaries, load_boundaries
from pipelines.masterdata import load_master_data
from pipelines.scorecard.model import AreaMap, ScorecardData
from pipelines.settings import resolve_config_dir


@lru_cache(maxsize=4)
def _boundaries(config_dir: str) -> Boundaries | None:
    md = load_master_data(config_dir)
    return load_boundaries(md.config_dir, md.city, md.kecamatan)


def area_map(kpi: dict[str, Any], config_dir: str | Path | None) -> AreaMap | None:
    b = _boundaries(str(resolve_config_dir(config_dir)))
    if b is None:
        return None
    values = {r["kelurahan"]: r.get("received") for r in kpi.get("by_kelurahan") or [] if r.get("kelurahan")}
    return AreaMap("Pengaduan masuk per kelurahan", "Pengaduan masuk", values, b)


def decorate(data: ScorecardData, con: duckdb.DuckDBPyConnection, config_dir: str | Path | None) -> None:
    data.demo = is_demo_warehouse(con)
    if data.scope == "kota":
        data.area = area_map(data.kpi, config_dir)
