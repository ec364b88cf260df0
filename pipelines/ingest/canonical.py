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

from pipelines.ingest.dates import is_null_token, parse_column
from pipelines.ingest.detect import HeaderMatch, choose_profile
from pipelines.ingest.enrich import body_and_wilayah, combine_time, expand_flags, title_snapshot_date
from pipelines.ingest.errors import refuse
from pipelines.ingest.limits import read_limits
from pipelines.ingest.matching import (
    channel_slug,
    flag_value,
    infer_channel,
    match_values,
    national_category_ids,
    status_map,
)
from pipelines.ingest.pii import contact_key_expr, redact_expr, redact_series, redact_text
from pipelines.ingest.profiles import PII_FIELDS, TIMESTAMP_FIELDS, Profile, header_keys
from pipelines.ingest.readers import ROW, FileInfo, load_csv_body, read_file, title_block
from pipelines.masterdata import STATUS_DEFAULT_STEPS, STEPS, MasterData

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
    "surplus_fields__raw": pl.String,  # CSV values beyond the header's width (pipelines.ingest.limits)
    # kpi-spec.md "Status says whether, dates say when": which steps this file's
    # source dates (profile `timed_steps`) and the steps its status label implies
    # beyond the canonical status's own (statuses.yaml / profile `implies`).
    **{c: pl.String for c in ("source_category_id", "source_department_id", "parent_agency", "province", "regency",
                             "status_reason")},
    "times_verification": pl.Boolean,
    "times_response": pl.Boolean,
    "times_resolution": pl.Boolean,
    "status_implies": pl.List(pl.String),
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
    # The title block above the header, label as written -> value (readers.title_block):
    # for SP4N-LAPOR! "Laporan Ringkas" Judul Laporan, Nama Instansi, Tanggal Generate, Periode Masuk, Pengelola.
    title_block: dict[str, str] = field(default_factory=dict)

    @property
    def rows_skipped(self) -> int:
        return sum(self.skipped.values())


# ---------------------------------------------------------------- helpers
def trim_str(expr: pl.Expr) -> pl.Expr:
    """Trim, Windows line ends to \\n, '' -> null."""
    return _trim(expr, crlf=True)


def _trim(expr: pl.Expr, *, crlf: bool) -> pl.Expr:
    s = expr.str.replace_all("\r\n", "\n", literal=True) if crlf else expr
    s = s.str.strip_chars()
    return pl.when(s.str.len_bytes() == 0).then(None).otherwise(s)


def unwrap_formula(expr: pl.Expr) -> pl.Expr:
    """Excel formulas as text: =HYPERLINK("url","text") -> text, ="007" -> 007."""
    link = expr.str.extract_groups(_HYPERLINK)
    return (
        pl.when(expr.str.starts_with("="))
        .then(
            pl.coalesce(
                [link.struct.field("2").replace("", None), link.struct.field("1"), expr.str.extract(_EXCEL_TEXT, 1), expr]
            )
        )
        .otherwise(expr)
    )


def _clean_columns(df: pl.DataFrame, cols: list[str]) -> pl.DataFrame:
    """Trim every column; unwrap formulas only in the columns that hold one (rare, and costly to look for)."""
    if not cols:
        return df
    # "\r\n" -> "\n" only where a column holds a "\r" at all (a cheap byte search).
    crlf = df.select([pl.col(c).str.contains("\r", literal=True).any() for c in cols]).row(0)
    df = df.with_columns([_trim(pl.col(c), crlf=bool(cr)).alias(c) for c, cr in zip(cols, crlf, strict=True)])
    with_formula = [c for c in cols if df.get_column(c).str.starts_with("=").any()]
    if with_formula:
        df = df.with_columns([unwrap_formula(pl.col(c)).alias(c) for c in with_formula])
    return df


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


SOURCE_DETAIL = {
    # staged column: profile field (SP4N-LAPOR! Laporan Ringkas; no personal data)
    "source_category_id": "category_id",
    "source_department_id": "department_id",
    "parent_agency": "parent_agency",
    "province": "province",
    "regency": "regency",
    "status_reason": "status_reason",
}


def source_detail_columns(df: pl.DataFrame) -> list[pl.Expr]:
    """The source's own identifiers and location of the report, as written
    (the free-text reason for postponing/archiving with personal data redacted)."""
    out = []
    for col, f in SOURCE_DETAIL.items():
        e = _col(df, f)
        if f in ("category_id", "department_id") and f in df.columns:
            e = clean_id(e)
        if f == "status_reason":
            e = redact_expr(e)
        out.append(e.alias(col))
    return out


def step_columns(label: pl.Expr, p: Profile, md: MasterData) -> list[pl.Expr]:
    """times_<step> (the profile's `timed_steps`) and status_implies: the steps a
    status label implies beyond its canonical status (statuses.yaml and profile
    `status.implies`; the profile wins), as a list ([] when none)."""
    out = [pl.lit(step in p.timed_steps).alias(f"times_{step}") for step in STEPS]
    implies = {**md.status_implies, **p.status_implies}
    smap = status_map(md, p.status_labels)
    extra: dict[str, str] = {}
    for key, steps in implies.items():
        defaults = STATUS_DEFAULT_STEPS.get(smap.get(key, ""), ())
        todo = [s for s in steps if s not in defaults]
        if todo:
            extra[key] = ",".join(todo)
    if not extra:
        return [*out, pl.lit(None, dtype=pl.List(pl.String)).alias("status_implies")]
    joined = _map_distinct(_norm_key_expr(label), extra, pl.String)
    return [*out, joined.str.split(",").alias("status_implies")]


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
    info = read_file(path, data, limits=read_limits(md.config_dir))
    matches = choose_profile(info, profiles, name, rel_path, forced=profile_name)
    profile = matches[0].profile

    raw, skipped, rows_read, title_text = _read_bodies(info, matches, name)

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
    block = title_block([row for m in matches for row in m.grid.head[: m.header_pos]])
    snap, snap_src = _snapshot_date(rows, profile, block, name, now)
    columns: list[tuple[str, str | None]] = []
    for m in matches:
        inv = {i: f for f, i in m.columns.items()}
        for i, h in m.headers.items():
            if (h, inv.get(i)) not in columns:
                columns.append((h, inv.get(i)))
    notes = list(info.notes)
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
        title_block=block,
    )


def _read_bodies(
    info: FileInfo, matches: list[HeaderMatch], name: str
) -> tuple[pl.DataFrame, dict[str, int], int, list[str]]:
    """The data rows of every matched sheet, the skipped-row counts, the rows read and the
    title text above the headers; refuses a file with no data row."""
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

    return raw, skipped, rows_read, title_text


def _snapshot_date(
    rows: pl.DataFrame, profile: Profile, block: dict[str, str], name: str, now: dt.datetime | None
) -> tuple[dt.date | None, str]:
    """The export's as-of date: the title block's (profile `title_block.snapshot_date`,
    e.g. Tanggal Generate), else a date in the file name, else the latest timestamp inside."""
    snap = title_snapshot_date(block, profile)
    if snap is not None:
        return snap, "title_block"
    snap = snapshot_date_from_name(name)
    if snap is not None:
        return snap, "name"
    now = now or dt.datetime.now()
    latest = rows.select(pl.max_horizontal([pl.col(c).filter(pl.col(c) <= now).max() for c in TIMESTAMP_FIELDS])).item()
    return (latest.date() if latest is not None else None), "content"


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
    cells = [c for c in df.columns if c not in (ROW, "__surplus")]
    field_cols = {f: f"c{i}" for f, i in m.columns.items() if f"c{i}" in df.columns}
    df = combine_time(_clean_columns(df, list(dict.fromkeys(field_cols.values()))), field_cols)
    # A row whose report date parses is data; only the others need the heuristics below.
    rep = field_cols.get("reported_at")
    if rep:
        rep_dt = parse_column(
            df.get_column(rep), day_first=m.profile.day_first, timezone=m.profile.timezone, formats=m.profile.date_formats
        )
    else:
        rep_dt = pl.Series([None] * df.height, dtype=pl.Datetime("us"))
    df = df.with_columns(rep_dt.alias("__reported"))
    rep_ok = rep_dt.is_not_null()
    sure = df.filter(rep_ok)
    rest = _clean_columns(df.filter(~rep_ok), [c for c in cells if c not in field_cols.values()])
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
        .when(subtotal)
        .then(pl.lit("subtotal"))
        .when(n_meaningful == 0)
        .then(pl.lit("title"))
        .when((n_nonempty == 1) & ~content_filled)
        .then(pl.lit("title"))
        .otherwise(pl.lit("data"))
    )
    rest = rest.with_columns(kind.alias("__kind"))
    counts = dict(rest.group_by("__kind").len().iter_rows())
    keep = [pl.lit(g.sheet, dtype=pl.String).alias("sheet"), pl.col(ROW).alias("source_row"),
            *[pl.col(c).alias(f) for f, c in field_cols.items()], pl.col("__reported"),
            _col(df, "__surplus").alias("__surplus")]
    data = pl.concat([sure.select(keep), rest.filter(pl.col("__kind") == "data").select(keep)]).sort("source_row")
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


def _timestamps(df: pl.DataFrame, p: Profile) -> tuple[pl.DataFrame, list[pl.Expr], dict[str, pl.Expr]]:
    """Each date column parsed once (reported_at already while classifying rows): the frame
    with the parsed columns, the ``<field>__raw`` expressions, and one expression per field."""
    exprs: list[pl.Expr] = []
    parsed = {
        c: parse_column(df.get_column(c), day_first=p.day_first, timezone=p.timezone, formats=p.date_formats).alias(
            f"__dt_{c}"
        )
        for c in (*TIMESTAMP_FIELDS[1:], "updated_at")
        if c in df.columns
    }
    if "reported_at" in df.columns:
        parsed["reported_at"] = df.get_column("__reported").alias("__dt_reported_at")
    df = df.with_columns(list(parsed.values()))
    ts: dict[str, pl.Expr] = {}
    for f in TIMESTAMP_FIELDS:
        r = _col(df, f)
        exprs.append(pl.when(is_null_token(r)).then(None).otherwise(r).alias(f"{f}__raw"))
        ts[f] = pl.col(f"__dt_{f}") if f in parsed else pl.lit(None, dtype=pl.Datetime("us"))

    return df, exprs, ts


def _status(df: pl.DataFrame, p: Profile, md: MasterData, ts: dict[str, pl.Expr]) -> pl.Expr:
    """The canonical status (Open311 semantics or the label map); for Open311 the
    resolution and response times are filled in ``ts`` from updated_datetime."""
    if p.mapping == "open311":
        st = _col(df, "status").str.to_lowercase().str.strip_chars()
        notes = _col(df, "status_notes")
        has_notes = notes.is_not_null()
        upd = pl.col("__dt_updated_at") if "__dt_updated_at" in df.columns else pl.lit(None, dtype=pl.Datetime("us"))
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
    return status


def _distinct(df: pl.DataFrame, col: str) -> list[str]:
    if col not in df.columns:
        return []
    return list(df.get_column(col).drop_nulls().unique().to_list())


def _names(
    df: pl.DataFrame, md: MasterData, names: list[NameReport], file_channel: str | None
) -> tuple[pl.DataFrame, list[pl.Expr]]:
    """Classification, category, department, wilayah and channel, matched on distinct values
    (every distinct name reported in ``names``)."""
    exprs: list[pl.Expr] = []
    cls_map = {v: md.classification_exact(v) for v in _distinct(df, "classification")}
    cls_expr = _map_distinct(_col(df, "classification"), cls_map, pl.String)
    pengawasan = {c.name: c.berkadar_pengawasan for c in md.classifications}
    exprs += [
        cls_expr.alias("classification"),
        _col(df, "classification").alias("classification__raw"),
        cls_expr.replace_strict(pengawasan, default=False, return_dtype=pl.Boolean).fill_null(False).alias(
            "berkadar_pengawasan"
        ),
    ]
    raw_category = _col(df, "category")
    df = national_category_ids(df, md)  # LAPOR!'s `ID Kategori` -> the city's category (category_map.yaml)
    for kind in ("category", "department", "kecamatan", "kelurahan"):
        vals = _distinct(df, kind)
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
            exprs.append((raw_category if kind == "category" else _col(df, kind)).alias(f"{kind}__raw"))
    exprs += source_detail_columns(df)
    ch_map = {v: md.channel_for(v) for v in _distinct(df, "channel")}
    ch_expr = _map_distinct(_col(df, "channel"), ch_map, pl.String)
    exprs += [
        pl.coalesce([ch_expr, pl.lit(file_channel, dtype=pl.String)]).alias("channel"),
        ch_expr.alias("channel__col"),
        _col(df, "channel").alias("channel__raw"),
    ]

    return df, exprs


def _to_canonical(
    raw: pl.DataFrame, p: Profile, md: MasterData, file_channel: str | None, salt: bytes
) -> tuple[pl.DataFrame, list[NameReport]]:
    """Map the data rows of a file to STAGED_SCHEMA (vectorised; names matched on distinct values)."""
    df = expand_flags(body_and_wilayah(raw), p)
    names: list[NameReport] = []
    exprs: list[pl.Expr] = [pl.col("sheet"), pl.col("source_row")]

    df, ts_exprs, ts = _timestamps(df, p)
    exprs += ts_exprs
    status = _status(df, p, md, ts)
    exprs += [ts[f].alias(f) for f in TIMESTAMP_FIELDS]
    exprs += [status.alias("status"), _col(df, "status").alias("status_label")]
    exprs += step_columns(_col(df, "status"), p, md)
    df, name_exprs = _names(df, md, names, file_channel)
    exprs += name_exprs

    # --- text, with personal-data patterns redacted
    text = [f for f in ("title", "body", "location") if f in df.columns]
    if text:
        df = df.with_columns([redact_series(df.get_column(f)) for f in text])
    for f in ("title", "body", "location"):
        exprs.append(_col(df, f).alias(f))

    # --- flags and satisfaction
    for f in ("is_anonymous", "is_confidential"):
        fm = {v: flag_value(v) for v in _distinct(df, f)}
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

    # --- identifiers (most are plain numbers already; only the others are cleaned)
    if "source_id" in df.columns:
        sid = df.get_column("source_id")
        odd = (~sid.str.contains(r"^[1-9][0-9]*$")).fill_null(False)
        if odd.any():
            idx = odd.arg_true()
            fixed = pl.select(clean_id(pl.lit(sid.gather(idx)))).to_series()
            sid = sid.scatter(idx, fixed)
        df = df.with_columns(sid.alias("source_id"))
    exprs.append(_col(df, "source_id").alias("source_id"))

    # --- personal data: read only to hash (and to redact the reporter's own name in text)
    pii = {f: (_col(df, f) if f in df.columns else None) for f in PII_FIELDS}
    exprs.append(
        contact_key_expr(pii["reporter_phone"], pii["reporter_email"], pii["reporter_nik"], pii["reporter_name"]).alias(
            "__contact"
        )
    )
    exprs.append(_col(df, "reporter_name").alias("__name"))
    exprs.append(_col(df, "__surplus").alias("surplus_fields__raw"))

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


# The reporter's own name, as a whole word (case-insensitive): "Tari" is redacted
# in "Pak Tari melapor" but "tarif" stays "tarif". ``__pat`` is built in polars
# (RE2 flavour: ASCII \b, like the polars pre-filter's (?-u:\b)).
_NAME_SQL = """
SELECT __i,
    CASE WHEN regexp_matches(title, __pat) THEN regexp_replace(title, __pat, '[nama]', 'g') ELSE title END AS title,
    CASE WHEN regexp_matches(body, __pat) THEN regexp_replace(body, __pat, '[nama]', 'g') ELSE body END AS body,
    CASE WHEN regexp_matches(location, __pat) THEN regexp_replace(location, __pat, '[nama]', 'g') ELSE location END
        AS location
FROM h
"""
_WORD_EDGE = r"[0-9A-Za-z_]"


def name_pattern(name: pl.Expr, boundary: str) -> pl.Expr:
    """A case-insensitive regex that finds a reporter's name as a whole word.

    The name is trimmed and escaped; the spaces inside it match any run of
    whitespace; ``boundary`` (``\\b`` for RE2, ``(?-u:\\b)`` for polars) is put on
    each side whose edge is a letter or digit. Null for names shorter than four
    characters (too likely to be a common word)."""
    n = name.str.strip_chars()
    core = n.str.escape_regex().str.replace_all(r"(?:\\?\s)+", r"\s+", literal=False)
    left = pl.when(n.str.contains(f"^{_WORD_EDGE}")).then(pl.lit(boundary)).otherwise(pl.lit(""))
    right = pl.when(n.str.contains(f"{_WORD_EDGE}$")).then(pl.lit(boundary)).otherwise(pl.lit(""))
    return pl.when(n.str.len_chars() >= 4).then(pl.concat_str([pl.lit("(?i)"), left, core, right]))


def _squash(e: pl.Expr) -> pl.Expr:
    """Lower case, whitespace runs as one space (for the literal pre-filter)."""
    return e.str.to_lowercase().str.replace_all(r"\s+", " ")


_local = threading.local()


def _duck() -> duckdb.DuckDBPyConnection:
    """One in-memory DuckDB connection per thread, reused for every file (hashing)."""
    con = getattr(_local, "con", None)
    if con is None:
        con = _local.con = duckdb.connect()
    return con


def _hash_distinct(values: pl.Series, sql_expr: str, params: dict | None = None) -> pl.DataFrame:
    """(v, h) for the DISTINCT non-null values, h computed by a DuckDB expression of ``v``."""
    uniq = pl.DataFrame({"v": values.drop_nulls().unique()})
    if uniq.height == 0:
        return pl.DataFrame(schema={"v": pl.String, "h": pl.String})
    con = _duck()
    con.register("u", uniq)
    try:
        return con.execute(f"SELECT v, {sql_expr} AS h FROM u", params or {}).pl()  # noqa: S608 - fixed expressions
    finally:
        con.unregister("u")


def _finish_in_duckdb(df: pl.DataFrame, p: Profile, salt: bytes) -> pl.DataFrame:
    """Reporter hash (salted sha256 of the normalised contact), the reporter's own name
    redacted from the text, and the complaint key. Work is done on distinct values or on
    the few rows concerned, never row by row in Python."""
    # ---- reporter hash, on distinct contacts
    h = _hash_distinct(df.get_column("__contact"), "substr(sha256($salt || '|' || v), 1, 32)",
                       {"salt": salt.decode("utf-8", "replace")})
    df = df.with_columns(
        pl.col("__contact").replace_strict(h["v"], h["h"], default=None, return_dtype=pl.String).alias("reporter_hash")
    )
    # ---- the reporter's own name inside the text becomes [nama]
    df = df.with_row_index("__i")
    lname = _squash(pl.col("__name").str.strip_chars())
    lname = pl.when(lname.str.len_chars() >= 4).then(lname)
    text_cols = ("title", "body", "location")
    # Cheap literal tests first, then the whole-word test on those few rows only. The
    # first word of the squashed name must appear in the lower-cased text if the whole
    # squashed name does (it holds no whitespace, so it cannot span two columns joined
    # by a newline either): one pass over all rows, the squashed test on what is left.
    first_word = lname.str.extract(r"^([^ ]+)", 1)
    joined = pl.concat_str([pl.col(c) for c in text_cols], separator="\n", ignore_nulls=True).str.to_lowercase()
    cand = df.filter(joined.str.contains(first_word, literal=True).fill_null(False))
    cand = cand.filter(
        pl.any_horizontal([_squash(pl.col(c)).str.contains(lname, literal=True) for c in text_cols]).fill_null(False)
    ).with_columns(name_pattern(pl.col("__name"), r"(?-u:\b)").alias("__pat"))
    hits = cand.filter(
        pl.any_horizontal([pl.col(c).str.contains(pl.col("__pat")) for c in text_cols]).fill_null(False)
    ).select("__i", name_pattern(pl.col("__name"), r"\b").alias("__pat"), *text_cols)
    if hits.height:
        con = _duck()
        con.register("h", hits)
        try:
            fixed = con.execute(_NAME_SQL).pl()
        finally:
            con.unregister("h")
        df = df.update(fixed.with_columns(pl.col("__i").cast(df.schema["__i"])), on="__i")
    # ---- complaint key; a rekap row without register number gets a stable derived id
    norm_text = (
        pl.concat_str([pl.col("title").fill_null(""), pl.lit(" "), pl.col("body").fill_null("")])
        .str.to_lowercase()
        .str.replace_all(r"[^a-z0-9]+", " ")
        .str.strip_chars()
    )
    derive = (
        (pl.lit(p.source_system) == "rekap")
        & pl.col("source_id").is_null()
        & pl.col("reported_at").is_not_null()
        & pl.coalesce([pl.col("title"), pl.col("body")]).is_not_null()
    )
    df = df.with_columns(derive.alias("id_derived"), pl.when(derive).then(norm_text).alias("__text"))
    th = _hash_distinct(df.get_column("__text"), "substr(md5(v), 1, 10)")
    derived_id = pl.concat_str(
        [
            pl.col("reported_at").dt.strftime("%Y%m%d"),
            pl.lit("-"),
            pl.col("__text").replace_strict(th["v"], th["h"], default=None, return_dtype=pl.String),
        ]
    )
    slug = pl.col("channel").str.to_lowercase().str.strip_chars().str.replace_all(r"[^a-z0-9]+", "-")
    df = df.with_columns(pl.when(pl.col("id_derived")).then(derived_id).otherwise(pl.col("source_id")).alias("source_id"))
    if p.source_system == "rekap":
        key0 = pl.when(pl.col("channel").is_not_null() & pl.col("source_id").is_not_null()).then(
            pl.concat_str([pl.lit("rekap:"), slug, pl.lit(":"), pl.col("source_id")])
        )
    else:
        key0 = pl.when(pl.col("source_id").is_not_null()).then(pl.lit(f"{p.source_system}:") + pl.col("source_id"))
    df = df.sort(["sheet", "source_row"], nulls_last=False).with_columns(key0.alias("__key0"))
    if df.get_column("id_derived").any():
        occurrence = (pl.int_range(pl.len()).over("__key0") + 1).cast(pl.String)
        key = (
            pl.when(pl.col("id_derived") & pl.col("__key0").is_not_null() & (occurrence != "1"))
            .then(pl.concat_str([pl.col("__key0"), pl.lit("~"), occurrence]))
            .otherwise(pl.col("__key0"))
        )
    else:  # no derived id: the key is __key0 (the occurrence suffix is only for derived ids)
        key = pl.col("__key0")
    return df.with_columns(key.alias("complaint_key")).drop("__i", "__key0", "__text", "__contact", "__name")
