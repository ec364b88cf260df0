"""Province scorecard (issue 19): its numbers are ranking()'s, a pemda-scoped or opd actor is refused in the
function itself, `monev provinsi rapor` writes the file, and `monev scorecard --pemda` gives the pemda's own
city scorecard."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from conftest import monev_here
from pypdf import PdfReader

from pipelines import fmt
from pipelines.auth.scope import Scope, ScopeError
from pipelines.province import load_province
from pipelines.province.ranking import ranking
from pipelines.scorecard.province import LEAGUE_KEYS, province_scorecard
from pipelines.settings import Paths

GEN = dt.datetime(2026, 12, 3, 8, 0)
YEAR = ("2025-01-01", "2025-12-31")


def _monev(*args: str):
    return monev_here(*args)


@pytest.fixture(scope="module")
def province(province_data_dir):
    p = load_province(Paths(province_data_dir, province_data_dir))
    assert p is not None
    return p


@pytest.fixture(scope="module")
def result(province):
    return ranking(province, date_from=YEAR[0], date_to=YEAR[1])


def test_xlsx_numbers_equal_the_ranking_rows(province, result):
    blob = province_scorecard(province, date_from=YEAR[0], date_to=YEAR[1], fmt="xlsx", generated_at=GEN)
    wb = openpyxl.load_workbook(io.BytesIO(blob))
    assert {"Ringkasan", "Peringkat", "Tren", "Sumber data"} <= set(wb.sheetnames)
    ws = wb["Peringkat"]
    head = [c.value for c in ws[2]]
    rows = {r[head.index("Kode")]: r for r in ws.iter_rows(min_row=3, values_only=True) if r[1]}
    assert set(rows) == {r["kode"] for r in result["rows"]}
    from pipelines.kpi.glossary import label

    for r in result["rows"]:
        got = rows[r["kode"]]
        assert got[head.index("Peringkat")] == r["rank"]
        assert got[head.index("Pemda")] == r["name"]
        for key in LEAGUE_KEYS:
            assert got[head.index(label(key))] == pytest.approx(r[key]), key
        assert got[head.index("Predikat")] == r["rating"]["predikat"]
        score_col = next(i for i, h in enumerate(head) if str(h).startswith("Nilai estimasi"))
        assert got[score_col] == pytest.approx(r["rating"]["score"])
        assert got[head.index("Tahun penilaian")] == r["rating"]["year"] == 2025
        assert got[head.index("Data per")].date().isoformat() == r["as_of"]
        if r["insufficient_data"]:
            assert "data tidak cukup" in got[head.index("Catatan")]
    # no formulas anywhere
    for sheet in wb.worksheets:
        for line in sheet.iter_rows(values_only=True):
            assert not any(isinstance(v, str) and v.startswith("=") for v in line)


def test_pdf_text_carries_each_pemdas_rank_and_rates_and_the_rule(province, result):
    blob = province_scorecard(province, date_from=YEAR[0], date_to=YEAR[1], fmt="pdf", generated_at=GEN)
    pages = PdfReader(io.BytesIO(blob)).pages
    text = "\n".join(" ".join(x.split()) for p in pages for x in p.extract_text(extraction_mode="layout").splitlines())
    flat = " ".join(text.split())
    assert "Provinsi Jawa Timur" in text and "Tahun 2025" in text
    assert " ".join(result["rule"].split())[:60] in flat
    small = [r for r in result["rows"] if r["insufficient_data"]]
    assert small, "the fixture has a pemda with too little data"
    for r in result["rows"]:
        line = next(x for x in text.splitlines() if r["name"] in x and fmt.percent(r["response_rate"]) in x)
        assert line.startswith(f"{r['rank']} {r['name']} ") if r["rank"] is not None else line.startswith("– ")
        for key in ("on_time_response_rate", "on_time_resolution_rate", "resolution_rate"):
            assert fmt.percent(r[key]) in line, (r["name"], key)
    assert "Tanpa peringkat: data tidak cukup" in text


@pytest.mark.parametrize("actor", [Scope("pimpinan", pemda="35.72"), Scope("opd", department="Dinas Kesehatan")])
def test_a_pemda_or_opd_actor_is_refused(province, actor):
    with pytest.raises(ScopeError):
        province_scorecard(province, date_from=YEAR[0], date_to=YEAR[1], fmt="xlsx", actor=actor)


def test_a_province_actor_gets_it(province):
    blob = province_scorecard(province, date_from=YEAR[0], date_to=YEAR[1], fmt="xlsx", actor=Scope("provinsi"))
    assert blob[:2] == b"PK"


def test_cli_writes_the_province_scorecard(province_data_dir, tmp_path):
    out = tmp_path / "rapor.pdf"
    r = _monev("provinsi", "rapor", "--data-dir", str(province_data_dir), "--period", "2025", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert out.read_bytes()[:4] == b"%PDF" and "Kota Blitar" in PdfReader(out).pages[0].extract_text()
    r = _monev("provinsi", "rapor", "--data-dir", str(province_data_dir), "--period", "2025", "--format", "doc")
    assert r.returncode == 2 and "tidak dikenal" in r.stderr and "Traceback" not in r.stderr
    r = _monev("provinsi", "rapor", "--data-dir", str(tmp_path), "--period", "2025")
    assert r.returncode == 2 and "bukan instalasi provinsi" in r.stderr


def _cells(path) -> dict[str, list]:
    wb = openpyxl.load_workbook(path)
    return {ws.title: [[v for v in row if not isinstance(v, dt.datetime) or v.year < 2026]
                       for row in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


def test_scorecard_per_pemda_equals_the_pemdas_own_folder(province, province_data_dir, tmp_path):
    """`monev scorecard --pemda 35.72` on the province folder = `monev scorecard` on that pemda's folder."""
    p = province.get("35.72")
    a, b = tmp_path / "prov", tmp_path / "alone"
    r = _monev("scorecard", "--data-dir", str(province_data_dir), "--pemda", "3572", "--period", "2025", "--kota",
               "--format", "xlsx", "--out", str(a), "--jobs", "1")
    assert r.returncode == 0, r.stderr
    r = _monev("scorecard", "--data-dir", str(p.paths.data_dir), "--config-dir", str(p.paths.config_dir),
               "--period", "2025", "--kota", "--format", "xlsx", "--out", str(b), "--jobs", "1")
    assert r.returncode == 0, r.stderr
    fa, fb = sorted(a.glob("*.xlsx")), sorted(b.glob("*.xlsx"))
    assert [f.name for f in fa] == [f.name for f in fb] and len(fa) == 1
    ca, cb = _cells(fa[0]), _cells(fb[0])
    assert ca == cb
    assert any("Kota Blitar" in str(v) for v in ca["Ringkasan"][2])


def test_scorecard_refuses_without_pemda_on_a_province_and_with_it_on_a_city(province_data_dir, province):
    r = _monev("scorecard", "--data-dir", str(province_data_dir), "--period", "2025", "--kota", "--out", "/tmp/x")
    assert r.returncode == 2 and "--pemda" in r.stderr and "Traceback" not in r.stderr
    single = province.get("35.71").paths
    r = _monev("scorecard", "--data-dir", str(single.data_dir), "--pemda", "35.71", "--period", "2025", "--kota",
               "--out", "/tmp/x")
    assert r.returncode == 2 and "hanya berlaku untuk folder data instalasi provinsi" in r.stderr
