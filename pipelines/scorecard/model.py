"""The scorecard's content model: the named pieces a rapor is made of (metrics, tables, the
rating block, the OPD league), as dataclasses both renderers lay out.

Nothing here queries or computes: ``data.py`` runs the queries, ``content.py`` fills these
types with numbers and sentences, ``pdf.py`` and ``xlsx.py`` render them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import astuple, dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from pipelines import fmt
from pipelines.geo import Boundaries
from pipelines.periods import COMPARISONS, DEFAULT_COMPARISON, Period, Window, comparison_window

TITLE = "Rapor Kinerja Pengelolaan Pengaduan"
PDF_OVERDUE_LIMIT = 200  # rows of the overdue list printed in the PDF (the XLSX has them all)
PDF_CATEGORY_LIMIT = 10
TZ = ZoneInfo("Asia/Jakarta")
ESTIMATE_NOTE_INLINE = "estimasi model, bukan nilai resmi Kemendagri"


DEMO_TEXT = "DEMO – data rekaan untuk uji coba, bukan data pengaduan sebenarnya"


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



@dataclass(frozen=True)
class AreaMap:
    """A map of the city's kelurahan coloured by a value (complaints received)."""

    title: str
    label: str
    values: dict[str, float | None]  # kelurahan -> complaints received (the KPI engine's by_kelurahan)
    boundaries: Boundaries


@dataclass
class DepartmentRow:
    """One OPD of the city's league table (the 'OPD' sheet), by name."""

    rank: int | None
    department: str
    in_scope: int
    response_rate: float | None
    on_time_response_rate: float | None
    resolution_rate: float | None
    backlog_overdue: int
    score: float | None
    predikat: str
    note: str | None = None  # the one "sampel kecil" mark (pipelines.kpi.derived.small_sample_note)

    def cells(self) -> list[Any]:
        """The row as the league table lists it (columns of ``content.league_table``)."""
        return list(astuple(self))


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
    departments: Table | None  # the league as a table (city scorecard only)
    findings: list[str]
    recommendations: list[str]
    signoff: dict[str, str]
    notes: list[str]
    limits: dict[str, int]
    targets: dict[str, float] = field(default_factory=dict)  # model targets per KPI key (for charts)
    league: list[DepartmentRow] = field(default_factory=list)  # every OPD, ranked first (city scorecard only)
    demo: bool = False  # made from demo data: DEMO on every PDF page and XLSX sheet (marks.decorate)
    area: AreaMap | None = None  # the city's kelurahan map, or None

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
