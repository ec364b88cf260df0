"""How much of a duration or an on-time rate is known: ``coverage`` (compute) in words a Sekda reads.

kpi-spec.md, "Status says whether, dates say when": a step is done-dated, done-undated, not done or
unknown. Durations and on-time rates use dated steps only, so every surface that shows one says how
many complaints it could not use and why. This module is the one place those sentences are written;
the CLI table, the dashboard captions and the scorecards call it with the engine's ``coverage``.

    coverage_sentences(out["coverage"], ("resolution",))
    -> ["Lama penyelesaian tidak tercatat untuk 775 pengaduan yang sudah selesai menurut statusnya: ekspor
        tanpa tanggal.", "Median dan ketepatan waktu penyelesaian dihitung dari 22 pengaduan bertanggal."]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from pipelines import fmt

STEPS = ("verification", "response", "resolution")


class StepWords(NamedTuple):
    noun: str  # lama <noun>
    done: str  # sudah <done>


WORDS: dict[str, StepWords] = {
    "verification": StepWords("verifikasi", "diverifikasi"),
    "response": StepWords("tanggapan", "ditanggapi"),
    "resolution": StepWords("penyelesaian", "selesai"),
}


def _counts(coverage: Mapping[str, Any] | None, step: str) -> dict[str, int]:
    c = (coverage or {}).get(step) or {}
    return {k: int(c.get(k) or 0) for k in ("dated", "undated", "not_done", "unknown")}


def step_sentences(coverage: Mapping[str, Any] | None, step: str) -> list[str]:
    """The sentences for one step (empty when every done step of the cohort is dated and none unknown)."""
    c = _counts(coverage, step)
    w = WORDS[step]
    out: list[str] = []
    if c["undated"]:
        out.append(
            f"Lama {w.noun} tidak tercatat untuk {fmt.number(c['undated'])} pengaduan yang sudah {w.done} "
            "menurut statusnya: ekspor tanpa tanggal."
        )
    if c["unknown"]:
        out.append(
            f"Untuk {fmt.number(c['unknown'])} pengaduan tidak diketahui apakah sudah {w.done}: ekspornya tanpa "
            f"tanggal {w.noun} dan statusnya tidak menyatakannya; pengaduan itu tidak ikut dihitung dalam "
            f"tingkat {w.noun}."
        )
    if out:
        if c["dated"]:
            out.append(
                f"Median dan ketepatan waktu {w.noun} dihitung dari {fmt.number(c['dated'])} pengaduan bertanggal."
            )
        else:
            out.append(f"Tidak ada satu pun tanggal {w.noun} yang tercatat, jadi lama {w.noun} tidak dapat dihitung.")
    return out


def coverage_sentences(coverage: Mapping[str, Any] | None, steps: Iterable[str] = STEPS) -> list[str]:
    """Every sentence for ``steps`` (verification, response, resolution), in that order."""
    return [s for step in steps for s in step_sentences(coverage, step)]


def coverage_note(coverage: Mapping[str, Any] | None, steps: Iterable[str] = STEPS) -> str:
    """The sentences as one paragraph ('' when nothing is undated or unknown): a caption under a card."""
    return " ".join(coverage_sentences(coverage, steps))


def has_gaps(coverage: Mapping[str, Any] | None, steps: Iterable[str] = STEPS) -> bool:
    """True when some done step of ``steps`` has no date or some step is unknown."""
    return any(_counts(coverage, s)["undated"] or _counts(coverage, s)["unknown"] for s in steps)


def coverage_from_row(row: Mapping[str, Any]) -> dict[str, dict[str, int]]:
    """``coverage`` from a frame row with flat ``<step>_<state>`` columns (breakdown_frame, by_month_frame)."""
    return {s: {k: int(row.get(f"{s}_{k}") or 0) for k in ("dated", "undated", "not_done", "unknown")} for s in STEPS}
