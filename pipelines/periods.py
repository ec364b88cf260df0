"""Reporting periods: parse the period strings used by every command and screen.

    2025                     tahun       "Tahun 2025"
    2025-S1, 2025-S2         semester    "Semester I 2025"
    2025-Q3 (or 2025-T3)     triwulan    "Triwulan III 2025"
    2025-07                  bulan       "Juli 2025"
    2025-07-01..2025-09-30   kustom      "1 Juli – 30 September 2025"

A custom range that is exactly a calendar year, semester, quarter or month is
that period (``2025-07-01..2025-07-31`` is "Juli 2025"), so its previous period
is the previous month, not the previous 31 days.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from pipelines.fmt import BULAN, date_long

KINDS = ("tahun", "semester", "triwulan", "bulan", "kustom")
ROMAN = ("I", "II", "III", "IV")
FORMATS_HELP = (
    "2025 (tahun), 2025-S1 / 2025-S2 (semester), 2025-Q3 (triwulan), 2025-07 (bulan), "
    "atau 2025-07-01..2025-09-30 (rentang tanggal)"
)


class PeriodError(ValueError):
    """A period string or range that cannot be understood."""


def _month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def _shift_year(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


@dataclass(frozen=True)
class Period:
    """An inclusive range of dates with its kind and Indonesian label."""

    start: dt.date
    end: dt.date
    kind: str
    label: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def key(self) -> str:
        """The canonical period string (parse(p.key) == p)."""
        s = self.start
        if self.kind == "tahun":
            return f"{s.year}"
        if self.kind == "semester":
            return f"{s.year}-S{(s.month - 1) // 6 + 1}"
        if self.kind == "triwulan":
            return f"{s.year}-Q{(s.month - 1) // 3 + 1}"
        if self.kind == "bulan":
            return f"{s.year}-{s.month:02d}"
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    # -- constructors ------------------------------------------------------
    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31), "tahun", f"Tahun {year}")

    @classmethod
    def semester(cls, year: int, half: int) -> Period:
        if half not in (1, 2):
            raise PeriodError(f"Semester {half} tidak ada; gunakan S1 atau S2.")
        m = 1 if half == 1 else 7
        return cls(dt.date(year, m, 1), _month_end(year, m + 5), "semester", f"Semester {ROMAN[half - 1]} {year}")

    @classmethod
    def quarter(cls, year: int, q: int) -> Period:
        if q not in (1, 2, 3, 4):
            raise PeriodError(f"Triwulan {q} tidak ada; gunakan Q1 sampai Q4.")
        m = 3 * (q - 1) + 1
        return cls(dt.date(year, m, 1), _month_end(year, m + 2), "triwulan", f"Triwulan {ROMAN[q - 1]} {year}")

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        if not 1 <= month <= 12:
            raise PeriodError(f"Bulan {month} tidak ada; gunakan 01 sampai 12.")
        return cls(dt.date(year, month, 1), _month_end(year, month), "bulan", f"{BULAN[month - 1]} {year}")

    @classmethod
    def custom(cls, start: dt.date, end: dt.date) -> Period:
        if end < start:
            raise PeriodError(
                f"Rentang tanggal terbalik: {start.isoformat()} sesudah {end.isoformat()}; "
                "tulis tanggal awal lebih dulu."
            )
        return cls(start, end, "kustom", range_label(start, end))

    @classmethod
    def from_dates(cls, start: dt.date, end: dt.date) -> Period:
        """The period [start, end]: a year, semester, quarter or month when it is exactly one."""
        if end < start:
            return cls.custom(start, end)  # raises
        if start.day == 1 and end == _month_end(end.year, end.month) and start.year == end.year:
            months = end.month - start.month + 1
            if months == 12:
                return cls.year(start.year)
            if months == 6 and start.month in (1, 7):
                return cls.semester(start.year, 1 if start.month == 1 else 2)
            if months == 3 and start.month in (1, 4, 7, 10):
                return cls.quarter(start.year, (start.month - 1) // 3 + 1)
            if months == 1:
                return cls.month(start.year, start.month)
        return cls.custom(start, end)

    # -- navigation --------------------------------------------------------
    def previous(self) -> Period:
        """The previous period of the same kind (a custom range: the same number of days just before)."""
        s = self.start
        if self.kind == "tahun":
            return Period.year(s.year - 1)
        if self.kind == "semester":
            half = (s.month - 1) // 6 + 1
            return Period.semester(s.year, 1) if half == 2 else Period.semester(s.year - 1, 2)
        if self.kind == "triwulan":
            q = (s.month - 1) // 3 + 1
            return Period.quarter(s.year, q - 1) if q > 1 else Period.quarter(s.year - 1, 4)
        if self.kind == "bulan":
            return Period.month(s.year, s.month - 1) if s.month > 1 else Period.month(s.year - 1, 12)
        end = self.start - dt.timedelta(days=1)
        return Period.custom(end - dt.timedelta(days=self.days - 1), end)

    def same_period_last_year(self) -> Period:
        s = self.start
        if self.kind == "tahun":
            return Period.year(s.year - 1)
        if self.kind == "semester":
            return Period.semester(s.year - 1, (s.month - 1) // 6 + 1)
        if self.kind == "triwulan":
            return Period.quarter(s.year - 1, (s.month - 1) // 3 + 1)
        if self.kind == "bulan":
            return Period.month(s.year - 1, s.month)
        return Period.from_dates(_shift_year(self.start, -1), _shift_year(self.end, -1))

    def contains(self, d: dt.date) -> bool:
        return self.start <= d <= self.end

    def __str__(self) -> str:
        return self.label


def range_label(start: dt.date, end: dt.date) -> str:
    """'1 Juli – 30 September 2025'; '1 – 15 Juli 2025'; '1 Desember 2024 – 31 Januari 2025'."""
    if start == end:
        return f"{start.day} {BULAN[start.month - 1]} {start.year}"
    if start.year != end.year:
        return f"{start.day} {BULAN[start.month - 1]} {start.year} – {end.day} {BULAN[end.month - 1]} {end.year}"
    if start.month != end.month:
        return f"{start.day} {BULAN[start.month - 1]} – {end.day} {BULAN[end.month - 1]} {end.year}"
    return f"{start.day} – {end.day} {BULAN[end.month - 1]} {end.year}"


_YEAR = re.compile(r"^(\d{4})$")
_SEMESTER = re.compile(r"^(\d{4})-?S([12])$", re.IGNORECASE)
_QUARTER = re.compile(r"^(\d{4})-?[QT]([1-4])$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s*\.\.\s*(\d{4}-\d{2}-\d{2})$")
_DAY = re.compile(r"^(\d{4}-\d{2}-\d{2})$")


def _date(s: str, text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(s)
    except ValueError:
        raise PeriodError(f"Periode '{text}': tanggal {s} tidak ada di kalender.") from None


def parse_period(text: str) -> Period:
    """Parse a period string (see the module docstring); PeriodError explains the accepted forms."""
    t = str(text).strip()
    if m := _YEAR.match(t):
        return Period.year(int(m[1]))
    if m := _SEMESTER.match(t):
        return Period.semester(int(m[1]), int(m[2]))
    if m := _QUARTER.match(t):
        return Period.quarter(int(m[1]), int(m[2]))
    if m := _MONTH.match(t):
        month = int(m[2])
        if not 1 <= month <= 12:
            raise PeriodError(f"Periode '{text}': bulan {m[2]} tidak ada; gunakan 01 sampai 12.")
        return Period.month(int(m[1]), month)
    if m := _RANGE.match(t):
        return Period.from_dates(_date(m[1], t), _date(m[2], t))
    if m := _DAY.match(t):
        d = _date(m[1], t)
        return Period.custom(d, d)
    raise PeriodError(f"Periode '{text}' tidak dikenali. Gunakan {FORMATS_HELP}.")


# ---------------------------------------------------------------- KPI windows (dashboard and scorecards)

COMPARISONS: dict[str, str] = {
    "tahun_lalu": "Periode yang sama tahun lalu",
    "sebelumnya": "Periode sebelumnya",
}
# The one comparison rule's default mode (dashboard, `monev kpi`, scorecards, notebooks): the same period
# of last year removes the seasons; a running period is cut to the same span and seen at the same maturity.
DEFAULT_COMPARISON = "tahun_lalu"


@dataclass(frozen=True)
class Window:
    """A KPI query window: the period, the dates actually computed, and the as-of date (one rule for the
    dashboard and the scorecards)."""

    period: Period
    date_from: dt.date
    date_to: dt.date
    as_of: dt.date
    label: str
    note: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.date_from.isoformat(), self.date_to.isoformat(), self.as_of.isoformat())


def current_window(period: Period, as_of: dt.date) -> Window:
    """The selected period, computed as of the data's as-of date (a running period ends at as-of)."""
    if period.end > as_of >= period.start:
        label = f"{period.label} (s.d. {date_long(as_of)})"
    else:
        label = period.label
    return Window(period, period.start, period.end, as_of, label)


def comparison_window(period: Period, as_of: dt.date, mode: str) -> Window | None:
    """The comparison window: the previous period or the same period last year, cut to the same length
    when the selected period is still running, and seen at the same maturity (as of the same number of
    days after its end), so a month that has just ended is not compared with one that had a month
    longer to be answered. None when the selected period starts after the as-of date."""
    if period.start > as_of:
        return None
    other = period.previous() if mode == "sebelumnya" else period.same_period_last_year()
    if mode == "tahun_lalu" or period.kind == "tahun":
        # one year earlier: up to the same calendar day, seen as of the same day last year
        cmp_as_of = _shift_year(as_of, -1)
        cmp_to = min(cmp_as_of, other.end) if period.end > as_of else other.end
    elif period.end > as_of:  # running: same elapsed length, seen at its end
        cmp_to = min(other.start + (as_of - period.start), other.end)
        cmp_as_of = cmp_to
    else:  # complete: seen as many days after its end as the selected one
        cmp_to = other.end
        cmp_as_of = cmp_to + (as_of - period.end)
    label = range_label(other.start, cmp_to) if cmp_to < other.end else other.label
    note = f"dilihat per {date_long(cmp_as_of)}, agar kematangan datanya sama dengan periode terpilih"
    return Window(other, other.start, cmp_to, cmp_as_of, label, note)


def comparison_for(
    date_from: dt.date, date_to: dt.date, as_of: dt.date, mode: str = DEFAULT_COMPARISON
) -> Window | None:
    """``comparison_window`` of the period [date_from, date_to] (a year, quarter... when it is exactly
    one): the one comparison rule every surface uses."""
    if mode not in COMPARISONS:
        raise PeriodError(f"Pembanding '{mode}' tidak dikenal; pilih {', '.join(COMPARISONS)}.")
    return comparison_window(Period.from_dates(date_from, date_to), as_of, mode)
