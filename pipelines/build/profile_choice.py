"""The mapping profile a user chose for a file, remembered by the file's content.

`monev ingest FILE --profil X` and the dashboard's Unggah Data page (with a profile
chosen instead of "Kenali otomatis") record the choice in the app-state store,
keyed by the file's content hash (the hash `monev run` computes for every raw
file, pipelines.build.discover.file_hash). `monev run` then reads that file with
that profile instead of choosing again by headers and file name. A file copied
into raw/ by hand, or uploaded with "Kenali otomatis", has no entry and is
recognised automatically as before. Recording again for the same content
replaces the choice; choosing automatic removes it.
"""

from __future__ import annotations

from pathlib import Path

from pipelines.build.discover import file_hash
from pipelines.settings import Paths
from pipelines.state import now_local, open_state, register_migration, state_path, transaction

MIGRATION_ID = "0100_profile_choice"
MIGRATION_SQL = """
CREATE TABLE profile_choice (
    file_hash   TEXT PRIMARY KEY,   -- sha256 of the file's bytes, first 16 hex (discover.file_hash)
    profile     TEXT NOT NULL,      -- profile name (config/profiles/*.yaml 'name')
    file_name   TEXT NOT NULL,      -- name the file had when the choice was made (shown to users)
    chosen_by   TEXT NOT NULL,      -- 'monev ingest' or the dashboard user
    chosen_at   TEXT NOT NULL
)
"""
register_migration(MIGRATION_ID, MIGRATION_SQL)


def record_choice(paths: Paths, path: Path, profile: str | None, *, by: str) -> str:
    """Remember ``profile`` for the content of ``path`` (None: forget any choice). Returns the hash."""
    h = file_hash(path)
    with open_state(paths) as con, transaction(con):
        if profile:
            con.execute(
                "INSERT INTO profile_choice VALUES (?, ?, ?, ?, ?) ON CONFLICT (file_hash) DO UPDATE SET"
                " profile = excluded.profile, file_name = excluded.file_name, chosen_by = excluded.chosen_by,"
                " chosen_at = excluded.chosen_at",
                [h, profile, path.name, by, now_local()],
            )
        else:
            con.execute("DELETE FROM profile_choice WHERE file_hash = ?", [h])
    return h


def chosen_profiles(paths: Paths) -> dict[str, str]:
    """file hash -> chosen profile name (empty when nothing was ever chosen; never creates the store)."""
    if not state_path(paths).exists():
        return {}
    with open_state(paths) as con:
        return {r["file_hash"]: r["profile"] for r in con.execute("SELECT file_hash, profile FROM profile_choice")}
