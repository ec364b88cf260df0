"""Scope filters of the KPI API: validated against the warehouse's master tables.

A filter value is matched exactly, then ignoring case, spaces and punctuation
(and, for OPD, through the alias table). An unknown value raises
``UnknownFilterValue`` naming the three closest values, in Bahasa Indonesia.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import duckdb

from pipelines.textnorm import norm_key

# filter key -> (Indonesian name, SQL listing the canonical values)
FILTER_KEYS: dict[str, tuple[str, str]] = {
    "department": ("OPD", "SELECT department FROM departments"),
    "category": ("kategori", "SELECT category FROM categories"),
    "channel": ("kanal", "SELECT channel FROM channels"),
    "kecamatan": ("kecamatan", "SELECT DISTINCT kecamatan FROM wilayah"),
    "kelurahan": ("kelurahan", "SELECT DISTINCT kelurahan FROM wilayah"),
    "classification": ("klasifikasi", "SELECT classification FROM classifications"),
}


class FilterError(ValueError):
    """A KPI scope filter is not valid."""


class UnknownFilterValue(FilterError):
    """A filter value is not in the warehouse's master data."""

    def __init__(self, key: str, value: str, suggestions: list[str]):
        self.key, self.value, self.suggestions = key, value, suggestions
        what = FILTER_KEYS[key][0]
        hint = (
            "Yang paling mirip: " + ", ".join(f"'{s}'" for s in suggestions) + "."
            if suggestions
            else "Tidak ada nilai yang mirip."
        )
        super().__init__(
            f"Filter {what} '{value}' tidak dikenal di data induk gudang data. {hint} "
            f"Periksa ejaannya, atau tambahkan nilainya ke berkas konfigurasi lalu jalankan `monev run`."
        )


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, Iterable):
        return [str(v) for v in value if v is not None]
    return [str(value)]


def _closest(value: str, choices: list[str], n: int = 3) -> list[str]:
    from rapidfuzz import fuzz, process, utils

    found = process.extract(value, choices, scorer=fuzz.WRatio, processor=utils.default_process, limit=n)
    return [c for c, _score, _i in found]


def master_values(con: duckdb.DuckDBPyConnection, key: str) -> list[str]:
    """The canonical values a filter ``key`` accepts, sorted."""
    sql = FILTER_KEYS[key][1]
    return sorted(r[0] for r in con.cursor().execute(sql).fetchall() if r[0] is not None)


def normalize_filters(
    con: duckdb.DuckDBPyConnection, filters: Mapping[str, Any] | None
) -> dict[str, list[str]]:
    """Canonical filters: key -> sorted unique canonical values; empty filters dropped."""
    out: dict[str, list[str]] = {}
    for key, raw in (filters or {}).items():
        if key not in FILTER_KEYS:
            raise FilterError(
                f"Filter '{key}' tidak dikenal; gunakan salah satu dari: {', '.join(FILTER_KEYS)}."
            )
        values = _as_list(raw)
        if not values:
            continue
        canonical = master_values(con, key)
        by_key = {norm_key(v): v for v in canonical}
        if key == "department":
            for alias_key, dept in con.cursor().execute(
                "SELECT alias_key, department FROM department_aliases"
            ).fetchall():
                by_key.setdefault(alias_key, dept)
        resolved = set()
        for v in values:
            if v in canonical:
                resolved.add(v)
            elif norm_key(v) in by_key:
                resolved.add(by_key[norm_key(v)])
            else:
                raise UnknownFilterValue(key, v, _closest(v, canonical))
        out[key] = sorted(resolved)
    return dict(sorted(out.items()))
