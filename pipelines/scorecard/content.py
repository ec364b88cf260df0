"""The scorecard's content: every number, table and sentence of a rapor, gathered once.

``gather`` reads the KPI engine (``pipelines.kpi``) and the rating
(``pipelines.rating``) and returns a ``ScorecardData``; the PDF and XLSX
renderers only lay it out, so both files always say the same thing. Nothing
here recomputes a KPI: values are copied from ``compute`` and the frame
helpers, and formatted with ``pipelines.fmt`` (``cell_text``).

A batch (every OPD plus the city) shares the city-level queries through one
``CityContext``, so each OPD costs one filtered ``compute``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import duckdb

from pipelines import fmt
from pipelines.kpi import derived, rules_text
from pipelines.kpi.glossary import label as kpi_label
from pipelines.periods import COMPARISONS, DEFAULT_COMPARISON, Period, Window, comparison_window, parse_period
from pipelines.scorecard import marks

TITLE = "Rapor Kinerja Pengelolaan Pengaduan"
PDF_OVERDUE_LIMIT = 200  # rows of the overdue list printed in the PDF (the XLSX has them all)
PDF_CATEGORY_LIMIT = 10
TREND_MONTHS = 12
TZ = ZoneInfo("Asia/Jakarta")
ESTIMATE_NOTE = "Estimasi model, bukan nilai resmi Kemendagri"
ESTIMATE_NOTE_INLINE = "estimasi model, bukan nilai resmi Kemendagri"

SOURCE_LABELS = {"lapor": "SP4N-LAPOR!", "rekap": "Rekap kanal lokal", "open311": "Open311"}


class ScorecardError(ValueError):
    """A scorecard cannot be made for these inputs (message in Bahasa Indonesia)."""


# ----------------------------------------------------------------- tables


@dataclass(frozen=True)
class Column:
    """One column: header, value kind (how it is formatted), share of spare PDF width, where it shows."""

    header: str
    kind: str = "text"  # text | int | signed | rate | days | score | mean | date
    width: float = 1.0  # weight when the PDF hands out spare width (columns are sized to their content)
    pdf: bool = True
    xlsx: bool = True
    short: str | None = None  # a shorter header for the PDF (the XLSX shows ``header``)

    @property
    def pdf_header(self) -> str:
        return self.short or self.header


@dataclass
class Table:
    """A table both renderers lay out: raw values in ``rows``, formatting from the column kinds."""

    name: str  # XLSX sheet name
    title: str
    columns: list[Column]
    rows: list[list[Any]]
    note: str = ""  # a sentence under the table
    pdf_limit: int | None = None  # the PDF prints at most this many rows

    def pdf_columns(self) -> list[int]:
        return [i for i, c in enumerate(self.columns) if c.pdf]


def cell_text(kind: str, value: Any) -> str:
    """A raw value as the scorecard prints it (Indonesian formats, ``pipelines.fmt``)."""
    if value is None:
        return fmt.EMPTY
    if kind == "int":
        return fmt.number(value)
    if kind == "signed":
        return fmt.signed(value, 0)
    if kind == "rate":
        return fmt.percent(value)
    if kind == "days":
        return fmt.days(value)
    if kind in ("score", "mean1"):
        return fmt.number(value, 1)
    if kind == "mean":
        return fmt.number(value, 2)
    if kind == "date":
        return fmt.date_short(value)
    return str(value)


# ----------------------------------------------------------------- content


@dataclass
class Metric:
    """One headline KPI of the scope, with the previous period and its rating indicator score."""

    key: str
    label: str
    kind: str  # int | rate | days | mean
    value: float | int | None
    previous: float | int | None
    standard: str  # the SLA limit or model target, as text
    detail: str  # the counts behind the value
    score: float | None = None  # the rating indicator's score 0..100 (None: not an indicator / not scored)
    band: str | None = None  # the predikat band that score falls in

    @property
    def text(self) -> str:
        return cell_text(self.kind, self.value)

    @property
    def previous_text(self) -> str:
        return cell_text(self.kind, self.previous)


@dataclass
class RatingBlock:
    """The rating part of a scorecard: city (total, dimensions, indicators, what-if) or OPD (score, rank)."""

    scope: str  # kota | opd
    predikat: str
    score: float | None
    assessed: bool
    disclaimer: str
    model: str  # "name version"
    rank: int | None = None
    ranked: int = 0  # OPD with a rank (the league size)
    dimensions: Table | None = None
    indicators: Table | None = None
    target: str | None = None  # what-if target band
    plan: list[str] = field(default_factory=list)  # what-if sentences
    plan_note: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def score_text(self) -> str:
        return cell_text("score", self.score)


@dataclass
class ScorecardData:
    """Everything a scorecard shows. Built by ``gather``; laid out by ``pdf.build_pdf`` and ``xlsx.build_xlsx``."""

    scope: str  # kota | opd
    city: str
    pemda: str
    province: str
    unit: str  # the OPD's canonical name, or the city's name
    unit_short: str
    department: str | None
    title: str
    period: Period
    comparison: Comparison | None
    as_of: dt.date
    snapshot: dict[str, Any]
    generated_at: dt.datetime
    kpi: dict[str, Any]  # compute() for the scope, unchanged
    metrics: list[Metric]
    aging: list[tuple[str, int]]
    trend: list[dict[str, Any]]
    trend_title: str
    categories: Table
    overdue: Table
    overdue_total: int
    rating: RatingBlock
    departments: Table | None
    findings: list[str]
    recommendations: list[str]
    signoff: dict[str, str]
    notes: list[str]
    limits: dict[str, int]
    targets: dict[str, float] = field(default_factory=dict)  # model targets per KPI key (for charts)
    demo: bool = False  # made from demo data: DEMO on every PDF page and XLSX sheet (marks.decorate)
    area: Any = None  # the city's kelurahan map (marks.AreaMap) or None

    @property
    def on_time_steps(self) -> list[tuple[str, float | None, float | None]]:
        """(step, on-time rate, model target) for verification, response and resolution."""
        k, t = self.kpi, self.targets
        return [(name, k.get(f"on_time_{step}_rate"), t.get(f"on_time_{step}_rate")) for step, name in (
            ("verification", "Verifikasi"), ("response", "Tanggapan"), ("resolution", "Penyelesaian"))]

    @property
    def comparison_label(self) -> str:
        return self.comparison.label if self.comparison is not None else "Pembanding"

    @property
    def has_complaints(self) -> bool:
        return int(self.kpi["received"]) > 0

    @property
    def subtitle(self) -> str:
        return f"{self.unit} – {self.period.label}"

    @property
    def period_range(self) -> str:
        return fmt.date_long(self.period.start) + " – " + fmt.date_long(self.period.end)

    @property
    def generated_text(self) -> str:
        return generated_text(self.generated_at)

    @property
    def snapshot_id(self) -> str:
        return str(self.snapshot.get("snapshot_id") or fmt.EMPTY)

    @property
    def input_hash(self) -> str:
        return str(self.snapshot.get("input_hash") or fmt.EMPTY)

    def tables(self) -> list[Table]:
        """The underlying tables (one XLSX sheet each), in order."""
        out = [self.categories, self.overdue]
        if self.departments is not None:
            out.append(self.departments)
        if self.rating.dimensions is not None:
            out.append(self.rating.dimensions)
        if self.rating.indicators is not None:
            out.append(self.rating.indicators)
        return out


@dataclass(frozen=True)
class Comparison(Window):
    """The window the 'previous' column compares with, by the dashboard's rule
    (``pipelines.periods.comparison_window``), and which rule it was."""

    mode: str = DEFAULT_COMPARISON  # sebelumnya | tahun_lalu


def comparison_for(period: Period, as_of: dt.date, mode: str = DEFAULT_COMPARISON) -> Comparison | None:
    """The comparison window of ``period`` at ``as_of`` (None when the period starts after as-of)."""
    if mode not in COMPARISONS:
        raise ScorecardError(f"Pembanding '{mode}' tidak dikenal; pakai 'sebelumnya' atau 'tahun_lalu'.")
    w = comparison_window(period, as_of, mode)
    if w is None:
        return None
    return Comparison(w.period, w.date_from, w.date_to, w.as_of, w.label, w.note, mode)


def generated_text(t: dt.datetime) -> str:
    """'22 November 2026 09.15 WIB'."""
    return f"{fmt.date_long(t)} {t.strftime('%H.%M')} WIB"


def now_wib() -> dt.datetime:
    return dt.datetime.now(TZ).replace(tzinfo=None, microsecond=0)


# ----------------------------------------------------------------- city context


def _to_period(period: Period | str) -> Period:
    if isinstance(period, Period):
        return period
    try:
        return parse_period(str(period))
    except ValueError as exc:
        raise ScorecardError(str(exc)) from None


def _read_city_config(config_dir: str | Path | None) -> dict[str, Any]:
    import yaml

    from pipelines.settings import resolve_config_dir

    f = resolve_config_dir(config_dir) / "city.yaml"
    if not f.exists():
        return {}
    return yaml.safe_load(f.read_text(encoding="utf-8")) or {}


def _int(v: Any) -> int:
    return 0 if v is None else int(v)


@dataclass
class CityContext:
    """City-level numbers every scorecard of one period needs (computed once per batch)."""

    con: duckdb.DuckDBPyConnection
    period: Period
    as_of: dt.date
    kpi: dict[str, Any]
    comparison: Comparison | None
    prev_kpi: dict[str, Any] | None  # compute() for the comparison window
    model: Any  # RatingModel
    dept_ratings: dict[str, Any]  # name -> DepartmentRating
    departments: dict[str, str]  # canonical name -> short name (master data)
    overdue_rows: list[dict[str, Any]]  # every overdue complaint, oldest first
    trend_months: list[str]
    city_trend: list[dict[str, Any]]
    dept_trend: dict[str, list[dict[str, Any]]]
    city_cfg: dict[str, Any]
    city_name: str
    limits: dict[str, int]
    snapshot: dict[str, Any]
    _city_rating: Any = None

    def city_rating(self) -> Any:
        if self._city_rating is None:
            from pipelines.rating import rate_city

            self._city_rating = rate_city(
                self.con, self.period.end.year, period=self.period, model=self.model, as_of=self.as_of
            )
        return self._city_rating


def _trend_window(con: duckdb.DuckDBPyConnection, period: Period, as_of: dt.date) -> tuple[dt.date, dt.date]:
    """The months the trend chart shows: the 12 months up to the end of the period (the whole period
    when it is longer), not before the first complaint in the warehouse, not after the as-of date."""
    end = min(period.end, as_of)
    y, m = end.year, end.month - (TREND_MONTHS - 1)
    while m < 1:
        y, m = y - 1, m + 12
    start = min(dt.date(y, m, 1), period.start)
    first = con.cursor().execute("SELECT CAST(min(reported_at) AS DATE) FROM complaints").fetchone()[0]
    if first is not None and first > start:
        start = min(dt.date(first.year, first.month, 1), dt.date(period.start.year, period.start.month, 1))
    if end < start:
        end = start
    return start, end


def _trend_rows(df: Any, period: Period) -> list[dict[str, Any]]:
    out = []
    for r in df.iter_rows(named=True):
        mk = str(r["month_key"])
        first = dt.date(int(mk[:4]), int(mk[5:7]), 1)
        out.append({
            "month": mk,
            "label": fmt.month_label(mk, short=True),
            "received": _int(r["received"]),
            "in_scope": _int(r["in_scope"]),
            "responded": _int(r["responded"]),
            "resolved": _int(r["resolved"]),
            "in_period": period.start <= first <= period.end,
        })
    return out


def city_context(
    con: duckdb.DuckDBPyConnection,
    period: Period | str,
    *,
    as_of: dt.date | None = None,
    config_dir: str | Path | None = None,
    comparison: str = DEFAULT_COMPARISON,
) -> CityContext:
    """Run the city-level queries for ``period`` once (the KPI, the comparison window, OPD ratings,
    the overdue list, the trend) for every scorecard of that period. ``comparison``: 'sebelumnya'
    (the previous period) or 'tahun_lalu' (the same period last year), as on the dashboard."""
    from pipelines.kpi import (
        KpiError,
        by_month_frame,
        compute,
        department_by_month,
        overdue_list,
        resolve_as_of,
    )
    from pipelines.rating import load_model, score_departments

    p = _to_period(period)
    try:
        a = resolve_as_of(con, as_of)
        cmp = comparison_for(p, a, comparison)
        window = (cmp.date_from, cmp.date_to) if cmp is not None else None
        kpi = compute(con, p.start, p.end, as_of=a, previous=window)
        prev_kpi = compute(con, cmp.date_from, cmp.date_to, as_of=cmp.as_of) if cmp is not None else None
    except KpiError as exc:
        raise ScorecardError(str(exc)) from None
    model = load_model(config_dir=config_dir)
    ratings = {d.department: d for d in score_departments(model, kpi)}
    cur = con.cursor()
    departments = dict(cur.execute("SELECT department, short_name FROM departments ORDER BY department").fetchall())
    limits = {k: int(v) for k, v in cur.execute("SELECT step, limit_days FROM sla_limits").fetchall()}
    city_row = cur.execute("SELECT value FROM settings WHERE key = 'city_name'").fetchone()

    n_overdue = max(int(kpi["backlog_overdue"]), 1)
    od = overdue_list(con, as_of=a, limit=n_overdue + 1)
    overdue_rows = list(od.iter_rows(named=True))

    t_from, t_to = _trend_window(con, p, a)
    city_trend = _trend_rows(by_month_frame(con, t_from, t_to, as_of=a), p)
    dept_trend: dict[str, list[dict[str, Any]]] = {}
    dbm = department_by_month(con, t_from, t_to, as_of=a)
    for name in dbm["department"].unique().to_list():
        if name is not None:
            dept_trend[name] = _trend_rows(dbm.filter(dbm["department"] == name).sort("month"), p)

    cfg = _read_city_config(config_dir)
    city_name = (city_row[0] if city_row and city_row[0] else None) or cfg.get("name") or "Kota"
    return CityContext(
        con=con, period=p, as_of=a, kpi=kpi, comparison=cmp, prev_kpi=prev_kpi, model=model, dept_ratings=ratings,
        departments=departments, overdue_rows=overdue_rows, trend_months=[r["month"] for r in city_trend],
        city_trend=city_trend, dept_trend=dept_trend, city_cfg=cfg, city_name=city_name, limits=limits,
        snapshot=kpi.get("snapshot") or {},
    )


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
    ("backlog_open", "int"),
    ("satisfaction_mean", "mean"),
)


def _marked(detail: str, k: Mapping[str, Any], key: str) -> str:
    """The detail with the one "sampel kecil" mark (pipelines.kpi.derived) when the value rests on too few."""
    note = derived.small_sample_note(k, (key,), rules_text.min_sample(k))
    return f"{detail} · {note}" if note and detail else (note or detail)


def _metric_detail(key: str, k: Mapping[str, Any]) -> str:
    n = fmt.number
    if key == "received":
        return f"{n(k['in_scope'])} dalam cakupan, {n(k['excluded'])} dikecualikan"
    if key == "response_rate":
        return f"{n(k['responded'])} dari {n(k['in_scope'])} ditanggapi"
    if key == "resolution_rate":
        return f"{n(k['resolved'])} dari {n(k['in_scope'])} selesai"
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
         if _int((rows.get(c) or {}).get("received")) or _int((trend.get(c) or {}).get("received_previous"))},
        key=lambda c: (-_int((rows.get(c) or trend.get(c) or {}).get("received")),
                       -_int((trend.get(c) or {}).get("change")), str(c)),
    )
    out = []
    for c in names:
        r, t = rows.get(c) or {}, trend.get(c) or {}
        out.append([
            c if c is not None else "(tanpa kategori)",
            _int(r.get("received", t.get("received"))),
            _int(t.get("received_previous")),
            _int(t.get("change")),
            t.get("trend"),
            _int(r.get("in_scope")),
            r.get("on_time_response_rate"),
            r.get("resolution_rate"),
            _int(r.get("backlog_overdue")),
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


def _department_table(ctx: CityContext) -> Table:
    by_dept = {r["department"]: r for r in ctx.kpi.get("by_department") or []}
    ranked = sorted(ctx.dept_ratings.values(), key=lambda d: (d.rank is None, d.rank or 0, d.department))
    rows = []
    for d in ranked:
        r = by_dept.get(d.department) or {}
        rows.append([
            d.rank, d.department, _int(r.get("in_scope")), r.get("response_rate"), r.get("on_time_response_rate"),
            r.get("resolution_rate"), _int(r.get("backlog_overdue")), d.score, d.predikat,
            derived.small_sample_note(r, OPD_RATE_KEYS, rules_text.min_sample(ctx.kpi)) or None,
        ])
    n_ranked = sum(1 for d in ranked if d.rank is not None)
    rest = [row for row in rows if row[0] is None]
    note = f"{rules_text.rank_rule(ctx.kpi)} OPD dengan {rules_text.insufficient_text(ctx.kpi)} dan tanpa nilai"
    if rest:
        note += (f".\nData tidak cukup, {fmt.number(len(rest))} OPD (dalam cakupan / tunggakan lewat batas): "
                 + ", ".join(f"{row[1]} ({fmt.number(row[2])} / {fmt.number(row[6])})" for row in rest))
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
        rows=rows,
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
    from pipelines.rating import what_if

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
    from pipelines.kpi import KpiError, compute, normalize_filters
    from pipelines.scorecard.findings import findings_for, recommendations_for

    ctx = context or city_context(con, period, as_of=as_of, config_dir=config_dir, comparison=comparison)
    p = ctx.period
    cmp = ctx.comparison
    t = (generated_at or now_wib()).replace(microsecond=0)
    if t.tzinfo is not None:
        t = t.astimezone(TZ).replace(tzinfo=None)
    cfg = ctx.city_cfg

    if department is None:
        scope, unit, short = "kota", ctx.city_name, ctx.city_name
        k = ctx.kpi
        prev_row: Mapping[str, Any] | None = ctx.prev_kpi
        rating = _city_rating_block(ctx)
        result = ctx.city_rating()
        scores = _indicator_scores(result.indicators, ctx.model)
        trend = ctx.city_trend
        overdue_rows = ctx.overdue_rows
        departments = _department_table(ctx)
    else:
        try:
            names = normalize_filters(con, {"department": department})["department"]
        except ValueError as exc:
            raise ScorecardError(str(exc)) from None
        unit = names[0]
        short = ctx.departments.get(unit, unit)
        scope = "opd"
        try:
            k = compute(con, p.start, p.end, as_of=ctx.as_of, filters={"department": unit},
                        previous=(cmp.date_from, cmp.date_to) if cmp is not None else None)
        except KpiError as exc:
            raise ScorecardError(str(exc)) from None
        prev_row = None
        if ctx.prev_kpi is not None:
            prev_row = next((r for r in ctx.prev_kpi.get("by_department") or [] if r["department"] == unit), {})
        rating = _opd_rating_block(ctx, unit)
        d = ctx.dept_ratings.get(unit)
        scores = _indicator_scores(d.indicators, ctx.model) if d is not None else {}
        trend = ctx.dept_trend.get(unit) or [
            {**r, "received": 0, "in_scope": 0, "responded": 0, "resolved": 0} for r in ctx.city_trend
        ]
        overdue_rows = [r for r in ctx.overdue_rows if r["department"] == unit]
        departments = None

    aging = [(str(lab), int(v)) for lab, v in (k.get("backlog_aging") or {}).items()]
    months = ctx.trend_months
    trend_title = (f"Tren bulanan {fmt.month_label(months[0], short=True)} – {fmt.month_label(months[-1], short=True)}"
                   if months else "Tren bulanan")
    data = ScorecardData(
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
    )
    data.findings = findings_for(data, ctx)
    data.recommendations = recommendations_for(data, ctx)
    data.notes = _notes(data, ctx)
    marks.decorate(data, con, config_dir)
    return data


def _notes(data: ScorecardData, ctx: CityContext) -> list[str]:
    notes = []
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
