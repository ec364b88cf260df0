"""Interrupted builds: recorded as such on the next start, and their leftovers removed then.

When a build starts (holding the build lock) it writes ``runs/<run-id>/run.json`` with status
``running``; the end of every run, successful or not, replaces that file with the outcome. A
``running`` file found by the next build (which holds the lock, so nobody else is building) belongs
to a build that was killed, lost power or ran out of memory: it is rewritten with status
``interrupted`` and what was cleaned up, and the new warehouse's ``run_log`` lists it.

Leftovers: the half-written warehouse ``curated/.build-*.duckdb`` (and its WAL), DuckDB's spill
folder ``curated/*.tmp``, and half-written cache files ``staging/**/*.tmp``. The published
warehouse is never touched.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path
from typing import Any

from pipelines.settings import Paths


def mark_running(paths: Paths, run_id: str, started_at: dt.datetime) -> None:
    d = paths.runs_dir / run_id
    d.mkdir(parents=True, exist_ok=True)
    tmp = d / "run.json.tmp"
    tmp.write_text(json.dumps({"run_id": run_id, "started_at": started_at.isoformat(sep=" "), "status": "running",
                               "pid": os.getpid()}, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, d / "run.json")


def _leftovers(paths: Paths) -> list[Path]:
    found: list[Path] = []
    if paths.curated_dir.exists():
        found += sorted(paths.curated_dir.glob(".build-*.duckdb*"))
        found += sorted(p for p in paths.curated_dir.glob("*.tmp"))
    if paths.staging_dir.exists():
        found += sorted(paths.staging_dir.rglob("*.tmp"))
    if paths.runs_dir.exists():
        found += sorted(paths.runs_dir.glob("*.tmp")) + sorted(paths.runs_dir.glob("*/*.tmp"))
    return found


def _remove(p: Path) -> None:
    if p.is_dir() and not p.is_symlink():
        shutil.rmtree(p, ignore_errors=True)
    else:
        p.unlink(missing_ok=True)


def recover(paths: Paths, now: dt.datetime) -> list[dict[str, Any]]:
    """Record every interrupted build as such and remove the leftovers; returns the interrupted runs.
    Call while holding the build lock."""
    removed = _leftovers(paths)
    for p in removed:
        _remove(p)
    names = [p.relative_to(paths.data_dir).as_posix() if p.is_relative_to(paths.data_dir) else p.name
             for p in removed]
    runs: list[dict[str, Any]] = []
    for f in sorted(paths.runs_dir.glob("*/run.json")) if paths.runs_dir.exists() else []:
        try:
            r = json.loads(f.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if r.get("status") != "running":
            continue
        r.update(status="interrupted", finished_at=None, recovered_at=now.isoformat(sep=" "), removed=names,
                 message=(f"Pembangunan {r.get('run_id')} (mulai {r.get('started_at')}) terhenti di tengah jalan "
                          "(dimatikan, listrik padam atau kehabisan memori); gudang data yang terbit tidak berubah. "
                          f"Sisa berkasnya dihapus saat pembangunan berikutnya mulai ({now:%Y-%m-%d %H:%M:%S})"
                          + (f": {', '.join(names[:10])}." if names else ".")))
        f.write_text(json.dumps(r, ensure_ascii=False, indent=1), encoding="utf-8")
        runs.append(r)
        names = []  # the leftovers are listed once, with the first interrupted run
    return runs


def log_rows(runs: list[dict[str, Any]]) -> list[tuple]:
    """run_log rows (one per interrupted run) for the new warehouse."""
    out = []
    for r in runs:
        try:
            started = dt.datetime.fromisoformat(str(r.get("started_at")))
        except ValueError:
            continue
        out.append((r.get("run_id"), started, None, None, None, None, None, None, None, "interrupted", r.get("message")))
    return out


def log_interrupted(ctx) -> None:
    """Build step: the interrupted builds found at the start, into the new warehouse's run_log."""
    rows = log_rows(ctx.result.interrupted)
    if rows:
        ctx.con.executemany("INSERT INTO run_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
