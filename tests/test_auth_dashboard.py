"""The dashboard outside demo mode (Streamlit AppTest): login as each role and what each sees and cannot
see, an opd user asking for another department through URL parameters and the download buttons, wrong
passwords, lock-out, expired sessions, logout, the Log Audit page, audit entries of uploads, builds and
evidence, upload names and sizes; demo mode needs no login and says DEMO on every page."""

from __future__ import annotations

import csv
import datetime as dt
import io
import sqlite3
from pathlib import Path

import pytest

from dashboard.pages import DATA_PAGES
from pipelines import fmt
from pipelines.auth import add_user, list_audit
from pipelines.auth.scope import SESSION_KEY, Scope
from pipelines.settings import Paths
from pipelines.state import state_path

APP = str(Path(__file__).resolve().parents[1] / "dashboard" / "app.py")
PW = "kalimat-sandi-panjang-1"
DISHUB = "Dinas Perhubungan"
ACCOUNTS = {"walikota": ("pimpinan", None), "kominfo": ("koordinator", None), "dishub": ("opd", DISHUB),
            "evaluator1": ("evaluator", None), "analis1": ("analis", None)}
ALL_PAGES = DATA_PAGES  # the page registry (dashboard/pages.py)
HIDDEN = {
    "walikota": {"unggah_data", "log_audit", "pejabat_penghubung"},
    "kominfo": set(),
    "dishub": {"unggah_data", "kualitas_data", "bukti_dukung", "log_audit", "pejabat_penghubung"},
    "evaluator1": {"unggah_data", "kualitas_data", "log_audit", "daftar_kerja", "pejabat_penghubung"},
    "analis1": {"unggah_data", "bukti_dukung", "unduh_rapor", "log_audit", "pejabat_penghubung"},
}


@pytest.fixture(scope="module")
def accounts_dir(tmp_path_factory, demo_data_dir) -> Path:
    """A data directory sharing the demo's published warehouse (read-only) with its own state store."""
    d = tmp_path_factory.mktemp("auth") / "data"
    d.mkdir()
    (d / "curated").symlink_to(demo_data_dir / "curated", target_is_directory=True)
    (d / "runs").symlink_to(demo_data_dir / "runs", target_is_directory=True)
    paths = Paths.from_args(d)
    for name, (role, dep) in ACCOUNTS.items():
        add_user(paths, name, role, PW, department=dep)
    add_user(paths, "kunci", "analis", PW)  # for the lock-out test
    return d


@pytest.fixture()
def auth_env(monkeypatch, accounts_dir) -> Paths:
    monkeypatch.setenv("MONEV_DATA_DIR", str(accounts_dir))
    monkeypatch.setenv("MONEV_DASHBOARD_DEMO", "0")
    return Paths.from_args(accounts_dir)


def start(query: dict | None = None):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=120)
    if query:
        at.query_params.update(query)
    at.run()
    return at


def submit(at, user: str, password: str):
    at.text_input(key="auth.user").input(user)
    at.text_input(key="auth.password").input(password)
    next(b for b in at.button if b.label == "Masuk").click().run()
    return at


def login_as(user: str, query: dict | None = None):
    at = submit(start(query), user, PW)
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value != "Masuk", [e.value for e in at.error]
    return at


def on_login_form(at) -> bool:
    return [t.value for t in at.title] == ["Masuk"] and not at.metric and not at.dataframe


def visible_pages(at) -> set[str]:
    out = set()
    for page in ALL_PAGES:
        try:
            at.switch_page(f"app_pages/{page}.py")
        except ValueError:
            continue
        out.add(page)
    at.switch_page("app_pages/ringkasan.py")
    return out


def csv_rows(blob: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(blob.decode("utf-8-sig"))))


# ---------------------------------------------------------------- the login gate


def test_nothing_without_login(auth_env):
    at = start()
    assert not at.exception
    assert on_login_form(at)
    with pytest.raises(ValueError, match="Could not find a navigation page"):  # no page script is registered
        at.switch_page("app_pages/kinerja_opd.py")
    # a scope put in the session without a login is not trusted
    at.session_state[SESSION_KEY] = Scope.full()
    at.run()
    assert on_login_form(at)


def test_wrong_password_is_refused_and_logged(auth_env):
    at = submit(start(), "dishub", "bukan-sandinya-123")
    assert on_login_form(at)
    assert [e.value for e in at.error] == ["Nama pengguna atau kata sandi salah."]
    last = list_audit(auth_env, user="dishub", limit=1)[0]
    assert (last.action, last.detail, last.source) == ("login_failed", "kata sandi salah", "dasbor")


def _forget_attempts(paths) -> None:
    # every AppTest session has the same (unknown) address: failures of one test must not delay the next
    from pipelines.state import open_state

    with open_state(paths) as con:
        con.execute("DELETE FROM login_attempts")


def test_lock_out_after_five_failures(auth_env):
    _forget_attempts(auth_env)
    at = start()
    for i in range(5):
        submit(at, "kunci", f"salah-{i}-sandinya")
    submit(at, "kunci", PW)  # the right password, but this address must wait first
    assert on_login_form(at)
    assert "Coba lagi dalam" in at.error[0].value and "dari alamat ini" in at.error[0].value
    acts = [e.action for e in list_audit(auth_env, user="kunci", limit=None)]
    assert acts.count("login_failed") == 5 and acts[0] == "login_locked" and "login_ok" not in acts
    _forget_attempts(auth_env)


@pytest.mark.parametrize("user", list(ACCOUNTS))
def test_each_role_sees_its_pages(auth_env, user):
    at = login_as(user)
    role, dep = ACCOUNTS[user]
    assert at.session_state[SESSION_KEY] == Scope(role, department=dep, user=user)
    assert visible_pages(at) == set(ALL_PAGES) - HIDDEN[user]
    captions = " ".join(c.value for c in at.sidebar.caption)
    assert f"Masuk sebagai **{user}**" in captions
    assert "DEMO" not in " ".join(m.value for m in at.markdown)
    assert list_audit(auth_env, user=user, limit=1)[0].action == "login_ok"


def test_evaluator_sees_no_complaint_rows(auth_env):
    at = login_as("evaluator1")
    at.switch_page("app_pages/sla_tunggakan.py").run()
    assert not at.exception
    assert any("tidak mencakup daftar pengaduan" in i.value for i in at.info)
    assert not [d for d in at.dataframe if "ID" in d.value.columns]


def test_analis_sees_redacted_rows_but_no_evidence_or_upload(auth_env):
    at = login_as("analis1")
    at.switch_page("app_pages/sla_tunggakan.py").run()
    assert not at.exception
    lists = [d.value for d in at.dataframe if "ID" in d.value.columns]
    assert lists and len({dep for df in lists for dep in df["OPD"]}) > 1  # all departments


# ---------------------------------------------------------------- an opd user and other departments


def test_opd_user_other_department_by_url(auth_env, captured_downloads):
    at = login_as("dishub", query={"opd": "Dinas Kesehatan"})
    # the refused request is said, not dropped silently (docs/keamanan.md)
    assert any("Akses Anda terbatas pada Dinas Perhubungan" in w.value and "Dinas Kesehatan" in w.value
               for w in at.warning), [w.value for w in at.warning]
    at.switch_page("app_pages/kinerja_opd.py").run()
    assert not at.exception
    assert at.multiselect(key="flt.department").value == []
    league = next(m.value for m in at.markdown if "class='league'" in m.value)
    assert DISHUB in league and "Dinas Kesehatan" not in league
    assert at.selectbox(key="opd.drill").options == [DISHUB]
    at.selectbox(key="opd.drill").set_value(DISHUB).run()  # with the drill-down's complaint list
    assert not at.exception
    # what the download buttons of the page would deliver: only its own department
    tables = [csv_rows(b) for name, b in captured_downloads if name.endswith(".csv")]
    assert tables
    deps = {r["OPD"] for rows in tables for r in rows if "OPD" in r}
    assert deps == {DISHUB}
    # every table download is audited (the capture produced each file once)
    audited = [e.detail for e in list_audit(auth_env, user="dishub", action="data_download", limit=None)]
    assert len(audited) >= len(captured_downloads) - 1 and any(d.endswith("baris)") for d in audited)


def test_opd_user_complaint_lists_and_downloads_are_its_own(auth_env, captured_downloads):
    at = login_as("dishub", query={"opd": "Dinas Kesehatan,Dinas Perhubungan"})
    at.switch_page("app_pages/sla_tunggakan.py").run()
    assert not at.exception
    lists = [d.value for d in at.dataframe if "ID" in d.value.columns]
    assert lists and {dep for df in lists for dep in df["OPD"]} == {DISHUB}
    rows = [r for name, b in captured_downloads if name.endswith(".csv") for r in csv_rows(b)]
    assert rows and {r["OPD"] for r in rows if "OPD" in r} == {DISHUB}


def test_opd_user_scorecards_are_its_own_and_the_city(auth_env, accounts_dir):
    from dashboard import data
    from pipelines.auth.scope import ScopeError

    scope = Scope("opd", department=DISHUB, user="dishub")
    snap = data.snapshot()
    assert data.scorecard_departments(scope, snap) == [DISHUB]
    assert data.scorecard_unit(scope, snap, "dishub") == DISHUB
    assert data.scorecard_unit(scope, snap, None) is None
    with pytest.raises(ScopeError, match="tidak dapat diunduh"):
        data.scorecard_unit(scope, snap, "Dinas Kesehatan")
    with pytest.raises(ScopeError):
        data.scorecard(scope, snap, "2026", "sebelumnya", "Dinas Kesehatan")
    with pytest.raises(ScopeError):
        data.scorecard_unit(Scope("analis", user="a"), snap, DISHUB)  # analis may not download scorecards


def test_scorecard_download_is_audited(auth_env, captured_downloads):
    at = login_as("dishub")
    at.switch_page("app_pages/kinerja_opd.py").run()
    at.selectbox(key="opd.drill").set_value(DISHUB).run()
    make = [b for b in at.button if b.label == "Siapkan rapor"]
    assert make
    make[0].click().run()
    assert not at.exception
    pdf = [b for b in at.download_button if b.label == "Unduh PDF"]
    assert pdf
    name = next(n for n, _ in captured_downloads if n.endswith(".pdf"))
    pdf[0].click().run()
    # (the table downloads the capture produced are audited too, as data_download)
    last = list_audit(auth_env, user="dishub", action="scorecard_download", limit=1)[0]
    assert (last.action, last.detail) == ("scorecard_download", name)


# ---------------------------------------------------------------- sessions


def test_expired_session_returns_to_login(auth_env):
    at = login_as("walikota")
    assert at.metric
    con = sqlite3.connect(state_path(auth_env))
    old = (dt.datetime.now() - dt.timedelta(hours=9)).strftime("%Y-%m-%d %H:%M:%S")
    con.execute("UPDATE auth_sessions SET last_seen = ?, created_at = ? WHERE username = 'walikota'", [old, old])
    con.commit()
    con.close()
    at.run()
    assert on_login_form(at)
    assert "Sesi berakhir" in at.error[0].value
    assert SESSION_KEY not in at.session_state
    assert list_audit(auth_env, user="walikota", limit=1)[0].action == "session_expired"


def test_logout(auth_env):
    from pipelines.auth import check_session

    at = login_as("evaluator1")
    token = at.session_state["auth.token"]
    assert check_session(auth_env, token).ok
    at.sidebar.button(key="auth.logout").click().run()
    assert on_login_form(at)
    assert "Anda sudah keluar." in [e.value for e in at.error]
    assert list_audit(auth_env, user="evaluator1", limit=1)[0].action == "logout"
    assert check_session(auth_env, token).reason == "missing"
    assert SESSION_KEY not in at.session_state and "auth.token" not in at.session_state


# ---------------------------------------------------------------- the audit page and what is audited


def test_log_audit_page_for_koordinator(auth_env):
    submit(start(), "kominfo", "salah-sandi-kominfo")
    at = login_as("kominfo")
    at.switch_page("app_pages/log_audit.py").run()
    assert not at.exception
    df = at.dataframe[0].value
    mine = df[df["Pengguna"] == "kominfo"]
    assert list(mine["Aksi"][:2]) == ["Masuk", "Gagal masuk"]
    assert at.metric[1].label == "Gagal masuk / terkunci"
    at.selectbox(key="audit.action").set_value("login_failed").run()
    assert set(at.dataframe[0].value["Aksi"]) == {"Gagal masuk"}


def test_upload_names_sizes_and_audit(auth_env, monkeypatch, demo_data_dir):
    from dashboard import jobs

    started = []
    monkeypatch.setattr(jobs, "start", lambda paths, *a, **k: started.append(a))
    at = login_as("kominfo")
    at.switch_page("app_pages/unggah_data.py").run()
    up = at.file_uploader(key="unggah.file")
    # oversized: refused on the server, whatever the browser allowed
    up.set_value(("rekap.csv", b"x" * (50 * 1024 * 1024 + 1), "text/csv"))
    at.run()
    assert any("melebihi batas 50 MB" in e.value for e in at.error)
    assert not (auth_env.raw_dir / "unggahan").exists()
    # a path in the name: stored under raw/unggahan with the bare name
    export = sorted((demo_data_dir / "raw" / "lapor").glob("*.csv"))[0]  # a real SP4N-LAPOR! export
    up = at.file_uploader(key="unggah.file")
    up.set_value(("../../../etc/lapor_uji.csv", export.read_bytes(), "text/csv"))
    at.run()
    assert not at.exception
    md = " ".join(m.value for m in at.markdown)
    assert "../" not in md
    go = [b for b in at.button if b.key == "unggah.go"]
    assert go, [e.value for e in at.error]  # the preview accepted the file
    assert any("raw/unggahan/lapor_uji.csv" in c.value for c in at.caption)
    # the export is already loaded: said before saving, and saving needs a deliberate tick
    assert any("sama persis" in w.value and export.name in w.value for w in at.warning)
    assert go[0].disabled
    at.checkbox(key="unggah.anyway").check().run()
    go = [b for b in at.button if b.key == "unggah.go"]
    go[0].click().run()
    stored = auth_env.raw_dir / "unggahan" / "lapor_uji.csv"
    assert stored.read_bytes() == export.read_bytes()
    assert [p.name for p in (auth_env.raw_dir / "unggahan").iterdir()] == ["lapor_uji.csv"]
    assert started == [("run",)]
    acts = [(e.action, e.detail) for e in list_audit(auth_env, user="kominfo", limit=2)]
    assert acts[0] == ("build", "monev run dari halaman Unggah Data")
    assert acts[1] == ("upload", f"raw/unggahan/lapor_uji.csv ({fmt.number(stored.stat().st_size)} bita)")


def test_evidence_change_is_audited(auth_env):
    at = login_as("kominfo")
    at.switch_page("app_pages/bukti_dukung.py").run()
    at.text_input(key="bukti.title").input("SK Tim Pengelola Pengaduan 2026")
    at.file_uploader(key="bukti.file").set_value(("../sk tim.pdf", b"%PDF-1.4 uji", "application/pdf"))
    next(b for b in at.button if b.label == "Simpan bukti dukung").click().run()
    assert not at.exception
    assert any("tersimpan" in s.value for s in at.success), [e.value for e in at.error]
    last = list_audit(auth_env, user="kominfo", limit=1)[0]
    assert last.action == "evidence_add" and last.detail.endswith(": sk tim.pdf")


# ---------------------------------------------------------------- demo mode


def test_demo_mode_needs_no_login_and_says_demo_on_every_page(monkeypatch, demo_data_dir):
    monkeypatch.setenv("MONEV_DATA_DIR", str(demo_data_dir))
    monkeypatch.setenv("MONEV_DASHBOARD_DEMO", "1")
    at = start()
    assert at.title[0].value != "Masuk"
    for page in ALL_PAGES:
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, (page, [e.value for e in at.exception])
        assert any(m.value.startswith("DEMO") for m in at.markdown), page
    # a restricted scope in demo mode is still marked
    at = start()
    at.session_state[SESSION_KEY] = Scope("opd", department=DISHUB)
    at.run()
    assert any(m.value.startswith("DEMO") for m in at.markdown)
