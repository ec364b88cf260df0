"""Scoring with a hand-made model and hand-computed expected scores."""

import datetime as dt
import json

import pytest
from test_rating_model import GOOD

from pipelines.rating.evidence import EvidenceRecord
from pipelines.rating.model import parse_model
from pipelines.rating.scoring import (
    previous_year_window,
    ramp,
    resolve_period,
    score_city,
    score_departments,
)

MODEL = parse_model(GOOD)


def rec(i, indicator="sk", doc_type="SK", date="2025-02-01", status="diverifikasi", year=2025, file_ok=True):
    return EvidenceRecord(i, indicator, year, f"Dokumen {i}", doc_type, dt.date.fromisoformat(date), "a.pdf",
                          "0" * 64 + ".pdf", "0" * 64, 10, status, "2025-01-01 08:00:00", file_ok=file_ok)


def kpi(**over):
    base = {
        "period": {"from": "2025-01-01", "to": "2025-12-31", "as_of": "2025-12-31"},
        "in_scope": 100, "responded": 80, "response_rate": 0.8,
        "resolved": 70, "resolution_rate": 0.7,
        "resolution_days_median": 9.0,
        "response_on_time": 72, "response_late": 8, "on_time_response_rate": 0.9,
        "by_department": [],
    }
    base.update(over)
    return base


def test_ramp_both_directions_and_clipping():
    assert ramp(0.8, 0.5, 1.0) == pytest.approx(60.0)
    assert ramp(0.4, 0.5, 1.0) == 0.0
    assert ramp(1.2, 0.5, 1.0) == 100.0
    assert ramp(9, 14, 4) == pytest.approx(50.0)  # lower is better: floor is the bigger number
    assert ramp(20, 14, 4) == 0.0
    assert ramp(3, 14, 4) == 100.0


def test_hand_computed_city_score():
    r = score_city(MODEL, kpi(), year=2025, evidence=[rec(1)])
    # A: SK 100 (w50), respons 0.8 -> 60 (w50) => 80
    # B: median 9 HK -> (14-9)/(14-4) = 50 (w25), tepat waktu 0.9 -> (0.9-0.6)/0.4 = 75 (w75) => 68.75
    # total = 0.4*80 + 0.6*68.75 = 73.25 -> Baik
    assert r.indicator("sk").score == 100
    assert r.indicator("resp").score == pytest.approx(60)
    assert r.indicator("med").score == pytest.approx(50)
    assert r.indicator("ontime").score == pytest.approx(75)
    assert r.dimension("a").score == pytest.approx(80)
    assert r.dimension("b").score == pytest.approx(68.75)
    assert r.total == pytest.approx(73.25)
    assert r.predikat == "Baik" and r.assessed
    # contributions add up to the total and carry their inputs
    assert sum(i.points for i in r.indicators) == pytest.approx(73.25)
    assert r.indicator("ontime").points == pytest.approx(0.6 * 0.75 * 75)
    assert r.indicator("ontime").inputs == {"response_on_time": 72, "response_late": 8, "on_time_response_rate": 0.9}
    assert r.indicator("resp").inputs == {"responded": 80, "in_scope": 100, "response_rate": 0.8}
    assert r.indicator("sk").evidence_ids == [1]
    assert r.evidence_ids == [1]
    assert "Estimasi model" in r.disclaimer
    d = json.loads(json.dumps(r.to_dict(), default=str))
    assert d["disclaimer"] == "Estimasi model, bukan nilai resmi Kemendagri"
    assert d["predikat"] == "Baik" and d["dimensions"][1]["indicators"][1]["kpi"] == "on_time_response_rate"


def test_explanation_is_indonesian_and_traceable():
    r = score_city(MODEL, kpi(), year=2025, evidence=[rec(1)])
    assert r.indicator("resp").explanation == (
        "Tingkat respons 80,0% (80 dari 100); rentang 50,0% (nilai 0) sampai 100,0% (nilai 100) → 60,0.")
    assert "BD-0001" in r.indicator("sk").explanation


def test_null_indicator_is_not_counted_and_weights_renormalise():
    r = score_city(MODEL, kpi(resolution_days_median=None, resolved=0), year=2025, evidence=[rec(1)])
    assert r.indicator("med").score is None and r.indicator("med").status == "tidak ada data"
    assert r.dimension("b").score == pytest.approx(75)  # only 'ontime' counts
    assert r.total == pytest.approx(0.4 * 80 + 0.6 * 75)
    assert r.indicator("med").points == 0 and r.indicator("ontime").max_points == pytest.approx(60)


def test_small_denominator_is_data_tidak_cukup():
    r = score_city(MODEL, kpi(response_on_time=3, response_late=1, on_time_response_rate=0.75), year=2025,
                   evidence=[rec(1)])
    assert r.indicator("ontime").status == "data tidak cukup" and r.indicator("ontime").score is None
    assert r.dimension("b").score == pytest.approx(50)


@pytest.mark.parametrize(
    ("rate", "total", "band"),
    [
        (0.70, 85.0, "Sangat Baik"),
        (0.6998, 84.99, "Baik"),
        (0.40, 70.0, "Baik"),
        (0.3998, 69.99, "Sedang"),
        (0.10, 55.0, "Sedang"),
        (0.0998, 54.99, "Kurang"),
        (1.0, 100.0, "Sangat Baik"),
        (0.0, 50.0, "Kurang"),
    ],
)
def test_bands_at_exact_boundaries(rate, total, band):
    model = parse_model("""
name: batas
predikat:
  - {name: Sangat Baik, min: 85, max: 100}
  - {name: Baik, min: 70, max: 85}
  - {name: Sedang, min: 55, max: 70}
  - {name: Kurang, min: 0, max: 55}
dimensions:
  - id: e
    label: E
    weight: 50
    indicators:
      - {id: sk, label: SK, weight: 100, source: evidence, document: SK, types: [SK]}
  - id: d
    label: D
    weight: 50
    indicators:
      - {id: resp, label: R, weight: 100, source: data, kpi: response_rate, direction: higher, floor: 0, target: 1}
""")
    r = score_city(model, {"in_scope": 10000, "responded": round(rate * 10000), "response_rate": rate}, year=2025,
                   evidence=[rec(1)])
    assert r.total == pytest.approx(total)
    assert r.predikat == band


def test_band_for_is_exact_at_boundaries():
    assert [MODEL.band_for(x) for x in (85, 84.999, 70, 69.999, 55, 54.999, 0, 100)] == [
        "Sangat Baik", "Baik", "Baik", "Sedang", "Sedang", "Kurang", "Kurang", "Sangat Baik"]


@pytest.mark.parametrize(
    "evidence",
    [
        [],
        [rec(1, status="diajukan")],
        [rec(1, status="ditolak")],
        [rec(1, year=2024)],  # renew_each_year: last year's SK does not count for 2025
        [rec(1, date="2026-01-02", year=2025)],  # dated after the evaluation year
        [rec(1, file_ok=False)],  # the file is gone or changed
    ],
)
def test_no_verified_evidence_is_tidak_dinilai(evidence):
    perfect = kpi(responded=100, response_rate=1.0, resolution_days_median=1.0, response_on_time=80,
                  response_late=0, on_time_response_rate=1.0)
    r = score_city(MODEL, perfect, year=2025, evidence=evidence)
    assert r.predikat == "Tidak dinilai" and not r.assessed
    assert r.total == pytest.approx(0.4 * 50 + 0.6 * 100)  # the estimate is still shown
    assert any("tidak dinilai" in n for n in r.notes)


def test_regulation_in_force_counts_in_later_years():
    model = parse_model(GOOD.replace("renew_each_year: true", "renew_each_year: false"))
    r = score_city(model, kpi(), year=2026, evidence=[rec(1, year=2024, date="2024-05-01")])
    assert r.assessed and r.indicator("sk").score == 100


def test_previous_year_compare_keep_level_and_neutral_rule():
    text = GOOD.replace("""      - id: ontime
        label: Tepat waktu
        weight: 75
        source: data
        kpi: on_time_response_rate
        direction: higher
        floor: 0.6
        target: 1.0
""", """      - id: ontime
        label: Tepat waktu
        weight: 75
        source: data
        kpi: on_time_response_rate
        compare: previous_year
        direction: higher
        floor: -0.05
        target: 0.05
        keep_level: 0.95
""").replace("- {id: ontime, weight: 60}", "- {id: med, weight: 60}")
    model = parse_model(text)
    prev = kpi(response_on_time=70, response_late=10, on_time_response_rate=0.875)
    r = score_city(model, kpi(), year=2025, prev_kpi=prev, evidence=[rec(1)])
    # change = 0.9 - 0.875 = +0.025 -> (0.025 + 0.05) / 0.10 = 75
    assert r.indicator("ontime").value == pytest.approx(0.025)
    assert r.indicator("ontime").score == pytest.approx(75)
    assert r.indicator("ontime").inputs["tahun_sebelumnya.on_time_response_rate"] == 0.875
    assert "+2,5 poin persen" in r.indicator("ontime").explanation
    # no previous data: neutral (not counted)
    r2 = score_city(model, kpi(), year=2025, prev_kpi=None, evidence=[rec(1)])
    assert r2.indicator("ontime").score is None
    assert r2.indicator("ontime").status == "tidak ada data tahun sebelumnya"
    assert r2.dimension("b").score == pytest.approx(50)
    # previous year too small a sample: neutral as well
    r3 = score_city(model, kpi(), year=2025, prev_kpi=kpi(response_on_time=2, response_late=1,
                                                          on_time_response_rate=2 / 3), evidence=[rec(1)])
    assert r3.indicator("ontime").score is None
    # at or above keep_level: 100 whatever last year was
    r4 = score_city(model, kpi(response_on_time=77, response_late=3, on_time_response_rate=77 / 80), year=2025,
                    prev_kpi=kpi(response_on_time=80, response_late=0, on_time_response_rate=1.0), evidence=[rec(1)])
    assert r4.indicator("ontime").score == 100


def test_on_null_gives_a_fixed_score():
    text = GOOD.replace("        floor: 14\n        target: 4\n", "        floor: 14\n        target: 4\n        on_null: 100\n")
    r = score_city(parse_model(text), kpi(resolution_days_median=None), year=2025, evidence=[rec(1)])
    assert r.indicator("med").score == 100 and r.indicator("med").status == "dinilai"


def dept(name, n, responded, on_time, late, median=5.0):
    return {"department": name, "in_scope": n, "responded": responded, "response_rate": responded / n if n else None,
            "response_on_time": on_time, "response_late": late,
            "on_time_response_rate": on_time / (on_time + late) if on_time + late else None,
            "resolution_days_median": median, "resolved": responded}


def test_departments_scores_ranks_and_data_tidak_cukup():
    rows = [
        dept("Dinas A", 10, 10, 10, 0),  # resp 100, ontime 100 -> 100
        dept("Dinas B", 20, 16, 12, 4),  # resp (0.8-0.5)/0.5=60, ontime (0.75-0.6)/0.4=37.5 -> 0.4*60+0.6*37.5=46.5
        dept("Dinas C", 10, 9, 8, 1),  # resp 80, ontime (8/9-0.6)/0.4=72.22 -> 75.33
        dept("Dinas D", 4, 4, 4, 0),  # below min_sample 5
        dept("Dinas E", 10, 10, 10, 0),  # ties with A
    ]
    # the rank is the KPI engine's league (on-time response, then response rate); the score sits beside it
    for r, rank in zip(rows, (1, 4, 3, None, 1), strict=True):
        r["rank"], r["insufficient_data"] = rank, rank is None
    out = score_departments(MODEL, {"period": {"from": "2025-01-01"}, "by_department": rows,
                                    "settings": {"min_sample": 5}})
    by = {d.department: d for d in out}
    assert by["Dinas A"].score == pytest.approx(100) and by["Dinas A"].predikat == "Sangat Baik"
    assert by["Dinas B"].score == pytest.approx(46.5) and by["Dinas B"].predikat == "Kurang"
    assert by["Dinas C"].score == pytest.approx(0.4 * 80 + 0.6 * ((8 / 9 - 0.6) / 0.4 * 100))
    assert by["Dinas C"].predikat == "Baik"
    assert by["Dinas D"].predikat == "data tidak cukup" and by["Dinas D"].insufficient_data
    assert by["Dinas D"].score is None and by["Dinas D"].rank is None
    assert [(d.department, d.rank) for d in out] == [
        ("Dinas A", 1), ("Dinas E", 1), ("Dinas C", 3), ("Dinas B", 4), ("Dinas D", None)]
    assert by["Dinas B"].indicators[1].inputs == {"response_on_time": 12, "response_late": 4,
                                                  "on_time_response_rate": 0.75}
    assert "Estimasi model" in by["Dinas A"].to_dict()["disclaimer"]


def test_department_without_a_measure_is_scored_on_the_rest():
    model = parse_model(GOOD.replace("- {id: resp, weight: 40}", "- {id: med, weight: 40}"))
    row = dept("Dinas A", 10, 10, 6, 4)
    del row["resolution_days_median"]
    (d,) = score_departments(model, {"by_department": [row]})
    assert d.indicators[0].status == "tidak tersedia per OPD"
    assert d.score == pytest.approx(0)  # ontime 0.6 -> 0, the only counted indicator


def test_period_helpers():
    assert resolve_period(2025) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert resolve_period(2025, "2025-01-01..2025-06-30") == (dt.date(2025, 1, 1), dt.date(2025, 6, 30))
    # year in progress: compare the same months of last year, at the same maturity
    assert previous_year_window(dt.date(2025, 1, 1), dt.date(2025, 12, 31), dt.date(2025, 10, 31)) == (
        dt.date(2024, 1, 1), dt.date(2024, 10, 31), dt.date(2024, 10, 31))
    assert previous_year_window(dt.date(2024, 1, 1), dt.date(2024, 2, 29), dt.date(2024, 12, 31)) == (
        dt.date(2023, 1, 1), dt.date(2023, 2, 28), dt.date(2023, 12, 31))


@pytest.mark.parametrize(
    ("over", "evidence"),
    [
        ({}, [rec(1)]),
        ({"resolution_days_median": None, "resolved": 0}, [rec(1)]),
        ({"response_on_time": 3, "response_late": 1, "on_time_response_rate": 0.75}, [rec(1)]),
        ({}, []),
        ({}, [rec(1, status="diajukan")]),
    ],
)
def test_fast_total_matches_full_scoring(over, evidence):
    from pipelines.rating.scoring import total_and_predikat

    full = score_city(MODEL, kpi(**over), year=2025, evidence=evidence)
    assert total_and_predikat(MODEL, kpi(**over), year=2025, evidence=evidence) == (full.total, full.predikat)
