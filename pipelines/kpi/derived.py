"""Every number derived from a KPI result, written once: shares, differences, the sample behind a rate,
the "sampel kecil" rule, and the impact order of "Perlu perhatian".

``compute`` returns counts and rates; a surface that shows "182 dari 192 (94,8 %)", a change against the
comparison window, or a mark on a small sample takes it from here (dashboard, scorecards, rating,
what-if, notebooks), so the same view gives the same number everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

from pipelines.kpi.coverage import rate_denominator

# rate key -> the compute() counts summed into its denominator (the rate's sample)
RATE_DENOMINATORS: dict[str, tuple[str, ...]] = {
    "response_rate": ("in_scope",),
    "resolution_rate": ("in_scope",),
    "repeat_rate": ("in_scope",),
    "on_time_verification_rate": ("verification_on_time", "verification_late"),
    "on_time_response_rate": ("response_on_time", "response_late"),
    "on_time_resolution_rate": ("resolution_on_time", "resolution_late"),
    "backlog_overdue_share": ("backlog_open",),
}
# duration/mean key -> the count of values behind it
VALUE_SAMPLES: dict[str, str] = {
    "verification_days_median": "verified",
    "response_days_median": "responded",
    "response_days_p90": "responded",
    "resolution_days_median": "resolved",
    "resolution_days_p90": "resolved",
    "satisfaction_mean": "satisfaction_count",
}
# the headline figures compared with the comparison window (cards, scorecard, `monev kpi`)
HEADLINE_KEYS = (
    "received", "in_scope", "responded", "resolved", "response_rate", "on_time_response_rate",
    "resolution_rate", "on_time_resolution_rate", "on_time_verification_rate", "resolution_days_median",
    "response_days_median", "backlog_open", "backlog_overdue",
)
SMALL_SAMPLE_MARK = "sampel kecil"


def _n(x: Any) -> float | None:
    if x is None:
        return None
    try:
        return float(x)
    except (TypeError, ValueError):
        return None


def share(part: Any, whole: Any) -> float | None:
    """part / whole; None when the whole is 0 or missing (a share of nothing is no share)."""
    p, w = _n(part), _n(whole)
    if p is None or not w:
        return None
    return p / w


def overdue_share(row: Mapping[str, Any]) -> float | None:
    """backlog_overdue / backlog_open of a compute() dict or one breakdown row."""
    return share(row.get("backlog_overdue"), row.get("backlog_open"))


def late(row: Mapping[str, Any], step: str) -> int:
    """Complaints late for ``step`` (verification, response, resolution)."""
    return int(row.get(f"{step}_late") or 0)


def late_share(row: Mapping[str, Any], step: str) -> float | None:
    """late / (on time + late) for ``step``: 1 − the on-time rate."""
    on, lt = int(row.get(f"{step}_on_time") or 0), late(row, step)
    return share(lt, on + lt)


def sample(row: Mapping[str, Any], key: str) -> int | None:
    """The number of complaints a rate or a duration of ``row`` rests on (None: a count, no sample)."""
    if key in ("response_rate", "resolution_rate"):  # done / (in scope minus unknown), kpi-spec.md
        return rate_denominator(row, "response" if key == "response_rate" else "resolution")
    if key in RATE_DENOMINATORS:
        parts = [_n(row.get(k)) for k in RATE_DENOMINATORS[key]]
        return None if any(p is None for p in parts) else int(sum(parts))
    if key in VALUE_SAMPLES:
        v = _n(row.get(VALUE_SAMPLES[key]))
        return None if v is None else int(v)
    return None


def is_small_sample(row: Mapping[str, Any], key: str, min_sample: int) -> bool:
    """True when a value of ``row`` is shown on fewer than ``min_sample`` complaints (and is not null):
    it gets the mark "sampel kecil" on every surface. The backlog share is a stock, never small."""
    if key == "backlog_overdue_share" or row.get(key) is None:
        return False
    n = sample(row, key)
    return n is not None and n < int(min_sample)


def change(current: Any, previous: Any) -> float | None:
    """current − previous (None when either is missing): points of a fraction for rates, HK for days."""
    if isinstance(current, int) and isinstance(previous, int):
        return current - previous  # counts stay whole numbers
    c, p = _n(current), _n(previous)
    if c is None or p is None:
        return None
    return c - p


def relative_change(current: Any, previous: Any) -> float | None:
    """(current − previous) / previous; None when previous is 0 or missing."""
    d = change(current, previous)
    return None if d is None else share(d, previous)


def changes(current: Mapping[str, Any], previous: Mapping[str, Any] | None,
            keys: Sequence[str] = HEADLINE_KEYS) -> dict[str, float | None]:
    """key -> change against the comparison result (None without one)."""
    return {k: None if previous is None else change(current.get(k), previous.get(k)) for k in keys}


def impact(row: Mapping[str, Any]) -> tuple[int, int]:
    """How much a unit weighs on citizens: (overdue backlog, complaints late for response or resolution)."""
    return int(row.get("backlog_overdue") or 0), late(row, "response") + late(row, "resolution")


def attention_rows(rows: Sequence[Mapping[str, Any]], min_sample: int, n: int = 3,
                   key: str = "department") -> list[Mapping[str, Any]]:
    """The ``n`` units that need attention most: among those with at least ``min_sample`` complaints in
    scope, the largest overdue backlog, then the most late complaints, then the name; units with nothing
    overdue or late are not listed. One unit with 3 of 3 overdue does not outrank one with 182 of 192."""
    eligible = [r for r in rows if int(r.get("in_scope") or 0) >= int(min_sample) and sum(impact(r)) > 0]
    eligible.sort(key=lambda r: (-impact(r)[0], -impact(r)[1], str(r.get(key))))
    return eligible[:n]


def small_sample_note(row: Mapping[str, Any], keys: Sequence[str], min_sample: int) -> str:
    """The one "sampel kecil" mark of a row: '' when every value of ``keys`` shown rests on at least
    ``min_sample`` complaints, else 'sampel kecil (n = 3)' with the smallest sample. Screens, PDF and
    Excel put it beside the values (a "Catatan" column, a card caption)."""
    sizes = [sample(row, k) for k in keys if is_small_sample(row, k, min_sample)]
    sizes = [n for n in sizes if n is not None]
    if not sizes:
        return ""
    return f"{SMALL_SAMPLE_MARK} (n = {min(sizes)})"


def response_tail(complaints: pl.DataFrame, limit: int, *, factor: int = 2) -> pl.DataFrame:
    """Per department, from a ``complaint_list`` frame of a period: the longest response (``maks``, HK),
    the share of answered complaints that took more than ``factor`` × ``limit`` (``lebih_2x``) and the
    open complaints already late for response (``belum_lewat_batas``). The analyst notebook's tail
    figures, computed once here."""
    answered = pl.col("in_scope") & pl.col("first_response_at").is_not_null()
    return (
        complaints.filter(pl.col("department").is_not_null())
        .group_by("department")
        .agg(
            pl.col("response_days").filter(answered).max().alias("maks"),
            (pl.col("response_days") > factor * limit).filter(answered).mean().alias("lebih_2x"),
            (pl.col("response_late") & pl.col("first_response_at").is_null()).sum().alias("belum_lewat_batas"),
        )
        .sort("department")
    )
