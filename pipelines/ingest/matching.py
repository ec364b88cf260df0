"""Matching raw names to the master data, on DISTINCT values only.

Departments and categories: exact or alias (normalised), then the name without
the city ("Dishub Kota Blitar"), then fuzzy (rapidfuzz token_sort_ratio on
normalised words, threshold from departments.yaml). A name that does not
match gets the three closest canonical names as suggestions. Status labels are
never fuzzy-matched: an unknown label is reported, not guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import polars as pl
from rapidfuzz import fuzz, process

from pipelines.masterdata import MasterData
from pipelines.textnorm import norm_key, norm_words

_FLAG_TRUE = {"ya", "y", "iya", "yes", "true", "t", "1", "benar", "b", "v", "x", "anonim", "rahasia", "ok"}
_FLAG_FALSE = {"tidak", "tdk", "n", "no", "false", "f", "0", "bukan", "salah", "-", "", "g", "gak", "tak"}


@dataclass(frozen=True)
class NameMatch:
    value: str | None  # canonical name, None when unmatched
    method: str  # exact | alias | fuzzy | unmatched
    score: float
    suggestions: tuple[str, ...]


def _strip_city(s: str, city_words: tuple[str, ...]) -> str:
    w = norm_words(s)
    for cw in city_words:
        w = re.sub(rf"\b{re.escape(cw)}\b", " ", w)
    return " ".join(w.split())


def _city_words(md: MasterData) -> tuple[str, ...]:
    """The pemda's own name as it trails OPD names in exports, longest first:
    "pemerintah kota blitar", "kota blitar", "pemkot blitar"; for a kabupaten also
    "kab bandung" and "pemkab bandung" (SP4N-LAPOR! writes "Dinas Perhubungan Kab. Bandung")."""
    name = norm_words(md.city.get("name", ""))  # "kota blitar" | "kabupaten bandung"
    pemda = norm_words(md.city.get("pemda", ""))  # "pemerintah kota blitar"
    kind, _, place = name.partition(" ")
    out = [pemda, name]
    if place:
        if kind in ("kabupaten", "kab"):
            out += [f"kabupaten {place}", f"kab {place}", f"pemkab {place}", f"pemerintah kabupaten {place}"]
        else:
            out += [f"kota {place}", f"pemkot {place}", f"pemerintah kota {place}"]
    return tuple(sorted({p for p in out if p}, key=len, reverse=True))


class Matcher:
    """Fuzzy matcher for one kind of master-data name (built once per process)."""

    def __init__(self, names_with_aliases: list[tuple[str, str]], exact, threshold: int, city_words=()):
        self.exact = exact  # callable raw -> canonical | None
        self.threshold = threshold
        self.city_words = city_words
        self.choices = [norm_words(a) for a, _ in names_with_aliases]
        self.targets = [n for _, n in names_with_aliases]

    def match(self, raw: str) -> NameMatch:
        hit = self.exact(raw)
        if hit:
            return NameMatch(hit, "alias" if norm_key(raw) != norm_key(hit) else "exact", 100.0, ())
        stripped = _strip_city(raw, self.city_words) if self.city_words else ""
        if stripped:
            hit = self.exact(stripped)
            if hit:
                return NameMatch(hit, "alias", 100.0, ())
        q = stripped or norm_words(raw)
        if not q:
            return NameMatch(None, "unmatched", 0.0, ())
        best = process.extractOne(q, self.choices, scorer=fuzz.token_sort_ratio, processor=None)
        if best and best[1] >= self.threshold:
            return NameMatch(self.targets[best[2]], "fuzzy", float(best[1]), ())
        return NameMatch(None, "unmatched", float(best[1]) if best else 0.0, self.suggest(q))

    def suggest(self, q: str, n: int = 3) -> tuple[str, ...]:
        out: list[str] = []
        for _, _, idx in process.extract(q, self.choices, scorer=fuzz.WRatio, processor=None, limit=40):
            t = self.targets[idx]
            if t not in out:
                out.append(t)
            if len(out) == n:
                break
        return tuple(out)


_CACHE: dict[int, tuple[MasterData, dict[str, Matcher]]] = {}


def _build_matchers(md: MasterData) -> dict[str, Matcher]:
    city = _city_words(md)
    deps = [(a, d.name) for d in md.departments for a in (d.name, d.short, *d.aliases)]
    cats = [(a, c.name) for c in md.categories for a in (c.name, *c.aliases)]
    cats += [(a, target) for a, target in md.category_map_names.items()]
    kels = [(k, k) for k in md.kelurahan_names] + [(a, md.kelurahan_of(a)) for a in md.kelurahan_aliases]
    kecs = [(k, k) for k in md.kecamatan_names]
    return {
        "department": Matcher(deps, md.department_exact, md.department_fuzzy_threshold, city),
        "category": Matcher(cats, lambda r: md.category_exact(r) or md.national_category(r), md.department_fuzzy_threshold),
        "kelurahan": Matcher(kels, lambda r: md.kelurahan_of(_strip_prefix(r, "kel")), 90),
        "kecamatan": Matcher(kecs, lambda r: md.kecamatan_of(_strip_prefix(r, "kec")), 90),
    }


def matchers(md: MasterData) -> dict[str, Matcher]:
    """The matchers for one MasterData object (cached; the object is kept alive with them)."""
    hit = _CACHE.get(id(md))
    if hit is None or hit[0] is not md:
        if len(_CACHE) > 8:
            _CACHE.clear()
        hit = (md, _build_matchers(md))
        _CACHE[id(md)] = hit
    return hit[1]


_PREFIXES = {
    "kel": r"^(?:kelurahan|kel|desa|ds)\b\.?\s*",
    "kec": r"^(?:kecamatan|kec)\b\.?\s*",
}


def _strip_prefix(raw: object, kind: str) -> str:
    s = str(raw or "").strip()
    return re.sub(_PREFIXES[kind], "", s, flags=re.IGNORECASE)


def match_values(kind: str, values: list[str], md: MasterData) -> dict[str, NameMatch]:
    """Match each distinct raw value of one kind (department, category, kelurahan, kecamatan)."""
    m = matchers(md)[kind]
    out = {}
    for v in values:
        if kind in ("kelurahan", "kecamatan"):
            nm = m.match(v)
            if nm.value is None:
                nm2 = m.match(_strip_prefix(v, kind[:3]))
                nm = nm2 if nm2.value else nm
            out[v] = nm
        elif kind == "category":
            # LAPOR!'s "Lainnya terkait X" is X (category_map.yaml `other_prefixes`).
            nm = m.match(v)
            inner = md.strip_other_prefix(v)
            out[v] = m.match(inner) if nm.value is None and inner != v else nm
        else:
            out[v] = m.match(v)
    return out


def national_category_ids(df: pl.DataFrame, md: MasterData) -> pl.DataFrame:
    """Where a row's ``category_id`` (LAPOR!'s `ID Kategori`) is in category_map.yaml
    `by_id`, its category becomes that city category before names are matched."""
    if "category_id" not in df.columns or not md.category_map_ids:
        return df
    ids = df.get_column("category_id").drop_nulls().unique().to_list()
    hits = {v: md.category_map_ids.get(_id_key(v)) for v in ids}
    hits = {k: v for k, v in hits.items() if v}
    if not hits:
        return df
    mapped = pl.col("category_id").replace_strict(hits, default=None, return_dtype=pl.String)
    own = pl.col("category") if "category" in df.columns else pl.lit(None, dtype=pl.String)
    return df.with_columns(pl.coalesce([mapped, own]).alias("category"))


def _id_key(v: object) -> str:
    s = str(v).strip()
    return s[:-2] if s.endswith(".0") else s


def flag_value(raw: str) -> bool | None:
    """Ya/Tidak, Y/N, 1/0, true/false -> bool; anything else -> None (reported)."""
    k = norm_words(raw)
    if k in _FLAG_TRUE:
        return True
    if k in _FLAG_FALSE:
        return False
    return None


def status_map(md: MasterData, profile_labels: dict[str, str]) -> dict[str, str]:
    """norm_key(label) -> canonical status, profile labels first."""
    return {**md.status_labels, **profile_labels}


def channel_slug(channel: str) -> str:
    """'Call Center 112' -> 'call-center-112' (used in rekap complaint keys)."""
    return "-".join(norm_words(channel).split())


def infer_channel(text: str, md: MasterData, sources: tuple[str, ...]) -> list[str]:
    """Channels (of the given sources) whose name or an alias appears as whole
    words in ``text`` (a file name or a title block)."""
    tokens = norm_words(text).split()
    if not tokens:
        return []
    token_set = set(tokens)
    joined = " " + " ".join(tokens) + " "
    found: list[str] = []
    for ch in md.channels:
        if ch.source not in sources:
            continue
        for alias in (ch.name, *ch.aliases):
            words = norm_words(alias)
            if not words:
                continue
            if f" {words} " in joined or norm_key(alias) in token_set:
                if ch.name not in found:
                    found.append(ch.name)
                break
    return found
