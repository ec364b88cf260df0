"""API additions the dashboard needed: the category trend against an explicit comparison window."""

from __future__ import annotations

import datetime as dt

import pytest

from pipelines.kpi import category_trend, compute
from pipelines.kpi.api import KpiError


def test_category_trend_against_explicit_previous_window(demo_con):
    # a running year (to the as-of date) against the same months of the year before
    cur = compute(demo_con, dt.date(2026, 1, 1), dt.date(2026, 10, 31))
    prev_window = (dt.date(2025, 1, 1), dt.date(2025, 10, 31))
    with_prev = compute(demo_con, dt.date(2026, 1, 1), dt.date(2026, 10, 31), previous=prev_window)
    prev = compute(demo_con, *prev_window)
    assert with_prev["previous_period"]["from"] == "2025-01-01"
    assert with_prev["previous_period"]["to"] == "2025-10-31"
    # the default is the one comparison rule: the same span a year earlier, cut at the same day
    # (docs/kpi.md), so a running range ends a year before the data date, not on 31 October
    as_of = dt.date.fromisoformat(cur["period"]["as_of"])
    assert cur["previous_period"]["from"] == "2025-01-01"
    assert cur["previous_period"]["to"] == as_of.replace(year=as_of.year - 1).isoformat()
    prev_received = {r["category"]: r["received"] for r in prev["by_category"]}
    trend = {r["category"]: r for r in with_prev["category_trend"]}
    assert trend, "the demo has categories"
    for cat, row in trend.items():
        assert row["received_previous"] == prev_received.get(cat, 0), cat
        assert row["change"] == row["received"] - row["received_previous"]
    # every other number is unchanged by the comparison window
    for key in ("received", "in_scope", "responded", "on_time_response_rate", "backlog_open"):
        assert with_prev[key] == cur[key]
    frame = category_trend(demo_con, dt.date(2026, 1, 1), dt.date(2026, 10, 31), previous=prev_window)
    assert dict(zip(frame["category"], frame["received_previous"], strict=True)) == {
        c: r["received_previous"] for c, r in trend.items()
    }


def test_previous_window_must_be_in_order(demo_con):
    with pytest.raises(KpiError):
        compute(demo_con, dt.date(2026, 1, 1), dt.date(2026, 3, 31),
                previous=(dt.date(2025, 3, 31), dt.date(2025, 1, 1)))
