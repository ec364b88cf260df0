"""Great Expectations reads only the columns its expectations name (less memory), with the same results."""

from __future__ import annotations

import json

import polars as pl

from pipelines.validate import engine
from pipelines.validate.engine import Validator, _for_gx
from pipelines.validate.suites import Check, _cond, _exp


def _checks(frame: str = "rows", suffix: str = "") -> list[Check]:
    return [
        Check("body_missing" + suffix, frame, "required_missing", "body", None,
              _exp("ExpectColumnValuesToNotBeNull", "body_missing" + suffix, column="body"), observed="body"),
        Check("status_unknown" + suffix, frame, "status_unknown", "status", None,
              _exp("ExpectColumnValuesToNotBeNull", "status_unknown" + suffix, column="status",
                   **_cond("status_label.notnull()")), observed="status_label"),
        Check("archived" + suffix, frame, "archived_inconsistent", "archived", None,
              _exp("ExpectColumnValuesToBeNull", "archived" + suffix, column="archived_at",
                   **_cond('status != "archived"'))),
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


def test_suite_frames_are_built_one_at_a_time_with_the_same_results():
    """LazyFrames: each frame is built when the validator reaches it (not before, never kept), and the
    findings equal those of the same frames handed over whole."""
    from pipelines.validate.suites import LazyFrames

    built: list[str] = []

    def make(name: str, frame: pl.DataFrame):
        def build() -> pl.DataFrame:
            built.append(name)
            return frame
        return build

    other = _frame().with_columns(pl.col("__row") + 10)
    lazy = LazyFrames({"rows": make("rows", _frame()), "more": make("more", other)})
    assert built == [] and list(lazy) == ["rows", "more"] and len(lazy) == 2
    checks = _checks() + _checks("more", "_more")
    v = Validator()
    got = v.validate("t", lazy, checks)
    assert built == ["rows", "more"]  # each once, in order
    whole = Validator().validate("t", {"rows": _frame(), "more": other}, checks)
    assert got.sort("__row", "rule").equals(whole.sort("__row", "rule"))
    assert got.filter(pl.col("__row") >= 10).height == got.filter(pl.col("__row") < 10).height == 6


def test_run_log_records_memory_per_step(demo_data_dir):
    steps = json.loads((demo_data_dir / "runs" / "latest.json").read_text(encoding="utf-8"))["steps"]
    assert [s["step"] for s in steps][:2] == ["read_config", "discover"]
    for s in steps:
        assert isinstance(s["peak_rss_mib"], int) and isinstance(s["rss_mib"], int)
        assert 0 < s["rss_mib"] <= s["peak_rss_mib"]
    peaks = [s["peak_rss_mib"] for s in steps]
    assert peaks == sorted(peaks)  # a high-water mark never falls
