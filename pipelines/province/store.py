"""provinsi.duckdb: what the province pages read, precomputed at publish and served while it is current.

Beside the views, ``pemda_parts`` keeps what each pemda contributed to each default view (its total
row, rating and monthly trend; ``ranking.pemda_part``), with the fingerprint it was computed under: the
next publish recomputes only the pemda whose warehouse changed, so a new monthly export for one pemda
costs that pemda, not the province.

A stored view (a ranking or a trend for one period) carries the fingerprints of the pemda warehouses
it was computed from and of the province configuration; it is served only while all of them are
unchanged, so a pemda that publishes again (or a changed rule in the province's sla.yaml) makes the
pages compute the view afresh rather than show a stale number.
"""

from __future__ import annotations

import hashlib
import io
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from pipelines.province import Province

VIEWS_TABLE = "province_views"
SNAPSHOT_TABLE = "pemda_snapshot"
PARTS_TABLE = "pemda_parts"
PARTS_DDL = (f"CREATE TABLE {PARTS_TABLE} (kode VARCHAR, window_key VARCHAR, fingerprint VARCHAR, "
             "meta VARCHAR, frame BLOB, trend BLOB, PRIMARY KEY (kode, window_key))")


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


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """The KPI, rating and ranking code a part was computed by: a new release recomputes every part."""
    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    for sub in ("kpi", "rating"):
        for f in sorted((root / sub).rglob("*")):
            if f.suffix in (".py", ".sql", ".yaml") and f.is_file():
                h.update(f.relative_to(root).as_posix().encode() + b"\0" + f.read_bytes())
    h.update((root / "province" / "ranking.py").read_bytes())
    return h.hexdigest()[:16]


def part_fingerprint(province: Province, warehouse: Path) -> str:
    """When this changes, a pemda's part must be computed again: its warehouse, the province rules, the code."""
    return f"{fingerprint(warehouse)}|{config_fingerprint(province)}|{code_fingerprint()}"


def _ipc(frame: pl.DataFrame | None) -> bytes | None:
    if frame is None:
        return None
    buf = io.BytesIO()
    frame.write_ipc(buf)
    return buf.getvalue()


def encode_part(part: dict[str, Any]) -> tuple[str, bytes | None, bytes | None]:
    meta = {k: v for k, v in part.items() if k not in ("frame", "trend")}
    return json.dumps(meta, default=str), _ipc(part.get("frame")), _ipc(part.get("trend"))


def decode_part(meta: str, frame: bytes | None, trend: bytes | None) -> dict[str, Any]:
    part = json.loads(meta)
    if frame is not None:
        part["frame"] = pl.read_ipc(io.BytesIO(frame))
    if trend is not None:
        part["trend"] = pl.read_ipc(io.BytesIO(trend))
    return part


def stored_parts(province: Province) -> dict[tuple[str, str], tuple[str, str, bytes | None, bytes | None]]:
    """(kode, window_key) -> (fingerprint, meta, frame, trend) from the published provinsi.duckdb ({}: none)."""
    wh = province.warehouse
    if not wh.is_file():
        return {}
    try:
        con = duckdb.connect(str(wh), read_only=True)
    except duckdb.Error:
        return {}
    try:
        rows = con.execute(f"SELECT kode, window_key, fingerprint, meta, frame, trend FROM {PARTS_TABLE}").fetchall()  # noqa: S608 - fixed name
    except duckdb.Error:  # a provinsi.duckdb of an earlier release: no parts, every pemda is computed
        return {}
    finally:
        con.close()
    return {(r[0], r[1]): (r[2], r[3], r[4], r[5]) for r in rows}
