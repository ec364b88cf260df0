"""What the upload page (and ``monev ingest``) shows before a file is accepted:
the profile that fits, the header row, how each column maps, the first rows
canonicalised and redacted, and the problems, without touching the warehouse.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from pipelines import fmt
from pipelines.ingest.canonical import stage_file
from pipelines.ingest.errors import FileRefused
from pipelines.ingest.profiles import FIELD_LABELS, load_profiles
from pipelines.ingest.settings import load_ingest_settings
from pipelines.ingest.unknown_labels import RULE_KINDS, UnknownLabel, from_staged, render, snippets, suggest
from pipelines.masterdata import MasterData
from pipelines.pemda.mismatch import FilePemda, facts_from_staged, pemda_warnings
from pipelines.validate.engine import Validator, issues_from
from pipelines.validate.suites import staging_checks, staging_frames

PREVIEW_COLUMNS = (
    "source_row", "source_id", "reported_at", "status", "status_label", "classification", "category", "channel",
    "department", "department_raw", "kecamatan", "kelurahan", "title", "body", "location",
    "verified_at", "dispatched_at", "first_response_at", "resolved_at",
)


@dataclass
class Preview:
    file_name: str
    ok: bool
    refused: str | None = None  # the refusal paragraph when not ok
    profile: str | None = None
    profile_label: str | None = None
    kind: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    sheets: list[str | None] = field(default_factory=list)
    header_rows: list[int] = field(default_factory=list)
    columns: list[tuple[str, str | None, str | None]] = field(default_factory=list)  # header, field, label
    channel: str | None = None
    channel_source: str | None = None
    snapshot_date: dt.date | None = None
    rows_read: int = 0
    rows_data: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    rows: pl.DataFrame | None = None  # first rows, canonical and redacted
    problems: pl.DataFrame | None = None  # issue rows (pipelines.validate.engine.ISSUE_SCHEMA)
    rows_blocked: int = 0
    unmatched: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unknown_labels: list[UnknownLabel] = field(default_factory=list)  # each distinct label once
    label_snippets: list[str] = field(default_factory=list)  # YAML ready to paste (unknown_labels.py)
    pemda_warnings: list[str] = field(default_factory=list)  # the file names another pemda (pemda/mismatch.py)
    pemda_facts: FilePemda | None = None  # what the file says about its pemda (routing in a province)

    @property
    def blocking_share(self) -> float:
        return self.rows_blocked / self.rows_data if self.rows_data else 0.0


def preview_file(
    path: str | Path,
    md: MasterData,
    *,
    profile: str | None = None,
    channel: str | None = None,
    rel_path: str | None = None,
    n_rows: int = 20,
    validate: bool = True,
) -> Preview:
    """Read ``path`` as the pipeline would and report what would load, without writing anything."""

    path = Path(path)
    profiles = load_profiles(md.config_dir)
    try:
        sf = stage_file(
            path, md, profiles, rel_path=rel_path or path.name, salt=b"preview", channel_override=channel,
            profile_name=profile,
        )
    except FileRefused as exc:
        return Preview(path.name, False, refused=exc.message)
    pv = Preview(
        file_name=path.name,
        ok=True,
        profile=sf.profile.name,
        profile_label=sf.profile.label,
        kind=sf.kind,
        encoding=sf.encoding,
        delimiter=sf.delimiter,
        sheets=sf.sheets,
        header_rows=sf.header_rows,
        columns=[(h, f, FIELD_LABELS.get(f) if f else None) for h, f in sf.columns],
        channel=sf.channel,
        channel_source=sf.channel_source,
        snapshot_date=sf.snapshot_date,
        rows_read=sf.rows_read,
        rows_data=sf.rows.height,
        skipped=sf.skipped,
        rows=sf.rows.select([c for c in PREVIEW_COLUMNS if c in sf.rows.columns]).head(n_rows),
        unmatched=[
            {"kind": n.kind, "raw": n.raw, "rows": n.rows, "suggestions": list(n.suggestions)}
            for n in sf.names
            if n.value is None
        ],
        notes=sf.notes,
    )
    pv.unknown_labels = suggest(from_staged(sf.rows, path.name, sf.profile.name), md)
    pv.label_snippets = snippets(pv.unknown_labels, {sf.profile.name: sf.profile.path},
                                 category_map=(md.config_dir / "category_map.yaml").exists())
    pv.pemda_facts = facts_from_staged(sf)
    pv.pemda_warnings = pemda_warnings(pv.pemda_facts, md, path.name)
    if validate:
        settings = load_ingest_settings(md.config_dir)
        now = dt.datetime.now()
        end = (
            dt.datetime.combine(sf.snapshot_date, dt.time(23, 59, 59, 999999))
            if sf.snapshot_date_source == "name" and sf.snapshot_date
            else now
        )
        frame = sf.rows.with_row_index("__row").with_columns(
            pl.col("__row").cast(pl.Int64),
            pl.lit("preview").alias("file_hash"),
            pl.lit(path.name).alias("file_name"),
            pl.lit(end, dtype=pl.Datetime("us")).alias("snapshot_end"),
        )
        checks = staging_checks(sf.profile, md, dt.datetime.combine(settings.earliest_plausible_date, dt.time()))
        findings = Validator().validate("preview", staging_frames(frame, md), checks)
        cn = pl.DataFrame(
            [{"file_hash": "preview", "field": f, "column_name": h} for h, f in sf.columns if f],
            schema={"file_hash": pl.String, "field": pl.String, "column_name": pl.String},
        ).unique(["file_hash", "field"], keep="first")
        sugg = {(n.kind, n.raw): n.suggestions for n in sf.names if n.value is None}
        pv.problems = issues_from(frame, findings, column_names=cn, suggestions=sugg)
        pv.rows_blocked = (
            pv.problems.filter(pl.col("severity") == "blocking").select("sheet", "source_row").unique().height
        )
    return pv


def preview_lines(pv: Preview, md: MasterData, *, max_problems: int = 10) -> list[str]:
    """The preview as terminal text (`monev ingest`): file, columns, unknown labels once each, other findings."""
    out = [
        f"{pv.file_name}: profil '{pv.profile_label}', judul kolom di baris {', '.join(map(str, pv.header_rows))}, "
        f"{fmt.number(pv.rows_data)} baris data, {fmt.number(sum(pv.skipped.values()))} baris dilewati"
        + (f", kanal {pv.channel}" if pv.channel else "")
    ]
    out += [f"  {h!s:32} -> {label or '(tidak dipakai)'}" for h, _field, label in pv.columns]
    out += [f"Catatan: {n}" for n in pv.notes]
    out += [f"PERINGATAN: {w}" for w in pv.pemda_warnings]
    if pv.problems is not None and pv.problems.height:
        out.append(f"{fmt.number(pv.problems.height)} temuan ({fmt.number(pv.rows_blocked)} baris akan dikarantina).")
    out += render(pv.unknown_labels, md, {pv.profile: _profile_path(pv, md)})
    if pv.problems is not None and pv.problems.height:
        other = pv.problems.filter(~pl.col("rule").is_in(list(RULE_KINDS)))
        if other.height:
            out.append(f"Temuan lain ({fmt.number(other.height)}):")
            out += [f"  - {m}" for m in other["message"].head(max_problems).to_list()]
            if other.height > max_problems:
                out.append(f"  ... dan {fmt.number(other.height - max_problems)} lagi (lihat halaman Unggah Data)")
    return out


def _profile_path(pv: Preview, md: MasterData) -> Path | None:
    for p in load_profiles(md.config_dir):
        if p.name == pv.profile:
            return p.path
    return None
