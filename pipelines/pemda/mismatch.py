"""A file that names another pemda than the configured one: one warning per file.

Two places say which pemda an export belongs to (input-formats.md, 1a): the Laporan
Ringkas title block (`Nama Instansi | | Pemerintah Kabupaten …`) and the `Kota/Kabupaten`
column (where the reported matter is; reports from outside the pemda occur, so that
one is counted, and worded by how many rows it concerns). The warning appears in the
preview (`monev ingest`, Unggah Data), in the run log and in `monev check`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

import polars as pl

from pipelines import fmt
from pipelines.ingest.canonical import StagedFile
from pipelines.masterdata import MasterData
from pipelines.textnorm import norm_key, norm_words

TITLE_KEY = "namainstansi"
MAJORITY = 0.5  # above this share of rows naming another pemda the file is probably another pemda's export

_KAB = {"kabupaten", "kab", "pemkab"}
_KOTA = {"kota", "pemkot", "kotamadya"}
_ANY_REGION = re.compile(r"(?:^|\s)(?:kabupaten|kab|kota|pemkab|pemkot|kotamadya|provinsi|prov)\s+\S+")


@dataclass
class FilePemda:
    """What a file says about its pemda."""

    nama_instansi: str | None = None
    kota: Counter[str] = field(default_factory=Counter)  # Kota/Kabupaten value -> rows
    rows: int = 0


def _city(md: MasterData) -> tuple[str, str | None, str]:
    """(display name, 'kabupaten'|'kota'|None, bare name in normalised words) of the configured pemda."""
    name = str(md.city.get("name") or "")
    w = norm_words(name)
    kind = None
    for prefix, k in (("kabupaten ", "kabupaten"), ("kab ", "kabupaten"), ("kota ", "kota")):
        if w.startswith(prefix):
            kind, w = k, w[len(prefix):]
            break
    w = re.sub(r"^(?:administrasi|adm)\s+", "", w)  # Kota Administrasi Jakarta Selatan
    return str(md.city.get("pemda") or name), kind, w


def names_this_pemda(text: str, md: MasterData) -> bool | None:
    """True: ``text`` names the configured pemda; False: another one; None: it names no pemda."""
    _, kind, bare = _city(md)
    if not bare:
        return None
    w = re.sub(r"^(?:pemerintah|pemda)\s+", "", norm_words(text))
    if re.match(r"(?:kecamatan|kelurahan|desa|kalurahan)\s", w):
        return None  # a unit inside a pemda ("Kecamatan Kota Kudus"), not a pemda
    if w == bare:
        return True
    m = re.search(rf"(?:^|\s)(kabupaten|kab|pemkab|kota|pemkot|kotamadya)\s+(?:administrasi\s+|adm\s+)?"
                  rf"{re.escape(bare)}$", w)
    if m:
        said = "kabupaten" if m.group(1) in _KAB else "kota"
        return kind is None or said == kind
    return False if _ANY_REGION.search(w) else None


def facts_from_staged(sf: StagedFile) -> FilePemda:
    """What a staged file says about its pemda: the title block's `Nama Instansi`
    (readers.title_block) and the staged `regency` values (the `Kota/Kabupaten` column)."""
    nama = next((v for k, v in sf.title_block.items() if norm_key(k) == TITLE_KEY and v), None)
    kota: Counter[str] = Counter()
    n = 0
    if "regency" in sf.rows.columns:
        vals = sf.rows.get_column("regency").cast(pl.String).str.strip_chars()
        vals = vals.filter(vals.is_not_null() & (vals != ""))
        kota, n = Counter(dict(vals.value_counts().iter_rows())), vals.len()
    return FilePemda(nama, kota, n)


def pemda_warnings(facts: FilePemda, md: MasterData, file_name: str) -> list[str]:
    """At most two warnings for one file (title block, Kota/Kabupaten column), each one paragraph."""
    pemda, _, _ = _city(md)
    out: list[str] = []
    if facts.nama_instansi and names_this_pemda(facts.nama_instansi, md) is False:
        out.append(
            f"Berkas {file_name}: kop berkas menyebut Nama Instansi \"{facts.nama_instansi}\", sedangkan "
            f"konfigurasi ini untuk {pemda}. Bila berkas ini ekspor pemda lain, pakai folder konfigurasi pemda itu "
            "(--config-dir, dibuat dengan `monev init`); bila salah unggah, keluarkan berkas dari folder raw."
        )
    other = Counter({k: v for k, v in facts.kota.items() if names_this_pemda(k, md) is False})
    n_other = sum(other.values())
    if n_other and facts.rows:
        share = n_other / facts.rows
        top = ", ".join(f"{k} {fmt.number(v)}" for k, v in sorted(other.items(), key=lambda t: (-t[1], t[0]))[:3])
        head = (f"Berkas {file_name}: {fmt.number(n_other)} dari {fmt.number(facts.rows)} laporan "
                f"({fmt.percent(share)}) mencatat Kota/Kabupaten selain {md.city.get('name')} (terbanyak: {top}).")
        tail = (" Hampir semua laporan menyebut pemda lain: kemungkinan besar ini ekspor pemda lain; periksa "
                "sebelum memakainya." if share > MAJORITY else
                " Laporan tentang lokasi di luar wilayah memang bisa masuk; laporan itu tetap dimuat.")
        out.append(head + tail)
    return out


def staged_warnings(sf: StagedFile, md: MasterData, file_name: str | None = None) -> list[str]:
    """The warnings for one staged file (preview and `monev run` call this)."""
    return pemda_warnings(facts_from_staged(sf), md, file_name or sf.file_name)
