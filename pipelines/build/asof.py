"""The snapshot's as-of moment (the latest timestamp in the data) and the working-day
calendar around it (``pipelines/calendar.py``)."""

from __future__ import annotations

import datetime as dt

from pipelines.build.context import BuildContext
from pipelines.calendar import build_calendar
from pipelines.ingest.enrich import declared_as_of

_LATEST = (
    "SELECT max(greatest(reported_at, coalesce(verified_at, reported_at), coalesce(dispatched_at, reported_at),"
    " coalesce(first_response_at, reported_at), coalesce(resolved_at, reported_at),"
    " coalesce(archived_at, reported_at))) FROM complaints"
)


def as_of_and_calendar(ctx: BuildContext) -> None:
    """As-of = the latest event; the calendar spans a year before the first report to a year after as-of."""
    con = ctx.con
    as_of_ts = con.execute(_LATEST).fetchone()[0]
    earliest_rep = con.execute("SELECT min(reported_at) FROM complaints").fetchone()[0]
    if as_of_ts is None:
        as_of_ts = ctx.now
        earliest_rep = ctx.now
    # An export that states its own date (LAPOR! 'Tanggal Generate') moves as-of up to it.
    as_of_ts = max(as_of_ts, declared_as_of([e.meta for _, e, _ in ctx.staged]) or as_of_ts)
    ctx.as_of_ts = as_of_ts
    build_calendar(
        con,
        ctx.md,
        dt.date(earliest_rep.year - 1, 1, 1),
        dt.date(as_of_ts.year + 1, 12, 31),
        cuti_bersama_is_day_off=ctx.md.calendar.cuti_bersama_is_day_off,
    )
