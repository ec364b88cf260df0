"""Normalisation of names and labels for tolerant matching."""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def norm_key(value: object) -> str:
    """Lower-case, strip accents, drop spaces and punctuation: "Tgl. Laporan " -> "tgllaporan"."""
    if value is None:
        return ""
    s = unicodedata.normalize("NFKD", str(value))
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return _NON_ALNUM.sub("", s.lower())


def norm_words(value: object) -> str:
    """Lower-case words separated by single spaces: "  Dinas  PUPR." -> "dinas pupr"."""
    if value is None:
        return ""
    s = unicodedata.normalize("NFKD", str(value))
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return " ".join(_NON_ALNUM.sub(" ", s.lower()).split())
