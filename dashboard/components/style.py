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
/* a card title wraps instead of being cut ("Tunggakan le…") */
div[class*="st-key-card-"] [data-testid="stMetricLabel"], div[class*="st-key-card-"] [data-testid="stMetricLabel"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }
div.st-key-app-header { border-bottom: 2px solid #1F5A96; padding-bottom: 1.1rem; margin-bottom: 0.3rem; }
div.st-key-app-header h3 { margin: 0; padding: 0; color: #1F3B57; font-size: 1.55rem; }
div.st-key-demo-marker { background: #FFF4DC; border: 1px solid #E0A100; color: #6B4A00; font-weight: 700;
  border-radius: 0.4rem; padding: 0.15rem 0.6rem; text-align: center; }
/* Streamlit's uploader speaks English ("Upload", "50MB per file • CSV, ..."): its own words are hidden
   (display:none, so not even in the page text) and Indonesian ones drawn instead; the label above names
   the types and the size limit */
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p { display: none; }
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"]::after { content: "Pilih berkas"; }
[data-testid="stFileUploaderDropzoneInstructions"] > div > span { display: none; }
[data-testid="stFileUploaderDropzoneInstructions"] > div::after { content: "atau seret berkas ke sini";
  color: #5B6B7B; font-size: 0.9rem; }
[data-testid="stMainMenu"] { display: none !important; }
div[class*="st-key-attention-"] { border-radius: 0.6rem; border: 1px solid #E3B8B4; background: #FFF8F7;
  padding: 0.7rem 0.9rem 1.1rem 0.9rem; }
"""

MEETING_CSS = """
/* large type that still fits one slide on the screen: 21px on a 1080-line projector, 16px on 768 lines */
html { font-size: clamp(16px, 1.95vh, 21px); }
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
[data-testid="stHeader"], [data-testid="stToolbar"] { display: none !important; }
.block-container { max-width: 100% !important; padding: 0.5rem 2.2rem 0.4rem 2.2rem !important; }
.block-container [data-testid="stVerticalBlock"] { gap: 0.45rem; }
div.st-key-app-header-compact .compact-header { font-size: 0.8rem; color: #5B6B7B; border-bottom: 2px solid #1F5A96;
  padding-bottom: 0.2rem; }
div.st-key-app-header-compact .demo-badge { float: right; background: #FFF4DC; border: 1px solid #E0A100;
  color: #6B4A00; font-weight: 700; border-radius: 0.3rem; padding: 0 0.5rem; }
div.st-key-slide-nav button { min-height: 2.1rem; padding: 0.1rem 0.6rem; }
div.st-key-slide-nav .slide-count { text-align: center; color: #5B6B7B; font-size: 1rem; }
.block-container h2 { font-size: 1.75rem; padding: 0.1rem 0 0 0; }
p.takeaway { font-size: 1.3rem; font-weight: 600; color: #1F3B57; margin: 0 0 1.1rem 0 !important; line-height: 1.35; }
/* the slide fills what the frame leaves of the screen (the frame is about 12rem plus the takeaway) */
div:has(> div[class*="st-key-slide-body-"]), div[class*="st-key-slide-body-"] {
  height: calc(100vh - 13rem) !important; flex: 0 0 calc(100vh - 13rem) !important; max-height: none !important;
  overflow: hidden !important; border: none !important; padding: 0 !important; }
div[class*="st-key-slide-body-"] [data-testid="stCaptionContainer"] { display: none; }
div.st-key-slide-body-0 div[class*="st-key-card-"] { min-height: calc((100vh - 14rem) / 2); }
[data-testid="stMetricValue"] { font-size: 3.4rem !important; }
[data-testid="stMetricLabel"] p { font-size: 1.25rem !important; }
div[class*="st-key-slide-body-"] div[class*="st-key-card-"] [data-testid="stCaptionContainer"] { display: block; }
div[class*="st-key-slide-body-"] div[class*="st-key-card-"] [data-testid="stCaptionContainer"] p { font-size: 0.95rem; }
div.st-key-slide-body-3 div[class*="st-key-attention-"] { font-size: 1.3rem; min-height: calc(100vh - 15rem);
  padding: 1.2rem 1.4rem; }
div.st-key-slide-body-3 div[class*="st-key-attention-"] li { margin-bottom: 0.6rem; }
"""


def inject(meeting: bool = False) -> None:
    """Add the app's CSS to the page (once per run)."""
    css = BASE_CSS + _band_rules() + (MEETING_CSS if meeting else "")
    st.html(f"<style>{css}</style>")
