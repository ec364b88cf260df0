"""How values look in real exports: date forms, label synonyms, OPD name variants.

Only forms that input-formats.md lists are produced.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
from rapidfuzz import fuzz, process

from pipelines.fmt import BULAN, BULAN_SINGKAT, HARI
from pipelines.masterdata import MasterData
from pipelines.textnorm import norm_key, norm_words

# ---------------------------------------------------------------- dates
# iso_min: 2024-07-08 09:15 · id_abbr_time: 8 Jul 2024 09.15 · dmy_slash: 08/07/2024 ·
# dmy_dash: 8-7-2024 · id_long: 08 Juli 2024 · id_day_long: Senin, 08 Juli 2024
DATE_FORMS = ("iso_min", "id_abbr_time", "dmy_slash", "dmy_dash", "id_long", "id_day_long")


def format_dates(s: pl.Series, form: str, *, missing: str = "", agustus: str = "Agu") -> pl.Series:
    """Render datetimes as strings in one of DATE_FORMS; nulls become ``missing``."""
    abbr = [agustus if m == "Agu" else m for m in BULAN_SINGKAT]
    df = pl.DataFrame({"t": s.cast(pl.Datetime("us"))})
    t = pl.col("t")
    month_abbr = t.dt.month().replace_strict(list(range(1, 13)), abbr, return_dtype=pl.String)
    month_long = t.dt.month().replace_strict(list(range(1, 13)), list(BULAN), return_dtype=pl.String)
    if form == "iso_min":
        e = t.dt.strftime("%Y-%m-%d %H:%M")
    elif form == "id_abbr_time":
        e = pl.concat_str([t.dt.day().cast(pl.String), month_abbr, t.dt.year().cast(pl.String), t.dt.strftime("%H.%M")], separator=" ")
    elif form == "dmy_slash":
        e = t.dt.strftime("%d/%m/%Y")
    elif form == "dmy_dash":
        e = pl.concat_str([t.dt.day().cast(pl.String), t.dt.month().cast(pl.String), t.dt.year().cast(pl.String)], separator="-")
    elif form == "id_long":
        e = pl.concat_str([t.dt.strftime("%d"), month_long, t.dt.year().cast(pl.String)], separator=" ")
    elif form == "id_day_long":
        day = t.dt.weekday().replace_strict(list(range(1, 8)), list(HARI), return_dtype=pl.String)
        e = pl.concat_str([day + ",", t.dt.strftime("%d"), month_long, t.dt.year().cast(pl.String)], separator=" ")
    else:
        raise ValueError(f"unknown date form {form!r}")
    return df.select(e.fill_null(missing)).to_series()


# ---------------------------------------------------------------- status labels
LAPOR_STATUS_LABELS = {
    "unverified": ("Belum Terverifikasi", "Menunggu Verifikasi", "Baru"),
    "awaiting_response": ("Belum Ditindaklanjuti", "Terverifikasi", "Terdisposisi"),
    "in_progress": ("Proses", "Sedang Diproses", "Ditindaklanjuti", "Dalam Proses"),
    "resolved": ("Selesai", "Ditutup", "Tuntas"),
    "postponed": ("Tunda", "Ditunda"),
    "archived": ("Diarsipkan", "Tidak Valid", "Arsip"),
    "not_authority": ("Bukan Wewenang", "Dialihkan"),
}
REKAP_STATUS_LABELS = {
    "awaiting_response": ("Belum Ditindaklanjuti", "belum ditindaklanjuti", "Diteruskan", "Terdisposisi", "BELUM DITINDAKLANJUTI"),
    "in_progress": ("Proses", "proses", "Dalam Penanganan", "Sedang Diproses", "PROSES"),
    "resolved": ("Selesai", "selesai", "SELESAI", "Tuntas", "Sudah Selesai"),
    "postponed": ("Tunda", "Tertunda"),
    "archived": ("Tidak Valid", "Duplikat", "Spam"),
    "not_authority": ("Bukan Wewenang", "Dialihkan", "bukan kewenangan"),
    "unverified": ("Baru",),
}
UNKNOWN_STATUS_LABEL = "Sudah Dibaca"  # not in statuses.yaml: a deliberate defect

CHANNEL_LABELS = {
    "SP4N-LAPOR! Website": ("SP4N-LAPOR! Website", "Website", "Web"),
    "SP4N-LAPOR! Aplikasi": ("SP4N-LAPOR! Aplikasi", "Aplikasi", "Aplikasi Mobile"),
    "SMS 1708": ("SMS 1708", "SMS", "SMS 1708"),
    "Twitter/X @lapor1708": ("Twitter/X @lapor1708", "Twitter", "Twitter/X"),
    "Form Manual LAPOR!": ("Form Manual LAPOR!", "Form Manual", "Input Manual"),
}
BOOL_STYLES = (("Ya", "Tidak"), ("Y", "N"), ("1", "0"), ("true", "false"))

# Two or three OPD names that are not in the master data (and must not fuzzy-match it):
# units below an OPD, a BUMD and a vertical agency, as real dispositions show them.
UNMATCHED_CANDIDATES = ("UPT Pasar Legi", "Perumda Air Minum Tirta Penataran", "Polres Blitar Kota", "UPT Persampahan")


def case_variant(label: str, how: str) -> str:
    return {"upper": label.upper(), "lower": label.lower(), "title": label.title()}.get(how, label)


# ---------------------------------------------------------------- OPD names
def _scores(md: MasterData, name: str) -> list[list[tuple[str, float]]]:
    """Per normalisation (words, key), the best WRatio per department for ``name``, highest first."""
    choices = [(a, d.name) for d in md.departments for a in (d.name, d.short, *d.aliases)]
    out = []
    for norm in (norm_words, norm_key):
        got = process.extract(norm(name), [norm(c) for c, _ in choices], scorer=fuzz.WRatio, limit=None)
        best: dict[str, float] = {}
        for _, score, i in got:
            dep = choices[i][1]
            best[dep] = max(best.get(dep, 0.0), score)
        out.append(sorted(best.items(), key=lambda kv: -kv[1]))
    return out


def fuzzy_unique(md: MasterData, name: str, department: str, *, min_score: float = 92, margin: float = 4) -> bool:
    """True when ``name`` fuzzy-matches ``department`` well and no other OPD comes close."""
    for sc in _scores(md, name):
        if sc[0][0] != department or sc[0][1] < min_score or (len(sc) > 1 and sc[0][1] - sc[1][1] < margin):
            return False
    return True


def best_fuzzy_score(md: MasterData, name: str) -> float:
    return max(sc[0][1] for sc in _scores(md, name))


def _typo_candidates(name: str) -> list[str]:
    words = name.split(" ")
    order = sorted(range(len(words)), key=lambda i: -len(words[i]))
    out = []
    for wi in order[:2]:
        w = words[wi]
        if len(w) < 6:
            continue
        for pos in (len(w) - 3, len(w) // 2, 3):  # drop a letter, then swap two
            out.append(" ".join(words[:wi] + [w[:pos] + w[pos + 1 :]] + words[wi + 1 :]))
            out.append(" ".join(words[:wi] + [w[:pos] + w[pos + 1] + w[pos] + w[pos + 2 :]] + words[wi + 1 :]))
    return out


_TYPO_CACHE: dict[tuple[str, str], dict[str, str]] = {}


def department_typos(md: MasterData) -> dict[str, str]:
    """One typo per OPD that still fuzzy-matches only that OPD (WRatio >= 92, clear margin)."""
    key = (str(md.config_dir), md.config_hash())
    if key in _TYPO_CACHE:
        return _TYPO_CACHE[key]
    out: dict[str, str] = {}
    exact = {norm_key(a) for d in md.departments for a in (d.name, d.short, *d.aliases)}
    for d in md.departments:
        for cand in _typo_candidates(d.name):
            if norm_key(cand) not in exact and fuzzy_unique(md, cand, d.name):
                out[d.name] = cand
                break
    _TYPO_CACHE[key] = out
    return out


def unmatched_names(md: MasterData, k: int = 3) -> list[str]:
    """OPD names that neither match exactly nor fuzzy-match anything (best WRatio < 75)."""
    exact = {norm_key(a) for d in md.departments for a in (d.name, d.short, *d.aliases)}
    good = [n for n in UNMATCHED_CANDIDATES if norm_key(n) not in exact and best_fuzzy_score(md, n) < 75]
    return good[:k]


def department_variants(md: MasterData, names: list[str | None], rng: np.random.Generator, *, hand_kept: bool) -> list[str]:
    """OPD names as a file shows them: canonical, aliases, stray spaces, case, typos."""
    typos = department_typos(md)
    by_name = {d.name: d for d in md.departments}
    p = (0.3, 0.6, 0.67, 0.75, 0.85) if hand_kept else (0.55, 0.8, 0.87, 0.94, 1.01)
    u = rng.random(len(names))
    pick = rng.integers(0, 1 << 30, len(names))
    out = []
    for name, x, j in zip(names, u, pick, strict=True):
        if name is None:
            out.append("")
            continue
        d = by_name[name]
        if x < p[0]:
            out.append(name)
        elif x < p[1]:
            al = (d.short, *d.aliases)
            out.append(al[j % len(al)])
        elif x < p[2]:
            out.append(("  " + name + " ") if j % 2 else name.replace(" ", "  ", 1))
        elif x < p[3]:
            out.append(name.upper() if j % 2 else name.lower())
        elif x < p[4] and name in typos:
            out.append(typos[name])
        else:
            al = (d.short, *d.aliases)
            out.append(al[j % len(al)] if hand_kept else name)
    return out


def category_variants(
    md: MasterData, names: list[str | None], topics: list[str], rng: np.random.Generator, p_alias: float
) -> list[str]:
    """Category as written: canonical, or (with probability ``p_alias``) a spelling people use for
    the topic that the master data maps back to the same category."""
    from pipelines.demo.vocab import TOPICS

    labels = {
        t.key: tuple(a for a in t.category_labels if md.category_exact(a) == t.category) for t in TOPICS
    }
    u = rng.random(len(names))
    pick = rng.integers(0, 1 << 30, len(names))
    out = []
    for name, topic, x, j in zip(names, topics, u, pick, strict=True):
        al = labels.get(topic, ())
        if name is None:
            out.append("")
        elif x < p_alias and al:
            out.append(al[j % len(al)])
        else:
            out.append(name)
    return out


def kelurahan_variants(md: MasterData, names: list[str], rng: np.random.Generator, p_alias: float = 0.05) -> list[str]:
    """Kelurahan names, a few in the split spelling wilayah.yaml lists as an alias."""
    readable = {
        "Kepanjenkidul": "Kepanjen Kidul", "Kepanjenlor": "Kepanjen Lor", "Karangtengah": "Karang Tengah",
        "Sananwetan": "Sanan Wetan", "Bendogerit": "Bendo Gerit", "Karangsari": "Karang Sari",
        "Tanjungsari": "Tanjung Sari", "Plosokerep": "Ploso Kerep",
    }
    u = rng.random(len(names))
    return [
        readable[n] if (x < p_alias and n in readable and md.kelurahan_of(readable[n]) == n) else n
        for n, x in zip(names, u, strict=True)
    ]


def first_of_next_month(d: dt.date) -> dt.date:
    return dt.date(d.year + (d.month == 12), d.month % 12 + 1, 1)
