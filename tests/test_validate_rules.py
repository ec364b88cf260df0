"""Validation: one row per blocking rule and per warning rule lands in
quarantine (or warnings) with the right rule and column; good rows load; a
corrected file releases quarantined rows; Great Expectations' results are kept."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from pipelines.build.core import run_pipeline
from pipelines.settings import DEFAULT_CONFIG_DIR, Paths
from pipelines.validate.rules import RULES

COLS = [
    "Tracking ID", "Tanggal Laporan", "Judul", "Isi Laporan", "Klasifikasi", "Kategori", "Kanal", "Disposisi",
    "Status", "Tanggal Verifikasi", "Tanggal Disposisi", "Tanggal Tindak Lanjut", "Tanggal Selesai", "Tanggal Arsip",
    "Kecamatan", "Kelurahan", "Anonim", "Rating",
]
GOOD = {
    "Tanggal Laporan": "05/01/2025 09:00", "Judul": "Lampu mati", "Isi Laporan": "Lampu jalan mati",
    "Klasifikasi": "Pengaduan", "Kategori": "Perhubungan", "Kanal": "Website", "Disposisi": "Dishub",
    "Status": "Selesai", "Tanggal Verifikasi": "05/01/2025 10:00", "Tanggal Disposisi": "06/01/2025 08:00",
    "Tanggal Tindak Lanjut": "07/01/2025 11:00", "Tanggal Selesai": "08/01/2025 12:00", "Tanggal Arsip": "",
    "Kecamatan": "Kepanjenkidul", "Kelurahan": "Sentul", "Anonim": "Tidak", "Rating": "4",
}
# (id, changes, expected findings as (rule, column)) -- rows start at spreadsheet row 2.
LAPOR_ROWS = [
    ("G1", {}, set()),
    ("G2", {}, set()),
    ("", {}, {("source_id_missing", "Tracking ID")}),
    ("D1", {}, {("duplicate_id", "Tracking ID")}),
    ("D1", {}, {("duplicate_id", "Tracking ID")}),
    ("B1", {"Tanggal Laporan": "kemarin sore"}, {("reported_at_invalid", "Tanggal Laporan")}),
    ("B2", {"Tanggal Verifikasi": "besok pagi"}, {("date_unparseable", "Tanggal Verifikasi")}),
    ("B3", {"Status": ""}, {("status_missing", "Status")}),
    ("B4", {"Status": "Dibaca"}, {("status_unknown", "Status")}),
    ("B5", {"Tanggal Selesai": "01/01/2025"}, {("date_order", "Tanggal Selesai")}),
    ("B6", {"Tanggal Tindak Lanjut": "05/03/2025 10:00", "Tanggal Selesai": "", "Status": "Proses"},
     {("future_date", "Tanggal Tindak Lanjut")}),
    ("B7", {"Tanggal Verifikasi": "01/01/1900"}, {("placeholder_date", "Tanggal Verifikasi"),
                                                  ("date_order", "Tanggal Verifikasi")}),
    ("W1", {"Tanggal Verifikasi": "05/01/2025 08:00"}, {("time_order", "Tanggal Verifikasi")}),
    ("W2", {"Disposisi": "PDAM Tirta"}, {("department_unknown", "Disposisi")}),
    ("W3", {"Kategori": "Kuliner"}, {("category_unknown", "Kategori")}),
    ("W4", {"Klasifikasi": "Gosip"}, {("classification_unknown", "Klasifikasi")}),
    ("W5", {"Kanal": "Merpati Pos"}, {("channel_value_unknown", "Kanal")}),
    ("W6", {"Kelurahan": "Garum"}, {("kelurahan_unknown", "Kelurahan")}),
    ("W7", {"Kecamatan": "Kanigoro", "Kelurahan": ""}, {("kecamatan_unknown", "Kecamatan")}),
    ("W8", {"Kecamatan": "Sukorejo", "Kelurahan": "Gedog"}, {("wilayah_mismatch", "Kecamatan")}),
    ("W9", {"Anonim": "mungkin"}, {("flag_invalid", "Anonim")}),
    ("W10", {"Rating": "7"}, {("satisfaction_invalid", "Rating")}),
    ("C1", {"Tanggal Selesai": ""}, {("resolved_without_date", "tanggal selesai")}),
    ("C2", {"Status": "Proses"}, {("resolved_date_open_status", "tanggal selesai")}),
    ("C3", {"Tanggal Arsip": "09/01/2025"}, {("archived_inconsistent", "tanggal arsip")}),
    # more fields than the header: quarantined, the surplus quoted (never dropped silently)
    ("S1", {"__extra": "nilai lebih;lagi"}, {("surplus_fields", "kolom lebih")}),
]
BLOCKING = {r for r in RULES if RULES[r].severity == "blocking" and RULES[r].layer == "staging"}


def _write(path: Path, cols: list[str], rows: list[dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [";".join([*(r.get(c, "") for c in cols), *([r["__extra"]] if "__extra" in r else [])]) for r in rows]
    path.write_text(";".join(cols) + "\n" + "\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("rules")
    cfg = tmp / "config"
    shutil.copytree(DEFAULT_CONFIG_DIR, cfg)
    y = cfg / "ingest.yaml"
    y.write_text(y.read_text().replace("max_blocking_share: 0.05", "max_blocking_share: 1.0"))
    p = Paths.from_args(tmp / "data", cfg)
    _write(p.raw_dir / "lapor_2025-03-01.csv", COLS, [{**GOOD, "Tracking ID": i, **ch} for i, ch, _ in LAPOR_ROWS])
    # A complaint whose merged dates contradict each other across two snapshots.
    _write(p.raw_dir / "lapor_2025-02-01.csv", COLS, [{**GOOD, "Tracking ID": "M1", "Status": "Proses",
                                                        "Tanggal Verifikasi": "10/01/2025", "Tanggal Disposisi": "",
                                                        "Tanggal Tindak Lanjut": "", "Tanggal Selesai": ""}])
    # A file whose dispatch dates never carry a time.
    _write(p.raw_dir / "lapor_2025-03-02.csv", COLS,
           [{**GOOD, "Tracking ID": f"T{i}", "Tanggal Disposisi": "06/01/2025"} for i in range(6)]
           + [{**GOOD, "Tracking ID": "M1", "Tanggal Laporan": "15/01/2025 09:00", "Status": "Proses",
               "Tanggal Verifikasi": "", "Tanggal Disposisi": "16/01/2025", "Tanggal Tindak Lanjut": "",
               "Tanggal Selesai": ""}])
    # Two exports of the same date that say different things about K1 (status and closing date).
    _write(p.raw_dir / "lapor_2025-03-03.csv", COLS, [{**GOOD, "Tracking ID": "K0"}, {**GOOD, "Tracking ID": "K1"}])
    _write(p.raw_dir / "lapor_2025-03-03_salinan.csv", COLS,
           [{**GOOD, "Tracking ID": "K1", "Status": "Proses", "Tanggal Selesai": ""}])
    _write(p.raw_dir / "rekap" / "rekap_2025-03.csv", ["No", "No. Register", "Tanggal", "Isi Pengaduan", "Kanal", "OPD"], [
        {"No": "1", "No. Register": "R1", "Tanggal": "05/01/2025", "Isi Pengaduan": "Jalan rusak", "Kanal": "WA", "OPD": "DPUPR"},
        {"No": "2", "No. Register": "R2", "Tanggal": "05/01/2025", "Isi Pengaduan": "", "Kanal": "WA", "OPD": "DPUPR"},
        {"No": "3", "No. Register": "R3", "Tanggal": "05/01/2025", "Isi Pengaduan": "Sampah", "Kanal": "Merpati", "OPD": "DLH"},
    ])
    r = run_pipeline(p)
    assert r.published, r.message
    con = duckdb.connect(str(p.warehouse), read_only=True)
    yield p, r, con
    con.close()


def _findings(con, table: str, file_name: str) -> dict[int, set[tuple[str, str]]]:
    out: dict[int, set[tuple[str, str]]] = {}
    for row, rule, col in con.execute(
        f"SELECT source_row, rule, column_name FROM {table} WHERE file_name = ?", [file_name]
    ).fetchall():
        out.setdefault(row, set()).add((rule, col))
    return out


def test_each_rule_lands_on_its_row_and_column(built):
    _, _, con = built
    q = _findings(con, "quarantine", "lapor_2025-03-01.csv")
    w = {}
    for row, rule, col in con.execute(
        "SELECT coalesce(w.source_row, c.source_row), w.rule, w.column_name FROM warnings w"
        " LEFT JOIN complaints c USING (complaint_key)"
        " WHERE w.file_name = 'lapor_2025-03-01.csv' AND w.layer <> 'file'"
    ).fetchall():
        w.setdefault(row, set()).add((rule, col))
    for n, (sid, _, expected) in enumerate(LAPOR_ROWS, start=2):
        blocking = {x for x in expected if x[0] in BLOCKING}
        assert q.get(n, set()) == blocking, (n, sid)
        if not blocking:
            assert w.get(n, set()) == expected, (n, sid)
    # every staging blocking rule is exercised by this test file
    exercised = {r for _, _, e in LAPOR_ROWS for r, _ in e} | {"required_missing", "channel_unknown"}
    assert exercised >= BLOCKING


def test_good_and_warned_rows_load_blocked_rows_do_not(built):
    _, r, con = built
    keys = {k for (k,) in con.execute("SELECT complaint_key FROM complaints").fetchall()}
    for sid, _, expected in LAPOR_ROWS:
        if not sid:
            continue
        blocked = any(rule in BLOCKING for rule, _ in expected)
        assert (f"lapor:{sid}" in keys) is (not blocked), sid
    f = [x for x in r.files if x.rel_path == "lapor_2025-03-01.csv"][0]
    assert (f.rows_read, f.rows_quarantined, f.rows_loaded) == (len(LAPOR_ROWS), 11, len(LAPOR_ROWS) - 11)
    assert f.rows_read == f.rows_loaded + f.rows_quarantined + f.rows_skipped


def test_rekap_rules_and_the_messages(built):
    _, _, con = built
    q = _findings(con, "quarantine", "rekap_2025-03.csv")
    assert q == {3: {("required_missing", "Isi Pengaduan")}, 4: {("channel_unknown", "Kanal")}}
    msg = con.execute("SELECT message FROM quarantine WHERE file_name = 'rekap_2025-03.csv' AND source_row = 4").fetchone()[0]
    assert msg.startswith('rekap_2025-03.csv, baris 4, kolom "Kanal": kanal laporan tidak dapat ditentukan (tertulis "Merpati")')
    msg = con.execute(
        "SELECT message FROM quarantine WHERE rule = 'status_unknown' AND file_name = 'lapor_2025-03-01.csv'"
    ).fetchone()[0]
    assert '"Dibaca"' in msg and "config/statuses.yaml" in msg
    dep = con.execute("SELECT message FROM warnings WHERE rule = 'department_unknown'").fetchone()[0]
    assert "PDAM Tirta" in dep and "saran:" in dep and "config/departments.yaml" in dep


def test_file_level_and_curated_warnings(built):
    _, _, con = built
    mid = con.execute("SELECT file_name, column_name, observed FROM warnings WHERE rule = 'midnight_times'").fetchall()
    assert mid == [("lapor_2025-03-02.csv", "Tanggal Disposisi", "7")]
    rules = {r for (r,) in con.execute("SELECT rule FROM quality_contradictions").fetchall()}
    assert rules == {"merged_date_conflict", "same_date_conflict", "resolved_without_date",
                     "resolved_date_open_status", "archived_inconsistent"}


def test_exports_that_contradict_each_other_are_held_not_merged(built):
    """kpi-spec.md: end before start, also across two exports, is quarantined and counted nowhere."""
    _, r, con = built
    keys = {k for (k,) in con.execute("SELECT complaint_key FROM complaints").fetchall()}
    assert "lapor:M1" not in keys and "lapor:K1" not in keys
    m1 = con.execute("SELECT file_name, source_row, rule, column_name, status, message FROM quarantine"
                     " WHERE complaint_key = 'lapor:M1' ORDER BY file_name").fetchall()
    assert [(f, n, rule, st) for f, n, rule, _c, st, _m in m1] == [
        ("lapor_2025-02-01.csv", 2, "merged_date_conflict", "held"),
        ("lapor_2025-03-02.csv", 8, "merged_date_conflict", "held")]
    msg = m1[0][5]
    assert ("tanggal verifikasi 10/01/2025 (lapor_2025-02-01.csv, baris 2, kolom Tanggal Verifikasi) lebih awal dari "
            "tanggal laporan 15/01/2025 (lapor_2025-03-02.csv, baris 8, kolom Tanggal Laporan)") in msg
    k1 = con.execute("SELECT file_name, source_row, rule, message FROM quarantine"
                     " WHERE complaint_key = 'lapor:K1' ORDER BY file_name").fetchall()
    assert [(f, n, rule) for f, n, rule, _ in k1] == [("lapor_2025-03-03.csv", 3, "same_date_conflict"),
                                                      ("lapor_2025-03-03_salinan.csv", 2, "same_date_conflict")]
    assert "lapor_2025-03-03.csv, baris 3" in k1[0][3] and "lapor_2025-03-03_salinan.csv, baris 2" in k1[0][3]
    assert "lapor:K0" in keys
    assert "bertanggal ekspor sama" in k1[0][3]
    # the reconciliation still adds up for every file
    for f in r.files:
        assert f.rows_read == f.rows_loaded + f.rows_quarantined + f.rows_skipped, f.rel_path


def test_quality_tables_and_ge_results(built):
    p, r, con = built
    qf = con.execute(
        "SELECT rows_read, rows_loaded, rows_quarantined, rows_released, rows_skipped, gate FROM quality_files"
        " WHERE file_name = 'lapor_2025-03-01.csv'"
    ).fetchone()
    assert qf == (len(LAPOR_ROWS), len(LAPOR_ROWS) - 11, 11, 0, 0, "ok")  # limit raised to 100% here
    by_rule = dict(con.execute(
        "SELECT rule, rows FROM quality_rules WHERE file_name = 'lapor_2025-03-01.csv' AND severity = 'blocking'"
    ).fetchall())
    assert by_rule["duplicate_id"] == 2 and by_rule["date_order"] == 2
    src = con.execute("SELECT source, files, latest_export FROM quality_sources ORDER BY source").fetchall()
    assert [s[0] for s in src] == ["lapor", "rekap:kolom kanal"] and src[0][1] == 5
    unmatched = {(k, v) for k, v in con.execute("SELECT kind, raw_value FROM unmatched_names").fetchall()}
    assert {("department", "PDAM Tirta"), ("category", "Kuliner"), ("kelurahan", "Garum"),
            ("kecamatan", "Kanigoro")} <= unmatched
    ge = json.loads((p.runs_dir / r.run_id / "great_expectations.json").read_text())
    names = [s["name"] for s in ge["suites"]]
    assert names == ["staging_lapor", "staging_rekap", "file_columns", "curated_complaints"]
    assert ge["great_expectations_version"] == "1.24.1"
    staging = ge["suites"][0]
    assert staging["failed"] > 0 and staging["expectations"] >= 10
    types = {res["expectation_config"]["type"] for run in staging["results"] for res in run["results"]}
    assert "expect_compound_columns_to_be_unique" in types and "expect_column_values_to_not_be_null" in types


def test_a_corrected_file_releases_quarantined_rows(tmp_path):
    p = Paths.from_args(tmp_path / "data", DEFAULT_CONFIG_DIR)
    rows = [{**GOOD, "Tracking ID": f"G{i}"} for i in range(30)]
    _write(p.raw_dir / "lapor_2025-02-01.csv", COLS, [*rows, {**GOOD, "Tracking ID": "X1", "Status": "Dibaca"}])
    r = run_pipeline(p)
    assert r.published
    first_run = r.run_id
    con = duckdb.connect(str(p.warehouse), read_only=True)
    assert con.execute("SELECT rule, status FROM quarantine").fetchall() == [("status_unknown", "held")]
    assert con.execute("SELECT count(*) FROM complaints WHERE complaint_key = 'lapor:X1'").fetchone()[0] == 0
    con.close()
    # The operator sends a corrected export (the old one stays in raw/).
    _write(p.raw_dir / "lapor_2025-02-01_perbaikan.csv", COLS, [{**GOOD, "Tracking ID": "X1", "Status": "Proses",
                                                                 "Tanggal Selesai": ""}])
    r = run_pipeline(p)
    assert r.published
    con = duckdb.connect(str(p.warehouse), read_only=True)
    assert con.execute("SELECT status, released_by FROM quarantine").fetchall() == [
        ("released", "lapor_2025-02-01_perbaikan.csv")
    ]
    assert con.execute("SELECT status FROM complaints WHERE complaint_key = 'lapor:X1'").fetchone() == ("in_progress",)
    f = [x for x in r.files if x.rel_path == "lapor_2025-02-01.csv"][0]
    assert (f.rows_quarantined, f.rows_released, f.blocking_share) == (1, 1, 0.0)
    # Great Expectations' results are kept per run: the first run's (one failure) beside the second's.
    ge = {rid: json.loads((p.runs_dir / rid / "great_expectations.json").read_text()) for rid in (first_run, r.run_id)}
    assert first_run != r.run_id
    assert [s["failed"] for s in ge[first_run]["suites"] if s["name"] == "staging_lapor"] == [1]
    assert [s["failed"] for s in ge[r.run_id]["suites"] if s["name"] == "staging_lapor"] == [1]  # the old file stays
    con.close()
    # Removing the broken file removes its quarantine entry altogether.
    (p.raw_dir / "lapor_2025-02-01.csv").unlink()
    assert run_pipeline(p).published
    con = duckdb.connect(str(p.warehouse), read_only=True)
    assert con.execute("SELECT count(*) FROM quarantine").fetchone()[0] == 0
    con.close()


def test_freshness_line_per_source(tmp_path):
    """A source with no export newer than 35 days is stale; 35 days is still fresh."""
    import datetime as dt

    from typer.testing import CliRunner

    from pipelines.cli import app
    from pipelines.validate.report import quality_report, render_table

    p = Paths.from_args(tmp_path / "data", DEFAULT_CONFIG_DIR)
    _write(p.raw_dir / "lapor_2025-01-20.csv", COLS, [{**GOOD, "Tracking ID": "A1"}])
    _write(p.raw_dir / "lapor_2025-02-03.csv", COLS, [{**GOOD, "Tracking ID": "A2"}])  # the newest LAPOR! export
    _write(p.raw_dir / "rekap_whatsapp_2025-02-02.csv", ["No", "No. Register", "Tanggal", "Isi Pengaduan"],
           [{"No": "1", "No. Register": "W1", "Tanggal": "05/01/2025", "Isi Pengaduan": "Jalan rusak"}])
    r = run_pipeline(p, now=dt.datetime(2025, 3, 10, 8, 0))
    assert r.published, r.message
    rep = quality_report(p)
    got = {s["source"]: (s["latest_export"], s["days_since"], s["is_stale"], s["files"]) for s in rep["sources"]}
    assert got == {
        "lapor": (dt.date(2025, 2, 3), 35, False, 2),
        "rekap:WhatsApp": (dt.date(2025, 2, 2), 36, True, 1),
    }
    text = render_table(rep)
    fresh = [line for line in text.splitlines() if "hari lalu" in line]
    assert len(fresh) == 2
    assert [("BASI" in line) for line in fresh] == [False, True]
    assert any("SP4N-LAPOR!" in line for line in fresh) and any("WhatsApp" in line for line in fresh)
    out = CliRunner().invoke(app, ["check", "--data-dir", str(p.data_dir), "--format", "json"])
    assert out.exit_code == 0 and json.loads(out.output)["totals"]["stale_sources"] == ["rekap:WhatsApp"]


def test_curated_blocking_rules_catch_what_staging_cannot(tmp_path):
    """The curated suite's blocking rules (a key twice, personal data left in text,
    a timestamp after the as-of) are safety nets: staging prevents them, so they are
    tested on a hand-made complaints frame; each lands on its row and column."""
    import datetime as dt

    import polars as pl

    from pipelines.masterdata import load_master_data
    from pipelines.validate.engine import Validator, issues_from
    from pipelines.validate.suites import curated_checks, curated_frames

    md = load_master_data()
    t = dt.datetime(2025, 1, 5, 9)
    base = {"source_id": "1", "file_hash": "h", "file_name": "lapor.csv", "sheet": None, "status": "in_progress",
            "title": "Lampu mati", "body": "Lampu jalan mati", "location": None, "department_raw": "Dishub",
            "reported_at": t, "verified_at": None, "dispatched_at": None, "first_response_at": None,
            "resolved_at": None, "archived_at": None}
    rows = [
        {**base, "complaint_key": "lapor:1", "source_row": 2},
        {**base, "complaint_key": "lapor:2", "source_row": 3},
        {**base, "complaint_key": "lapor:2", "source_row": 4},
        {**base, "complaint_key": "lapor:3", "source_row": 5, "body": "hubungi 081234567890"},
        {**base, "complaint_key": "lapor:4", "source_row": 6, "first_response_at": dt.datetime(2025, 2, 1)},
    ]
    ts = ("reported_at", "verified_at", "dispatched_at", "first_response_at", "resolved_at", "archived_at")
    schema = {k: (pl.Datetime("us") if k in ts else pl.Int64 if k == "source_row" else pl.String) for k in rows[0]}
    cur = pl.DataFrame(rows, schema=schema).with_row_index("__row").with_columns(pl.col("__row").cast(pl.Int64))
    as_of = dt.datetime(2025, 1, 31, 23, 59)
    v = Validator()
    issues = issues_from(cur, v.validate("curated_complaints", curated_frames(cur, md.status_display),
                                         curated_checks(as_of)))
    got = {(r["source_row"], r["rule"], r["field"], r["severity"]) for r in issues.iter_rows(named=True)}
    assert got == {
        (3, "key_not_unique", "complaint_key", "blocking"),
        (4, "key_not_unique", "complaint_key", "blocking"),
        (5, "pii_in_text", "body", "blocking"),
        (6, "after_as_of", "first_response_at", "blocking"),
    }
    msg = issues.filter(pl.col("rule") == "pii_in_text")["message"][0]
    assert "081234567890" not in msg  # the message never quotes the personal data


def test_personal_data_check_sees_only_candidate_texts_and_still_catches_first_and_last(tmp_path):
    """The curated personal-data check hands Great Expectations only the texts that pass PII_PREFILTER
    (the rest as "", not dropped): personal data planted in the first and the last of many clean rows is
    still caught on its row and column, and no clean text is carried into the check's frame."""
    import datetime as dt

    import polars as pl

    from pipelines.masterdata import load_master_data
    from pipelines.validate.engine import Validator, issues_from
    from pipelines.validate.suites import TEXT_COLUMNS, curated_checks, curated_frames

    md = load_master_data()
    t = dt.datetime(2025, 1, 5, 9)
    base = {"source_id": "1", "file_hash": "h", "file_name": "lapor.csv", "sheet": None, "status": "in_progress",
            "title": "Lampu mati", "body": "Lampu jalan mati di RT 03 nomor 12", "location": "Jl. Merdeka 45",
            "department_raw": "Dishub", "reported_at": t, "verified_at": None, "dispatched_at": None,
            "first_response_at": None, "resolved_at": None, "archived_at": None}
    n = 2_000
    rows = [{**base, "complaint_key": f"lapor:{i}", "source_row": i + 2} for i in range(n)]
    rows[0]["title"] = "tolong hubungi warga@contoh.id"
    rows[-1]["location"] = "rumah Pak RT, 0812 3456 7890"
    ts = ("reported_at", "verified_at", "dispatched_at", "first_response_at", "resolved_at", "archived_at")
    schema = {k: (pl.Datetime("us") if k in ts else pl.Int64 if k == "source_row" else pl.String) for k in rows[0]}
    cur = pl.DataFrame(rows, schema=schema).with_row_index("__row").with_columns(pl.col("__row").cast(pl.Int64))
    frames = curated_frames(cur, md.status_display)
    text = frames["text"]
    assert text.height == n * len(TEXT_COLUMNS)  # every non-null cell, none dropped
    kept = text.filter(pl.col("text") != "")
    assert sorted(kept["text"].to_list()) == sorted(["tolong hubungi warga@contoh.id", "rumah Pak RT, 0812 3456 7890"])
    issues = issues_from(cur, Validator().validate("curated_complaints", frames, curated_checks(dt.datetime(2025, 1, 31))))
    got = {(r["source_row"], r["rule"], r["field"]) for r in issues.iter_rows(named=True)}
    assert got == {(2, "pii_in_text", "title"), (n + 1, "pii_in_text", "location")}


def test_every_rule_is_exercised_by_these_tests():
    staging = {r for _, _, e in LAPOR_ROWS for r, _ in e} | {"required_missing", "channel_unknown"}
    elsewhere = {
        "midnight_times",  # test_file_level_and_curated_warnings
        "merged_date_order", "resolved_without_date", "resolved_date_open_status", "archived_inconsistent",
        "merged_date_conflict", "same_date_conflict",  # test_exports_that_contradict_each_other_are_held_not_merged
        "key_not_unique", "pii_in_text", "after_as_of",  # test_curated_blocking_rules_catch_what_staging_cannot
    }
    # status_missing applies to profiles that quarantine an empty status (LAPOR!): row B3 above
    assert set(RULES) == staging | elsewhere
