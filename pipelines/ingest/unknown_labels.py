"""Unknown labels, each listed once: what was written, in how many rows, the closest known
label, and a YAML snippet ready to paste into the profile or the master data.

One implementation for the three places that show them: the preview (`monev ingest`,
the dashboard's Unggah Data page), and `monev check` (from the published warehouse's
quarantine and warnings). Kinds: status, classification, category, department, channel.
A status label is never guessed for the data: the snippet is a suggestion the admin
reviews before pasting it (complaint-lifecycle.md: unknown labels are reported, not guessed).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import yaml
from rapidfuzz import fuzz, process

from pipelines import fmt
from pipelines.masterdata import CANONICAL_STATUSES, MasterData, read_yaml
from pipelines.pemda.mismatch import names_this_pemda
from pipelines.textnorm import norm_words

KINDS = ("status", "classification", "category", "department", "channel")
KIND_LABELS = {
    "status": "status",
    "classification": "klasifikasi",
    "category": "kategori",
    "department": "OPD",
    "channel": "kanal",
}
# staged column with the mapped value, staged column with the value as written
STAGED_COLUMNS = {
    "status": ("status", "status_label"),
    "classification": ("classification", "classification__raw"),
    "category": ("category", "category__raw"),
    "department": ("department", "department_raw"),
    "channel": ("channel__col", "channel__raw"),
}
# quality rules that report one row with an unknown label (pipelines.validate.rules)
RULE_KINDS = {
    "status_unknown": "status",
    "classification_unknown": "classification",
    "category_unknown": "category",
    "department_unknown": "department",
    "channel_value_unknown": "channel",
}
MASTER_FILES = {
    "classification": ("categories.yaml", "classifications"),
    "category": ("categories.yaml", "categories"),
    "department": ("departments.yaml", "departments"),
    "channel": ("channels.yaml", "channels"),
}
MIN_SCORE = 60  # below this the "closest" label is not worth showing


@dataclass
class UnknownLabel:
    kind: str
    raw: str
    rows: int
    files: tuple[str, ...] = ()
    profile: str | None = None
    other_pemda: bool = False  # an instansi of another pemda/province: nothing here to map it to
    closest: str | None = None  # the closest known label as written in the config
    target: str | None = None  # what it maps to: canonical status, or the canonical name
    score: float = 0.0

    def to_json(self) -> dict:
        return {"kind": self.kind, "raw": self.raw, "rows": self.rows, "files": list(self.files),
                "other_pemda": self.other_pemda,
                "profile": self.profile, "closest": self.closest, "target": self.target, "score": self.score}


# ---------------------------------------------------------------- collecting
def from_staged(rows: pl.DataFrame, file_name: str, profile: str | None) -> list[UnknownLabel]:
    """Distinct unknown labels of one staged file (pipelines.ingest.canonical.STAGED_SCHEMA)."""
    out: list[UnknownLabel] = []
    for kind in KINDS:
        mapped, raw = STAGED_COLUMNS[kind]
        if mapped not in rows.columns or raw not in rows.columns:
            continue
        g = (
            rows.filter(pl.col(mapped).is_null() & pl.col(raw).is_not_null() & (pl.col(raw).str.strip_chars() != ""))
            .group_by(pl.col(raw).str.strip_chars().alias("raw"))
            .len()
            .sort(["len", "raw"], descending=[True, False])
        )
        out += [UnknownLabel(kind, r, int(n), (file_name,), profile) for r, n in g.iter_rows()]
    return out


def from_findings(findings: Iterable[dict], profile_of_file: dict[str, str] | None = None) -> list[UnknownLabel]:
    """Group quarantine/warning rows (``rule``, ``observed``, ``file_name``) into one entry per label."""
    agg: dict[tuple[str, str, str | None], dict] = {}
    seen_rows: set[tuple] = set()
    for f in findings:
        kind = RULE_KINDS.get(str(f.get("rule")))
        raw = str(f.get("observed") or "").strip()
        if kind is None or not raw:
            continue
        row_key = (kind, raw, f.get("file_name"), f.get("sheet"), f.get("source_row"))
        if row_key in seen_rows:
            continue
        seen_rows.add(row_key)
        prof = (profile_of_file or {}).get(str(f.get("file_name"))) if kind == "status" else None
        a = agg.setdefault((kind, raw, prof), {"rows": 0, "files": []})
        a["rows"] += 1
        if f.get("file_name") not in a["files"]:
            a["files"].append(f.get("file_name"))
    out = [UnknownLabel(k, r, a["rows"], tuple(a["files"]), p) for (k, r, p), a in agg.items()]
    return sorted(out, key=lambda u: (KINDS.index(u.kind), -u.rows, u.raw))


# ---------------------------------------------------------------- closest known label
def _status_labels(md: MasterData) -> list[tuple[str, str]]:
    """(label as written in statuses.yaml, canonical status)."""
    raw = read_yaml(md.config_dir / "statuses.yaml") if (md.config_dir / "statuses.yaml").exists() else {}
    out = [(str(lab), st) for st, labs in (raw.get("labels") or {}).items() for lab in [st, *(labs or [])]]
    out += [(str(lab), st) for st, lab in (raw.get("canonical") or {}).items()]
    return out


def _choices(kind: str, md: MasterData) -> list[tuple[str, str]]:
    if kind == "status":
        return _status_labels(md)
    if kind == "classification":
        return [(a, c.name) for c in md.classifications for a in (c.name, *c.aliases)]
    if kind == "channel":
        return [(a, c.name) for c in md.channels for a in (c.name, *c.aliases)]
    if kind == "category":  # the city's categories, and LAPOR!'s national names already mapped onto them
        national = list(getattr(md, "category_map_names", {}).items())
        return [(a, c.name) for c in md.categories for a in (c.name, *c.aliases)] + national
    return [(a, d.name) for d in md.departments for a in (d.name, d.short, *d.aliases)]


# "Dinas Kesehatan Kab. Bandung" -> "dinas kesehatan" (the pemda suffix of LAPOR!'s instansi names)
_PEMDA_SUFFIX = re.compile(r"\s+(?:kab|kabupaten|kota|pemkab|pemkot)\s+\S+(?:\s+\S+)?$")


def _query(kind: str, raw: str) -> str:
    q = norm_words(raw)
    return _PEMDA_SUFFIX.sub("", q) if kind == "department" else q


def closest_label(kind: str, raw: str, choices: list[tuple[str, str]]) -> tuple[str, str, float] | None:
    """(closest label as written, what it maps to, score) or None when nothing is close.

    Token-set similarity first ("Ditutup oleh Sistem" contains "Ditutup"), then WRatio to break ties."""
    if not choices:
        return None
    q = _query(kind, raw)
    keys = [norm_words(a) for a, _ in choices]
    best: tuple[float, float, int] | None = None
    for _, score, idx in process.extract(q, keys, scorer=fuzz.token_set_ratio, processor=None, limit=10):
        cand = (float(score), float(fuzz.WRatio(q, keys[idx], processor=None)), -idx)
        if best is None or cand > best:
            best = cand
    if best is None or best[0] < MIN_SCORE:
        return None
    label, target = choices[-best[2]]
    return label, target, best[0]


def suggest(labels: list[UnknownLabel], md: MasterData) -> list[UnknownLabel]:
    """Fill ``closest``/``target``/``score`` of each label from the master data."""
    cache: dict[str, list[tuple[str, str]]] = {}
    for u in labels:
        if u.kind == "department" and names_this_pemda(u.raw, md) is False:
            u.other_pemda = True  # "Dinas Kesehatan Provinsi X" is not this pemda's Dinas Kesehatan
            continue
        hit = closest_label(u.kind, u.raw, cache.setdefault(u.kind, _choices(u.kind, md)))
        if hit:
            u.closest, u.target, u.score = hit
    return labels


# ---------------------------------------------------------------- text
def summary_lines(labels: list[UnknownLabel], md: MasterData | None = None) -> list[str]:
    """One line per distinct label (the lines `monev ingest` and `monev check` print)."""
    out: list[str] = []
    display = md.status_display if md else {}
    for u in labels:
        near = "-"
        if u.closest:
            near = f"\"{u.closest}\""
            shown = display.get(u.target, u.target) if u.kind == "status" and u.target else None
            if shown and shown != u.closest:
                near += f" ({shown})"
            elif u.kind != "status" and u.target and u.target != u.closest:
                near += f" ({u.target})"
        files = f", {', '.join(u.files)}" if len(u.files) > 1 else ""
        what = "instansi di luar pemda ini (tidak dipetakan ke OPD)" if u.other_pemda else f"paling mirip: {near}"
        out.append(f"{KIND_LABELS[u.kind]} \"{u.raw}\": {fmt.number(u.rows)} baris{files}; {what}")
    return out


def heading(labels: list[UnknownLabel]) -> str:
    n_rows = sum(u.rows for u in labels)
    return f"Label tak dikenal ({fmt.number(len(labels))} label berbeda, {fmt.number(n_rows)} baris):"


def _q(s: str) -> str:
    """A YAML scalar for ``s`` (quoted when plain would change its meaning)."""
    return yaml.safe_dump(s, allow_unicode=True, default_style=None, width=10_000).strip().removesuffix("\n...")


def _profile_labels(profile_path: Path | None) -> dict[str, str]:
    if profile_path is None or not profile_path.exists():
        return {}
    try:
        data = read_yaml(profile_path)
    except Exception:  # a broken profile is reported where it is loaded
        return {}
    labels = ((data or {}).get("status") or {}).get("labels") or {}
    return {str(k): str(v) for k, v in labels.items()} if isinstance(labels, dict) else {}


def status_snippet(labels: list[UnknownLabel], profile_path: Path | None) -> str:
    """`status.labels` for the profile: the labels it already has plus the unknown ones."""
    todo = [u for u in labels if u.kind == "status"]
    if not todo:
        return ""
    where = f"config/profiles/{profile_path.name}" if profile_path else "profil berkas ini"
    lines = [
        f"# Tempel di {where}: ganti baris `labels:` di bagian `status:` dengan ini (atau tambahkan",
        "# ejaannya ke config/statuses.yaml). Tebakan di kanan adalah label terdekat: periksa setiap baris;",
        f"# status kanonik: {', '.join(CANONICAL_STATUSES)}.",
        "status:",
        "  labels:",
    ]
    for lab, st in _profile_labels(profile_path).items():
        lines.append(f"    {_q(lab)}: {st}")
    for u in todo:
        target = u.target or "PILIH"
        hint = f"paling mirip \"{u.closest}\"" if u.closest else "tidak ada yang mirip: pilih status kanoniknya"
        lines.append(f"    {_q(u.raw)}: {target}  # {fmt.number(u.rows)} baris; {hint}")
    return "\n".join(lines)


def master_snippet(labels: list[UnknownLabel], kind: str) -> str:
    """Aliases for one master-data file, grouped under the entry each label most likely belongs to."""
    todo = [u for u in labels if u.kind == kind and not u.other_pemda]
    if not todo:
        return ""
    fname, section = MASTER_FILES[kind]
    lines = [
        f"# config/{fname}: tambahkan setiap ejaan ke `aliases` entri `{section}` yang sama namanya",
        "# (tebakan terdekat: periksa dulu; tanpa tebakan, pilih sendiri entrinya).",
        f"{section}:",
    ]
    by_target: dict[str | None, list[UnknownLabel]] = {}
    for u in todo:
        by_target.setdefault(u.target, []).append(u)
    for target, us in sorted(by_target.items(), key=lambda t: (t[0] is None, t[0] or "")):
        lines.append(f"  - name: {_q(target) if target else 'PILIH'}")
        lines.append(f"    aliases: [{', '.join(_q(u.raw) for u in us)}]"
                     f"  # {', '.join(fmt.number(u.rows) for u in us)} baris")
    return "\n".join(lines)


def category_map_snippet(labels: list[UnknownLabel]) -> str:
    """Lines for `by_name:` of config/category_map.yaml (LAPOR!'s national categories -> the city's)."""
    todo = [u for u in labels if u.kind == "category"]
    if not todo:
        return ""
    lines = [
        "# config/category_map.yaml: tambahkan baris-baris di bawah `by_name:` ke bagian `by_name:` yang ada",
        "# (nilai: nama kategori kota di categories.yaml; tebakan terdekat: periksa dulu).",
        "by_name:",
    ]
    for u in todo:
        hint = f"paling mirip \"{u.closest}\"" if u.closest else "tidak ada yang mirip: pilih kategorinya"
        lines.append(f"  {_q(u.raw)}: {_q(u.target) if u.target else 'PILIH'}  # {fmt.number(u.rows)} baris; {hint}")
    return "\n".join(lines)


def snippets(labels: list[UnknownLabel], profile_paths: dict[str | None, Path | None] | None = None, *,
             category_map: bool = False) -> list[str]:
    """Every snippet for ``labels``: the status labels per profile, then one per master-data file
    (categories into config/category_map.yaml when the configuration has one)."""
    out: list[str] = []
    profile_paths = profile_paths or {}
    for prof in dict.fromkeys(u.profile for u in labels if u.kind == "status"):
        s = status_snippet([u for u in labels if u.profile == prof], profile_paths.get(prof))
        if s:
            out.append(s)
    for kind in ("classification", "category", "department", "channel"):
        use_map = kind == "category" and category_map
        s = category_map_snippet(labels) if use_map else master_snippet(labels, kind)
        if s:
            out.append(s)
    return out


def render(labels: list[UnknownLabel], md: MasterData | None, profile_paths: dict | None = None) -> list[str]:
    has_map = md is not None and (md.config_dir / "category_map.yaml").exists()
    """The whole block: heading, one line per label, then the YAML snippets."""
    if not labels:
        return []
    out = [heading(labels)]
    out += [f"  - {line}" for line in summary_lines(labels, md)]
    out.append("Potongan YAML siap tempel:")
    for s in snippets(labels, profile_paths, category_map=has_map):
        out.append("")
        out += [f"    {line}" for line in s.splitlines()]
    return out
