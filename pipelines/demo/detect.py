"""Does a warehouse hold demo data? ``monev demo`` writes ``<data-dir>/demo_manifest.json`` with the
SHA-256 of every file it made; the build records each loaded file's hash (``input_files.file_hash``,
the first 16 hex digits). A warehouse is demo data when any loaded file is one the demo generator
made: then its numbers are (at least partly) made up, and scorecards say DEMO on every page and sheet.
A real data folder has no manifest, so its scorecards carry no mark."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from pipelines.demo.generate import MANIFEST_NAME


def warehouse_file(con: duckdb.DuckDBPyConnection) -> Path | None:
    row = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()
    return Path(row[0]) if row and row[0] else None


def demo_hashes(data_dir: Path) -> set[str]:
    manifest = data_dir / MANIFEST_NAME
    if not manifest.exists():
        return set()
    try:
        files = json.loads(manifest.read_text(encoding="utf-8")).get("files") or []
    except (OSError, ValueError):
        return set()
    return {str(f.get("sha256", ""))[:16] for f in files if f.get("sha256")}


def is_demo_warehouse(con: duckdb.DuckDBPyConnection) -> bool:
    """True when a file loaded into this warehouse (``<data-dir>/curated/monev.duckdb``) was made by
    ``monev demo`` for that data folder."""
    wh = warehouse_file(con)
    if wh is None:
        return False
    made = demo_hashes(wh.parent.parent)
    if not made:
        return False
    loaded = {r[0] for r in con.execute("SELECT file_hash FROM input_files").fetchall()}
    return bool(loaded & made)
