"""The staging cache: each file is parsed once per content hash.

Entries live in ``<data-dir>/staging/<cache-key>/``; the cache key changes
when the configuration (master data, profiles, settings), the reader version
or the personal-data salt change, so a stale parse is never reused. The file
name is part of an entry's key because the snapshot date and a rekap's channel
can come from the name.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from pipelines import __version__
from pipelines.build.discover import RawFile
from pipelines.build.profile_choice import chosen_profiles
from pipelines.ingest import FileRefused, Profile, StagedFile, stage_file
from pipelines.ingest.limits import symlink_refusal
from pipelines.masterdata import MasterData
from pipelines.pemda.mismatch import staged_warnings
from pipelines.settings import Paths

# Bump when the meaning of a staged row changes (readers, parsing, matching).
STAGING_VERSION = "1"


@dataclass
class StagedEntry:
    """A staged file as stored in the cache (metadata plus a Parquet file of rows)."""

    meta: dict[str, Any]
    rows_path: Path | None

    @property
    def refused(self) -> dict[str, str] | None:
        return self.meta.get("refused")

    def rows(self) -> pl.DataFrame:
        assert self.rows_path is not None
        return pl.read_parquet(self.rows_path)

    @property
    def snapshot_date(self) -> dt.date | None:
        s = self.meta.get("snapshot_date")
        return dt.date.fromisoformat(s) if s else None


def reader_fingerprint() -> str:
    """Hash of the ingestion code: an upgrade that changes parsing invalidates the cache."""
    h = hashlib.sha256()
    for p in sorted(Path(__file__).resolve().parents[1].joinpath("ingest").glob("*.py")):
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def cache_key(md: MasterData, salt: bytes) -> str:
    h = hashlib.sha256()
    parts = (md.config_hash(), STAGING_VERSION, __version__, reader_fingerprint(), hashlib.sha256(salt).hexdigest()[:16])
    for part in parts:
        h.update(part.encode())
        h.update(b"|")
    return h.hexdigest()[:16]


def _meta_of(rf: RawFile, sf: StagedFile) -> dict[str, Any]:
    return {
        "file_name": rf.name,
        "rel_path": rf.rel_path,
        "file_hash": rf.file_hash,
        "size": rf.size,
        "profile": sf.profile.name,
        "profile_label": sf.profile.label,
        "source_system": sf.profile.source_system,
        "has_verification_step": sf.profile.has_verification_step,
        "has_time": sf.profile.has_time,
        "kind": sf.kind,
        "encoding": sf.encoding,
        "delimiter": sf.delimiter,
        "sheets": sf.sheets,
        "header_rows": sf.header_rows,
        "columns": [list(c) for c in sf.columns],
        "rows_read": sf.rows_read,
        "rows_data": sf.rows.height,
        "skipped": sf.skipped,
        "channel": sf.channel,
        "channel_source": sf.channel_source,
        "snapshot_date": sf.snapshot_date.isoformat() if sf.snapshot_date else None,
        "snapshot_date_source": sf.snapshot_date_source,
        "names": [
            {"kind": n.kind, "raw": n.raw, "value": n.value, "method": n.method, "score": n.score,
             "suggestions": list(n.suggestions), "rows": n.rows}
            for n in sf.names
        ],
        "notes": sf.notes,
        "title_block": sf.title_block,
        "refused": None,
    }


class StagingCache:
    def __init__(self, paths: Paths, md: MasterData, salt: bytes):
        self.paths = paths
        self.md = md
        self.salt = salt
        self.key = cache_key(md, salt)
        self.dir = paths.staging_dir / self.key
        self.chosen = chosen_profiles(paths)  # file hash -> profile chosen at upload (profile_choice.py)

    def entry_name(self, rf: RawFile) -> str:
        chosen = self.chosen.get(rf.file_hash)
        key = rf.rel_path if chosen is None else f"{rf.rel_path}|profil={chosen}"
        return f"{rf.file_hash}-{hashlib.sha1(key.encode()).hexdigest()[:8]}"

    def get(self, rf: RawFile) -> StagedEntry | None:
        name = self.entry_name(rf)
        meta_p = self.dir / f"{name}.json"
        if not meta_p.exists():
            return None
        try:
            meta = json.loads(meta_p.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            return None
        rows_p = self.dir / f"{name}.parquet"
        if meta.get("refused") is None and not rows_p.exists():
            return None
        return StagedEntry(meta, rows_p if meta.get("refused") is None else None)

    def stage(self, rf: RawFile, profiles: list[Profile], *, now: dt.datetime | None = None) -> tuple[StagedEntry, bool]:
        """The staged entry for ``rf`` from the cache, or parse the file now. Returns (entry, was_cached)."""
        hit = self.get(rf)
        if hit is not None:
            return hit, True
        self.dir.mkdir(parents=True, exist_ok=True)
        name = self.entry_name(rf)
        try:
            if rf.is_link:
                raise symlink_refusal(rf.name)
            sf = stage_file(rf.path, self.md, profiles, rel_path=rf.rel_path, salt=self.salt, now=now,
                            profile_name=self.chosen.get(rf.file_hash))
        except FileRefused as exc:
            meta = {"file_name": rf.name, "rel_path": rf.rel_path, "file_hash": rf.file_hash, "size": rf.size,
                    "refused": {"reason": exc.reason, "message": exc.message}}
            self._write_json(self.dir / f"{name}.json", meta)
            return StagedEntry(meta, None), False
        rows_p = self.dir / f"{name}.parquet"
        tmp = rows_p.with_suffix(".parquet.tmp")
        sf.rows.write_parquet(tmp, compression="zstd", statistics=False)
        os.replace(tmp, rows_p)
        meta = _meta_of(rf, sf)
        meta["pemda_warnings"] = staged_warnings(sf, self.md, rf.rel_path)
        self._write_json(self.dir / f"{name}.json", meta)
        return StagedEntry(meta, rows_p), False

    def stage_all(
        self,
        files: list[RawFile],
        profiles: list[Profile],
        *,
        now: dt.datetime | None = None,
        progress=None,
    ) -> dict[str, tuple[StagedEntry, bool]]:
        """Stage every file (cached ones are reused). Returns rel_path -> (entry, was_cached).

        Files are parsed one after the other: polars already uses every core, and on
        a 2-core machine worker processes made the demo slower, not faster."""
        out: dict[str, tuple[StagedEntry, bool]] = {}
        todo: list[RawFile] = []
        for rf in files:
            hit = self.get(rf)
            if hit is not None:
                out[rf.rel_path] = (hit, True)
            else:
                todo.append(rf)
        for rf in todo:
            if progress:
                progress(f"Membaca {rf.rel_path} ...")
            out[rf.rel_path] = self.stage(rf, profiles, now=now)
        return out

    @staticmethod
    def _write_json(path: Path, obj: Any) -> None:
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(obj, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
        os.replace(tmp, path)

    def write_manifest(self, entries: list[tuple[RawFile, StagedEntry]]) -> None:
        """Remember which entries the last ingest used (``monev build`` rebuilds from them)."""
        manifest = {
            "cache_key": self.key,
            "files": [
                {"rel_path": rf.rel_path, "name": rf.name, "file_hash": rf.file_hash, "size": rf.size,
                 "entry": self.entry_name(rf)}
                for rf, _ in entries
            ],
        }
        self._write_json(self.paths.staging_dir / "manifest.json", manifest)

    def read_manifest(self) -> list[RawFile] | None:
        """The files of the last ingest, or None if the cache no longer matches the config."""
        p = self.paths.staging_dir / "manifest.json"
        if not p.exists():
            return None
        m = json.loads(p.read_text(encoding="utf-8"))
        if m.get("cache_key") != self.key:
            return None
        return [
            RawFile(self.paths.raw_dir / f["rel_path"], f["rel_path"], f["name"], f["size"], f["file_hash"])
            for f in m["files"]
        ]

    def prune(self, keep: list[RawFile]) -> None:
        """Drop cache folders of other configurations and entries no longer used."""
        root = self.paths.staging_dir
        if root.exists():
            for d in root.iterdir():
                if d.is_dir() and d.name != self.key:
                    shutil.rmtree(d, ignore_errors=True)
        if self.dir.exists():
            wanted = {self.entry_name(rf) for rf in keep}
            for f in self.dir.iterdir():
                if f.name.split(".", 1)[0] not in wanted:
                    f.unlink(missing_ok=True)
