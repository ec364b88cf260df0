"""Profile-driven steps between the raw grid and the canonical rows, for exports
whose fields are not one column each: a date and its separate time column, a
body written twice (before and after the admin's edit), the wilayah written
at the end of the body, several flags in one cell, and the export date in a
title block (SP4N-LAPOR! "Laporan Ringkas", input-formats.md 1a). Every step
is declared in the profile YAML (docs/pipeline.md, bagian 5); none of them
runs for a profile that does not map the columns concerned.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from pipelines.ingest.dates import parse_column
from pipelines.ingest.profiles import TIME_FIELDS, Profile
from pipelines.textnorm import norm_key

# "... Lokasi Kejadian Kabupaten X | Kecamatan Y | Desa Z | Jl. Mawar 3" at the end of
# the body (the last occurrence wins; the street part is optional).
_LOKASI = (
    r"(?is).*lokasi\s+kejadian\s*:?\s*([^|\n]*?)\s*\|\s*([^|\n]*?)\s*\|\s*([^|\n]*?)\s*(?:\|\s*([^\n]*?))?\s*$"
)
# A time already in the date cell ("2023-05-29 04:05", "8 Jul 2024 09.15"): no time column added.
_HAS_TIME = r"[\sTt]\d{1,2}[:.]\d{2}"
_TIME_ONLY = r"^\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:\s*[AaPp]\.?\s?[Mm]\.?)?$"


def combine_time(df: pl.DataFrame, field_cols: dict[str, str]) -> pl.DataFrame:
    """Append a separate time column ("Waktu Laporan Masuk" 04:05:34) to its date
    column ("Tanggal Laporan Masuk" 29 May 2023) where the date has no time of its own."""
    for tfield, dfield in TIME_FIELDS.items():
        tcol, dcol = field_cols.get(tfield), field_cols.get(dfield)
        if not tcol or not dcol or tcol not in df.columns or dcol not in df.columns:
            continue
        # An Excel date cell read as text ("2023-05-29 00:00:00") carries no time of its own.
        d = pl.col(dcol).str.replace(r"^(\d{4}-\d{2}-\d{2})[ T]00:00(?::00)?$", "${1}")
        t = pl.col(tcol).str.strip_chars()
        add = d.is_not_null() & t.str.contains(_TIME_ONLY).fill_null(False) & ~d.str.contains(_HAS_TIME).fill_null(False)
        df = df.with_columns(pl.when(add).then(pl.concat_str([d, pl.lit(" "), t])).otherwise(pl.col(dcol)).alias(dcol))
    return df


def body_and_wilayah(df: pl.DataFrame) -> pl.DataFrame:
    """``body`` = the final text (Isi Laporan Akhir), else the initial one (Awal).
    Kecamatan, kelurahan, kota/kabupaten and the street come from the body's
    ``Lokasi Kejadian`` tail where their own columns are absent or empty."""
    if "body_initial" in df.columns:
        body = pl.col("body") if "body" in df.columns else pl.lit(None, dtype=pl.String)
        df = df.with_columns(pl.coalesce([body, pl.col("body_initial")]).alias("body"))
    if "body" not in df.columns:
        return df
    if all(c in df.columns and df.get_column(c).null_count() == 0 for c in ("kecamatan", "kelurahan")):
        return df  # the file's own wilayah columns are complete (the usual export): no text to scan
    texts = [pl.col(c) for c in ("body", "body_initial") if c in df.columns]
    has = pl.any_horizontal([t.str.contains("(?i)lokasi\\s+kejadian").fill_null(False) for t in texts])
    if not df.select(has.any()).item():
        return df
    src = pl.coalesce([pl.when(t.str.contains(_LOKASI).fill_null(False)).then(t) for t in texts])
    parts = src.str.extract_groups(_LOKASI)
    df = df.with_columns(parts.alias("__lok"))
    out = []
    for target, grp in (("regency", "1"), ("kecamatan", "2"), ("kelurahan", "3"), ("location", "4")):
        got = pl.col("__lok").struct.field(grp).str.strip_chars()
        got = pl.when(got.str.len_chars() > 0).then(got)
        own = pl.col(target) if target in df.columns else pl.lit(None, dtype=pl.String)
        out.append(pl.coalesce([own, got]).alias(target))
    return df.with_columns(out).drop("__lok")


def expand_flags(df: pl.DataFrame, p: Profile) -> pl.DataFrame:
    """A cell holding several flags (profile ``fields.flags``: separator and the
    token for each flag, e.g. ``Anonim|Rahasia``) -> is_anonymous / is_confidential
    as Ya/Tidak, where the profile does not map those columns itself. A cell with a
    token the profile does not name is kept as written (reported as not Ya/Tidak)."""
    spec = p.fields.get("flags")
    if spec is None or spec.flags is None or "flags" not in df.columns:
        return df
    fs = spec.flags
    targets = sorted(set(fs.values.values()))
    mapping: dict[str, dict[str, str]] = {t: {} for t in targets}
    for v in df.get_column("flags").drop_nulls().unique().to_list():
        tokens = [norm_key(x) for x in str(v).split(fs.separator) if norm_key(x)]
        unknown = [x for x in tokens if x not in fs.values]
        for t in targets:
            mapping[t][v] = v if unknown else ("Ya" if any(fs.values[x] == t for x in tokens) else "Tidak")
    out = []
    for t in targets:
        if t in df.columns and df.get_column(t).is_not_null().any():
            continue  # the file has its own column for this flag
        mapped = pl.col("flags").replace_strict(mapping[t], default=None, return_dtype=pl.String)
        out.append(pl.when(pl.col("flags").is_null()).then(pl.lit("Tidak")).otherwise(mapped).alias(t))
    return df.with_columns(out) if out else df


def title_snapshot_date(block: dict[str, str], p: Profile) -> dt.date | None:
    """The export's as-of date from its title block (profile ``title_block.snapshot_date``,
    e.g. ``Tanggal Generate``), or None."""
    wanted = {norm_key(x) for x in p.title_snapshot_labels}
    for label, value in block.items():
        if norm_key(label) in wanted and value:
            got = parse_column(pl.Series([value]), day_first=p.day_first, timezone=p.timezone, formats=p.date_formats)
            if got[0] is not None:
                return got[0].date()
    return None


def declared_as_of(metas: list[dict]) -> dt.datetime | None:
    """The latest export date a file declares in its title block (Tanggal Generate):
    the data are known as of that day even when no timestamp inside reaches it
    (a "Laporan Ringkas" export has the report dates only)."""
    days = [
        dt.date.fromisoformat(m["snapshot_date"])
        for m in metas
        if m.get("snapshot_date_source") == "title_block" and m.get("snapshot_date")
    ]
    return dt.datetime.combine(max(days), dt.time()) if days else None
