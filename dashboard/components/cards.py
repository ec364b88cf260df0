"""KPI cards: a big number, its change against the comparison period, its definition on hover, and a
coloured edge for its predikat band (the rating model's floor and target for that KPI)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import streamlit as st

from dashboard.components.style import band_slug
from pipelines.kpi.glossary import GLOSSARY


@dataclass(frozen=True)
class Card:
    key: str
    label: str
    value: str
    help: str = ""
    band: str | None = None
    band_text: str = ""
    delta: str = ""
    delta_value: float | None = None
    good_when: str | None = "up"  # up | down | None (neutral)
    delta_description: str = ""
    caption: str = ""
    chart: tuple[float, ...] | None = None


def definition(key: str, extra: str = "") -> str:
    """The glossary text of a KPI for a hover help: what it is and its formula."""
    e = GLOSSARY.get(key)
    if e is None:
        return extra
    text = f"**{e.label}.** {e.help}\n\nRumus: {e.formula}"
    return f"{text}\n\n{extra}" if extra else text


def _delta_style(card: Card) -> tuple[str, str]:
    v = card.delta_value
    if v is None or card.delta == "":
        return "off", "off"
    if abs(v) < 1e-12:
        return "gray", "off"
    arrow = "up" if v > 0 else "down"
    if card.good_when is None:
        return "gray", arrow
    good = (v > 0) == (card.good_when == "up")
    return ("green" if good else "red"), arrow


def show_card(card: Card) -> None:
    with st.container(key=f"card-{band_slug(card.band)}-{card.key}", border=False):
        color, arrow = _delta_style(card)
        st.metric(
            card.label, card.value, delta=card.delta or None, delta_color=color, delta_arrow=arrow,
            help=card.help or None, delta_description=card.delta_description or None,
            chart_data=list(card.chart) if card.chart else None, chart_type="bar",
        )
        line = " · ".join(x for x in (card.band_text, card.caption) if x)
        if line:
            st.caption(line)


def show_cards(cards: Sequence[Card], columns: int = 3) -> None:
    for i in range(0, len(cards), columns):
        row = st.columns(columns, gap="small")
        for col, card in zip(row, cards[i : i + columns], strict=False):
            with col:
                show_card(card)
