"""Working days (hari kerja) for the simulator, vectorised with numpy.

The same rules as the product's calendar (complaint-lifecycle.md): Monday to
Friday, minus Indonesian libur nasional (``holidays`` category ``public``) and,
by default, cuti bersama (category ``government``), with the local overrides
file from config applied on top.
"""

from __future__ import annotations

import datetime as dt

import holidays
import numpy as np

from pipelines.masterdata import MasterData, read_yaml


def days_off(md: MasterData, first_year: int, last_year: int) -> list[dt.date]:
    """Every non-weekend day off between the two years (inclusive)."""
    cats = ("public", "government") if md.calendar.cuti_bersama_is_day_off else ("public",)
    hol = holidays.country_holidays("ID", years=range(first_year, last_year + 1), categories=cats)
    off = set(hol.keys())
    f = md.calendar.overrides_file
    if f.exists():
        ov = read_yaml(f) or {}
        for e in ov.get("add") or []:
            d = e["date"] if isinstance(e["date"], dt.date) else dt.date.fromisoformat(str(e["date"]))
            kind = str(e.get("kind") or "")
            if kind != "cuti bersama" or md.calendar.cuti_bersama_is_day_off:
                off.add(d)
        for e in ov.get("remove") or []:
            d = e["date"] if isinstance(e, dict) else e
            off.discard(d if isinstance(d, dt.date) else dt.date.fromisoformat(str(d)))
    return sorted(d for d in off if first_year <= d.year <= last_year)


class WorkCalendar:
    """numpy business-day calendar: offsets and HK(start, end) on whole arrays."""

    def __init__(self, md: MasterData, first_year: int, last_year: int) -> None:
        self.holidays = days_off(md, first_year, last_year)
        self.cal = np.busdaycalendar(weekmask="1111100", holidays=np.array(self.holidays, dtype="datetime64[D]"))

    def is_working(self, days: np.ndarray) -> np.ndarray:
        return np.is_busday(days.astype("datetime64[D]"), busdaycal=self.cal)

    def add(self, days: np.ndarray, k: np.ndarray) -> np.ndarray:
        """The date HK(days, result) == k after ``days`` (k >= 1); k == 0 keeps the day."""
        d = days.astype("datetime64[D]")
        k = np.asarray(k, dtype=np.int64)
        out = np.busday_offset(d, k, roll="backward", busdaycal=self.cal)
        return np.where(k <= 0, d, out)

    def hk(self, start: np.ndarray, end: np.ndarray) -> np.ndarray:
        """Working days d with date(start) < d <= date(end) (kpi-spec.md)."""
        s = start.astype("datetime64[D]") + np.timedelta64(1, "D")
        e = end.astype("datetime64[D]") + np.timedelta64(1, "D")
        return np.busday_count(s, e, busdaycal=self.cal)
