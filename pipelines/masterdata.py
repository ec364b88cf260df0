"""Master data and settings from ``config/``: OPD, wilayah, categories, channels,
status labels, SLA limits, calendar settings and the city's identity.

Loaded once per process (``load_master_data``), validated with clear messages,
and written into the warehouse by ``pipelines.warehouse.load_master_tables``.
"""

from __future__ import annotations

import fnmatch
import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from pipelines.settings import resolve_config_dir
from pipelines.textnorm import norm_key, norm_words

CANONICAL_STATUSES = (
    "unverified",
    "awaiting_response",
    "in_progress",
    "resolved",
    "postponed",
    "archived",
    "not_authority",
)
EXCLUDED_STATUSES = ("archived", "not_authority")
# Lifecycle steps (kpi-spec.md, "Status says whether, dates say when"): a profile
# lists under `timed_steps` those whose dates its source records; a canonical
# status implies some steps by itself; a status label may imply more (`implies`).
STEPS = ("verification", "response", "resolution")
STATUS_DEFAULT_STEPS: dict[str, tuple[str, ...]] = {
    "in_progress": ("verification", "response"),
    "resolved": ("verification", "resolution"),
}


class ConfigError(ValueError):
    """A config file is missing or malformed; the message names the file and what to fix."""


_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path) -> Any:
    if not path.exists():
        raise ConfigError(f"Berkas konfigurasi {path} tidak ditemukan.")
    try:
        # libyaml's parser when PyYAML has it (same SafeConstructor and resolver, ~10x faster on the
        # wilayah lists of a province's 38 configurations); the pure-Python one otherwise
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER) or {}  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" baris {mark.line + 1}, kolom {mark.column + 1}" if mark else ""
        raise ConfigError(f"Berkas konfigurasi {path}{where} tidak dapat dibaca sebagai YAML: {exc}") from exc


def parse_steps(v: Any, what: str, fname: str) -> tuple[str, ...]:
    """A list of lifecycle steps (in STEPS order); ConfigError naming the file otherwise."""
    steps = [v] if isinstance(v, str) else list(v or [])
    bad = [s for s in steps if s not in STEPS]
    if bad:
        raise ConfigError(
            f"{fname}: {what} berisi {bad}; gunakan sebagian dari {', '.join(STEPS)} (atau [] bila tidak ada)."
        )
    return tuple(s for s in STEPS if s in steps)


def parse_status_implies(raw: Any, fname: str) -> dict[str, tuple[str, ...]]:
    """`implies: {label: [steps]}` (statuses.yaml or a profile's `status`) -> norm_key(label) -> steps."""
    if not raw:
        return {}
    if not isinstance(raw, dict):
        raise ConfigError(
            f"{fname}: 'implies' harus berupa pemetaan label: [langkah], mis. {{Ditutup oleh Sistem: [response]}}."
        )
    return {norm_key(lab): parse_steps(steps, f"implies.{lab}", fname) for lab, steps in raw.items()}


@dataclass(frozen=True)
class Department:
    name: str
    short: str
    kind: str
    kecamatan: str | None
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Category:
    name: str
    aliases: tuple[str, ...]
    resolution_limit_days: int | None


@dataclass(frozen=True)
class Classification:
    name: str
    aliases: tuple[str, ...]
    berkadar_pengawasan: bool


@dataclass(frozen=True)
class Channel:
    name: str
    source: str
    aliases: tuple[str, ...]
    patterns: tuple[str, ...] = ()  # shell-style, case-insensitive: "Website - *"


@dataclass(frozen=True)
class SlaLimits:
    verification: int
    response: int
    auto_close: int
    resolution: int
    resolution_pengawasan: int


# rates a league may order by (all "higher is better"); the default is kpi-spec.md's rule
LEAGUE_KEYS = (
    "on_time_response_rate", "response_rate", "resolution_rate", "on_time_resolution_rate",
    "on_time_verification_rate",
)
DEFAULT_LEAGUE = ("on_time_response_rate", "response_rate")


def parse_league(raw: Any) -> tuple[str, ...]:
    """``kpi.league`` of sla.yaml: one to three rate keys, the first decides, the next break ties."""
    if raw is None:
        return DEFAULT_LEAGUE
    keys = [raw] if isinstance(raw, str) else list(raw) if isinstance(raw, list | tuple) else None
    if not keys or len(keys) > 3 or len(set(keys)) != len(keys) or any(k not in LEAGUE_KEYS for k in keys):
        raise ConfigError(
            f"sla.yaml: kpi.league harus satu sampai tiga KPI berbeda dari {', '.join(LEAGUE_KEYS)} "
            f"(tertulis {raw!r}); yang pertama menentukan peringkat, berikutnya pemecah nilai sama."
        )
    return tuple(str(k) for k in keys)


@dataclass(frozen=True)
class KpiSettings:
    min_sample: int
    count_duplicates_once: bool
    aging_buckets: tuple[tuple[str, int | None], ...]
    due_soon_days: int = 2  # due_soon: the next limit within this many working days after A
    # the one league rule: the rates every ranked table orders by, higher first (kpi-spec.md Breakdowns)
    league: tuple[str, ...] = DEFAULT_LEAGUE


@dataclass(frozen=True)
class CalendarSettings:
    cuti_bersama_is_day_off: bool
    overrides_file: Path


@dataclass
class MasterData:
    config_dir: Path
    departments: list[Department]
    kecamatan: dict[str, list[str]]  # kecamatan -> kelurahan
    kecamatan_aliases: dict[str, str]  # norm_key -> kecamatan
    kelurahan_aliases: dict[str, str]  # norm_key -> kelurahan
    categories: list[Category]
    classifications: list[Classification]
    channels: list[Channel]
    status_labels: dict[str, str]  # norm_key(label) -> canonical status
    status_display: dict[str, str]  # canonical -> Indonesian label
    sla: SlaLimits
    kpi: KpiSettings
    calendar: CalendarSettings
    city: dict[str, Any]
    department_fuzzy_threshold: int
    # norm_key(status label) -> steps the label implies beyond its canonical status (statuses.yaml `implies`)
    status_implies: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # SP4N-LAPOR!'s national categories -> the city's (category_map.yaml)
    category_map_ids: dict[str, str] = field(default_factory=dict)  # ID Kategori -> category
    category_map_names: dict[str, str] = field(default_factory=dict)  # national name as written -> category
    category_other_prefixes: tuple[str, ...] = ()  # "Lainnya terkait" (norm_words)
    _dept_lookup: dict[str, str] = field(default_factory=dict, repr=False)
    _cat_lookup: dict[str, str] = field(default_factory=dict, repr=False)
    _cls_lookup: dict[str, str] = field(default_factory=dict, repr=False)
    _chan_lookup: dict[str, str] = field(default_factory=dict, repr=False)
    _national_lookup: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for d in self.departments:
            for a in (d.name, d.short, *d.aliases):
                self._dept_lookup.setdefault(norm_key(a), d.name)
        for c in self.categories:
            for a in (c.name, *c.aliases):
                self._cat_lookup.setdefault(norm_key(a), c.name)
        for c in self.classifications:
            for a in (c.name, *c.aliases):
                self._cls_lookup.setdefault(norm_key(a), c.name)
        for c in self.channels:
            for a in (c.name, *c.aliases):
                self._chan_lookup.setdefault(norm_key(a), c.name)
        for a, target in self.category_map_names.items():
            self._national_lookup.setdefault(norm_key(a), target)

    # Exact or alias lookups (normalised). Fuzzy matching lives in ingestion.
    def department_exact(self, raw: object) -> str | None:
        return self._dept_lookup.get(norm_key(raw))

    def category_exact(self, raw: object) -> str | None:
        return self._cat_lookup.get(norm_key(raw))

    def national_category(self, raw: object) -> str | None:
        """A LAPOR! national category name mapped in category_map.yaml `by_name`."""
        return self._national_lookup.get(norm_key(raw))

    def strip_other_prefix(self, raw: str) -> str:
        """"Lainnya terkait Infrastruktur Jalan" -> "Infrastruktur Jalan" (category_map.yaml `other_prefixes`)."""
        words = norm_words(raw)
        for p in self.category_other_prefixes:
            if words.startswith(p + " "):
                return words[len(p) + 1 :]
        return raw

    def channel_for(self, raw: object) -> str | None:
        """Exact or alias, else the first channel whose `patterns` match ("Website - pemerintah-kota-blitar")."""
        hit = self.channel_exact(raw)
        if hit or raw is None:
            return hit
        low = " ".join(str(raw).lower().split())
        for c in self.channels:
            if any(fnmatch.fnmatchcase(low, p.lower()) for p in c.patterns):
                return c.name
        return None

    def classification_exact(self, raw: object) -> str | None:
        return self._cls_lookup.get(norm_key(raw))

    def channel_exact(self, raw: object) -> str | None:
        return self._chan_lookup.get(norm_key(raw))

    def status_of(self, label: object) -> str | None:
        return self.status_labels.get(norm_key(label))

    def kecamatan_of(self, raw: object) -> str | None:
        return self.kecamatan_aliases.get(norm_key(raw))

    def kelurahan_of(self, raw: object) -> str | None:
        return self.kelurahan_aliases.get(norm_key(raw))

    def kecamatan_for_kelurahan(self, kelurahan: str) -> str | None:
        for kec, kels in self.kecamatan.items():
            if kelurahan in kels:
                return kec
        return None

    @property
    def department_names(self) -> list[str]:
        return [d.name for d in self.departments]

    @property
    def category_names(self) -> list[str]:
        return [c.name for c in self.categories]

    @property
    def channel_names(self) -> list[str]:
        return [c.name for c in self.channels]

    @property
    def kecamatan_names(self) -> list[str]:
        return list(self.kecamatan)

    @property
    def kelurahan_names(self) -> list[str]:
        return [k for kels in self.kecamatan.values() for k in kels]

    def resolution_limit(self, category: str | None, berkadar_pengawasan: bool = False) -> int:
        if berkadar_pengawasan:
            return self.sla.resolution_pengawasan
        for c in self.categories:
            if c.name == category and c.resolution_limit_days is not None:
                return c.resolution_limit_days
        return self.sla.resolution

    def config_hash(self) -> str:
        """Hash of every config file, recorded with each snapshot."""
        h = hashlib.sha256()
        for p in sorted(self.config_dir.rglob("*.yaml")):
            h.update(p.relative_to(self.config_dir).as_posix().encode())
            h.update(p.read_bytes())
        return h.hexdigest()[:16]


def _aliases(entry: dict, fname: str) -> tuple[str, ...]:
    al = entry.get("aliases") or []
    if not isinstance(al, list):
        raise ConfigError(f"{fname}: 'aliases' of {entry.get('name')!r} must be a list.")
    return tuple(str(a) for a in al)


def _require(entry: Any, key: str, fname: str, what: str) -> Any:
    if not isinstance(entry, dict) or key not in entry or entry[key] in (None, ""):
        raise ConfigError(f"{fname}: every {what} needs '{key}' (found {entry!r}).")
    return entry[key]


def _check_unique(lookup_pairs: list[tuple[str, str]], fname: str, what: str) -> None:
    seen: dict[str, str] = {}
    for alias, name in lookup_pairs:
        k = norm_key(alias)
        if k in seen and seen[k] != name:
            raise ConfigError(
                f"{fname}: the {what} spelling {alias!r} points to both {seen[k]!r} and {name!r}; "
                "remove it from one of them."
            )
        seen[k] = name


def _due_soon_days(kpi_raw: dict) -> int:
    raw = kpi_raw.get("due_soon_days", 2)
    if isinstance(raw, bool) or not isinstance(raw, int) or not 0 <= raw <= 30:
        raise ConfigError(
            f"sla.yaml: kpi.due_soon_days harus bilangan bulat 0 sampai 30 hari kerja (tertulis {raw!r})."
        )
    return raw


def load_master_data(config_dir: str | Path | None = None) -> MasterData:
    """Load and validate every master-data file in ``config_dir``."""
    cdir = resolve_config_dir(config_dir)
    return _load_cached(str(cdir), _mtimes(cdir))


def _mtimes(cdir: Path) -> tuple:
    return tuple((p.name, p.stat().st_mtime_ns) for p in sorted(cdir.glob("*.yaml")))


@lru_cache(maxsize=8)
def _load_cached(cdir_s: str, _mt: tuple) -> MasterData:
    cdir = Path(cdir_s)
    dep_raw = read_yaml(cdir / "departments.yaml")
    categories, classifications = _load_categories(cdir)
    status_labels, status_display, status_implies = _load_statuses(cdir)
    sla, kpi, calendar = _load_sla(cdir)
    kecamatan, kec_aliases, kel_aliases = _load_wilayah(cdir)
    cmap_ids, cmap_names, prefixes = _load_category_map(cdir, {c.name for c in categories})
    return MasterData(
        config_dir=cdir,
        departments=_load_departments(dep_raw),
        kecamatan=kecamatan,
        kecamatan_aliases=kec_aliases,
        kelurahan_aliases=kel_aliases,
        categories=categories,
        classifications=classifications,
        channels=_load_channels(cdir),
        status_labels=status_labels,
        status_display=status_display,
        sla=sla,
        kpi=kpi,
        calendar=calendar,
        city=read_yaml(cdir / "city.yaml") if (cdir / "city.yaml").exists() else {"name": "Kota"},
        department_fuzzy_threshold=int(dep_raw.get("fuzzy_threshold", 90)),
        status_implies=status_implies,
        category_map_ids=cmap_ids,
        category_map_names=cmap_names,
        category_other_prefixes=prefixes,
    )


def _load_departments(dep_raw: dict) -> list[Department]:
    departments = []
    for e in dep_raw.get("departments") or []:
        name = str(_require(e, "name", "departments.yaml", "department"))
        departments.append(
            Department(
                name=name,
                short=str(e.get("short") or name),
                kind=str(e.get("kind") or "dinas"),
                kecamatan=e.get("kecamatan"),
                aliases=_aliases(e, "departments.yaml"),
            )
        )
    if not departments:
        raise ConfigError("departments.yaml: no departments listed under 'departments:'.")
    _check_unique(
        [(a, d.name) for d in departments for a in (d.name, d.short, *d.aliases)], "departments.yaml", "OPD"
    )
    return departments


def _load_wilayah(cdir: Path) -> tuple[dict[str, list[str]], dict[str, str], dict[str, str]]:
    wil = read_yaml(cdir / "wilayah.yaml")
    kecamatan: dict[str, list[str]] = {}
    kec_aliases: dict[str, str] = {}
    kel_aliases: dict[str, str] = {}
    for kec, body in (wil.get("kecamatan") or {}).items():
        kels = [str(k) for k in (body or {}).get("kelurahan") or []]
        kecamatan[str(kec)] = kels
        kec_aliases[norm_key(kec)] = str(kec)
        for a in (body or {}).get("aliases") or []:
            kec_aliases[norm_key(a)] = str(kec)
        for k in kels:
            kel_aliases[norm_key(k)] = k
    for alias, kel in (wil.get("kelurahan_aliases") or {}).items():
        if not any(kel in v for v in kecamatan.values()):
            raise ConfigError(f"wilayah.yaml: kelurahan_aliases maps {alias!r} to unknown kelurahan {kel!r}.")
        kel_aliases[norm_key(alias)] = kel
    if not kecamatan:
        raise ConfigError("wilayah.yaml: no kecamatan listed under 'kecamatan:'.")
    return kecamatan, kec_aliases, kel_aliases


def _load_categories(cdir: Path) -> tuple[list[Category], list[Classification]]:
    cat_raw = read_yaml(cdir / "categories.yaml")
    categories = [
        Category(
            name=str(_require(e, "name", "categories.yaml", "category")),
            aliases=_aliases(e, "categories.yaml"),
            resolution_limit_days=(int(e["resolution_limit_days"]) if e.get("resolution_limit_days") else None),
        )
        for e in cat_raw.get("categories") or []
    ]
    classifications = [
        Classification(
            name=str(_require(e, "name", "categories.yaml", "classification")),
            aliases=_aliases(e, "categories.yaml"),
            berkadar_pengawasan=bool(e.get("berkadar_pengawasan", False)),
        )
        for e in cat_raw.get("classifications") or []
    ]
    _check_unique([(a, c.name) for c in categories for a in (c.name, *c.aliases)], "categories.yaml", "category")
    return categories, classifications


CATEGORY_MAP_FILE = "category_map.yaml"


def _load_category_map(cdir: Path, city_categories: set[str]) -> tuple[dict[str, str], dict[str, str], tuple[str, ...]]:
    """category_map.yaml (optional): SP4N-LAPOR!'s national categories onto the city's,
    by `ID Kategori` (`by_id`) or by name (`by_name`); `other_prefixes` ("Lainnya terkait")."""
    path = cdir / CATEGORY_MAP_FILE
    if not path.exists():
        return {}, {}, ()
    raw = read_yaml(path)
    by_id = {str(k).strip(): str(v) for k, v in (raw.get("by_id") or {}).items()}
    by_name = {str(k): str(v) for k, v in (raw.get("by_name") or {}).items()}
    for what, table in (("by_id", by_id), ("by_name", by_name)):
        bad = sorted({v for v in table.values() if v not in city_categories})
        if bad:
            raise ConfigError(
                f"{CATEGORY_MAP_FILE}: {what} memetakan ke kategori yang tidak ada di categories.yaml: {bad}; "
                "gunakan nama kategori persis seperti di categories.yaml."
            )
    _check_unique(list(by_name.items()), CATEGORY_MAP_FILE, "national category")
    prefixes = tuple(norm_words(p) for p in (raw.get("other_prefixes") or []) if norm_words(p))
    return by_id, by_name, prefixes


def _load_channels(cdir: Path) -> list[Channel]:
    ch_raw = read_yaml(cdir / "channels.yaml")
    channels = [
        Channel(
            name=str(_require(e, "name", "channels.yaml", "channel")),
            source=str(e.get("source") or "lokal"),
            aliases=_aliases(e, "channels.yaml"),
            patterns=tuple(str(p) for p in (e.get("patterns") or [])),
        )
        for e in ch_raw.get("channels") or []
    ]
    _check_unique([(a, c.name) for c in channels for a in (c.name, *c.aliases)], "channels.yaml", "channel")
    return channels


def _load_statuses(cdir: Path) -> tuple[dict[str, str], dict[str, str], dict[str, tuple[str, ...]]]:
    st_raw = read_yaml(cdir / "statuses.yaml")
    status_labels: dict[str, str] = {}
    for status, labels in (st_raw.get("labels") or {}).items():
        if status not in CANONICAL_STATUSES:
            raise ConfigError(
                f"statuses.yaml: {status!r} is not a canonical status; use one of {', '.join(CANONICAL_STATUSES)}."
            )
        for lab in [status, *(labels or [])]:
            k = norm_key(lab)
            if k in status_labels and status_labels[k] != status:
                raise ConfigError(f"statuses.yaml: label {lab!r} maps to both {status_labels[k]} and {status}.")
            status_labels[k] = status
    status_display = {s: str((st_raw.get("canonical") or {}).get(s, s)) for s in CANONICAL_STATUSES}
    status_implies = parse_status_implies(st_raw.get("implies"), "statuses.yaml")
    unknown = [lab for lab in (st_raw.get("implies") or {}) if norm_key(lab) not in status_labels]
    if unknown:
        raise ConfigError(f"statuses.yaml: 'implies' names labels that are not under 'labels': {unknown}.")
    return status_labels, status_display, status_implies


def _load_sla(cdir: Path) -> tuple[SlaLimits, KpiSettings, CalendarSettings]:
    sla_raw = read_yaml(cdir / "sla.yaml")
    lim = sla_raw.get("limits") or {}
    try:
        sla = SlaLimits(
            verification=int(lim.get("verification", 3)),
            response=int(lim.get("response", 5)),
            auto_close=int(lim.get("auto_close", 10)),
            resolution=int(lim.get("resolution", 14)),
            resolution_pengawasan=int(lim.get("resolution_pengawasan", 60)),
        )
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"sla.yaml: every limit must be a whole number of working days ({exc}).") from exc
    kpi_raw = sla_raw.get("kpi") or {}
    buckets = tuple(
        (str(b["label"]), (int(b["max"]) if b.get("max") is not None else None))
        for b in kpi_raw.get("backlog_aging_buckets")
        or [{"label": "0-5", "max": 5}, {"label": "6-14", "max": 14}, {"label": "15-60", "max": 60}, {"label": ">60", "max": None}]
    )
    kpi = KpiSettings(
        min_sample=int(kpi_raw.get("min_sample", 5)),
        count_duplicates_once=bool(kpi_raw.get("count_duplicates_once", True)),
        aging_buckets=buckets,
        due_soon_days=_due_soon_days(kpi_raw),
        league=parse_league(kpi_raw.get("league")),
    )
    if kpi.min_sample < 1:
        raise ConfigError(f"sla.yaml: kpi.min_sample harus bilangan bulat ≥ 1 (tertulis {kpi.min_sample}).")
    cal_raw = sla_raw.get("calendar") or {}
    calendar = CalendarSettings(
        cuti_bersama_is_day_off=bool(cal_raw.get("cuti_bersama_is_day_off", True)),
        overrides_file=cdir / str(cal_raw.get("overrides_file") or "calendar_overrides.yaml"),
    )
    return sla, kpi, calendar
