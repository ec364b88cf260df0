"""What the build's steps share: the run's result (written to the run log) and the
working state one step hands to the next (``BuildContext``)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from pipelines.build.cache import StagedEntry, StagingCache
from pipelines.build.discover import RawFile
from pipelines.ingest.profiles import Profile
from pipelines.ingest.settings import IngestSettings
from pipelines.masterdata import MasterData
from pipelines.settings import Paths

Progress = Callable[[str], None]


class BuildError(Exception):
    """The build stopped; ``message`` (Bahasa Indonesia) says why and what to do."""


@dataclass
class FileOutcome:
    rel_path: str
    file_name: str
    file_hash: str
    size: int
    status: str  # ok | refused | duplicate
    message: str | None = None
    profile: str | None = None
    source: str | None = None
    snapshot_date: str | None = None
    duplicate_of: str | None = None
    cached: bool = False
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    rows_released: int = 0
    rows_skipped: int = 0
    rows_warned: int = 0
    rows_pending: int = 0  # read but not loaded: the run was refused or held (pipelines.build.reconcile)
    warnings: int = 0
    blocking_share: float = 0.0
    gate: str = "ok"
    skipped: dict[str, int] = field(default_factory=dict)
    pemda_warnings: list[str] = field(default_factory=list)  # the file names another pemda (pipelines.pemda.mismatch)
    notes: list[str] = field(default_factory=list)  # reader notes (StagedFile.notes), printed by monev run


@dataclass
class StepRun:
    """One step as the run log records it."""

    step: str
    seconds: float
    status: str = "ok"  # ok | stopped (the step ended the build)
    peak_rss_mib: int | None = None  # the process's peak resident memory so far (VmHWM) when the step ended
    rss_mib: int | None = None  # its resident memory when the step ended (VmRSS), after freed memory went back


@dataclass
class RunResult:
    run_id: str
    started_at: dt.datetime
    finished_at: dt.datetime | None = None
    status: str = "error"  # published | refused | blocked | error
    message: str | None = None
    files: list[FileOutcome] = field(default_factory=list)
    snapshot_id: str | None = None
    as_of: dt.date | None = None
    complaints: int = 0
    duplicates: int = 0
    evidence: int = 0  # evidence records copied into the warehouse
    warehouse: str | None = None
    timings: dict[str, float] = field(default_factory=dict)
    steps: list[StepRun] = field(default_factory=list)  # the steps run, in order
    interrupted: list[dict[str, Any]] = field(default_factory=list)  # earlier builds found killed (interrupted.py)

    @property
    def published(self) -> bool:
        return self.status == "published"

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        return json.loads(json.dumps(d, default=str))


Staged = tuple[RawFile, StagedEntry, FileOutcome]


@dataclass
class BuildContext:
    """The build's working state. Each step reads what earlier steps left here and adds its own part."""

    paths: Paths
    result: RunResult
    now: dt.datetime
    say: Progress
    from_staging: bool = False
    validate: bool = True
    # ---- configuration (step read_config)
    md: MasterData | None = None
    profiles: list[Profile] = field(default_factory=list)
    settings: IngestSettings | None = None
    # ---- input files (discover, stage)
    cache: StagingCache | None = None
    files: list[RawFile] = field(default_factory=list)
    staged: list[Staged] = field(default_factory=list)
    # ---- the new warehouse file (open_warehouse .. publish)
    tmp: Path | None = None
    con: duckdb.DuckDBPyConnection | None = None
    # ---- staged rows (order_snapshots, validate_staging; released by quarantine)
    file_order: dict[str, int] = field(default_factory=dict)
    frames: dict[str, list[pl.DataFrame]] = field(default_factory=dict)
    column_names: pl.DataFrame | None = None
    suggestions: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    rows: pl.DataFrame | None = None
    validator: Any = None  # Validator | MinimalChecks
    staging_issues: pl.DataFrame | None = None
    file_warnings: pl.DataFrame | None = None
    curated_issues: pl.DataFrame | None = None
    # ---- the snapshot
    as_of_ts: dt.datetime | None = None
    evidence_fp: str = ""

    @property
    def timings(self) -> dict[str, float]:
        return self.result.timings

    def close(self) -> None:
        """Close the build connection and remove the unpublished build file (if any)."""
        if self.con is not None:
            self.con.close()
            self.con = None
        if self.tmp is not None:
            for p in (self.tmp, self.tmp.with_name(self.tmp.name + ".wal")):
                p.unlink(missing_ok=True)
