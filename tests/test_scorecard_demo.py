"""Scorecards on the seeded demo warehouse: the PDF text and the XLSX values equal the KPI engine and the
rating for the same period and OPD, no personal data, footer, reproducibility, the batch, the CLI."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import sys
import zipfile

import duckdb
import openpyxl
import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from dashboard.filters import comparison_window
from pipelines import fmt
from pipelines.cli import app
from pipelines.ingest.pii import ANY_PII_PATTERN
from pipelines.kpi import compute, overdue_list, snapshot_info
from pipelines.kpi.glossary import label
from pipelines.periods import parse_period
from pipelines.rating import rate_city, rate_departments
from pipelines.scorecard import (
    INDEX_NAME,
    city_context,
    gather,
    generate,
    read_index,
    render_pdf,
    render_xlsx,
    zip_batch,
)
from pipelines.scorecard.model import generated_text
from pipelines.scorecard.pdf import build_pdf
from pipelines.scorecard.xlsx import build_xlsx

PERIOD = "2025-Q3"
P = parse_period(PERIOD)
GEN = dt.datetime(2026, 11, 22, 9, 15)
PII = re.compile(ANY_PII_PATTERN)


def pdf_pages(blob: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(blob)).pages]


def flat(text: str) -> str:
    return " ".join(text.split())


def xlsx_strings(blob: bytes) -> list[str]:
    wb = openpyxl.load_workbook(io.BytesIO(blob))
    return [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]


def summary_rows(blob: bytes) -> dict[str, tuple]:
    """Kinerja utama rows of the summary sheet by KPI key: (label, key, value, text, previous, ...)."""
    ws = openpyxl.load_workbook(io.BytesIO(blob))["Ringkasan"]
    out = {}
    for row in ws.iter_rows(values_only=True):
        if row[1] and isinstance(row[1], str) and re.fullmatch(r"[a-z_0-9]+", row[1]):
            out[row[1]] = row
    return out


# ----------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def con(demo_data_dir):
    c = duckdb.connect(str(demo_data_dir / "curated" / "monev.duckdb"), read_only=True)
    yield c
    c.close()


@pytest.fixture(scope="module")
def ctx(con):
    return city_context(con, PERIOD)


@pytest.fixture(scope="module")
def busiest(con):
    """The ranked OPD with the most complaints in the period."""
    rows = [r for r in compute(con, P.start, P.end)["by_department"] if not r["insufficient_data"]]
    return max(rows, key=lambda r: (r["in_scope"], r["department"]))["department"]


@pytest.fixture(scope="module")
def silent(con):
    """An OPD of the master data with no complaint in the period."""
    busy = {r["department"] for r in compute(con, P.start, P.end)["by_department"] if r["received"] > 0}
    names = [r[0] for r in con.execute("SELECT department FROM departments ORDER BY department").fetchall()]
    return next(n for n in names if n not in busy)


@pytest.fixture(scope="module")
def city(con, ctx):
    data = gather(con, PERIOD, context=ctx, generated_at=GEN)
    return data, build_pdf(data), build_xlsx(data)


@pytest.fixture(scope="module")
def opd(con, ctx, busiest):
    data = gather(con, PERIOD, busiest, context=ctx, generated_at=GEN)
    return data, build_pdf(data), build_xlsx(data)


def previous(con, filters=None, mode="tahun_lalu") -> dict:
    """compute() for the dashboard's comparison window (same maturity as the period)."""
    w = comparison_window(P, snapshot_as_of(con), mode)
    return compute(con, w.date_from, w.date_to, as_of=w.as_of, filters=filters)


def snapshot_as_of(con) -> dt.date:
    return dt.date.fromisoformat(snapshot_info(con)["as_of"])


def expected_lines(k: dict, prev: dict) -> list[str]:
    """The headline KPI rows as the PDF prints them: label, value, previous period."""
    return [
        f"{label('received')} {fmt.number(k['received'])} {fmt.number(prev['received'])}",
        f"{label('response_rate')} {fmt.percent(k['response_rate'])} {fmt.percent(prev['response_rate'])}",
        f"{label('on_time_response_rate')} {fmt.percent(k['on_time_response_rate'])} "
        f"{fmt.percent(prev['on_time_response_rate'])}",
        f"{label('response_days_median')} {fmt.days(k['response_days_median'])} "
        f"{fmt.days(prev['response_days_median'])}",
        f"{label('on_time_verification_rate')} {fmt.percent(k['on_time_verification_rate'])}",
        f"{label('resolution_rate')} {fmt.percent(k['resolution_rate'])} {fmt.percent(prev['resolution_rate'])}",
        f"{label('on_time_resolution_rate')} {fmt.percent(k['on_time_resolution_rate'])}",
        f"{label('resolution_days_median')} {fmt.days(k['resolution_days_median'])}",
        f"{label('backlog_open')} {fmt.number(k['backlog_open'])}",
        f"{label('satisfaction_mean')} {fmt.number(k['satisfaction_mean'], 2)}",
        f"{fmt.number(k['responded'])} dari {fmt.number(k['in_scope'])} ditanggapi",
        f"{fmt.number(k['response_on_time'])} tepat, {fmt.number(k['response_late'])} terlambat",
        f"{fmt.number(k['backlog_overdue'])} lewat batas",
    ]


# ----------------------------------------------------------------- PDF


def test_city_pdf_kpis_equal_compute(con, city):
    _, pdf, _ = city
    text = flat("\n".join(pdf_pages(pdf)))
    k = compute(con, P.start, P.end)
    prev = previous(con)
    assert k["received"] > 50  # the demo has a real quarter here
    for line in expected_lines(k, prev):
        assert line in text, line
    assert f"Pada {P.label} masuk {fmt.number(k['received'])} pengaduan" in text


def test_opd_pdf_kpis_equal_compute(con, opd, busiest):
    data, pdf, _ = opd
    text = flat("\n".join(pdf_pages(pdf)))
    k = compute(con, P.start, P.end, filters={"department": busiest})
    prev = previous(con, {"department": busiest})
    assert data.unit == busiest and k["received"] > 0
    for line in expected_lines(k, prev):
        assert line in text, line
    # the OPD's overdue list: every overdue complaint of the OPD, oldest first, by id
    od = overdue_list(con, filters={"department": busiest}, limit=1000)
    assert data.overdue_total == od.height == k["backlog_overdue"]
    ids = od["source_id"].to_list()[:200]
    pos = [text.find(f" {i} ") for i in ids]
    assert all(p >= 0 for p in pos) and pos == sorted(pos)


def test_predikat_and_rank_equal_rating(con, city, opd, busiest):
    _, city_pdf, city_xlsx = city
    _, opd_pdf, _ = opd
    r = rate_city(con, P.end.year, period=PERIOD)
    city_text = flat("\n".join(pdf_pages(city_pdf)))
    assert f"Predikat (estimasi model) {r.predikat}" in city_text
    assert f"Total {fmt.number(r.total, 1)} · predikat {r.predikat}" in city_text
    for d in r.dimensions:
        assert f"{d.label} {fmt.number(d.weight, 1)} {fmt.number(d.score, 1)}" in city_text

    depts = rate_departments(con, P.start, P.end)
    mine = next(d for d in depts if d.department == busiest)
    ranked = sum(1 for d in depts if d.rank is not None)
    opd_text = flat("\n".join(pdf_pages(opd_pdf)))
    assert f"Predikat (estimasi model) {mine.predikat}" in opd_text
    assert f"Nilai {fmt.number(mine.score, 1)} · peringkat {mine.rank} dari {ranked} OPD" in opd_text

    # the league table of the city workbook carries every OPD's rank and predikat
    ws = openpyxl.load_workbook(io.BytesIO(city_xlsx))["OPD"]
    rows = {r[1]: r for r in ws.iter_rows(min_row=3, values_only=True) if r[1] and r[8]}
    for d in depts:
        assert rows[d.department][0] == d.rank
        assert rows[d.department][8] == d.predikat
        assert rows[d.department][7] == (pytest.approx(d.score, rel=1e-12) if d.score is not None else None)


def test_footer_on_every_page(con, city):
    data, pdf, _ = city
    pages = pdf_pages(pdf)
    snap = snapshot_info(con)
    assert len(pages) >= 4
    for i, page in enumerate(pages, start=1):
        t = flat(page)
        assert f"Halaman {i} dari {len(pages)}" in t
        assert f"Snapshot {snap['snapshot_id']}" in t
        assert f"hash data {snap['input_hash']}" in t
        assert f"data per {fmt.date_long(snap['as_of'])}" in t
        assert f"dibuat {generated_text(GEN)}" in t
        assert "estimasi model, bukan nilai resmi Kemendagri" in t


def test_no_personal_data(city, opd):
    for _data, pdf, xlsx in (city, opd):
        text = "\n".join(pdf_pages(pdf))
        assert PII.search(text) is None, PII.search(text)
        for s in xlsx_strings(xlsx):
            assert PII.search(s) is None, s
    # no reporter column anywhere in the workbook
    cells = {s.strip().lower() for s in xlsx_strings(city[2])}
    assert not cells & {"nama", "nama pelapor", "pelapor", "no hp", "telepon", "email", "e-mail", "nik"}


def test_signoff_from_city_config(city):
    data, pdf, _ = city
    text = flat("\n".join(pdf_pages(pdf)))
    assert "Blitar, 22 November 2026 Sekretaris Daerah Kota Blitar" in text
    assert "NIP ...." in text


# ----------------------------------------------------------------- XLSX


def test_xlsx_values_equal_compute(con, city, opd, busiest):
    for (_data, _pdf, xlsx), filters in ((city, None), (opd, {"department": busiest})):
        k = compute(con, P.start, P.end, filters=filters)
        prev = previous(con, filters)
        rows = summary_rows(xlsx)
        for key in ("received", "response_rate", "on_time_response_rate", "response_days_median",
                    "on_time_verification_rate", "resolution_rate", "on_time_resolution_rate",
                    "resolution_days_median", "backlog_open", "satisfaction_mean"):
            assert rows[key][2] == pytest.approx(k[key], rel=1e-12), key
            if key != "backlog_open":
                assert rows[key][4] == pytest.approx(prev[key], rel=1e-12), key
        assert rows["response_rate"][3] == fmt.percent(k["response_rate"])

        wb = openpyxl.load_workbook(io.BytesIO(xlsx))
        # aging buckets on the summary
        ws = wb["Ringkasan"]
        aging = {r[0]: r[1] for r in ws.iter_rows(values_only=True) if r[0] in k["backlog_aging"]}
        assert aging == k["backlog_aging"]
        # the overdue sheet holds the whole list (the PDF prints at most 200)
        od = wb["Lewat Batas"]
        n = sum(1 for r in od.iter_rows(min_row=3, values_only=True) if isinstance(r[0], int))
        assert n == k["backlog_overdue"]
        assert od.freeze_panes == "A3"
        # monthly trend: the months of the period equal compute's by_month
        tr = {r[1]: r for r in wb["Tren Bulanan"].iter_rows(min_row=3, values_only=True) if r[1]}
        for m in k["by_month"]:
            assert tr[m["month"]][2:6] == (m["received"], m["in_scope"], m["responded"], m["resolved"])
            assert tr[m["month"]][6] == "ya"


def test_city_trend_and_categories(con, city):
    data, _, xlsx = city
    k = compute(con, P.start, P.end)
    by_cat = {r["category"] or "(tanpa kategori)": r["received"] for r in k["by_category"] if r["received"]}
    ws = openpyxl.load_workbook(io.BytesIO(xlsx))["Kategori"]
    got = {r[0]: r[1] for r in ws.iter_rows(min_row=3, values_only=True) if r[0] and isinstance(r[1], int) and r[1]}
    assert got == by_cat
    assert data.trend[-1]["month"] == "2025-09" and len(data.trend) == 12


def test_same_period_last_year_comparison(con, busiest):
    data = gather(con, PERIOD, busiest, generated_at=GEN, comparison="tahun_lalu")
    assert data.comparison_label == "Triwulan III 2024"
    prev = previous(con, {"department": busiest}, mode="tahun_lalu")
    got = {m.key: m.previous for m in data.metrics}
    for key in ("received", "response_rate", "on_time_response_rate", "resolution_days_median"):
        assert got[key] == prev[key], key
    # the category trend compares with the same window
    k = compute(con, P.start, P.end, filters={"department": busiest},
                previous=(dt.date(2024, 7, 1), dt.date(2024, 9, 30)))
    assert data.kpi["category_trend"] == k["category_trend"]


# ----------------------------------------------------------------- no complaints, reproducibility


def test_opd_without_complaints_says_so(con, ctx, silent):
    data = gather(con, PERIOD, silent, context=ctx, generated_at=GEN)
    assert not data.has_complaints and data.rating.predikat == "data tidak cukup"
    text = flat("\n".join(pdf_pages(build_pdf(data))))
    assert f"Tidak ada pengaduan untuk OPD ini pada {P.label}." in text
    assert silent in text
    rows = summary_rows(build_xlsx(data))
    assert rows["received"][2] == 0 and rows["response_rate"][2] is None


def test_same_snapshot_same_text(con, opd, busiest):
    """Every run on the same snapshot and period says the same thing; only the generation time differs."""
    _, pdf, xlsx = opd
    other = dt.datetime(2027, 1, 5, 14, 2)

    def text(blob: bytes, t: dt.datetime) -> str:
        return flat("\n".join(pdf_pages(blob))).replace(generated_text(t), "<dibuat>").replace(
            fmt.date_long(t), "<tanggal>")

    later = render_pdf(con, PERIOD, busiest, generated_at=other)  # a fresh run, its own city context
    assert later != pdf and text(later, other) == text(pdf, GEN)
    # a fresh run at the same generation time gives the very same bytes
    fresh = gather(con, PERIOD, busiest, generated_at=GEN)
    assert build_pdf(fresh) == pdf and build_xlsx(fresh) == xlsx
    assert render_xlsx(con, "2025-09", busiest, generated_at=GEN)[:2] == b"PK"


# ----------------------------------------------------------------- batch and CLI


def test_batch_zip_has_index(con, busiest):
    produced = list(generate(con, PERIOD, departments=[busiest], formats=("xlsx",), generated_at=GEN))
    blob = zip_batch(produced, generated_at=GEN)
    z = zipfile.ZipFile(io.BytesIO(blob))
    names = sorted(z.namelist())
    assert names == sorted([INDEX_NAME, "rapor_2025-Q3_kota-blitar.xlsx", produced[1][0].name])
    index = read_index(z.read(INDEX_NAME))
    for row in index:
        assert row["sha256"] == hashlib.sha256(z.read(row["berkas"])).hexdigest()
    assert [r["cakupan"] for r in index] == ["kota", "opd"] and index[1]["opd"] == busiest


def test_parallel_batch_equals_serial(demo_data_dir, con, silent, busiest):
    units = [busiest, silent]
    kw = dict(departments=units, formats=("pdf", "xlsx"), generated_at=GEN)
    serial = list(generate(con, PERIOD, **kw))
    parallel = list(generate(con, PERIOD, **kw, jobs=2, warehouse=demo_data_dir / "curated" / "monev.duckdb"))
    assert [r.name for r, _ in serial] == [r.name for r, _ in parallel]
    assert len(serial) == 6
    for (a, blob_a), (b, blob_b) in zip(serial, parallel, strict=True):
        assert a == b and blob_a == blob_b, a.name


def test_parallel_batch_under_a_script_main(demo_data_dir, con, silent, busiest, monkeypatch, tmp_path):
    """Inside Streamlit (or AppTest) ``__main__`` is the dashboard script; workers must not re-run it."""
    import types

    script = tmp_path / "app.py"
    script.write_text("raise SystemExit('the dashboard script ran in a worker')\n")
    fake = types.ModuleType("__main__")
    fake.__file__ = str(script)
    monkeypatch.setitem(sys.modules, "__main__", fake)
    kw = dict(departments=[busiest, silent], formats=("xlsx",), generated_at=GEN)
    parallel = list(generate(con, PERIOD, **kw, jobs=2, warehouse=demo_data_dir / "curated" / "monev.duckdb"))
    assert sys.modules["__main__"] is fake
    assert [r.name for r, _ in parallel] == [r.name for r, _ in generate(con, PERIOD, **kw)]


def test_parallel_batch_fails_fast_when_a_worker_cannot_start(con, busiest, silent, tmp_path):
    """A worker whose start fails (here: no warehouse at that path) ends the batch with an error, not a hang."""
    from concurrent.futures.process import BrokenProcessPool

    missing = tmp_path / "tidak-ada.duckdb"
    with pytest.raises(BrokenProcessPool):
        list(generate(con, PERIOD, departments=[busiest, silent], formats=("xlsx",), generated_at=GEN,
                      jobs=2, warehouse=missing))


runner = CliRunner()


def test_cli_department_and_city(demo_data_dir, con, tmp_path, busiest):
    out = tmp_path / "rapor"
    short = con.execute("SELECT short_name FROM departments WHERE department = ?", [busiest]).fetchone()[0]
    r = runner.invoke(app, ["scorecard", "--period", PERIOD, "--department", short, "--kota",
                            "--format", "pdf,xlsx", "--out", str(out), "--data-dir", str(demo_data_dir)])
    assert r.exit_code == 0, r.output
    assert "4 berkas rapor Triwulan III 2025" in r.output
    index = read_index((out / INDEX_NAME).read_bytes())
    assert len(index) == 4
    snap = snapshot_info(con)
    for row in index:
        f = out / row["berkas"]
        assert hashlib.sha256(f.read_bytes()).hexdigest() == row["sha256"]
        assert row["snapshot_id"] == snap["snapshot_id"] and row["periode"] == PERIOD
    assert {row["opd"] for row in index} == {"", busiest}
    assert (out / "rapor_2025-Q3_kota-blitar.pdf").read_bytes()[:5] == b"%PDF-"


def test_cli_all_units(demo_data_dir, con, tmp_path):
    out = tmp_path / "semua"
    r = runner.invoke(app, ["scorecard", "--period", "2025-09", "--all", "--format", "xlsx", "--out", str(out),
                            "--data-dir", str(demo_data_dir)])
    assert r.exit_code == 0, r.output
    n = con.execute("SELECT count(*) FROM departments").fetchone()[0]
    index = read_index((out / INDEX_NAME).read_bytes())
    assert len(index) == n + 1 == len(list(out.glob("*.xlsx")))
    assert index[0]["cakupan"] == "kota" and len({row["opd"] for row in index[1:]}) == n


def test_cli_errors(demo_data_dir, tmp_path):
    base = ["scorecard", "--period", PERIOD, "--out", str(tmp_path / "x"), "--data-dir", str(demo_data_dir)]
    r = runner.invoke(app, [*base, "--department", "Dinas Perhubngan"])
    assert r.exit_code != 0 and "Dinas Perhubungan" in r.output and "tidak dikenal" in r.output
    r = runner.invoke(app, base)
    assert r.exit_code != 0 and "--all" in r.output
    r = runner.invoke(app, [*base, "--kota", "--format", "docx"])
    assert r.exit_code != 0 and "docx" in r.output
    r = runner.invoke(app, ["scorecard", "--period", "2025-Q5", "--kota", "--out", str(tmp_path / "y"),
                            "--data-dir", str(demo_data_dir)])
    assert r.exit_code != 0 and "2025-Q5" in r.output and "tidak dikenali" in r.output
    assert not (tmp_path / "x").exists()
    r = runner.invoke(app, ["scorecard", "--period", PERIOD, "--kota", "--out", str(tmp_path / "z"),
                            "--data-dir", str(tmp_path / "kosong")])
    assert r.exit_code != 0 and "monev demo" in r.output
