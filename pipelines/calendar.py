"""The working-day (hari kerja) calendar of the warehouse.

Monday to Friday, minus libur nasional (``holidays`` category ``public``), cuti
bersama (category ``government``; days off unless the setting says otherwise)
and the local overrides in ``config/calendar_overrides.yaml``:

    add:    [{date: 2025-08-18, name: ..., kind: cuti bersama}]   # extra days off
    remove: [2024-12-26]  or  [{date: 2024-12-26}]                 # days that are worked

``wd_index`` is the cumulative number of working days up to and including each
date (a window sum in SQL), so ``HK(start, end) = wd_index[end] - wd_index[start]``
counts the working days ``d`` with ``start < d <= end``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import duckdb

from pipelines.masterdata import ConfigError, MasterData, read_yaml

KIND_WORKDAY = "hari kerja"
KIND_WEEKEND = "akhir pekan"
KIND_NATIONAL = "libur nasional"
KIND_CUTI_BERSAMA = "cuti bersama"
KIND_REGIONAL = "libur daerah"
HOLIDAY_KINDS = (KIND_NATIONAL, KIND_CUTI_BERSAMA, KIND_REGIONAL)
KINDS = (KIND_WORKDAY, KIND_WEEKEND, *HOLIDAY_KINDS)


def package_holidays(start: dt.date, end: dt.date) -> dict[dt.date, tuple[str, str]]:
    """Indonesian holidays from the ``holidays`` package: date -> (name in Indonesian, kind).

    A date that is both a libur nasional and a cuti bersama is a libur nasional.
    """
    import holidays

    years = list(range(start.year, end.year + 1))
    out: dict[dt.date, tuple[str, str]] = {}
    for category, kind in (("government", KIND_CUTI_BERSAMA), ("public", KIND_NATIONAL)):
        hol = holidays.country_holidays("ID", years=years, categories=(category,), language="id")
        for d, name in hol.items():
            if start <= d <= end:
                out[d] = (str(name), kind)
    return out


def _as_date(value: Any, where: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ConfigError(f"{where}: tanggal {value!r} tidak dikenali; tulis sebagai YYYY-MM-DD.") from None


def read_overrides(path: Path) -> tuple[dict[dt.date, tuple[str, str]], set[dt.date]]:
    """Read the override file: (days added: date -> (name, kind), days removed).

    A missing file means no overrides. Errors name the file, the entry and the field.
    """
    if not path.exists():
        return {}, set()
    try:
        raw = read_yaml(path)
    except ValueError as exc:  # YAML reads 2024-13-01 as a date and fails
        if isinstance(exc, ConfigError):
            raise
        raise ConfigError(f"{path}: ada tanggal yang tidak ada di kalender ({exc}); tulis sebagai YYYY-MM-DD.") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: isi berkas harus berupa bagian 'add:' dan 'remove:'.")
    unknown = set(raw) - {"add", "remove"}
    if unknown:
        raise ConfigError(f"{path}: bagian {', '.join(sorted(map(str, unknown)))} tidak dikenal; gunakan 'add' dan 'remove'.")
    added: dict[dt.date, tuple[str, str]] = {}
    for i, e in enumerate(raw.get("add") or [], start=1):
        where = f"{path}, 'add' entri ke-{i}"
        if not isinstance(e, dict) or "date" not in e:
            raise ConfigError(f"{where}: tulis sebagai {{date: YYYY-MM-DD, name: ..., kind: ...}} (kolom 'date' wajib).")
        d = _as_date(e["date"], f"{where}, kolom 'date'")
        kind = str(e.get("kind") or KIND_REGIONAL).strip().lower()
        if kind not in HOLIDAY_KINDS:
            raise ConfigError(f"{where}, kolom 'kind': {e.get('kind')!r} tidak dikenal; pilih {', '.join(HOLIDAY_KINDS)}.")
        name = str(e.get("name") or "").strip()
        if not name:
            raise ConfigError(f"{where}, kolom 'name': isi nama hari libur.")
        added[d] = (name, kind)
    removed: set[dt.date] = set()
    for i, e in enumerate(raw.get("remove") or [], start=1):
        where = f"{path}, 'remove' entri ke-{i}"
        value = e.get("date") if isinstance(e, dict) else e
        if value is None:
            raise ConfigError(f"{where}: tulis tanggal sebagai YYYY-MM-DD atau {{date: YYYY-MM-DD}}.")
        removed.add(_as_date(value, f"{where}, kolom 'date'"))
    both = sorted(set(added) & removed)
    if both:
        raise ConfigError(f"{path}: tanggal {both[0].isoformat()} ada di 'add' dan 'remove' sekaligus; hapus salah satu.")
    return added, removed


def calendar_days_off(
    start: dt.date, end: dt.date, overrides_file: Path | None
) -> dict[dt.date, tuple[str, str]]:
    """Every holiday in [start, end] after the overrides: date -> (name, kind)."""
    days = package_holidays(start, end)
    if overrides_file is not None:
        added, removed = read_overrides(overrides_file)
        for d in removed:
            days.pop(d, None)
        for d, v in added.items():
            if start <= d <= end:
                days[d] = v
    return days


_BUILD_SQL = """
INSERT INTO calendar (date, is_working_day, holiday_name, kind, wd_index)
WITH
days AS (
    SELECT CAST(d AS DATE) AS date
    FROM generate_series(CAST($start AS TIMESTAMP), CAST($end AS TIMESTAMP), INTERVAL 1 DAY) AS t(d)
),
holidays AS (
    SELECT
        unnest(CAST($h_dates AS DATE[]))    AS date,
        unnest(CAST($h_names AS VARCHAR[])) AS holiday_name,
        unnest(CAST($h_kinds AS VARCHAR[])) AS kind
),
classified AS (
    SELECT
        days.date,
        holidays.holiday_name,
        coalesce(holidays.kind, CASE WHEN isodow(days.date) >= 6 THEN 'akhir pekan' ELSE 'hari kerja' END) AS kind,
        isodow(days.date) <= 5
            AND (holidays.kind IS NULL OR (holidays.kind = 'cuti bersama' AND NOT $cuti_bersama_is_day_off))
            AS is_working_day
    FROM days
    LEFT JOIN holidays USING (date)
)
SELECT
    date,
    is_working_day,
    holiday_name,
    kind,
    CAST(sum(CAST(is_working_day AS INTEGER)) OVER (ORDER BY date) AS INTEGER) AS wd_index
FROM classified
ORDER BY date
"""


def build_calendar(
    con: duckdb.DuckDBPyConnection,
    md: MasterData,
    start: dt.date,
    end: dt.date,
    *,
    cuti_bersama_is_day_off: bool,
) -> None:
    """Fill the ``calendar`` table for every date in [start, end] (replacing what was there)."""
    if end < start:
        raise ValueError(f"Rentang kalender terbalik: {start.isoformat()} sampai {end.isoformat()}.")
    days_off = calendar_days_off(start, end, md.calendar.overrides_file)
    ordered = sorted(days_off.items())
    con.execute("DELETE FROM calendar")
    con.execute(
        _BUILD_SQL,
        {
            "start": start,
            "end": end,
            "h_dates": [d for d, _ in ordered],
            "h_names": [v[0] for _, v in ordered],
            "h_kinds": [v[1] for _, v in ordered],
            "cuti_bersama_is_day_off": bool(cuti_bersama_is_day_off),
        },
    )


def working_days_between(con: duckdb.DuckDBPyConnection, start: dt.date, end: dt.date) -> int:
    """HK(start, end) from the warehouse calendar: working days d with start < d <= end."""
    row = con.execute(
        """
        SELECT e.wd_index - s.wd_index
        FROM calendar AS s, calendar AS e
        WHERE s.date = CAST($start AS DATE) AND e.date = CAST($end AS DATE)
        """,
        {"start": start, "end": end},
    ).fetchone()
    if row is None:
        raise ValueError(f"Kalender hari kerja tidak mencakup {start.isoformat()} atau {end.isoformat()}.")
    return int(row[0])
