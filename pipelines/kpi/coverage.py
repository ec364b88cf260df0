"""How much of a duration or an on-time rate is known: ``coverage`` (compute) in words a Sekda reads.

kpi-spec.md, "Status says whether, dates say when": a step is done-dated, done-undated, not done or
unknown. Durations and on-time rates use dated steps only, so every surface that shows one says how
many complaints it could not use and why. This module is the one place those sentences are written;
the CLI table, the dashboard captions and the scorecards call it with the engine's ``coverage``.

    coverage_sentences(out["coverage"], ("resolution",))
    -> ["Penyelesaian: lama tidak tercatat untuk 775 pengaduan yang sudah selesai menurut statusnya (ekspor
        tanpa tanggal); lama dan ketepatan waktu dihitung dari 22 pengaduan bertanggal."]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from pipelines import fmt

STEPS = ("verification", "response", "resolution")


class StepWords(NamedTuple):
    title: str  # the step, as a sentence starts
    done: str  # sudah <done>


WORDS: dict[str, StepWords] = {
    "verification": StepWords("Verifikasi", "diverifikasi"),
    "response": StepWords("Tanggapan", "ditanggapi"),
    "resolution": StepWords("Penyelesaian", "selesai"),
}


def _counts(coverage: Mapping[str, Any] | None, step: str) -> dict[str, int]:
    c = (coverage or {}).get(step) or {}
    return {k: int(c.get(k) or 0) for k in ("dated", "undated", "not_done", "unknown")}


def step_sentence(coverage: Mapping[str, Any] | None, step: str) -> str | None:
    """One sentence for one step, or None when every done step of the cohort is dated and none unknown."""
    c = _counts(coverage, step)
    w = WORDS[step]
    parts = []
    if c["undated"]:
        parts.append(f"lama tidak tercatat untuk {fmt.number(c['undated'])} pengaduan yang sudah {w.done} menurut "
                     "statusnya (ekspor tanpa tanggal)")
    if c["unknown"]:
        parts.append(f"untuk {fmt.number(c['unknown'])} pengaduan tidak diketahui apakah sudah {w.done} (ekspor "
                     f"tanpa tanggal, status tidak menyatakannya), jadi tidak ikut dihitung")
    if not parts:
        return None
    if c["dated"]:
        parts.append(f"lama dan ketepatan waktu dihitung dari {fmt.number(c['dated'])} pengaduan bertanggal")
    else:
        parts.append("belum ada satu pun tanggal yang tercatat, jadi lama dan ketepatan waktunya tidak dapat dihitung")
    return f"{w.title}: " + "; ".join(parts) + "."


def coverage_sentences(coverage: Mapping[str, Any] | None, steps: Iterable[str] = STEPS) -> list[str]:
    """One sentence per step of ``steps`` (verification, response, resolution) that has a gap, in that order."""
    return [s for s in (step_sentence(coverage, step) for step in steps) if s]


def coverage_note(coverage: Mapping[str, Any] | None, steps: Iterable[str] = STEPS) -> str:
    """The sentences one per line ('' when nothing is undated or unknown): a caption under a card (Markdown)."""
    return "  \n".join(coverage_sentences(coverage, steps))


def has_gaps(coverage: Mapping[str, Any] | None, steps: Iterable[str] = STEPS) -> bool:
    """True when some done step of ``steps`` has no date or some step is unknown."""
    return any(_counts(coverage, s)["undated"] or _counts(coverage, s)["unknown"] for s in steps)


def coverage_from_row(row: Mapping[str, Any]) -> dict[str, dict[str, int]]:
    """``coverage`` from a frame row with flat ``<step>_<state>`` columns (breakdown_frame, by_month_frame)."""
    return {s: {k: int(row.get(f"{s}_{k}") or 0) for k in ("dated", "undated", "not_done", "unknown")} for s in STEPS}


def rate_denominator(row: Mapping[str, Any], step: str) -> int:
    """The denominator of ``response_rate`` / ``resolution_rate``: in scope minus the unknown ones."""
    return int(row.get("in_scope") or 0) - _counts(row.get("coverage"), step)["unknown"]


def undated_or_unknown(coverage: Mapping[str, Any] | None, step: str) -> int:
    """How many in-scope complaints a duration or on-time rate of ``step`` cannot use for want of a date
    (done without a date, or unknown)."""
    c = _counts(coverage, step)
    return c["undated"] + c["unknown"]
