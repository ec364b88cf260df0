"""Great Expectations suites, in code: one per layer.

A suite is a set of narrow frames derived from the rows it validates, each with
its expectations. Related columns are validated together in a long frame (one
row per row-and-timestamp, per row-and-timestamp-pair, per row-and-name), so a
handful of expectations cover every column: Great Expectations' cost grows with
the number of expectations and the width of the frame, not with the rules.

- staging (per mapping profile): every row of every file read with it, parsed
  values beside what was written (``<field>__raw``).
- curated: the merged ``complaints`` table.

Each frame carries ``__row`` (the row's position in the validated rows) and the
columns ``observed`` / ``other_observed`` that messages quote.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

from pipelines.ingest.pii import ANY_PII_PATTERN, PII_PREFILTER
from pipelines.ingest.profiles import TIMESTAMP_FIELDS, Profile
from pipelines.masterdata import MasterData

# (later, earlier): the later timestamp must not come before the earlier one.
ORDER_PAIRS: tuple[tuple[str, str], ...] = (
    ("verified_at", "reported_at"),
    ("dispatched_at", "reported_at"),
    ("dispatched_at", "verified_at"),
    ("first_response_at", "reported_at"),
    ("first_response_at", "verified_at"),
    ("first_response_at", "dispatched_at"),
    ("resolved_at", "reported_at"),
    ("resolved_at", "first_response_at"),
    ("archived_at", "reported_at"),
)
OPEN_STATUSES = ("unverified", "awaiting_response", "in_progress", "postponed")
TEXT_COLUMNS = ("title", "body", "location", "department_raw")
# Names and values matched against master data: kind -> (raw column, matched column, rule).
VALUE_KINDS: tuple[tuple[str, str, str, str], ...] = (
    ("department", "department_raw", "department", "department_unknown"),
    ("category", "category__raw", "category", "category_unknown"),
    ("classification", "classification__raw", "classification", "classification_unknown"),
    ("kelurahan", "kelurahan__raw", "kelurahan", "kelurahan_unknown"),
    ("kecamatan", "kecamatan__raw", "kecamatan", "kecamatan_unknown"),
    ("channel", "channel__raw", "channel__col", "channel_value_unknown"),
    ("is_anonymous", "is_anonymous__raw", "is_anonymous", "flag_invalid"),
    ("is_confidential", "is_confidential__raw", "is_confidential", "flag_invalid"),
    ("satisfaction", "satisfaction__raw", "satisfaction", "satisfaction_invalid"),
)
TS_FMT = "%d/%m/%Y %H.%M"


@dataclass(frozen=True)
class Check:
    """One expectation on one frame. ``rule``/``field``/``other`` are fixed, or None
    when the frame carries them per row (columns ``rule``, ``field``, ``other``)."""

    id: str
    frame: str
    rule: str | None
    field: str | None
    other: str | None
    expectation: Any
    observed: str = "observed"
    other_observed: str = "other_observed"


def _exp(cls_name: str, cid: str, meta_extra: dict[str, Any] | None = None, **kw: Any) -> Any:
    import great_expectations.expectations as gxe

    return getattr(gxe, cls_name)(meta={"check": cid, **(meta_extra or {})}, **kw)


def epoch_us(ts: dt.datetime) -> int:
    """A naive timestamp as microseconds since 1970-01-01 (what polars stores)."""
    return (ts - dt.datetime(1970, 1, 1)) // dt.timedelta(microseconds=1)


def _cond(expr: str) -> dict[str, str]:
    return {"row_condition": expr, "condition_parser": "pandas"}


def _ts_text(col: str) -> pl.Expr:
    return pl.col(col).dt.strftime(TS_FMT)


class LazyFrames(Mapping[str, pl.DataFrame]):
    """The frames of a suite, each built when it is asked for and not kept: the validator holds one at a
    time (at 1M complaints the staging suite's five frames are ~1,5 GiB together, the largest ~0,5 GiB;
    docs/benchmark.md). Asking twice builds twice."""

    def __init__(self, builders: dict[str, Callable[[], pl.DataFrame]]) -> None:
        self._builders = builders

    def __getitem__(self, name: str) -> pl.DataFrame:
        return self._builders[name]()

    def __iter__(self) -> Iterator[str]:
        return iter(self._builders)

    def __len__(self) -> int:
        return len(self._builders)


def _row_index(df: pl.DataFrame) -> pl.DataFrame:
    return df if "__row" in df.columns else df.with_row_index("__row")


# ---------------------------------------------------------------- staging
def staging_frames(df: pl.DataFrame, md: MasterData) -> LazyFrames:
    """The narrow frames the staging suite validates (``df``: staged rows of one profile), each built
    when the validator reaches it (``LazyFrames``)."""
    df = _row_index(df)
    ts = [f for f in TIMESTAMP_FIELDS if f in df.columns]
    required_extra = [c for c in ("body", "title", "surplus_fields__raw") if c in df.columns]

    def rows() -> pl.DataFrame:
        return df.select(
            "__row", "file_hash", "complaint_key", "source_id", "status", "status_label", "reported_at",
            "reported_at__raw", "channel", *required_extra,
            pl.col("channel__raw").alias("channel_observed"),
        )

    def long_ts() -> pl.DataFrame:
        return pl.concat(
            [
                df.select(
                    "__row",
                    pl.lit(f).alias("field"),
                    pl.col(f).alias("value"),
                    pl.col(f).cast(pl.Int64).alias("value_us"),
                    pl.col(f"{f}__raw").alias("raw"),
                    pl.col("snapshot_end"),
                    pl.coalesce([pl.col(f"{f}__raw"), _ts_text(f)]).alias("observed"),
                    pl.col("snapshot_end").dt.strftime("%d/%m/%Y").alias("other_observed"),
                ).filter(pl.col("raw").is_not_null() | pl.col("value").is_not_null())
                for f in ts
            ]
        )

    def order() -> pl.DataFrame:
        return pl.concat(
            [
                df.filter(pl.col(a).is_not_null() & pl.col(b).is_not_null()).select(
                    "__row",
                    pl.lit(a).alias("field"),
                    pl.lit(b).alias("other"),
                    pl.col(a).alias("later"),
                    pl.col(b).alias("earlier"),
                    pl.col(a).dt.date().alias("later_d"),
                    pl.col(b).dt.date().alias("earlier_d"),
                    pl.coalesce([pl.col(f"{a}__raw"), _ts_text(a)]).alias("observed"),
                    pl.coalesce([pl.col(f"{b}__raw"), _ts_text(b)]).alias("other_observed"),
                )
                for a, b in ORDER_PAIRS
                if a in df.columns and b in df.columns
            ]
        )

    def values() -> pl.DataFrame:
        return pl.concat(
            [
                df.filter(pl.col(raw).is_not_null()).select(
                    "__row",
                    pl.lit(kind).alias("field"),
                    pl.lit(rule).alias("rule"),
                    pl.col(value).cast(pl.String).alias("value"),
                    pl.col(raw).alias("observed"),
                )
                for kind, raw, value, rule in VALUE_KINDS
                if raw in df.columns
            ]
        )

    def wilayah() -> pl.DataFrame:
        return df.filter(pl.col("kecamatan").is_not_null() & pl.col("kelurahan").is_not_null()).select(
            "__row",
            pl.concat_str([pl.col("kecamatan"), pl.lit(" / "), pl.col("kelurahan")]).alias("pair"),
            pl.col("kecamatan").alias("observed"),
            pl.col("kelurahan").alias("other_observed"),
        )

    return LazyFrames({"rows": rows, "timestamps": long_ts, "order": order, "values": values, "wilayah": wilayah})


def staging_checks(profile: Profile, md: MasterData, earliest: dt.datetime) -> list[Check]:
    """The row-level rules for files read with ``profile``."""
    c: list[Check] = []

    def add(cid, frame, rule, field, cls, other=None, observed="observed", other_observed="other_observed", **kw):
        c.append(Check(cid, frame, rule, field, other, _exp(cls, cid, **kw), observed, other_observed))

    required = set(profile.required_fields)
    if "source_id" in required:
        add("source_id_missing", "rows", "source_id_missing", "source_id", "ExpectColumnValuesToNotBeNull",
            observed="source_id", column="source_id")
    add("duplicate_id", "rows", "duplicate_id", "source_id", "ExpectCompoundColumnsToBeUnique", observed="source_id",
        column_list=["file_hash", "complaint_key"], ignore_row_if="any_value_is_missing")
    add("reported_at_invalid", "rows", "reported_at_invalid", "reported_at", "ExpectColumnValuesToNotBeNull",
        observed="reported_at__raw", column="reported_at")
    if profile.status_when_missing == "quarantine" or profile.mapping == "open311":
        add("status_missing", "rows", "status_missing", "status", "ExpectColumnValuesToNotBeNull",
            observed="status_label", column="status_label")
    add("status_unknown", "rows", "status_unknown", "status", "ExpectColumnValuesToNotBeNull", observed="status_label",
        column="status", **_cond("status_label.notnull()"))
    for f in sorted(required & {"body", "title"}):
        add(f"required_missing:{f}", "rows", "required_missing", f, "ExpectColumnValuesToNotBeNull", observed=f, column=f)
    add("channel_unknown", "rows", "channel_unknown", "channel", "ExpectColumnValuesToNotBeNull",
        observed="channel_observed", column="channel")
    add("surplus_fields", "rows", "surplus_fields", "surplus_fields", "ExpectColumnValuesToBeNull",
        observed="surplus_fields__raw", column="surplus_fields__raw")
    # Every timestamp column at once (long frame: one row per row and timestamp).
    add("date_unparseable", "timestamps", "date_unparseable", None, "ExpectColumnValuesToNotBeNull", column="value",
        **_cond('raw.notnull() and field != "reported_at"'))
    add("future_date", "timestamps", "future_date", None, "ExpectColumnPairValuesAToBeGreaterThanB",
        column_A="snapshot_end", column_B="value", or_equal=True, ignore_row_if="either_value_is_missing")
    # Datetime bounds are checked on microseconds since 1970 (``value_us``): Great Expectations
    # compares datetime columns value by value in Python, integers vectorised.
    add("placeholder_date", "timestamps", "placeholder_date", None, "ExpectColumnValuesToBeBetween",
        column="value_us", min_value=epoch_us(earliest), meta_extra={"min_value": earliest.isoformat()})
    # Every ordered pair at once.
    add("date_order", "order", "date_order", None, "ExpectColumnPairValuesAToBeGreaterThanB", column_A="later_d",
        column_B="earlier_d", or_equal=True, ignore_row_if="either_value_is_missing")
    add("time_order", "order", "time_order", None, "ExpectColumnPairValuesAToBeGreaterThanB", column_A="later",
        column_B="earlier", or_equal=True, ignore_row_if="either_value_is_missing", **_cond("later_d == earlier_d"))
    # Names and values the master data must know (warnings; the rule comes from the frame).
    add("value_understood", "values", None, None, "ExpectColumnValuesToNotBeNull", column="value")
    # Kecamatan / kelurahan pairs of the master data (a set lookup; GE's pair
    # expectation evaluates row by row in Python and is far slower).
    pairs = sorted(f"{kec} / {kel}" for kec, kels in md.kecamatan.items() for kel in kels)
    add("wilayah_mismatch", "wilayah", "wilayah_mismatch", "kecamatan", "ExpectColumnValuesToBeInSet",
        other="kelurahan", column="pair", value_set=pairs)
    return c


# ---------------------------------------------------------------- curated
def curated_frames(df: pl.DataFrame, status_display: dict[str, str]) -> LazyFrames:
    """Frames for the curated suite (``df``: complaints with file_hash, file_name, source_row)."""
    df = _row_index(df)
    shown = pl.col("status").replace_strict(status_display, default=pl.col("status"), return_dtype=pl.String)
    # The undated-status rule applies only where the source dates the step
    # (profile `timed_steps`): a "Laporan Ringkas" export has no closing date at all.
    times_res = pl.col("times_resolution") if "times_resolution" in df.columns else pl.lit(True)

    def rows() -> pl.DataFrame:
        return df.select(
            "__row", "complaint_key", "status", "resolved_at", "archived_at",
            pl.when(times_res).then(pl.col("status")).alias("status_if_timed"),
            pl.col("complaint_key").alias("key_observed"),
            _ts_text("resolved_at").alias("resolved_observed"),
            _ts_text("archived_at").alias("archived_observed"),
            shown.alias("status_observed"),
        )

    # The personal-data check (pii_in_text) sees every text cell, but only a cell that passes the cheap
    # PII_PREFILTER can match ANY_PII_PATTERN (the prefilter is a necessary condition of every pattern,
    # tests/test_ingest_fastpath.py); every other cell is handed over as "" (not null: the same element
    # count, the same unexpected rows and values in the result), so Great Expectations' pandas copy holds a
    # few percent of the text instead of all of it (the build's peak memory at 1M complaints: docs/benchmark.md).
    def text() -> pl.DataFrame:
        return pl.concat(
            [
                df.filter(pl.col(c).is_not_null()).select(
                    "__row", pl.lit(c).alias("field"),
                    pl.when(pl.col(c).str.contains(PII_PREFILTER)).then(pl.col(c)).otherwise(pl.lit("")).alias("text"),
                    pl.lit("").alias("observed"),
                )
                for c in TEXT_COLUMNS
            ]
        )

    def ts() -> pl.DataFrame:
        return pl.concat(
            [
                df.filter(pl.col(f).is_not_null()).select(
                    "__row", pl.lit(f).alias("field"), pl.col(f).alias("value"), pl.col(f).cast(pl.Int64).alias("value_us"),
                    _ts_text(f).alias("observed"),
                )
                for f in TIMESTAMP_FIELDS
            ]
        )

    def order() -> pl.DataFrame:
        return pl.concat(
            [
                df.filter(pl.col(a).is_not_null() & pl.col(b).is_not_null()).select(
                    "__row",
                    pl.lit(a).alias("field"),
                    pl.lit(b).alias("other"),
                    pl.col(a).dt.date().alias("later_d"),
                    pl.col(b).dt.date().alias("earlier_d"),
                    _ts_text(a).alias("observed"),
                    _ts_text(b).alias("other_observed"),
                )
                for a, b in ORDER_PAIRS
            ]
        )

    return LazyFrames({"rows": rows, "text": text, "timestamps": ts, "order": order})


def curated_checks(as_of_ts: dt.datetime) -> list[Check]:
    """Rules on the merged complaints (one row per complaint)."""
    c: list[Check] = []

    def add(cid, frame, rule, field, cls, other=None, observed="observed", other_observed="other_observed", **kw):
        c.append(Check(cid, frame, rule, field, other, _exp(cls, cid, **kw), observed, other_observed))

    add("key_not_unique", "rows", "key_not_unique", "complaint_key", "ExpectColumnValuesToBeUnique",
        observed="key_observed", column="complaint_key")
    add("pii_in_text", "text", "pii_in_text", None, "ExpectColumnValuesToNotMatchRegex", column="text",
        regex=ANY_PII_PATTERN)
    add("after_as_of", "timestamps", "after_as_of", None, "ExpectColumnValuesToBeBetween", column="value_us",
        max_value=epoch_us(as_of_ts), meta_extra={"max_value": as_of_ts.isoformat()})
    add("merged_date_order", "order", "merged_date_order", None, "ExpectColumnPairValuesAToBeGreaterThanB",
        column_A="later_d", column_B="earlier_d", or_equal=True, ignore_row_if="either_value_is_missing")
    add("resolved_without_date", "rows", "resolved_without_date", "resolved_at", "ExpectColumnValuesToNotBeNull",
        observed="status_observed", column="resolved_at", **_cond('status_if_timed == "resolved"'))
    add("resolved_date_open_status", "rows", "resolved_date_open_status", "resolved_at", "ExpectColumnValuesToBeNull",
        other="status", observed="resolved_observed", other_observed="status_observed", column="resolved_at",
        **_cond(f"status in {list(OPEN_STATUSES)!r}"))
    add("archived_inconsistent", "rows", "archived_inconsistent", "archived_at", "ExpectColumnValuesToBeNull",
        other="status", observed="archived_observed", other_observed="status_observed", column="archived_at",
        **_cond('status != "archived"'))
    return c


# ---------------------------------------------------------------- file level
def file_frames(df: pl.DataFrame, timed_files: list[str]) -> dict[str, pl.DataFrame]:
    """One row per (file, timestamp column) with at least 5 values, for files whose
    profile says the timestamps carry a time."""
    sub = df.filter(pl.col("file_hash").is_in(timed_files))
    parts = [
        sub.group_by("file_hash", "file_name").agg(
            pl.lit(f).alias("field"),
            pl.col(f).is_not_null().sum().alias("n"),
            (pl.col(f).dt.time() == dt.time(0)).sum().alias("n_midnight"),
        )
        for f in TIMESTAMP_FIELDS
        if f in sub.columns
    ]
    if not parts:
        return {"midnight": pl.DataFrame()}
    summ = (
        pl.concat(parts)
        .filter(pl.col("n") >= 5)
        .with_columns((pl.col("n_midnight") / pl.col("n")).alias("share_midnight"), pl.col("n").cast(pl.String).alias("observed"))
        .sort("file_name", "field")
    )
    return {"midnight": summ}


def file_checks() -> list[Check]:
    """A timestamp column that should carry a time is 00:00 on every row."""
    cid = "midnight_times"
    return [
        Check(cid, "midnight", cid, None, None,
              _exp("ExpectColumnValuesToBeBetween", cid, column="share_midnight", max_value=1.0, strict_max=True))
    ]
