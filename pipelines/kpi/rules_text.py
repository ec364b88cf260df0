"""Sentences that state a KPI rule, written from the settings in force (the ``settings`` block of a
``compute`` result, i.e. the warehouse's own), never from what the defaults happen to be.

The CLI, the dashboard pages, the scorecards and the glossary call these, so changing
``cuti_bersama_is_day_off``, ``count_duplicates_once``, ``min_sample``, the league or a limit in the
configuration changes every sentence that mentions it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pipelines import fmt

# the words for the rates a league may order by (pipelines.masterdata.LEAGUE_KEYS)
LEAGUE_WORDS = {
    "on_time_response_rate": "tanggapan tepat waktu",
    "response_rate": "tingkat tanggapan",
    "resolution_rate": "tingkat penyelesaian",
    "on_time_resolution_rate": "penyelesaian tepat waktu",
    "on_time_verification_rate": "verifikasi tepat waktu",
}
DEFAULT_LEAGUE = ("on_time_response_rate", "response_rate")


def _settings(result_or_settings: Mapping[str, Any] | None) -> Mapping[str, Any]:
    if not result_or_settings:
        return {}
    s = result_or_settings.get("settings")
    return s if isinstance(s, Mapping) else result_or_settings


def league_text(settings: Mapping[str, Any] | None = None) -> str:
    """'tanggapan tepat waktu, lalu tingkat tanggapan' (the league rule in force)."""
    keys: Sequence[str] = _settings(settings).get("league") or DEFAULT_LEAGUE
    words = [LEAGUE_WORDS.get(k, k) for k in keys]
    return words[0] + "".join(f", lalu {w}" for w in words[1:])


def rank_rule(settings: Mapping[str, Any] | None = None) -> str:
    """The whole league rule as one sentence."""
    s = _settings(settings)
    return (f"Peringkat menurut {league_text(s)} (yang lebih tinggi di atas; nilai sama, peringkat sama), "
            f"hanya untuk unit dengan paling sedikit {min_sample(s)} pengaduan dalam cakupan.")


def min_sample(settings: Mapping[str, Any] | None = None) -> int:
    return int(_settings(settings).get("min_sample") or 5)


def insufficient_text(settings: Mapping[str, Any] | None = None) -> str:
    """'kurang dari 5 pengaduan dalam cakupan: data tidak cukup, tanpa peringkat'."""
    return f"kurang dari {min_sample(settings)} pengaduan dalam cakupan: data tidak cukup, tanpa peringkat"


def small_sample_text(settings: Mapping[str, Any] | None = None) -> str:
    """The legend of the "sampel kecil" mark."""
    return (f"sampel kecil = angka dihitung dari kurang dari {min_sample(settings)} pengaduan; "
            "bacalah dengan hati-hati")


def working_days_text(settings: Mapping[str, Any] | None = None) -> str:
    """What a hari kerja is under the calendar setting in force."""
    off = _settings(settings).get("cuti_bersama_is_day_off")
    if off is False:
        return "HK = hari kerja (Senin–Jumat di luar libur nasional dan libur daerah; cuti bersama dihitung hari kerja)"
    return "HK = hari kerja (Senin–Jumat di luar libur nasional, cuti bersama, dan libur daerah)"


def duplicates_text(settings: Mapping[str, Any] | None = None) -> str:
    """How likely duplicates (one complaint through two channels) are counted."""
    if _settings(settings).get("count_duplicates_once") is False:
        return ("Pengaduan yang tercatat di dua kanal (kemungkinan duplikat) dihitung sebagai pengaduan "
                "terpisah (pengaturan count_duplicates_once tidak aktif).")
    return "Pengaduan yang tercatat di dua kanal dihitung sekali: laporan paling awal mewakilinya."


def resolution_limit_text(settings: Mapping[str, Any] | None = None) -> str:
    """'Batas penyelesaian 14 HK, atau batas kategorinya; pengaduan berkadar pengawasan 60 HK.'"""
    lim = _settings(settings).get("limits") or {}
    parts = []
    if lim.get("resolution") is not None:
        parts.append(f"Batas penyelesaian {fmt.number(lim['resolution'])} HK, atau batas kategorinya")
    if lim.get("resolution_pengawasan") is not None:
        parts.append(f"pengaduan berkadar pengawasan {fmt.number(lim['resolution_pengawasan'])} HK")
    return ("; ".join(parts) + ".") if parts else ""


def attention_rule(settings: Mapping[str, Any] | None = None, n: int = 3) -> str:
    """How "OPD yang perlu perhatian" are chosen (pipelines.kpi.derived.attention_rows)."""
    return (f"{n} OPD dengan dampak terbesar: tunggakan lewat batas terbanyak, lalu pengaduan terlambat "
            f"(tanggapan atau penyelesaian) terbanyak, di antara OPD dengan minimal {min_sample(settings)} "
            "pengaduan dalam cakupan; porsinya di sampingnya, dibanding angka kota.")
