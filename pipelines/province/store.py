"""provinsi.duckdb: what the province pages read, precomputed at publish and served while it is current.

A stored view (a ranking or a trend for one period) carries the fingerprints of the pemda warehouses
it was computed from and of the province configuration; it is served only while all of them are
unchanged, so a pemda that publishes again (or a changed rule in the province's sla.yaml) makes the
pages compute the view afresh rather than show a stale number.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import duckdb

from pipelines.province import Province

VIEWS_TABLE = "province_views"
SNAPSHOT_TABLE = "pemda_snapshot"


def fingerprint(path: Path) -> str:
    """Changes whenever the file is replaced (publishing renames a new file into place)."""
    try:
        st = Path(path).stat()
    except OSError:
        return "absent"
    return f"{st.st_ino}:{st.st_size}:{st.st_mtime_ns}"


def config_fingerprint(province: Province) -> str:
    h = hashlib.sha256()
    for name in ("sla.yaml", "rating_model.yaml"):
        f = province.config_dir / name
        h.update(name.encode() + b"\0" + (f.read_bytes() if f.is_file() else b""))
    return h.hexdigest()[:16]


def current_state(province: Province) -> str:
    """One string that changes when any pemda publishes or the province rules change."""
    parts = {p.kode: fingerprint(p.paths.warehouse) for p in province.pemda}
    parts["config"] = config_fingerprint(province)
    return json.dumps(parts, sort_keys=True)


def stored_view(province: Province, key: str) -> Any | None:
    """The stored payload of view ``key`` when provinsi.duckdb holds it for the current state, else None."""
    wh = province.warehouse
    if not wh.is_file():
        return None
    try:
        con = duckdb.connect(str(wh), read_only=True)
    except duckdb.Error:
        return None
    try:
        row = con.execute(f"SELECT state, payload FROM {VIEWS_TABLE} WHERE view_key = ?", [key]).fetchone()  # noqa: S608 - fixed name
    except duckdb.Error:
        return None
    finally:
        con.close()
    if row is None or row[0] != current_state(province):
        return None
    return json.loads(row[1])
