"""A first list of OPD drafted from an export's `Instansi Terdisposisi` values.

LAPOR! writes the OPD with the pemda's suffix (`Dinas Perhubungan Kab. Bandung`,
`Kecamatan Ciparay`, input-formats.md 1a). The draft strips that suffix, guesses the
kind (dinas, badan, kecamatan, ...) and a short name, keeps the name as written as an
alias, and sets aside values that name another pemda. It is a draft: the admin checks
it against the pemda's SOTK (Perda/Perbup/Perwali on the organisation).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from pipelines.ingest.errors import FileRefused
from pipelines.ingest.profiles import header_keys
from pipelines.ingest.readers import load_csv_body, read_file
from pipelines.pemda.regions import District, Pemda
from pipelines.textnorm import norm_key, norm_words

DEPARTMENT_HEADERS = ("Instansi Terdisposisi", "Disposisi", "OPD", "Perangkat Daerah", "Unit Kerja", "Instansi Tujuan")

# name prefix (normalised words) -> kind in departments.yaml
_KINDS = (
    ("sekretariat dprd", "sekretariat"),
    ("sekretariat dewan", "sekretariat"),
    ("sekretariat daerah", "sekretariat"),
    ("sekretariat", "sekretariat"),
    ("inspektorat", "inspektorat"),
    ("satuan polisi pamong praja", "satpol"),
    ("satpol", "satpol"),
    ("rsud", "rsud"),
    ("rumah sakit", "rsud"),
    ("kecamatan", "kecamatan"),
    ("kelurahan", "kelurahan"),
    ("desa", "kelurahan"),
    ("badan", "badan"),
    ("dinas", "dinas"),
)
# Common OPD names (normalised) and the short name people use for them.
_SHORT = {
    "sekretariat daerah": "Setda",
    "sekretariat dprd": "Setwan",
    "inspektorat": "Inspektorat",
    "inspektorat daerah": "Inspektorat",
    "dinas pendidikan": "Disdik",
    "dinas kesehatan": "Dinkes",
    "dinas sosial": "Dinsos",
    "dinas perhubungan": "Dishub",
    "dinas lingkungan hidup": "DLH",
    "dinas kependudukan dan pencatatan sipil": "Disdukcapil",
    "dinas komunikasi dan informatika": "Diskominfo",
    "dinas pekerjaan umum dan penataan ruang": "DPUPR",
    "dinas perumahan dan kawasan permukiman": "Disperkim",
    "dinas tenaga kerja": "Disnaker",
    "dinas pertanian": "Distan",
    "dinas perindustrian dan perdagangan": "Disperindag",
    "dinas pemuda dan olahraga": "Dispora",
    "dinas pariwisata dan kebudayaan": "Disparbud",
    "dinas pemberdayaan masyarakat dan desa": "DPMD",
    "dinas penanaman modal dan pelayanan terpadu satu pintu": "DPMPTSP",
    "dinas perpustakaan dan kearsipan": "Dispusip",
    "dinas koperasi dan usaha mikro": "Diskop UM",
    "satuan polisi pamong praja": "Satpol PP",
    "badan penanggulangan bencana daerah": "BPBD",
    "badan perencanaan pembangunan daerah": "Bappeda",
    "badan pendapatan daerah": "Bapenda",
    "badan pengelolaan keuangan dan aset daerah": "BPKAD",
    "badan kepegawaian dan pengembangan sumber daya manusia": "BKPSDM",
    "badan kesatuan bangsa dan politik": "Kesbangpol",
}


@dataclass
class OpdDraft:
    departments: list[dict] = field(default_factory=list)
    other_pemda: list[tuple[str, int]] = field(default_factory=list)  # values that name another instansi
    source_rows: int = 0  # rows with a department value in the export


def read_department_values(path: Path) -> Counter[str]:
    """Distinct values of the export's department column (`Instansi Terdisposisi` ...) with row counts.

    Raises FileRefused when the file cannot be read or has no such column."""
    info = read_file(path)
    wanted = {k for h in DEPARTMENT_HEADERS for k in header_keys(h)}
    for g in info.grids:
        for pos, row in enumerate(g.head):
            idx = next((i for i, c in enumerate(row) if header_keys(c) & wanted), None)
            if idx is None:
                continue
            if info.kind == "csv":
                body = load_csv_body(info, path.name, pos).slice(1)
            else:
                body = g.df.filter(pl.col("__row") > g.head_rows[pos])
            col = f"c{idx}"
            if col not in body.columns:
                continue
            vals = body.get_column(col).cast(pl.String).str.strip_chars()
            vals = vals.filter(vals.is_not_null() & (vals != "") & (vals != "-"))
            return Counter(dict(vals.value_counts().iter_rows()))
    raise FileRefused(
        path.name, "no_department_column",
        f"Berkas {path.name} tidak dapat dipakai untuk draf OPD: kolom \"Instansi Terdisposisi\" (atau "
        f"{', '.join(DEPARTMENT_HEADERS[1:])}) tidak ditemukan di baris judul kolom. Pakai ekspor SP4N-LAPOR! "
        "\"Laporan Ringkas\" yang memuat kolom itu, atau jalankan `monev init` tanpa --dari-ekspor.",
    )


def _suffix_patterns(pemda: Pemda) -> list[re.Pattern]:
    bare = re.escape(norm_words(pemda.bare_name))
    kind = "(?:kabupaten|kab|pemkab|pemerintah kabupaten)" if pemda.kind == "kabupaten" else \
        "(?:kota|pemkot|pemerintah kota)"
    return [re.compile(rf"(?:^|\s+){kind}\s+(?:administrasi\s+|adm\s+)?{bare}$")]


_OTHER = re.compile(r"(?:^|\s)(?:kabupaten|kab|kota|pemkab|pemkot|pemprov|provinsi|prov)\s+\S+")
_UNIT_PREFIX = re.compile(r"^(?:kecamatan|kec|kelurahan|kel|desa|ds|kalurahan)\s+")


def strip_pemda(value: str, pemda: Pemda, local_names: frozenset[str] = frozenset()) -> tuple[str | None, bool]:
    """(name without the pemda suffix, whether it belongs to this pemda).

    'Dinas Perhubungan Kab. Bandung' -> ('Dinas Perhubungan', True);
    'Dinas Kesehatan Provinsi Jawa Barat' -> (None, False); 'Kecamatan Ciparay' -> ('Kecamatan Ciparay', True)."""
    words = norm_words(value)
    hit = _suffix_patterns(pemda)[0].search(words)
    if hit:
        n_drop = len(hit.group(0).split())
        return " ".join(value.split()[:-n_drop]).strip(" -,") or None, True
    if norm_key(_UNIT_PREFIX.sub("", words)) in local_names:  # "Kecamatan Kota Kudus" is a unit of Kab. Kudus
        return value.strip(), True
    if _OTHER.search(words) or words.startswith(("pemerintah ", "pemkab ", "pemkot ")):
        return None, False
    return value.strip(), True


def kind_of(name: str) -> str:
    w = norm_words(name)
    for prefix, kind in _KINDS:
        if w.startswith(prefix):
            return kind
    return "dinas"


def short_of(name: str, kind: str) -> str:
    w = norm_words(name)
    if w in _SHORT:
        return _SHORT[w]
    rest = name.split(None, 1)[1] if " " in name else name
    if kind == "kecamatan":
        return f"Kec. {rest}"
    if kind == "kelurahan":
        return ("Ds. " if w.startswith("desa") else "Kel. ") + rest
    return name


def draft_departments(values: Counter[str], pemda: Pemda, districts: list[District]) -> OpdDraft:
    """The OPD draft: every unit named in the export (suffix stripped), plus every kecamatan."""
    draft = OpdDraft(source_rows=sum(values.values()))
    by_name: dict[str, dict] = {}
    kec_by_key = {norm_key(d.name): d.name for d in districts}
    local = frozenset([*kec_by_key, *(norm_key(v.name) for d in districts for v in d.villages)])
    for raw, n in sorted(values.items(), key=lambda t: (-t[1], t[0])):
        name, ours = strip_pemda(raw, pemda, local)
        if not ours or not name:
            draft.other_pemda.append((raw, n))
            continue
        key = norm_key(name)
        entry = by_name.get(key)
        if entry is None:
            kind = kind_of(name)
            entry = {"name": name, "short": short_of(name, kind), "kind": kind, "aliases": [], "rows": 0}
            if kind in ("kecamatan", "kelurahan"):
                kec = kec_by_key.get(norm_key(re.sub(r"(?i)^kecamatan\s+", "", name)))
                if kind == "kecamatan" and kec:
                    entry["kecamatan"] = kec
            by_name[key] = entry
        entry["rows"] += n
        if raw != entry["name"] and raw not in entry["aliases"]:
            entry["aliases"].append(raw)
    for d in districts:  # every kecamatan is a perangkat daerah, whether or not the export names it
        key = norm_key(f"Kecamatan {d.name}")
        if key not in by_name:
            by_name[key] = {"name": f"Kecamatan {d.name}", "short": f"Kec. {d.name}", "kind": "kecamatan",
                            "kecamatan": d.name, "aliases": [], "rows": 0}
        by_name[key]["aliases"] = _unique([*by_name[key]["aliases"], f"Kec. {d.name}", f"Camat {d.name}"])
    order = {k: i for i, (k, _) in enumerate(_KINDS)}
    draft.departments = sorted(by_name.values(), key=lambda e: (e["kind"] == "kecamatan", e["kind"] == "kelurahan",
                                                                -e["rows"], order.get(e["kind"], 99), e["name"]))
    dedupe_aliases(draft.departments)
    return draft


def _unique(items: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for a in items:
        if norm_key(a) not in seen:
            seen.add(norm_key(a))
            out.append(a)
    return out


def dedupe_aliases(entries: list[dict]) -> None:
    """departments.yaml refuses one spelling for two OPD: drop aliases (and shorts) already taken."""
    taken: set[str] = {norm_key(e["name"]) for e in entries}
    for e in entries:
        if norm_key(e["short"]) in taken and norm_key(e["short"]) != norm_key(e["name"]):
            e["short"] = e["name"]
        taken.add(norm_key(e["short"]))
        keep = []
        for a in e["aliases"]:
            k = norm_key(a)
            if k in taken and k != norm_key(e["name"]):
                continue
            taken.add(k)
            keep.append(a)
        e["aliases"] = keep
