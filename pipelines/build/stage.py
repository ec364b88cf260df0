"""The first steps: read the configuration, find the raw files, stage each one
(read with its mapping profile into canonical rows, once per content hash: ``cache.py``)."""

from __future__ import annotations

from typing import Any

from pipelines.build.cache import StagedEntry, StagingCache
from pipelines.build.context import BuildContext, BuildError, FileOutcome
from pipelines.build.discover import RawFile, discover
from pipelines.ingest import load_profiles
from pipelines.ingest.profiles import validate_channels
from pipelines.ingest.settings import load_ingest_settings
from pipelines.masterdata import load_master_data
from pipelines.settings import pii_salt


def read_config(ctx: BuildContext) -> None:
    """Master data, mapping profiles and ingest settings from config/."""
    ctx.md = load_master_data(ctx.paths.config_dir)
    ctx.profiles = load_profiles(ctx.paths.config_dir)
    validate_channels(ctx.profiles, ctx.md.channel_names)
    ctx.settings = load_ingest_settings(ctx.paths.config_dir)


def source_of(meta: dict[str, Any]) -> str:
    if meta.get("source_system") == "rekap":
        return f"rekap:{meta.get('channel') or 'kolom kanal'}"
    return str(meta.get("source_system"))


def discover_files(ctx: BuildContext) -> None:
    """The files of raw/ (or, for ``monev build``, the files the last run staged)."""
    paths = ctx.paths
    ctx.cache = StagingCache(paths, ctx.md, pii_salt(paths))
    if ctx.from_staging:
        files = ctx.cache.read_manifest()
        if files is None:
            raise BuildError(
                "Belum ada berkas yang dibaca dengan konfigurasi ini (atau konfigurasi berubah sejak itu). "
                f"Jalankan `monev run --data-dir {paths.data_dir}` untuk membaca berkas di raw/."
            )
    else:
        files = discover(paths.raw_dir)
    if not files:
        ctx.result.status = "refused"
        raise BuildError(
            f"Tidak ada berkas ekspor di {paths.raw_dir}. Letakkan ekspor SP4N-LAPOR!, rekap kanal lokal atau Open311 "
            "di folder itu (atau `monev ingest BERKAS`), lalu jalankan monev run lagi."
        )
    ctx.files = files


def _entries(ctx: BuildContext, unique: list[RawFile]) -> dict[str, tuple[StagedEntry, bool]]:
    cache: StagingCache = ctx.cache
    if not ctx.from_staging:
        return cache.stage_all(unique, ctx.profiles, now=ctx.now, progress=ctx.say)
    entries: dict[str, tuple[StagedEntry, bool]] = {}
    for rf in unique:
        entry = cache.get(rf)
        if entry is None:
            raise BuildError(
                f"Hasil baca berkas {rf.rel_path} tidak ada lagi di cache. Jalankan `monev run` untuk membacanya ulang."
            )
        entries[rf.rel_path] = (entry, True)
    return entries


def _outcome(out: FileOutcome, entry: StagedEntry, cached: bool) -> None:
    out.cached = cached
    if entry.refused:
        out.status = "refused"
        out.message = entry.refused["message"]
        return
    m = entry.meta
    out.profile = m["profile"]
    out.source = source_of(m)
    out.snapshot_date = m.get("snapshot_date")
    out.rows_read = m["rows_read"]
    out.rows_skipped = sum(m["skipped"].values())
    out.skipped = dict(m["skipped"])
    out.pemda_warnings = list(m.get("pemda_warnings") or [])
    out.notes = list(m.get("notes") or [])  # what the reader did (e.g. a JSON key repeated in one object)


def stage_files(ctx: BuildContext) -> None:
    """Read and canonicalise every file once per content hash; a refused file stops the build."""
    by_hash: dict[str, str] = {}
    unique: list[RawFile] = []
    for rf in ctx.files:
        if rf.file_hash not in by_hash:
            by_hash[rf.file_hash] = rf.rel_path
            unique.append(rf)
    entries = _entries(ctx, unique)
    result = ctx.result
    for rf in ctx.files:
        out = FileOutcome(rf.rel_path, rf.name, rf.file_hash, rf.size, "ok")
        result.files.append(out)
        if by_hash[rf.file_hash] != rf.rel_path:
            out.status = "duplicate"
            out.duplicate_of = by_hash[rf.file_hash]
            out.message = f"Isi berkas identik dengan {by_hash[rf.file_hash]}; tidak dimuat dua kali."
            continue
        entry, cached = entries[rf.rel_path]
        _outcome(out, entry, cached)
        if out.status == "ok":
            ctx.staged.append((rf, entry, out))
    if not ctx.from_staging:
        ctx.cache.write_manifest([(rf, e) for rf, e, _ in ctx.staged])
    refused = [f for f in result.files if f.status == "refused"]
    if refused:
        result.status = "refused"
        raise BuildError(
            f"{len(refused)} berkas ditolak, jadi gudang data tidak diperbarui (gudang sebelumnya tetap dipakai). "
            "Perbaiki atau pindahkan berkas itu dari folder raw, lalu jalankan monev run lagi."
        )
