"""What-if: the smallest set of changes that lifts a rating into a target band.

Each possible change is a *lever* on the inputs of the rating, never on the
scores: answer N more of the late complaints (the KPI counts move), verify a
submitted document, upload a missing one. The gain of a change is computed by
rescoring the changed inputs with the same model (``scoring.score_city``), so a
plan is exactly as good as the model says and can be checked by applying it to
the data. Counts come from the KPI's numerators/denominators, so a needed rate
becomes a number of complaints.

Choice of plan: the least total effort. Each kind of change has a relative
effort per unit (``what_if_effort`` in the model file: verifying a submitted
document 1, uploading one 2, handling one complaint differently 0.25, ...).
Changes are taken greedily by points per unit of effort (near the end: the
cheapest change that closes the gap), then each is trimmed to the smallest
amount that still reaches the band, and the plan is ranked by points added.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pipelines import fmt
from pipelines.kpi import derived
from pipelines.rating.evidence import EvidenceRecord, counts_for_year, evidence_status, unit_word
from pipelines.rating.measures import MEASURES, read_measure
from pipelines.rating.model import NOT_ASSESSED, Indicator, RatingModel
from pipelines.rating.scoring import RatingInputs, RatingResult, format_value, total_and_predikat

COST = {"verifikasi_bukti": 1, "unggah_bukti": 2, "data": 3, "nilai": 4}
DEFAULT_LIMITS = {"verification": 3, "response": 5, "resolution": 14}


@dataclass
class Change:
    """One proposed change, with the points it adds to the total."""

    lever: str  # e.g. "on_time_response_rate", "unggah:sk_tim_pengaduan"
    kind: str  # verifikasi_bukti | unggah_bukti | data | nilai
    indicator_ids: list[str]
    amount: float  # complaints, documents, OPD, channels, ratings, or working days
    description: str  # the sentence without the gain
    points: float  # gain in total points, in the plan's order
    detail: dict[str, Any] = field(default_factory=dict)  # machine-readable (what to apply)
    effort: float = 0.0  # relative effort (RatingModel.effort x amount), what the plan minimises

    @property
    def sentence(self) -> str:
        return f"{self.description}: {fmt.signed(self.points, 1)} poin"

    def to_dict(self) -> dict[str, Any]:
        return {**dataclasses.asdict(self), "sentence": self.sentence}


class Plan(list):
    """A list of Change, ranked by points, with the outcome of applying them all."""

    def __init__(self, changes: list[Change], *, target: str, reaches: bool, total_before: float | None,
                 total_after: float | None, predikat_before: str, predikat_after: str, note: str = ""):
        super().__init__(changes)
        self.target = target
        self.reaches = reaches
        self.total_before = total_before
        self.total_after = total_after
        self.predikat_before = predikat_before
        self.predikat_after = predikat_after
        self.note = note

    def to_dict(self) -> dict[str, Any]:
        return {
            "target": self.target, "reaches": self.reaches, "total_before": self.total_before,
            "total_after": self.total_after, "predikat_before": self.predikat_before,
            "predikat_after": self.predikat_after, "note": self.note, "changes": [c.to_dict() for c in self],
        }


@dataclass(frozen=True)
class _State:
    kpi: Mapping[str, Any]
    prev_kpi: Mapping[str, Any] | None
    evidence: tuple[EvidenceRecord, ...]


@dataclass
class _Lever:
    key: str
    kind: str
    indicator_ids: list[str]
    max_steps: int
    apply: Callable[[_State, int], _State]
    describe: Callable[[int], tuple[str, float, dict[str, Any]]]  # steps -> (sentence, amount, detail)
    effort_unit: str = "complaint"  # key of RatingModel.effort: what one step costs
    full_gain: float = 0.0

    @property
    def cost(self) -> int:
        return COST[self.kind]


# ----------------------------------------------------------------- evaluation


class _Evaluator:
    """Rescores changed inputs (numbers only), memoised by the state it is given."""

    def __init__(self, inputs: RatingInputs):
        self.inputs = inputs
        self.model = inputs.model

    def __call__(self, st: _State) -> tuple[float | None, str]:
        return total_and_predikat(self.model, st.kpi, year=self.inputs.year, prev_kpi=st.prev_kpi,
                                  evidence=st.evidence)

    def reaches(self, predikat: str, target: str) -> bool:
        return predikat != NOT_ASSESSED and self.model.band_rank(predikat) >= self.model.band_rank(target)


def _apply_all(base: _State, levers: list[_Lever], steps: list[int]) -> _State:
    st = base
    for lv, n in zip(levers, steps, strict=True):
        if n > 0:
            st = lv.apply(st, n)
    return st


def _total(t: float | None) -> float:
    return t or 0.0


# ----------------------------------------------------------------- levers on KPI counts


def _with(kpi: Mapping[str, Any], **changes: Any) -> dict[str, Any]:
    out = dict(kpi)
    out.update(changes)
    return out


def _indicators_using(model: RatingModel, kpi_key: str) -> list[Indicator]:
    return [i for i in model.indicators if i.data and i.data.kpi == kpi_key]


_RATE_TEXT = {
    "response_rate": "Tindak lanjuti {x} dari {avail} laporan yang belum ditanggapi",
    "resolution_rate": "Selesaikan {x} dari {avail} laporan yang belum selesai (utamakan yang sudah lewat batas waktu)",
    "on_time_verification_rate": "Verifikasi {x} dari {avail} laporan yang terlambat diverifikasi dalam {verification} hari kerja",
    "on_time_response_rate": "Tindak lanjuti {x} dari {avail} laporan yang lewat batas waktu dalam {response} hari kerja",
    "on_time_resolution_rate": ("Selesaikan {x} dari {avail} laporan yang lewat batas waktu penyelesaian dalam "
                                "batasnya, {resolution} hari kerja atau batas kategorinya"),
    "repeat_rate": "Cegah {x} dari {avail} pengaduan berulang dengan menuntaskan akar masalahnya",
    "backlog_overdue_share": "Selesaikan {x} dari {avail} tunggakan yang sudah lewat batas waktu",
}


def _count_lever(kpi_key: str, inputs: RatingInputs, limits: Mapping[str, int]) -> _Lever | None:
    """Levers that move a numerator (or a lower-is-better count) by whole complaints."""
    m = MEASURES[kpi_key]
    kpi = inputs.kpi
    mv = read_measure(kpi_key, kpi)
    if mv.numerator is None or mv.denominator is None or mv.denominator <= 0:
        return None
    num, den = int(mv.numerator), int(mv.denominator)
    # Only move counts that agree with the value the KPI engine reported.
    if mv.value is not None and abs(mv.value - derived.share(num, den)) > 1e-9:
        return None
    inds = _indicators_using(inputs.model, kpi_key)
    lower = kpi_key in ("repeat_rate", "backlog_overdue_share")
    avail = num if lower else den - num
    if avail <= 0:
        return None
    late_key = {"on_time_verification_rate": "verification_late", "on_time_response_rate": "response_late",
                "on_time_resolution_rate": "resolution_late"}.get(kpi_key)

    def rate_after(x: int) -> float | None:
        if kpi_key == "backlog_overdue_share":  # no backlog left: nothing overdue
            return derived.overdue_share({"backlog_overdue": num - x, "backlog_open": den - x}) or 0.0
        return derived.share(num - x, den) if lower else derived.share(num + x, den)

    def apply(st: _State, x: int) -> _State:
        k = st.kpi
        if kpi_key == "backlog_overdue_share":
            new = _with(k, backlog_overdue=int(k["backlog_overdue"]) - x, backlog_open=int(k["backlog_open"]) - x)
        else:
            n_now = int(k[m.numerator])
            new_num = n_now - x if lower else n_now + x
            d_now = sum(int(k[p]) for p in m.denominator)
            changes: dict[str, Any] = {m.numerator: new_num, m.value_key: derived.share(new_num, d_now)}
            if late_key:
                changes[late_key] = int(k[late_key]) - x
            new = _with(k, **changes)
        return dataclasses.replace(st, kpi=new)

    def describe(x: int) -> tuple[str, float, dict[str, Any]]:
        text = _RATE_TEXT[kpi_key].format(x=fmt.number(x), avail=fmt.number(avail), **limits)
        a, b = format_value(kpi_key, mv.value), format_value(kpi_key, rate_after(x))
        counts = ({"backlog_overdue": -x, "backlog_open": -x} if kpi_key == "backlog_overdue_share"
                  else {m.numerator: (-x if lower else x), **({late_key: -x} if late_key else {})})
        return (f"{text} ({m.label} {a} → {b})", float(x),
                {"kpi": kpi_key, "complaints": x, "of": avail, "from": mv.value, "to": rate_after(x),
                 "counts_changed": counts})

    return _Lever(kpi_key, "data", [i.id for i in inds], avail, apply, describe, "complaint")


def _days_lever(kpi_key: str, inputs: RatingInputs) -> _Lever | None:
    """A median/p90 in working days, lowered in steps of half a day."""
    mv = read_measure(kpi_key, inputs.kpi)
    inds = [i for i in _indicators_using(inputs.model, kpi_key) if i.data and i.data.direction == "lower"]
    if mv.value is None or not inds:
        return None
    best = min(i.data.target for i in inds if i.data)
    steps = math.ceil((mv.value - best) / 0.5 - 1e-9)
    if steps <= 0:
        return None
    cur = mv.value
    label = MEASURES[kpi_key].label

    def apply(st: _State, x: int) -> _State:
        return dataclasses.replace(st, kpi=_with(st.kpi, **{kpi_key: max(0.0, float(st.kpi[kpi_key]) - 0.5 * x)}))

    def describe(x: int) -> tuple[str, float, dict[str, Any]]:
        new = max(0.0, cur - 0.5 * x)
        return (f"Percepat penanganan sehingga {label} turun dari {fmt.days(cur)} menjadi {fmt.days(new)}",
                0.5 * x, {"kpi": kpi_key, "from": cur, "to": new})

    return _Lever(kpi_key, "nilai", [i.id for i in inds], steps, apply, describe, "half_day")


def _satisfaction_lever(inputs: RatingInputs) -> _Lever | None:
    mv = read_measure("satisfaction_mean", inputs.kpi)
    inds = [i for i in _indicators_using(inputs.model, "satisfaction_mean") if i.data and i.data.direction == "higher"]
    if mv.value is None or not mv.sample or not inds:
        return None
    m0, n0 = mv.value, int(mv.sample)
    goal = min(max(i.data.target for i in inds if i.data), 5.0)
    if m0 >= goal:
        return None
    steps = math.ceil(n0 * (goal - m0) / (5.0 - goal)) if goal < 5 else 10 * n0
    steps = max(1, min(steps, 100_000))

    def mean_after(x: int) -> float:
        return (m0 * n0 + 5.0 * x) / (n0 + x)

    def apply(st: _State, x: int) -> _State:
        m, n = float(st.kpi["satisfaction_mean"]), int(st.kpi["satisfaction_count"])
        return dataclasses.replace(st, kpi=_with(st.kpi, satisfaction_mean=(m * n + 5.0 * x) / (n + x),
                                                 satisfaction_count=n + x))

    def describe(x: int) -> tuple[str, float, dict[str, Any]]:
        return (f"Tingkatkan kepuasan pelapor: {fmt.number(x)} penilaian lagi bernilai 5 (sangat puas) menaikkan "
                f"rata-rata dari {fmt.number(m0, 2)} ke {fmt.number(mean_after(x), 2)} (kini {fmt.number(n0)} penilaian)",
                float(x), {"kpi": "satisfaction_mean", "ratings_of_5": x, "from": m0, "to": mean_after(x)})

    return _Lever("satisfaction_mean", "nilai", [i.id for i in inds], steps, apply, describe, "rating")


def _opd_lever(inputs: RatingInputs) -> _Lever | None:
    mv = read_measure("opd_answered_share", inputs.kpi)
    silent = list(mv.extra.get("opd_belum_menanggapi") or [])
    inds = _indicators_using(inputs.model, "opd_answered_share")
    if not silent or not inds:
        return None

    def apply(st: _State, x: int) -> _State:
        chosen = set(silent[:x])
        rows = [dict(r, responded=max(1, int(r.get("responded") or 0))) if r.get("department") in chosen else r
                for r in st.kpi.get("by_department") or []]
        return dataclasses.replace(st, kpi=_with(st.kpi, by_department=rows))

    def describe(x: int) -> tuple[str, float, dict[str, Any]]:
        names = silent[:x]
        return (f"Pastikan {fmt.number(x)} OPD yang belum menanggapi satu pun pengaduannya memberi tindak lanjut "
                f"({', '.join(names)})", float(x), {"kpi": "opd_answered_share", "departments": names})

    return _Lever("opd_answered_share", "data", [i.id for i in inds], len(silent), apply, describe, "department")


def _liaison_lever(inputs: RatingInputs) -> _Lever | None:
    """Name a liaison officer with a new SK for OPD that have none current (the officers' register)."""
    mv = read_measure("opd_liaison_share", inputs.kpi)
    missing = list(mv.extra.get("opd_tanpa_sk_berlaku") or [])
    inds = _indicators_using(inputs.model, "opd_liaison_share")
    if not missing or not inds:
        return None

    def apply(st: _State, x: int) -> _State:
        chosen = set(missing[:x])
        rows = [dict(r, has_officer=True, sk_current=True) if r.get("department") in chosen else r
                for r in st.kpi.get("officer_register") or []]
        return dataclasses.replace(st, kpi=_with(st.kpi, officer_register=rows))

    def describe(x: int) -> tuple[str, float, dict[str, Any]]:
        names = missing[:x]
        return (f"Tetapkan pejabat penghubung dengan SK baru untuk {fmt.number(x)} OPD ({', '.join(names)}) dan "
                "catat di register (`monev pejabat`)", float(x), {"kpi": "opd_liaison_share", "departments": names})

    return _Lever("opd_liaison_share", "data", [i.id for i in inds], len(missing), apply, describe, "department")


def _channel_lever(inputs: RatingInputs) -> _Lever | None:
    mv = read_measure("channels_in_recap", inputs.kpi)
    present = set(mv.extra.get("kanal") or [])
    missing = [c for c in inputs.channels if c not in present]
    inds = [i for i in _indicators_using(inputs.model, "channels_in_recap") if i.data and i.data.direction == "higher"]
    if not missing or not inds or mv.value is None:
        return None
    need = int(math.ceil(max(i.data.target for i in inds if i.data) - mv.value))
    steps = min(len(missing), max(need, 0))
    if steps <= 0:
        return None

    def apply(st: _State, x: int) -> _State:
        rows = list(st.kpi.get("by_channel") or []) + [{"channel": c, "received": 1} for c in missing[:x]]
        return dataclasses.replace(st, kpi=_with(st.kpi, by_channel=rows))

    def describe(x: int) -> tuple[str, float, dict[str, Any]]:
        return (f"Masukkan pengaduan dari {fmt.number(x)} kanal lagi ke rekap (mis. {', '.join(missing[:x])})",
                float(x), {"kpi": "channels_in_recap", "channels": missing[:x]})

    return _Lever("channels_in_recap", "data", [i.id for i in inds], steps, apply, describe, "channel")


# ----------------------------------------------------------------- levers on evidence


def _verify_lever(ind: Indicator, inputs: RatingInputs) -> _Lever | None:
    spec = ind.evidence
    assert spec is not None
    year = inputs.year
    ev = inputs.evidence
    verified = [r for r in ev if r.status == "diverifikasi" and r.file_ok and counts_for_year(ind, r, year)]
    pending = [r for r in ev if r.status == "diajukan" and r.file_ok and counts_for_year(ind, r, year)]
    if not pending:
        return None
    have_types = {r.doc_type for r in verified}
    have_dates = {r.doc_date for r in verified}
    # Verify first what adds the most: a missing required type, then a new event date.
    pending.sort(key=lambda r: (r.doc_type in have_types or r.doc_type not in spec.required_types,
                                spec.count == "events" and r.doc_date in have_dates, r.evidence_id))
    ids = [r.evidence_id for r in pending]

    def apply(st: _State, x: int) -> _State:
        chosen = set(ids[:x])
        return dataclasses.replace(st, evidence=tuple(
            dataclasses.replace(r, status="diverifikasi") if r.evidence_id in chosen else r for r in st.evidence))

    def describe(x: int) -> tuple[str, float, dict[str, Any]]:
        recs = pending[:x]
        if x == 1:
            r = recs[0]
            text = f"Verifikasi bukti yang sudah diajukan untuk '{ind.label}': {r.label} “{r.title}”"
        else:
            text = (f"Verifikasi {x} bukti yang sudah diajukan untuk '{ind.label}' "
                    f"({', '.join(r.label for r in recs)})")
        return text, float(x), {"indicator_id": ind.id, "evidence_ids": ids[:x]}

    return _Lever(f"verifikasi:{ind.id}", "verifikasi_bukti", [ind.id], len(ids), apply, describe,
                  "verify_document")


def _upload_lever(ind: Indicator, inputs: RatingInputs) -> _Lever | None:
    spec = ind.evidence
    assert spec is not None
    year = inputs.year
    verified = [r for r in inputs.evidence if r.status == "diverifikasi" and r.file_ok and counts_for_year(ind, r, year)]
    st = evidence_status(ind, verified, year)
    if st.score >= 100 - 1e-9:
        return None
    used_dates = {r.doc_date for r in verified}
    cursor = [dt.date(year, 6, 1)]

    def fresh_day() -> dt.date:
        while cursor[0] in used_dates:
            cursor[0] += dt.timedelta(days=1)
        used_dates.add(cursor[0])
        return cursor[0]

    new: list[EvidenceRecord] = []

    def add(dtype: str, day: dt.date) -> None:
        new.append(EvidenceRecord(
            evidence_id=-(len(new) + 1), indicator_id=ind.id, year=year, title=f"(usulan) {spec.document}",
            doc_type=dtype, doc_date=day, file_name="", file_ref="", sha256="", size_bytes=0, status="diverifikasi",
            recorded_at="",
        ))

    # Missing required types first (for events: together, as one complete new event), then more units.
    # (When enough events are already on record, the missing types complete the latest one.)
    if spec.count == "events" and st.missing_types:
        event_day = fresh_day() if st.units < spec.required_count else max(used_dates)
    else:
        event_day = dt.date(year, 6, 1)
    for t in st.missing_types:
        add(t, event_day)
    while evidence_status(ind, verified + new, year).score < 100 - 1e-9 and len(new) < 50:
        add((spec.required_types or spec.types)[0], fresh_day() if spec.count == "events" else dt.date(year, 6, 1))
    if not new:
        return None
    yr = f"tahun {year}" if spec.renew_each_year else f"yang berlaku pada {year}"
    units0 = st.units

    def apply(s: _State, x: int) -> _State:
        return dataclasses.replace(s, evidence=s.evidence + tuple(new[:x]))

    def describe(x: int) -> tuple[str, float, dict[str, Any]]:
        recs = new[:x]
        after = evidence_status(ind, verified + recs, year)
        added_units = min(after.units, spec.required_count) - min(units0, spec.required_count)
        added_types = [t for t in st.missing_types if t not in after.missing_types]
        word = unit_word(spec.count)
        if spec.required_count == 1 and spec.count == "documents" and not spec.required_types:
            text = f"Unggah {spec.document} {yr}"
        elif added_units:
            what = "bukti " if spec.count == "events" else ""
            more = " lagi" if units0 else ""
            text = f"Unggah {what}{fmt.number(added_units)} {word} {spec.document}{more} {yr}"
            if added_types:
                text += f" ({_and_list(added_types)})"
        else:
            text = f"Lengkapi bukti {spec.document} {yr} dengan {_and_list(added_types)}"
        return text, float(x), {
            "indicator_id": ind.id,
            "accepted_types": list(spec.types),
            "records": [{"indicator_id": ind.id, "year": year, "doc_type": r.doc_type,
                         "doc_date": r.doc_date.isoformat()} for r in recs],
        }

    return _Lever(f"unggah:{ind.id}", "unggah_bukti", [ind.id], len(new), apply, describe, "upload_document")


def _and_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} dan {items[-1]}"


def _levers(inputs: RatingInputs, limits: Mapping[str, int]) -> list[_Lever]:
    model = inputs.model
    out: list[_Lever] = []
    kpis = []
    for i in model.indicators:
        if i.data and i.data.kpi not in kpis:
            kpis.append(i.data.kpi)
    for k in kpis:
        unit = MEASURES[k].unit
        if k == "opd_answered_share":
            lv = _opd_lever(inputs)
        elif k == "channels_in_recap":
            lv = _channel_lever(inputs)
        elif k == "opd_liaison_share":
            lv = _liaison_lever(inputs)
        elif k == "satisfaction_mean":
            lv = _satisfaction_lever(inputs)
        elif unit == "days":
            lv = _days_lever(k, inputs)
        elif k in _RATE_TEXT:
            lv = _count_lever(k, inputs, limits)
        else:
            lv = None
        if lv:
            out.append(lv)
    for ind in model.evidence_indicators:
        for lv in (_verify_lever(ind, inputs), _upload_lever(ind, inputs)):
            if lv:
                out.append(lv)
    return out


# ----------------------------------------------------------------- search


def _min_steps(ok: Callable[[int], bool], hi: int) -> int:
    """The smallest n in 1..hi with ok(n), given ok(hi) and ok monotone."""
    lo = 1
    while lo < hi:
        mid = (lo + hi) // 2
        if ok(mid):
            hi = mid
        else:
            lo = mid + 1
    return hi


def _prepare(result: RatingResult, limits: Mapping[str, int] | None) -> tuple[_Evaluator, _State, list[_Lever], float]:
    if result.inputs is None:
        raise ValueError("Hasil penilaian ini tidak membawa masukannya; hitung ulang dengan rate_city/score_city.")
    inputs = result.inputs
    lim = {**DEFAULT_LIMITS, **inputs.limits, **(limits or {})}
    ev = _Evaluator(inputs)
    base = _State(inputs.kpi, inputs.prev_kpi, tuple(inputs.evidence))
    base_total = _total(ev(base)[0])
    levers = _levers(inputs, lim)
    for lv in levers:
        full = _total(ev(lv.apply(base, lv.max_steps))[0]) - base_total
        lv.full_gain = full
        if full > 1e-9:
            # The smallest amount that already gives the whole gain (more would add nothing).
            lv.max_steps = _min_steps(lambda n, lv=lv, full=full: _total(ev(lv.apply(base, n))[0]) - base_total
                                      >= full - 1e-9, lv.max_steps)
    return ev, base, levers, base_total


def improvement_options(result: RatingResult, *, limits: Mapping[str, int] | None = None) -> list[Change]:
    """Every single change on its own, at the amount that gives its whole gain, ranked by points."""
    _ev, _base, levers, _t = _prepare(result, limits)
    out = []
    for lv in levers:
        if lv.full_gain <= 1e-9:
            continue
        text, amount, detail = lv.describe(lv.max_steps)
        out.append(Change(lv.key, lv.kind, lv.indicator_ids, amount, text, lv.full_gain, detail,
                          lv.max_steps * dict(result.inputs.model.effort)[lv.effort_unit]))
    return sorted(out, key=lambda c: -c.points)


def _next_change(levers: list[_Lever], steps: dict[str, int], now: float,
                 evaluate: Callable[[dict[str, int]], tuple[float, bool]], unit_effort: Callable[[_Lever], float],
                 target_min: float) -> tuple[_Lever, int] | None:
    """The greedy step: the change with the most points per unit of effort, or (near the end) the
    cheapest single change that reaches the band; None when no change gains anything."""
    best = None  # (ratio, closes, -cost, gain, key, lever, n)
    closing = None  # (effort, cost, key, lever, n): the cheapest single change that reaches the band
    for lv in levers:
        c = steps[lv.key]
        if c >= lv.max_steps:
            continue
        cands = {c + 1, lv.max_steps}

        def with_n(n: int, lv: _Lever = lv) -> dict[str, int]:
            return {**steps, lv.key: n}

        if evaluate(with_n(lv.max_steps))[1]:
            cands.add(c + _min_steps(lambda m, lv=lv, c=c: evaluate(with_n(c + m, lv))[1], lv.max_steps - c))
        for n in sorted(cands):
            t, ok = evaluate(with_n(n))
            gain, cost = t - now, (n - c) * unit_effort(lv)
            if ok and (closing is None or (cost, lv.cost, lv.key) < closing[:3]):
                closing = (cost, lv.cost, lv.key, lv, n)
            if gain > 1e-9:
                # equal ratios (linear levers): rather the amount that just closes the gap, else the most
                cand = (round(gain / cost, 9), ok, -lv.cost, gain, lv.key, lv, n)
                if best is None or cand[:4] > best[:4] or (cand[:4] == best[:4] and cand[4] < best[4]):
                    best = cand
    if best and best[1]:
        return best[5], best[6]
    if closing and (best is None or closing[0] <= (target_min - now) / best[0] + 1e-9):
        return closing[3], closing[4]
    if best:
        return best[5], best[6]
    return None


def what_if(result: RatingResult, target_band: str, *, limits: Mapping[str, int] | None = None) -> Plan:
    """The smallest set of changes that lifts ``result`` into ``target_band``, ranked by points gained.

    Returns a Plan (a list of Change); ``plan.reaches`` is False when even every
    change together does not reach the band (the plan then lists them all).
    """
    if result.inputs is None:
        raise ValueError("Hasil penilaian ini tidak membawa masukannya; hitung ulang dengan rate_city/score_city.")
    model = result.inputs.model
    try:
        target = model.band(target_band)
    except KeyError:
        raise ValueError(f"Predikat '{target_band}' tidak ada di model; pilih: {', '.join(model.band_names)}.") from None
    ev, base, levers, base_total = _prepare(result, limits)
    t0, p0 = ev(base)
    if ev.reaches(p0, target.name):
        return Plan([], target=target.name, reaches=True, total_before=t0, total_after=t0, predikat_before=p0,
                    predikat_after=p0, note=f"Predikat saat ini ({p0}) sudah mencapai atau melampaui {target.name}.")
    effort = dict(model.effort)
    levers = sorted((lv for lv in levers if lv.full_gain > 1e-9 or lv.kind in ("verifikasi_bukti", "unggah_bukti")),
                    key=lambda lv: (lv.cost, -lv.full_gain, lv.key))
    steps = {lv.key: 0 for lv in levers}

    memo: dict[tuple[int, ...], tuple[float, bool]] = {}

    def evaluate(trial: dict[str, int]) -> tuple[float, bool]:
        key = tuple(trial[lv.key] for lv in levers)
        if key not in memo:
            t, p = ev(_apply_all(base, levers, list(key)))
            memo[key] = (_total(t), ev.reaches(p, target.name))
        return memo[key]

    def unit_effort(lv: _Lever) -> float:
        return effort[lv.effort_unit]

    # Greedy on points per unit of effort; near the end, the cheapest change that closes the gap.
    reached = False
    order: list[str] = []  # lever keys in the order they were taken
    for _ in range(500):
        now, reached = evaluate(steps)
        if reached:
            break
        pick = _next_change(levers, steps, now, evaluate, unit_effort, target.min)
        if pick is None:
            break
        steps[pick[0].key] = pick[1]
        if pick[0].key not in order:
            order.append(pick[0].key)
    if not reached:
        chosen = [lv for lv in levers if lv.full_gain > 1e-9]
        return _plan(ev, base, chosen, [lv.max_steps for lv in chosen], target.name, False, t0, p0, effort,
                     note=f"{target.name} tidak tercapai dengan semua perubahan yang mungkin menurut model ini.")
    # Trim: the dearest per unit first (then the last taken), each to the smallest amount that still
    # reaches the band.
    chosen = [lv for lv in levers if steps[lv.key] > 0]
    for lv in sorted(chosen, key=lambda lv: (-unit_effort(lv), -order.index(lv.key))):
        def ok(n: int, lv: _Lever = lv) -> bool:
            return evaluate({**steps, lv.key: n})[1]

        steps[lv.key] = 0 if ok(0) else _min_steps(ok, steps[lv.key])
    chosen = [lv for lv in chosen if steps[lv.key] > 0]
    return _plan(ev, base, chosen, [steps[lv.key] for lv in chosen], target.name, True, t0, p0, effort)


def _plan(ev: _Evaluator, base: _State, chosen: list[_Lever], steps: list[int], target: str, reaches: bool,
          t0: float | None, p0: str, effort: Mapping[str, float], note: str = "") -> Plan:
    base_total = _total(t0)
    alone = [(_total(ev(lv.apply(base, n))[0]) - base_total, lv, n) for lv, n in zip(chosen, steps, strict=True)]
    alone.sort(key=lambda t: (-t[0], t[1].cost, t[1].key))
    changes = []
    st, before = base, base_total
    for _g, lv, n in alone:
        st = lv.apply(st, n)
        after = _total(ev(st)[0])
        text, amount, detail = lv.describe(n)
        changes.append(Change(lv.key, lv.kind, lv.indicator_ids, amount, text, after - before, detail,
                              n * effort[lv.effort_unit]))
        before = after
    t1, p1 = ev(st)
    changes.sort(key=lambda c: -c.points)
    reached = reaches and ev.reaches(p1, target)
    if not note:
        note = ("Poin dihitung ulang dengan model yang sama dari KPI dan bukti dukung yang diubah; bukti baru "
                "dihitung setelah diverifikasi.")
    return Plan(changes, target=target, reaches=reached, total_before=t0, total_after=t1, predikat_before=p0,
                predikat_after=p1, note=note)
