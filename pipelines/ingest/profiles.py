"""Mapping profiles: declarative YAML files in ``config/profiles/`` that say how
the columns of one kind of export map to the canonical complaint fields.

A user makes a profile for an unfamiliar file by copying one (no code); the
format is documented in docs/pipeline.md, bagian 5.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from pipelines.ingest.profile_check import load_profile_file, profile_error
from pipelines.masterdata import (
    CANONICAL_STATUSES,
    STEPS,
    ConfigError,
    parse_status_implies,
    parse_steps,
)
from pipelines.textnorm import norm_key

# Canonical fields a profile may map. Personal-data fields are read only to
# compute the reporter hash; `row_no` is the spreadsheet's running number.
TIMESTAMP_FIELDS = ("reported_at", "verified_at", "dispatched_at", "first_response_at", "resolved_at", "archived_at")
PII_FIELDS = ("reporter_name", "reporter_phone", "reporter_email", "reporter_nik")
# A separate time-of-day column that belongs to a date column ("Waktu Laporan Masuk").
TIME_FIELDS = {"reported_time": "reported_at"}
# Lifecycle steps whose dates a source may record (profile `timed_steps`;
# STEPS and parse_status_implies live in masterdata).
STEP_FIELDS = {"verification": "verified_at", "response": "first_response_at", "resolution": "resolved_at"}
TEXT_FIELDS = ("title", "body", "location")
KNOWN_FIELDS = (
    "source_id",
    *TIMESTAMP_FIELDS,
    "status",
    *TEXT_FIELDS,
    "classification",
    "category",
    "channel",
    "department",
    "kecamatan",
    "kelurahan",
    "is_anonymous",
    "is_confidential",
    "satisfaction",
    *PII_FIELDS,
    "row_no",
    *TIME_FIELDS,
    # SP4N-LAPOR! "Laporan Ringkas" (input-formats.md 1a)
    "body_initial",
    "category_id",
    "department_id",
    "parent_agency",
    "province",
    "regency",
    "status_reason",
    "flags",
    # Open311
    "status_notes",
    "updated_at",
    "expected_at",
    "service_code",
    "lat",
    "long",
    "media_url",
)
SOURCE_SYSTEMS = ("lapor", "rekap", "open311")  # the built-in ones; a profile may name its own
SOURCE_SYSTEM_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,31}$")
# A profile's part in likely-duplicate detection (`duplicates.role`): complaints kept by hand
# (`local`, e.g. a rekap) are paired with the system they are re-typed into (`central`, SP4N-LAPOR!).
DUPLICATE_ROLES = ("local", "central")
MAPPINGS = ("standard", "open311")
FORMATS = ("csv", "xlsx", "xls", "json")

# Indonesian names of the canonical fields, for messages.
FIELD_LABELS = {
    "source_id": "nomor/ID laporan",
    "reported_at": "tanggal laporan",
    "verified_at": "tanggal verifikasi",
    "dispatched_at": "tanggal disposisi",
    "first_response_at": "tanggal tindak lanjut",
    "resolved_at": "tanggal selesai",
    "archived_at": "tanggal arsip",
    "status": "status",
    "title": "judul",
    "body": "isi laporan",
    "location": "lokasi",
    "classification": "klasifikasi",
    "category": "kategori",
    "channel": "kanal",
    "department": "OPD/instansi",
    "kecamatan": "kecamatan",
    "kelurahan": "kelurahan",
    "is_anonymous": "anonim",
    "is_confidential": "rahasia",
    "satisfaction": "penilaian",
    "reporter_name": "nama pelapor",
    "reporter_phone": "telepon pelapor",
    "reporter_email": "email pelapor",
    "reporter_nik": "NIK pelapor",
    "row_no": "nomor urut",
    "reported_time": "jam laporan",
    "body_initial": "isi laporan awal",
    "category_id": "ID kategori",
    "department_id": "ID instansi",
    "parent_agency": "instansi induk",
    "province": "provinsi",
    "regency": "kota/kabupaten",
    "status_reason": "alasan tunda/arsip",
    "flags": "tipe laporan (penanda)",
    "status_notes": "catatan status",
    "updated_at": "tanggal pembaruan",
    "expected_at": "tanggal perkiraan",
    "service_code": "kode layanan",
    "lat": "lintang",
    "long": "bujur",
    "media_url": "tautan media",
    "surplus_fields": "kolom lebih",
}

_PARENS = re.compile(r"\([^)]*\)|\[[^\]]*\]")


def header_keys(header: object) -> frozenset[str]:
    """The normalised keys a header cell can match: as written, and without a
    parenthesised note ("Tanggal Laporan (WIB)" -> "tanggallaporan")."""
    if header is None:
        return frozenset()
    return _header_keys(str(header))


_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def _key(s: str) -> str:
    # textnorm.norm_key, with a fast path for plain ASCII (almost every header).
    return _NON_ALNUM.sub("", s.lower()) if s.isascii() else norm_key(s)


@lru_cache(maxsize=65536)
def _header_keys(s: str) -> frozenset[str]:
    keys = {_key(s), _key(_PARENS.sub(" ", s))}
    keys.discard("")
    return frozenset(keys)


@dataclass(frozen=True)
class FlagsSpec:
    """A cell holding several flags ("Anonim|Rahasia"): tokens split on ``separator``,
    each token (norm_key) naming the boolean field it sets."""

    separator: str
    values: dict[str, str]  # norm_key(token) -> is_anonymous | is_confidential


@dataclass(frozen=True)
class FieldSpec:
    name: str
    aliases: tuple[str, ...]
    required: bool = False
    flags: FlagsSpec | None = None


@dataclass(frozen=True)
class Profile:
    """One mapping profile (see config/profiles/*.yaml)."""

    name: str
    label: str
    source_system: str
    mapping: str
    has_verification_step: bool
    formats: tuple[str, ...]
    file_patterns: tuple[str, ...]
    fields: dict[str, FieldSpec]
    path: Path
    channel_fixed: str | None = None
    channel_column_default: str | None = None
    channel_from_file_name: bool = False
    channel_from_title: bool = False
    channel_sources: tuple[str, ...] = ("lokal",)
    status_required: bool = True
    status_when_missing: str = "quarantine"  # quarantine | derive
    status_labels: dict[str, str] = field(default_factory=dict)  # norm_key -> canonical
    day_first: bool = True
    timezone: str = "Asia/Jakarta"
    has_time: bool = True
    date_formats: tuple[str, ...] = ()  # strptime formats tried first (`dates.formats`)
    title_snapshot_labels: tuple[str, ...] = ()  # title-block labels holding the export date (`title_block.snapshot_date`)
    timed_steps: tuple[str, ...] = STEPS  # steps whose dates this source records
    status_implies: dict[str, tuple[str, ...]] = field(default_factory=dict)  # norm_key(label) -> extra steps
    duplicate_role: str | None = None  # local | central | None (no part in duplicate detection)
    duplicate_channels: tuple[str, ...] = ()  # central: only complaints of these channels (empty: all)
    _alias_index: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for f in self.fields.values():
            for a in (f.name, *f.aliases):
                for k in header_keys(a):
                    self._alias_index.setdefault(k, f.name)

    @property
    def required_fields(self) -> list[str]:
        return [f.name for f in self.fields.values() if f.required]

    def field_for_header(self, header: object) -> str | None:
        """The canonical field a header cell names, or None."""
        for k in header_keys(header):
            f = self._alias_index.get(k)
            if f:
                return f
        return None

    def matches_file_name(self, rel_path: str) -> bool:
        name = rel_path.lower()
        base = name.rsplit("/", 1)[-1]
        return any(fnmatch.fnmatch(base, p.lower()) or fnmatch.fnmatch(name, p.lower()) for p in self.file_patterns)

    def aliases_text(self, field_name: str, limit: int = 4) -> str:
        f = self.fields.get(field_name)
        al = list(f.aliases[:limit]) if f else [field_name]
        return ", ".join(f'"{a}"' for a in al)


def _as_tuple(v: Any, what: str, fname: str) -> tuple[str, ...]:
    if v is None:
        return ()
    if isinstance(v, str):
        return (v,)
    if not isinstance(v, list):
        raise ConfigError(f"{fname}: '{what}' harus berupa daftar (list).")
    return tuple(str(x) for x in v)


def parse_profile(data: dict, path: Path) -> Profile:
    """Validate one profile's YAML content; raise ConfigError naming the file and the fix."""
    fname = f"profil {path.name}"
    if not isinstance(data, dict):
        raise ConfigError(f"{fname}: isi berkas harus berupa pemetaan YAML (kunci: nilai).")
    name = str(data.get("name") or path.stem)
    src = str(data.get("source_system") or "")
    if not SOURCE_SYSTEM_PATTERN.match(src):
        raise ConfigError(
            f"{fname}: 'source_system' harus berupa nama pendek huruf kecil (mis. {', '.join(SOURCE_SYSTEMS)}, "
            f"atau nama sumber baru seperti aduan_wa); ditemukan {src!r}."
        )
    dup_role, dup_channels = _duplicates(data.get("duplicates"), fname)
    mapping = str(data.get("mapping") or "standard")
    if mapping not in MAPPINGS:
        raise ConfigError(f"{fname}: 'mapping' harus salah satu dari {', '.join(MAPPINGS)} (ditemukan {mapping!r}).")
    formats = _as_tuple(data.get("formats") or list(FORMATS), "formats", fname)
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise ConfigError(f"{fname}: format tidak dikenal {bad}; gunakan {', '.join(FORMATS)}.")
    raw_fields = data.get("fields") or {}
    if not isinstance(raw_fields, dict) or not raw_fields:
        raise ConfigError(f"{fname}: bagian 'fields' kosong; daftarkan kolom dan ejaan judulnya (aliases).")
    fields = _parse_fields(raw_fields, fname)
    for req in ("reported_at",):
        if req not in fields:
            raise ConfigError(f"{fname}: kolom wajib {req!r} belum dipetakan di 'fields'.")
    ch = data.get("channel") or {}
    st = data.get("status") or {}
    labels: dict[str, str] = {}
    for lab, canon in (st.get("labels") or {}).items():
        if canon not in CANONICAL_STATUSES:
            raise ConfigError(
                f"{fname}: status.labels memetakan {lab!r} ke {canon!r}; gunakan salah satu dari {', '.join(CANONICAL_STATUSES)}."
            )
        labels[norm_key(lab)] = canon
    when_missing = str(st.get("when_missing") or ("quarantine" if st.get("required", True) else "derive"))
    if when_missing not in ("quarantine", "derive"):
        raise ConfigError(f"{fname}: status.when_missing harus 'quarantine' atau 'derive'.")
    dates = data.get("dates") or {}
    return Profile(
        name=name,
        label=str(data.get("label") or name),
        source_system=src,
        mapping=mapping,
        has_verification_step=bool(data.get("has_verification_step", src == "lapor")),
        formats=formats,
        file_patterns=_as_tuple(data.get("file_patterns"), "file_patterns", fname),
        fields=fields,
        path=path,
        channel_fixed=(str(ch["fixed"]) if ch.get("fixed") else None),
        channel_column_default=(str(ch["column_default"]) if ch.get("column_default") else None),
        channel_from_file_name=bool(ch.get("from_file_name", False)),
        channel_from_title=bool(ch.get("from_title", False)),
        channel_sources=_as_tuple(ch.get("sources") or ["lokal"], "channel.sources", fname),
        status_required=bool(st.get("required", True)),
        status_when_missing=when_missing,
        status_labels=labels,
        day_first=(not bool(dates["month_first"])) if "month_first" in dates else bool(dates.get("day_first", True)),
        timezone=str(dates.get("timezone") or "Asia/Jakarta"),
        has_time=bool(dates.get("has_time", True)),
        date_formats=_as_tuple(dates.get("formats"), "dates.formats", fname),
        title_snapshot_labels=_as_tuple(
            (data.get("title_block") or {}).get("snapshot_date"), "title_block.snapshot_date", fname
        ),
        timed_steps=_steps(data.get("timed_steps", list(STEPS)), "timed_steps", fname),
        status_implies=parse_status_implies(st.get("implies"), fname),
        duplicate_role=dup_role,
        duplicate_channels=dup_channels,
    )


def _duplicates(raw: Any, fname: str) -> tuple[str | None, tuple[str, ...]]:
    """`duplicates: {role: local | central, channels: [...]}` (absent: the profile takes no part)."""
    if raw is None:
        return None, ()
    if not isinstance(raw, dict):
        raise ConfigError(f"{fname}: 'duplicates' harus berupa pemetaan, mis. duplicates: {{role: local}}.")
    role = raw.get("role")
    if role not in DUPLICATE_ROLES:
        raise ConfigError(
            f"{fname}: duplicates.role harus 'local' (pengaduan yang dicatat tangan, mis. rekap) atau 'central' "
            f"(sistem tempat pengaduan itu diketik ulang, mis. SP4N-LAPOR!); ditemukan {role!r}."
        )
    channels = _as_tuple(raw.get("channels"), "duplicates.channels", fname)
    if channels and role != "central":
        raise ConfigError(f"{fname}: duplicates.channels hanya berlaku untuk role 'central'.")
    return str(role), channels


def _parse_fields(raw_fields: dict, fname: str) -> dict[str, FieldSpec]:
    """The profile's `fields`: known canonical names, aliases not shared between two fields."""
    fields: dict[str, FieldSpec] = {}
    seen: dict[str, str] = {}
    for fname_key, spec in raw_fields.items():
        if fname_key not in KNOWN_FIELDS:
            raise ConfigError(
                f"{fname}: kolom kanonik {fname_key!r} tidak dikenal; gunakan salah satu dari {', '.join(KNOWN_FIELDS)}."
            )
        if isinstance(spec, list):
            spec = {"aliases": spec}
        spec = spec or {}
        aliases = _as_tuple(spec.get("aliases"), f"fields.{fname_key}.aliases", fname)
        for a in aliases:
            for k in header_keys(a):
                if k in seen and seen[k] != fname_key:
                    raise ConfigError(
                        f"{fname}: ejaan judul {a!r} dipakai untuk {seen[k]!r} dan {fname_key!r}; hapus dari salah satunya."
                    )
                seen[k] = fname_key
        fields[fname_key] = FieldSpec(
            fname_key, aliases, bool(spec.get("required", False)), _flags_spec(spec, fname_key, fname)
        )
    return fields


def _steps(v: Any, what: str, fname: str) -> tuple[str, ...]:
    if v is not None and not isinstance(v, (list, str)):
        raise ConfigError(f"{fname}: '{what}' harus berupa daftar (list).")
    return parse_steps(v, what, fname)


def _flags_spec(spec: dict, field_name: str, fname: str) -> FlagsSpec | None:
    """`flags`: one cell holding several flags, e.g. Tipe Laporan "Anonim|Rahasia"."""
    raw = spec.get("values") if field_name == "flags" else None
    if field_name != "flags":
        if spec.get("values") is not None or spec.get("separator") is not None:
            raise ConfigError(f"{fname}: 'values'/'separator' hanya berlaku untuk kolom 'flags'.")
        return None
    if not isinstance(raw, dict) or not raw:
        raise ConfigError(
            f"{fname}: fields.flags perlu 'values', mis. {{Anonim: is_anonymous, Rahasia: is_confidential}}."
        )
    values: dict[str, str] = {}
    for token, target in raw.items():
        if target not in ("is_anonymous", "is_confidential"):
            raise ConfigError(f"{fname}: fields.flags.values memetakan {token!r} ke {target!r}; gunakan is_anonymous atau is_confidential.")
        values[norm_key(token)] = str(target)
    return FlagsSpec(str(spec.get("separator") or "|"), values)


def load_profiles(config_dir: Path) -> list[Profile]:
    """Every profile in ``<config_dir>/profiles/*.yaml`` (sorted by file name)."""
    pdir = Path(config_dir) / "profiles"
    files = sorted(pdir.glob("*.yaml")) + sorted(pdir.glob("*.yml"))
    stamp = tuple((str(p), p.stat().st_mtime_ns) for p in files)
    return list(_load_cached(str(pdir), stamp))


@lru_cache(maxsize=8)
def _load_cached(pdir: str, stamp: tuple) -> tuple[Profile, ...]:
    out: list[Profile] = []
    names: dict[str, Path] = {}
    for p_s, _ in stamp:
        p = Path(p_s)
        prof = load_profile_file(p, parse_profile)
        if prof.name in names:
            raise profile_error(p, f"nama {prof.name!r} sudah dipakai oleh profil {names[prof.name].name}", None,
                                "Ganti 'name' di salah satu berkas, lalu jalankan perintahnya lagi")
        names[prof.name] = p
        out.append(prof)
    if not out:
        raise ConfigError(f"Tidak ada profil pemetaan (*.yaml) di {pdir}; salin profil bawaan proyek ke sana.")
    return tuple(out)


def validate_channels(profiles: list[Profile], channel_names: list[str]) -> None:
    """Fixed and default channels named in profiles must exist in channels.yaml."""
    known = set(channel_names)
    for p in profiles:
        for ch in (p.channel_fixed, p.channel_column_default):
            if ch and ch not in known:
                raise ConfigError(
                    f"profil {p.path.name}: kanal {ch!r} tidak ada di channels.yaml; gunakan nama kanal dari daftar itu."
                )
