"""Vectorised parsing of the date forms found in complaint exports.

Accepted (input-formats.md): ``2024-07-08 09:15``, ISO 8601 with an offset
(converted to local time), ``08/07/2024`` (day first unless the profile says
otherwise), ``8-7-2024``, ``08 Juli 2024``, ``8 Jul 2024 09.15``,
``Senin, 08 Juli 2024``, Indonesian and English month names and abbreviations
(Agu/Agt, Okt, Des...), Excel serial numbers, ``20240708``; empty or ``-`` is
no date. Everything is done with polars expressions, never a Python loop.
"""

from __future__ import annotations

import polars as pl

NULL_TOKENS = ["", "-", "--", "–", "—", "0", "null", "none", "nan", "nat", "n/a", "na", "#n/a", "tidak ada", "belum"]

# Month names and abbreviations (Indonesian and English) -> month number.
MONTH_WORDS: dict[str, int] = {}
for _num, _words in enumerate(
    (
        "januari january jan",
        "februari february pebruari feb peb",
        "maret march mar",
        "april apr",
        "mei may",
        "juni june jun",
        "juli july jul",
        "agustus august agu agt ags aug",
        "september sept sep",
        "oktober october okt oct",
        "november nopember nov nop",
        "desember december des dec",
    ),
    start=1,
):
    for _w in _words.split():
        MONTH_WORDS[_w] = _num
_DAY_NAMES = r"^(?:senin|selasa|rabu|kamis|jum'?at|sabtu|minggu|ahad|monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun)\b[,.]?\s*"
_NOISE = r"\b(?:pukul|jam|pkl|wib|wita|wit)\b\.?"

# A 12-hour clock ("12:00:03 AM", "4.05 p.m.") is read wherever a time is.
_AMPM = r"(?:\s*([ap])\.?\s?m\.?)?"
_TIME = r"(?:[ t]+(\d{1,2})[:.](\d{2})(?:[:.](\d{2})(?:[.,]\d+)?)?" + _AMPM + r")?"
_YMD = r"^(\d{4})[-/. ](\d{1,2})[-/. ](\d{1,2})" + _TIME + r"\s*(z|[+-]\d{2}:?\d{2})?$"
_DMY = r"^(\d{1,2})[-/. ]+(\d{1,2})[-/. ]+(\d{4}|\d{2})" + r"(?:[ t,]+(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?" + _AMPM + r")?$"
_DMONY = r"^(\d{1,2})[-/. ]*([a-z]+)\.?[-/. ,]*(\d{4}|\d{2})" + r"(?:[ t,]+(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?" + _AMPM + r")?$"
_COMPACT = r"^(\d{4})(\d{2})(\d{2})$"
_SERIAL = r"^(\d{5})(?:\.(\d+))?$"

EXCEL_EPOCH = pl.datetime(1899, 12, 30)


def _pad(e: pl.Expr, width: int = 2) -> pl.Expr:
    return e.str.zfill(width)


def normalise_date_text(expr: pl.Expr) -> pl.Expr:
    """Lower-case, drop the day name and words like 'pukul'/'WIB', squeeze spaces."""
    s = expr.str.strip_chars().str.to_lowercase()
    s = s.str.replace(_DAY_NAMES, "").str.replace_all(_NOISE, " ")
    return s.str.replace_all(r"\s+", " ").str.strip_chars()


def is_null_token(expr: pl.Expr) -> pl.Expr:
    """True where a cell means 'no date' (empty, '-', ...) or is null."""
    return expr.is_null() | expr.str.strip_chars().str.to_lowercase().is_in(NULL_TOKENS)


def _hour24(h: pl.Expr, ampm: pl.Expr | None) -> pl.Expr:
    """12 AM -> 0, 1..11 PM -> 13..23; an hour over 12 with AM/PM is no time at all."""
    if ampm is None:
        return h
    hi = h.cast(pl.Int32, strict=False)
    conv = (
        pl.when(hi > 12).then(None)
        .when(ampm == "a").then(pl.when(hi == 12).then(0).otherwise(hi))
        .otherwise(pl.when(hi == 12).then(12).otherwise(hi + 12))
    )
    return pl.when(ampm.is_null()).then(h).otherwise(conv.cast(pl.String))


def _build(
    y: pl.Expr, mo: pl.Expr, d: pl.Expr, h: pl.Expr, mi: pl.Expr, sec: pl.Expr, ampm: pl.Expr | None = None
) -> pl.Expr:
    h = _hour24(h, ampm)
    txt = pl.concat_str(
        [
            y, pl.lit("-"), _pad(mo), pl.lit("-"), _pad(d), pl.lit(" "),
            _pad(h.fill_null("0")), pl.lit(":"), _pad(mi.fill_null("0")), pl.lit(":"), _pad(sec.fill_null("0")),
        ]
    )
    return txt.str.strptime(pl.Datetime("us"), "%Y-%m-%d %H:%M:%S", strict=False)


def _year4(yr: pl.Expr) -> pl.Expr:
    return (
        pl.when(yr.str.len_chars() == 2)
        .then(pl.when(yr.cast(pl.Int32, strict=False) < 70).then(pl.lit("20") + yr).otherwise(pl.lit("19") + yr))
        .otherwise(yr)
    )


def parse_values(values: pl.Series, *, day_first: bool = True, timezone: str = "Asia/Jakarta") -> pl.Series:
    """Parse a string Series into local naive datetimes (null where empty or unparseable).

    Done in eager steps so every regex runs once per value.
    """
    f = pl.DataFrame({"s": values.cast(pl.String)}).with_columns(normalise_date_text(pl.col("s")).alias("n"))
    f = f.with_columns(
        pl.col("n").str.extract_groups(_YMD).alias("ymd"),
        pl.col("n").str.extract_groups(_DMY).alias("dmy"),
        pl.col("n").str.extract_groups(_DMONY).alias("dmon"),
        pl.col("n").str.extract_groups(_COMPACT).alias("cmp"),
        pl.col("n").str.extract(_SERIAL, 0).cast(pl.Float64, strict=False).alias("serial"),
    )
    y = pl.col("ymd").struct
    dm = pl.col("dmy").struct
    dn = pl.col("dmon").struct
    cp = pl.col("cmp").struct
    day, month = (dm.field("1"), dm.field("2")) if day_first else (dm.field("2"), dm.field("1"))
    months = {k: str(v) for k, v in MONTH_WORDS.items()}
    f = f.with_columns(
        _build(
            y.field("1"), y.field("2"), y.field("3"), y.field("4"), y.field("5"), y.field("6"), y.field("7")
        ).alias("t_ymd"),
        y.field("8").alias("off"),
        _build(_year4(dm.field("3")), month, day, dm.field("4"), dm.field("5"), dm.field("6"), dm.field("7")).alias(
            "t_dmy"
        ),
        _build(
            _year4(dn.field("3")),
            dn.field("2").replace_strict(months, default=None, return_dtype=pl.String),
            dn.field("1"), dn.field("4"), dn.field("5"), dn.field("6"), dn.field("7"),
        ).alias("t_dmon"),
        _build(cp.field("1"), cp.field("2"), cp.field("3"), pl.lit(None), pl.lit(None), pl.lit(None)).alias("t_cmp"),
        pl.when(pl.col("serial").is_between(20000, 80000))
        .then(EXCEL_EPOCH + pl.duration(milliseconds=(pl.col("serial") * 86_400_000).round(0).cast(pl.Int64)))
        .dt.round("1s")
        .cast(pl.Datetime("us"))
        .alias("t_serial"),
    )
    # ISO with an offset: to local time.
    off = pl.col("off")
    digits = off.str.replace_all(r"[^0-9]", "")
    minutes = digits.str.slice(0, 2).cast(pl.Int64, strict=False) * 60 + digits.str.slice(2, 2).cast(pl.Int64, strict=False)
    minutes = pl.when(off == "z").then(0).when(off.str.starts_with("-")).then(-minutes).otherwise(minutes)
    local = (
        (pl.col("t_ymd") - pl.duration(minutes=minutes))
        .dt.replace_time_zone("UTC")
        .dt.convert_time_zone(timezone)
        .dt.replace_time_zone(None)
    )
    f = f.with_columns(pl.when(off.is_not_null()).then(local).otherwise(pl.col("t_ymd")).alias("t_iso"))
    out = f.select(pl.coalesce(["t_iso", "t_dmy", "t_dmon", "t_cmp", "t_serial"]).cast(pl.Datetime("us")))
    return out.to_series().alias(values.name)


def parse_lookup(columns: list[pl.Series], *, day_first: bool = True, timezone: str = "Asia/Jakarta") -> pl.DataFrame:
    """Parse the DISTINCT values of several string columns at once.

    Returns a frame (raw, parsed) to map values back with ``lookup_expr``; one
    expression graph per file, however many date columns and rows it has.
    """
    vals = [c.cast(pl.String).drop_nulls() for c in columns if c.len()]
    if not vals:
        return pl.DataFrame(schema={"raw": pl.String, "parsed": pl.Datetime("us")})
    uniq = pl.DataFrame(pl.concat(vals).unique().alias("raw"))
    # Fast path: the forms spreadsheets and systems write most (no regex work).
    fast_formats = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"]
    fast_formats += ["%d/%m/%Y %H:%M", "%d/%m/%Y"] if day_first else ["%m/%d/%Y %H:%M", "%m/%d/%Y"]
    raw = pl.col("raw").str.strip_chars()
    fast = pl.coalesce([raw.str.strptime(pl.Datetime("us"), f, strict=False) for f in fast_formats])
    fast = pl.when(fast.dt.year() >= 1800).then(fast)  # "08/07/24" is not year 24: leave it to the full parser
    uniq = uniq.with_columns(fast.alias("parsed"))
    rest = uniq.filter(pl.col("parsed").is_null())
    if rest.height:
        parsed = parse_values(rest["raw"], day_first=day_first, timezone=timezone)
        rest = rest.with_columns(
            pl.when(is_null_token(pl.col("raw"))).then(None).otherwise(parsed).cast(pl.Datetime("us")).alias("parsed")
        )
        uniq = pl.concat([uniq.filter(pl.col("parsed").is_not_null()), rest])
    return uniq


def lookup_expr(expr: pl.Expr, table: pl.DataFrame) -> pl.Expr:
    """Map raw date strings to their parsed values from a ``parse_lookup`` table."""
    if table.height == 0:
        return pl.lit(None, dtype=pl.Datetime("us"))
    return expr.replace_strict(table["raw"], table["parsed"], default=None, return_dtype=pl.Datetime("us"))


def parse_column(
    values: pl.Series, *, day_first: bool = True, timezone: str = "Asia/Jakarta", formats: tuple[str, ...] = ()
) -> pl.Series:
    """Parse one column of date strings (null where empty or unparseable).

    ``formats`` (a profile's ``dates.formats``, strptime codes such as
    ``%m/%d/%Y %I:%M:%S %p``) are tried first. The common machine-written forms
    are parsed over the whole column in one vectorised pass each; only what
    remains (month names, 12-hour clocks, Excel serials, offsets, ...) goes
    through the full parser, on distinct values.
    """
    s = values.cast(pl.String).str.strip_chars()
    explicit = list(formats)
    formats = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"]
    formats += ["%d/%m/%Y %H:%M", "%d/%m/%Y"] if day_first else ["%m/%d/%Y %H:%M", "%m/%d/%Y"]
    present = s.is_not_null()
    n_present = int(present.sum())
    parsed = pl.Series(values.name, [None] * len(s), dtype=pl.Datetime("us"))
    # Try only the formats a sample of the column uses, most used first.
    sample = s.drop_nulls().head(2000)
    hits = {f: int(sample.str.strptime(pl.Datetime("us"), f, strict=False).is_not_null().sum()) for f in formats}
    formats = explicit + sorted((f for f in formats if hits[f] and f not in explicit), key=lambda f: -hits[f])
    for fmt in formats:
        if int(parsed.is_not_null().sum()) == n_present:
            break
        todo = present & parsed.is_null()
        idx = todo.arg_true()
        cand = s.gather(idx).str.strptime(pl.Datetime("us"), fmt, strict=False)
        cand = pl.select(pl.when(cand.dt.year() >= 1800).then(cand)).to_series()  # "08/07/24" is not year 24
        ok = cand.is_not_null()
        if ok.any():
            parsed = parsed.scatter(idx.filter(ok), cand.filter(ok))
    todo = present & parsed.is_null()
    if todo.any():
        idx = todo.arg_true()
        rest = s.gather(idx)
        table = parse_lookup([rest], day_first=day_first, timezone=timezone)
        got = pl.select(lookup_expr(pl.lit(rest), table)).to_series()
        ok = got.is_not_null()
        if ok.any():
            parsed = parsed.scatter(idx.filter(ok), got.filter(ok))
    return parsed.alias(values.name)
