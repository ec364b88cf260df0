"""A province installation: several pemda, each a complete single-city installation, in one folder.

Design (docs/province.md): the province data directory D holds ``provinsi.yaml`` (the province's name,
its configuration folder, and its pemda with their Kemendagri codes and configuration folders),
``D/pemda/<slug>/`` per pemda (a complete data directory built by exactly today's build with that
pemda's configuration) and ``D/curated/provinsi.duckdb`` (what the province pages read, written by
``pipelines.province.build``). Keys, duplicates, snapshot merges, calendars and SLAs therefore never
cross pemda; a pemda's numbers in the province are those of the same pemda built alone; one pemda's
new export rebuilds only that pemda.

A data directory without ``provinsi.yaml`` is a single-city installation, exactly as before:
``load_province`` returns None and nothing else changes.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipelines.masterdata import ConfigError, read_yaml
from pipelines.settings import DEFAULT_CONFIG_DIR, Paths

PROVINCE_FILE = "provinsi.yaml"
PROVINCE_WAREHOUSE = "provinsi.duckdb"
MAX_PROVINCE_FILE = 256 * 1024  # a province file lists at most a few hundred pemda
MAX_PEMDA = 600  # SP4N-LAPOR! connects 493 pemda
_KODE = re.compile(r"^\s*(\d{2})\.?(\d{2})\s*$")


class ProvinceError(ValueError):
    """The province file or a pemda code is wrong; the message (Bahasa Indonesia) says what to do."""


def normalize_kode(kode: object) -> str:
    """'3572', '35.72', ' 35.72 ' -> '35.72'; ProvinceError otherwise."""
    m = _KODE.match(str(kode)) if isinstance(kode, str | int) else None
    if not m:
        raise ProvinceError(
            f"Kode pemda {str(kode)[:40]!r} tidak sah; tulis kode Kemendagri kabupaten/kota seperti 35.72 atau 3572."
        )
    return f"{m.group(1)}.{m.group(2)}"


def slug_of(kode: str) -> str:
    return normalize_kode(kode).replace(".", "")


@dataclass(frozen=True)
class Pemda:
    """One kabupaten/kota of a province installation."""

    kode: str  # "35.72"
    name: str  # "Kota Blitar" (its city.yaml name)
    paths: Paths  # data_dir = D/pemda/3572, config_dir = its configuration folder

    @property
    def slug(self) -> str:
        return self.kode.replace(".", "")


@dataclass(frozen=True)
class Province:
    name: str
    data_dir: Path
    config_dir: Path  # sla.yaml `kpi` (league, min_sample) and rating_model.yaml of the province ranking
    pemda: tuple[Pemda, ...]

    @property
    def warehouse(self) -> Path:
        return self.data_dir / "curated" / PROVINCE_WAREHOUSE

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(p.kode for p in self.pemda)

    def get(self, kode: object) -> Pemda:
        """The pemda with this code ('35.72' or '3572'); ProvinceError naming the known codes otherwise."""
        k = normalize_kode(kode)
        for p in self.pemda:
            if p.kode == k:
                return p
        known = ", ".join(f"{p.kode} ({p.name})" for p in self.pemda[:12])
        more = " …" if len(self.pemda) > 12 else ""
        raise ProvinceError(f"Pemda dengan kode {k} tidak terdaftar di {PROVINCE_FILE}; yang terdaftar: {known}{more}.")


def province_file(data_dir: Path) -> Path:
    return Path(data_dir) / PROVINCE_FILE


def load_province(paths: Paths) -> Province | None:
    """The province of ``paths.data_dir``, or None when it holds no provinsi.yaml (single-city)."""
    f = province_file(paths.data_dir)
    if not f.is_file():
        return None
    return read_province(f)


def _folder(base: Path, raw: Any, what: str, fname: str) -> Path:
    if not isinstance(raw, str) or not raw.strip() or len(raw) > 500:
        raise ProvinceError(f"{fname}: {what} harus berupa jalur folder (teks).")
    p = Path(raw.strip()).expanduser()
    p = (p if p.is_absolute() else base / p).resolve()
    if not (p / "city.yaml").is_file():
        raise ProvinceError(
            f"{fname}: folder konfigurasi {what} ({p}) tidak berisi city.yaml; buat dengan "
            f"`monev init {p} --pemda \"NAMA PEMDA\"`."
        )
    return p


def _city(config_dir: Path, kode: str, fname: str) -> str:
    try:
        city = read_yaml(config_dir / "city.yaml")
    except ConfigError as exc:
        raise ProvinceError(str(exc)) from None
    if not isinstance(city, dict) or not str(city.get("name") or "").strip():
        raise ProvinceError(f"{config_dir / 'city.yaml'}: `name` (nama pemda) wajib diisi.")
    own = city.get("kode_wilayah")
    if own is not None and normalize_kode(own) != kode:
        raise ProvinceError(
            f"{fname}: pemda {kode} memakai {config_dir}, padahal city.yaml di sana bertanda kode_wilayah "
            f"{normalize_kode(own)} ({city['name']}). Perbaiki kode di {PROVINCE_FILE} atau foldernya."
        )
    return str(city["name"]).strip()[:120]


def read_province(f: Path) -> Province:
    """Parse and check provinsi.yaml (bounded size; every problem names the file and the entry)."""
    fname = str(f)
    if f.stat().st_size > MAX_PROVINCE_FILE:
        raise ProvinceError(f"{fname} lebih dari {MAX_PROVINCE_FILE // 1024} KiB; berkas provinsi hanya daftar pemda.")
    try:
        raw = read_yaml(f)
    except ConfigError as exc:
        raise ProvinceError(str(exc)) from None
    if not isinstance(raw, dict):
        raise ProvinceError(f"{fname}: isi berkas harus berupa pemetaan dengan `nama` dan `pemda`.")
    name = raw.get("nama")
    if not isinstance(name, str) or not name.strip():
        raise ProvinceError(f"{fname}: `nama` (nama provinsi, mis. Provinsi Jawa Timur) wajib diisi.")
    base = f.parent.resolve()
    config_dir = _folder(base, raw["config"], "`config`", fname) if raw.get("config") else DEFAULT_CONFIG_DIR
    entries = raw.get("pemda")
    if not isinstance(entries, list) or not entries:
        raise ProvinceError(f"{fname}: `pemda` harus daftar berisi paling sedikit satu pemda (kode dan config).")
    if len(entries) > MAX_PEMDA:
        raise ProvinceError(f"{fname}: {len(entries)} pemda; paling banyak {MAX_PEMDA}.")
    out: list[Pemda] = []
    for i, e in enumerate(entries, start=1):
        if not isinstance(e, dict) or "kode" not in e or "config" not in e:
            raise ProvinceError(f"{fname}: pemda ke-{i} harus punya `kode` (mis. \"35.72\") dan `config` (folder).")
        try:
            kode = normalize_kode(e["kode"])
        except ProvinceError as exc:
            raise ProvinceError(f"{fname}: pemda ke-{i}: {exc}") from None
        if any(p.kode == kode for p in out):
            raise ProvinceError(f"{fname}: kode {kode} tercantum dua kali (pemda ke-{i}).")
        cdir = _folder(base, e["config"], f"pemda {kode}", fname)
        data_dir = base / "pemda" / kode.replace(".", "")
        out.append(Pemda(kode=kode, name=_city(cdir, kode, fname), paths=Paths(data_dir, cdir)))
    return Province(name=name.strip()[:120], data_dir=base, config_dir=config_dir, pemda=tuple(out))


def province_yaml(name: str, pemda: list[tuple[str, str]], config: str | None = None) -> str:
    """The text of provinsi.yaml for (kode, config folder relative to the file) pairs."""
    lines = [
        "# Instalasi provinsi Monev Pengaduan: daftar pemda (kode Kemendagri) dan folder konfigurasinya.",
        "# Setiap pemda punya folder data sendiri di pemda/<kode tanpa titik>/ (docs/province.md).",
        f"nama: {json.dumps(name, ensure_ascii=False)}",  # a JSON string is a YAML string
    ]
    if config:
        lines.append(f"config: {config}")
    lines.append("pemda:")
    for kode, cdir in pemda:
        lines.append(f'  - kode: "{normalize_kode(kode)}"')
        lines.append(f"    config: {cdir}")
    return "\n".join(lines) + "\n"
