"""The Daftar Kerja and Pejabat Penghubung pages (Streamlit AppTest) and the register's flags: the koordinator
sees the OPD without an officer and with an SK older than a year; an opd viewer sees only its own worklist,
never the register; the worklists on screen are the KPI engine's lists."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pipelines import kpi
from pipelines.auth.scope import SESSION_KEY, Scope
from pipelines.officers import add_officer, list_officers, register_flags, sk_is_current
from pipelines.settings import Paths

APP = str(Path(__file__).resolve().parents[1] / "dashboard" / "app.py")
DISHUB = "Dinas Perhubungan"
DINKES = "Dinas Kesehatan"


@pytest.fixture()
def env(tmp_path, monkeypatch, demo_data_dir) -> Paths:
    """The demo's warehouse (read-only, linked) with an own state store holding two officers: Dinas
    Perhubungan's SK is current, Dinas Kesehatan's is two years old."""
    d = tmp_path / "data"
    d.mkdir()
    (d / "curated").symlink_to(demo_data_dir / "curated", target_is_directory=True)
    (d / "runs").symlink_to(demo_data_dir / "runs", target_is_directory=True)
    paths = Paths.from_args(d)
    today = dt.date.today()
    add_officer(paths, DISHUB, name="Budi Santoso", position="Kasubbag Umum", email="budi@dishub.test",
                whatsapp="0812-1111-2222", sk_number="188/1/2026", sk_date=today - dt.timedelta(days=30), by="t")
    add_officer(paths, "dinkes", name="Sri Lestari", position="Analis", email="sri@dinkes.test",
                sk_number="188/7/2024", sk_date=today - dt.timedelta(days=800), by="t")
    monkeypatch.setenv("MONEV_DATA_DIR", str(d))
    monkeypatch.setenv("MONEV_DASHBOARD_DEMO", "1")
    return paths


def start(scope: Scope | None = None, page: str = "daftar_kerja"):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=180)
    if scope is not None:
        at.session_state[SESSION_KEY] = scope
    at.run()
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def frame(at, column: str):
    """The first table on the page with this column (AppTest does not keep dataframe keys)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_sk_age_rule():
    sk = dt.date(2026, 1, 15)
    assert sk_is_current(sk, dt.date(2027, 1, 15)) and not sk_is_current(sk, dt.date(2027, 1, 16))
    assert not sk_is_current(sk, dt.date(2026, 1, 14))  # not yet signed
    assert sk_is_current(dt.date(2024, 2, 29), dt.date(2025, 2, 28))


def test_register_flags(env):
    flags = {f.department: f for f in register_flags([DISHUB, DINKES, "Dinas Sosial"], list_officers(env),
                                                     dt.date.today())}
    assert (flags[DISHUB].flag, flags[DINKES].flag, flags["Dinas Sosial"].flag) == \
        ("ok", "sk_kedaluwarsa", "tanpa_pejabat")
    assert "perlu SK baru" in flags[DINKES].message and flags["Dinas Sosial"].officers == 0


def test_koordinator_sees_the_flags_and_the_register(env):
    at = start(page="pejabat_penghubung")
    assert not at.error, [e.value for e in at.error]
    flags = frame(at, "Tanda")
    by_dep = dict(zip(flags["OPD"], flags["Tanda"], strict=True))
    assert by_dep[DINKES] == "SK kedaluwarsa" and DISHUB not in by_dep
    assert by_dep["Dinas Sosial"] == "Tanpa pejabat"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["OPD dengan SK berlaku"] == "1" and metrics["SK lebih dari 1 tahun"] == "1"
    reg = frame(at, "E-mail")
    assert set(reg["E-mail"]) == {"budi@dishub.test", "sri@dinkes.test"}
    # the same flags on Daftar Kerja
    dk = start(page="daftar_kerja")
    assert any("Register pejabat penghubung" in w.value for w in dk.warning)


def test_koordinator_adds_an_officer_in_the_app(env):
    at = start(page="pejabat_penghubung")
    at.selectbox(key="pp.add.dep").set_value("Dinas Sosial")
    at.text_input(key="pp.add.name").input("Agus Salim")
    at.text_input(key="pp.add.pos").input("Kasubbag Program")
    at.text_input(key="pp.add.email").input("agus@dinsos.test")
    at.text_input(key="pp.add.skno").input("188/9/2026")
    next(b for b in at.button if b.label == "Simpan").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert [o.department for o in list_officers(env, "Dinas Sosial")] == ["Dinas Sosial"]


def test_worklist_on_screen_is_the_engines(env, demo_con):
    at = start()
    at.selectbox(key="dk.opd").set_value(DISHUB).run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    shown = frame(at, "Seharusnya selesai")
    want = kpi.overdue_list(demo_con, filters={"department": [DISHUB]}, limit=100000)
    assert shown["Nomor"].tolist() == want["source_id"].to_list()
    assert "Judul" not in " ".join(shown.columns)
    text = at.code[0].value
    assert text.startswith(f"*Daftar kerja pengaduan – {DISHUB}*") and "daftar_kerja?opd=Dinas%20Perhubungan" in text


def test_opd_viewer_sees_only_its_own_worklist_and_no_register(env):
    at = start(Scope("opd", department=DISHUB))
    box = at.selectbox(key="dk.opd")
    assert box.options == [DISHUB] and box.disabled
    assert not at.warning or not any("Register" in w.value for w in at.warning)
    with pytest.raises(ValueError):
        at.switch_page("app_pages/pejabat_penghubung.py")
