"""What part of a duration or an on-time rate is unknown (the engine's ``coverage``), reopened complaints
and what is due soon, as captions and cards. The sentences come from ``pipelines.kpi.coverage``, the one
function every surface uses."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import streamlit as st

from dashboard.components.cards import Card, definition
from pipelines import fmt
from pipelines.kpi.coverage import STEPS, coverage_note


def caption(cur: Mapping[str, Any], steps: Iterable[str] = STEPS) -> None:
    """A caption under a card or chart saying how many complaints it could not use, and why (nothing when
    every done step is dated and none is unknown)."""
    note = coverage_note(cur.get("coverage"), steps)
    if note:
        st.caption(f":material/info: {note}")


def reopen_card(cur: Mapping[str, Any], key: str) -> Card:
    resolved, reopened = cur.get("resolved") or 0, cur.get("reopened") or 0
    return Card(
        f"{key}-reopened", "Dibuka kembali", fmt.percent(cur.get("reopen_rate")), definition("reopen_rate"),
        caption=f"{fmt.number(reopened)} dari {fmt.number(resolved)} pengaduan selesai dibuka kembali",
    )


def due_soon_card(cur: Mapping[str, Any], key: str) -> Card:
    days = (cur.get("settings") or {}).get("due_soon_days", 2)
    if not cur.get("backlog_open"):  # nothing open: nothing can fall due
        return Card(f"{key}-due-soon", "Segera jatuh tempo", fmt.EMPTY, definition("due_soon"),
                    caption="tidak ada pengaduan terbuka")
    return Card(
        f"{key}-due-soon", "Segera jatuh tempo", fmt.number(cur.get("due_soon") or 0), definition("due_soon"),
        caption=f"terbuka, batas langkah berikutnya hari ini s.d. {fmt.number(days)} hari kerja lagi",
    )
