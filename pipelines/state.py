"""The app-state store: what users type in the app (evidence records now; accounts
and the audit log later), kept apart from the warehouse.

One SQLite file, ``<data-dir>/state/app.sqlite``, in WAL mode so the dashboard can
read while a command writes. Things stored here reach the warehouse only through
the pipeline (e.g. ``pipelines.rating.evidence.copy_evidence_to_warehouse``), so a
published snapshot stays reproducible.

Schema changes are a list of migrations applied once each, in order, and recorded
in ``schema_migrations``. A module that needs a table adds an entry to
``MIGRATIONS`` below (or calls ``register_migration`` at import time); never edit
an applied migration, add a new one.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pipelines.settings import Paths

STATE_FILE = "app.sqlite"


@dataclass(frozen=True)
class Migration:
    id: str  # unique and sortable, e.g. "0001_evidence"
    sql: str  # one or more statements


MIGRATIONS: list[Migration] = [
    Migration(
        "0001_evidence",
        """
        CREATE TABLE evidence (
            evidence_id     INTEGER PRIMARY KEY AUTOINCREMENT,
            indicator_id    TEXT NOT NULL,      -- rating model indicator (config/rating_model.yaml)
            year            INTEGER NOT NULL,   -- evaluation year the document is submitted for
            title           TEXT NOT NULL,
            doc_type        TEXT NOT NULL,      -- Perwali | SK | SOP | undangan | ... (evidence.EVIDENCE_TYPES)
            doc_date        TEXT NOT NULL,      -- ISO date of the document
            file_name       TEXT NOT NULL,      -- original name, sanitised (shown to users)
            file_ref        TEXT NOT NULL,      -- stored name under <data-dir>/evidence: <sha256>.<ext>
            sha256          TEXT NOT NULL,      -- full hex digest of the file bytes
            size_bytes      INTEGER NOT NULL,
            recorded_by     TEXT NOT NULL,
            recorded_at     TEXT NOT NULL,      -- ISO timestamp, local time
            status          TEXT NOT NULL DEFAULT 'diajukan'
                            CHECK (status IN ('diajukan', 'diverifikasi', 'ditolak')),
            status_reason   TEXT,               -- required when ditolak
            status_by       TEXT,
            status_at       TEXT,
            note            TEXT
        );
        CREATE INDEX evidence_year_indicator ON evidence (year, indicator_id);
        """,
    ),
]


def register_migration(migration_id: str, sql: str) -> None:
    """Add a migration from another module (call at import time, before ``connect``)."""
    if any(m.id == migration_id for m in MIGRATIONS):
        existing = next(m for m in MIGRATIONS if m.id == migration_id)
        if existing.sql != sql:
            raise ValueError(f"Migrasi {migration_id!r} sudah terdaftar dengan isi berbeda.")
        return
    MIGRATIONS.append(Migration(migration_id, sql))


def state_path(paths: Paths) -> Path:
    return paths.state_dir / STATE_FILE


def now_local() -> str:
    """Current local time as an ISO string (seconds), for recorded_at/status_at columns."""
    return dt.datetime.now().replace(microsecond=0).isoformat(sep=" ")


def _migrate(con: sqlite3.Connection) -> None:
    con.execute("CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    done = {r[0] for r in con.execute("SELECT id FROM schema_migrations")}
    for m in MIGRATIONS:
        if m.id in done:
            continue
        # One transaction per migration: BEGIN IMMEDIATE takes the write lock so two
        # processes starting at once do not apply the same migration twice.
        con.execute("BEGIN IMMEDIATE")
        try:
            if con.execute("SELECT 1 FROM schema_migrations WHERE id = ?", [m.id]).fetchone():
                con.execute("ROLLBACK")
                continue
            for stmt in _statements(m.sql):
                con.execute(stmt)
            con.execute("INSERT INTO schema_migrations VALUES (?, ?)", [m.id, now_local()])
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise


def _statements(sql: str) -> list[str]:
    # Migrations are plain DDL without semicolons inside literals, so a split is enough.
    return [s.strip() for s in sql.split(";") if s.strip()]


def _private(f: Path) -> None:
    """The store holds password hashes, sessions and the audit log: its folder 0700, its files 0600
    (created so, and tightened if an older version left them readable)."""
    d = f.parent
    d.mkdir(parents=True, exist_ok=True, mode=0o700)
    if stat.S_IMODE(d.stat().st_mode) != 0o700:
        os.chmod(d, 0o700)
    if not f.exists():
        os.close(os.open(f, os.O_CREAT | os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0), 0o600))
    for p in (f, f.with_name(f.name + "-wal"), f.with_name(f.name + "-shm")):
        try:
            if stat.S_IMODE(p.lstat().st_mode) != 0o600:
                os.chmod(p, 0o600)
        except FileNotFoundError:
            pass


def connect(paths: Paths) -> sqlite3.Connection:
    """Open (creating if needed, private to the server's user) the state store, migrated to the
    latest schema.

    The connection is in autocommit mode; use ``transaction(con)`` for writes.
    """
    f = state_path(paths)
    _private(f)
    con = sqlite3.connect(str(f), timeout=30, isolation_level=None, check_same_thread=False)
    con.row_factory = sqlite3.Row
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA foreign_keys=ON")
    con.execute("PRAGMA busy_timeout=30000")
    _migrate(con)
    return con


@contextmanager
def transaction(con: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """A write transaction (BEGIN IMMEDIATE ... COMMIT, ROLLBACK on error)."""
    con.execute("BEGIN IMMEDIATE")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


@contextmanager
def open_state(paths: Paths) -> Iterator[sqlite3.Connection]:
    """``with open_state(paths) as con:`` opens, migrates and closes the store."""
    con = connect(paths)
    try:
        yield con
    finally:
        con.close()


def applied_migrations(con: sqlite3.Connection) -> list[str]:
    return [r[0] for r in con.execute("SELECT id FROM schema_migrations ORDER BY id")]
