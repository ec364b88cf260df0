"""A complaint resolved, reopened and resolved again, end to end through ``monev run`` and ``monev kpi``.

Three SP4N-LAPOR! exports (built-in ``lapor`` profile, which dates resolution) arrive in order; the
warehouse is built after each one, as an Admin Koordinator would, and the KPIs are read from the CLI.

- r: resolved (export 14 Feb, Tanggal Selesai 10/02), reopened (export 28 Feb: ``Proses``, Tanggal
  Selesai empty), resolved again (export 14 Mar, Tanggal Selesai 12/03);
- s: resolved (export 14 Feb, 07/02), reopened in the export of 28 Feb and still ``Proses`` on 14 Mar;
- t: resolved on 12/02 in all three exports (never reopened).

Rule (docs/pipeline.md, docs/kpi.md): an open status in a later export that times resolution means the
closing date no longer holds, so after 28 Feb neither r nor s has a resolved_at until an export gives
a new one. Calendar: no holiday between 3 February and 14 March 2025. Hand-computed working days:
HK(Mon 03-02, Mon 10-02) = 5, HK(Tue 04-02, Fri 07-02) = 3, HK(Wed 05-02, Wed 12-02) = 5,
HK(Mon 03-02, Wed 12-03) = 19 (4-28 Feb) + 8 (3-12 Mar) = 27.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pytest
from test_build_pipeline import lapor, row
from typer.testing import CliRunner

from pipelines.cli import app

runner = CliRunner()
PERIOD = ("--from", "2025-02-01", "--to", "2025-02-09")  # r, s and t are reported 3, 4 and 5 February


def _r(status, done):
    return row("r", rep="03/02/2025 09:00", ver="03/02/2025 10:00", disp="03/02/2025", tl="04/02/2025",
               status=status, done=done)


def _s(status, done):
    return row("s", rep="04/02/2025 09:00", ver="04/02/2025 10:00", disp="04/02/2025", tl="05/02/2025",
               status=status, done=done)


def _t():
    return row("t", rep="05/02/2025 09:00", ver="05/02/2025 10:00", disp="05/02/2025", tl="06/02/2025",
               status="Selesai", done="12/02/2025")


EXPORTS = [
    ("lapor_2025-02-14.csv", [_r("Selesai", "10/02/2025"), _s("Selesai", "07/02/2025"), _t()]),
    ("lapor_2025-02-28.csv", [_r("Proses", ""), _s("Proses", ""), _t()]),
    ("lapor_2025-03-14.csv", [_r("Selesai", "12/03/2025"), _s("Proses", ""), _t()]),
]


@pytest.fixture(autouse=True)
def _salt(monkeypatch):
    monkeypatch.setenv("MONEV_PII_SALT", "test-salt")


def _build(data: Path) -> None:
    res = runner.invoke(app, ["run", "--data-dir", str(data), "-q"])
    assert res.exit_code == 0, res.output


def _kpi(data: Path, as_of: str) -> dict:
    res = runner.invoke(app, ["kpi", *PERIOD, "--as-of", as_of, "--data-dir", str(data)])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    return {k: out[k] for k in ("in_scope", "resolved", "backlog_open", "reopened", "reopen_rate",
                                "resolution_days_median")}


def _warehouse(data: Path):
    con = duckdb.connect(str(data / "curated" / "monev.duckdb"), read_only=True)
    try:
        states = dict(con.execute("SELECT source_id, (status, resolved_at) FROM complaints").fetchall())
        rules = sorted(r for (r,) in con.execute("SELECT DISTINCT rule FROM warnings WHERE layer = 'curated'").fetchall())
        held = con.execute("SELECT count(*) FROM quarantine WHERE status = 'held'").fetchone()[0]
    finally:
        con.close()
    return states, rules, held


def _kpis(resolved, backlog, reopened, rate, median):
    return {"in_scope": 3, "resolved": resolved, "backlog_open": backlog, "reopened": reopened,
            "reopen_rate": rate, "resolution_days_median": median}


def test_reopened_complaints_lose_the_old_closing_date_export_by_export(tmp_path):
    data = tmp_path / "data"
    raw = data / "raw"
    d = dt.datetime

    lapor(raw / EXPORTS[0][0], EXPORTS[0][1])
    _build(data)
    states, warned, held = _warehouse(data)
    assert states == {"r": ("resolved", d(2025, 2, 10)), "s": ("resolved", d(2025, 2, 7)),
                      "t": ("resolved", d(2025, 2, 12))}
    # all three resolved, HK 5, 3, 5
    assert _kpi(data, "2025-02-14") == _kpis(3, 0, 0, 0.0, 5.0)

    lapor(raw / EXPORTS[1][0], EXPORTS[1][1])
    _build(data)
    states, warned, held = _warehouse(data)
    # r and s are open again: the closing dates of 14 Feb no longer hold; nothing contradicts, nothing held
    assert states == {"r": ("in_progress", None), "s": ("in_progress", None), "t": ("resolved", d(2025, 2, 12))}
    assert (warned, held) == ([], 0)
    # resolved: t only; backlog: r and s; reopened: r and s (28 Feb <= A). reopen_rate = reopened / resolved
    # = 2 / 1 (kpi-spec.md: the reopened ones are no longer resolved, so the rate can pass 1)
    assert _kpi(data, "2025-02-28") == _kpis(1, 2, 2, 2.0, 5.0)

    lapor(raw / EXPORTS[2][0], EXPORTS[2][1])
    _build(data)
    states, warned, held = _warehouse(data)
    assert states == {"r": ("resolved", d(2025, 3, 12)), "s": ("in_progress", None),
                      "t": ("resolved", d(2025, 2, 12))}
    assert (warned, held) == ([], 0)
    # resolved: r (HK 27) and t (HK 5): median 16; backlog: s; reopened: r and s
    assert _kpi(data, "2025-03-14") == _kpis(2, 1, 2, 1.0, 16.0)
    # The same warehouse seen at the earlier dates: statuses are not rewound, only timestamps are.
    # 14 Feb: r's closing date (12 Mar) has not happened and its `Selesai` comes from an export of
    # 14 Mar, so r is open; s is open (no closing date); t resolved. Nobody reopened yet (28 Feb > A).
    assert _kpi(data, "2025-02-14") == _kpis(1, 2, 0, 0.0, 5.0)
    # 28 Feb: the same, and r and s have been reopened
    assert _kpi(data, "2025-02-28") == _kpis(1, 2, 2, 2.0, 5.0)


def test_a_reopening_export_that_moves_the_response_past_the_old_closing_date_is_no_contradiction(tmp_path):
    # r: resolved on 10/02 after a response on 04/02; the export of 28 Feb reopens it and records the
    # response on 12/02. The old closing date no longer holds, so the merged dates are in order
    # (reported 03/02, response 12/02, not resolved) and nothing is held; s: a real contradiction
    # within the dates that still hold (response 12/02 after its closing date 11/02 in a later export).
    # 20 other complaints keep the held one under the publish gate's 5% per file.
    data = tmp_path / "data"
    other = [row(i) for i in range(100, 120)]
    lapor(data / "raw" / "lapor_2025-02-14.csv", [_r("Selesai", "10/02/2025"), _s("Selesai", "11/02/2025"), *other])
    lapor(data / "raw" / "lapor_2025-02-28.csv", [*other,
        row("r", rep="03/02/2025 09:00", ver="03/02/2025 10:00", disp="03/02/2025", tl="12/02/2025",
            status="Proses", done=""),
        row("s", rep="04/02/2025 09:00", ver="04/02/2025 10:00", disp="04/02/2025", tl="12/02/2025",
            status="Selesai", done=""),
    ])
    _build(data)
    con = duckdb.connect(str(data / "curated" / "monev.duckdb"), read_only=True)
    try:
        got = con.execute("SELECT source_id, status, first_response_at, resolved_at FROM complaints"
                          " WHERE source_id IN ('r', 's')").fetchall()
        held = con.execute("SELECT DISTINCT source_id, rule FROM quarantine WHERE status = 'held'").fetchall()
    finally:
        con.close()
    assert got == [("r", "in_progress", dt.datetime(2025, 2, 12), None)]
    assert held == [("s", "merged_date_conflict")]
