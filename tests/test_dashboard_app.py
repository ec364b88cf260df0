"""The dashboard pages (Streamlit AppTest) against the session's demo warehouse: every page renders, the
numbers equal the KPI and rating APIs for the same filters, filters and URL parameters work, roles see
what they may, and an empty data directory shows the first-run page."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dashboard.filters import Filters, windows
from dashboard.scope import SESSION_KEY, Scope
from pipelines import fmt
from pipelines.kpi import compute, early_warning, overdue_list
from pipelines.kpi.glossary import GLOSSARY

APP = str(Path(__file__).resolve().parents[1] / "dashboard" / "app.py")
PAGES = ("ringkasan", "kinerja_opd", "tren_kategori", "wilayah", "sla_tunggakan", "penilaian", "kualitas_data",
         "unggah_data", "bukti_dukung", "glosarium")
TITLES = {
    "ringkasan": "Ringkasan Eksekutif", "kinerja_opd": "Kinerja OPD", "tren_kategori": "Tren & Kategori",
    "wilayah": "Wilayah", "sla_tunggakan": "SLA & Tunggakan", "penilaian": "Penilaian Kemendagri",
    "kualitas_data": "Kualitas Data", "unggah_data": "Unggah Data", "bukti_dukung": "Bukti Dukung",
    "glosarium": "Glosarium",
}


@pytest.fixture()
def app_env(monkeypatch, demo_data_dir):
    monkeypatch.setenv("MONEV_DATA_DIR", str(demo_data_dir))
    monkeypatch.setenv("MONEV_DASHBOARD_DEMO", "1")
    return demo_data_dir


def run_app(page: str | None = None, *, query: dict | None = None, scope: Scope | None = None):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=90)
    if query:
        at.query_params.update(query)
    if scope is not None:
        at.session_state[SESSION_KEY] = scope
    at.run()
    if page and page != "ringkasan":
        at.switch_page(f"app_pages/{page}.py").run()
    return at


def assert_clean(at) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def metrics(at) -> dict[str, object]:
    return {m.label: m for m in at.metric}


def as_of(con) -> dt.date:
    return con.execute("SELECT as_of FROM snapshot").fetchone()[0]


def first_date(con) -> dt.date:
    return con.execute("SELECT CAST(min(reported_at) AS DATE) FROM complaints").fetchone()[0]


def expected(con, filters: Filters) -> tuple[dict, dict]:
    """compute() for the dashboard's current and comparison windows of ``filters``."""
    w = windows(filters, as_of(con))
    cur = compute(con, w.current.date_from, w.current.date_to, as_of=w.current.as_of,
                  filters=filters.dimension_filters())
    cmp = compute(con, w.comparison.date_from, w.comparison.date_to, as_of=w.comparison.as_of,
                  filters=filters.dimension_filters())
    return cur, cmp


# ---------------------------------------------------------------- every page


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders(app_env, page):
    at = run_app(page)
    assert_clean(at)
    assert [t.value for t in at.title][0] == TITLES[page]
    # the header: city, as-of date, snapshot id and the DEMO marker on every page
    md = " ".join(m.value for m in at.markdown)
    assert "Kota Blitar" in md
    assert "Data per 30 Oktober 2026" in md
    assert "DEMO" in md


def test_executive_cards_equal_compute(app_env, demo_con):
    at = run_app()
    assert_clean(at)
    f = Filters(period_key="2026")  # the default: the running year
    cur, cmp = expected(demo_con, f)
    m = metrics(at)
    assert m["Pengaduan masuk"].value == fmt.number(cur["received"])
    assert m["Tingkat tanggapan"].value == fmt.percent(cur["response_rate"])
    assert m["Tanggapan tepat waktu"].value == fmt.percent(cur["on_time_response_rate"])
    assert m["Tingkat penyelesaian"].value == fmt.percent(cur["resolution_rate"])
    assert m["Median lama penyelesaian"].value == fmt.days(cur["resolution_days_median"])
    assert m["Tunggakan lewat batas"].value == fmt.number(cur["backlog_overdue"])
    # the change is against the same months of last year, at the same maturity
    diff = (cur["response_rate"] - cmp["response_rate"]) * 100
    assert m["Tingkat tanggapan"].delta == fmt.signed(diff, 1, " poin persen")
    assert m["Pengaduan masuk"].delta.startswith(fmt.signed(cur["received"] - cmp["received"], 0))
    # the URL stays clean for the default view
    assert at.query_params == {} or not any(at.query_params.values())


def test_filter_change_follows_compute(app_env, demo_con):
    at = run_app()
    at.multiselect(key="flt.department").set_value(["Dinas Perhubungan"]).run()
    assert_clean(at)
    f = Filters(period_key="2026", department=("Dinas Perhubungan",))
    cur, _ = expected(demo_con, f)
    assert metrics(at)["Pengaduan masuk"].value == fmt.number(cur["received"])
    assert metrics(at)["Tanggapan tepat waktu"].value == fmt.percent(cur["on_time_response_rate"])
    # the URL reproduces the view
    assert at.query_params["opd"] in ("Dinas Perhubungan", ["Dinas Perhubungan"])

    # a month: the period kind, then the month
    at.selectbox(key="flt.kind").set_value("bulan").run()
    at.selectbox(key="flt.period").set_value("2026-07").run()
    assert_clean(at)
    f = Filters(period_key="2026-07", department=("Dinas Perhubungan",))
    cur, _ = expected(demo_con, f)
    assert metrics(at)["Pengaduan masuk"].value == fmt.number(cur["received"])
    assert at.query_params["periode"] in ("2026-07", ["2026-07"])
    # the filters persist on another page
    at.switch_page("app_pages/kinerja_opd.py").run()
    assert_clean(at)
    assert at.multiselect(key="flt.department").value == ["Dinas Perhubungan"]
    assert at.selectbox(key="flt.period").value == "2026-07"


def test_url_parameters_reproduce_a_view(app_env, demo_con):
    at = run_app(query={"periode": "2026-Q3", "opd": "Dishub", "banding": "sebelumnya"})
    assert_clean(at)
    f = Filters(period_key="2026-Q3", comparison="sebelumnya", department=("Dinas Perhubungan",))
    cur, cmp = expected(demo_con, f)
    m = metrics(at)
    assert m["Pengaduan masuk"].value == fmt.number(cur["received"])
    assert m["Tingkat penyelesaian"].delta == fmt.signed((cur["resolution_rate"] - cmp["resolution_rate"]) * 100, 1,
                                                         " poin persen")
    assert at.selectbox(key="flt.kind").value == "triwulan"
    assert at.multiselect(key="flt.department").value == ["Dinas Perhubungan"]


def test_invalid_url_parameters_are_explained_and_ignored(app_env, demo_con):
    at = run_app(query={"opd": "Dinas Tidak Ada", "periode": "2026-Q9", "banding": "kemarin"})
    assert_clean(at)
    notes = " ".join(w.value for w in at.warning)
    assert "Dinas Tidak Ada" in notes
    assert "2026-Q9" in notes
    assert "kemarin" in notes
    cur, _ = expected(demo_con, Filters(period_key="2026"))
    assert metrics(at)["Pengaduan masuk"].value == fmt.number(cur["received"])


def test_custom_range(app_env, demo_con):
    at = run_app()
    at.selectbox(key="flt.kind").set_value("kustom").run()
    at.date_input(key="flt.range").set_value((dt.date(2026, 3, 1), dt.date(2026, 4, 15))).run()
    assert_clean(at)
    cur, _ = expected(demo_con, Filters(period_key="2026-03-01..2026-04-15"))
    assert metrics(at)["Pengaduan masuk"].value == fmt.number(cur["received"])
    assert at.query_params["periode"] in ("2026-03-01..2026-04-15", ["2026-03-01..2026-04-15"])


NO_DATA = {"periode": "2026-10", "kelurahan": "Gedog", "kategori": "Pertanahan"}  # no complaint, no backlog


@pytest.mark.parametrize(("page", "message"), [
    ("ringkasan", "Tidak ada pengaduan untuk periode dan filter ini."),
    ("kinerja_opd", "Tidak ada OPD dengan pengaduan atau tunggakan pada periode dan filter ini."),
    ("tren_kategori", "Tidak ada pengaduan untuk periode dan filter ini."),
    ("wilayah", "Tidak ada pengaduan untuk periode dan filter ini."),
    ("sla_tunggakan", "Tidak ada tunggakan yang lewat batas."),
])
def test_filter_with_no_data_says_so(app_env, demo_con, page, message):
    f = Filters(period_key="2026-10", kelurahan=("Gedog",), category=("Pertanahan",))
    cur, _ = expected(demo_con, f)
    assert cur["received"] == 0 and cur["backlog_open"] == 0  # the premise
    at = run_app(page, query=NO_DATA)
    assert_clean(at)
    assert any(i.value.startswith(message) for i in at.info), [i.value for i in at.info]
    assert not at.dataframe
    if page == "sla_tunggakan":
        assert {m.value for m in at.metric} == {fmt.EMPTY}
    else:
        assert not at.metric


# ---------------------------------------------------------------- pages with lists


def test_opd_league_and_drill_down(app_env, demo_con):
    from pipelines.kpi import complaint_list
    from pipelines.rating import rate_departments

    at = run_app("kinerja_opd")
    assert_clean(at)
    ratings = rate_departments(demo_con, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    ranked = [r for r in ratings if r.score is not None]
    league = at.dataframe[0].value
    assert len(league) == len(ranked)
    assert list(league["OPD"]) == [r.department for r in ranked]
    assert list(league["Predikat"]) == [r.predikat for r in ranked]
    at.selectbox(key="opd.drill").set_value("Dinas Perhubungan").run()
    assert_clean(at)
    lst = complaint_list(demo_con, dt.date(2026, 1, 1), dt.date(2026, 12, 31), department="Dinas Perhubungan")
    total = int(lst["total_rows"][0])
    table = at.dataframe[-1].value
    assert len(table) == min(total, 500)
    assert set(table.columns) >= {"ID", "Tgl lapor", "Status", "HK selesai", "Lewat batas"}
    assert not {"body", "Isi", "Nama Pelapor"} & set(table.columns)
    assert any(f"{fmt.number(total)} pengaduan" in c.value for c in at.caption)


def test_sla_lists_equal_the_api(app_env, demo_con):
    at = run_app("sla_tunggakan")
    assert_clean(at)
    cur = compute(demo_con, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    m = metrics(at)
    assert m["Tanggapan pertama tepat waktu"].value == fmt.percent(cur["on_time_response_rate"])
    assert m["Verifikasi tepat waktu"].value == fmt.percent(cur["on_time_verification_rate"])
    over = overdue_list(demo_con, limit=1)
    assert int(over["total_rows"][0]) == cur["backlog_overdue"]
    assert any(c.value.startswith(f"{fmt.number(cur['backlog_overdue'])} pengaduan") for c in at.caption)
    ew = early_warning(demo_con)
    ew_tables = [d.value for d in at.dataframe if "Langkah" in d.value.columns]
    if ew.height:
        assert len(ew_tables[0]) == ew.height
    else:
        assert not ew_tables


def test_rating_page_equals_rate_city(app_env, demo_con):
    from pipelines.rating import rate_city

    at = run_app("penilaian")
    assert_clean(at)
    r = rate_city(demo_con, 2026)
    md = " ".join(m.value for m in at.markdown)
    assert r.predikat in md
    assert f"Nilai {fmt.number(r.total, 1)} dari 100" in md
    assert any("Estimasi model" in w.value for w in at.warning)
    table = next(d.value for d in at.dataframe if "Penjelasan" in d.value.columns)
    assert len(table) == len(r.indicators)
    assert list(table["Skor (0–100)"].round(6)) == [None if i.score is None else round(i.score, 6)
                                                   for i in r.indicators]


def test_quality_page_counts(app_env, demo_con):
    at = run_app("kualitas_data")
    assert_clean(at)
    files = demo_con.execute("SELECT count(*), sum(rows_loaded) FROM quality_files").fetchone()
    m = metrics(at)
    assert m["Berkas dimuat"].value == fmt.number(files[0])
    assert m["Baris dimuat"].value == fmt.number(files[1])
    names = demo_con.execute("SELECT count(*) FROM unmatched_names").fetchone()[0]
    assert m["Nama tak dikenal"].value == fmt.number(names)


def test_glossary_lists_every_kpi(app_env):
    at = run_app("glosarium")
    text = " ".join(m.value for m in at.markdown)
    for e in GLOSSARY.values():
        assert e.label in text
    at.text_input(key="glosarium.q").set_value("tunggakan").run()
    text = " ".join(m.value for m in at.markdown)
    assert GLOSSARY["backlog_overdue"].label in text
    assert GLOSSARY["response_rate"].label not in text


def test_meeting_mode_one_idea_per_screen(app_env, demo_con):
    at = run_app(query={"rapat": "1"})
    assert_clean(at)
    assert at.toggle(key="ringkasan.rapat").value is True
    assert [h.value for h in at.header] == ["Kinerja utama"]
    assert not at.sidebar.selectbox  # no sidebar filters in Mode Rapat
    at.button(key="ringkasan.next").click().run()
    assert [h.value for h in at.header] == ["Tren bulanan"]
    assert at.query_params.get("rapat") in ("1", ["1"])
    at.toggle(key="ringkasan.rapat").set_value(False).run()
    assert at.sidebar.selectbox  # back to normal


# ---------------------------------------------------------------- roles (the scope is applied in the data layer)


def test_opd_viewer_sees_only_its_department(app_env, demo_con):
    scope = Scope("opd", department="Dinas Perhubungan")
    at = run_app("kinerja_opd", scope=scope)
    assert_clean(at)
    assert list(at.dataframe[0].value["OPD"]) == ["Dinas Perhubungan"]
    assert at.selectbox(key="opd.drill").options == ["Dinas Perhubungan"]
    # city-level aggregates stay city-level
    at.switch_page("app_pages/ringkasan.py").run()
    cur, _ = expected(demo_con, Filters(period_key="2026"))
    assert metrics(at)["Pengaduan masuk"].value == fmt.number(cur["received"])


def test_opd_viewer_cannot_open_another_department_by_url(app_env, demo_con):
    scope = Scope("opd", department="Dinas Perhubungan")
    at = run_app("kinerja_opd", scope=scope, query={"opd": "Dinas Kesehatan"})
    assert_clean(at)
    assert at.multiselect(key="flt.department").value == []
    assert list(at.dataframe[0].value["OPD"]) == ["Dinas Perhubungan"]


def test_evaluator_sees_no_complaint_rows(app_env):
    at = run_app("sla_tunggakan", scope=Scope("evaluator"))
    assert_clean(at)
    assert any("tidak mencakup daftar pengaduan" in i.value for i in at.info)
    assert not [d for d in at.dataframe if "ID" in d.value.columns]


@pytest.mark.parametrize(("role", "hidden"), [
    ("pimpinan", ["unggah_data"]),
    ("evaluator", ["unggah_data", "kualitas_data"]),
    ("opd", ["unggah_data", "kualitas_data", "bukti_dukung"]),
])
def test_pages_follow_the_role(app_env, role, hidden):
    scope = Scope(role, department="Dinas Perhubungan" if role == "opd" else None)
    at = run_app(scope=scope)
    assert_clean(at)
    for page in hidden:
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(f"app_pages/{page}.py")


# ---------------------------------------------------------------- first run


def test_first_run_page_without_warehouse(monkeypatch, tmp_path):
    monkeypatch.setenv("MONEV_DATA_DIR", str(tmp_path / "kosong"))
    monkeypatch.setenv("MONEV_DASHBOARD_DEMO", "1")
    at = run_app()
    assert_clean(at)
    assert at.title[0].value == "Selamat datang di Monev Pengaduan"
    assert at.button(key="mulai.demo").disabled is False
    md = " ".join(m.value for m in at.markdown)
    assert "Belum ada data" in md and "DEMO" in md
