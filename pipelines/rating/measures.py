"""The KPI measures a rating model may use, read from ``pipelines.kpi.compute`` output.

The rating never recomputes a KPI: a measure is one value of the KPI dict (or a
simple combination of its values, e.g. ``backlog_overdue / backlog_open``), and
records the keys it read. The numerator/denominator keys let the what-if turn a
needed rate into a number of complaints.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pipelines.kpi import derived


@dataclass(frozen=True)
class Measure:
    key: str  # name used in the model file (``kpi:``)
    label: str  # Indonesian, for explanations
    unit: str  # rate | days | mean | count
    numerator: str | None = None  # compute() key counted "good" (rates)
    denominator: tuple[str, ...] = ()  # compute() keys summed into the denominator
    sample: str | None = None  # compute() key giving the sample size for min_sample (None: no rule)
    per_department: bool = True  # available in by_department rows
    value_key: str | None = None  # compute() key holding the value itself (None: derived here)


MEASURES: dict[str, Measure] = {
    m.key: m
    for m in (
        Measure("response_rate", "tingkat respons", "rate", "responded", ("in_scope",), "in_scope",
                value_key="response_rate"),
        Measure("resolution_rate", "tingkat penyelesaian", "rate", "resolved", ("in_scope",), "in_scope",
                value_key="resolution_rate"),
        Measure("on_time_verification_rate", "verifikasi tepat waktu", "rate", "verification_on_time",
                ("verification_on_time", "verification_late"), "@denominator",
                value_key="on_time_verification_rate"),
        Measure("on_time_response_rate", "respons tepat waktu", "rate", "response_on_time",
                ("response_on_time", "response_late"), "@denominator", value_key="on_time_response_rate"),
        Measure("on_time_resolution_rate", "penyelesaian tepat waktu", "rate", "resolution_on_time",
                ("resolution_on_time", "resolution_late"), "@denominator", value_key="on_time_resolution_rate"),
        Measure("verification_days_median", "median hari verifikasi", "days", sample="verified",
                value_key="verification_days_median"),
        Measure("response_days_median", "median hari respons", "days", sample="responded",
                value_key="response_days_median"),
        Measure("response_days_p90", "persentil 90 hari respons", "days", sample="responded",
                value_key="response_days_p90"),
        Measure("resolution_days_median", "median hari penyelesaian", "days", sample="resolved",
                value_key="resolution_days_median"),
        Measure("resolution_days_p90", "persentil 90 hari penyelesaian", "days", sample="resolved",
                value_key="resolution_days_p90"),
        Measure("satisfaction_mean", "rata-rata kepuasan pelapor (1–5)", "mean", sample="satisfaction_count",
                value_key="satisfaction_mean"),
        Measure("repeat_rate", "porsi pengaduan berulang", "rate", "repeat_complaints", ("in_scope",),
                "in_scope", value_key="repeat_rate"),
        # Stock at the as-of date: a small backlog is not a small sample, so no min_sample rule.
        Measure("backlog_overdue_share", "porsi tunggakan yang lewat batas waktu", "rate", "backlog_overdue",
                ("backlog_open",), None),
        Measure("opd_answered_share", "porsi OPD yang menanggapi minimal satu pengaduan", "rate",
                per_department=False),
        Measure("channels_in_recap", "jumlah kanal yang masuk rekap", "count", per_department=False),
        # The officers' register (pipelines.officers.facts): read from the warehouse, not from the KPI engine.
        Measure("opd_liaison_share", "porsi OPD dengan pejabat penghubung ber-SK yang berlaku", "rate",
                per_department=False),
    )
}


@dataclass
class MeasureValue:
    """A measure's value and everything it was read from."""

    value: float | None
    inputs: dict[str, Any] = field(default_factory=dict)  # compute() key -> value read
    numerator: float | None = None
    denominator: float | None = None
    sample: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # e.g. names of OPD that did not answer


DEFAULT_MIN_SAMPLE = 5


def min_sample_of(kpi: Mapping[str, Any]) -> int:
    """The one minimum sample (sla.yaml ``kpi.min_sample``, stored in the warehouse), as the KPI result
    that is being rated carries it in ``settings``."""
    settings = kpi.get("settings") if isinstance(kpi, Mapping) else None
    return int((settings or {}).get("min_sample") or DEFAULT_MIN_SAMPLE)


def _num(x: Any) -> float | None:
    if x is None:
        return None
    try:
        return float(x)
    except (TypeError, ValueError):
        return None


def read_measure(key: str, kpi: Mapping[str, Any]) -> MeasureValue:
    """Read measure ``key`` from a KPI dict (the city's, or one ``by_department`` row)."""
    m = MEASURES[key]
    if key == "opd_answered_share":
        return _opd_answered(kpi)
    if key == "channels_in_recap":
        return _channels(kpi)
    if key == "opd_liaison_share":
        return _liaison(kpi)
    inputs: dict[str, Any] = {}
    num = den = None
    if m.numerator:
        if m.numerator in kpi:
            inputs[m.numerator] = kpi.get(m.numerator)
            num = _num(kpi.get(m.numerator))
        if all(k in kpi for k in m.denominator):
            for k in m.denominator:
                inputs[k] = kpi.get(k)
            parts = [_num(kpi.get(k)) for k in m.denominator]
            den = None if any(p is None for p in parts) else sum(parts)
    if m.value_key:
        inputs[m.value_key] = kpi.get(m.value_key)
        value = _num(kpi.get(m.value_key))
    else:  # a simple ratio of two compute() values (the KPI layer's one share function)
        value = derived.share(num, den)
    sample = None
    if m.sample == "@denominator":
        sample = den
    elif m.sample:
        inputs.setdefault(m.sample, kpi.get(m.sample))
        sample = _num(kpi.get(m.sample))
    return MeasureValue(value, inputs, num, den, sample)


def _opd_answered(kpi: Mapping[str, Any]) -> MeasureValue:
    rows = kpi.get("by_department") or []
    with_complaints = [r for r in rows if (_num(r.get("in_scope")) or 0) > 0]
    answered = [r for r in with_complaints if (_num(r.get("responded")) or 0) > 0]
    silent = sorted(str(r.get("department")) for r in with_complaints if r not in answered)
    n, d = len(answered), len(with_complaints)
    return MeasureValue(
        n / d if d else None,
        {"by_department[].in_scope": f"{d} OPD menerima pengaduan",
         "by_department[].responded": f"{n} OPD menanggapi minimal satu"},
        n, d, None, {"opd_belum_menanggapi": silent},
    )


def _channels(kpi: Mapping[str, Any]) -> MeasureValue:
    rows = kpi.get("by_channel") or []
    present = sorted(str(r.get("channel")) for r in rows if (_num(r.get("received")) or 0) > 0)
    return MeasureValue(
        float(len(present)),
        {"by_channel[].received": f"{len(present)} kanal dengan pengaduan"},
        None, None, None, {"kanal": present},
    )


def _liaison(kpi: Mapping[str, Any]) -> MeasureValue:
    """Share of the master data's OPD whose liaison officer is named in a current SK (the register's facts,
    ``officer_register`` in the warehouse, put into the rated dict under ``officer_register``). No value
    while the register is empty: the indicator is then not counted."""
    rows = kpi.get("officer_register") or []
    if not rows:
        return MeasureValue(None, {"officer_register": "register pejabat penghubung belum diisi"})
    current = [r for r in rows if r.get("sk_current")]
    missing = sorted(str(r.get("department")) for r in rows if not r.get("sk_current"))
    n, d = len(current), len(rows)
    return MeasureValue(
        n / d, {"officer_register[].sk_current": f"{n} dari {d} OPD punya pejabat penghubung ber-SK yang berlaku"},
        n, d, None, {"opd_tanpa_sk_berlaku": missing},
    )
