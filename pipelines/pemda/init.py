"""`monev init DIR --pemda "Kabupaten X"`: a configuration folder for any kabupaten/kota.

City-specific files are generated: ``city.yaml`` (name, province, Kemendagri code, time
zone, sign-off), ``wilayah.yaml`` (every kecamatan and kelurahan/desa with its Kemendagri
code) and ``departments.yaml`` (a DRAFT list of OPD, from an export's `Instansi
Terdisposisi` values when one is given). Everything else (statuses, channels, SLA,
categories, ingest settings, rating model, calendar overrides, mapping profiles) is
copied from the built-in configuration, so `monev run --config-dir DIR` works at once.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from pipelines import fmt
from pipelines.masterdata import load_master_data, read_yaml
from pipelines.pemda import opd, regions
from pipelines.pemda.regions import District, Pemda
from pipelines.settings import DEFAULT_CONFIG_DIR

GENERATED = ("city.yaml", "wilayah.yaml", "departments.yaml")
BUILTIN_CITY = "Kota Blitar"  # the built-in configuration's pemda (its name is replaced in copied comments)


class InitError(ValueError):
    """`monev init` cannot write the folder; the message says why and what to do."""


@dataclass
class InitResult:
    target: Path
    pemda: Pemda
    n_kecamatan: int
    n_kelurahan: int
    n_desa: int
    n_departments: int
    from_export: str | None
    set_aside: list[tuple[str, int]] = field(default_factory=list)
    export_rows: int = 0  # rows of the export with an Instansi Terdisposisi value
    files: list[str] = field(default_factory=list)

    def summary(self) -> str:
        src = (f"draf dari {fmt.number(self.n_departments)} unit di ekspor {self.from_export}"
               if self.from_export else f"draf umum {fmt.number(self.n_departments)} OPD")
        return (
            f"Konfigurasi untuk {self.pemda.pemda_name} ({self.pemda.province}, kode wilayah {self.pemda.code}) "
            f"ditulis ke {self.target}: {fmt.number(self.n_kecamatan)} kecamatan, {fmt.number(self.n_kelurahan)} "
            f"kelurahan dan {fmt.number(self.n_desa)} desa (kode Kemendagri), OPD {src}. "
            "departments.yaml adalah DRAF: cocokkan dengan SOTK pemda sebelum dipakai untuk laporan resmi."
        )


def _q(s: object) -> str:
    return yaml.safe_dump(str(s), allow_unicode=True, width=10_000).strip().removesuffix("\n...").strip()


def _code(s: str) -> str:
    return f'"{s}"'


def _flow(items: list[str]) -> str:
    return "[" + ", ".join(_q(a) for a in items) + "]"


def city_yaml(p: Pemda) -> str:
    place = p.bare_name
    return f"""# Pemda yang dilayani instalasi ini. Dipakai di rapor dan dasbor.
# Ditulis oleh `monev init` pada {dt.date.today():%Y-%m-%d} dari daftar kode wilayah Kemendagri
# ({regions.SOURCE}; {regions.source_version()}).
name: {_q(p.name)}
pemda: {_q(p.pemda_name)}
province: {_q(p.province)}
kode_wilayah: {_code(p.code)}            # kode Kemendagri kabupaten/kota
timezone: {p.timezone}
coordinator_department: Dinas Komunikasi dan Informatika   # Admin Koordinator SP4N-LAPOR!; sesuaikan
# Blok tanda tangan rapor (isi sebelum mencetak salinan resmi).
signoff:
  place: {_q(place)}
  title: {_q("Sekretaris Daerah " + p.name)}
  name: "........................................"
  nip: "........................................"
"""


def wilayah_yaml(p: Pemda, dists: list[District]) -> str:
    n_v = sum(len(d.villages) for d in dists)
    lines = [
        f"# Kecamatan dan kelurahan/desa {p.name} ({fmt.number(len(dists))} kecamatan, {fmt.number(n_v)} "
        "kelurahan/desa),",
        f"# dengan kode Kemendagri; sumber: {regions.SOURCE} ({regions.source_version()}, lisensi {regions.LICENSE}).",
        "# Pencocokan mengabaikan huruf besar/kecil, spasi dan tanda baca; tambahkan `aliases` untuk ejaan lain",
        "# yang muncul di ekspor (mis. nama lama sebuah desa) dan `kelurahan_aliases: {Ejaan Lain: Nama Resmi}`.",
        "kecamatan:",
    ]
    for d in dists:
        lines += [
            f"  {_q(d.name)}:",
            f"    kode: {_code(d.code)}",
            "    aliases: []",
            f"    kelurahan: {_flow([v.name for v in d.villages])}",
            "    kode_kelurahan:",
            *[f"      {_q(v.name)}: {_code(v.code)}   # {v.kind}" for v in d.villages],
        ]
    lines.append("kelurahan_aliases: {}")
    return "\n".join(lines) + "\n"


def _generic_departments(p: Pemda) -> list[dict]:
    """The built-in list without the built-in city's own units, for a pemda without an export."""
    out = []
    for e in (read_yaml(DEFAULT_CONFIG_DIR / "departments.yaml").get("departments") or []):
        if e.get("kind") in ("kecamatan", "kelurahan", "rsud"):
            continue
        aliases = [a for a in e.get("aliases") or [] if BUILTIN_CITY.lower() not in str(a).lower()]
        out.append({"name": e["name"], "short": e.get("short") or e["name"], "kind": e.get("kind") or "dinas",
                    "aliases": aliases, "rows": 0})
    return out


def departments_yaml(p: Pemda, entries: list[dict], export_name: str | None, set_aside: list[tuple[str, int]]) -> str:
    src = (f"dari nilai kolom `Instansi Terdisposisi` di ekspor {export_name} (akhiran \"{p.short_label}\" dibuang)"
           if export_name else "dari daftar umum perangkat daerah (tanpa ekspor)")
    lines = [
        f"# Perangkat daerah (OPD) {p.name} dan aliasnya.",
        "#",
        "# DRAF - PERIKSA SEBELUM DIPAKAI. Ditulis oleh `monev init` "
        f"{src}, ditambah semua kecamatan dari daftar kode wilayah.",
        f"# Cocokkan dengan Perda/Perbup/Perwali tentang Susunan Organisasi dan Tata Kerja (SOTK) {p.name}:",
        "# nama resmi, singkatan (`short`, dipakai di grafik), jenis (`kind`: sekretariat | dinas | badan |",
        "# inspektorat | satpol | rsud | kecamatan | kelurahan). Nama seperti tertulis di ekspor disimpan di",
        "# `aliases` agar ekspor berikutnya tetap cocok. Setelah diperiksa, hapus baris `draft: true`.",
        "draft: true",
        "departments:",
    ]
    for e in entries:
        seen = f"  # {fmt.number(e['rows'])} laporan di ekspor" if e.get("rows") else ""
        lines.append(f"  - name: {_q(e['name'])}{seen}")
        lines.append(f"    short: {_q(e['short'])}")
        lines.append(f"    kind: {e['kind']}")
        if e.get("kecamatan"):
            lines.append(f"    kecamatan: {_q(e['kecamatan'])}")
        lines.append(f"    aliases: {_flow(e['aliases'])}")
    if set_aside:
        lines.append("# Nilai di ekspor yang tidak dimasukkan karena menyebut instansi lain (bukan OPD pemda ini):")
        lines += [f"#   {raw} ({fmt.number(n)} laporan)" for raw, n in set_aside]
    lines += [
        "",
        "# Pencocokan fuzzy nama yang bukan nama resmi atau alias (rapidfuzz, 0-100). Di bawah ambang ini",
        "# sebuah nama dilaporkan tidak cocok dengan tiga saran terdekat.",
        "fuzzy_threshold: 90",
    ]
    return "\n".join(lines) + "\n"


def _copy_generic(target: Path, p: Pemda) -> list[str]:
    """Every built-in file but the city-specific ones (profiles included); the built-in city's name in
    comments becomes the new pemda's; the profiles read dates in the pemda's time zone."""
    written = []
    for src in sorted(DEFAULT_CONFIG_DIR.rglob("*")):
        rel = src.relative_to(DEFAULT_CONFIG_DIR)
        if src.is_dir() or rel.as_posix() in GENERATED or any(part.startswith(".") for part in rel.parts):
            continue
        dst = target / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.suffix in (".yaml", ".yml"):
            text = src.read_text(encoding="utf-8").replace(BUILTIN_CITY, p.name)
            if rel.parts[0] == "profiles" and p.timezone != "Asia/Jakarta":
                text = text.replace("timezone: Asia/Jakarta", f"timezone: {p.timezone}")
            dst.write_text(text, encoding="utf-8")
        else:
            shutil.copy2(src, dst)
        written.append(rel.as_posix())
    return written


def init_config(target: Path, pemda: str, *, provinsi: str | None = None, export: Path | None = None,
                overwrite: bool = False) -> InitResult:
    """Write the configuration folder; raise InitError (or regions.PemdaNotFound, opd's FileRefused)."""
    p = regions.find_pemda(pemda, provinsi)
    target = Path(target)
    if target.exists() and any(target.iterdir()) and not overwrite:
        raise InitError(f"Folder {target} sudah berisi berkas; pilih folder baru atau tambahkan --timpa untuk "
                        "menimpa berkas konfigurasinya.")
    dists = regions.districts(p)
    values: Counter[str] = opd.read_department_values(export) if export else Counter()
    if export and not values:
        raise InitError(f"Kolom \"Instansi Terdisposisi\" di {export.name} kosong di semua baris; draf OPD tidak "
                        "dapat dibuat darinya. Jalankan `monev init` tanpa --dari-ekspor.")
    draft = opd.draft_departments(values, p, dists) if export else None
    entries = draft.departments if draft else _merge_generic(_generic_departments(p), dists, p)
    target.mkdir(parents=True, exist_ok=True)
    files = _copy_generic(target, p)
    (target / "city.yaml").write_text(city_yaml(p), encoding="utf-8")
    (target / "wilayah.yaml").write_text(wilayah_yaml(p, dists), encoding="utf-8")
    (target / "departments.yaml").write_text(
        departments_yaml(p, entries, export.name if export else None, draft.other_pemda if draft else []),
        encoding="utf-8")
    load_master_data(target)  # the folder must load as written (a bug here must not reach the user later)
    return InitResult(
        target=target, pemda=p, n_kecamatan=len(dists),
        n_kelurahan=sum(v.kind == "kelurahan" for d in dists for v in d.villages),
        n_desa=sum(v.kind == "desa" for d in dists for v in d.villages),
        n_departments=len(entries), from_export=export.name if export else None,
        set_aside=draft.other_pemda if draft else [], export_rows=draft.source_rows if draft else 0,
        files=[*GENERATED, *files],
    )


def _merge_generic(generic: list[dict], dists: list[District], p: Pemda) -> list[dict]:
    d = opd.draft_departments(Counter(), p, dists)
    out = [*generic, *d.departments]
    opd.dedupe_aliases(out)
    return out
