"""Status says whether, dates say when; closed is not fixed; what is due (kpi-spec.md).

Hand-computed: every step state (dated, undated, not done, unknown), coverage, the rates and
on-time terms built on them, a complaint first seen in a Ringkas export (status only) and later
in a dated export, reopened complaints across three snapshots, and due_soon across a weekend and a
holiday. Calendar: no holiday between Monday 2024-07-01 and Wednesday 2024-07-31.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest
from ringkas_export import RingkasRow, write_ringkas
from warehouse_factory import make_warehouse

from pipelines import kpi
from pipelines.build.core import run_pipeline
from pipelines.kpi import compute
from pipelines.kpi.coverage import coverage_note, coverage_sentences
from pipelines.settings import DEFAULT_CONFIG_DIR, Paths

D = dt.date
RINGKAS = {"times_verification": False, "times_response": False, "times_resolution": False,
           "profile": "lapor_ringkas", "snapshot_date": "2024-07-20"}


def _states(con, as_of="2024-07-24"):
    df = kpi.complaint_list(con, D(2024, 7, 1), D(2024, 7, 31), as_of=D.fromisoformat(as_of), limit=100)
    return {r["source_id"]: (r["verification_state"], r["response_state"], r["resolution_state"])
            for r in df.iter_rows(named=True)}


# A = Wednesday 2024-07-24. Limits 3 / 5 / 14.
ROWS = [
    # a: every date recorded (LAPOR!, dated export)
    {"source_id": "a", "reported_at": "2024-07-08 09:00", "verified_at": "2024-07-08 10:00",
     "first_response_at": "2024-07-11 09:00", "resolved_at": "2024-07-15 09:00", "status": "resolved"},
    # b: Ringkas "Ditutup oleh Sistem": resolved, and the label implies a response
    {"source_id": "b", "reported_at": "2024-07-09 09:00", "status": "resolved",
     "status_label": "Ditutup oleh Sistem", "status_implies": ["response"], **RINGKAS},
    # c: Ringkas "Ditutup oleh Admin": resolved; whether it was answered is unknown
    {"source_id": "c", "reported_at": "2024-07-10 09:00", "status": "resolved",
     "status_label": "Ditutup oleh Admin", **RINGKAS},
    # d: Ringkas "Menunggu Kelengkapan Informasi" (postponed), reported Monday 1 July
    {"source_id": "d", "reported_at": "2024-07-01 09:00", "status": "postponed", **RINGKAS},
    # e: Ringkas "Belum Terverifikasi"
    {"source_id": "e", "reported_at": "2024-07-02 09:00", "status": "unverified", **RINGKAS},
    # f: dated export, verified and dispatched Tuesday 9 July, never answered
    {"source_id": "f", "reported_at": "2024-07-09 08:00", "verified_at": "2024-07-09 09:00",
     "dispatched_at": "2024-07-09 10:00", "status": "awaiting_response"},
    # g: Ringkas "Ditutup oleh Admin" in an export dated after A: at A nothing is known
    {"source_id": "g", "reported_at": "2024-07-11 09:00", "status": "resolved",
     **{**RINGKAS, "snapshot_date": "2024-07-25"}},
    # h: rekap (no verification step), in progress without a response date
    {"source_id": "h", "reported_at": "2024-07-15 09:00", "status": "in_progress", "source_system": "rekap",
     "profile": "rekap", "has_verification_step": False, "channel": "WhatsApp", "snapshot_date": "2024-07-20"},
]


@pytest.fixture(scope="module")
def con():
    return make_warehouse(ROWS, as_of="2024-07-24")


def test_every_step_state_by_hand(con):
    assert _states(con) == {
        "a": ("dated", "dated", "dated"),
        "b": ("undated", "undated", "undated"),
        "c": ("undated", "unknown", "undated"),
        "d": ("unknown", "not_done", "not_done"),
        "e": ("not_done", "not_done", "not_done"),
        "f": ("dated", "not_done", "not_done"),
        "g": ("unknown", "unknown", "unknown"),
        "h": (None, "undated", "not_done"),
    }


def test_counts_rates_durations_and_coverage_by_hand(con):
    out = compute(con, D(2024, 7, 1), D(2024, 7, 31))
    assert out["coverage"] == {
        "verification": {"dated": 2, "undated": 2, "not_done": 1, "unknown": 2},  # h has no verification step
        "response": {"dated": 1, "undated": 2, "not_done": 3, "unknown": 2},
        "resolution": {"dated": 1, "undated": 2, "not_done": 4, "unknown": 1},
    }
    assert (out["in_scope"], out["verified"], out["responded"], out["resolved"]) == (8, 4, 3, 3)
    assert out["response_rate"] == pytest.approx(3 / (8 - 2))  # unknown responses (c, g) in neither term
    assert out["resolution_rate"] == pytest.approx(3 / (8 - 1))  # g unknown
    # durations: dated steps only (a), never a 0 for an undated one
    assert out["verification_days_median"] == 0.0  # a 0, f 0
    assert (out["response_days_median"], out["response_days_p90"]) == (3.0, 3.0)  # a: HK(07-08, 07-11)
    assert (out["resolution_days_median"], out["resolution_days_p90"]) == (5.0, 5.0)  # a: HK(07-08, 07-15)
    # on time: e is unverified for 16 HK, d and e unanswered for 17 and 16 HK, but their source does not
    # date those steps, so they are never late; f (dated source) is 11 HK without a response: late
    assert (out["verification_on_time"], out["verification_late"]) == (2, 0)
    assert (out["response_on_time"], out["response_late"]) == (1, 1)
    assert out["on_time_response_rate"] == 0.5
    assert (out["resolution_on_time"], out["resolution_late"]) == (1, 0)  # f 11, h 7 HK: within 14
    # backlog: b, c resolved without a date are closed; g unknown is not counted open; d (17 HK) and
    # e (16 HK) are open past 14 HK: the age is known from the report date
    assert (out["backlog_open"], out["backlog_overdue"]) == (4, 2)
    assert out["backlog_aging"] == {"0-5": 0, "6-14": 2, "15-60": 2, ">60": 0}
    dept = {r["department"]: r for r in out["by_department"]}["Dinas Perhubungan"]
    assert dept["coverage"] == out["coverage"]  # every fixture row is Dinas Perhubungan's


def test_only_undated_steps_give_null_durations_and_rates_not_zero():
    rows = [{"source_id": f"r{i}", "reported_at": "2024-07-08 09:00", "status": "resolved",
             "status_label": "Ditutup oleh Sistem", "status_implies": ["response"], **RINGKAS} for i in range(3)]
    out = compute(make_warehouse(rows, as_of="2024-07-24"), D(2024, 7, 1), D(2024, 7, 31))
    assert (out["verified"], out["responded"], out["resolved"]) == (3, 3, 3)
    assert (out["response_rate"], out["resolution_rate"]) == (1.0, 1.0)
    for key in ("verification_days_median", "response_days_median", "response_days_p90", "resolution_days_median",
                "resolution_days_p90", "on_time_verification_rate", "on_time_response_rate",
                "on_time_resolution_rate"):
        assert out[key] is None, key
    assert out["backlog_open"] == 0
    assert coverage_sentences(out["coverage"], ("resolution",)) == [
        "Penyelesaian: lama tidak tercatat untuk 3 pengaduan yang sudah selesai menurut statusnya (ekspor tanpa "
        "tanggal); belum ada satu pun tanggal yang tercatat, jadi lama dan ketepatan waktunya tidak dapat dihitung.",
    ]


def test_coverage_sentences_from_the_numbers():
    cov = {"verification": {"dated": 10, "undated": 0, "not_done": 2, "unknown": 0},
           "response": {"dated": 22, "undated": 0, "not_done": 3, "unknown": 1234},
           "resolution": {"dated": 22, "undated": 775, "not_done": 0, "unknown": 0}}
    assert coverage_sentences(cov) == [
        "Tanggapan: untuk 1.234 pengaduan tidak diketahui apakah sudah ditanggapi (ekspor tanpa tanggal, status "
        "tidak menyatakannya), jadi tidak ikut dihitung; lama dan ketepatan waktu dihitung dari 22 pengaduan "
        "bertanggal.",
        "Penyelesaian: lama tidak tercatat untuk 775 pengaduan yang sudah selesai menurut statusnya (ekspor tanpa "
        "tanggal); lama dan ketepatan waktu dihitung dari 22 pengaduan bertanggal.",
    ]
    assert coverage_note(cov, ("verification",)) == ""  # every done verification is dated
    assert coverage_note(None) == ""


def test_undated_needs_an_export_dated_on_or_before_as_of(con):
    # at A = 19 July the Ringkas export (20 July) had not been made: b and c are unknown, not resolved
    states = _states(con, "2024-07-19")
    assert states["b"] == ("unknown", "unknown", "unknown")
    assert states["c"] == ("unknown", "unknown", "unknown")
    assert states["d"] == ("unknown", "not_done", "not_done")  # the status itself says not done


def _history(con, key, rows):
    """complaint_status_history rows (export date, canonical status, label) for one complaint."""
    for i, (day, status, label) in enumerate(rows):
        con.execute(
            "INSERT INTO complaint_status_history (complaint_key, snapshot_id, snapshot_date, source_file, source_row,"
            " status, status_label) VALUES (?, ?, ?, ?, 2, ?, ?)",
            [key, f"s{i}-{key}", D.fromisoformat(day), f"export_{day}.csv", status, label],
        )


def test_ringkas_first_then_dated_export_at_complaints_level():
    # x: Ringkas 15 July says "Ditutup oleh Sistem"; the dated export of 31 July gives every date
    # y: dated export 10 July (in progress, dated), then Ringkas 20 July "Ditutup oleh Admin" (no dates)
    # z: two Ringkas exports (15 and 31 July) both "Ditutup oleh Admin": the first one counts for A
    rows = [
        {"source_id": "x", "reported_at": "2024-07-08 09:00", "verified_at": "2024-07-08 10:00",
         "first_response_at": "2024-07-10 09:00", "resolved_at": "2024-07-12 09:00", "status": "resolved",
         "snapshot_date": "2024-07-31"},
        {"source_id": "y", "reported_at": "2024-07-08 09:00", "verified_at": "2024-07-08 10:00",
         "first_response_at": "2024-07-09 09:00", "status": "resolved", "status_label": "Ditutup oleh Admin",
         **RINGKAS},
        {"source_id": "z", "reported_at": "2024-07-08 09:00", "status": "resolved",
         "status_label": "Ditutup oleh Admin", **{**RINGKAS, "snapshot_date": "2024-07-31"}},
    ]
    con = make_warehouse(rows, as_of="2024-07-31")
    _history(con, "lapor:x", [("2024-07-15", "resolved", "Ditutup oleh Sistem"), ("2024-07-31", "resolved", "Selesai")])
    _history(con, "lapor:y", [("2024-07-10", "in_progress", "Proses"), ("2024-07-20", "resolved", "Ditutup oleh Admin")])
    _history(con, "lapor:z", [("2024-07-15", "resolved", "Ditutup oleh Admin"),
                              ("2024-07-31", "resolved", "Ditutup oleh Admin")])
    assert _states(con, "2024-07-24") == {
        "x": ("dated", "dated", "dated"),  # dates <= A count, whichever export brought them
        "y": ("dated", "dated", "undated"),
        "z": ("undated", "unknown", "undated"),  # carried by the 15 July export
    }
    assert _states(con, "2024-07-16") == {
        "x": ("dated", "dated", "dated"),
        "y": ("dated", "dated", "unknown"),  # "Ditutup" only from 20 July, and Ringkas has no dates
        "z": ("undated", "unknown", "undated"),
    }
    out = compute(con, D(2024, 7, 1), D(2024, 7, 31), as_of=D(2024, 7, 24))
    assert (out["resolved"], out["resolution_days_median"], out["backlog_open"]) == (3, 4.0, 0)  # x: HK 4
    assert out["coverage"]["resolution"] == {"dated": 1, "undated": 2, "not_done": 0, "unknown": 0}


# ------------------------------------------------------------------ reopened


def test_resolved_reopened_and_resolved_again_across_three_snapshots():
    rows = [
        # r: resolved (export 1 July), reopened (export 15 July), resolved again (export 31 July)
        {"source_id": "r", "reported_at": "2024-06-24 09:00", "verified_at": "2024-06-24 10:00",
         "first_response_at": "2024-06-25 09:00", "resolved_at": "2024-07-26 09:00", "status": "resolved",
         "snapshot_date": "2024-07-31"},
        # s: resolved twice, never reopened; t: reopened into "archived" (excluded: not a reopening)
        {"source_id": "s", "reported_at": "2024-06-24 09:00", "verified_at": "2024-06-24 10:00",
         "first_response_at": "2024-06-25 09:00", "resolved_at": "2024-06-28 09:00", "status": "resolved",
         "snapshot_date": "2024-07-31"},
        {"source_id": "t", "reported_at": "2024-06-25 09:00", "verified_at": "2024-06-25 10:00",
         "first_response_at": "2024-06-26 09:00", "resolved_at": "2024-06-28 09:00", "status": "resolved",
         "snapshot_date": "2024-07-31"},
    ]
    con = make_warehouse(rows, as_of="2024-07-31")
    _history(con, "lapor:r", [("2024-07-01", "resolved", "Selesai"), ("2024-07-15", "in_progress", "Proses"),
                              ("2024-07-31", "resolved", "Selesai")])
    _history(con, "lapor:s", [("2024-07-01", "resolved", "Selesai"), ("2024-07-31", "resolved", "Selesai")])
    _history(con, "lapor:t", [("2024-07-01", "resolved", "Selesai"), ("2024-07-15", "archived", "Diarsipkan"),
                              ("2024-07-31", "resolved", "Selesai")])
    june = (D(2024, 6, 1), D(2024, 6, 30))
    before = compute(con, *june, as_of=D(2024, 7, 12))
    assert (before["reopened"], before["resolved"], before["reopen_rate"]) == (0, 2, 0.0)  # r resolved on 26 July
    during = compute(con, *june, as_of=D(2024, 7, 20))
    assert (during["reopened"], during["resolved"], during["reopen_rate"]) == (1, 2, 0.5)
    after = compute(con, *june, as_of=D(2024, 7, 31))
    assert (after["reopened"], after["resolved"], after["reopen_rate"]) == (1, 3, pytest.approx(1 / 3))
    dept = {r["department"]: r for r in after["by_department"]}["Dinas Perhubungan"]
    assert (dept["reopened"], dept["reopen_rate"]) == (1, pytest.approx(1 / 3))
    lst = kpi.reopened_list(con, as_of=D(2024, 7, 31))
    assert [(r["source_id"], r["reopened_on"], r["is_open"]) for r in lst.iter_rows(named=True)] == [
        ("r", D(2024, 7, 15), False)]
    assert kpi.reopened_list(con, as_of=D(2024, 7, 12)).height == 0


def test_reopen_rate_is_null_without_resolved_complaints():
    con = make_warehouse([{"source_id": "a", "reported_at": "2024-07-08 09:00", "status": "awaiting_response",
                           "verified_at": "2024-07-08 10:00"}], as_of="2024-07-24")
    out = compute(con, D(2024, 7, 1), D(2024, 7, 31))
    assert (out["reopened"], out["reopen_rate"]) == (0, None)


# ------------------------------------------------------------------ due_soon


def test_due_soon_across_a_weekend_and_a_holiday():
    # A = Friday 2024-08-16; Saturday 17 August is Hari Kemerdekaan, then Sunday: the next working
    # days are Monday 19 and Tuesday 20 August. Limits 5 (response) and 14 (resolution); N = 2.
    rows = [
        # p: dispatched Friday 9 Aug, unanswered: HK(08-09, 08-16) = 5 = limit -> due today (0 left)
        {"source_id": "p", "reported_at": "2024-08-09 08:00", "verified_at": "2024-08-09 09:00",
         "dispatched_at": "2024-08-09 10:00", "status": "awaiting_response"},
        # q: dispatched Tuesday 13 Aug: 3 HK waited, 2 left -> limit on Tuesday 20 August: due soon
        {"source_id": "q", "reported_at": "2024-08-13 08:00", "verified_at": "2024-08-13 09:00",
         "dispatched_at": "2024-08-13 10:00", "status": "awaiting_response"},
        # u: dispatched Wednesday 14 Aug: 2 waited, 3 left -> not yet
        {"source_id": "u", "reported_at": "2024-08-14 08:00", "verified_at": "2024-08-14 09:00",
         "dispatched_at": "2024-08-14 10:00", "status": "awaiting_response"},
        # v: dispatched Thursday 8 Aug: 6 HK > 5 -> already late, not "due soon"
        {"source_id": "v", "reported_at": "2024-08-08 08:00", "verified_at": "2024-08-08 09:00",
         "dispatched_at": "2024-08-08 10:00", "status": "awaiting_response"},
        # w: answered; resolution clock from Friday 26 July: HK(07-26, 08-16) = 15 > 14 -> late (overdue)
        {"source_id": "w", "reported_at": "2024-07-26 08:00", "verified_at": "2024-07-26 09:00",
         "first_response_at": "2024-07-29 09:00", "status": "in_progress"},
        # x: answered; reported Tuesday 30 July: HK = 13, 1 left -> resolution due Monday 19 August
        {"source_id": "x", "reported_at": "2024-07-30 08:00", "verified_at": "2024-07-30 09:00",
         "first_response_at": "2024-07-31 09:00", "status": "in_progress"},
        # y: Ringkas "Menunggu Kelengkapan Informasi", reported 30 July: the source does not date the
        # response, so the next step is resolution (1 left) -> due soon
        {"source_id": "y", "reported_at": "2024-07-30 08:00", "status": "postponed",
         **{**RINGKAS, "snapshot_date": "2024-08-16"}},
        # z: resolved: not open
        {"source_id": "z", "reported_at": "2024-08-13 08:00", "verified_at": "2024-08-13 09:00",
         "first_response_at": "2024-08-14 09:00", "resolved_at": "2024-08-15 09:00", "status": "resolved"},
    ]
    con = make_warehouse(rows, as_of="2024-08-16")
    out = compute(con, D(2024, 7, 1), D(2024, 8, 31))
    assert out["due_soon"] == 4
    lst = kpi.due_soon_list(con)
    assert [(r["source_id"], r["next_step"], r["next_step_days_left"], r["next_step_due_date"])
            for r in lst.iter_rows(named=True)] == [
        ("p", "response", 0, D(2024, 8, 16)),
        ("x", "resolution", 1, D(2024, 8, 19)),
        ("y", "resolution", 1, D(2024, 8, 19)),
        ("q", "response", 2, D(2024, 8, 20)),
    ]
    assert lst["is_due_soon"].all() and not lst["is_overdue"].any()
    # on Saturday (a holiday) nothing has moved: the same list
    assert kpi.due_soon_list(con, as_of=D(2024, 8, 17))["source_id"].to_list() == ["p", "x", "y", "q"]
    # on Monday 19 August p is late; u (3 HK waited, 2 left) becomes due, due Wednesday 21
    monday = kpi.due_soon_list(con, as_of=D(2024, 8, 19))
    assert [(r["source_id"], r["next_step_days_left"]) for r in monday.iter_rows(named=True)] == [
        ("x", 0), ("y", 0), ("q", 1), ("u", 2)]
    dept = {r["department"]: r for r in out["by_department"]}["Dinas Perhubungan"]
    assert dept["due_soon"] == 4


def test_due_soon_days_is_a_setting():
    rows = [{"source_id": "q", "reported_at": "2024-08-13 08:00", "verified_at": "2024-08-13 09:00",
             "dispatched_at": "2024-08-13 10:00", "status": "awaiting_response"}]
    con = make_warehouse(rows, as_of="2024-08-16")
    con.execute("UPDATE settings SET value = '1' WHERE key = 'due_soon_days'")
    out = compute(con, D(2024, 8, 1), D(2024, 8, 31))
    assert (out["due_soon"], out["settings"]["due_soon_days"]) == (0, 1)


# ------------------------------------------------------------------ end to end through the build

RINGKAS_ROWS = [
    RingkasRow("4100001", "5 Jan 2024", "08:15:00", "Dinas Perhubungan Kota Blitar", "Ditutup oleh Sistem"),
    RingkasRow("4100002", "20 Jan 2024", "14:00:05", "Dinas Perhubungan Kota Blitar", "Ditutup oleh Admin"),
    RingkasRow("4100003", "3 Feb 2024", "09:30:00", "Dinas Perhubungan Kota Blitar", "Ditutup oleh Pelapor"),
    RingkasRow("4100004", "14 Feb 2024", "10:00:00", "Dinas Perhubungan Kota Blitar", "Diarsipkan oleh Sistem"),
    RingkasRow("4100005", "1 Mar 2024", "11:11:11", "", "Konten Terblokir"),
    RingkasRow("4100007", "10 Apr 2024", "16:45:00", "", "Menunggu Kelengkapan Informasi"),
    RingkasRow("4100008", "15 May 2024", "04:05:34", "", "Belum Terverifikasi"),
    RingkasRow("4100009", "20 Jun 2024", "13:00:00", "Dinas Perhubungan Kota Blitar", "Ditutup oleh Sistem"),
    RingkasRow("4100010", "31 Dec 2024", "23:59:59", "Dinas Perhubungan Kota Blitar", "Ditutup oleh Admin"),
    RingkasRow("4100011", "30 Dec 2023", "12:00:00", "Dinas Perhubungan Kota Blitar", "Ditutup oleh Sistem"),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A Ringkas export (Tanggal Generate 2025-11-14), then a dated LAPOR! export of 2025-12-01 in which
    4100008 (unverified in the Ringkas export) has every date."""
    mp = pytest.MonkeyPatch()
    mp.setenv("MONEV_PII_SALT", "test-salt")
    p = Paths.from_args(tmp_path_factory.mktemp("ringkas-kpi") / "data", DEFAULT_CONFIG_DIR)
    write_ringkas(p.raw_dir / "laporan_ringkas.xlsx", RINGKAS_ROWS, nama_instansi="Pemerintah Kota Blitar",
                  provinsi="Jawa Timur", kota="Kota Blitar")
    (p.raw_dir / "lapor_2025-12-01.csv").write_text(
        "Tracking ID;Tanggal Laporan;Status;Isi Laporan;Tanggal Verifikasi;Tanggal Tindak Lanjut;Tanggal Selesai\n"
        "4100008;15/05/2024 04:05;Selesai;Lampu mati;16/05/2024 09:00;20/05/2024 10:00;22/05/2024 11:00\n",
        encoding="utf-8",
    )
    r = run_pipeline(p)
    mp.undo()
    assert r.published, r.message
    con = duckdb.connect(str(p.warehouse), read_only=True)
    yield con
    con.close()


def test_end_to_end_ringkas_then_dated_export(built):
    year = (D(2024, 1, 1), D(2024, 12, 31))
    out = compute(built, *year, as_of=D(2025, 12, 1))
    # in 2024: 9 received, 2 archived/blocked; in scope 01 02 03 07 08 09 10
    assert (out["received"], out["excluded"], out["in_scope"]) == (9, 2, 7)
    assert out["coverage"] == {
        # 08 dated; the five "Ditutup" imply verification; 07 (waiting for the reporter) is unknown
        "verification": {"dated": 1, "undated": 5, "not_done": 0, "unknown": 1},
        # 01 09 "Ditutup oleh Sistem" imply a response; 02 03 10 (Admin, Pelapor) unknown; 07 not done
        "response": {"dated": 1, "undated": 2, "not_done": 1, "unknown": 3},
        "resolution": {"dated": 1, "undated": 5, "not_done": 1, "unknown": 0},
    }
    assert (out["verified"], out["responded"], out["resolved"]) == (6, 3, 6)
    assert out["response_rate"] == 0.75 and out["resolution_rate"] == pytest.approx(6 / 7)
    # 08 alone is dated: verified 16 May (1 HK), answered 20 May (2 HK from verification), done 22 May (5 HK)
    assert (out["verification_days_median"], out["response_days_median"], out["resolution_days_median"]) == (
        1.0, 2.0, 5.0)
    # 07 is open since April, but the Ringkas export does not date responses or resolutions: never late
    assert (out["on_time_response_rate"], out["response_late"], out["on_time_resolution_rate"]) == (1.0, 0, 1.0)
    assert (out["backlog_open"], out["backlog_overdue"]) == (1, 1)
    assert coverage_sentences(out["coverage"], ("resolution",)) == [
        "Penyelesaian: lama tidak tercatat untuk 5 pengaduan yang sudah selesai menurut statusnya (ekspor tanpa "
        "tanggal); lama dan ketepatan waktu dihitung dari 1 pengaduan bertanggal."]


def test_end_to_end_before_the_exports(built):
    # A = Friday 17 May 2024: both exports are later; only 08's dates (<= A) and the statuses that say
    # "not done" are known; in scope by then: 01 02 03 07 08
    out = compute(built, D(2024, 1, 1), D(2024, 12, 31), as_of=D(2024, 5, 17))
    assert (out["received"], out["in_scope"]) == (7, 5)
    assert out["coverage"] == {
        "verification": {"dated": 1, "undated": 0, "not_done": 0, "unknown": 4},
        "response": {"dated": 0, "undated": 0, "not_done": 2, "unknown": 3},
        "resolution": {"dated": 0, "undated": 0, "not_done": 2, "unknown": 3},
    }
    assert (out["verified"], out["responded"], out["resolved"]) == (1, 0, 0)
    assert (out["response_rate"], out["resolution_rate"]) == (0.0, 0.0)  # 0 of the 2 that can be judged
    assert out["on_time_verification_rate"] == 1.0 and out["on_time_response_rate"] is None
    assert (out["backlog_open"], out["due_soon"]) == (2, 0)  # 07 and 08; 01-03 unknown are not counted open


def test_end_to_end_resolved_reopened_and_resolved_again(tmp_path, monkeypatch):
    """Three dated LAPOR! exports through the build: R is resolved (1 July), in progress again (15 July)
    and resolved again (31 July); S is resolved in all three."""
    monkeypatch.setenv("MONEV_PII_SALT", "test-salt")
    p = Paths.from_args(tmp_path / "data", DEFAULT_CONFIG_DIR)
    p.raw_dir.mkdir(parents=True, exist_ok=True)
    head = "Tracking ID;Tanggal Laporan;Status;Isi Laporan;Tanggal Verifikasi;Tanggal Tindak Lanjut;Tanggal Selesai\n"
    s_row = "5200002;24/06/2024 09:00;Selesai;Lampu mati;24/06/2024 10:00;25/06/2024 09:00;27/06/2024 09:00\n"
    exports = {
        "2024-07-01": "5200001;24/06/2024 09:00;Selesai;Jalan rusak;24/06/2024 10:00;25/06/2024 09:00;28/06/2024 09:00\n",
        "2024-07-15": "5200001;24/06/2024 09:00;Proses;Jalan rusak;24/06/2024 10:00;25/06/2024 09:00;\n",
        "2024-07-31": "5200001;24/06/2024 09:00;Selesai;Jalan rusak;24/06/2024 10:00;25/06/2024 09:00;26/07/2024 09:00\n",
    }
    for day, row in exports.items():
        (p.raw_dir / f"lapor_{day}.csv").write_text(head + row + s_row, encoding="utf-8")
    r = run_pipeline(p)
    assert r.published, r.message
    con = duckdb.connect(str(p.warehouse), read_only=True)
    june = (D(2024, 6, 1), D(2024, 6, 30))
    got = {a: compute(con, *june, as_of=a) for a in (D(2024, 7, 12), D(2024, 7, 20), D(2024, 7, 31))}
    assert [(o["reopened"], o["resolved"], o["reopen_rate"]) for o in got.values()] == [
        (0, 1, 0.0),  # R's resolution date is now 26 July: not resolved at 12 July, not yet reopened
        (1, 1, 1.0),  # reopened by the 15 July export, open again
        (1, 2, 0.5),
    ]
    lst = kpi.reopened_list(con, *june, as_of=D(2024, 7, 20))
    assert [(r["source_id"], r["reopened_on"], r["is_open"]) for r in lst.iter_rows(named=True)] == [
        ("5200001", D(2024, 7, 15), True)]
    con.close()
