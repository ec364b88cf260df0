"""Ingestion: read complaint exports (CSV, XLSX, JSON) with declarative mapping
profiles into canonical rows, with personal data hashed or redacted.

Public API:
    stage_file(path, md, profiles, ...) -> StagedFile     one file, canonical rows
    preview_file(path, md, ...) -> Preview                what the upload page shows
    load_profiles(config_dir) -> list[Profile]
    FileRefused                                           a whole file refused (message in Bahasa Indonesia)
"""

from pipelines.ingest.canonical import STAGED_SCHEMA, StagedFile, snapshot_date_from_name, stage_file
from pipelines.ingest.errors import FileRefused
from pipelines.ingest.profiles import Profile, load_profiles

__all__ = [
    "STAGED_SCHEMA",
    "FileRefused",
    "Profile",
    "StagedFile",
    "load_profiles",
    "snapshot_date_from_name",
    "stage_file",
]
