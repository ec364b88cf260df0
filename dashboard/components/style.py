"""Page styling: predikat colours, the header bar, the DEMO marker and the large type of Mode Rapat.

Containers get a ``key`` (Streamlit turns it into the class ``st-key-<key>``), and the rules below
colour them by that class, so no HTML is written by hand for the cards.
"""

from __future__ import annotations

import streamlit as st

# predikat (rating bands) -> (slug, colour, light background)
BAND_COLOURS: dict[str, tuple[str, str, str]] = {
    "Sangat Baik": ("sangat-baik", "#1E7B3A", "#E6F4EA"),
    "Baik": ("baik", "#4C9A2A", "#EEF7E6"),
    "Sedang": ("sedang", "#C77C02", "#FFF4DC"),
    "Kurang": ("kurang", "#B3261E", "#FCE8E6"),
}
NEUTRAL = ("netral", "#1F5A96", "#EEF3F9")
INSUFFICIENT = ("tidak-cukup", "#6B7785", "#F1F3F5")


def band_slug(band: str | None) -> str:
    if band is None:
        return NEUTRAL[0]
    if band == "data tidak cukup":
        return INSUFFICIENT[0]
    return BAND_COLOURS.get(band, NEUTRAL)[0]


def band_colour(band: str | None) -> str:
    if band == "data tidak cukup":
        return INSUFFICIENT[1]
    return BAND_COLOURS.get(band or "", NEUTRAL)[1]


def band_background(band: str | None) -> str:
    if band == "data tidak cukup":
        return INSUFFICIENT[2]
    return BAND_COLOURS.get(band or "", NEUTRAL)[2]


def _band_rules() -> str:
    rules = []
    for slug, colour, bg in [*BAND_COLOURS.values(), NEUTRAL, INSUFFICIENT]:
        rules.append(
            f'div[class*="st-key-card-{slug}-"] {{ border-left: 8px solid {colour} !important; '
            f"background: linear-gradient(90deg, {bg} 0, #FFFFFF 70%); }}"
        )
    return "\n".join(rules)


BASE_CSS = """
.block-container { padding-top: 4rem; padding-bottom: 2rem; }
div[class*="st-key-card-"] { border-radius: 0.6rem; padding: 0.55rem 0.9rem 1.1rem 0.9rem;
  border: 1px solid #D5DDE6; min-height: 11.5rem; }
div[class*="st-key-card-"] [data-testid="stMetricLabel"] p { font-size: 1.0rem; font-weight: 600; color: #33414F; }
div[class*="st-key-card-"] [data-testid="stCaptionContainer"] p { margin-bottom: 0; }
div.st-key-app-header { border-bottom: 2px solid #1F5A96; padding-bottom: 1.1rem; margin-bottom: 0.3rem; }
div.st-key-app-header h3 { margin: 0; padding: 0; color: #1F3B57; font-size: 1.55rem; }
div.st-key-demo-marker { background: #FFF4DC; border: 1px solid #E0A100; color: #6B4A00; font-weight: 700;
  border-radius: 0.4rem; padding: 0.15rem 0.6rem; text-align: center; }
div[class*="st-key-attention-"] { border-radius: 0.6rem; border: 1px solid #E3B8B4; background: #FFF8F7;
  padding: 0.7rem 0.9rem 1.1rem 0.9rem; }
"""

MEETING_CSS = """
/* large type that still fits one slide on the screen: 21px on a 1080-line projector, less on a laptop */
html { font-size: clamp(16px, 1.95vh, 21px); }
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
[data-testid="stHeader"] { display: none !important; }
.block-container { max-width: 100% !important; padding: 1rem 3rem 1rem 3rem !important; }
/* one idea per screen: the frame around the slide stays small */
.block-container h1 { font-size: 1.9rem; padding: 0.2rem 0; }
.block-container h2 { font-size: 1.6rem; padding: 0.2rem 0 0.4rem 0; }
[data-testid="stMetricValue"] { font-size: 3.6rem !important; }
[data-testid="stMetricLabel"] p { font-size: 1.25rem !important; }
"""


def inject(meeting: bool = False) -> None:
    """Add the app's CSS to the page (once per run)."""
    css = BASE_CSS + _band_rules() + (MEETING_CSS if meeting else "")
    st.html(f"<style>{css}</style>")
