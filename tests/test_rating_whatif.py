"""What-if on hand-made inputs: the plan is the smallest, its points are hand-checked,
and applying its changes to the inputs reaches the band."""

import dataclasses
import datetime as dt

import pytest
from test_rating_model import GOOD
from test_rating_scoring import kpi, rec

from pipelines.rating.evidence import EvidenceRecord
from pipelines.rating.model import load_model, parse_model
from pipelines.rating.scoring import score_city
from pipelines.rating.whatif import improvement_options, what_if
from pipelines.settings import DEFAULT_CONFIG_DIR

MODEL = parse_model(GOOD)


def apply_plan_to_inputs(kpi_dict, evidence, plan):
    """Apply a plan's details to a KPI dict and evidence list the way a user would change the data."""
    k = dict(kpi_dict)
    ev = list(evidence)
    for c in plan:
        d = c.detail
        if "counts_changed" in d:
            for key, delta in d["counts_changed"].items():
                k[key] = k[key] + delta
            num_den = {"response_rate": ("responded", ("in_scope",)),
                       "on_time_response_rate": ("response_on_time", ("response_on_time", "response_late"))}
            if d["kpi"] in num_den:
                n, ds = num_den[d["kpi"]]
                k[d["kpi"]] = k[n] / sum(k[x] for x in ds)
        elif d.get("kpi") == "resolution_days_median":
            k["resolution_days_median"] = d["to"]
        elif "evidence_ids" in d:
            ev = [dataclasses.replace(r, status="diverifikasi") if r.evidence_id in d["evidence_ids"] else r for r in ev]
        elif "records" in d:
            for i, r in enumerate(d["records"]):
                ev.append(EvidenceRecord(1000 + i, r["indicator_id"], r["year"], "baru", r["doc_type"],
                                         dt.date.fromisoformat(r["doc_date"]), "b.pdf", "1" * 64 + ".pdf", "1" * 64, 1,
                                         "diverifikasi", "2025-06-01 00:00:00"))
    return k, ev


def test_plan_is_the_smallest_and_hand_checked():
    r = score_city(MODEL, kpi(), year=2025, evidence=[rec(1)])
    assert r.total == pytest.approx(73.25) and r.predikat == "Baik"
    plan = what_if(r, "Sangat Baik")
    # gap 11.75. One late complaint answered on time: 1/80 of the ramp 0.6..1.0 = 3.125 indicator
    # points x (0.6 x 0.75) = 1.40625; one more complaint answered: 0.01/0.5 x 100 = 2 x (0.4 x 0.5) = 0.4.
    # Best points per effort: on-time answers (5.6 per unit of effort), all 8 (+11.25); the rest (0.5)
    # is closed most cheaply by 2 more answers (0.25 effort each) rather than a faster median (2 per half day):
    # 8 late answered on time (+11.25) and 2 unanswered answered (+0.8).
    assert plan.reaches and plan.target == "Sangat Baik"
    assert [(c.lever, c.amount) for c in plan] == [("on_time_response_rate", 8), ("response_rate", 2)]
    assert [c.points for c in plan] == pytest.approx([11.25, 0.8])
    assert plan.total_after == pytest.approx(85.3) and plan.predikat_after == "Sangat Baik"
    assert plan[0].sentence == ("Tindak lanjuti 8 dari 8 laporan yang lewat batas waktu dalam 5 hari kerja "
                                "(respons tepat waktu 90,0% → 100,0%): +11,2 poin")
    assert plan[1].sentence == ("Tindak lanjuti 2 dari 20 laporan yang belum ditanggapi "
                                "(tingkat respons 80,0% → 82,0%): +0,8 poin")
    k2, ev2 = apply_plan_to_inputs(kpi(), [rec(1)], plan)
    again = score_city(MODEL, k2, year=2025, evidence=ev2)
    assert again.predikat == "Sangat Baik" and again.total == pytest.approx(85.3)
    # one complaint fewer on either change misses the band: the plan is minimal
    for i in range(2):
        smaller = [dataclasses.replace(c, detail={**c.detail, "counts_changed": {
            k: (v - 1 if v > 0 else v + 1) for k, v in c.detail["counts_changed"].items()}}) if j == i else c
            for j, c in enumerate(plan)]
        k3, _ = apply_plan_to_inputs(kpi(), [rec(1)], smaller)
        assert score_city(MODEL, k3, year=2025, evidence=[rec(1)]).predikat == "Baik"


def test_already_in_band_gives_empty_plan():
    r = score_city(MODEL, kpi(), year=2025, evidence=[rec(1)])
    plan = what_if(r, "baik")
    assert plan == [] and plan.reaches and "sudah" in plan.note


def test_unknown_band_is_refused():
    r = score_city(MODEL, kpi(), year=2025, evidence=[rec(1)])
    with pytest.raises(ValueError, match="Predikat 'Istimewa' tidak ada"):
        what_if(r, "Istimewa")


def test_tidak_dinilai_pending_evidence_is_verified_first():
    r = score_city(MODEL, kpi(), year=2025, evidence=[rec(7, status="diajukan")])
    assert r.predikat == "Tidak dinilai"
    plan = what_if(r, "Baik")
    assert [(c.kind, c.detail.get("evidence_ids")) for c in plan] == [("verifikasi_bukti", [7])]
    assert plan[0].points == pytest.approx(0.4 * 0.5 * 100)
    assert plan[0].sentence == "Verifikasi bukti yang sudah diajukan untuk 'SK': BD-0007 “Dokumen 7”: +20,0 poin"
    _, ev2 = apply_plan_to_inputs(kpi(), [rec(7, status="diajukan")], plan)
    assert score_city(MODEL, kpi(), year=2025, evidence=ev2).predikat == "Baik"


def test_tidak_dinilai_without_evidence_proposes_the_upload():
    r = score_city(MODEL, kpi(), year=2025, evidence=[])
    plan = what_if(r, "Baik")
    assert len(plan) == 1 and plan[0].kind == "unggah_bukti"
    assert plan[0].sentence == "Unggah SK tim tahun 2025: +20,0 poin"
    assert plan[0].detail["records"] == [{"indicator_id": "sk", "year": 2025, "doc_type": "SK", "doc_date": "2025-06-01"}]
    _, ev2 = apply_plan_to_inputs(kpi(), [], plan)
    assert score_city(MODEL, kpi(), year=2025, evidence=ev2).predikat == "Baik"


def test_unreachable_band_is_reported():
    # only rates, no counts: nothing can be turned into complaints; the median alone cannot reach 85
    bare = {"response_rate": 0.6, "on_time_response_rate": 0.7, "resolution_days_median": 10.0, "in_scope": 100}
    r = score_city(MODEL, bare, year=2025, evidence=[rec(1)])
    plan = what_if(r, "Sangat Baik")
    assert not plan.reaches
    assert [c.lever for c in plan] == ["resolution_days_median"]
    assert "tidak tercapai" in plan.note
    assert plan[0].sentence.startswith("Percepat penanganan sehingga median hari penyelesaian turun dari 10 HK menjadi 4 HK")


def test_events_and_required_types_with_default_model():
    model = load_model(config_dir=DEFAULT_CONFIG_DIR)
    ev = [rec(1, "sosialisasi_kanal", "foto", "2025-03-01"), rec(2, "bimtek_pengelola", "undangan", "2025-04-10")]
    r = score_city(model, kpi(), year=2025, evidence=ev)
    opts = {c.lever: c for c in improvement_options(r)}
    sos = opts["unggah:sosialisasi_kanal"]
    assert sos.amount == 3
    assert sos.description == "Unggah bukti 3 kegiatan sosialisasi kanal pengaduan lagi tahun 2025"
    # The hand-made KPI dict has no verification counts, so Proses (20) counts sosialisasi 25, bimtek 25 and
    # kanal 20 (weights renormalised over 70). Each of the 4 events is 25 indicator points = 25 x 25/70 x 0.2.
    assert sos.points == pytest.approx(3 * 25 * 25 / 70 * 0.2)
    bim = opts["unggah:bimtek_pengelola"]
    assert bim.description == "Lengkapi bukti bimtek pengelola pengaduan tahun 2025 dengan daftar hadir dan laporan"
    # one event is on record (the undangan of 10 April): the missing types complete that event
    assert [x["doc_date"] for x in bim.detail["records"]] == ["2025-04-10", "2025-04-10"]
    assert bim.points == pytest.approx((100 - 50 - 50 / 3) * 25 / 70 * 0.2)
    assert opts["unggah:sk_tim_pengaduan"].description == (
        "Unggah SK tim pengelola pengaduan dan admin penghubung OPD tahun 2025")
    assert opts["unggah:regulasi_pengaduan"].description.endswith("yang berlaku pada 2025")
    ranked = [c.points for c in improvement_options(r)]
    assert ranked == sorted(ranked, reverse=True)
