"""The scope is enforced in the data-access layer (``dashboard.data``), not only by hiding pages: every
function that takes a Scope is called as an ``opd`` viewer asking for another department (a refusal)
and with no filter (its own rows only, city-level aggregates city-wide), and as roles lacking a
capability (a refusal). A new data function taking a Scope fails the inventory test until it is covered
here."""

from __future__ import annotations

import inspect

import polars as pl
import pytest

from dashboard import data
from dashboard.filters import Filters, windows
from pipelines.auth.scope import Scope, ScopeError

DISHUB = "Dinas Perhubungan"
OTHER = {"department": ["Dinas Kesehatan"]}
OPD = Scope("opd", department=DISHUB, user="dishub")
COVERED = {
    "kpi", "by_month", "category_by_month", "channel_by_month", "breakdown", "aging_by_department", "complaints",
    "overdue", "early_warning", "department_ratings", "city_rating", "what_if", "warehouse_completeness", "quality",
    "scorecard_unit", "scorecard_departments", "scorecard", "scorecard_zip", "worklist", "executive_snapshot",
    "officers", "register_flags",
    "pemda_paths", "pemda_snapshot", "activate",  # province: resolving a pemda by code (tests/test_province_ui_scope.py)
}


@pytest.fixture()
def env(monkeypatch, demo_data_dir):
    monkeypatch.setenv("MONEV_DATA_DIR", str(demo_data_dir))
    snap = data.snapshot()
    w = windows(Filters(period_key="2024-01-01..2026-10-31"), snap.as_of).current
    return snap, w


def test_every_scoped_function_is_covered():
    scoped = {name for name, f in vars(data).items()
              if inspect.isfunction(f) and not name.startswith("_") and f.__module__ == data.__name__
              and next(iter(inspect.signature(f).parameters), None) == "scope"}
    assert scoped == COVERED


def calls(snap, w):
    """name -> function(scope, filters) for every scoped data function."""
    return {
        "kpi": lambda s, f: data.kpi(s, snap, w, f),
        "by_month": lambda s, f: data.by_month(s, snap, w.date_from, w.date_to, w.as_of, f),
        "category_by_month": lambda s, f: data.category_by_month(s, snap, w, f),
        "channel_by_month": lambda s, f: data.channel_by_month(s, snap, w, f),
        "breakdown": lambda s, f: data.breakdown(s, snap, "department", w, f),
        "breakdown_category": lambda s, f: data.breakdown(s, snap, "category", w, f),
        "aging_by_department": lambda s, f: data.aging_by_department(s, snap, w.as_of, f),
        "complaints": lambda s, f: data.complaints(s, snap, w, f, as_of=w.as_of),
        "complaints_department": lambda s, f: data.complaints(s, snap, w, {}, as_of=w.as_of,
                                                              department=(f or {}).get("department", [None])[0]),
        "overdue": lambda s, f: data.overdue(s, snap, w.as_of, f),
        "early_warning": lambda s, f: data.early_warning(s, snap, w.as_of, f),
        "department_ratings": lambda s, f: data.department_ratings(s, snap, w, f),
        "scorecard_unit": lambda s, f: data.scorecard_unit(s, snap, (f or {}).get("department", [DISHUB])[0]),
        "scorecard": lambda s, f: data.scorecard(s, snap, "2026", "sebelumnya",
                                                 (f or {}).get("department", [DISHUB])[0]),
        "worklist": lambda s, f: pl.concat(list(data.worklist(s, snap, w.as_of, (f or {}).get("department", [None])[0])
                                                .frames.values())),
    }


@pytest.mark.parametrize("name", [
    "kpi", "by_month", "category_by_month", "channel_by_month", "breakdown", "breakdown_category",
    "aging_by_department", "complaints", "complaints_department", "overdue", "early_warning", "department_ratings",
    "scorecard_unit", "scorecard", "worklist",
])
def test_opd_viewer_asking_for_another_department_is_refused(env, name):
    snap, w = env
    with pytest.raises(ScopeError, match="Akses Anda terbatas pada Dinas Perhubungan"):
        calls(snap, w)[name](OPD, OTHER)
    # through an alias too
    if name in ("kpi", "complaints", "breakdown"):
        with pytest.raises(ScopeError):
            calls(snap, w)[name](OPD, {"department": ["dinkes"]})


def departments_in(result) -> set[str]:
    if isinstance(result, pl.DataFrame):
        return set(result["department"].drop_nulls()) if "department" in result.columns else set()
    return {r["department"] for r in result}


@pytest.mark.parametrize("name", ["breakdown", "aging_by_department", "complaints", "overdue", "early_warning",
                                  "department_ratings", "worklist"])
def test_opd_viewer_gets_only_its_own_rows(env, name):
    snap, w = env
    full = calls(snap, w)[name](Scope("koordinator", user="k"), {})
    own = calls(snap, w)[name](OPD, {})
    assert departments_in(full) - {DISHUB}  # other departments exist in the unrestricted result
    assert departments_in(own) == departments_in(full) & {DISHUB} or departments_in(own) == {DISHUB}


def test_opd_viewer_breakdowns_are_its_own_and_city_totals_city_wide(env):
    snap, w = env
    full = data.kpi(Scope("pimpinan", user="p"), snap, w, {})
    own = data.kpi(OPD, snap, w, {})
    only = data.kpi(Scope("pimpinan", user="p"), snap, w, {"department": [DISHUB]})
    assert own["received"] == full["received"]  # city-level aggregate
    assert [r["department"] for r in own["by_department"]] == [DISHUB]
    assert own["by_category"] == only["by_category"] and own["by_category"] != full["by_category"]
    assert data.category_by_month(OPD, snap, w, {}).equals(
        data.category_by_month(Scope("pimpinan", user="p"), snap, w, {"department": [DISHUB]}))
    assert data.by_month(OPD, snap, w.date_from, w.date_to, w.as_of, {}).equals(
        data.by_month(Scope("pimpinan", user="p"), snap, w.date_from, w.date_to, w.as_of, {}))


def test_scorecards_for_an_opd_viewer(env):
    snap, _ = env
    assert data.scorecard_departments(OPD, snap) == [DISHUB]
    assert data.scorecard_unit(OPD, snap, None) is None  # the city's
    with pytest.raises(ScopeError):
        data.scorecard_zip(Scope("analis", user="a"), snap, "2026", "sebelumnya", ("xlsx",))


@pytest.mark.parametrize(("scope", "refused"), [
    (Scope("evaluator", user="e"), ["complaints", "overdue", "early_warning", "quality", "worklist", "officers"]),
    (OPD, ["quality", "officers", "officers_own", "register_flags", "executive_snapshot"]),
    (Scope("analis", user="a"), ["scorecard", "scorecard_departments", "officers", "register_flags"]),
    (Scope("pimpinan", user="p"), ["officers", "register_flags"]),
])
def test_capabilities_are_checked_in_the_data_layer(env, scope, refused):
    snap, w = env
    fns = {
        "complaints": lambda: data.complaints(scope, snap, w, {}, as_of=w.as_of),
        "overdue": lambda: data.overdue(scope, snap, w.as_of, {}),
        "early_warning": lambda: data.early_warning(scope, snap, w.as_of, {}),
        "quality": lambda: data.quality(scope, snap),
        "scorecard": lambda: data.scorecard(scope, snap, "2026", "sebelumnya", None),
        "scorecard_departments": lambda: data.scorecard_departments(scope, snap),
        "worklist": lambda: data.worklist(scope, snap, w.as_of),
        "officers": lambda: data.officers(scope, "Dinas Kesehatan"),  # another OPD's officer
        "officers_own": lambda: data.officers(scope, DISHUB),  # contact data: koordinator only
        "register_flags": lambda: data.register_flags(scope, snap),
        "executive_snapshot": lambda: data.executive_snapshot(scope, snap, w.as_of),  # names every OPD
    }
    for name in refused:
        with pytest.raises(ScopeError, match="tidak mencakup"):
            fns[name]()


def test_city_level_rating_is_the_same_for_every_role(env):
    """Rating functions are city level (no department rows): an opd viewer sees the city's rating."""
    snap, _ = env
    year = snap.as_of.year
    full = Scope("koordinator", user="k")
    assert data.city_rating(OPD, snap, year).to_dict() == data.city_rating(full, snap, year).to_dict()
    assert data.warehouse_completeness(OPD, snap, year) == data.warehouse_completeness(full, snap, year)
    band = data.city_rating(full, snap, year).inputs.model.band_names[0]
    assert data.what_if(OPD, snap, year, band) == data.what_if(full, snap, year, band)


def test_complaint_rows_never_carry_the_body_and_titles_follow_the_role(env):
    snap, w = env
    analis = data.complaints(Scope("analis", user="a"), snap, w, {}, as_of=w.as_of)
    assert "body" not in analis.columns and "title" in analis.columns
