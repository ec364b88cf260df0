"""The dashboard on a province installation (Streamlit AppTest, the three-pemda ``province_data_dir``): the
province pages render with the numbers of ``pipelines.province.ranking``, ``?pemda=`` and the sidebar selector
open today's pages on that pemda's own warehouse, a pemda's viewer lands on its own pemda and is refused
another one (a message, no data), and never sees the province pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.filters import Filters, windows
from pipelines import fmt
from pipelines.auth.scope import SESSION_KEY, Scope

APP = str(Path(__file__).resolve().parents[1] / "dashboard" / "app.py")


@pytest.fixture()
def prov_env(monkeypatch, province_data_dir):
    monkeypatch.setenv("MONEV_DATA_DIR", str(province_data_dir))
    monkeypatch.delenv("MONEV_CONFIG_DIR", raising=False)
    monkeypatch.setenv("MONEV_DASHBOARD_DEMO", "1")
    return province_data_dir


def run_app(*, query: dict | None = None, scope: Scope | None = None, page: str | None = None):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=120)
    if query:
        at.query_params.update(query)
    if scope is not None:
        at.session_state[SESSION_KEY] = scope
    at.run()
    if page:
        at.switch_page(f"app_pages/{page}.py").run()
    return at


def clean(at) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def province(d):
    from pipelines.province import load_province
    from pipelines.settings import Paths

    return load_province(Paths.from_args(d))


def text(at) -> str:
    return " ".join([m.value for m in at.markdown] + [c.value for c in at.caption])


def test_province_viewer_lands_on_the_ranking_equal_to_ranking(prov_env):
    from pipelines.province.ranking import ranking

    at = run_app()
    clean(at)
    assert [t.value for t in at.title] == ["Peringkat Pemda"]
    want = ranking(province(prov_env), date_from="2026-01-01", date_to="2026-12-31")  # default: the running year
    table = at.dataframe[0].value
    assert list(table["Pemda"]) == [r["name"] for r in want["rows"]]
    assert list(table["Masuk"]) == [r["received"] for r in want["rows"]]
    assert [None if v != v else v for v in table["Tanggapan tepat waktu"]] == [
        r["on_time_response_rate"] for r in want["rows"]]
    assert list(table["#"]) == ["–" if r["rank"] is None else str(r["rank"]) for r in want["rows"]]
    assert list(table["Predikat"]) == [(r["rating"] or {}).get("predikat") for r in want["rows"]]
    assert want["rule"] in text(at)  # the rule sentence from the province's settings
    assert "Provinsi Jawa Timur" in text(at)
    assert {s.label for s in at.selectbox} >= {"Pemda", "Jenis periode", "Periode"}


def test_ranking_period_selector_and_trends(prov_env):
    from pipelines.province.ranking import ranking

    at = run_app()
    at.selectbox(key="prov.period").set_value("2025").run()
    clean(at)
    want = ranking(province(prov_env), date_from="2025-01-01", date_to="2025-12-31")
    assert list(at.dataframe[0].value["Masuk"]) == [r["received"] for r in want["rows"]]
    assert at.query_params.get("periode") in ("2025", ["2025"])
    notes = list(at.dataframe[0].value["Catatan"])
    assert notes[-1] == "data tidak cukup"  # Kabupaten Blitar: fewer than the province's 30
    at.switch_page("app_pages/provinsi_tren.py").run()
    clean(at)
    assert [t.value for t in at.title] == ["Tren Pemda"]
    assert len(at.get("plotly_chart")) == 4  # the four default metrics side by side


def test_url_drill_down_opens_the_pemdas_own_pages(prov_env):
    from pipelines.kpi import compute
    from pipelines.warehouse import open_readonly

    at = run_app(query={"pemda": "3571"})
    clean(at)
    assert [t.value for t in at.title][0] == "Ringkasan Eksekutif"
    assert "Kota Kediri" in text(at)
    con = open_readonly(province(prov_env).get("35.71").paths)
    try:
        as_of = con.execute("SELECT as_of FROM snapshot").fetchone()[0]
        w = windows(Filters("2026"), as_of).current
        cur = compute(con, w.date_from, w.date_to, as_of=w.as_of)
    finally:
        con.close()
    m = {x.label: x.value for x in at.metric}
    assert m["Pengaduan masuk"] == fmt.number(cur["received"])
    assert m["Tanggapan tepat waktu"] == fmt.percent(cur["on_time_response_rate"])
    assert m["Tunggakan lewat batas"] == fmt.number(cur["backlog_overdue"])
    assert at.selectbox(key="app.pemda_choice").value == "35.71"
    # today's other pages, on the same pemda
    at.switch_page("app_pages/kinerja_opd.py").run()
    clean(at)
    assert "Kota Kediri" in text(at)
    assert at.query_params.get("pemda") in ("35.71", ["35.71"])


def test_sidebar_selector_switches_pemda_and_back(prov_env):
    at = run_app()
    at.selectbox(key="app.pemda_choice").set_value("35.05").run()
    clean(at)
    assert [t.value for t in at.title][0] == "Ringkasan Eksekutif"
    assert "Kabupaten Blitar" in text(at)
    at.selectbox(key="app.pemda_choice").set_value("").run()
    clean(at)
    assert [t.value for t in at.title] == ["Peringkat Pemda"]


def test_a_pemda_viewer_lands_on_its_own_pemda_without_province_pages(prov_env):
    at = run_app(scope=Scope("pimpinan", user="walikota", pemda="35.72"))
    clean(at)
    assert [t.value for t in at.title][0] == "Ringkasan Eksekutif"
    assert "Kota Blitar" in text(at)
    assert "app.pemda_choice" not in [s.key for s in at.selectbox]  # no selector listing other pemda
    for page in ("provinsi_peringkat", "provinsi_tren"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(f"app_pages/{page}.py")


@pytest.mark.parametrize("role", ["pimpinan", "koordinator", "analis"])
def test_a_pemda_viewer_asking_for_another_pemda_by_url_is_refused(prov_env, role):
    at = run_app(query={"pemda": "35.71"}, scope=Scope(role, user="u", pemda="35.72"))
    assert not at.exception
    assert [t.value for t in at.title] == ["Akses ditolak"]
    assert any("terbatas pada pemda 35.72" in e.value and "35.71" in e.value for e in at.error)
    assert not at.metric and not at.dataframe and not at.get("plotly_chart")  # no data
    assert "Kota Kediri" not in text(at)
    # the way back: the viewer's own pemda
    at.button(key="app.own_pemda").click().run()
    clean(at)
    assert [t.value for t in at.title][0] == "Ringkasan Eksekutif" and "Kota Blitar" in text(at)


def test_an_unknown_or_garbage_pemda_in_the_url_is_a_notice(prov_env):
    at = run_app(query={"pemda": "35.99"})
    assert not at.exception
    assert [t.value for t in at.title] == ["Peringkat Pemda"]
    assert any("35.99" in w.value and "tidak terdaftar" in w.value for w in at.warning)
    at = run_app(query={"pemda": "[klik](http://contoh.invalid)"})
    assert not at.exception
    assert any("bukan kode pemda" in w.value for w in at.warning)
    assert not any("contoh.invalid" in w.value for w in at.warning)
