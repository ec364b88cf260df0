"""Indonesian display formats: numbers (1.234,5), percentages (87,5%), dates (8 Juli 2024).

Rounding happens only here, at display time; KPI values stay unrounded.
"""

from __future__ import annotations

import datetime as dt
import math

BULAN = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)
BULAN_SINGKAT = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
HARI = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
EMPTY = "–"


def _is_missing(x: object) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def number(x: float | int | None, decimals: int = 0) -> str:
    """1234.5 -> '1.234,5' (decimals=1); None -> '–'."""
    if _is_missing(x):
        return EMPTY
    s = f"{float(x):,.{decimals}f}" if decimals else f"{round(float(x)):,d}"
    return s.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def percent(rate: float | None, decimals: int = 1) -> str:
    """0.8754 -> '87,5%'; None -> '–' (a rate with no denominator is not 0%)."""
    if _is_missing(rate):
        return EMPTY
    return number(rate * 100, decimals) + "%"


def days(x: float | None, decimals: int = 1) -> str:
    """Working days: 3.5 -> '3,5 HK'; integers without decimals."""
    if _is_missing(x):
        return EMPTY
    if float(x).is_integer():
        return f"{number(x)} HK"
    return f"{number(x, decimals)} HK"


def signed(x: float | None, decimals: int = 1, suffix: str = "") -> str:
    """+3,1 / −2,0 with a real minus sign, for changes and point gains."""
    if _is_missing(x):
        return EMPTY
    sign = "+" if x > 0 else ("−" if x < 0 else "±")
    return f"{sign}{number(abs(x), decimals)}{suffix}"


def date_long(d: dt.date | dt.datetime | str | None) -> str:
    """2024-07-08 -> '8 Juli 2024'."""
    if d is None:
        return EMPTY
    if isinstance(d, str):
        d = dt.date.fromisoformat(d[:10])
    return f"{d.day} {BULAN[d.month - 1]} {d.year}"


def date_short(d: dt.date | dt.datetime | str | None) -> str:
    """2024-07-08 -> '08/07/2024'."""
    if d is None:
        return EMPTY
    if isinstance(d, str):
        d = dt.date.fromisoformat(d[:10])
    return d.strftime("%d/%m/%Y")


def datetime_short(t: dt.datetime | None) -> str:
    if t is None:
        return EMPTY
    return t.strftime("%d/%m/%Y %H.%M")


def datetime_long(t: dt.datetime | None) -> str:
    """2026-12-02 04:22 -> '2 Desember 2026 pukul 04.22' (the data version users read)."""
    if t is None:
        return EMPTY
    return f"{date_long(t)} pukul {t:%H.%M}"


def month_label(ym: str | dt.date, short: bool = False) -> str:
    """'2024-07' -> 'Juli 2024' (short: 'Jul 2024')."""
    if isinstance(ym, dt.date):
        y, m = ym.year, ym.month
    else:
        y, m = int(ym[:4]), int(ym[5:7])
    return f"{(BULAN_SINGKAT if short else BULAN)[m - 1]} {y}"
