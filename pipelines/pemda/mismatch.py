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
from pathlib import Path

import polars as pl

from pipelines import fmt
from pipelines.ingest.errors import FileRefused
from pipelines.ingest.profiles import header_keys
from pipelines.ingest.readers import FileInfo, load_csv_body, read_file
from pipelines.masterdata import MasterData
from pipelines.textnorm import norm_key, norm_words

TITLE_KEY = "namainstansi"
KOTA_KEYS = {"kotakabupaten", "kabupatenkota", "kotakab", "kabkota"}
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
    return str(md.city.get("pemda") or name), kind, w


def names_this_pemda(text: str, md: MasterData) -> bool | None:
    """True: ``text`` names the configured pemda; False: another one; None: it names no pemda."""
    _, kind, bare = _city(md)
    if not bare:
        return None
    w = re.sub(r"^(?:pemerintah|pemda)\s+", "", norm_words(text))
    if w == bare:
        return True
    m = re.search(rf"(?:^|\s)(kabupaten|kab|pemkab|kota|pemkot|kotamadya)\s+{re.escape(bare)}$", w)
    if m:
        said = "kabupaten" if m.group(1) in _KAB else "kota"
        return kind is None or said == kind
    return False if _ANY_REGION.search(w) else None


def _title_value(info: FileInfo) -> str | None:
    for g in info.grids:
        for row in g.head:
            cells = [(c or "").strip() for c in row]
            for i, c in enumerate(cells):
                if norm_key(c) == TITLE_KEY:
                    return next((v for v in cells[i + 1:] if v), None)
    return None


def _kota_values(info: FileInfo, name: str) -> tuple[Counter[str], int]:
    for g in info.grids:
        for pos, row in enumerate(g.head):
            idx = next((i for i, c in enumerate(row) if header_keys(c) & KOTA_KEYS), None)
            if idx is None:
                continue
            body = load_csv_body(info, name, pos).slice(1) if info.kind == "csv" else \
                g.df.filter(pl.col("__row") > g.head_rows[pos])
            col = f"c{idx}"
            if col not in body.columns:
                return Counter(), 0
            vals = body.get_column(col).cast(pl.String).str.strip_chars()
            vals = vals.filter(vals.is_not_null() & (vals != ""))
            return Counter(dict(vals.value_counts().iter_rows())), vals.len()
    return Counter(), 0


def read_file_pemda(path: Path, data: bytes | None = None) -> FilePemda:
    """The title block's `Nama Instansi` and the `Kota/Kabupaten` column's values (empty when absent)."""
    try:
        info = read_file(path, data)
    except FileRefused:
        return FilePemda()
    kota, n = _kota_values(info, path.name)
    return FilePemda(_title_value(info), kota, n)


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


def file_warnings(path: Path, md: MasterData, file_name: str | None = None, data: bytes | None = None) -> list[str]:
    return pemda_warnings(read_file_pemda(path, data), md, file_name or path.name)
