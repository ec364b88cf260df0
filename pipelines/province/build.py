"""Building a province: every pemda with today's build, then provinsi.duckdb.

``run_province`` runs ``pipelines.build.core.run_pipeline`` on each pemda's own Paths, one after the
other (peak memory is that of the largest pemda, not of the province), skipping a pemda whose raw
files, configuration and published warehouse are what its last successful build saw: a new monthly
export for one pemda rebuilds that pemda only. A pemda whose build fails keeps serving its previous
published warehouse; the summary names it. ``build_province`` then precomputes what the province pages
open on (the ranking and trends of every calendar year, at most ten) into ``provinsi.duckdb``, written
to a new file and renamed into place, so readers never see a half-written province. Each pemda's part
of those views is kept in the file with the fingerprint of the warehouse it came from; a pemda that did
not publish again is not queried again, so the province step also grows with what changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from pipelines.build.core import run_pipeline
from pipelines.kpi.api import snapshot_info
from pipelines.periods import parse_period
from pipelines.province import Province
from pipelines.province.ranking import assemble_ranking, assemble_trends, pemda_part, view_key
from pipelines.province.store import (
    PARTS_DDL,
    PARTS_TABLE,
    SNAPSHOT_TABLE,
    VIEWS_TABLE,
    current_state,
    decode_part,
    encode_part,
    part_fingerprint,
    stored_parts,
)
from pipelines.rating.model import load_model
from pipelines.warehouse import WarehouseMissing, open_readonly

Progress = Callable[[str], None]
STATE_FILE = "province_builds.json"
# the trends the province pages open on (Tren Pemda), precomputed at publish
DEFAULT_TREND_METRICS = ("received", "response_rate", "on_time_response_rate", "resolution_rate")


@dataclass
class PemdaOutcome:
    kode: str
    name: str
    status: str  # published | unchanged | refused | blocked | error
    message: str | None = None
    complaints: int = 0
    seconds: float = 0.0


@dataclass
class ProvinceSummary:
    outcomes: list[PemdaOutcome] = field(default_factory=list)
    views: int = 0
    warehouse: Path | None = None
    parts: dict = field(default_factory=dict)  # pemda parts of the default views: computed / kept

    @property
    def failed(self) -> list[PemdaOutcome]:
        return [o for o in self.outcomes if o.status not in ("published", "unchanged")]


def inputs_fingerprint(paths) -> str:
    """Name, size and mtime of every file under raw/ and the configuration folder, and the evidence register."""
    h = hashlib.sha256()
    for root in (paths.raw_dir, paths.config_dir, paths.state_dir):
        if not root.is_dir():
            continue
        for f in sorted(root.rglob("*")):
            if f.is_file() and not f.name.endswith((".lock", "-wal", ".tmp")):
                st = f.stat()
                h.update(f"{f.relative_to(root)}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def _state_path(province: Province) -> Path:
    return province.data_dir / "state" / STATE_FILE


def _read_state(province: Province) -> dict:
    try:
        data = json.loads(_state_path(province).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _write_state(province: Province, state: dict) -> None:
    f = _state_path(province)
    f.parent.mkdir(parents=True, exist_ok=True)
    tmp = f.with_suffix(".tmp")
    tmp.write_text(json.dumps(state, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(tmp, f)


def _snapshot_id(paths) -> str | None:
    """The published snapshot of a pemda (None: none yet)."""
    try:
        con = open_readonly(paths)
    except WarehouseMissing:
        return None
    try:
        return (snapshot_info(con) or {}).get("snapshot_id")
    finally:
        con.close()


def run_province(province: Province, *, only: tuple[str, ...] | None = None, force: bool = False,
                 progress: Progress | None = None) -> ProvinceSummary:
    """Build every pemda whose inputs changed (or those in ``only``), then provinsi.duckdb."""
    say = progress or (lambda _m: None)
    state = _read_state(province)
    summary = ProvinceSummary()
    for p in province.pemda:
        if only is not None and p.kode not in only:
            continue
        fp = inputs_fingerprint(p.paths)
        done = state.get(p.kode) or {}
        if not force and done.get("inputs") == fp and done.get("snapshot_id") == _snapshot_id(p.paths):
            summary.outcomes.append(PemdaOutcome(p.kode, p.name, "unchanged"))
            say(f"{p.name} ({p.kode}): tidak ada berkas baru; gudang data terbit dipakai apa adanya.")
            continue
        say(f"{p.name} ({p.kode}): membangun …")
        res = run_pipeline(p.paths, progress=lambda m, n=p.name: say(f"  [{n}] {m}"))
        out = PemdaOutcome(p.kode, p.name, res.status, res.message, res.complaints,
                           float(res.timings.get("total", 0.0)))
        summary.outcomes.append(out)
        if res.published:  # what the next run will find when nothing new arrives (the build writes state/ too)
            state[p.kode] = {"inputs": inputs_fingerprint(p.paths), "snapshot_id": res.snapshot_id}
            _write_state(province, state)
    summary.views, summary.warehouse = build_province(province, progress=say, stats=summary.parts)
    return summary


MAX_YEARS = 10  # stored views: at most the ten latest calendar years


def _default_windows(province: Province) -> list[tuple[dt.date, dt.date]]:
    """Every calendar year from the earliest complaint to the latest published as-of date (latest first,
    at most MAX_YEARS): the periods the province pages offer by default."""
    first = latest = None
    for p in province.pemda:
        try:
            con = open_readonly(p.paths)
        except WarehouseMissing:
            continue
        try:
            snap = snapshot_info(con)
            low = con.execute("SELECT min(reported_at) FROM complaints").fetchone()[0]
        finally:
            con.close()
        if snap:
            day = dt.date.fromisoformat(snap["as_of"])
            latest = day if latest is None or day > latest else latest
        if low is not None:
            first = low.date() if first is None or low.date() < first else first
    if latest is None:
        return []
    years = range(latest.year, max(first.year if first else latest.year, latest.year - MAX_YEARS + 1) - 1, -1)
    return [(parse_period(str(y)).start, parse_period(str(y)).end) for y in years]


def _snapshot_rows(province: Province) -> list[tuple]:
    rows = []
    for p in province.pemda:
        try:
            con = open_readonly(p.paths)
        except WarehouseMissing:
            rows.append((p.kode, p.name, p.slug, None, None, 0))
            continue
        try:
            snap = snapshot_info(con) or {}
            n = con.execute("SELECT count(*) FROM complaints").fetchone()[0]
        finally:
            con.close()
        rows.append((p.kode, p.name, p.slug, snap.get("snapshot_id"),
                     dt.date.fromisoformat(snap["as_of"]) if snap.get("as_of") else None, int(n)))
    return rows


def _window_parts(province: Province, d_from: dt.date, d_to: dt.date, model, previous: dict,
                  stats: dict) -> tuple[dict, list[tuple]]:
    """Every pemda's part of one default window: kept from the previous publish while its fingerprint
    holds, computed otherwise; returns (kode -> part, the rows to store)."""
    wkey = view_key("window", date_from=d_from, date_to=d_to)
    parts, rows = {}, []
    for p in province.pemda:
        fp = part_fingerprint(province, p.paths.warehouse)
        kept = previous.get((p.kode, wkey))
        if kept is not None and kept[0] == fp:
            parts[p.kode] = decode_part(*kept[1:])
            rows.append((p.kode, wkey, *kept))
            stats["kept"] += 1
            continue
        part = pemda_part(p, d_from, d_to, None, model, trend=True)
        stats["computed"] += 1
        parts[p.kode] = part
        if part is not None:
            rows.append((p.kode, wkey, fp, *encode_part(part)))
    return parts, rows


def build_province(province: Province, progress: Progress | None = None,
                   stats: dict | None = None) -> tuple[int, Path]:
    """(Re)write provinsi.duckdb: each pemda's snapshot and the default views; returns (views, file).
    ``stats`` (when given) receives how many pemda parts were computed and how many kept."""
    say = progress or (lambda _m: None)
    stats = stats if stats is not None else {}
    stats.update(computed=0, kept=0)
    state = current_state(province)
    previous = stored_parts(province)
    model = load_model(config_dir=province.config_dir)
    views: list[tuple[str, str, str]] = []
    part_rows: list[tuple] = []
    for d_from, d_to in _default_windows(province):
        parts, rows = _window_parts(province, d_from, d_to, model, previous, stats)
        part_rows += rows
        key = view_key("ranking", date_from=d_from, date_to=d_to, as_of=None, rating=True)
        views.append((key, state, json.dumps(assemble_ranking(province, parts, d_from, d_to), default=str)))
        for metric, df in assemble_trends(province, parts, DEFAULT_TREND_METRICS).items():
            payload = {"rows": [{**r, "month": r["month"].isoformat()} for r in df.to_dicts()]}
            views.append((view_key("trend", metric=metric, date_from=d_from, date_to=d_to), state,
                          json.dumps(payload, default=str)))
    target = province.warehouse
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp))
    try:
        con.execute(f"CREATE TABLE {SNAPSHOT_TABLE} (kode VARCHAR PRIMARY KEY, name VARCHAR, slug VARCHAR, "
                    "snapshot_id VARCHAR, as_of DATE, complaints BIGINT)")
        con.executemany(f"INSERT INTO {SNAPSHOT_TABLE} VALUES (?, ?, ?, ?, ?, ?)", _snapshot_rows(province))  # noqa: S608
        con.execute(f"CREATE TABLE {VIEWS_TABLE} (view_key VARCHAR PRIMARY KEY, state VARCHAR, payload VARCHAR)")
        if views:
            con.executemany(f"INSERT INTO {VIEWS_TABLE} VALUES (?, ?, ?)", views)  # noqa: S608 - fixed name
        con.execute(PARTS_DDL)
        if part_rows:
            con.executemany(f"INSERT INTO {PARTS_TABLE} VALUES (?, ?, ?, ?, ?, ?)", part_rows)  # noqa: S608
        con.execute("CHECKPOINT")
    finally:
        con.close()
    os.replace(tmp, target)
    say(f"{province.name}: {len(views)} tampilan provinsi disiapkan di {target} "
        f"({stats['computed']} bagian pemda dihitung, {stats['kept']} dipakai ulang dari terbitan sebelumnya).")
    return len(views), target
