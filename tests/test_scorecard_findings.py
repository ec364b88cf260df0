"""Findings and recommendations are written from the numbers: a hand-made month where the first response
is late for 3 of 6 complaints, resolution is on time, and a category rises from nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from warehouse_factory import make_warehouse

from pipelines.scorecard import ScorecardError, gather

GEN = dt.datetime(2025, 9, 1, 10, 0)


def rows() -> list[dict]:
    out = []
    t0 = dt.datetime(2025, 7, 1, 9, 0)  # Tuesday; no holiday until 17 August
    for i in range(6):
        late = i >= 3
        out.append({
            "source_id": f"J{i}", "reported_at": t0, "verified_at": t0 + dt.timedelta(hours=1),
            "dispatched_at": t0 + dt.timedelta(hours=2),
            # 1 working day, or 10 working days (Tue 1 July -> Tue 15 July) against a limit of 5
            "first_response_at": dt.datetime(2025, 7, 15, 10, 0) if late else dt.datetime(2025, 7, 2, 10, 0),
            "resolved_at": dt.datetime(2025, 7, 16, 10, 0), "status": "resolved",
            "department": "Dinas Perhubungan", "category": "Perhubungan",
        })
    # an old complaint still open: the overdue backlog
    out.append({"source_id": "OLD", "reported_at": dt.datetime(2025, 1, 6, 9, 0), "status": "awaiting_response",
                "verified_at": dt.datetime(2025, 1, 6, 10, 0), "department": "Dinas Perhubungan",
                "category": "Perhubungan"})
    return out


@pytest.fixture(scope="module")
def con():
    c = make_warehouse(rows(), as_of="2025-08-31", calendar_years=(2024, 2026))
    yield c
    c.close()


@pytest.mark.parametrize("department", [None, "Dishub"])
def test_late_step_rising_category_and_backlog(con, department):
    d = gather(con, "2025-07", department, generated_at=GEN, comparison="sebelumnya")
    text = "\n".join(d.findings)
    assert "Pada Juli 2025 masuk 6 pengaduan, 6 di antaranya dalam cakupan; Juni 2025 tidak ada pengaduan." in text
    assert ("Tahap yang paling sering terlambat: tanggapan pertama — 3 dari 6 pengaduan (50,0%) melewati "
            "batas 5 HK.") in text
    assert "separuh pengaduan ditanggapi dalam 5,5 HK atau kurang" in text  # median of 1,1,1,10,10,10
    assert "Kategori yang naik dibanding Juni 2025: Perhubungan 0 → 6 (+6)." in text
    assert "ada 1 pengaduan belum selesai (dari semua periode), 1 di antaranya (100,0%) lewat batas" in text

    rec = "\n".join(d.recommendations)
    assert rec.startswith("Tuntaskan 1 pengaduan yang lewat batas waktu penyelesaian")
    assert ("Percepat tanggapan pertama: 3 pengaduan ditanggapi lewat 5 HK atau belum ditanggapi padahal "
            "batasnya lewat (tepat waktu 50,0%, target 95%)") in rec
    assert "Siapkan penanganan untuk kategori yang naik: Perhubungan (+6 pengaduan)" in rec
    assert "Perbaiki penyelesaian" not in rec  # every resolution was on time
    assert "Tanggapi " not in rec  # every complaint was answered


def test_city_findings_name_the_opd_and_the_rating(con):
    d = gather(con, "2025-07", generated_at=GEN)
    text = "\n".join(d.findings)
    assert "OPD dengan tunggakan lewat batas terbanyak: Dinas Perhubungan (1 dari 1, 100,0%)." in text
    assert "'Tidak dinilai'" in text  # no evidence in this warehouse
    assert any(r.startswith("Agar kota dapat dinilai (estimasi model: predikat ") for r in d.recommendations)
    # verification is the Admin Koordinator's step: named in the city's findings only when late
    assert "verifikasi:" not in text


def test_opd_findings_rank_and_no_verification(con):
    d = gather(con, "2025-07", "Dinas Perhubungan", generated_at=GEN)
    assert d.rating.rank == 1 and d.rating.ranked == 1
    assert f"Nilai OPD {d.rating.score_text} (predikat {d.rating.predikat}), peringkat 1 dari 1 OPD" in "\n".join(
        d.findings)
    assert not any("Admin Koordinator" in r for r in d.recommendations)


def test_unknown_department_and_bad_period(con):
    with pytest.raises(ScorecardError, match="Dinas Perhubungan"):
        gather(con, "2025-07", "Dinas Perhubngan", generated_at=GEN)
    with pytest.raises(ScorecardError, match="tidak dikenali"):
        gather(con, "Juli 2025", generated_at=GEN)
