"""The scorecard's content: every number, table and sentence of a rapor, gathered once.

``gather`` takes the data (``data.py``: ``city_context`` and ``unit_kpi``) and fills the
content model (``model.py``); the findings and recommendations are written in
``findings.py``. The PDF and XLSX renderers only lay the result out, so both files always
say the same thing. Nothing here recomputes a KPI: values are copied from ``compute`` and
the frame helpers, and formatted with ``pipelines.fmt`` (``cell_text``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from pipelines import fmt
from pipelines.kpi import derived, rules_text
from pipelines.kpi.coverage import coverage_sentences, rate_denominator, undated_or_unknown
from pipelines.kpi.glossary import label as kpi_label
from pipelines.periods import DEFAULT_COMPARISON, Period
from pipelines.rating import what_if
from pipelines.scorecard import marks
from pipelines.scorecard.data import CityContext, as_count, city_context, resolve_department, unit_kpi
from pipelines.scorecard.findings import findings_for, recommendations_for
from pipelines.scorecard.model import (
    ESTIMATE_NOTE_INLINE,
    PDF_CATEGORY_LIMIT,
    PDF_OVERDUE_LIMIT,
    TITLE,
    TZ,
    Column,
    DepartmentRow,
    Metric,
    RatingBlock,
    ScorecardData,
    Table,
    now_wib,
)

SOURCE_LABELS = {"lapor": "SP4N-LAPOR!", "rekap": "Rekap kanal lokal", "open311": "Open311"}

# ----------------------------------------------------------------- pieces


METRIC_SPECS: tuple[tuple[str, str], ...] = (  # (compute key, kind)
    ("received", "int"),
    ("response_rate", "rate"),
    ("on_time_response_rate", "rate"),
    ("response_days_median", "days"),
    ("on_time_verification_rate", "rate"),
    ("resolution_rate", "rate"),
    ("on_time_resolution_rate", "rate"),
    ("resolution_days_median", "days"),
    ("reopen_rate", "rate"),
    ("backlog_open", "int"),
    ("satisfaction_mean", "mean"),
)


# the step whose dates a duration or on-time metric is made of (its coverage says how many are missing)
METRIC_STEP = {"on_time_response_rate": "response", "response_days_median": "response",
               "on_time_verification_rate": "verification", "on_time_resolution_rate": "resolution",
               "resolution_days_median": "resolution"}


def _marked(detail: str, k: Mapping[str, Any], key: str) -> str:
    """The detail with the one "sampel kecil" mark (pipelines.kpi.derived) when the value rests on too few."""
    note = derived.small_sample_note(k, (key,), rules_text.min_sample(k))
    return f"{detail} · {note}" if note and detail else (note or detail)


def _metric_detail(key: str, k: Mapping[str, Any]) -> str:
    detail = _metric_counts(key, k)
    missing = undated_or_unknown(k.get("coverage"), METRIC_STEP[key]) if key in METRIC_STEP else 0
    if missing:  # the full sentence is in the notes (coverage_sentences)
        detail += f"; {fmt.number(missing)} tanpa tanggal, tidak dinilai"
    return detail


def _metric_counts(key: str, k: Mapping[str, Any]) -> str:
    n = fmt.number
    if key == "received":
        return f"{n(k['in_scope'])} dalam cakupan, {n(k['excluded'])} dikecualikan"
    if key == "response_rate":
        return f"{n(k['responded'])} dari {n(rate_denominator(k, 'response'))} ditanggapi"
    if key == "resolution_rate":
        return f"{n(k['resolved'])} dari {n(rate_denominator(k, 'resolution'))} selesai"
    if key == "reopen_rate":
        return f"{n(k.get('reopened') or 0)} dari {n(k['resolved'])} selesai dibuka kembali"
    for step in ("verification", "response", "resolution"):
        if key == f"on_time_{step}_rate":
            return f"{n(k[step + '_on_time'])} tepat, {n(k[step + '_late'])} terlambat"
    if key == "response_days_median":
        return f"persentil 90: {fmt.days(k['response_days_p90'])}"
    if key == "resolution_days_median":
        return f"persentil 90: {fmt.days(k['resolution_days_p90'])}"
    if key == "backlog_open":
        return f"{n(k['backlog_overdue'])} lewat batas (semua periode, per {fmt.date_long(k['period']['as_of'])})"
    if key == "satisfaction_mean":
        return f"dari 5, {n(k['satisfaction_count'])} penilaian"
    return ""


def _metric_standard(key: str, limits: Mapping[str, int], targets: Mapping[str, float]) -> str:
    lim = {
        "on_time_response_rate": ("response", "≤ {} HK"),
        "response_days_median": ("response", "batas {} HK"),
        "on_time_verification_rate": ("verification", "≤ {} HK"),
        "on_time_resolution_rate": ("resolution", "≤ {} HK*"),
        "resolution_days_median": ("resolution", "batas {} HK*"),
    }
    parts = []
    if key in lim:
        step, pattern = lim[key]
        if step in limits:
            parts.append(pattern.format(limits[step]))
    if key in targets and key.endswith("_rate"):
        parts.append(f"target {fmt.percent(targets[key], 0)}")
    return "; ".join(parts)


def _model_targets(model: Any) -> dict[str, float]:
    out = {}
    for ind in model.indicators:
        if ind.data is not None and not ind.data.compare:
            out.setdefault(ind.data.kpi, ind.data.target)
    return out


def _metrics(
    k: Mapping[str, Any], prev: Mapping[str, Any] | None, limits: Mapping[str, int], model: Any,
    scores: Mapping[str, float | None],
) -> list[Metric]:
    targets = _model_targets(model)
    out = []
    for key, kind in METRIC_SPECS:
        pv = None
        if key != "backlog_open" and prev is not None:  # a stock at the as-of date has no previous value
            pv = prev.get(key)
            if pv is None and kind == "int":
                pv = 0
        score = scores.get(key)
        out.append(Metric(
            key=key, label=kpi_label(key), kind=kind, value=k.get(key), previous=pv,
            standard=_metric_standard(key, limits, targets), detail=_marked(_metric_detail(key, k), k, key),
            score=score, band=model.band_for(score) if score is not None else None,
        ))
    return out


def _indicator_scores(indicators: Sequence[Any], model: Any) -> dict[str, float | None]:
    """KPI key -> score of the rating indicator that reads it (year-on-year indicators left out)."""
    out: dict[str, float | None] = {}
    for i in indicators:
        spec = model.indicator(i.id).data
        if spec is None or spec.compare or i.kpi in out:
            continue
        out[i.kpi] = i.score
    # the backlog indicator reads backlog_overdue / backlog_open: show it beside the backlog
    if "backlog_overdue_share" in out:
        out["backlog_open"] = out.pop("backlog_overdue_share")
    return out


def _categories(k: Mapping[str, Any], prev_label: str) -> Table:
    trend = {r["category"]: r for r in k.get("category_trend") or []}
    rows = {r["category"]: r for r in k.get("by_category") or []}
    # categories with complaints in this or the previous period (by_category also lists backlog-only ones)
    names = sorted(
        {c for c in set(trend) | set(rows)
         if as_count((rows.get(c) or {}).get("received")) or as_count((trend.get(c) or {}).get("received_previous"))},
        key=lambda c: (-as_count((rows.get(c) or trend.get(c) or {}).get("received")),
                       -as_count((trend.get(c) or {}).get("change")), str(c)),
    )
    out = []
    for c in names:
        r, t = rows.get(c) or {}, trend.get(c) or {}
        out.append([
            c if c is not None else "(tanpa kategori)",
            as_count(r.get("received", t.get("received"))),
            as_count(t.get("received_previous")),
            as_count(t.get("change")),
            t.get("trend"),
            as_count(r.get("in_scope")),
            r.get("on_time_response_rate"),
            r.get("resolution_rate"),
            as_count(r.get("backlog_overdue")),
        ])
    return Table(
        name="Kategori",
        title="Kategori pengaduan",
        columns=[
            Column("Kategori", "text", 1.0),
            Column("Masuk", "int", 0.0),
            Column(prev_label, "int", 0.0),
            Column("Perubahan", "signed", 0.0),
            Column("Tren", "text", 0.0),
            Column("Dalam cakupan", "int", 1.0, pdf=False),
            Column(kpi_label("on_time_response_rate"), "rate", 0.0, short="Tanggapan tepat waktu"),
            Column(kpi_label("resolution_rate"), "rate", 0.0, short="Selesai"),
            Column("Tunggakan lewat batas", "int", 1.1, pdf=False),
        ],
        rows=out,
        pdf_limit=PDF_CATEGORY_LIMIT,
    )


def _overdue(rows: Sequence[Mapping[str, Any]], with_department: bool, short: Mapping[str, str]) -> Table:
    cols = [
        Column("No", "int", 0.0),
        Column("ID laporan", "text", 0.5),
        Column("Kanal", "text", 1.0, pdf=not with_department),
        Column("Tanggal lapor", "date", 0.0),
    ]
    if with_department:
        cols += [Column("OPD", "text", 1.0, pdf=False), Column("OPD", "text", 1.0, xlsx=False)]
    cols += [
        Column("Kategori", "text", 2.0),
        Column("Status", "text", 1.0),
        Column("Umur (HK)", "int", 0.0),
        Column("Batas (HK)", "int", 0.0, pdf=not with_department),
        Column("Jatuh tempo", "date", 0.0),
        Column("Sumber", "text", 1.0, pdf=False),
        Column("Judul (disamarkan)", "text", 3.0, pdf=False),
    ]
    out = []
    for i, r in enumerate(rows, start=1):
        row: list[Any] = [i, r["source_id"], r["channel"], r["reported_at"].date() if r["reported_at"] else None]
        if with_department:
            dept = r["department"]
            row += [dept or "(belum didisposisi)", short.get(dept, dept) if dept else "(belum didisposisi)"]
        row += [
            r["category"], r["status_label"] or r["status"], r["age_days"], r["resolution_limit"],
            r["resolution_due_date"], SOURCE_LABELS.get(r["source_system"], r["source_system"]),
            r["title"] if not r["is_confidential"] else "(rahasia)",
        ]
        out.append(row)
    n = len(out)
    note = ""
    if n > PDF_OVERDUE_LIMIT:
        note = (f"Ditampilkan {fmt.number(PDF_OVERDUE_LIMIT)} pengaduan tertua dari {fmt.number(n)}; "
                "daftar lengkap ada di berkas Excel rapor ini (lembar 'Lewat Batas').")
    return Table(
        name="Lewat Batas",
        title="Pengaduan terbuka yang lewat batas waktu penyelesaian",
        columns=cols,
        rows=out,
        note=note,
        pdf_limit=PDF_OVERDUE_LIMIT,
    )


OPD_RATE_KEYS = ("response_rate", "on_time_response_rate", "resolution_rate")


def _league(ctx: CityContext) -> list[DepartmentRow]:
    """Every rated OPD, ranked ones first (by rank), then the ones with too little data (by name)."""
    by_dept = {r["department"]: r for r in ctx.kpi.get("by_department") or []}
    ranked = sorted(ctx.dept_ratings.values(), key=lambda d: (d.rank is None, d.rank or 0, d.department))
    out = []
    for d in ranked:
        r = by_dept.get(d.department) or {}
        out.append(DepartmentRow(
            rank=d.rank, department=d.department, in_scope=as_count(r.get("in_scope")),
            response_rate=r.get("response_rate"), on_time_response_rate=r.get("on_time_response_rate"),
            resolution_rate=r.get("resolution_rate"), backlog_overdue=as_count(r.get("backlog_overdue")),
            score=d.score, predikat=d.predikat,
            note=derived.small_sample_note(r, OPD_RATE_KEYS, rules_text.min_sample(ctx.kpi)) or None,
        ))
    return out


def _league_table(ctx: CityContext, league: Sequence[DepartmentRow]) -> Table:
    n_ranked = sum(1 for d in league if d.rank is not None)
    rest = [d for d in league if d.rank is None]
    note = f"{rules_text.rank_rule(ctx.kpi)} OPD dengan {rules_text.insufficient_text(ctx.kpi)} dan tanpa nilai"
    if rest:
        note += (f".\nData tidak cukup, {fmt.number(len(rest))} OPD (dalam cakupan / tunggakan lewat batas): "
                 + ", ".join(f"{d.department} ({fmt.number(d.in_scope)} / {fmt.number(d.backlog_overdue)})"
                             for d in rest))
    note += (".\nDitanggapi = tingkat tanggapan, Tepat waktu = tanggapan tepat waktu, Selesai = tingkat "
             "penyelesaian, Lewat batas = tunggakan lewat batas (per tanggal data). Nilai OPD: indikator Output "
             f"model penilaian ({ESTIMATE_NOTE_INLINE}). Catatan: {rules_text.small_sample_text(ctx.kpi)}.")
    return Table(
        name="OPD",
        title="Peringkat OPD dan nilai model",
        columns=[
            Column("Peringkat", "int", 0.0, short="#"),
            Column("OPD", "text", 4.0),
            Column("Dalam cakupan", "int", 0.0, short="Cakupan"),
            Column(kpi_label("response_rate"), "rate", 0.0, short="Ditanggapi"),
            Column(kpi_label("on_time_response_rate"), "rate", 0.0, short="Tepat waktu"),
            Column(kpi_label("resolution_rate"), "rate", 0.0, short="Selesai"),
            Column(kpi_label("backlog_overdue"), "int", 0.0, short="Lewat batas"),
            Column("Nilai", "score", 0.0),
            Column("Predikat", "text", 0.3),
            Column("Catatan", "text", 0.6),
        ],
        rows=[d.cells() for d in league],
        note=note,
        pdf_limit=n_ranked,
    )


def _indicator_rows(indicators: Sequence[Any], with_dimension: bool, dim_labels: Mapping[str, str]) -> list[list]:
    rows = []
    for i in indicators:
        row = [dim_labels.get(i.dimension, i.dimension)] if with_dimension else []
        row += [i.label, "data" if i.source == "data" else "bukti dukung", i.value_text, i.score,
                i.points if i.score is not None else None, i.status, i.explanation]
        rows.append(row)
    return rows


def _indicator_columns(with_dimension: bool) -> list[Column]:
    cols = [Column("Dimensi", "text", 1.0)] if with_dimension else []
    return cols + [
        Column("Indikator", "text", 3.0),
        Column("Sumber", "text", 0.0),
        Column("Nilai data", "text", 1.0),
        Column("Skor (0–100)", "score", 0.0),
        Column("Poin", "score", 0.0),
        Column("Status", "text", 1.3, pdf=False),
        Column("Penjelasan", "text", 5.0, pdf=False),
    ]


def _model_name(name: str, version: str) -> str:
    return f"{name}, versi {version}" if version else name


def _next_band(result: Any, model: Any) -> str | None:
    """The what-if target: one band up; when not assessed, the band the score would have."""
    if result.total is None:
        return None
    if not result.assessed:
        return model.band_for(result.total)
    names = [b.name for b in reversed(model.bands)]  # lowest first
    i = names.index(result.predikat) if result.predikat in names else -1
    return names[i + 1] if 0 <= i < len(names) - 1 else None


def _city_rating_block(ctx: CityContext) -> RatingBlock:
    r = ctx.city_rating()
    dim_labels = {d.id: d.label for d in r.dimensions}
    dims = Table(
        name="Penilaian Dimensi",
        title="Nilai per dimensi",
        columns=[Column("Dimensi", "text", 2.0), Column("Bobot", "score", 0.8),
                 Column("Skor (0–100)", "score", 1.0), Column("Poin", "score", 0.8)],
        rows=[[d.label, d.weight, d.score, d.points if d.score is not None else None] for d in r.dimensions]
        + [["Total", sum(d.weight for d in r.dimensions), None, r.total]],
    )
    inds = Table(
        name="Penilaian Indikator",
        title="Nilai per indikator",
        columns=_indicator_columns(True),
        rows=_indicator_rows(r.indicators, True, dim_labels),
        note=f"Bukti dukung dibaca dari {r.evidence_source}. {r.disclaimer}.",
    )
    target = _next_band(r, ctx.model)
    plan_lines: list[str] = []
    plan_note = ""
    if target:
        try:
            plan = what_if(r, target)
        except ValueError:
            plan = None
        if plan is not None:
            plan_lines = [c.sentence for c in plan]
            if not plan.reaches:
                plan_note = plan.note or f"Predikat {target} belum tercapai dengan perubahan yang tersedia."
    return RatingBlock(
        scope="kota", predikat=r.predikat, score=r.total, assessed=r.assessed, disclaimer=r.disclaimer,
        model=_model_name(r.model.get("name", ""), r.model.get("version", "")), dimensions=dims,
        indicators=inds, target=target, plan=plan_lines, plan_note=plan_note, notes=list(r.notes),
    )


def _opd_rating_block(ctx: CityContext, department: str) -> RatingBlock:
    d = ctx.dept_ratings.get(department)
    ranked = sum(1 for x in ctx.dept_ratings.values() if x.rank is not None)
    model = ctx.model
    model_name = _model_name(model.name, model.version)
    if d is None:
        return RatingBlock(scope="opd", predikat="data tidak cukup", score=None, assessed=False,
                           disclaimer=model.disclaimer, model=model_name, ranked=ranked)
    inds = Table(
        name="Penilaian OPD",
        title="Nilai OPD per indikator",
        columns=_indicator_columns(False),
        rows=_indicator_rows(d.indicators, False, {}),
        note=f"Indikator Output model penilaian. {model.disclaimer}.",
    )
    return RatingBlock(
        scope="opd", predikat=d.predikat, score=d.score, assessed=not d.insufficient_data,
        disclaimer=d.disclaimer, model=model_name, rank=d.rank, ranked=ranked,
        indicators=inds if d.indicators else None,
    )


def _signoff(cfg: Mapping[str, Any], generated_at: dt.datetime) -> dict[str, str]:
    s = dict(cfg.get("signoff") or {})
    dots = "." * 40
    return {
        "place": str(s.get("place") or cfg.get("name") or ""),
        "date": fmt.date_long(generated_at),
        "title": str(s.get("title") or ""),
        "name": str(s.get("name") or dots),
        "nip": str(s.get("nip") or dots),
    }


# ----------------------------------------------------------------- gather


@dataclass
class _Unit:
    """The parts of a scorecard that depend on whose it is (the city's or one OPD's)."""

    scope: str  # kota | opd
    unit: str
    short: str
    kpi: dict[str, Any]
    prev_row: Mapping[str, Any] | None
    rating: RatingBlock
    scores: dict[str, float | None]
    trend: list[dict[str, Any]]
    overdue_rows: list[dict[str, Any]]
    league: list[DepartmentRow] = field(default_factory=list)


def _city_unit(ctx: CityContext) -> _Unit:
    return _Unit(
        scope="kota", unit=ctx.city_name, short=ctx.city_name, kpi=ctx.kpi, prev_row=ctx.prev_kpi,
        rating=_city_rating_block(ctx), scores=_indicator_scores(ctx.city_rating().indicators, ctx.model),
        trend=ctx.city_trend, overdue_rows=ctx.overdue_rows, league=_league(ctx),
    )


def _opd_unit(con: duckdb.DuckDBPyConnection, ctx: CityContext, department: str) -> _Unit:
    unit = resolve_department(con, department)
    k, prev_row = unit_kpi(con, ctx, unit)
    d = ctx.dept_ratings.get(unit)
    trend = ctx.dept_trend.get(unit) or [
        {**r, "received": 0, "in_scope": 0, "responded": 0, "resolved": 0} for r in ctx.city_trend
    ]
    return _Unit(
        scope="opd", unit=unit, short=ctx.departments.get(unit, unit), kpi=k, prev_row=prev_row,
        rating=_opd_rating_block(ctx, unit),
        scores=_indicator_scores(d.indicators, ctx.model) if d is not None else {},
        trend=trend, overdue_rows=[r for r in ctx.overdue_rows if r["department"] == unit],
    )


def gather(
    con: duckdb.DuckDBPyConnection,
    period: Period | str,
    department: str | None = None,
    *,
    generated_at: dt.datetime | None = None,
    context: CityContext | None = None,
    as_of: dt.date | None = None,
    config_dir: str | Path | None = None,
    comparison: str = DEFAULT_COMPARISON,
) -> ScorecardData:
    """Every number and sentence of one scorecard: the city's (``department=None``) or one OPD's.

    ``department`` may be a canonical name or a known alias. Pass ``context`` (``city_context``)
    when making several scorecards of one period; ``comparison`` ('sebelumnya' or 'tahun_lalu')
    chooses the comparison column, as on the dashboard."""
    ctx = context or city_context(con, period, as_of=as_of, config_dir=config_dir, comparison=comparison)
    t = (generated_at or now_wib()).replace(microsecond=0)
    if t.tzinfo is not None:
        t = t.astimezone(TZ).replace(tzinfo=None)
    u = _city_unit(ctx) if department is None else _opd_unit(con, ctx, department)
    data = _assemble(ctx, u, t)
    data.findings = findings_for(data, ctx)
    data.recommendations = recommendations_for(data, ctx)
    data.notes = _notes(data, ctx)
    marks.decorate(data, con, config_dir)
    return data


def _assemble(ctx: CityContext, u: _Unit, t: dt.datetime) -> ScorecardData:
    """The scorecard without its sentences (findings, recommendations, notes come after)."""
    p, cmp, cfg = ctx.period, ctx.comparison, ctx.city_cfg
    scope, unit, short, k, prev_row = u.scope, u.unit, u.short, u.kpi, u.prev_row
    rating, scores, trend, overdue_rows = u.rating, u.scores, u.trend, u.overdue_rows
    departments = _league_table(ctx, u.league) if scope == "kota" else None
    aging = [(str(lab), int(v)) for lab, v in (k.get("backlog_aging") or {}).items()]
    months = ctx.trend_months
    trend_title = (f"Tren bulanan {fmt.month_label(months[0], short=True)} – {fmt.month_label(months[-1], short=True)}"
                   if months else "Tren bulanan")
    return ScorecardData(
        scope=scope,
        city=ctx.city_name,
        pemda=str(cfg.get("pemda") or f"Pemerintah {ctx.city_name}"),
        province=str(cfg.get("province") or ""),
        unit=unit,
        unit_short=short,
        department=None if scope == "kota" else unit,
        title=f"{TITLE} – {unit} – {p.label}",
        period=p,
        comparison=cmp,
        as_of=ctx.as_of,
        snapshot=dict(ctx.snapshot),
        generated_at=t,
        kpi=k,
        metrics=_metrics(k, prev_row, ctx.limits, ctx.model, scores),
        aging=aging,
        trend=trend,
        trend_title=trend_title,
        categories=_categories(k, cmp.label if cmp is not None else "Pembanding"),
        overdue=_overdue(overdue_rows, with_department=scope == "kota", short=ctx.departments),
        overdue_total=len(overdue_rows),
        rating=rating,
        departments=departments,
        findings=[],
        recommendations=[],
        signoff=_signoff(cfg, t),
        notes=[],
        limits=dict(ctx.limits),
        targets=_model_targets(ctx.model),
        league=list(u.league),
    )


def _notes(data: ScorecardData, ctx: CityContext) -> list[str]:
    # what part of the durations and on-time rates is unknown, in words (pipelines.kpi.coverage)
    notes = [f"Tanggal tidak tercatat. {s}" for s in coverage_sentences(data.kpi.get("coverage"))]
    if data.period.end > data.as_of:
        notes.append(
            f"Periode belum selesai pada tanggal data ({fmt.date_long(data.as_of)}): angka periode ini "
            "masih dapat berubah."
        )
    if data.period.start > data.as_of:
        notes.append("Periode dimulai sesudah tanggal data: belum ada pengaduan yang dapat dihitung.")
    if data.comparison is not None:
        c = data.comparison
        what = "periode sebelumnya" if c.mode == "sebelumnya" else "periode yang sama tahun lalu"
        notes.append(f"Kolom pembanding: {what}, {c.label}, {c.note}.")
    if rules_text.resolution_limit_text(data.kpi):  # every rule sentence from the settings in force
        notes.append("* " + rules_text.resolution_limit_text(data.kpi))
    notes.append(f"{rules_text.working_days_text(data.kpi)}. {rules_text.duplicates_text(data.kpi)} "
                 "Definisi setiap angka: halaman Glosarium di dasbor.")
    notes.append(f"Nilai dan predikat: {data.rating.disclaimer} ({data.rating.model}).")
    return notes
