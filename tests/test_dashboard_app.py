"""The dashboard pages (Streamlit AppTest) against the session's demo warehouse: every page renders, the
numbers equal the KPI and rating APIs for the same filters, filters and URL parameters work, roles see
what they may, and an empty data directory shows the first-run page."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from dashboard.filters import Filters, windows
from dashboard.pages import DATA_PAGES, TITLES
from pipelines import fmt
from pipelines.auth.scope import SESSION_KEY, Scope
from pipelines.kpi import compute, early_warning, overdue_list
from pipelines.kpi.glossary import GLOSSARY

APP = str(Path(__file__).resolve().parents[1] / "dashboard" / "app.py")
# from the one page registry; pages that need a role beyond the demo viewer's are tested in their own files
PAGES = tuple(p for p in DATA_PAGES if p not in ("daftar_kerja", "pejabat_penghubung", "log_audit"))


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


def test_the_url_written_by_the_filters_reproduces_the_view(app_env, demo_con):
    at = run_app()
    at.selectbox(key="flt.kind").set_value("triwulan").run()
    at.selectbox(key="flt.period").set_value("2026-Q2").run()
    at.radio(key="flt.cmp").set_value("sebelumnya").run()
    at.multiselect(key="flt.department").set_value(["Dinas Perhubungan", "Dinas Kesehatan"]).run()
    at.multiselect(key="flt.channel").set_value(["WhatsApp"]).run()
    assert_clean(at)
    url = {k: at.query_params[k] for k in at.query_params}
    assert {k: v if isinstance(v, list) else [v] for k, v in url.items()} == {
                   "periode": ["2026-Q2"], "banding": ["sebelumnya"],
                   "opd": ["Dinas Perhubungan", "Dinas Kesehatan"], "kanal": ["WhatsApp"]}
    f = Filters(period_key="2026-Q2", comparison="sebelumnya", department=("Dinas Perhubungan", "Dinas Kesehatan"),
                channel=("WhatsApp",))
    cur, cmp = expected(demo_con, f)
    first = {m.label: (m.value, m.delta) for m in at.metric}
    assert first["Pengaduan masuk"][0] == fmt.number(cur["received"])
    assert first["Tingkat penyelesaian"][1] == fmt.signed((cur["resolution_rate"] - cmp["resolution_rate"]) * 100,
                                                          1, " poin persen")
    # a new session opened on that link shows the same numbers and filters
    again = run_app(query=url)
    assert_clean(again)
    assert {m.label: (m.value, m.delta) for m in again.metric} == first
    assert again.multiselect(key="flt.department").value == ["Dinas Perhubungan", "Dinas Kesehatan"]
    assert again.multiselect(key="flt.channel").value == ["WhatsApp"]
    assert again.radio(key="flt.cmp").value == "sebelumnya"
    # and on another page
    from pipelines.rating import load_model, score_departments

    opd = run_app("kinerja_opd", query=url)
    assert_clean(opd)
    rated = score_departments(load_model(config_dir=None), cur)
    ranked = [d.department for d in rated if d.score is not None]
    insufficient = [d.department for d in rated if d.score is None]
    assert sorted(ranked + insufficient) == ["Dinas Kesehatan", "Dinas Perhubungan"]
    league = [d.value for d in opd.dataframe if "Peringkat" in d.value.columns]
    assert (list(league[0]["OPD"]) if league else []) == ranked


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


def test_link_with_a_range_beyond_the_data_opens(app_env, demo_con):
    """A shared link whose custom range starts before the first report (and ends after the data date)."""
    first = demo_con.execute("SELECT min(reported_at)::DATE FROM complaints").fetchone()[0]
    start = first - dt.timedelta(days=10)
    end = as_of(demo_con) + dt.timedelta(days=5)
    key = f"{start.isoformat()}..{end.isoformat()}"
    at = run_app(query={"periode": key})
    assert_clean(at)
    assert at.date_input(key="flt.range").value == (start, end)
    cur, _ = expected(demo_con, Filters(period_key=key))
    assert metrics(at)["Pengaduan masuk"].value == fmt.number(cur["received"])


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


def test_wilayah_without_new_complaints_says_so(app_env, demo_con):
    # 2023: no complaint reported in the period, but the backlog (a stock at the as-of date) exists
    cur, _ = expected(demo_con, Filters(period_key="2023"))
    assert cur["received"] == 0 and cur["backlog_open"] > 0
    at = run_app("wilayah", query={"periode": "2023"})
    assert_clean(at)
    assert any(i.value.startswith("Tidak ada pengaduan yang masuk pada periode dan filter ini") for i in at.info)
    assert not at.get("plotly_chart")
    at.segmented_control(key="wilayah.metric").set_value("backlog_overdue").run()
    assert_clean(at)
    kec = bar_specs(at)[0]["data"][0]
    assert sum(kec["x"]) == cur["backlog_overdue"]


def test_an_unexpected_error_is_a_message_not_a_stack_trace(app_env, monkeypatch):
    from dashboard import data

    def broken(*_a, **_k):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(data, "kpi", broken)
    for page in ("ringkasan", "kinerja_opd", "tren_kategori", "sla_tunggakan"):
        at = run_app(page)
        assert not at.exception, page
        errors = [e.value for e in at.error]
        assert errors and all("kesalahan tak terduga (RuntimeError)" in e for e in errors), (page, errors)
        assert not any("disk on fire" in e or "Traceback" in e for e in errors)


def test_a_broken_warehouse_keeps_the_app_up(monkeypatch, tmp_path):
    (tmp_path / "curated").mkdir()
    (tmp_path / "curated" / "monev.duckdb").write_bytes(b"bukan basis data " * 200)
    monkeypatch.setenv("MONEV_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("MONEV_DASHBOARD_DEMO", "1")
    at = run_app()
    assert not at.exception
    assert at.title[0].value == "Selamat datang di Monev Pengaduan"
    assert any(e.value.startswith("Gudang data tidak dapat dibaca") and "Unggah Data" in e.value for e in at.error)


@pytest.mark.parametrize("role", ["opd", "evaluator", "pimpinan"])
def test_every_page_of_a_role_opens_cleanly(app_env, role):
    scope = Scope(role, department="Dinas Perhubungan" if role == "opd" else None)
    at = run_app(scope=scope)
    assert_clean(at)
    opened = []
    for page in PAGES:
        try:
            at.switch_page(f"app_pages/{page}.py")
        except ValueError:  # not in this role's navigation
            continue
        at.run()
        assert not at.exception, (role, page, [e.value for e in at.exception])
        assert not at.error, (role, page, [e.value for e in at.error])
        assert at.title[0].value == TITLES[page]
        opened.append(page)
    assert {"ringkasan", "kinerja_opd", "unduh_rapor", "glosarium"} <= set(opened)


# ---------------------------------------------------------------- pages with lists


def test_opd_league_and_drill_down(app_env, demo_con):
    from pipelines.kpi import complaint_list
    from pipelines.rating import rate_departments

    at = run_app("kinerja_opd")
    assert_clean(at)
    ratings = rate_departments(demo_con, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    ranked = [r for r in ratings if r.score is not None]
    league = league_table(at)
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


def plotly_specs(at) -> list[dict]:
    return [json.loads(e.proto.spec) for e in at.get("plotly_chart")]


def bar_specs(at) -> list[dict]:
    """The bar charts of a page (Wilayah also draws its kelurahan map first)."""
    return [s for s in plotly_specs(at) if s["data"] and s["data"][0].get("type") == "bar"]


def league_table(at) -> pd.DataFrame:
    """The Kinerja OPD league (an HTML table) as a frame: OPD, Predikat, Peringkat."""
    import html as html_mod
    import re

    md = next((m.value for m in at.markdown if "class='league'" in m.value), "")
    rows = []
    for tr in re.findall(r"<tr(?: class='selected')?>(.*?)</tr>", md.split("<tbody>", 1)[-1], re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)
        text = [html_mod.unescape(re.sub(r"<[^>]+>", " ", c)).split("  ")[0].strip() for c in cells]
        rows.append({"Peringkat": text[0], "OPD": text[1], "Nilai": text[2], "Predikat": text[3]})
    return pd.DataFrame(rows, columns=["Peringkat", "OPD", "Nilai", "Predikat"])


def test_trend_page_equals_compute(app_env, demo_con):
    at = run_app("tren_kategori")
    assert_clean(at)
    f = Filters(period_key="2026")
    w = windows(f, as_of(demo_con))
    cur = compute(demo_con, w.current.date_from, w.current.date_to, as_of=w.current.as_of,
                  previous=(w.comparison.date_from, w.comparison.date_to))
    table = next(d.value for d in at.dataframe if "Masuk periode ini" in d.value.columns)
    assert len(table) == len(cur["category_trend"])
    want = {r["category"]: (r["received"], r["received_previous"]) for r in cur["category_trend"]}
    got = {c: (int(a), int(b)) for c, a, b in zip(table["Kategori"], table["Masuk periode ini"],
                                                 table["Masuk pembanding"], strict=True)}
    assert got == want
    # the rising/falling chart: exactly the categories marked naik/turun, with their change
    bars = plotly_specs(at)[0]["data"][0]
    moving = {r["category"]: r["change"] for r in cur["category_trend"] if r["trend"] in ("naik", "turun")}
    assert sorted(bars["x"]) == sorted(moving.values())
    assert len(bars["y"]) == len(moving)


def test_wilayah_page_equals_compute(app_env, demo_con):
    at = run_app("wilayah")
    assert_clean(at)
    cur, _ = expected(demo_con, Filters(period_key="2026"))
    # the kelurahan map: every kelurahan polygon carries the KPI engine's by_kelurahan value
    shapes = [t for t in plotly_specs(at)[0]["data"] if t.get("fill") == "toself"]
    assert {t["meta"]["kelurahan"]: t["meta"]["value"] for t in shapes} == {
        r["kelurahan"]: r["received"] for r in cur["by_kelurahan"] if r["kelurahan"]}
    kec = bar_specs(at)[0]["data"][0]
    got = dict(zip(kec["y"], kec["x"], strict=True))
    want = {r["kecamatan"] or "(tanpa wilayah)": r["received"] for r in cur["by_kecamatan"]}
    assert got == want
    assert kec["x"] == sorted(kec["x"])  # smallest at the bottom: the longest bar on top
    kel = bar_specs(at)[1]["data"][0]
    assert sum(kel["x"]) == cur["received"]
    # another measure: a rate per kecamatan, only where the sample is large enough
    at.segmented_control(key="wilayah.metric").set_value("response_rate").run()
    assert_clean(at)
    kec = bar_specs(at)[0]["data"][0]
    want = {r["kecamatan"]: fmt.percent(r["response_rate"]) for r in cur["by_kecamatan"]
            if not r["insufficient_data"]}
    assert dict(zip(kec["y"], kec["text"], strict=True)) == want


def test_upload_page_shows_the_last_run(app_env, demo_data_dir):
    at = run_app("unggah_data")
    assert_clean(at)
    run = json.loads((demo_data_dir / "runs" / "latest.json").read_text(encoding="utf-8"))
    table = next(d.value for d in at.dataframe if "Berkas" in d.value.columns)
    assert len(table) == len(run["files"])
    ok = [f for f in run["files"] if f["status"] == "ok"]
    read = sum(f["rows_read"] for f in ok)
    loaded = sum(f["rows_loaded"] for f in ok)
    assert any(c.value.startswith(f"Rekonsiliasi: dibaca {fmt.number(read)} = dimuat {fmt.number(loaded)}")
               for c in at.caption)
    assert any(f"{fmt.number(run['complaints'])} pengaduan" in s.value for s in at.success)
    assert [d.label for d in at.download_button] == ["Unduh templat rekap (XLSX)"]


def test_evidence_page_lists_completeness(app_env, demo_data_dir):
    from pipelines.rating import completeness, load_model
    from pipelines.rating.evidence import list_evidence
    from pipelines.settings import Paths

    at = run_app("bukti_dukung")
    assert_clean(at)
    records = list_evidence(Paths.from_args(demo_data_dir))
    comp = completeness(load_model(config_dir=None), records, 2026)
    table = next(d.value for d in at.dataframe if "Yang masih kurang" in d.value.columns)
    assert len(table) == len(comp) > 0
    assert list(table["Indikator"]) == [c.label for c in comp]
    assert list(table["Terverifikasi"]) == [c.units for c in comp]
    done = sum(1 for c in comp if c.status == "lengkap")
    assert any(f"{done} dari {len(comp)} indikator bukti dukung lengkap untuk 2026" in (p.text or "")
               for p in at.get("progress"))
    year_rows = [r for r in records if r.year == 2026]
    if year_rows:  # the demo seeds a register: the list shows every record of the year
        listed = next(d.value for d in at.dataframe if "Judul" in d.value.columns)
        assert sorted(listed["No."]) == sorted(r.label for r in year_rows)
    else:
        assert any("Belum ada bukti dukung yang dicatat untuk 2026" in i.value for i in at.info)


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
    assert list(league_table(at)["OPD"]) == ["Dinas Perhubungan"]
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
    assert list(league_table(at)["OPD"]) == ["Dinas Perhubungan"]


def test_evaluator_sees_no_complaint_rows(app_env):
    at = run_app("sla_tunggakan", scope=Scope("evaluator"))
    assert_clean(at)
    assert any("tidak mencakup daftar pengaduan" in i.value for i in at.info)
    assert not [d for d in at.dataframe if "ID" in d.value.columns]


@pytest.mark.parametrize(("role", "hidden", "shown"), [
    ("pimpinan", ["unggah_data"], ["unduh_rapor", "penilaian"]),
    ("evaluator", ["unggah_data", "kualitas_data"], ["unduh_rapor", "bukti_dukung"]),
    ("opd", ["unggah_data", "kualitas_data", "bukti_dukung"], ["unduh_rapor", "kinerja_opd"]),
    ("analis", ["unggah_data", "bukti_dukung", "unduh_rapor"], ["kualitas_data"]),
])
def test_pages_follow_the_role(app_env, role, hidden, shown):
    scope = Scope(role, department="Dinas Perhubungan" if role == "opd" else None)
    at = run_app(scope=scope)
    assert_clean(at)
    # the city scorecard button only for roles that may download scorecards
    assert bool([b for b in at.button if b.key == "ringkasan.rapor.make"]) == scope.can("download_scorecard")
    for page in hidden:
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(f"app_pages/{page}.py")
    for page in shown:
        at.switch_page(f"app_pages/{page}.py").run()
        assert_clean(at)
        assert at.title[0].value == TITLES[page]


# ---------------------------------------------------------------- scorecards (rapor)


def pdf_text(blob: bytes) -> str:
    from pypdf import PdfReader

    assert blob.startswith(b"%PDF")
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(blob)).pages).split())


def xlsx_summary(blob: bytes) -> dict[str, tuple]:
    """The 'Kinerja utama' rows of the scorecard workbook's summary sheet, by KPI key."""
    import openpyxl

    ws = openpyxl.load_workbook(io.BytesIO(blob))["Ringkasan"]
    return {r[1]: r for r in ws.iter_rows(values_only=True) if isinstance(r[1], str) and r[1] in (
        "received", "response_rate", "on_time_response_rate", "resolution_rate", "backlog_open")}


def prepared(at, key: str) -> dict[str, tuple[str, bytes]]:
    return at.session_state[f"{key}.files"]["files"]


def test_city_scorecard_made_on_click_equals_the_cards(app_env, demo_con, monkeypatch):
    import pipelines.scorecard as sc

    calls: list = []
    real_gather = sc.gather
    monkeypatch.setattr(sc, "gather", lambda *a, **k: calls.append(a[1:3]) or real_gather(*a, **k))
    at = run_app()
    assert_clean(at)
    # nothing is made while the page renders: a button first, no download yet
    assert at.button(key="ringkasan.rapor.make").label == "Siapkan rapor"
    assert not [d for d in at.download_button if d.key.startswith("ringkasan.rapor")]
    assert calls == []
    at.button(key="ringkasan.rapor.make").click().run()
    assert_clean(at)
    assert [d.label for d in at.download_button if d.key.startswith("ringkasan.rapor")] == ["Unduh PDF", "Unduh XLSX"]
    files = prepared(at, "ringkasan.rapor")
    assert files["pdf"][0] == "rapor_2026_kota-blitar.pdf"
    assert files["xlsx"][0] == "rapor_2026_kota-blitar.xlsx"
    assert len(calls) <= 1  # one gather for both formats (none when already cached)
    # a rerun keeps the files and makes nothing again
    n = len(calls)
    at.run()
    assert len(calls) == n
    assert [d.label for d in at.download_button if d.key.startswith("ringkasan.rapor")] == ["Unduh PDF", "Unduh XLSX"]
    assert not [b for b in at.button if b.key == "ringkasan.rapor.make"]

    cur, cmp = expected(demo_con, Filters(period_key="2026"))
    m = metrics(at)
    text = pdf_text(files["pdf"][1])
    assert "Rapor Kinerja Pengelolaan Pengaduan".upper() in text.upper()
    assert "Kota Blitar" in text and "Tahun 2026" in text
    assert f"Pengaduan masuk {m['Pengaduan masuk'].value} {fmt.number(cmp['received'])}" in text
    for label, key in (("Tingkat tanggapan", "response_rate"), ("Tanggapan tepat waktu", "on_time_response_rate"),
                       ("Tingkat penyelesaian", "resolution_rate")):
        assert m[label].value == fmt.percent(cur[key])
        assert f"{m[label].value} {fmt.percent(cmp[key])}" in text, label
    rows = xlsx_summary(files["xlsx"][1])
    assert rows["received"][2] == cur["received"]
    assert rows["response_rate"][2] == pytest.approx(cur["response_rate"])


def test_opd_scorecard_follows_period_and_comparison(app_env, demo_con):
    from pipelines.rating import rate_departments

    at = run_app("kinerja_opd", query={"periode": "2026-07", "banding": "sebelumnya"})
    assert_clean(at)
    assert not [b for b in at.button if b.key == "opd.rapor.make"]  # no OPD chosen yet
    at.selectbox(key="opd.drill").set_value("Dinas Perhubungan").run()
    at.button(key="opd.rapor.make").click().run()
    assert_clean(at)
    files = prepared(at, "opd.rapor")
    assert files["pdf"][0] == "rapor_2026-07_dinas-perhubungan.pdf"
    text = pdf_text(files["pdf"][1])
    f = Filters(period_key="2026-07", comparison="sebelumnya", department=("Dinas Perhubungan",))
    cur, cmp = expected(demo_con, f)
    assert "Dinas Perhubungan" in text and "Juli 2026" in text
    assert f"Pengaduan masuk {fmt.number(cur['received'])} {fmt.number(cmp['received'])}" in text
    assert f"Tingkat tanggapan {fmt.percent(cur['response_rate'])} {fmt.percent(cmp['response_rate'])}" in text
    # the same predikat and rank as the page's league table
    rating = next(r for r in rate_departments(demo_con, dt.date(2026, 7, 1), dt.date(2026, 7, 31))
                  if r.department == "Dinas Perhubungan")
    league = league_table(at)
    if rating.score is not None:
        row = league[league["OPD"] == "Dinas Perhubungan"].iloc[0]
        assert row["Predikat"] == rating.predikat
        assert f"peringkat {rating.rank} dari {len(league)} OPD" in text
    assert rating.predikat in text
    rows = xlsx_summary(files["xlsx"][1])
    assert rows["received"][2] == cur["received"]
    # another OPD: the prepared files are for the old one, so the button comes back
    at.selectbox(key="opd.drill").set_value("Dinas Kesehatan").run()
    assert at.button(key="opd.rapor.make")
    assert not [d for d in at.download_button if d.key.startswith("opd.rapor")]


def test_scorecard_says_which_filters_do_not_apply(app_env):
    at = run_app(query={"kategori": "Industri dan Perdagangan"})
    assert_clean(at)
    caps = [c.value for c in at.caption if c.value.startswith("PDF dan Excel")]
    assert caps == ["PDF dan Excel, pembanding: periode yang sama tahun lalu. Filter (Kategori: Industri dan "
                    "Perdagangan) tidak berlaku untuk rapor: rapor selalu mencakup semua pengaduan kota."]


def test_batch_page_for_an_opd_viewer_zips_its_own_and_the_city(app_env, demo_con):
    from pipelines.scorecard import INDEX_NAME, read_index

    at = run_app("unduh_rapor", scope=Scope("opd", department="Dinas Perhubungan"))
    assert_clean(at)
    assert "rapor **Dinas Perhubungan** (akses Anda terbatas pada OPD ini)" in " ".join(m.value for m in at.markdown)
    # the dashboard's period (the running year) and comparison are the starting point
    assert at.selectbox(key="rapor.period").value == "2026"
    assert at.radio(key="rapor.cmp").value == "tahun_lalu"
    at.selectbox(key="rapor.kind").set_value("triwulan").run()
    at.selectbox(key="rapor.period").set_value("2026-Q3").run()
    at.pills(key="rapor.formats").set_value(["xlsx"]).run()
    assert any(c.value.startswith("2 rapor × 1 format = 2 berkas") for c in at.caption)
    at.button(key="rapor.make").click().run()
    assert_clean(at)
    assert at.download_button(key="rapor.download").label == "Unduh ZIP"
    z = zipfile.ZipFile(io.BytesIO(at.session_state["rapor.zip"]["blob"]))
    assert sorted(z.namelist()) == sorted([INDEX_NAME, "rapor_2026-Q3_kota-blitar.xlsx",
                                           "rapor_2026-Q3_dinas-perhubungan.xlsx"])
    index = read_index(z.read(INDEX_NAME))
    assert [(r["cakupan"], r["opd"], r["periode"]) for r in index] == [
        ("kota", "", "2026-Q3"), ("opd", "Dinas Perhubungan", "2026-Q3")]
    assert any(s.value.startswith("ZIP siap: 2 berkas rapor Triwulan III 2026") for s in at.success)


def test_a_scorecard_that_cannot_be_made_says_why(app_env, monkeypatch):
    import pipelines.scorecard as sc

    def refuse(*_a, **_k):
        raise sc.ScorecardError("Periode ini belum dapat dibuatkan rapor.")

    monkeypatch.setattr(sc, "gather", refuse)
    at = run_app(query={"periode": "2025-S1"})  # a period no other test prepares (nothing cached)
    at.button(key="ringkasan.rapor.make").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == ["Periode ini belum dapat dibuatkan rapor."]
    assert not [d for d in at.download_button if d.key.startswith("ringkasan.rapor")]
    assert "ringkasan.rapor.files" not in at.session_state


def test_batch_page_counts_every_opd(app_env, demo_con):
    at = run_app("unduh_rapor")
    assert_clean(at)
    n = demo_con.execute("SELECT count(*) FROM departments").fetchone()[0]
    assert any(c.value.startswith(f"{fmt.number(n + 1)} rapor × 2 format = {fmt.number(2 * (n + 1))} berkas")
               for c in at.caption)
    at.pills(key="rapor.formats").set_value([]).run()
    assert_clean(at)
    assert any(i.value == "Pilih paling sedikit satu format." for i in at.info)
    assert not [b for b in at.button if b.key == "rapor.make"]


def test_batch_page_after_a_custom_range_starts_on_the_year(app_env):
    at = run_app(query={"periode": "2026-03-01..2026-04-15", "banding": "sebelumnya"})
    assert_clean(at)
    at.switch_page("app_pages/unduh_rapor.py").run()
    assert_clean(at)
    assert at.selectbox(key="rapor.kind").options == ["Bulan", "Triwulan", "Semester", "Tahun"]
    assert at.selectbox(key="rapor.kind").value == "tahun"
    assert at.selectbox(key="rapor.period").value == "2026"
    assert at.radio(key="rapor.cmp").value == "sebelumnya"  # the dashboard's comparison carries over


def test_scorecard_scope_is_enforced_in_the_data_layer(app_env):
    from dashboard import data
    from pipelines.auth.scope import ScopeError

    snap = data.snapshot()
    opd = Scope("opd", department="Dinas Perhubungan")
    assert data.scorecard_departments(opd, snap) == ["Dinas Perhubungan"]
    assert data.scorecard_unit(opd, snap, None) is None
    assert data.scorecard_unit(opd, snap, "Dishub") == "Dinas Perhubungan"  # an alias of its own OPD
    for other in ("Dinas Kesehatan", "dinkes"):
        with pytest.raises(ScopeError, match="terbatas pada Dinas Perhubungan"):
            data.scorecard(opd, snap, "2026-Q3", "sebelumnya", other)
    analis = Scope("analis")
    with pytest.raises(ScopeError, match="mengunduh rapor"):
        data.scorecard(analis, snap, "2026-Q3", "sebelumnya", None)
    with pytest.raises(ScopeError, match="mengunduh rapor"):
        data.scorecard_zip(analis, snap, "2026-Q3", "sebelumnya", ("pdf",))
    full = Scope.full(demo=True)
    assert len(data.scorecard_departments(full, snap)) == len(data.master(snap).departments)


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
    assert [h.value for h in at.subheader] == ["Coba dengan data demo", "Unggah ekspor sendiri"]
    assert not at.metric and not at.dataframe and not at.sidebar.selectbox  # no filters without data
    # the other path: the upload page opens without a warehouse
    at.switch_page("app_pages/unggah_data.py").run()
    assert_clean(at)
    assert at.title[0].value == "Unggah Data"
    assert len(at.get("file_uploader")) == 1
    # pages that need data are not offered yet
    for page in ("kinerja_opd", "unduh_rapor"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(f"app_pages/{page}.py")
