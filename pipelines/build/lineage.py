"""Lineage: the evidence register the rating reads, the snapshot row (id, as-of, input hash),
the input files and the run log."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from pipelines import __version__
from pipelines.build.context import BuildContext, RunResult
from pipelines.officers.facts import copy_register_facts
from pipelines.rating.evidence import copy_evidence_to_warehouse, evidence_fingerprint, load_evidence


def code_fingerprint() -> str:
    """Hash of the pipeline's own code and SQL (recorded with the snapshot)."""
    h = hashlib.sha256()
    root = Path(__file__).resolve().parents[1]
    for p in sorted([*root.rglob("*.py"), *root.rglob("*.sql")]):
        h.update(p.relative_to(root).as_posix().encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def copy_evidence(ctx: BuildContext) -> None:
    """Evidence records (rating) enter the warehouse through the build, so the snapshot says
    which documents the rating of this snapshot read."""
    ctx.result.evidence = copy_evidence_to_warehouse(ctx.con, ctx.paths)
    ctx.evidence_fp = evidence_fingerprint(load_evidence(ctx.con)[0])
    # The officers' register: only "has a current SK" per OPD (part of the input hash).
    ctx.evidence_fp += copy_register_facts(ctx.con, ctx.paths, ctx.md.department_names, ctx.as_of_ts.date())


def _run_log_rows(result: RunResult, now: dt.datetime, n: int) -> list[tuple]:
    fin = dt.datetime.now().replace(microsecond=0)
    log = [
        (result.run_id, now, fin, o.file_name, o.file_hash, o.rows_read, o.rows_loaded, o.rows_quarantined,
         o.rows_skipped, "ok", o.message)
        for o in result.files
    ]
    tot = [o for o in result.files if o.status == "ok"]
    log.append(
        (result.run_id, now, fin, None, None, sum(o.rows_read for o in tot), sum(o.rows_loaded for o in tot),
         sum(o.rows_quarantined for o in tot), sum(o.rows_skipped for o in tot), "ok",
         f"{len(tot)} berkas dimuat, {n} pengaduan, snapshot {result.snapshot_id}")
    )
    return log


def write_lineage(ctx: BuildContext) -> None:
    """Snapshot, input files and run log. The input hash covers the input files, the
    configuration, the pipeline code and the evidence register."""
    con, md, result, now, as_of_ts = ctx.con, ctx.md, ctx.result, ctx.now, ctx.as_of_ts
    file_hashes = sorted(rf.file_hash for rf, _, _ in ctx.staged)
    h = hashlib.sha256()
    for part in [*file_hashes, md.config_hash(), code_fingerprint(), f"evidence:{ctx.evidence_fp}"]:
        h.update(part.encode())
    input_hash = h.hexdigest()[:16]
    result.snapshot_id = f"{now:%Y%m%dT%H%M%S}-{input_hash[:8]}"
    n = con.execute("SELECT count(*) FROM complaints").fetchone()[0]
    result.complaints = n
    con.execute(
        "INSERT INTO snapshot VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [result.snapshot_id, as_of_ts.date(), as_of_ts, input_hash, md.config_hash(), now, __version__, n,
         len(ctx.staged)],
    )
    con.executemany(
        "INSERT INTO input_files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (o.file_hash, o.file_name, o.rel_path, o.size, o.profile, e.meta["source_system"], o.snapshot_date,
             o.rows_read, o.rows_loaded, o.rows_quarantined, o.rows_skipped, o.rows_warned, None)
            for _, e, o in ctx.staged
        ],
    )
    con.executemany("INSERT INTO run_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", _run_log_rows(result, now, n))
    result.as_of = as_of_ts.date()
    ctx.validator.write_results(ctx.paths.runs_dir / result.run_id)
