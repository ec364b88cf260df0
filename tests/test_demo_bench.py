"""Benchmark exports: one clean-ish SP4N-LAPOR! export per format from a simulated frame."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib

import openpyxl
import polars as pl
import pytest
from python_calamine import CalamineWorkbook

from pipelines.demo import simulate_complaints
from pipelines.demo.bench import write_bench_exports
from pipelines.demo.lapor import FIELD_ORDER, HEADER_SETS
from pipelines.masterdata import load_master_data


@pytest.fixture(scope="module")
def frame():
    return simulate_complaints(3, dt.date(2025, 1, 1), dt.date(2025, 6, 30), rows=1500)


def test_csv_and_xlsx_hold_the_same_rows(frame, tmp_path):
    csv_path, xlsx_path = write_bench_exports(frame, tmp_path)
    assert csv_path.name == "lapor_export_bench_2025-07-01.csv" and xlsx_path.suffix == ".xlsx"
    header = [HEADER_SETS[0][f] for f in FIELD_ORDER]
    with csv_path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == header and len(rows) == frame.height + 1
    x = CalamineWorkbook.from_path(str(xlsx_path)).get_sheet_by_index(0).to_python()
    assert x[0] == header and len(x) == frame.height + 1
    ids_csv = [r[0] for r in rows[1:]]
    ids_xlsx = [str(int(r[0])) for r in x[1:]]
    assert ids_csv == ids_xlsx and len(set(ids_csv)) == frame.height
    assert all(len(i) == 7 for i in ids_csv)
    rep = FIELD_ORDER.index("reported_at")
    for c, e in zip(rows[1:50], x[1:50], strict=True):
        assert dt.datetime.strptime(c[rep], "%Y-%m-%d %H:%M") == (
            e[rep] if isinstance(e[rep], dt.datetime) else dt.datetime.combine(e[rep], dt.time())
        )
        assert c[FIELD_ORDER.index("body")] == e[FIELD_ORDER.index("body")]
    md = load_master_data()
    st = FIELD_ORDER.index("status")
    assert {md.status_of(r[st]) for r in rows[1:]} == set(frame["status"].unique())
    ch = {r[FIELD_ORDER.index("channel")] for r in rows[1:]}
    assert ch <= set(md.channel_names) and "WhatsApp" not in ch and "Form Manual LAPOR!" in ch


def test_xlsx_opens_in_other_readers(frame, tmp_path):
    (path,) = write_bench_exports(frame.head(200), tmp_path, formats=("xlsx",))
    wb = openpyxl.load_workbook(path, read_only=True)
    rows = list(wb.active.iter_rows(values_only=True))
    assert len(rows) == 201
    assert isinstance(rows[1][1], dt.datetime) and isinstance(rows[1][0], int)
    res = rows[1:][:200]
    n_res = sum(1 for r in res if r[FIELD_ORDER.index("resolved_at")] is not None)
    assert n_res == frame.head(200)["resolved_at"].is_not_null().sum()


def test_deterministic_and_validated(frame, tmp_path):
    a = write_bench_exports(frame, tmp_path / "a")
    b = write_bench_exports(frame, tmp_path / "b")
    for p, q in zip(a, b, strict=True):
        assert hashlib.sha256(p.read_bytes()).digest() == hashlib.sha256(q.read_bytes()).digest()
    with pytest.raises(ValueError, match="unsupported"):
        write_bench_exports(frame, tmp_path, formats=("ods",))


def test_scale_is_linear_and_vectorised():
    small = simulate_complaints(9, dt.date(2024, 1, 1), dt.date(2026, 10, 31), rows=20_000)
    assert small.height == 20_000
    assert small["source_id"].n_unique() == 20_000
    assert small.filter(pl.col("source_system") == "lapor")["source_id"].str.len_chars().max() == 7
