"""Scores: indicator 0–100, dimension, total, predikat, for the city and per OPD.

Pure functions of a KPI dict (``pipelines.kpi.compute`` output) and evidence
records (``score_city``, ``score_departments``), plus the wiring that reads both
from a warehouse (``rate_city``, ``rate_departments``). Every score carries the
KPI keys and values it read and the evidence ids it counted, so it can be
explained; every result says it is an estimate from a configurable model.

Rules (docs/penilaian.md explains them to users):
- data indicator: linear ramp from ``floor`` (0) to ``target`` (100), clipped;
  for ``direction: lower`` the floor is the higher number. A null value (no
  denominator) is not counted unless ``on_null`` gives a score; a value whose
  sample (denominator) is under ``min_sample`` is "data tidak cukup", not counted.
- ``compare: previous_year``: the value is this period minus the same period one
  year earlier (as of the same day one year earlier). Current value at or beyond
  ``keep_level`` scores 100. Previous value null or under ``min_sample``:
  neutral, i.e. not counted.
- evidence indicator: verified records only (evidence.evidence_status).
- dimension = weighted mean of its counted indicators (weights renormalised);
  total = weighted mean of the dimensions that have a score (normally all).
- predikat from the bands; no verified evidence for the year → "Tidak dinilai".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pipelines import fmt
from pipelines.kpi import compute
from pipelines.officers.facts import load_register_facts
from pipelines.periods import comparison_for, parse_period
from pipelines.rating.evidence import (
    EvidenceRecord,
    evidence_status,
    has_assessable_evidence,
    load_evidence,
    unit_word,
)
from pipelines.rating.measures import MEASURES, MeasureValue, min_sample_of, read_measure
from pipelines.rating.model import INSUFFICIENT, NOT_ASSESSED, Indicator, RatingModel, load_model

STATUS_SCORED = "dinilai"
STATUS_NO_DATA = "tidak ada data"
STATUS_INSUFFICIENT = INSUFFICIENT
STATUS_NO_PREVIOUS = "tidak ada data tahun sebelumnya"
STATUS_NOT_PER_OPD = "tidak tersedia per OPD"


# ----------------------------------------------------------------- results


@dataclass
class IndicatorScore:
    id: str
    label: str
    dimension: str
    source: str  # data | evidence
    weight: float  # within its dimension (model weight)
    score: float | None  # 0..100; None = not counted
    status: str  # dinilai | tidak ada data | data tidak cukup | tidak ada data tahun sebelumnya
    value: float | None  # the KPI value (data; the change for compare) or the units counted (evidence)
    value_text: str
    explanation: str  # one sentence in Bahasa Indonesia
    kpi: str | None = None
    direction: str | None = None
    floor: float | None = None
    target: float | None = None
    inputs: dict[str, Any] = field(default_factory=dict)  # compute() key -> value read
    evidence_ids: list[int] = field(default_factory=list)
    points: float = 0.0  # contribution to the total (or OPD score)
    max_points: float = 0.0  # contribution at score 100

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class DimensionScore:
    id: str
    label: str
    weight: float
    score: float | None
    indicators: list[IndicatorScore]
    points: float = 0.0
    max_points: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        d = {k: v for k, v in self.__dict__.items() if k != "indicators"}
        d["indicators"] = [i.to_dict() for i in self.indicators]
        return d


@dataclass
class RatingInputs:
    """Everything a result was computed from (the what-if rescores from these)."""

    model: RatingModel
    kpi: Mapping[str, Any]
    prev_kpi: Mapping[str, Any] | None
    evidence: list[EvidenceRecord]
    year: int
    channels: list[str]  # master-data channel names (for what-if sentences)
    limits: dict[str, int] = field(default_factory=dict)  # SLA limits in working days (for sentences)


@dataclass
class RatingResult:
    year: int
    period: dict[str, Any]  # {"from", "to", "as_of"}
    total: float | None
    predikat: str
    assessed: bool  # False: no verified evidence for the year ("Tidak dinilai")
    dimensions: list[DimensionScore]
    disclaimer: str
    model: dict[str, str]
    city: str = ""
    previous_period: dict[str, Any] | None = None
    snapshot: dict[str, Any] | None = None
    evidence_source: str = "gudang data"
    notes: list[str] = field(default_factory=list)
    inputs: RatingInputs | None = field(default=None, repr=False)

    @property
    def indicators(self) -> list[IndicatorScore]:
        return [i for d in self.dimensions for i in d.indicators]

    def indicator(self, indicator_id: str) -> IndicatorScore:
        for i in self.indicators:
            if i.id == indicator_id:
                return i
        raise KeyError(indicator_id)

    def dimension(self, dimension_id: str) -> DimensionScore:
        for d in self.dimensions:
            if d.id == dimension_id:
                return d
        raise KeyError(dimension_id)

    @property
    def evidence_ids(self) -> list[int]:
        return sorted({e for i in self.indicators for e in i.evidence_ids})

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (values unrounded; rounding is for display)."""
        return {
            "scope": "kota",
            "city": self.city,
            "year": self.year,
            "period": self.period,
            "previous_period": self.previous_period,
            "snapshot": self.snapshot,
            "total": self.total,
            "predikat": self.predikat,
            "assessed": self.assessed,
            "disclaimer": self.disclaimer,
            "model": self.model,
            "evidence_source": self.evidence_source,
            "evidence_ids": self.evidence_ids,
            "notes": self.notes,
            "dimensions": [d.to_dict() for d in self.dimensions],
        }


@dataclass
class DepartmentRating:
    department: str
    score: float | None
    predikat: str  # a band, or "data tidak cukup"
    rank: int | None
    insufficient_data: bool
    in_scope: int
    indicators: list[IndicatorScore]
    period: dict[str, Any]
    disclaimer: str

    def to_dict(self) -> dict[str, Any]:
        d = {k: v for k, v in self.__dict__.items() if k != "indicators"}
        d["indicators"] = [i.to_dict() for i in self.indicators]
        return d


# ----------------------------------------------------------------- formatting


def format_value(kpi: str, value: float | None, *, change: bool = False) -> str:
    """A measure's value for display (Indonesian formats)."""
    if value is None:
        return fmt.EMPTY
    unit = MEASURES[kpi].unit
    if change:
        if unit == "rate":
            return fmt.signed(value * 100, 1, " poin persen")
        if unit == "days":
            return fmt.signed(value, 1, " HK")
        return fmt.signed(value, 2)
    if unit == "rate":
        return fmt.percent(value)
    if unit == "days":
        return fmt.days(value)
    if unit == "mean":
        return fmt.number(value, 2)
    return fmt.number(value)


def _cap(s: str) -> str:
    """Upper-case the first letter only (str.capitalize would turn 'OPD' into 'opd')."""
    return s[:1].upper() + s[1:]


def _score_text(s: float | None) -> str:
    return fmt.EMPTY if s is None else fmt.number(s, 1)


# ----------------------------------------------------------------- indicator scoring


def ramp(value: float, floor: float, target: float) -> float:
    """Linear 0..100 from floor to target, clipped (works for both directions)."""
    x = (value - floor) / (target - floor)
    return 100.0 * min(1.0, max(0.0, x))


def _beats(direction: str, value: float, level: float) -> bool:
    return value >= level if direction == "higher" else value <= level


def _counts_text(mv: MeasureValue, kpi: str) -> str:
    m = MEASURES[kpi]
    if mv.numerator is not None and mv.denominator is not None:
        return f" ({fmt.number(mv.numerator)} dari {fmt.number(mv.denominator)})"
    if m.sample and mv.sample is not None:
        return f" (n = {fmt.number(mv.sample)})"
    return ""


@dataclass
class _DataEval:
    """The numeric decision for a data indicator (one place for the rules)."""

    score: float | None
    status: str
    value: float | None  # the KPI value, or the change for compare
    cur: MeasureValue
    prev: MeasureValue | None = None
    kept: bool = False  # compare: current value at/over keep_level
    null_score: bool = False  # on_null gave the score


def evaluate_data_indicator(
    ind: Indicator, kpi: Mapping[str, Any], prev_kpi: Mapping[str, Any] | None, min_sample: int
) -> _DataEval:
    """Score a data indicator numerically (no text); see the module docstring for the rules."""
    spec = ind.data
    assert spec is not None
    m = MEASURES[spec.kpi]
    cur = read_measure(spec.kpi, kpi)
    small = m.sample is not None and cur.sample is not None and cur.sample < min_sample
    if spec.compare:
        prev = read_measure(spec.kpi, prev_kpi) if prev_kpi is not None else MeasureValue(None)
        if cur.value is None:
            return _DataEval(None, STATUS_NO_DATA, None, cur, prev)
        if small:
            return _DataEval(None, STATUS_INSUFFICIENT, None, cur, prev)
        if spec.keep_level is not None and _beats(spec.direction, cur.value, spec.keep_level):
            return _DataEval(100.0, STATUS_SCORED, None, cur, prev, kept=True)
        prev_small = m.sample is not None and prev.sample is not None and prev.sample < min_sample
        if prev.value is None or prev_small:
            return _DataEval(None, STATUS_NO_PREVIOUS, None, cur, prev)
        change = cur.value - prev.value
        return _DataEval(ramp(change, spec.floor, spec.target), STATUS_SCORED, change, cur, prev)
    v = cur.value
    if v is None:
        if spec.on_null is not None:
            return _DataEval(spec.on_null, STATUS_SCORED, None, cur, null_score=True)
        return _DataEval(None, STATUS_NO_DATA, None, cur)
    if small:
        return _DataEval(None, STATUS_INSUFFICIENT, v, cur)
    return _DataEval(ramp(v, spec.floor, spec.target), STATUS_SCORED, v, cur)


def score_data_indicator(
    ind: Indicator, kpi: Mapping[str, Any], prev_kpi: Mapping[str, Any] | None, min_sample: int
) -> IndicatorScore:
    """Score a data indicator from a KPI dict (the city's or one by_department row), with its explanation."""
    spec = ind.data
    assert spec is not None
    m = MEASURES[spec.kpi]
    e = evaluate_data_indicator(ind, kpi, prev_kpi, min_sample)
    cur, label = e.cur, _cap(m.label)
    inputs = dict(cur.inputs)
    ramp_text = (f"rentang {format_value(spec.kpi, spec.floor, change=bool(spec.compare))} (nilai 0) sampai "
                 f"{format_value(spec.kpi, spec.target, change=bool(spec.compare))} (nilai 100)")
    if spec.compare:
        assert e.prev is not None
        inputs.update({f"tahun_sebelumnya.{k}": v for k, v in e.prev.inputs.items()})
        now_text = format_value(spec.kpi, cur.value)
        value_text = now_text if e.kept else format_value(spec.kpi, e.value, change=True)
        if e.status == STATUS_NO_DATA:
            text = f"{label} periode ini tidak ada datanya; tidak dihitung."
        elif e.status == STATUS_INSUFFICIENT:
            text = f"Sampel periode ini {fmt.number(cur.sample)} < {min_sample}; tidak dihitung."
        elif e.kept:
            text = (f"{label} {now_text} sudah mencapai {format_value(spec.kpi, spec.keep_level)}: "
                    "kinerja dipertahankan → 100.")
        elif e.status == STATUS_NO_PREVIOUS:
            text = "Tidak ada data (cukup) untuk periode yang sama tahun sebelumnya; indikator tidak dihitung (netral)."
        else:
            text = (f"{label} {now_text} vs {format_value(spec.kpi, e.prev.value)} tahun sebelumnya: "
                    f"{value_text}; {ramp_text} → {_score_text(e.score)}.")
    else:
        value_text = format_value(spec.kpi, e.value)
        if e.null_score:
            text = f"{label} kosong (penyebut 0); model memberi nilai {_score_text(e.score)}."
        elif e.status == STATUS_NO_DATA:
            text = f"{label} tidak ada datanya (penyebut 0); tidak dihitung."
        elif e.status == STATUS_INSUFFICIENT:
            text = f"{label} {value_text}{_counts_text(cur, spec.kpi)}: sampel di bawah {min_sample}; tidak dihitung."
        else:
            text = f"{label} {value_text}{_counts_text(cur, spec.kpi)}; {ramp_text} → {_score_text(e.score)}."
    return IndicatorScore(
        id=ind.id, label=ind.label, dimension=ind.dimension, source="data", weight=ind.weight, score=e.score,
        status=e.status, value=e.value, value_text=value_text, explanation=text, kpi=spec.kpi,
        direction=spec.direction, floor=spec.floor, target=spec.target, inputs=inputs,
    )


def score_evidence_indicator(ind: Indicator, evidence: Sequence[EvidenceRecord], year: int) -> IndicatorScore:
    spec = ind.evidence
    assert spec is not None
    st = evidence_status(ind, evidence, year)
    word = unit_word(spec.count)
    ids = ", ".join(f"BD-{i:04d}" for i in st.counted_ids) or "tidak ada"
    text = f"{st.units} {word} terverifikasi, perlu {spec.required_count} ({ids})"
    if spec.required_types:
        text += (f"; jenis wajib {len(spec.required_types) - len(st.missing_types)} dari {len(spec.required_types)}"
                 + (f" (belum: {', '.join(st.missing_types)})" if st.missing_types else ""))
    return IndicatorScore(
        id=ind.id, label=ind.label, dimension=ind.dimension, source="evidence", weight=ind.weight, score=st.score,
        status=STATUS_SCORED, value=float(st.units), value_text=f"{st.units} {word} (perlu {spec.required_count})",
        explanation=f"{text} → {_score_text(st.score)}.", evidence_ids=st.counted_ids,
    )


def _weighted(items: Iterable[tuple[float, float | None]]) -> tuple[float | None, float]:
    """Weighted mean over items whose score is not None; also the weight used."""
    pairs = [(w, s) for w, s in items if s is not None]
    wsum = sum(w for w, _ in pairs)
    if not pairs or wsum <= 0:
        return None, 0.0
    return sum(w * s for w, s in pairs) / wsum, wsum


# ----------------------------------------------------------------- the city


def score_city(
    model: RatingModel,
    kpi: Mapping[str, Any],
    *,
    year: int,
    prev_kpi: Mapping[str, Any] | None = None,
    evidence: Sequence[EvidenceRecord] = (),
    channels: Sequence[str] = (),
    city: str = "",
    period: Mapping[str, Any] | None = None,
    previous_period: Mapping[str, Any] | None = None,
    evidence_source: str = "gudang data",
    notes: Sequence[str] = (),
    limits: Mapping[str, int] | None = None,
) -> RatingResult:
    """The city's rating from a KPI dict (and the previous year's), and evidence records."""
    evidence = list(evidence)
    dims: list[DimensionScore] = []
    ms = min_sample_of(kpi)
    for d in model.dimensions:
        inds = [
            score_data_indicator(i, kpi, prev_kpi, ms) if i.source == "data"
            else score_evidence_indicator(i, evidence, year)
            for i in d.indicators
        ]
        s, _ = _weighted((i.weight, i.score) for i in inds)
        dims.append(DimensionScore(d.id, d.label, d.weight, s, inds))
    total, dw = _weighted((d.weight, d.score) for d in dims)
    # Contributions in points of the total, with the same renormalisation as the scores.
    for d in dims:
        share = d.weight / dw if dw and d.score is not None else 0.0
        iw = sum(i.weight for i in d.indicators if i.score is not None)
        for i in d.indicators:
            f = share * (i.weight / iw if iw and i.score is not None else 0.0)
            i.max_points = 100.0 * f
            i.points = (i.score or 0.0) * f
        d.points = sum(i.points for i in d.indicators)
        d.max_points = 100.0 * share
    assessed = has_assessable_evidence(model, evidence, year)
    notes = list(notes)
    if not assessed:
        notes.append(f"Tidak ada bukti dukung terverifikasi untuk tahun {year}: pemda yang tidak mengirim bukti dukung "
                     "tidak dinilai. Catat dan verifikasi bukti dukung (`monev evidence`).")
    predikat = model.band_for(total) if (assessed and total is not None) else NOT_ASSESSED
    per = dict(period or {})
    return RatingResult(
        year=year, period=per, total=total, predikat=predikat, assessed=assessed, dimensions=dims,
        disclaimer=model.disclaimer,
        model={"name": model.name, "version": model.version, "sha256": model.sha256[:16], "source": model.source},
        city=city, previous_period=dict(previous_period) if previous_period else None,
        snapshot=kpi.get("snapshot") if isinstance(kpi, Mapping) else None,
        evidence_source=evidence_source, notes=notes,
        inputs=RatingInputs(model, kpi, prev_kpi, evidence, year, list(channels), dict(limits or {})),
    )


def total_and_predikat(
    model: RatingModel,
    kpi: Mapping[str, Any],
    *,
    year: int,
    prev_kpi: Mapping[str, Any] | None = None,
    evidence: Sequence[EvidenceRecord] = (),
) -> tuple[float | None, str]:
    """The total and predikat only (no explanations): the same rules as ``score_city``,
    fast enough for the what-if to rescore thousands of variants."""
    dims = []
    ms = min_sample_of(kpi)
    for d in model.dimensions:
        pairs = []
        for i in d.indicators:
            if i.source == "data":
                s = evaluate_data_indicator(i, kpi, prev_kpi, ms).score
            else:
                s = evidence_status(i, evidence, year).score
            pairs.append((i.weight, s))
        dims.append((d.weight, _weighted(pairs)[0]))
    total = _weighted(dims)[0]
    if total is None or not has_assessable_evidence(model, evidence, year):
        return total, NOT_ASSESSED
    return total, model.band_for(total)


# ----------------------------------------------------------------- OPD


def _department_indicators(model: RatingModel, row: Mapping[str, Any], min_sample: int) -> list[IndicatorScore]:
    inds: list[IndicatorScore] = []
    for iid, w in model.opd_indicators:
        ind = model.indicator(iid)
        assert ind.data is not None
        m = MEASURES[ind.data.kpi]
        needed = [k for k in ((m.value_key,) if m.value_key else ()) + ((m.numerator,) if m.numerator else ())
                  + m.denominator if k]
        if any(k not in row for k in needed):
            sc = IndicatorScore(id=ind.id, label=ind.label, dimension=ind.dimension, source="data", weight=w,
                                score=None, status=STATUS_NOT_PER_OPD, value=None, value_text=fmt.EMPTY,
                                explanation=f"{_cap(m.label)} tidak tersedia per OPD; tidak dihitung.",
                                kpi=ind.data.kpi)
        else:
            sc = score_data_indicator(ind, row, None, min_sample)
            sc.weight = w
        inds.append(sc)
    s, wsum = _weighted((i.weight, i.score) for i in inds)
    for i in inds:
        f = i.weight / wsum if (wsum and i.score is not None) else 0.0
        i.max_points = 100.0 * f
        i.points = (i.score or 0.0) * f
    return inds


def score_departments(model: RatingModel, kpi: Mapping[str, Any]) -> list[DepartmentRating]:
    """Per-OPD score and predikat from the OPD model (Output indicators), in league order.

    The rank is the KPI engine's (``by_department[].rank``: the one league rule of sla.yaml
    ``kpi.league``), so every surface ranks the same way; the score is the model's estimate shown
    beside it. An OPD with fewer than ``min_sample`` in-scope complaints (the one of sla.yaml) is
    "data tidak cukup" and gets no score and no rank.
    """
    if not model.opd_indicators:
        raise ValueError("Model penilaian tidak punya indikator OPD: tambahkan 'opd_model' (atau dimensi 'output').")
    period = dict(kpi.get("period") or {})
    ms = min_sample_of(kpi)
    out: list[DepartmentRating] = []
    for row in kpi.get("by_department") or []:
        n = int(row.get("in_scope") or 0)
        name = str(row.get("department"))
        rank = row.get("rank")
        if n < ms or row.get("insufficient_data"):
            out.append(DepartmentRating(name, None, INSUFFICIENT, None, True, n, [], period, model.disclaimer))
            continue
        inds = _department_indicators(model, row, ms)
        s, _ = _weighted((i.weight, i.score) for i in inds)
        band = INSUFFICIENT if s is None else model.band_for(s)
        out.append(DepartmentRating(name, s, band, None if rank is None else int(rank), s is None, n, inds,
                                    period, model.disclaimer))
    return sorted(out, key=lambda d: (d.rank is None, d.rank or 0, d.department))


# ----------------------------------------------------------------- wiring to a warehouse


def _as_date(x: Any) -> dt.date:
    if isinstance(x, dt.datetime):
        return x.date()
    if isinstance(x, dt.date):
        return x
    return dt.date.fromisoformat(str(x)[:10])


def resolve_period(year: int, period: Any = None) -> tuple[dt.date, dt.date]:
    """The data period: the year by default, else a (from, to) pair, an object with
    start/end, or a period string understood by ``pipelines.periods`` (e.g. '2025-Q3')."""
    if period is None:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    if isinstance(period, tuple | list) and len(period) == 2:
        return _as_date(period[0]), _as_date(period[1])
    if hasattr(period, "start") and hasattr(period, "end"):
        return _as_date(period.start), _as_date(period.end)
    if isinstance(period, str):
        p = parse_period(period)  # raises PeriodError (a ValueError) explaining the forms
        return _as_date(p.start), _as_date(p.end)
    raise ValueError(f"Periode {period!r} tidak dikenali; pakai (dari, sampai) atau mis. '2025-Q3'.")


def previous_year_window(date_from: dt.date, date_to: dt.date, as_of: dt.date) -> tuple[dt.date, dt.date, dt.date] | None:
    """The same period one year earlier by the one comparison rule (``pipelines.periods.comparison_for``,
    mode ``tahun_lalu``): a running period is cut to the same span, and every window is seen at the same
    maturity. (from, to, as_of), or None when the period starts after ``as_of``."""
    win = comparison_for(date_from, date_to, as_of, "tahun_lalu")
    return None if win is None else (win.date_from, win.date_to, win.as_of)


def _channels(con: Any) -> list[str]:
    return [r[0] for r in con.execute("SELECT channel FROM channels ORDER BY channel").fetchall()]


def _limits(con: Any) -> dict[str, int]:
    return {r[0]: int(r[1]) for r in con.execute("SELECT step, limit_days FROM sla_limits").fetchall()}


def _city(con: Any) -> str:
    r = con.execute("SELECT value FROM settings WHERE key = 'city_name'").fetchone()
    return r[0] if r and r[0] else ""


def rate_city(
    con: Any,
    year: int,
    *,
    period: Any = None,
    model: RatingModel | None = None,
    as_of: dt.date | None = None,
    evidence: Sequence[EvidenceRecord] | None = None,
    evidence_source: str | None = None,
) -> RatingResult:
    """Rate the city for evaluation ``year`` from a warehouse connection.

    Data indicators use the KPI engine for ``period`` (default: the whole year);
    evidence comes from the warehouse's ``evidence`` table unless ``evidence`` is
    given (e.g. live records from the state store, with ``evidence_source`` saying so).
    """

    model = model or load_model()
    date_from, date_to = resolve_period(year, period)
    kpi = {**compute(con, date_from, date_to, as_of=as_of), "officer_register": load_register_facts(con)}
    per = dict(kpi.get("period") or {"from": date_from.isoformat(), "to": date_to.isoformat()})
    prev_kpi = prev_period = None
    if any(i.data and i.data.compare for i in model.indicators) and per.get("as_of"):
        win = previous_year_window(date_from, date_to, _as_date(per["as_of"]))
        if win:
            prev_kpi = compute(con, win[0], win[1], as_of=win[2])
            prev_period = {"from": win[0].isoformat(), "to": win[1].isoformat(), "as_of": win[2].isoformat()}
    notes: list[str] = []
    if evidence is None:
        evidence, note = load_evidence(con)
        if note:
            notes.append(note)
        src = "gudang data"
    else:
        src = evidence_source or "penyimpanan aplikasi (belum masuk gudang data)"
    return score_city(
        model, kpi, year=year, prev_kpi=prev_kpi, evidence=list(evidence), channels=_channels(con), city=_city(con),
        period=per, previous_period=prev_period, evidence_source=src, notes=notes, limits=_limits(con),
    )


def rate_departments(
    con: Any,
    date_from: dt.date,
    date_to: dt.date,
    *,
    as_of: dt.date | None = None,
    model: RatingModel | None = None,
    kpi: Mapping[str, Any] | None = None,
) -> list[DepartmentRating]:
    """Per-OPD scores for a period (pass ``kpi`` if ``compute`` already ran for it)."""
    model = model or load_model()
    if kpi is None:
        kpi = compute(con, date_from, date_to, as_of=as_of)
    return score_departments(model, kpi)
