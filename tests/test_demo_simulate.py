"""The demo truth simulator: determinism, lifecycle, identifiers, personal data, behaviour."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest

from pipelines.demo import simulate_complaints
from pipelines.demo.simulate import BACKLOG_OPD, REKAP_CHANNELS, TS_COLS
from pipelines.demo.truth import city_kpis, department_response_medians
from pipelines.demo.vocab import SAPA_MAS_WALI_LAUNCH
from pipelines.demo.workdays import WorkCalendar
from pipelines.masterdata import CANONICAL_STATUSES, load_master_data


@pytest.fixture(scope="module")
def md():
    return load_master_data()


@pytest.fixture(scope="module")
def cal(md):
    return WorkCalendar(md, 2023, 2028)


@pytest.fixture(scope="module")
def truth():
    return simulate_complaints(42, dt.date(2024, 1, 1), dt.date(2026, 10, 31))


def test_same_seed_same_frame_other_seed_differs():
    a = simulate_complaints(7, dt.date(2025, 1, 1), dt.date(2025, 6, 30))
    b = simulate_complaints(7, dt.date(2025, 1, 1), dt.date(2025, 6, 30))
    c = simulate_complaints(8, dt.date(2025, 1, 1), dt.date(2025, 6, 30))
    assert a.equals(b)
    assert not a.equals(c)


def test_volume_rows_and_scale():
    assert simulate_complaints(1, dt.date(2025, 1, 1), dt.date(2025, 3, 31), rows=1234).height == 1234
    year = simulate_complaints(1, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert 2400 <= year.height <= 2600  # a mid-sized city, about 2,500 a year
    half = simulate_complaints(1, dt.date(2025, 1, 1), dt.date(2025, 12, 31), scale=0.5)
    assert abs(half.height - year.height / 2) <= 2
    with pytest.raises(ValueError):
        simulate_complaints(1, dt.date(2025, 2, 1), dt.date(2025, 1, 1))


def test_working_day_calendar_matches_kpi_spec(md, cal):
    def hk(a, b):
        return int(cal.hk(np.array([a], dtype="datetime64[D]"), np.array([b], dtype="datetime64[D]"))[0])

    assert hk("2024-07-13", "2024-07-15") == 1  # Saturday -> Monday
    assert hk("2024-07-08", "2024-07-15") == 5
    assert hk("2024-07-08", "2024-07-08") == 0
    assert hk("2024-03-08", "2024-03-13") == 1  # Nyepi + cuti bersama
    assert hk("2025-08-15", "2025-08-19") == 1  # 17 Aug (Sunday) and the 18 Aug override
    # add() is the inverse: k working days after a Saturday lands where HK == k.
    d = cal.add(np.array(["2024-07-13"], dtype="datetime64[D]"), np.array([3]))
    assert str(d[0]) == "2024-07-17"


def test_lifecycle_is_ordered_and_statuses_follow_timestamps(truth):
    end = dt.datetime(2026, 11, 1)
    for c in TS_COLS:
        assert truth.filter(pl.col(c) >= end).is_empty(), c
    lapor = truth.filter(pl.col("source_system") == "lapor")
    chain = ["reported_at", "verified_at", "dispatched_at", "first_response_at", "resolved_at"]
    for a, b in zip(chain, chain[1:], strict=False):
        assert lapor.filter(pl.col(b) < pl.col(a)).is_empty(), (a, b)
    assert truth.filter(pl.col("resolved_at") < pl.col("reported_at")).is_empty()
    assert set(truth["status"].unique()) <= set(CANONICAL_STATUSES)
    st = truth["status"]
    assert ((st == "resolved") == truth["resolved_at"].is_not_null()).all()
    assert ((st == "archived") == truth["archived_at"].is_not_null()).all()
    assert truth.filter((st == "in_progress") & pl.col("first_response_at").is_null()).is_empty()
    assert truth.filter((st == "unverified") & pl.col("verified_at").is_not_null()).is_empty()
    # Closed is not fixed: a few are closed without any response, and they stay that way.
    silent = truth.filter((st == "resolved") & pl.col("first_response_at").is_null())
    assert 0 < silent.height < 0.03 * truth.height


def test_rekap_rows_have_dates_only_and_no_verification(truth):
    rekap = truth.filter(pl.col("source_system") == "rekap")
    assert set(rekap["channel"].unique()) <= set(REKAP_CHANNELS)
    assert rekap["verified_at"].is_null().all() and rekap["dispatched_at"].is_null().all()
    for c in ("reported_at", "first_response_at", "resolved_at"):
        t = rekap[c].drop_nulls()
        assert (t.dt.hour() == 0).all() and (t.dt.minute() == 0).all(), c
    assert "unverified" not in rekap["status"].to_list()


def test_identifiers(truth):
    lapor = truth.filter(pl.col("source_system") == "lapor")
    ids = lapor["source_id"]
    assert ids.str.contains(r"^\d{7}$").all()
    assert ids.n_unique() == lapor.height
    # Tracking ids grow with the report time.
    assert (lapor.sort("reported_at")["source_id"].cast(pl.Int64).diff().drop_nulls() > 0).all()
    rekap = truth.filter(pl.col("source_system") == "rekap")
    assert rekap["source_id"].n_unique() == rekap.height
    assert rekap["source_id"].str.contains(r"^(ULPIM/|WA-|IG\.|CC112/|SMW-)\d{4}").all()


def test_personal_data_is_pattern_valid(truth):
    named = truth.filter(~pl.col("is_anonymous"))
    phones = named["reporter_phone"].drop_nulls()
    assert phones.len() > 0.8 * named.height
    assert phones.str.contains(r"^(08\d{2}-?\d{3,4}-?\d{3,4}|\+62 8\d{8,11}|628\d{8,11})$").all()
    nik = named["reporter_nik"].drop_nulls()
    assert nik.str.contains(r"^3572\d{12}$").all()
    day = nik.str.slice(6, 2).cast(pl.Int32)
    assert ((day.is_between(1, 31)) | (day.is_between(41, 71))).all()
    assert nik.str.slice(8, 2).cast(pl.Int32).is_between(1, 12).all()
    emails = named["reporter_email"].drop_nulls()
    assert emails.str.contains(r"^[a-z0-9.]+@[a-z.]+\.[a-z]+$").all()
    anon = truth.filter(pl.col("is_anonymous"))
    assert anon.height > 0
    for c in ("reporter_name", "reporter_phone", "reporter_email", "reporter_nik"):
        assert anon[c].is_null().all(), c
    # Some complaint texts carry a phone, e-mail or NIK, as real ones do.
    pii = truth.filter(pl.col("pii_in_text"))
    assert 0 < pii.height < 0.1 * truth.height
    assert pii["body"].str.contains(r"(08\d|\+62|62 ?8|@|3572\d{12})").all()


def test_text_is_indonesian_and_varied(truth):
    lapor = truth.filter(pl.col("source_system") == "lapor")
    assert lapor["body"].n_unique() > 0.9 * lapor.height
    assert not truth["body"].str.contains(r"\{[a-z]+\}").any()  # every placeholder filled
    parkir = truth.filter(pl.col("topic") == "parkir_liar")["body"].str.to_lowercase()
    assert parkir.str.contains("parkir|jukir").mean() > 0.95
    assert truth["body"].str.contains("\n").any()  # some multi-paragraph texts


def test_master_data_names(truth, md):
    assert set(truth["department"].drop_nulls()) <= set(md.department_names)
    assert set(truth["category"]) <= set(md.category_names)
    assert set(truth["channel"]) <= set(md.channel_names)
    assert set(truth["kelurahan"]) <= set(md.kelurahan_names)
    bad = truth.filter(pl.col("kecamatan") != pl.col("kelurahan").replace_strict(
        {k: md.kecamatan_for_kelurahan(k) for k in md.kelurahan_names}))
    assert bad.is_empty()


def test_sapa_mas_wali_only_from_november_2025(truth):
    sapa = truth.filter(pl.col("channel") == "SAPA MAS WALI")
    assert sapa.height > 100
    assert sapa["reported_at"].min().date() >= SAPA_MAS_WALI_LAUNCH


def test_city_lands_in_target_band(truth, md, cal):
    k = city_kpis(truth, md, cal, dt.date(2026, 10, 31))
    assert 0.85 <= k["response_rate"] <= 0.95
    assert 0.75 <= k["on_time_response_rate"] <= 0.85
    assert 0.80 <= k["resolution_rate"] <= 0.90
    assert 0.9 <= k["on_time_verification_rate"] <= 1.0


def test_opds_differ_and_one_builds_a_backlog(truth, md, cal):
    med = department_response_medians(truth, cal)
    assert med["Dinas Pekerjaan Umum dan Penataan Ruang"] > med["Dinas Perhubungan"]
    assert med["Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"] > med["Dinas Komunikasi, Informatika dan Statistik"]

    def rate(year: int) -> float:
        d = truth.filter((pl.col("department") == BACKLOG_OPD) & (pl.col("reported_at").dt.year() == year))
        return city_kpis(d, md, cal, dt.date(2026, 10, 31))["response_rate"]

    assert rate(2026) < rate(2025) - 0.15
    d = truth.filter(pl.col("department") == BACKLOG_OPD)

    def open_at(t: dt.datetime) -> int:
        return d.filter(
            (pl.col("reported_at") < t) & (pl.col("resolved_at").is_null() | (pl.col("resolved_at") >= t))
            & ~pl.col("status").is_in(["archived", "not_authority"])
        ).height

    assert open_at(dt.datetime(2026, 2, 1)) < open_at(dt.datetime(2026, 6, 1)) < open_at(dt.datetime(2026, 11, 1))


def test_seasonality(truth):
    month = truth["reported_at"].dt.month()
    rainy_topics = pl.col("topic").is_in(["pohon_tumbang", "pohon_besar", "drainase"])
    jan = truth.filter(month == 1).select(rainy_topics.mean()).item()
    jul = truth.filter(month == 7).select(rainy_topics.mean()).item()
    assert jan > 1.5 * jul
    lebaran = pl.lit(False)
    for d in (dt.date(2024, 4, 10), dt.date(2025, 3, 31), dt.date(2026, 3, 20)):
        lebaran = lebaran | pl.col("reported_at").dt.date().is_between(d - dt.timedelta(days=14), d + dt.timedelta(days=10))
    flagged = truth.with_columns(leb=lebaran, parkir=pl.col("topic").is_in(["parkir_liar", "ketertiban_umum"]))
    near = flagged.filter(pl.col("leb"))["parkir"].mean()
    rest = flagged.filter(~pl.col("leb"))["parkir"].mean()
    assert near > 1.4 * rest


def test_duplicates_across_channels(truth):
    copies = truth.filter(pl.col("duplicate_of").is_not_null())
    assert 3 <= copies.height <= 0.01 * truth.height
    orig = truth.select(
        "source_id", o_channel="channel", o_reported="reported_at", o_dept="department", o_cat="category",
        o_kel="kelurahan", o_body="body", o_system="source_system",
    )
    j = copies.join(orig, left_on="duplicate_of", right_on="source_id")
    assert j.height == copies.height
    assert (j["channel"] == "Form Manual LAPOR!").all() and (j["source_system"] == "lapor").all()
    assert (j["o_system"] == "rekap").all()
    assert (j["category"] == j["o_cat"]).all() and (j["kelurahan"] == j["o_kel"]).all()
    same_dept = j.filter(pl.col("department").is_not_null())
    assert (same_dept["department"] == same_dept["o_dept"]).all()
    days = (j["reported_at"].dt.date() - j["o_reported"].dt.date()).dt.total_days()
    assert days.is_between(1, 2).all()
    assert all(o in b for o, b in zip(j["o_body"], j["body"], strict=True))


def test_titles_and_locations(truth):
    assert not truth["title"].str.contains("{", literal=True).any()
    loc = truth["location"]
    assert 0 < loc.null_count() < 0.1 * truth.height  # some reports give no location
    assert loc.drop_nulls().str.contains(r"^Jl\. [A-Za-z]").mean() > 0.7
