"""The worked example of kpi-spec.md, to the decimal, and its holiday check."""

import datetime as dt

import pytest
from warehouse_factory import make_warehouse

from pipelines.kpi import compute

D = dt.date

WORKED_EXAMPLE = [
    {"source_id": "a", "reported_at": "2024-07-08 09:00", "verified_at": "2024-07-08 10:00",
     "dispatched_at": "2024-07-09 08:00", "first_response_at": "2024-07-11", "resolved_at": "2024-07-15",
     "status": "resolved"},
    {"source_id": "b", "reported_at": "2024-07-13", "verified_at": "2024-07-15", "dispatched_at": "2024-07-15",
     "first_response_at": "2024-07-22", "status": "in_progress"},
    {"source_id": "c", "reported_at": "2024-07-09", "verified_at": "2024-07-09", "dispatched_at": "2024-07-09",
     "status": "awaiting_response"},
    {"source_id": "d", "reported_at": "2024-07-10", "status": "archived"},
]


@pytest.fixture(scope="module")
def worked():
    con = make_warehouse(WORKED_EXAMPLE, as_of="2024-07-24")
    return compute(con, D(2024, 7, 8), D(2024, 7, 14))


def test_period_and_counts(worked):
    assert worked["period"] == {"from": "2024-07-08", "to": "2024-07-14", "as_of": "2024-07-24",
                                "label": "8 – 14 Juli 2024"}
    assert worked["filters"] == {}
    assert (worked["received"], worked["excluded"], worked["in_scope"]) == (4, 1, 3)
    assert (worked["verified"], worked["responded"], worked["resolved"]) == (3, 2, 1)
    assert round(worked["response_rate"], 4) == 0.6667
    assert round(worked["resolution_rate"], 4) == 0.3333
    assert worked["response_rate"] == 2 / 3  # unrounded in JSON


def test_verification(worked):
    assert worked["verification_days_median"] == 0
    assert worked["on_time_verification_rate"] == 1.0
    assert (worked["verification_on_time"], worked["verification_late"]) == (3, 0)


def test_response(worked):
    # a: HK(07-09, 07-11) = 2; b: HK(07-15, 07-22) = 5; c unanswered, HK(07-09, 07-24) = 11 > 5: late
    assert worked["response_days_median"] == pytest.approx(3.5, abs=1e-12)
    assert worked["response_days_p90"] == pytest.approx(4.7, abs=1e-12)
    assert round(worked["on_time_response_rate"], 4) == 0.6667
    assert (worked["response_on_time"], worked["response_late"]) == (2, 1)


def test_resolution(worked):
    # a: HK(07-08, 07-15) = 5 on time; b (8) and c (11) open within 14: undecided
    assert worked["resolution_days_median"] == 5
    assert worked["resolution_days_p90"] == 5
    assert worked["on_time_resolution_rate"] == 1.0
    assert (worked["resolution_on_time"], worked["resolution_late"]) == (1, 0)


def test_backlog(worked):
    assert worked["backlog_open"] == 2
    assert worked["backlog_overdue"] == 0
    assert worked["backlog_aging"] == {"0-5": 0, "6-14": 2, "15-60": 0, ">60": 0}


def test_contract_keys_present(worked):
    for key in ("period", "filters", "received", "excluded", "in_scope", "verified", "responded", "resolved",
                "response_rate", "resolution_rate", "verification_days_median", "response_days_median",
                "response_days_p90", "resolution_days_median", "resolution_days_p90",
                "on_time_verification_rate", "on_time_response_rate", "on_time_resolution_rate",
                "backlog_open", "backlog_overdue", "backlog_aging", "by_department", "by_category",
                "by_channel", "by_kecamatan", "by_month",
                # added keys
                "verification_on_time", "verification_late", "response_on_time", "response_late",
                "resolution_on_time", "resolution_late", "satisfaction_mean", "satisfaction_count",
                "repeat_complaints", "repeat_rate", "by_kelurahan", "category_trend", "snapshot",
                "definitions_version"):
        assert key in worked, key
    assert worked["by_month"] == [{"month": "2024-07", "received": 4, "excluded": 1, "in_scope": 3,
                                   "verified": 3, "responded": 2, "resolved": 1}]
    dept = worked["by_department"]
    assert [r["department"] for r in dept] == ["Dinas Perhubungan"]
    assert dept[0]["in_scope"] == 3 and dept[0]["rank"] is None and dept[0]["insufficient_data"] is True
    assert worked["snapshot"] == {"snapshot_id": "test-snapshot", "as_of": "2024-07-24", "input_hash": "test"}


@pytest.mark.parametrize(("cuti_off", "expected"), [(True, 1), (False, 2)])
def test_holiday_check(cuti_off, expected):
    # reported Friday 2024-03-08, answered Wednesday 2024-03-13 (Nyepi 11th, cuti bersama 12th)
    con = make_warehouse(
        [{"source_id": "h", "reported_at": "2024-03-08 10:00", "verified_at": "2024-03-08 11:00",
          "first_response_at": "2024-03-13 09:00", "resolved_at": "2024-03-13 15:00", "status": "resolved"}],
        cuti_bersama_is_day_off=cuti_off,
    )
    out = compute(con, D(2024, 3, 1), D(2024, 3, 31))
    assert out["response_days_median"] == expected
    assert out["resolution_days_median"] == expected
    assert out["settings"]["cuti_bersama_is_day_off"] is cuti_off
