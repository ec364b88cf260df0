"""The global filters of the dashboard (period, comparison, OPD, kategori, kanal, wilayah):
their values, their URL form, and the periods they stand for. No Streamlit here, so the
rules can be tested on their own; the sidebar widgets are in ``components.sidebar``.

Default view: the running year up to the data's as-of date ("Tahun 2026", i.e. 1 January
to the as-of date), compared with the same months of the previous year. Why: the monev
meeting and the Kemendagri evaluation look at the year; a year to date gives most OPDs
enough complaints to be ranked fairly (a single month leaves many with "data tidak
cukup"); and comparing with the same months of last year removes the seasons.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from pipelines import fmt
from pipelines.periods import (  # noqa: F401 - the window rules live with the periods; re-exported here
    COMPARISONS,
    DEFAULT_COMPARISON,
    Period,
    PeriodError,
    Window,
    comparison_window,
    current_window,
    parse_period,
    range_label,
)

PERIOD_KINDS: dict[str, str] = {
    "bulan": "Bulan",
    "triwulan": "Triwulan",
    "semester": "Semester",
    "tahun": "Tahun",
    "kustom": "Rentang tanggal",
}

# filter key (as in pipelines.kpi filters) -> (URL parameter, Indonesian label)
DIMENSION_FILTERS: dict[str, tuple[str, str]] = {
    "department": ("opd", "OPD"),
    "category": ("kategori", "Kategori"),
    "channel": ("kanal", "Kanal"),
    "kecamatan": ("kecamatan", "Kecamatan"),
    "kelurahan": ("kelurahan", "Kelurahan"),
}
PERIOD_PARAM = "periode"
COMPARISON_PARAM = "banding"
MEETING_PARAM = "rapat"


@dataclass(frozen=True)
class Filters:
    """The global filter values (canonical names; an empty tuple means 'all')."""

    period_key: str
    comparison: str = DEFAULT_COMPARISON
    department: tuple[str, ...] = ()
    category: tuple[str, ...] = ()
    channel: tuple[str, ...] = ()
    kecamatan: tuple[str, ...] = ()
    kelurahan: tuple[str, ...] = ()

    @property
    def period(self) -> Period:
        return parse_period(self.period_key)

    @property
    def period_kind(self) -> str:
        return self.period.kind

    def dimension_filters(self) -> dict[str, list[str]]:
        """The scope filters for the KPI API (only those that are set)."""
        return {k: list(getattr(self, k)) for k in DIMENSION_FILTERS if getattr(self, k)}

    @property
    def active(self) -> bool:
        return bool(self.dimension_filters())

    def with_values(self, **values: Any) -> Filters:
        fixed = {k: tuple(v) if k in DIMENSION_FILTERS else v for k, v in values.items()}
        return replace(self, **fixed)

    def to_query_params(self, default_period: str) -> dict[str, str | list[str]]:
        """The URL form (only what differs from the defaults, so a plain link stays short)."""
        out: dict[str, str | list[str]] = {}
        if self.period_key != default_period:
            out[PERIOD_PARAM] = self.period_key
        if self.comparison != DEFAULT_COMPARISON:
            out[COMPARISON_PARAM] = self.comparison
        for key, (param, _label) in DIMENSION_FILTERS.items():
            values = list(getattr(self, key))
            if values:
                out[param] = values[0] if len(values) == 1 else values
        return out

    def describe(self) -> str:
        """'OPD: Dinas Perhubungan · Kanal: WhatsApp, Instagram' (empty when no filter is set)."""
        parts = []
        for key, (_param, label) in DIMENSION_FILTERS.items():
            values = getattr(self, key)
            if values:
                parts.append(f"{label}: {', '.join(values)}")
        return " · ".join(parts)


@dataclass(frozen=True)
class Windows:
    current: Window
    comparison: Window | None
    notes: tuple[str, ...] = field(default_factory=tuple)


def windows(filters: Filters, as_of: dt.date) -> Windows:
    period = filters.period
    cur = current_window(period, as_of)
    notes = []
    if period.start > as_of:
        notes.append(
            f"Periode {period.label} dimulai sesudah tanggal data ({fmt.date_long(as_of)}): belum ada pengaduan."
        )
    return Windows(cur, comparison_window(period, as_of, filters.comparison), tuple(notes))


# ---------------------------------------------------------------- period choices


def _months_between(first: dt.date, last: dt.date) -> list[tuple[int, int]]:
    out, y, m = [], first.year, first.month
    while (y, m) <= (last.year, last.month):
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def period_options(kind: str, first: dt.date, as_of: dt.date) -> list[str]:
    """Period keys of ``kind`` that overlap the data (first report .. as-of), newest first."""
    if kind == "kustom":
        return []
    months = _months_between(first, as_of)
    keys: list[str] = []
    for y, m in months:
        if kind == "bulan":
            k = f"{y}-{m:02d}"
        elif kind == "triwulan":
            k = f"{y}-Q{(m - 1) // 3 + 1}"
        elif kind == "semester":
            k = f"{y}-S{(m - 1) // 6 + 1}"
        elif kind == "tahun":
            k = f"{y}"
        else:
            raise ValueError(f"unknown period kind {kind!r}")
        if k not in keys:
            keys.append(k)
    return list(reversed(keys))


def default_period(kind: str, first: dt.date, as_of: dt.date) -> str:
    """The period a kind opens on: the running year for 'tahun' (a year to date); for a month,
    quarter or semester the latest one that is complete at the as-of date (the meeting reviews a
    closed period), or the running one when none is complete; for a custom range the year to date."""
    if kind == "kustom":
        start = max(dt.date(as_of.year, 1, 1), first)
        return f"{start.isoformat()}..{as_of.isoformat()}"
    options = period_options(kind, first, as_of)
    if not options:
        return str(as_of.year)
    if kind == "tahun":
        return options[0]
    for key in options:
        if parse_period(key).end <= as_of:
            return key
    return options[0]


def default_filters(first: dt.date, as_of: dt.date) -> Filters:
    return Filters(period_key=default_period("tahun", first, as_of))


# ---------------------------------------------------------------- URL


@dataclass
class ParsedParams:
    filters: Filters
    meeting: bool
    notices: list[str]


def _param_values(params: Mapping[str, Any], name: str) -> list[str]:
    v = params.get(name)
    if v is None:
        return []
    if isinstance(v, str):
        return [v] if v.strip() else []
    return [str(x) for x in v if str(x).strip()]


def parse_query_params(
    params: Mapping[str, Any],
    *,
    first: dt.date,
    as_of: dt.date,
    master: Mapping[str, Sequence[str]],
    resolve: Mapping[str, Any] | None = None,
) -> ParsedParams:
    """Filters from URL parameters, each validated against the master data; an invalid value is
    ignored and explained in ``notices`` (Bahasa Indonesia).

    ``master``: filter key -> canonical values; ``resolve``: optional filter key -> function
    mapping a written value (an alias, other case) to its canonical name or None.
    """
    base = default_filters(first, as_of)
    notices: list[str] = []
    period_key = base.period_key
    raw_period = _param_values(params, PERIOD_PARAM)
    if raw_period:
        try:
            p = parse_period(raw_period[0])
            period_key = p.key
            if p.end < first or p.start > as_of:
                notices.append(
                    f"Periode '{raw_period[0]}' ({p.label}) di luar rentang data "
                    f"({fmt.date_long(first)} – {fmt.date_long(as_of)}); angka akan kosong."
                )
        except PeriodError as exc:
            notices.append(f"Parameter tautan '{PERIOD_PARAM}' diabaikan: {exc}")
    comparison = base.comparison
    raw_cmp = _param_values(params, COMPARISON_PARAM)
    if raw_cmp:
        if raw_cmp[0] in COMPARISONS:
            comparison = raw_cmp[0]
        else:
            notices.append(
                f"Parameter tautan '{COMPARISON_PARAM}={raw_cmp[0]}' diabaikan; pilihan yang sah: "
                f"{', '.join(COMPARISONS)}."
            )
    dims: dict[str, tuple[str, ...]] = {}
    for key, (param, label) in DIMENSION_FILTERS.items():
        chosen: list[str] = []
        allowed = list(master.get(key, ()))
        for raw in _param_values(params, param):
            canonical = raw if raw in allowed else None
            if canonical is None and resolve and key in resolve:
                canonical = resolve[key](raw)
            if canonical is None or canonical not in allowed:
                notices.append(f"{label} '{raw}' pada tautan tidak dikenal di data induk, jadi diabaikan.")
            elif canonical not in chosen:
                chosen.append(canonical)
        dims[key] = tuple(chosen)
    meeting = _param_values(params, MEETING_PARAM)[:1] in (["1"], ["ya"], ["true"])
    return ParsedParams(Filters(period_key, comparison, **dims), meeting, notices)
