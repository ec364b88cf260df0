"""From a raw grid to canonical complaint rows (vectorised with polars).

Row kinds: rows after the header are either data, or non-data that is skipped
and counted (blank, title such as "FEBRUARI 2025", subtotal/total, a repeated
header). Data rows are mapped to the canonical fields; the values that could
not be understood are kept beside them (``<field>__raw``) so validation can
say which row, which column, and what was written.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import polars as pl

from pipelines.ingest.dates import is_null_token, lookup_expr, parse_lookup
from pipelines.ingest.detect import HeaderMatch, choose_profile
from pipelines.ingest.errors import refuse
from pipelines.ingest.matching import (
    channel_slug,
    flag_value,
    infer_channel,
    match_values,
    status_map,
)
from pipelines.ingest.pii import contact_key_expr, redact_expr, redact_text
from pipelines.ingest.profiles import PII_FIELDS, TIMESTAMP_FIELDS, Profile, header_keys
from pipelines.ingest.readers import ROW, FileInfo, load_csv_body, read_file
from pipelines.masterdata import MasterData

SKIP_KINDS = ("blank", "title", "subtotal", "header")
# "rekap_januari__kanal-whatsapp.xlsx": an explicit channel in the file name (written by `monev ingest --kanal`).
CHANNEL_MARKER = re.compile(r"__kanal-([a-z0-9-]+)")
_SUBTOTAL = r"(?i)^\s*(?:sub\s*-?\s*total|grand\s*total|total|jumlah|jml)\b"
_HYPERLINK = r'(?i)^=\s*hyperlink\(\s*"([^"]*)"\s*(?:[,;]\s*"([^"]*)"\s*)?\)$'
_EXCEL_TEXT = r'^=\s*"(.*)"$'

# The canonical columns every staged frame carries, in this order.
STAGED_SCHEMA: dict[str, pl.DataType] = {
    "sheet": pl.String,
    "source_row": pl.Int64,
    "source_id": pl.String,
    "id_derived": pl.Boolean,
    "complaint_key": pl.String,
    **{c: pl.Datetime("us") for c in TIMESTAMP_FIELDS},
    **{f"{c}__raw": pl.String for c in TIMESTAMP_FIELDS},
    "status": pl.String,
    "status_label": pl.String,
    "classification": pl.String,
    "classification__raw": pl.String,
    "berkadar_pengawasan": pl.Boolean,
    "category": pl.String,
    "category__raw": pl.String,
    "channel": pl.String,
    "channel__col": pl.String,
    "channel__raw": pl.String,
    "department": pl.String,
    "department_raw": pl.String,
    "kecamatan": pl.String,
    "kecamatan__raw": pl.String,
    "kelurahan": pl.String,
    "kelurahan__raw": pl.String,
    "title": pl.String,
    "body": pl.String,
    "location": pl.String,
    "is_anonymous": pl.Boolean,
    "is_anonymous__raw": pl.String,
    "is_confidential": pl.Boolean,
    "is_confidential__raw": pl.String,
    "satisfaction": pl.Int32,
    "satisfaction__raw": pl.String,
    "reporter_hash": pl.String,
}


@dataclass
class NameReport:
    """One distinct raw name of a kind (department, category, ...) and how it matched."""

    kind: str
    raw: str
    value: str | None
    method: str
    score: float
    suggestions: tuple[str, ...]
    rows: int


@dataclass
class StagedFile:
    """The result of reading one file: canonical rows and what was learned about it."""

    file_name: str
    rel_path: str
    profile: Profile
    kind: str
    encoding: str | None
    delimiter: str | None
    sheets: list[str | None]
    header_rows: list[int]
    columns: list[tuple[str, str | None]]  # (header as written, canonical field or None)
    rows: pl.DataFrame  # data rows, STAGED_SCHEMA
    rows_read: int
    skipped: dict[str, int]
    channel: str | None
    channel_source: str | None
    snapshot_date: dt.date | None
    snapshot_date_source: str
    names: list[NameReport] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def rows_skipped(self) -> int:
        return sum(self.skipped.values())


# ---------------------------------------------------------------- helpers
def clean_str(expr: pl.Expr) -> pl.Expr:
    """Trim, unwrap Excel formulas (=HYPERLINK("url","text") -> text, ="007" -> 007), '' -> null."""
    s = expr.str.replace_all("\r\n", "\n").str.strip_chars()
    link = s.str.extract_groups(_HYPERLINK)
    s = (
        pl.when(s.str.starts_with("="))
        .then(
            pl.coalesce(
                [link.struct.field("2").replace("", None), link.struct.field("1"), s.str.extract(_EXCEL_TEXT, 1), s]
            )
        )
        .otherwise(s)
    )
    return pl.when(s.str.len_chars() == 0).then(None).otherwise(s)


def clean_id(expr: pl.Expr) -> pl.Expr:
    """Identifiers as Excel leaves them: 4517763.0 -> 4517763, 4.517763E+06 -> 4517763,
    leading zeros dropped from all-digit ids so 0045 and 45 are one complaint."""
    s = expr.str.strip_chars()
    sci = s.str.contains(r"^\d+(?:\.\d+)?[eE]\+?\d+$")
    as_int = s.cast(pl.Float64, strict=False)
    s = (
        pl.when(sci & (as_int == as_int.floor()) & (as_int < 1e15))
        .then(as_int.cast(pl.Int64, strict=False).cast(pl.String))
        .otherwise(s)
    )
    s = s.str.replace(r"^(\d+)\.0+$", "${1}")
    s = pl.when(s.str.contains(r"^\d+$")).then(s.str.replace(r"^0+(\d)", "${1}")).otherwise(s)
    return pl.when(s.str.len_chars() == 0).then(None).otherwise(s)


_NAME_DATE = (
    (re.compile(r"(?<!\d)(20\d{2})[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])(?!\d)"), "ymd"),
    (re.compile(r"(?<!\d)(0[1-9]|[12]\d|3[01])[-_.](0[1-9]|1[0-2])[-_.](20\d{2})(?!\d)"), "dmy"),
)


def snapshot_date_from_name(name: str) -> dt.date | None:
    """'lapor_2025-03-01.csv' / 'export20250301.xlsx' / 'x_01-03-2025.csv' -> 2025-03-01."""
    stem = Path(name).stem
    for rx, order in _NAME_DATE:
        for m in rx.finditer(stem):
            a, b, c = (int(x) for x in m.groups())
            y, mo, d = (a, b, c) if order == "ymd" else (c, b, a)
            try:
                return dt.date(y, mo, d)
            except ValueError:
                continue
    return None


def _norm_key_expr(expr: pl.Expr) -> pl.Expr:
    return expr.str.to_lowercase().str.replace_all(r"[^0-9a-z]", "")


def _map_distinct(col: pl.Expr, mapping: dict[str, object], dtype: pl.DataType) -> pl.Expr:
    return col.replace_strict(mapping, default=None, return_dtype=dtype)


# ---------------------------------------------------------------- main entry
def stage_file(
    path: Path,
    md: MasterData,
    profiles: list[Profile],
    *,
    rel_path: str | None = None,
    salt: bytes = b"",
    channel_override: str | None = None,
    profile_name: str | None = None,
    data: bytes | None = None,
    now: dt.datetime | None = None,
) -> StagedFile:
    """Read one file with the profile that fits it and return canonical rows.

    Raises FileRefused (one paragraph, Bahasa Indonesia) when the file cannot be used.
    """
    name = path.name
    rel_path = rel_path or name
    info = read_file(path, data)
    matches = choose_profile(info, profiles, name, rel_path, forced=profile_name)
    profile = matches[0].profile

    bodies: list[pl.DataFrame] = []
    skipped = dict.fromkeys(SKIP_KINDS, 0)
    rows_read = 0
    title_text: list[str] = []
    for m in matches:
        body, kinds, n_read = _classify(info, m, name)
        rows_read += n_read
        for k in SKIP_KINDS:
            skipped[k] += kinds.get(k, 0)
        bodies.append(body)
        title_text.extend(" ".join(c for c in row if c) for row in m.grid.head[: m.header_pos])
        if m.grid.sheet:
            title_text.append(m.grid.sheet)
    raw = pl.concat(bodies, how="diagonal_relaxed") if bodies else pl.DataFrame()
    n_data = raw.height
    if rows_read == 0:
        raise refuse(
            name,
            "header_only",
            f"hanya berisi baris judul kolom (baris {matches[0].header_row}) tanpa satu pun baris data",
            "Ekspor ulang dengan rentang tanggal yang berisi laporan, atau hapus berkas ini dari folder raw",
        )
    if n_data == 0:
        raise refuse(
            name,
            "no_data",
            f"tidak ada baris data: {rows_read} baris setelah judul kolom semuanya kosong, judul, atau baris jumlah",
            "Periksa bahwa data laporan ada di lembar yang benar, lalu unggah lagi",
        )

    # Channel for rows that do not carry one.
    channel, channel_source = _file_channel(profile, md, rel_path, title_text, channel_override, name)
    has_channel_col = any("channel" in m.columns for m in matches)
    if profile.source_system == "rekap" and channel is None and not has_channel_col:
        cands = infer_channel(" ".join([rel_path, *title_text]), md, profile.channel_sources)
        extra = f" (ditemukan lebih dari satu kanal: {', '.join(cands)})" if len(cands) > 1 else ""
        raise refuse(
            name,
            "channel_unknown",
            "kanal pengaduan rekap ini tidak dapat ditentukan: tidak ada kolom kanal, dan nama berkas maupun judulnya "
            f"tidak menyebut satu kanal{extra}",
            "Beri nama berkas yang memuat kanalnya (mis. rekap_whatsapp_2025-01.xlsx), pilih kanal saat mengunggah "
            "(monev ingest BERKAS --kanal WhatsApp), atau tambahkan kolom \"Kanal\"",
        )

    rows, names = _to_canonical(raw, profile, md, channel, salt)
    snap = snapshot_date_from_name(name)
    snap_src = "name"
    if snap is None:
        snap_src = "content"
        now = now or dt.datetime.now()
        latest = rows.select(
            pl.max_horizontal([pl.col(c).filter(pl.col(c) <= now).max() for c in TIMESTAMP_FIELDS])
        ).item()
        snap = latest.date() if latest is not None else None
    columns: list[tuple[str, str | None]] = []
    for m in matches:
        inv = {i: f for f, i in m.columns.items()}
        for i, h in m.headers.items():
            if (h, inv.get(i)) not in columns:
                columns.append((h, inv.get(i)))
    notes = []
    dups = sorted({d for m in matches for d in m.duplicates})
    if dups:
        notes.append("Kolom ganda diabaikan (kolom pertama yang dipakai): " + ", ".join(dups))
    return StagedFile(
        file_name=name,
        rel_path=rel_path,
        profile=profile,
        kind=info.kind,
        encoding=info.encoding,
        delimiter=info.delimiter,
        sheets=[m.grid.sheet for m in matches],
        header_rows=[m.header_row for m in matches],
        columns=columns,
        rows=rows,
        rows_read=rows_read,
        skipped={k: v for k, v in skipped.items() if v},
        channel=channel,
        channel_source=channel_source,
        snapshot_date=snap,
        snapshot_date_source=snap_src,
        names=names,
        notes=notes,
    )


def _file_channel(
    profile: Profile, md: MasterData, rel_path: str, title_text: list[str], override: str | None, name: str
) -> tuple[str | None, str | None]:
    if override:
        ch = md.channel_exact(override)
        if ch is None:
            raise refuse(
                name,
                "channel_unknown",
                f"kanal {override!r} yang dipilih tidak ada di daftar kanal",
                f"Pilih salah satu: {', '.join(md.channel_names)}",
            )
        return ch, "override"
    marker = CHANNEL_MARKER.search(Path(rel_path).stem.lower())
    if marker:
        by_slug = {channel_slug(c.name): c.name for c in md.channels}
        for c in md.channels:
            for a in c.aliases:
                by_slug.setdefault(channel_slug(a), c.name)
        ch = by_slug.get(marker.group(1).strip("-"))
        if ch is None:
            raise refuse(
                name,
                "channel_unknown",
                f"penanda kanal \"__kanal-{marker.group(1)}\" pada nama berkas tidak cocok dengan kanal mana pun",
                f"Ganti penandanya dengan salah satu: {', '.join(channel_slug(c) for c in md.channel_names)}",
            )
        return ch, "file_name"
    if profile.channel_fixed:
        return profile.channel_fixed, "fixed"
    if profile.channel_from_file_name:
        cands = infer_channel(rel_path, md, profile.channel_sources)
        if len(cands) == 1:
            return cands[0], "file_name"
    if profile.channel_from_title:
        cands = infer_channel(" ".join(title_text), md, profile.channel_sources)
        if len(cands) == 1:
            return cands[0], "title"
    if profile.channel_column_default:
        return profile.channel_column_default, "default"
    return None, None


def _classify(info: FileInfo, m: HeaderMatch, name: str) -> tuple[pl.DataFrame, dict[str, int], int]:
    """Rows after the header of one sheet: data rows mapped to field names, skip counts, rows read."""
    g = m.grid
    if info.kind == "csv":
        df = load_csv_body(info, name, m.header_pos).slice(1)
    elif g.header_from_keys:
        df = g.df
    else:
        df = g.df.filter(pl.col(ROW) > m.header_row)
    n_read = df.height
    if n_read == 0:
        return pl.DataFrame(), {}, 0
    cells = [c for c in df.columns if c != ROW]
    df = df.with_columns([clean_str(pl.col(c)).alias(c) for c in cells])
    field_cols = {f: f"c{i}" for f, i in m.columns.items() if f"c{i}" in df.columns}
    meaningful = [c for f, c in field_cols.items() if f != "row_no"]
    n_nonempty = pl.sum_horizontal([pl.col(c).is_not_null() for c in cells]) if cells else pl.lit(0)
    n_meaningful = pl.sum_horizontal([pl.col(c).is_not_null() for c in meaningful]) if meaningful else pl.lit(0)
    # A repeated header: at least two mapped cells spell their own column's header.
    hdr_hits = [
        _norm_key_expr(pl.col(c)).is_in(sorted(_field_keys(m.profile, f) | header_keys(m.headers.get(m.columns[f]))))
        for f, c in field_cols.items()
    ]
    is_header = (pl.sum_horizontal(hdr_hits) >= min(2, len(hdr_hits))) if hdr_hits else pl.lit(False)
    subtotal = pl.any_horizontal([pl.col(c).str.contains(_SUBTOTAL) for c in cells]).fill_null(False)
    rep = field_cols.get("reported_at")
    if rep:
        table = parse_lookup([df.get_column(rep)], day_first=m.profile.day_first, timezone=m.profile.timezone)
        rep_parses = lookup_expr(pl.col(rep), table).is_not_null()
    else:
        rep_parses = pl.lit(False)
    content_fields = [field_cols[f] for f in ("body", "title", "source_id") if f in field_cols]
    content_filled = (
        pl.any_horizontal([pl.col(c).is_not_null() for c in content_fields]) if content_fields else pl.lit(False)
    )
    kind = (
        pl.when(n_nonempty == 0)
        .then(pl.lit("blank"))
        .when((n_meaningful == 0) & _only_row_no_numeric(field_cols.get("row_no"), n_nonempty))
        .then(pl.lit("blank"))
        .when(is_header)
        .then(pl.lit("header"))
        .when(subtotal & ~rep_parses)
        .then(pl.lit("subtotal"))
        .when(n_meaningful == 0)
        .then(pl.lit("title"))
        .when((n_nonempty == 1) & ~content_filled & ~rep_parses)
        .then(pl.lit("title"))
        .otherwise(pl.lit("data"))
    )
    df = df.with_columns(kind.alias("__kind"))
    counts = dict(df.group_by("__kind").len().iter_rows())
    data = df.filter(pl.col("__kind") == "data").select(
        pl.lit(g.sheet, dtype=pl.String).alias("sheet"),
        pl.col(ROW).alias("source_row"),
        *[pl.col(c).alias(f) for f, c in field_cols.items()],
    )
    return data, {k: v for k, v in counts.items() if k != "data"}, n_read


def _only_row_no_numeric(row_no_col: str | None, n_nonempty: pl.Expr) -> pl.Expr:
    if row_no_col is None:
        return pl.lit(False)
    return (n_nonempty == 1) & pl.col(row_no_col).str.contains(r"^\d+\.?$").fill_null(False)


def _field_keys(profile: Profile, f: str) -> set[str]:
    spec = profile.fields.get(f)
    out: set[str] = set()
    for a in (f, *(spec.aliases if spec else ())):
        out |= header_keys(a)
    return out


def _col(df: pl.DataFrame, name: str) -> pl.Expr:
    return pl.col(name) if name in df.columns else pl.lit(None, dtype=pl.String)


def _to_canonical(
    raw: pl.DataFrame, p: Profile, md: MasterData, file_channel: str | None, salt: bytes
) -> tuple[pl.DataFrame, list[NameReport]]:
    """Map the data rows of a file to STAGED_SCHEMA (vectorised; names matched on distinct values)."""
    df = raw
    names: list[NameReport] = []
    exprs: list[pl.Expr] = [pl.col("sheet"), pl.col("source_row")]

    # --- timestamps: every date column parsed once, on distinct values
    date_cols = [c for c in (*TIMESTAMP_FIELDS, "updated_at") if c in df.columns]
    table = parse_lookup([df.get_column(c) for c in date_cols], day_first=p.day_first, timezone=p.timezone)
    ts: dict[str, pl.Expr] = {}
    for f in TIMESTAMP_FIELDS:
        r = _col(df, f)
        exprs.append(pl.when(is_null_token(r)).then(None).otherwise(r).alias(f"{f}__raw"))
        ts[f] = lookup_expr(r, table) if f in df.columns else pl.lit(None, dtype=pl.Datetime("us"))

    # --- Open311 status semantics
    if p.mapping == "open311":
        st = _col(df, "status").str.to_lowercase().str.strip_chars()
        notes = _col(df, "status_notes")
        has_notes = notes.is_not_null()
        upd = lookup_expr(_col(df, "updated_at"), table) if "updated_at" in df.columns else pl.lit(None, dtype=pl.Datetime("us"))
        generic = _map_distinct(_norm_key_expr(_col(df, "status")), status_map(md, p.status_labels), pl.String)
        status = (
            pl.when(st == "closed")
            .then(pl.lit("resolved"))
            .when((st == "open") & has_notes)
            .then(pl.lit("in_progress"))
            .when(st == "open")
            .then(pl.lit("awaiting_response"))
            .otherwise(generic)
        )
        ts["resolved_at"] = pl.coalesce([ts["resolved_at"], pl.when(status == "resolved").then(upd)])
        ts["first_response_at"] = pl.coalesce(
            [ts["first_response_at"], pl.when(has_notes & status.is_in(["resolved", "in_progress"])).then(upd)]
        )
    else:
        smap = status_map(md, p.status_labels)
        status = _map_distinct(_norm_key_expr(_col(df, "status")), smap, pl.String)
        if p.status_when_missing == "derive":
            derived = (
                pl.when(ts["resolved_at"].is_not_null())
                .then(pl.lit("resolved"))
                .when(ts["archived_at"].is_not_null())
                .then(pl.lit("archived"))
                .when(ts["first_response_at"].is_not_null())
                .then(pl.lit("in_progress"))
                .otherwise(pl.lit("awaiting_response"))
            )
            status = pl.when(_col(df, "status").is_null()).then(derived).otherwise(status)
    exprs += [ts[f].alias(f) for f in TIMESTAMP_FIELDS]
    exprs += [status.alias("status"), _col(df, "status").alias("status_label")]

    # --- classification, category, channel, department, wilayah: distinct values only
    def distinct(col: str) -> list[str]:
        if col not in df.columns:
            return []
        return [v for v in df.get_column(col).drop_nulls().unique().to_list()]

    cls_map = {v: md.classification_exact(v) for v in distinct("classification")}
    cls_expr = _map_distinct(_col(df, "classification"), cls_map, pl.String)
    pengawasan = {c.name: c.berkadar_pengawasan for c in md.classifications}
    exprs += [
        cls_expr.alias("classification"),
        _col(df, "classification").alias("classification__raw"),
        cls_expr.replace_strict(pengawasan, default=False, return_dtype=pl.Boolean).fill_null(False).alias(
            "berkadar_pengawasan"
        ),
    ]
    for kind in ("category", "department", "kecamatan", "kelurahan"):
        vals = distinct(kind)
        matched = match_values(kind, vals, md)
        counts = (
            dict(df.group_by(kind).len().drop_nulls(kind).iter_rows()) if kind in df.columns and vals else {}
        )
        for v, nm in matched.items():
            names.append(
                NameReport(kind, redact_text(v) or "", nm.value, nm.method, nm.score, nm.suggestions, int(counts.get(v, 0)))
            )
        mapped = _map_distinct(_col(df, kind), {v: nm.value for v, nm in matched.items()}, pl.String)
        exprs.append(mapped.alias(kind))
        if kind == "department":
            exprs.append(redact_expr(_col(df, kind)).alias("department_raw"))
        else:
            exprs.append(_col(df, kind).alias(f"{kind}__raw"))
    ch_map = {v: md.channel_exact(v) for v in distinct("channel")}
    ch_expr = _map_distinct(_col(df, "channel"), ch_map, pl.String)
    exprs += [
        pl.coalesce([ch_expr, pl.lit(file_channel, dtype=pl.String)]).alias("channel"),
        ch_expr.alias("channel__col"),
        _col(df, "channel").alias("channel__raw"),
    ]

    # --- text, with personal-data patterns redacted
    for f in ("title", "body", "location"):
        exprs.append(redact_expr(_col(df, f)).alias(f))

    # --- flags and satisfaction
    for f in ("is_anonymous", "is_confidential"):
        fm = {v: flag_value(v) for v in distinct(f)}
        exprs += [
            _map_distinct(_col(df, f), fm, pl.Boolean).alias(f),  # null = empty or not understood
            _col(df, f).alias(f"{f}__raw"),
        ]
    sat_num = _col(df, "satisfaction").str.replace(",", ".").cast(pl.Float64, strict=False)
    sat_ok = sat_num.is_between(1, 5) & (sat_num == sat_num.floor())
    exprs += [
        pl.when(sat_ok).then(sat_num.cast(pl.Int32)).alias("satisfaction"),
        _col(df, "satisfaction").alias("satisfaction__raw"),
    ]

    # --- identifiers
    exprs.append(clean_id(_col(df, "source_id")).alias("source_id"))

    # --- personal data: read only to hash (and to redact the reporter's own name in text)
    pii = {f: (_col(df, f) if f in df.columns else None) for f in PII_FIELDS}
    exprs.append(
        contact_key_expr(pii["reporter_phone"], pii["reporter_email"], pii["reporter_nik"], pii["reporter_name"]).alias(
            "__contact"
        )
    )
    exprs.append(_col(df, "reporter_name").alias("__name"))

    out = df.select(exprs)
    out = _finish_in_duckdb(out, p, salt)
    # Kecamatan from kelurahan when only the kelurahan is given.
    kel_to_kec = {k: kec for kec, kels in md.kecamatan.items() for k in kels}
    out = out.with_columns(
        pl.coalesce(
            [pl.col("kecamatan"), pl.when(pl.col("kecamatan__raw").is_null()).then(
                pl.col("kelurahan").replace_strict(kel_to_kec, default=None, return_dtype=pl.String)
            )]
        ).alias("kecamatan")
    )
    return out.select([pl.col(c).cast(t) for c, t in STAGED_SCHEMA.items()]), names


_FINISH_SQL = """
WITH t AS (
    SELECT *,
        CASE WHEN __name IS NOT NULL AND length(trim(__name)) >= 4 THEN lower(trim(__name)) END AS __lname
    FROM staged
), k AS (
    -- The reporter's own name inside the text becomes [nama] (only rows that contain it pay for a regex).
    SELECT * EXCLUDE (title, body, location, __contact, __name, __lname),
        CASE WHEN __lname IS NOT NULL AND contains(lower(title), __lname)
             THEN regexp_replace(title, '(?i)' || regexp_escape(trim(__name)), '[nama]', 'g') ELSE title END AS title,
        CASE WHEN __lname IS NOT NULL AND contains(lower(body), __lname)
             THEN regexp_replace(body, '(?i)' || regexp_escape(trim(__name)), '[nama]', 'g') ELSE body END AS body,
        CASE WHEN __lname IS NOT NULL AND contains(lower(location), __lname)
             THEN regexp_replace(location, '(?i)' || regexp_escape(trim(__name)), '[nama]', 'g') ELSE location END
             AS location,
        CASE WHEN __contact IS NOT NULL THEN substr(sha256($salt || '|' || __contact), 1, 32) END AS reporter_hash
    FROM t
), ids AS (
    SELECT *,
        source_id IS NULL AS id_derived,
        CASE WHEN source_id IS NOT NULL THEN source_id
             WHEN $system = 'rekap' AND reported_at IS NOT NULL
                  AND coalesce(title, body) IS NOT NULL
             THEN strftime(reported_at, '%Y%m%d') || '-' || substr(md5(
                    trim(regexp_replace(lower(coalesce(title, '') || ' ' || coalesce(body, '')), '[^a-z0-9]+', ' ', 'g'))
                  ), 1, 10)
        END AS __id
    FROM k
), keyed AS (
    SELECT *,
        CASE WHEN __id IS NULL THEN NULL
             WHEN $system = 'rekap' AND channel IS NULL THEN NULL
             WHEN $system = 'rekap' THEN 'rekap:' || __slug || ':' || __id
             ELSE $system || ':' || __id END AS __key0
    FROM (SELECT *, regexp_replace(lower(trim(coalesce(channel, ''))), '[^a-z0-9]+', '-', 'g') AS __slug FROM ids)
)
SELECT * EXCLUDE (source_id, __id, __key0, __slug),
    __id AS source_id,
    CASE WHEN id_derived AND __key0 IS NOT NULL
              AND row_number() OVER (PARTITION BY __key0 ORDER BY sheet NULLS FIRST, source_row) > 1
         THEN __key0 || '~' || row_number() OVER (PARTITION BY __key0 ORDER BY sheet NULLS FIRST, source_row)
         ELSE __key0 END AS complaint_key
FROM keyed
ORDER BY sheet NULLS FIRST, source_row
"""


_local = threading.local()


def _duck() -> duckdb.DuckDBPyConnection:
    """One in-memory DuckDB connection per thread, reused for every file."""
    con = getattr(_local, "con", None)
    if con is None:
        con = _local.con = duckdb.connect()
    return con


def _finish_in_duckdb(df: pl.DataFrame, p: Profile, salt: bytes) -> pl.DataFrame:
    """Hashes (reporter, derived ids) and the reporter's own name redacted from text."""
    con = _duck()
    con.register("staged", df)
    try:
        return con.execute(_FINISH_SQL, {"salt": salt.decode("utf-8", "replace"), "system": p.source_system}).pl()
    finally:
        con.unregister("staged")
