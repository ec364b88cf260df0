"""Likely duplicates: a complaint from a hand-kept rekap that was also typed
into SP4N-LAPOR! (through "Form Manual"), so one complaint is in two sources.
Each mapping profile declares its part (``duplicates: {role: local}`` for the
hand-kept side, ``{role: central, channels: [...]}`` for the system it is
re-typed into); a profile without the declaration takes no part.

DuckDB finds candidate pairs (same department and category, reported within a
few days, kelurahan not known to differ: see
sql/build_duplicate_candidates.sql); rapidfuzz scores only those pairs, in C++
over whole arrays (``process.cpdist``). The score is the best match between the
pair's titles and bodies: near-identical text, where one may be an excerpt of
the other when it is at least half as long ("Lampu jalan padam Jl. Kelud" and
"Diteruskan dari WhatsApp: Lampu jalan padam Jl. Kelud, mohon segera
ditangani"). Pairs at or above the threshold are joined into clusters; the
earliest report of a cluster stands for it (``is_duplicate = false``).
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import numpy as np
from rapidfuzz import fuzz, process

from pipelines.build.context import BuildContext
from pipelines.build.sqlfiles import run_sql
from pipelines.ingest.profiles import Profile
from pipelines.ingest.settings import IngestSettings

_CHUNK = 1_000_000


def similarity(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Text similarity (0-100) of aligned arrays of normalised strings.

    Whole-string similarity, or the best alignment of the shorter string inside
    the longer one when they are comparable: at least half as long, or at most
    40 characters apart (a transcription that adds "Diteruskan dari WhatsApp:").
    """
    la = np.fromiter((len(x) for x in a), dtype=np.int64, count=len(a))
    lb = np.fromiter((len(x) for x in b), dtype=np.int64, count=len(b))
    short = np.minimum(la, lb)
    long_ = np.maximum(la, lb)
    whole = process.cpdist(a, b, scorer=fuzz.ratio, processor=None, workers=-1)
    part = process.cpdist(a, b, scorer=fuzz.partial_ratio, processor=None, workers=-1)
    comparable = (short >= 8) & ((short * 2 >= long_) | (long_ - short <= 40))
    score = np.where(comparable, np.maximum(whole, part), whole)
    return np.where(short > 0, score, 0.0)


def write_roles(con: duckdb.DuckDBPyConnection, profiles: Sequence[Profile]) -> None:
    """``dup_roles``: the part each mapping profile declares in duplicate detection (``duplicates.role``)."""
    con.execute("CREATE OR REPLACE TEMP TABLE dup_roles (profile VARCHAR, role VARCHAR, channels VARCHAR[])")
    rows = [(p.name, p.duplicate_role, list(p.duplicate_channels)) for p in profiles if p.duplicate_role]
    if rows:
        con.executemany("INSERT INTO dup_roles VALUES (?, ?, ?)", rows)


def flag_duplicates(con: duckdb.DuckDBPyConnection, settings: IngestSettings, profiles: Sequence[Profile]) -> int:
    """Set duplicate_cluster / is_duplicate in ``complaints``; returns the number of flagged duplicates.
    Which complaints take part, and on which side, the profiles declare (``duplicates.role``)."""
    write_roles(con, profiles)
    run_sql(con, "build_duplicate_candidates.sql", {"window": max(int(settings.dup_window_days), 1)})
    n_pairs = con.execute("SELECT count(*) FROM dup_pairs").fetchone()[0]
    if n_pairs == 0:
        return 0
    base = con.execute("SELECT dup_title, dup_body FROM dup_base ORDER BY i").fetchnumpy()
    titles = np.asarray(base["dup_title"], dtype=object)
    bodies = np.asarray(base["dup_body"], dtype=object)
    cand: list[np.ndarray] = []
    for offset in range(0, n_pairs, _CHUNK):
        arr = con.execute(
            "SELECT ia, ib, days FROM dup_pairs ORDER BY ia, ib LIMIT ? OFFSET ?", [_CHUNK, offset]
        ).fetchnumpy()
        ia = arr["ia"].astype(np.int64)
        ib = arr["ib"].astype(np.int64)
        combos = np.array([similarity(x[ia], y[ib]) for x in (titles, bodies) for y in (titles, bodies)])
        best = combos.max(axis=0)
        keep = best >= settings.dup_min_similarity
        cand.append(
            np.column_stack([ia[keep], ib[keep], best[keep], combos.mean(axis=0)[keep], arr["days"][keep]])
        )
    found = np.concatenate(cand) if cand else np.empty((0, 5))
    if found.shape[0] == 0:
        return 0
    # One rekap complaint is typed into LAPOR! once: match one-to-one, best
    # score first, then the closer text overall, then the closer date.
    order = np.lexsort((found[:, 4], -found[:, 3], -found[:, 2]))
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for x, y in found[order, :2].astype(np.int64).tolist():  # only pairs above the threshold
        if x in used_a or y in used_b:
            continue
        used_a.add(x)
        used_b.add(y)
        pairs.append((x, y))
    rows = [(m, min(x, y)) for x, y in pairs for m in (x, y)]
    con.execute("CREATE TEMP TABLE dup_members (i BIGINT, root BIGINT)")
    con.executemany("INSERT INTO dup_members VALUES (?, ?)", rows)
    con.execute(
        """
        CREATE TEMP TABLE dup_clusters AS
        WITH m AS (
            SELECT d.complaint_key, d.reported_at, dm.root
            FROM dup_members dm JOIN dup_base d ON d.i = dm.i
        ), first AS (
            SELECT root, arg_min(complaint_key, (reported_at, complaint_key)) AS cluster_key
            FROM m GROUP BY root
        )
        SELECT m.complaint_key, f.cluster_key, m.complaint_key <> f.cluster_key AS is_dup
        FROM m JOIN first f USING (root)
        """
    )
    con.execute(
        """
        UPDATE complaints SET duplicate_cluster = c.cluster_key, is_duplicate = c.is_dup
        FROM dup_clusters c WHERE complaints.complaint_key = c.complaint_key
        """
    )
    return con.execute("SELECT count(*) FROM dup_clusters WHERE is_dup").fetchone()[0]


def flag_duplicates_step(ctx: BuildContext) -> None:
    """The build step: flag likely duplicates across channels in ``complaints``."""
    ctx.result.duplicates = flag_duplicates(ctx.con, ctx.settings, ctx.profiles)
