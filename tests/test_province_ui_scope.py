"""Pemda scope in the data layer (issue 19, done-when: "a pemda user asking for another pemda by URL, filter or
download is refused in the data layer (tests per function, as for OPD scope)").

Every public ``dashboard.data`` function that takes a Scope is called as a Kota Blitar (35.72) viewer on Kota
Kediri's (35.71) snapshot: a refusal, whatever the filters; the same call by Kota Kediri's own viewer and by a
province-level viewer works. The inventory test fails when a new scoped function lacks the check. The province
functions (``dashboard.province_data``) are refused for every pemda viewer and allowed for role ``provinsi``;
their numbers are ``pipelines.province.ranking``'s. Accounts carry their pemda (``monev user add --pemda``).
"""

from __future__ import annotations

import ast
import datetime as dt
import inspect
import sqlite3
import textwrap

import pytest

from dashboard import data, province_data
from dashboard.filters import Filters, windows
from pipelines.auth.scope import Scope, ScopeError

KEDIRI, BLITAR = "35.71", "35.72"
DISHUB = "Dinas Perhubungan"
BLITAR_VIEWER = Scope("koordinator", user="blitar", pemda=BLITAR)  # every capability, the wrong pemda
KEDIRI_VIEWER = Scope("koordinator", user="kediri", pemda=KEDIRI)
PROVINCE = Scope("provinsi", user="prov")
REFUSED = "terbatas pada pemda 35.72; data pemda 35.71"
# resolving a pemda's paths or snapshot from a code (URL ?pemda=, the sidebar selector): tested below
RESOLVERS = {"pemda_paths", "pemda_snapshot", "activate"}


@pytest.fixture()
def kediri(monkeypatch, province_data_dir):
    monkeypatch.setenv("MONEV_DATA_DIR", str(province_data_dir))
    monkeypatch.delenv("MONEV_CONFIG_DIR", raising=False)
    snap = data.pemda_snapshot(KEDIRI_VIEWER, KEDIRI)
    assert snap is not None and snap.pemda == KEDIRI and snap.city == "Kota Kediri"
    w = windows(Filters(period_key="2024-01-01..2026-10-31"), snap.as_of).current
    import streamlit as st

    st.session_state[data.ACTIVE_KEY] = KEDIRI  # the officers' register reads the pemda being viewed
    yield snap, w
    st.session_state.pop(data.ACTIVE_KEY, None)


def calls(snap, w):
    """name -> function(scope, filters) for every scoped data function (filters: the URL/sidebar filters)."""
    def year():
        return snap.as_of.year

    return {
        "kpi": lambda s, f: data.kpi(s, snap, w, f),
        "by_month": lambda s, f: data.by_month(s, snap, w.date_from, w.date_to, w.as_of, f),
        "category_by_month": lambda s, f: data.category_by_month(s, snap, w, f),
        "channel_by_month": lambda s, f: data.channel_by_month(s, snap, w, f),
        "breakdown": lambda s, f: data.breakdown(s, snap, "department", w, f),
        "aging_by_department": lambda s, f: data.aging_by_department(s, snap, w.as_of, f),
        "complaints": lambda s, f: data.complaints(s, snap, w, f, as_of=w.as_of),
        "overdue": lambda s, f: data.overdue(s, snap, w.as_of, f),
        "early_warning": lambda s, f: data.early_warning(s, snap, w.as_of, f),
        "worklist": lambda s, f: data.worklist(s, snap, w.as_of, (f or {}).get("department", [None])[0]),
        "executive_snapshot": lambda s, f: data.executive_snapshot(s, snap, w.as_of),
        "officers": lambda s, f: data.officers(s, (f or {}).get("department", [None])[0]),
        "register_flags": lambda s, f: data.register_flags(s, snap),
        "department_ratings": lambda s, f: data.department_ratings(s, snap, w, f),
        "city_rating": lambda s, f: data.city_rating(s, snap, year()),
        "what_if": lambda s, f: data.what_if(s, snap, year(), "Baik"),
        "warehouse_completeness": lambda s, f: data.warehouse_completeness(s, snap, year()),
        "quality": lambda s, f: data.quality(s, snap),
        "scorecard_unit": lambda s, f: data.scorecard_unit(s, snap, (f or {}).get("department", [None])[0]),
        "scorecard_departments": lambda s, f: data.scorecard_departments(s, snap),
        "scorecard": lambda s, f: data.scorecard(s, snap, "2026", "sebelumnya",
                                                 (f or {}).get("department", [None])[0]),
        "scorecard_zip": lambda s, f: data.scorecard_zip(s, snap, "2026", "sebelumnya", ("xlsx",)),
    }


def test_every_scoped_data_function_checks_the_pemda():
    """A public dashboard.data function taking a Scope is either a resolver (tested below) or in ``calls``, and
    calls ``scope.check_pemda`` before anything else: a new function without the check fails here."""
    scoped = {name: f for name, f in vars(data).items()
              if inspect.isfunction(f) and not name.startswith("_") and f.__module__ == data.__name__
              and next(iter(inspect.signature(f).parameters), None) == "scope"}
    assert set(scoped) - RESOLVERS == set(calls(None, None))
    for name, f in scoped.items():
        body = ast.parse(textwrap.dedent(inspect.getsource(f))).body[0].body
        if isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            body = body[1:]  # the docstring
        first = ast.unparse(body[0])
        if name in RESOLVERS:
            assert "check_pemda(kode)" in ast.unparse(body) or "pemda_paths(scope" in ast.unparse(body), name
        else:
            assert first.startswith("scope.check_pemda("), (name, first)


@pytest.mark.parametrize("name", sorted(calls(None, None)))
@pytest.mark.parametrize("filters", [{}, {"department": [DISHUB]}], ids=["tanpa-filter", "filter-opd"])
def test_a_pemda_viewer_is_refused_another_pemdas_data(kediri, name, filters):
    snap, w = kediri
    with pytest.raises(ScopeError, match=REFUSED):
        calls(snap, w)[name](BLITAR_VIEWER, filters)
    # an opd viewer of Kota Blitar (its department exists in Kota Kediri too) is refused as well
    with pytest.raises(ScopeError, match="pemda 35.72"):
        calls(snap, w)[name](Scope("opd", department=DISHUB, user="o", pemda=BLITAR), filters)


@pytest.mark.parametrize("name", sorted(calls(None, None)))
def test_the_pemdas_own_viewer_and_a_province_level_viewer_may(kediri, name):
    snap, w = kediri
    out = calls(snap, w)[name](KEDIRI_VIEWER, {})
    assert out is not None or name == "scorecard_unit"
    assert calls(snap, w)[name](Scope("koordinator", user="k"), {}) is not None or name == "scorecard_unit"


def test_own_pemda_numbers_are_that_pemdas_warehouse(kediri, province_data_dir):
    from pipelines.kpi import compute
    from pipelines.province import load_province
    from pipelines.settings import Paths
    from pipelines.warehouse import open_readonly

    snap, w = kediri
    got = data.kpi(KEDIRI_VIEWER, snap, w, {})
    prov = load_province(Paths.from_args(province_data_dir))
    con = open_readonly(prov.get(KEDIRI).paths)
    try:
        want = compute(con, w.date_from, w.date_to, as_of=w.as_of)
    finally:
        con.close()
    assert got["received"] == want["received"] > 0
    assert got["by_department"] == want["by_department"]


def test_resolving_a_pemda_by_code_checks_the_scope_first(kediri):
    from pipelines.province import ProvinceError

    with pytest.raises(ScopeError, match="terbatas pada pemda 35.72; data pemda 3571 "):
        data.pemda_paths(BLITAR_VIEWER, "3571")  # the URL's other spelling (normalised for the check)
    with pytest.raises(ScopeError, match=REFUSED):
        data.pemda_snapshot(BLITAR_VIEWER, KEDIRI)
    with pytest.raises(ScopeError, match=REFUSED):
        data.activate(BLITAR_VIEWER, KEDIRI)
    with pytest.raises(ScopeError):  # a code that is no pemda of the province: refused before the look-up
        data.pemda_paths(BLITAR_VIEWER, "35.99")
    with pytest.raises(ProvinceError, match="tidak terdaftar"):
        data.pemda_paths(PROVINCE, "35.99")
    assert data.pemda_snapshot(BLITAR_VIEWER, BLITAR).city == "Kota Blitar"
    for kode in (KEDIRI, BLITAR, "35.05"):
        assert data.pemda_snapshot(PROVINCE, kode).pemda == kode


def test_a_single_city_snapshot_has_no_pemda(monkeypatch, demo_data_dir):
    monkeypatch.setenv("MONEV_DATA_DIR", str(demo_data_dir))
    assert data.province() is None
    snap = data.snapshot()
    assert snap.pemda is None
    assert data.kpi(Scope("pimpinan", user="p"), snap, windows(Filters("2026"), snap.as_of).current, {})["received"]


# ---------------------------------------------------------------- province functions


PROVINCE_CALLS = {
    "ranking": lambda s: province_data.ranking(s, dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
    "trend": lambda s: province_data.trend(s, "received", dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
    "span": lambda s: province_data.span(s),
}


def test_every_province_function_requires_the_province_level():
    scoped = {name for name, f in vars(province_data).items()
              if inspect.isfunction(f) and not name.startswith("_") and f.__module__ == province_data.__name__
              and next(iter(inspect.signature(f).parameters), None) == "scope"}
    assert scoped - {"pemda_choices"} == set(PROVINCE_CALLS)
    for name in PROVINCE_CALLS:
        assert "scope.require_province()" in inspect.getsource(getattr(province_data, name)), name


@pytest.mark.parametrize("name", sorted(PROVINCE_CALLS))
@pytest.mark.parametrize("scope", [
    Scope("pimpinan", user="p", pemda=BLITAR), Scope("koordinator", user="k", pemda=BLITAR),
    Scope("evaluator", user="e", pemda=BLITAR), Scope("analis", user="a", pemda=BLITAR),
    Scope("opd", department=DISHUB, user="o", pemda=BLITAR), Scope("opd", department=DISHUB, user="o"),
], ids=lambda s: f"{s.role}-{s.pemda}")
def test_province_functions_are_refused_for_a_pemda_viewer(monkeypatch, province_data_dir, name, scope):
    monkeypatch.setenv("MONEV_DATA_DIR", str(province_data_dir))
    with pytest.raises(ScopeError):
        PROVINCE_CALLS[name](scope)


def test_province_functions_serve_pipelines_province_for_the_province_role(monkeypatch, province_data_dir):
    from pipelines.province import load_province
    from pipelines.province.ranking import pemda_trend, ranking
    from pipelines.settings import Paths

    monkeypatch.setenv("MONEV_DATA_DIR", str(province_data_dir))
    prov = load_province(Paths.from_args(province_data_dir))
    got = PROVINCE_CALLS["ranking"](PROVINCE)
    assert got == ranking(prov, date_from="2025-01-01", date_to="2025-12-31")
    assert [r["kode"] for r in got["rows"]][:2] == [BLITAR, KEDIRI] and got["rows"][2]["rank"] is None
    assert PROVINCE_CALLS["trend"](PROVINCE).equals(
        pemda_trend(prov, metric="received", date_from="2025-01-01", date_to="2025-12-31"))
    first, last = PROVINCE_CALLS["span"](PROVINCE)
    assert first < last
    assert province_data.pemda_choices(PROVINCE) == [(p.kode, p.name) for p in prov.pemda]
    assert province_data.pemda_choices(BLITAR_VIEWER) == [(BLITAR, "Kota Blitar")]


# ---------------------------------------------------------------- accounts


@pytest.fixture()
def province_copy(tmp_path, province_data_dir):
    """The province's provinsi.yaml and config folders (no warehouses) in a fresh folder: accounts only."""
    import shutil

    d = tmp_path / "jatim"
    d.mkdir()
    shutil.copy(province_data_dir / "provinsi.yaml", d)
    shutil.copytree(province_data_dir / "config-provinsi", d / "config-provinsi")
    for slug in ("3572", "3571", "3505"):
        shutil.copytree(province_data_dir / "pemda" / slug / "config", d / "pemda" / slug / "config")
    return d


PW = "kalimat-sandi-uji-123"


def test_accounts_on_a_province_installation(province_copy):
    from pipelines.auth import AuthError, add_user, login
    from pipelines.settings import Paths

    paths = Paths.from_args(province_copy)
    prov = add_user(paths, "admin.prov", "provinsi", PW)
    lead = add_user(paths, "kadis.prov", "koordinator", PW)
    own = add_user(paths, "walikota.kediri", "pimpinan", PW, pemda="3571")
    opd = add_user(paths, "dishub.kediri", "opd", PW, department="dishub", pemda=KEDIRI)
    assert (prov.pemda, lead.pemda, own.pemda, opd.pemda, opd.department) == (None, None, KEDIRI, KEDIRI, DISHUB)
    res = login(paths, "dishub.kediri", PW, client="127.0.0.1")
    assert res.ok and res.account.scope() == Scope("opd", department=DISHUB, user="dishub.kediri", pemda=KEDIRI)
    assert login(paths, "admin.prov", PW, client="127.0.0.1").account.scope().province_wide
    assert login(paths, "kadis.prov", PW, client="127.0.0.1").account.scope().province_wide
    assert not login(paths, "walikota.kediri", PW, client="127.0.0.1").account.scope().province_wide
    with pytest.raises(AuthError, match="wajib disertai --pemda"):
        add_user(paths, "dishub.x", "opd", PW, department=DISHUB)
    with pytest.raises(AuthError, match="hapus --pemda"):
        add_user(paths, "prov.x", "provinsi", PW, pemda=BLITAR)
    with pytest.raises(AuthError, match="tidak terdaftar"):
        add_user(paths, "x.y", "pimpinan", PW, pemda="35.99")
    with pytest.raises(AuthError, match=r"Kota Kediri \(35.71\).*tidak ada di data induk"):
        add_user(paths, "x.z", "opd", PW, department="Dinas Entah Berantah", pemda=KEDIRI)
    # accounts live in the province folder's state/, not in a pemda's
    assert (province_copy / "state" / "app.sqlite").is_file()
    assert not (province_copy / "pemda" / "3571" / "state" / "app.sqlite").exists()


def test_a_single_city_refuses_pemda_and_the_province_role(tmp_path):
    from pipelines.auth import AuthError, add_user
    from pipelines.settings import Paths

    paths = Paths.from_args(tmp_path / "kota")
    with pytest.raises(AuthError, match="hanya berlaku pada instalasi provinsi"):
        add_user(paths, "walikota", "pimpinan", PW, pemda=BLITAR)
    with pytest.raises(AuthError, match="Peran provinsi hanya untuk instalasi provinsi"):
        add_user(paths, "prov", "provinsi", PW)
    acc = add_user(paths, "dishub", "opd", PW, department="Dishub")
    assert acc.pemda is None and acc.scope() == Scope("opd", department=DISHUB, user="dishub")


def test_an_existing_accounts_store_is_migrated(tmp_path):
    """A store written before the pemda column (every migration but 0019 applied) keeps its accounts working."""
    from pipelines.auth import list_users, login
    from pipelines.auth.accounts import hash_password
    from pipelines.auth.store import PEMDA_MIGRATION_ID
    from pipelines.settings import Paths
    from pipelines.state import MIGRATIONS, open_state, state_path

    paths = Paths.from_args(tmp_path / "kota")
    with open_state(paths) as con:  # today's store, then undo the new migration: yesterday's store
        con.execute("ALTER TABLE accounts DROP COLUMN pemda")
        con.execute("DELETE FROM schema_migrations WHERE id = ?", [PEMDA_MIGRATION_ID])
        con.execute("INSERT INTO accounts (username, role, department, password_hash, active, created_at, "
                    "created_by, password_changed_at) VALUES ('lama', 'pimpinan', NULL, ?, 1, '2026-01-01 08:00:00', "
                    "'cli', '2026-01-01 08:00:00')", [hash_password(PW)])
        con.commit()
    raw = sqlite3.connect(state_path(paths))
    assert "pemda" not in [r[1] for r in raw.execute("PRAGMA table_info(accounts)")]
    raw.close()
    assert any(m.id == PEMDA_MIGRATION_ID for m in MIGRATIONS)
    (acc,) = list_users(paths)
    assert acc.username == "lama" and acc.pemda is None
    res = login(paths, "lama", PW, client="127.0.0.1")
    assert res.ok and res.account.scope() == Scope("pimpinan", user="lama")


def test_monev_user_add_with_pemda(province_copy):
    from typer.testing import CliRunner

    from pipelines.cli import app

    runner = CliRunner()
    args = ["user", "add", "dishub.blitar", "--role", "opd", "--department", "Dishub", "--pemda", "3572",
            "--password-stdin", "--data-dir", str(province_copy)]
    r = runner.invoke(app, args, input=PW + "\n")
    assert r.exit_code == 0, r.output
    assert "pemda 35.72" in r.output
    r = runner.invoke(app, ["user", "list", "--data-dir", str(province_copy)])
    assert r.exit_code == 0 and "Pemda" in r.output and "35.72" in r.output
    r = runner.invoke(app, ["user", "add", "x.opd", "--role", "opd", "--department", "Dishub", "--password-stdin",
                            "--data-dir", str(province_copy)], input=PW + "\n")
    assert r.exit_code != 0 and "--pemda" in r.output
