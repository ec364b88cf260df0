"""Sentences and choices written from the KPI and rating numbers (no Streamlit, no new KPI):
the predikat colour of a KPI card, the OPDs that need attention and why, the rising categories.

Every number used here comes from ``pipelines.kpi.compute`` or the rating API; this module only
picks and phrases them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pipelines import fmt
from pipelines.kpi import derived, rules_text
from pipelines.rating.measures import min_sample_of, read_measure
from pipelines.rating.model import RatingModel
from pipelines.rating.scoring import STATUS_SCORED, format_value, score_data_indicator


@dataclass(frozen=True)
class Band:
    """How a KPI value stands against the rating model's floor/target: predikat band and score."""

    band: str | None
    score: float | None
    indicator: str | None = None
    text: str = ""


def kpi_band(model: RatingModel, key: str, kpi: Mapping[str, Any], min_sample: int | None = None) -> Band:
    """The predikat band of one KPI of ``kpi`` (a compute() dict or one by_department row), scored with
    the rating model's indicator for that KPI (same floor/target as the rating); no band when the
    model has no indicator for it or the sample is too small (``min_sample``: default the one the
    KPI result carries)."""
    ms = min_sample_of(kpi) if min_sample is None else min_sample
    for ind in model.indicators:
        if ind.data is not None and ind.data.kpi == key and not ind.data.compare:
            sc = score_data_indicator(ind, kpi, None, ms)
            if sc.status != STATUS_SCORED or sc.score is None:
                return Band(None, None, ind.id, sc.explanation)
            return Band(model.band_for(sc.score), sc.score, ind.id, sc.explanation)
    return Band(None, None)


def measure_text(key: str, kpi: Mapping[str, Any]) -> str:
    """A rating measure read from a KPI dict, formatted (e.g. '77,9%', '5 HK')."""
    return format_value(key, read_measure(key, kpi).value)


@dataclass
class Attention:
    """One unit that needs attention, chosen by impact (``pipelines.kpi.derived.attention_rows``)."""

    department: str
    overdue: int
    backlog_open: int
    late: int
    score: float | None
    predikat: str
    rank: int | None
    ranked: int
    reasons: list[str] = field(default_factory=list)

    @property
    def headline(self) -> str:
        share = derived.share(self.overdue, self.backlog_open)
        head = (f"{fmt.number(self.overdue)} dari {fmt.number(self.backlog_open)} tunggakan lewat batas "
                f"({fmt.percent(share)})")
        return head + (f"; {fmt.number(self.late)} terlambat" if self.late else "")


def _step_reason(row: Mapping[str, Any], step: str, words: str, city_kpi: Mapping[str, Any]) -> str | None:
    lt = derived.late(row, step)
    if not lt:
        return None
    total = lt + int(row.get(f"{step}_on_time") or 0)
    city = derived.late_share(city_kpi, step)
    return (f"{fmt.number(lt)} dari {fmt.number(total)} {words} terlambat ({fmt.percent(derived.late_share(row, step))}"
            f"; kota {fmt.percent(city)})")


def attention_opds(
    ratings: Sequence[Mapping[str, Any]],
    by_department: Sequence[Mapping[str, Any]],
    city_kpi: Mapping[str, Any],
    n: int = 3,
) -> list[Attention]:
    """The ``n`` OPDs that need attention most, by impact: among OPDs with at least ``min_sample``
    complaints in scope, the largest overdue backlog, then the most complaints late for response or
    resolution (``pipelines.kpi.derived.attention_rows``); each with the share beside the count, the
    late steps against the city's, and its league rank and model score."""
    ms = rules_text.min_sample(city_kpi)
    by_name = {str(r.get("department")): r for r in ratings}
    ranked = sum(1 for r in by_department if r.get("rank") is not None)
    out = []
    for row in derived.attention_rows(by_department, ms, n):
        name = str(row.get("department"))
        rating = by_name.get(name, {})
        reasons = [t for t in (
            _step_reason(row, "response", "tanggapan pertama", city_kpi),
            _step_reason(row, "resolution", "penyelesaian", city_kpi),
        ) if t]
        if rating.get("score") is not None:
            reasons.append(f"nilai OPD {fmt.number(rating['score'], 1)} ({rating.get('predikat')})")
        if row.get("rank") is not None:
            reasons.append(f"peringkat {row['rank']} dari {ranked} ({rules_text.league_text(city_kpi)})")
        overdue, late = derived.impact(row)
        out.append(Attention(name, overdue, int(row.get("backlog_open") or 0), late, rating.get("score"),
                             str(rating.get("predikat") or ""), row.get("rank"), ranked, reasons))
    return out


def rising_categories(category_trend: Sequence[Mapping[str, Any]], n: int = 5) -> list[Mapping[str, Any]]:
    """Categories the KPI engine marks as rising ('naik'), largest increase first."""
    rising = [r for r in category_trend if r.get("trend") == "naik"]
    rising.sort(key=lambda r: (-(r.get("change") or 0), str(r.get("category"))))
    return rising[:n]


def change_text(current: float | None, previous: float | None, unit: str) -> tuple[str, float | None]:
    """The change between two values of one KPI for a card: ('+3,1 poin persen', 0.031) for rates,
    ('+12 (+5,2%)', 12) for counts, ('−0,5 HK', -0.5) for days; ('', None) when either is missing.
    The difference is ``pipelines.kpi.derived.change`` (the one `monev kpi` puts in ``comparison``)."""
    diff = derived.change(current, previous)
    if diff is None:
        return "", None
    if unit == "rate":
        return fmt.signed(diff * 100, 1, " poin persen"), diff
    if unit == "days":
        return fmt.signed(diff, 1, " HK"), diff
    rel = derived.relative_change(current, previous)
    return fmt.signed(diff, 0) + (f" ({fmt.signed(rel * 100, 1, '%')})" if rel is not None else ""), diff
