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
from pipelines.rating.measures import MEASURES, read_measure
from pipelines.rating.model import RatingModel
from pipelines.rating.scoring import STATUS_SCORED, format_value, score_data_indicator


@dataclass(frozen=True)
class Band:
    """How a KPI value stands against the rating model's floor/target: predikat band and score."""

    band: str | None
    score: float | None
    indicator: str | None = None
    text: str = ""


def kpi_band(model: RatingModel, key: str, kpi: Mapping[str, Any]) -> Band:
    """The predikat band of one KPI of ``kpi`` (a compute() dict or one by_department row), scored with
    the rating model's indicator for that KPI (same floor/target as the rating); no band when the
    model has no indicator for it or the sample is too small."""
    for ind in model.indicators:
        if ind.data is not None and ind.data.kpi == key and not ind.data.compare:
            sc = score_data_indicator(ind, kpi, None, model.min_sample)
            if sc.status != STATUS_SCORED or sc.score is None:
                return Band(None, None, ind.id, sc.explanation)
            return Band(model.band_for(sc.score), sc.score, ind.id, sc.explanation)
    return Band(None, None)


def measure_text(key: str, kpi: Mapping[str, Any]) -> str:
    """A rating measure read from a KPI dict, formatted (e.g. '77,9%', '5 HK')."""
    return format_value(key, read_measure(key, kpi).value)


@dataclass
class Attention:
    department: str
    score: float | None
    predikat: str
    rank: int | None
    ranked: int
    reasons: list[str] = field(default_factory=list)

    @property
    def headline(self) -> str:
        rank = f", peringkat {self.rank} dari {self.ranked}" if self.rank else ""
        return f"Nilai {fmt.number(self.score, 1)} ({self.predikat}){rank}"


def attention_opds(
    ratings: Sequence[Mapping[str, Any]],
    by_department: Sequence[Mapping[str, Any]],
    city_kpi: Mapping[str, Any],
    n: int = 3,
) -> list[Attention]:
    """The ``n`` ranked OPDs with the lowest OPD score (ties: the larger overdue backlog first), each
    with the reasons: the indicators that lose the most points, with the OPD's value next to the
    city's, and its overdue backlog."""
    rows = {str(r.get("department")): r for r in by_department}
    ranked = [r for r in ratings if r.get("score") is not None]
    ranked.sort(key=lambda r: (r["score"], -(rows.get(r["department"], {}).get("backlog_overdue") or 0),
                               r["department"]))
    out = []
    for r in ranked[:n]:
        row = rows.get(r["department"], {})
        reasons = []
        gaps = sorted(
            (i for i in r.get("indicators", []) if i.get("score") is not None),
            key=lambda i: -((i.get("max_points") or 0) - (i.get("points") or 0)),
        )
        overdue = int(row.get("backlog_overdue") or 0)
        open_ = int(row.get("backlog_open") or 0)
        overdue_text = f"{fmt.number(overdue)} dari {fmt.number(open_)} tunggakan sudah lewat batas waktu"
        for i in gaps[:2]:
            if (i.get("max_points") or 0) - (i.get("points") or 0) < 0.5:
                continue
            key = i.get("kpi")
            city = f"kota {measure_text(key, city_kpi)}" if key in MEASURES else ""
            if key == "backlog_overdue_share":
                reasons.append(f"{overdue_text} ({i.get('value_text')}; {city})")
                overdue = 0  # said already
                continue
            label = _lower_first(MEASURES[key].label) if key in MEASURES else i["label"]
            reasons.append(f"{label} {i.get('value_text')}" + (f" ({city})" if city else ""))
        if overdue:
            reasons.append(overdue_text)
        out.append(Attention(r["department"], r.get("score"), r.get("predikat", ""), r.get("rank"),
                             len(ranked), reasons))
    return out


def _lower_first(s: str) -> str:
    return s[:1].lower() + s[1:]


def rising_categories(category_trend: Sequence[Mapping[str, Any]], n: int = 5) -> list[Mapping[str, Any]]:
    """Categories the KPI engine marks as rising ('naik'), largest increase first."""
    rising = [r for r in category_trend if r.get("trend") == "naik"]
    rising.sort(key=lambda r: (-(r.get("change") or 0), str(r.get("category"))))
    return rising[:n]


def change_text(current: float | None, previous: float | None, unit: str) -> tuple[str, float | None]:
    """The change between two values of one KPI for a card: ('+3,1 poin persen', 0.031) for rates,
    ('+12 (+5,2%)', 12) for counts, ('−0,5 HK', -0.5) for days; ('', None) when either is missing."""
    if current is None or previous is None:
        return "", None
    diff = current - previous
    if unit == "rate":
        return fmt.signed(diff * 100, 1, " poin persen"), diff
    if unit == "days":
        return fmt.signed(diff, 1, " HK"), diff
    rel = f" ({fmt.signed(diff / previous * 100, 1, '%')})" if previous else ""
    return fmt.signed(diff, 0) + rel, diff
