"""Great Expectations reads only the columns its expectations name (less memory), with the same results."""

from __future__ import annotations

import json

import polars as pl

from pipelines.validate import engine
from pipelines.validate.engine import Validator, _for_gx
from pipelines.validate.suites import Check, _cond, _exp


def _checks() -> list[Check]:
    return [
        Check("body_missing", "rows", "required_missing", "body", None,
              _exp("ExpectColumnValuesToNotBeNull", "body_missing", column="body"), observed="body"),
        Check("status_unknown", "rows", "status_unknown", "status", None,
              _exp("ExpectColumnValuesToNotBeNull", "status_unknown", column="status",
                   **_cond("status_label.notnull()")), observed="status_label"),
        Check("archived", "rows", "archived_inconsistent", "archived", None,
              _exp("ExpectColumnValuesToBeNull", "archived", column="archived_at", **_cond('status != "archived"'))),
    ]


def _frame() -> pl.DataFrame:
    return pl.DataFrame({
        "__row": [0, 1, 2, 3, 4],
        "body": ["isi panjang sekali", None, "x", None, "y"],
        "status": ["resolved", None, "archived", "in_progress", None],
        "status_label": ["Selesai", "Aneh", "Arsip", None, "Lain"],
        "archived_at": ["2024-01-02", None, "2024-01-03", "2024-02-01", None],
        "unused_text": ["a", "b", "c", "d", "e"],
        "observed": ["o"] * 5,
    })


def test_only_named_columns_and_null_only_text_becomes_empty():
    out = _for_gx(_frame(), _checks())
    assert out.columns == ["body", "status", "status_label", "archived_at"]
    assert out["body"].to_list() == ["", None, "", None, ""]  # only tested for nulls
    # NotBeNull, but also read by the condition 'status != "archived"' (and not by 'status_label.notnull()')
    assert out["status"].to_list() == _frame()["status"].to_list()
    assert _for_gx(_frame(), _checks()[:2])["status"].to_list() == ["", None, "", "", None]
    assert out["archived_at"].to_list() == _frame()["archived_at"].to_list()  # BeNull: its values are reported
    assert out["status_label"].to_list() == _frame()["status_label"].to_list()  # read by a condition


def _strip(runs):
    res = json.loads(json.dumps(runs[-1].result, default=str))
    for r in res:
        r.pop("meta", None)
    return res


def test_results_equal_those_on_the_whole_frame(monkeypatch):
    v = Validator()
    got = v.validate("t", {"rows": _frame()}, _checks())
    monkeypatch.setattr(engine, "_for_gx", lambda f, c: f.drop("observed"))
    full = v.validate("t", {"rows": _frame()}, _checks())
    assert got.equals(full)
    assert sorted(zip(got["rule"].to_list(), got["__row"].to_list(), strict=True)) == [
        ("archived_inconsistent", 0), ("archived_inconsistent", 3), ("required_missing", 1), ("required_missing", 3),
        ("status_unknown", 1), ("status_unknown", 4),
    ]
    assert _strip(v.runs[:1]) == _strip(v.runs)
