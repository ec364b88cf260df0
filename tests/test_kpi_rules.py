"""One small warehouse per KPI rule: each test states only what its rule is about."""

import datetime as dt
import json

import pytest
from warehouse_factory import make_warehouse

from pipelines import kpi
from pipelines.kpi import KpiError, UnknownFilterValue, compute
from pipelines.kpi.filters import FilterError

D = dt.date


def wh(rows, **kw):
    return make_warehouse(rows, **kw)


# ------------------------------------------------------------------ ranks and min_sample


def _dept_rows(dept, n, responded_on_time, responded_late=0, unanswered=0, start="2024-07-01 09:00"):
    """n complaints of one department: some answered on time (1 HK), some late (8 HK), some unanswered."""
    t0 = dt.datetime.fromisoformat(start)
    rows = []
    for i in range(n):
        # unanswered ones await their response (in_progress would imply a response: kpi-spec.md)
        r = {"source_id": f"{dept}-{i}", "reported_at": t0, "verified_at": t0, "department": dept,
             "status": "in_progress" if i < responded_on_time + responded_late else "awaiting_response"}
        if i < responded_on_time:
            r["first_response_at"] = t0 + dt.timedelta(days=1)
        elif i < responded_on_time + responded_late:
            r["first_response_at"] = t0 + dt.timedelta(days=10)
        rows.append(r)
    return rows


def test_rank_by_on_time_response_then_response_rate_and_min_sample():
    rows = (
        _dept_rows("Dinas Perhubungan", 5, 5)  # 100% on time
        + _dept_rows("Dinas Kesehatan", 6, 3, 3)  # 50% on time, 100% responded
        + _dept_rows("Dinas Sosial", 6, 3, 0, 3)  # 3 on time, 3 unanswered (late) -> 50%, 50% responded
        + _dept_rows("Dinas Pendidikan", 5, 4, 1)  # 80%
        + _dept_rows("Dinas Lingkungan Hidup", 1, 1)  # one complaint answered on time: no rank
        + _dept_rows("Inspektorat", 4, 4)  # 4 < min_sample 5: no rank
    )
    out = compute(wh(rows, as_of="2024-07-31"), D(2024, 7, 1), D(2024, 7, 31))
    ranks = {r["department"]: (r["rank"], r["insufficient_data"]) for r in out["by_department"]}
    assert ranks == {
        "Dinas Perhubungan": (1, False),
        "Dinas Pendidikan": (2, False),
        "Dinas Kesehatan": (3, False),  # same on-time rate as Dinas Sosial, higher response rate
        "Dinas Sosial": (4, False),
        "Dinas Lingkungan Hidup": (None, True),
        "Inspektorat": (None, True),
    }
    assert [r["department"] for r in out["by_department"]][:4] == [
        "Dinas Perhubungan", "Dinas Pendidikan", "Dinas Kesehatan", "Dinas Sosial"]
    assert out["by_department"][-1]["rank"] is None


def test_ties_share_a_rank_and_min_sample_comes_from_the_warehouse():
    rows = _dept_rows("Dinas Perhubungan", 2, 2) + _dept_rows("Dinas Kesehatan", 2, 2) + _dept_rows(
        "Dinas Sosial", 2, 1, 1)
    con = wh(rows, as_of="2024-07-31")
    out = compute(con, D(2024, 7, 1), D(2024, 7, 31))
    assert all(r["insufficient_data"] and r["rank"] is None for r in out["by_department"])
    con.execute("UPDATE settings SET value = '2' WHERE key = 'min_sample'")
    out = compute(con, D(2024, 7, 1), D(2024, 7, 31))
    ranks = {r["department"]: r["rank"] for r in out["by_department"]}
    assert ranks == {"Dinas Perhubungan": 1, "Dinas Kesehatan": 1, "Dinas Sosial": 3}
    assert out["settings"]["min_sample"] == 2


def test_a_group_with_undecided_on_time_rate_ranks_after_decided_ones():
    # 5 complaints answered late vs 5 complaints still within the response limit (rate null)
    late = _dept_rows("Dinas Kesehatan", 5, 0, 5)
    fresh = [{"source_id": f"f{i}", "reported_at": "2024-07-30 09:00", "department": "Dinas Sosial",
              "status": "unverified"} for i in range(5)]
    out = compute(wh(late + fresh, as_of="2024-07-31"), D(2024, 7, 1), D(2024, 7, 31))
    rows = {r["department"]: r for r in out["by_department"]}
    assert rows["Dinas Sosial"]["on_time_response_rate"] is None
    assert rows["Dinas Kesehatan"]["on_time_response_rate"] == 0.0
    assert (rows["Dinas Kesehatan"]["rank"], rows["Dinas Sosial"]["rank"]) == (1, 2)


# ------------------------------------------------------------------ by_month


def test_by_month_includes_empty_months_and_stops_at_as_of():
    rows = [
        {"source_id": "jan", "reported_at": "2024-01-15 10:00", "status": "unverified"},
        {"source_id": "mar", "reported_at": "2024-03-04 10:00", "status": "archived"},
        {"source_id": "late", "reported_at": "2024-03-20 10:00", "status": "unverified"},  # after A
    ]
    out = compute(wh(rows, as_of="2024-03-15"), D(2024, 1, 1), D(2024, 6, 30))
    assert out["by_month"] == [
        {"month": "2024-01", "received": 1, "excluded": 0, "in_scope": 1, "verified": 0, "responded": 0, "resolved": 0},
        {"month": "2024-02", "received": 0, "excluded": 0, "in_scope": 0, "verified": 0, "responded": 0, "resolved": 0},
        {"month": "2024-03", "received": 1, "excluded": 1, "in_scope": 0, "verified": 0, "responded": 0, "resolved": 0},
    ]
    assert out["received"] == 2
    frame = kpi.by_month_frame(wh(rows, as_of="2024-03-15"), D(2024, 1, 1), D(2024, 6, 30))
    assert frame["month_key"].to_list() == ["2024-01", "2024-02", "2024-03"]
    assert frame["received"].to_list() == [1, 0, 1]
    assert frame["response_rate"].to_list() == [0.0, None, None]


def test_period_after_as_of_has_no_months_and_null_rates():
    out = compute(wh([{"reported_at": "2024-01-15 10:00"}], as_of="2024-03-15"), D(2024, 5, 1), D(2024, 5, 31))
    assert out["by_month"] == []
    assert out["received"] == 0
    assert out["response_rate"] is None and out["on_time_response_rate"] is None
    assert out["response_days_median"] is None
    assert out["backlog_open"] == 1  # the stock is not limited to the period


# ------------------------------------------------------------------ as-of truncation


def test_as_of_truncates_timestamps_but_not_status():
    rows = [
        # answered and resolved after A: at A it is unanswered (and late for response), open, in scope
        {"source_id": "x", "reported_at": "2024-07-01 09:00", "verified_at": "2024-07-01 10:00",
         "first_response_at": "2024-07-20 09:00", "resolved_at": "2024-07-25 09:00", "status": "resolved"},
        # answered at the very end of the as-of day counts; at midnight after it does not
        {"source_id": "y", "reported_at": "2024-07-01 09:00", "verified_at": "2024-07-01 10:00",
         "first_response_at": "2024-07-15 23:59:59", "status": "in_progress"},
        {"source_id": "z", "reported_at": "2024-07-01 09:00", "verified_at": "2024-07-01 10:00",
         "first_response_at": "2024-07-16 00:00", "status": "in_progress"},
        # reported after A: not counted at all
        {"source_id": "w", "reported_at": "2024-07-16 00:00", "status": "unverified"},
    ]
    out = compute(wh(rows), D(2024, 7, 1), D(2024, 7, 31), as_of=D(2024, 7, 15))
    assert out["period"]["as_of"] == "2024-07-15"
    assert (out["received"], out["in_scope"], out["responded"], out["resolved"]) == (3, 3, 1, 0)
    assert out["response_days_median"] == 10  # y: 1 July (Mon) -> 15 July (Mon)
    assert (out["response_on_time"], out["response_late"]) == (0, 3)
    assert out["backlog_open"] == 3
    # later, everything has happened
    later = compute(wh(rows), D(2024, 7, 1), D(2024, 7, 31), as_of=D(2024, 7, 31))
    assert (later["received"], later["responded"], later["resolved"]) == (4, 3, 1)


def test_as_of_defaults_to_the_snapshot_and_is_reproducible():
    rows = [{"reported_at": "2024-07-01 09:00", "first_response_at": "2024-07-03 09:00", "status": "in_progress"}]
    con = wh(rows, as_of="2024-07-10")
    assert compute(con, D(2024, 7, 1), D(2024, 7, 31))["period"]["as_of"] == "2024-07-10"
    assert compute(con, D(2024, 7, 1), D(2024, 7, 31), as_of="2024-07-02")["responded"] == 0


# ------------------------------------------------------------------ limits


def test_category_with_its_own_resolution_limit():
    # Penanggulangan Bencana: 3 HK (config/categories.yaml); Monday 1 July -> Friday 5 July is 4 HK
    base = {"reported_at": "2024-07-01 09:00", "first_response_at": "2024-07-01 12:00"}
    rows = [
        {**base, "source_id": "b1", "category": "Penanggulangan Bencana", "resolved_at": "2024-07-05 09:00",
         "status": "resolved"},
        {**base, "source_id": "b2", "category": "Penanggulangan Bencana", "status": "in_progress"},
        {**base, "source_id": "p1", "category": "Perhubungan", "resolved_at": "2024-07-05 09:00", "status": "resolved"},
        {**base, "source_id": "p2", "category": "Perhubungan", "status": "in_progress"},
        {**base, "source_id": "k1", "category": None, "status": "in_progress"},
    ]
    out = compute(wh(rows, as_of="2024-07-05"), D(2024, 7, 1), D(2024, 7, 31))
    cats = {r["category"]: r for r in out["by_category"]}
    assert (cats["Penanggulangan Bencana"]["resolution_on_time"], cats["Penanggulangan Bencana"]["resolution_late"]) == (0, 2)
    assert cats["Penanggulangan Bencana"]["backlog_overdue"] == 1
    assert (cats["Perhubungan"]["resolution_on_time"], cats["Perhubungan"]["resolution_late"]) == (1, 0)
    assert cats["Perhubungan"]["backlog_overdue"] == 0
    assert out["backlog_overdue"] == 1  # the complaint without category uses the default 14
    assert None not in cats  # no category: counted in the totals only
    assert out["in_scope"] == 5


def test_berkadar_pengawasan_uses_the_pengawasan_limit():
    # 20 HK after reporting: late under 14, on time under 60
    base = {"reported_at": "2024-07-01 09:00", "resolved_at": "2024-07-29 09:00", "status": "resolved"}
    rows = [
        {**base, "source_id": "n", "classification": "Pengaduan"},
        {**base, "source_id": "wb", "classification": "Whistle Blowing"},  # classification flag
        {**base, "source_id": "fl", "classification": "Aspirasi", "berkadar_pengawasan": True},  # complaint flag
        # pengawasan wins over a category's own (shorter) limit
        {**base, "source_id": "bb", "category": "Penanggulangan Bencana", "berkadar_pengawasan": True},
    ]
    out = compute(wh(rows, as_of="2024-08-30"), D(2024, 7, 1), D(2024, 7, 31))
    assert out["resolution_days_median"] == 20
    assert (out["resolution_on_time"], out["resolution_late"]) == (3, 1)
    flags = kpi.complaint_list(wh(rows, as_of="2024-08-30"), D(2024, 7, 1), D(2024, 7, 31))
    limits = dict(zip(flags["source_id"].to_list(), flags["resolution_limit"].to_list(), strict=True))
    assert limits == {"n": 14, "wb": 60, "fl": 60, "bb": 60}


def test_limits_come_from_the_warehouse_not_the_config():
    rows = [{"reported_at": "2024-07-01 09:00", "first_response_at": "2024-07-05 09:00", "status": "in_progress"}]
    con = wh(rows, as_of="2024-07-31")
    assert compute(con, D(2024, 7, 1), D(2024, 7, 31))["response_on_time"] == 1
    con.execute("UPDATE sla_limits SET limit_days = 3 WHERE step = 'response'")
    out = compute(con, D(2024, 7, 1), D(2024, 7, 31))
    assert (out["response_on_time"], out["response_late"]) == (0, 1)
    assert out["settings"]["limits"]["response"] == 3


# ------------------------------------------------------------------ duplicates, repeats


def test_duplicates_count_once_unless_turned_off():
    rows = [
        {"source_id": "lap", "reported_at": "2024-07-01 09:00", "channel": "Form Manual LAPOR!",
         "duplicate_cluster": "k1", "first_response_at": "2024-07-02 09:00", "status": "in_progress"},
        {"source_id": "wa", "source_system": "rekap", "profile": "rekap", "has_verification_step": False,
         "reported_at": "2024-07-02 09:00", "channel": "WhatsApp", "duplicate_cluster": "k1", "is_duplicate": True,
         "status": "awaiting_response"},
    ]
    con = wh(rows, as_of="2024-07-31")
    on = compute(con, D(2024, 7, 1), D(2024, 7, 31))
    assert (on["received"], on["responded"], on["backlog_open"]) == (1, 1, 1)
    assert [r["channel"] for r in on["by_channel"]] == ["Form Manual LAPOR!"]
    # filtering on the duplicate's channel finds nothing: the earliest report stands for the cluster
    assert compute(con, D(2024, 7, 1), D(2024, 7, 31), filters={"channel": "WhatsApp"})["received"] == 0
    con.execute("UPDATE settings SET value = 'false' WHERE key = 'count_duplicates_once'")
    off = compute(con, D(2024, 7, 1), D(2024, 7, 31))
    assert (off["received"], off["responded"], off["backlog_open"]) == (2, 1, 2)
    assert off["settings"]["count_duplicates_once"] is False
    assert off["repeat_complaints"] == 0  # a duplicate is the same complaint, not a repeat


def test_repeat_complaints():
    base = {"category": "Perhubungan", "status": "in_progress"}
    rows = [
        {**base, "source_id": "a1", "reporter_hash": "r1", "reported_at": "2024-05-02 09:00"},
        {**base, "source_id": "a2", "reporter_hash": "r1", "reported_at": "2024-07-01 09:00",
         "department": "Dinas Kesehatan"},  # 60 days after a1: repeat (other OPD, filters do not matter)
        {**base, "source_id": "b1", "reporter_hash": "r2", "reported_at": "2024-05-01 09:00"},
        {**base, "source_id": "b2", "reporter_hash": "r2", "reported_at": "2024-07-01 09:00"},  # 61 days: not
        {**base, "source_id": "c1", "reporter_hash": "r3", "reported_at": "2024-07-01 08:00", "status": "archived"},
        {**base, "source_id": "c2", "reporter_hash": "r3", "reported_at": "2024-07-02 09:00"},  # earlier excluded: not
        {**base, "source_id": "d1", "reporter_hash": "r4", "reported_at": "2024-07-01 09:00"},
        {**base, "source_id": "d2", "reporter_hash": "r4", "reported_at": "2024-07-03 09:00",
         "category": "Kesehatan"},  # other category: not
        {**base, "source_id": "e1", "reporter_hash": None, "reported_at": "2024-07-01 09:00"},
        {**base, "source_id": "e2", "reporter_hash": None, "reported_at": "2024-07-02 09:00"},  # anonymous: not
        {**base, "source_id": "f1", "reporter_hash": "r5", "reported_at": "2024-07-04 09:00"},
        {**base, "source_id": "f2", "reporter_hash": "r5", "reported_at": "2024-07-04 15:00"},  # same day: repeat
    ]
    con = wh(rows, as_of="2024-07-31")
    out = compute(con, D(2024, 7, 1), D(2024, 7, 31))
    assert out["in_scope"] == 9
    assert out["repeat_complaints"] == 2
    assert out["repeat_rate"] == 2 / 9
    dinkes = compute(con, D(2024, 7, 1), D(2024, 7, 31), filters={"department": "Dinas Kesehatan"})
    assert (dinkes["in_scope"], dinkes["repeat_complaints"]) == (1, 1)
    lst = kpi.complaint_list(con, D(2024, 7, 1), D(2024, 7, 31))
    assert sorted(lst.filter(lst["is_repeat"])["source_id"].to_list()) == ["a2", "f2"]


# ------------------------------------------------------------------ scope rules


def test_null_department_counts_in_totals_only():
    rows = [{"source_id": "a", "reported_at": "2024-07-01 09:00", "department": None},
            {"source_id": "b", "reported_at": "2024-07-01 09:00"}]
    out = compute(wh(rows, as_of="2024-07-31"), D(2024, 7, 1), D(2024, 7, 31))
    assert out["received"] == 2
    assert [(r["department"], r["received"]) for r in out["by_department"]] == [("Dinas Perhubungan", 1)]


def test_sources_without_verification_step_are_never_late_for_verification():
    rows = [
        {"source_id": "r", "source_system": "rekap", "profile": "rekap", "has_verification_step": False,
         "reported_at": "2024-07-01 09:00", "status": "awaiting_response"},
        {"source_id": "l", "reported_at": "2024-07-01 09:00", "status": "unverified"},
    ]
    out = compute(wh(rows, as_of="2024-07-31"), D(2024, 7, 1), D(2024, 7, 31))
    assert (out["verification_on_time"], out["verification_late"]) == (0, 1)
    assert out["on_time_verification_rate"] == 0.0
    assert out["response_late"] == 2  # the response clock runs for both


def test_closed_without_response_is_resolved_not_responded():
    rows = [{"reported_at": "2024-07-01 09:00", "verified_at": "2024-07-01 10:00",
             "resolved_at": "2024-07-12 09:00", "status": "resolved"}]
    out = compute(wh(rows, as_of="2024-07-31"), D(2024, 7, 1), D(2024, 7, 31))
    assert (out["responded"], out["resolved"]) == (0, 1)
    assert out["response_rate"] == 0.0 and out["resolution_rate"] == 1.0
    assert out["response_days_median"] is None
    assert (out["response_on_time"], out["response_late"]) == (0, 1)  # never answered, past the limit
    assert out["backlog_open"] == 0


def test_excluded_statuses_are_received_but_nothing_else():
    rows = [{"source_id": s, "reported_at": "2024-07-01 09:00", "status": s,
             "first_response_at": "2024-07-02 09:00"} for s in ("archived", "not_authority")]
    out = compute(wh(rows, as_of="2024-07-31"), D(2024, 7, 1), D(2024, 7, 31))
    assert (out["received"], out["excluded"], out["in_scope"], out["responded"]) == (2, 2, 0, 0)
    assert out["response_rate"] is None and out["on_time_response_rate"] is None
    assert out["backlog_open"] == 0


def test_category_trend_against_the_previous_month():
    rows = [{"source_id": f"j{i}", "reported_at": "2024-06-10 09:00"} for i in range(5)]
    rows += [{"source_id": f"k{i}", "reported_at": "2024-07-10 09:00"} for i in range(7)]
    rows += [{"source_id": f"h{i}", "reported_at": "2024-07-10 09:00", "category": "Kesehatan"} for i in range(2)]
    rows += [{"source_id": f"s{i}", "reported_at": "2024-06-10 09:00", "category": "Sosial dan Kesejahteraan"}
             for i in range(6)]
    con = wh(rows, as_of="2024-07-31")
    out = compute(con, D(2024, 7, 1), D(2024, 7, 31), comparison="sebelumnya")
    assert out["previous_period"] == {"from": "2024-06-01", "to": "2024-06-30", "label": "Juni 2024",
                                      "as_of": "2024-06-30", "mode": "sebelumnya",
                                      "note": "dilihat per 30 Juni 2024, agar kematangan datanya sama dengan "
                                              "periode terpilih"}
    # the comparison window's own figures, seen at its own as-of date, and the changes
    c = out["comparison"]
    assert (c["from"], c["to"], c["as_of"], c["received"]) == ("2024-06-01", "2024-06-30", "2024-06-30", 11)
    assert c["change"]["received"] == 9 - 11
    trend = {t["category"]: t for t in out["category_trend"]}
    assert trend["Perhubungan"] == {"category": "Perhubungan", "received": 7, "received_previous": 5, "change": 2,
                                    "change_rate": 0.4, "trend": "naik"}
    assert trend["Kesehatan"]["trend"] is None  # 2 and 0: both under min_sample
    assert trend["Sosial dan Kesejahteraan"]["trend"] == "turun"
    assert trend["Sosial dan Kesejahteraan"]["change_rate"] == -1.0
    frame = kpi.category_trend(con, D(2024, 7, 1), D(2024, 7, 31), comparison="sebelumnya")
    assert frame.filter(frame["category"] == "Perhubungan")["received_previous"].to_list() == [5]


def test_default_comparison_is_the_same_span_last_year_at_the_same_maturity():
    rows = [{"source_id": f"a{i}", "reported_at": "2023-07-05 09:00"} for i in range(3)]
    rows += [{"source_id": f"b{i}", "reported_at": "2023-07-25 09:00"} for i in range(4)]  # after the same day
    rows += [{"source_id": f"c{i}", "reported_at": "2024-07-05 09:00"} for i in range(2)]
    con = wh(rows, as_of="2024-07-20")
    out = compute(con, D(2024, 7, 1), D(2024, 7, 31), comparison="tahun_lalu")
    # July 2024 is running at A = 20 July: compared with 1-20 July 2023, seen as of 20 July 2023
    assert (out["previous_period"]["from"], out["previous_period"]["to"]) == ("2023-07-01", "2023-07-20")
    c = out["comparison"]
    assert (c["from"], c["to"], c["as_of"], c["received"]) == ("2023-07-01", "2023-07-20", "2023-07-20", 3)
    assert c["change"]["received"] == -1
    trend = {t["category"]: t for t in out["category_trend"]}
    assert trend["Perhubungan"]["received_previous"] == 3
    assert compute(con, D(2024, 7, 1), D(2024, 7, 31))["previous_period"]["to"] == "2023-07-20"  # the default


# ------------------------------------------------------------------ filters


def test_filters_validate_and_accept_aliases():
    rows = [{"source_id": "a", "reported_at": "2024-07-01 09:00"},
            {"source_id": "b", "reported_at": "2024-07-01 09:00", "department": "Dinas Kesehatan",
             "category": "Kesehatan", "kelurahan": "Turi"}]
    con = wh(rows, as_of="2024-07-31")
    out = compute(con, D(2024, 7, 1), D(2024, 7, 31), filters={"department": "dishub", "category": ["perhubungan"]})
    assert out["filters"] == {"category": ["Perhubungan"], "department": ["Dinas Perhubungan"]}
    assert out["received"] == 1
    assert compute(con, D(2024, 7, 1), D(2024, 7, 31), filters={"kelurahan": "Turi"})["received"] == 1
    assert compute(con, D(2024, 7, 1), D(2024, 7, 31), filters={"department": []})["received"] == 2
    with pytest.raises(UnknownFilterValue) as exc:
        compute(con, D(2024, 7, 1), D(2024, 7, 31), filters={"department": "Dinas Perhubunga"})
    assert isinstance(exc.value, ValueError)
    assert exc.value.suggestions[0] == "Dinas Perhubungan" and len(exc.value.suggestions) == 3
    assert "tidak dikenal" in str(exc.value) and "'Dinas Perhubungan'" in str(exc.value)
    with pytest.raises(UnknownFilterValue, match="kecamatan 'Sukorjo'.*'Sukorejo'"):
        compute(con, D(2024, 7, 1), D(2024, 7, 31), filters={"kecamatan": "Sukorjo"})
    with pytest.raises(FilterError, match="Filter 'opd' tidak dikenal"):
        compute(con, D(2024, 7, 1), D(2024, 7, 31), filters={"opd": "Dishub"})


def test_same_numbers_whatever_filter_order_or_caching():
    rows = []
    for i in range(40):
        rows.append({
            "source_id": f"c{i}", "reported_at": dt.datetime(2024, 7, 1, 9) + dt.timedelta(days=i % 20, hours=i),
            "first_response_at": dt.datetime(2024, 7, 3, 9) + dt.timedelta(days=i % 7) if i % 3 else None,
            "department": ["Dinas Perhubungan", "Dinas Kesehatan", "Dinas Sosial"][i % 3],
            "category": ["Perhubungan", "Kesehatan"][i % 2],
            "channel": ["WhatsApp", "SP4N-LAPOR! Website", "ULPIM"][i % 3],
            "status": "in_progress" if i % 3 else "awaiting_response",
        })
    con = wh(rows, as_of="2024-07-31")
    f1 = {"department": ["Dinas Perhubungan", "Dinas Kesehatan"], "channel": "WhatsApp", "category": ["Perhubungan"]}
    f2 = {"category": "Perhubungan", "channel": ["WhatsApp"], "department": ["Dinas Kesehatan", "Dinas Perhubungan"]}
    first = json.dumps(compute(con, D(2024, 7, 1), D(2024, 7, 31), filters=f1), sort_keys=True)
    kpi.complaint_list(con, D(2024, 7, 1), D(2024, 7, 31))  # other queries in between
    kpi.by_month_frame(con, D(2024, 7, 1), D(2024, 7, 31))
    second = json.dumps(compute(con, D(2024, 7, 1), D(2024, 7, 31), filters=f2), sort_keys=True)
    third = json.dumps(compute(con.cursor(), "2024-07-01", "2024-07-31", filters=f1), sort_keys=True)
    assert first == second == third
    assert json.loads(first)["received"] > 0


# ------------------------------------------------------------------ errors


def test_bad_periods_and_calendar_coverage():
    con = wh([{"reported_at": "2024-07-01 09:00"}], as_of="2024-07-31", calendar_years=(2024, 2024))
    with pytest.raises(KpiError, match="terbalik"):
        compute(con, D(2024, 7, 31), D(2024, 7, 1))
    with pytest.raises(KpiError, match="Kalender hari kerja"):
        compute(con, D(2024, 7, 1), D(2024, 7, 31), as_of=D(2025, 1, 5))
    with pytest.raises(KpiError, match="YYYY-MM-DD"):
        compute(con, "1 Juli", D(2024, 7, 31))
    empty = make_warehouse([])
    with pytest.raises(KpiError, match="as-of"):
        compute(empty, D(2024, 7, 1), D(2024, 7, 31))


# ------------------------------------------------------------------ lists and frames


def test_lists_have_no_reporter_data_and_hide_confidential_text():
    rows = [
        {"source_id": "a", "reported_at": "2024-07-01 09:00", "reporter_hash": "secret", "title": "Jalan rusak",
         "status": "awaiting_response"},
        {"source_id": "b", "reported_at": "2024-07-10 09:00", "is_confidential": True, "title": "Pungli",
         "body": "rahasia", "status": "awaiting_response"},
        {"source_id": "c", "reported_at": "2024-06-03 09:00", "resolved_at": "2024-06-04 09:00",
         "status": "resolved"},
    ]
    con = wh(rows, as_of="2024-07-31")
    lst = kpi.complaint_list(con)
    assert "reporter_hash" not in lst.columns
    assert lst["source_id"].to_list() == ["b", "a", "c"]  # newest first
    assert lst["total_rows"].to_list() == [3, 3, 3]
    texts = dict(zip(lst["source_id"].to_list(), lst["title"].to_list(), strict=True))
    assert texts == {"a": "Jalan rusak", "b": None, "c": "Laporan uji"}
    page = kpi.complaint_list(con, limit=1, offset=1)
    assert page["source_id"].to_list() == ["a"] and page["total_rows"].to_list() == [3]
    assert kpi.complaint_list(con, status="resolved")["source_id"].to_list() == ["c"]
    assert kpi.complaint_list(con, department="Dinas Kesehatan").height == 0
    a = lst.row(1, named=True)
    assert (a["age_days"], a["resolution_limit"], a["is_open"], a["is_overdue"]) == (22, 14, True, True)
    # last working day still on time: 14 HK after Monday 1 July is Friday 19 July
    assert a["resolution_due_date"] == D(2024, 7, 19)


def test_overdue_list_is_sorted_by_age():
    rows = [{"source_id": s, "reported_at": t, "status": "awaiting_response"}
            for s, t in (("new", "2024-07-20 09:00"), ("old", "2024-05-02 09:00"), ("mid", "2024-06-03 09:00"))]
    over = kpi.overdue_list(wh(rows, as_of="2024-07-31"))
    assert over["source_id"].to_list() == ["old", "mid"]
    assert over["age_days"].to_list() == sorted(over["age_days"].to_list(), reverse=True)
    assert all(over["is_overdue"].to_list())


def test_early_warning_lists_steps_due_on_the_as_of_day():
    rows = [
        # reported Monday 1 July; A = Thursday 4 July: verification age 3 = limit -> late from Friday
        {"source_id": "v", "reported_at": "2024-07-01 09:00", "status": "unverified"},
        # dispatched Monday 8 July, unanswered; A = Monday 15 July: response age 5 = limit
        {"source_id": "r", "reported_at": "2024-07-05 09:00", "verified_at": "2024-07-05 10:00",
         "dispatched_at": "2024-07-08 09:00", "status": "awaiting_response"},
    ]
    con = wh(rows, as_of="2024-07-15")
    ew = kpi.early_warning(con, as_of=D(2024, 7, 4))
    assert [(r["source_id"], r["step"], r["due_date"], r["late_from"]) for r in ew.iter_rows(named=True)] == [
        ("v", "verification", D(2024, 7, 4), D(2024, 7, 5))]
    ew = kpi.early_warning(con, as_of=D(2024, 7, 15))
    got = {(r["source_id"], r["step"]) for r in ew.iter_rows(named=True)}
    assert ("r", "response") in got
    assert all(r["days_elapsed"] == r["limit_days"] for r in ew.iter_rows(named=True))


def test_frames_agree_with_compute():
    rows = []
    for i in range(30):
        rows.append({"source_id": f"c{i}", "reported_at": dt.datetime(2024, 5, 1, 9) + dt.timedelta(days=3 * i),
                     "first_response_at": dt.datetime(2024, 5, 2, 9) + dt.timedelta(days=3 * i) if i % 4 else None,
                     "department": ["Dinas Perhubungan", "Dinas Kesehatan"][i % 2],
                     "category": ["Perhubungan", "Kesehatan", "Perumahan"][i % 3],
                     "channel": ["WhatsApp", "ULPIM"][i % 2], "status": "in_progress"})
    con = wh(rows, as_of="2024-07-31")
    out = compute(con, D(2024, 5, 1), D(2024, 7, 31))
    months = kpi.by_month_frame(con, D(2024, 5, 1), D(2024, 7, 31))
    assert months["received"].sum() == out["received"]
    assert months["responded"].sum() == out["responded"]
    dept = kpi.breakdown_frame(con, "department", D(2024, 5, 1), D(2024, 7, 31))
    flat = [{**r, **{f"{step}_{state}": n for step, states in r["coverage"].items() for state, n in states.items()}}
            for r in out["by_department"]]
    assert dept.to_dicts() == [{k: r[k] for k in dept.columns} for r in flat]
    cbm = kpi.category_by_month(con, D(2024, 5, 1), D(2024, 7, 31))
    assert cbm.height == 3 * 3  # every category gets every month
    assert cbm["received"].sum() == out["received"]
    assert kpi.channel_by_month(con, D(2024, 5, 1), D(2024, 7, 31))["received"].sum() == out["received"]
    aging = kpi.aging_by_department(con)
    assert aging["complaints"].sum() == out["backlog_open"]
    assert aging["aging_bucket"].to_list()[:4] == ["0-5", "6-14", "15-60", ">60"]
    with pytest.raises(KpiError):
        kpi.breakdown_frame(con, "reporter_hash", D(2024, 5, 1), D(2024, 7, 31))
