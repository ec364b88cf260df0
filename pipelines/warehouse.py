"""The DuckDB warehouse: schema, master-data tables, and read-only opening.

Only the pipeline writes a warehouse (into a new build file that is published
atomically); every reader opens the published file read-only.
"""

from __future__ import annotations

import json
from importlib import resources

import duckdb

from pipelines.masterdata import CANONICAL_STATUSES, EXCLUDED_STATUSES, MasterData
from pipelines.settings import Paths
from pipelines.textnorm import norm_key


class WarehouseMissing(FileNotFoundError):
    """No published warehouse yet in this data directory."""


def schema_sql() -> str:
    return resources.files("pipelines").joinpath("sql/schema.sql").read_text(encoding="utf-8")


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(schema_sql())


def load_master_tables(con: duckdb.DuckDBPyConnection, md: MasterData) -> None:
    """Write the master data from config into the (empty) master tables."""
    con.executemany(
        "INSERT INTO departments VALUES (?, ?, ?, ?)",
        [(d.name, d.short, d.kind, d.kecamatan) for d in md.departments],
    )
    aliases: dict[str, tuple[str, str]] = {}
    for d in md.departments:
        for a in (d.name, d.short, *d.aliases):
            aliases.setdefault(norm_key(a), (a, d.name))
    con.executemany("INSERT INTO department_aliases VALUES (?, ?, ?)", [(k, a, n) for k, (a, n) in aliases.items()])
    con.executemany(
        "INSERT INTO wilayah VALUES (?, ?)", [(kec, kel) for kec, kels in md.kecamatan.items() for kel in kels]
    )
    con.executemany(
        "INSERT INTO categories VALUES (?, ?)", [(c.name, md.resolution_limit(c.name)) for c in md.categories]
    )
    con.executemany(
        "INSERT INTO classifications VALUES (?, ?)", [(c.name, c.berkadar_pengawasan) for c in md.classifications]
    )
    con.executemany("INSERT INTO channels VALUES (?, ?)", [(c.name, c.source) for c in md.channels])
    con.executemany("INSERT INTO status_labels VALUES (?, ?)", list(md.status_labels.items()))
    con.executemany(
        "INSERT INTO statuses VALUES (?, ?, ?)",
        [(s, md.status_display[s], s in EXCLUDED_STATUSES) for s in CANONICAL_STATUSES],
    )
    con.executemany(
        "INSERT INTO sla_limits VALUES (?, ?)",
        [
            ("verification", md.sla.verification),
            ("response", md.sla.response),
            ("auto_close", md.sla.auto_close),
            ("resolution", md.sla.resolution),
            ("resolution_pengawasan", md.sla.resolution_pengawasan),
        ],
    )
    con.executemany(
        "INSERT INTO settings VALUES (?, ?)",
        [
            ("min_sample", str(md.kpi.min_sample)),
            ("league", json.dumps(list(md.kpi.league))),
            ("count_duplicates_once", str(md.kpi.count_duplicates_once).lower()),
            ("cuti_bersama_is_day_off", str(md.calendar.cuti_bersama_is_day_off).lower()),
            ("city_name", str(md.city.get("name", ""))),
            ("config_hash", md.config_hash()),
            ("due_soon_days", str(md.kpi.due_soon_days)),
            ("backlog_aging_buckets", json.dumps([{"label": lab, "max": mx} for lab, mx in md.kpi.aging_buckets])),
        ],
    )


def open_readonly(paths: Paths) -> duckdb.DuckDBPyConnection:
    """Open the published warehouse read-only; raise WarehouseMissing with guidance if absent."""
    wh = paths.warehouse
    if not wh.exists():
        raise WarehouseMissing(
            f"Belum ada gudang data di {wh}. Jalankan `monev demo --data-dir {paths.data_dir}` lalu "
            f"`monev run --data-dir {paths.data_dir}`, atau unggah ekspor lalu `monev run`."
        )
    return duckdb.connect(str(wh), read_only=True)
