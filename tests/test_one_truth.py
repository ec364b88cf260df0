"""Same view, same number (issue 15): seeded random views (period kind and value, as-of, one or two filters,
role, comparison) on the demo warehouse; for each, every number the surfaces show is compared:
`monev kpi --format json`, the notebook helper (``pipelines.nbtools.headline``, what notebook 01's headline
cells show), the dashboard (its data layer and the cards the pages draw, and the running app through
AppTest for some views), and the scorecards (ScorecardData, the XLSX cells and the PDF text). Ranks and
comparison deltas included. The test prints how many numbers it compared; 0 mismatches allowed."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import random
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from dashboard import data as dash
from dashboard.components.summary import headline_cards
from dashboard.context import Context
from dashboard.filters import Filters, period_options, windows
from pipelines import fmt
from pipelines.auth.scope import SESSION_KEY, Scope
from pipelines.cli import app as cli_app
from pipelines.kpi import derived
from pipelines.nbtools import HEADLINE_CARDS, headline
from pipelines.rating import load_model
from pipelines.scorecard import gather, render
from pipelines.settings import Paths
from pipelines.warehouse import open_readonly

SEED = 15
VIEWS = 50
APPTEST_VIEWS = 4
SCORECARD_VIEWS = 6
KINDS = ("tahun", "semester", "triwulan", "bulan")
FILTER_KEYS = ("department", "category", "channel", "kecamatan")
CLI_OPTION = {"department": "--department", "category": "--category", "channel": "--channel",
              "kecamatan": "--kecamatan"}
URL_PARAM = {"department": "opd", "category": "kategori", "channel": "kanal", "kecamatan": "kecamatan"}
# the card value as the dashboard shows it
CARD_FORMAT = {"received": fmt.number, "response_rate": fmt.percent, "on_time_response_rate": fmt.percent,
               "resolution_rate": fmt.percent, "resolution_days_median": fmt.days, "backlog_overdue": fmt.number}


class Tally:
    def __init__(self) -> None:
        self.compared = 0
        self.mismatches: list[str] = []

    def same(self, where: str, a, b) -> None:
        self.compared += 1
        if not _equal(a, b):
            self.mismatches.append(f"{where}: {a!r} != {b!r}")


def _equal(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, str) or isinstance(b, str):
        return str(a) == str(b)
    return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(a)))


@pytest.fixture(scope="module")
def env(demo_data_dir):
    old = {k: os.environ.get(k) for k in ("MONEV_DATA_DIR", "MONEV_DASHBOARD_DEMO")}
    os.environ["MONEV_DATA_DIR"] = str(demo_data_dir)
    os.environ["MONEV_DASHBOARD_DEMO"] = "1"
    paths = Paths.from_args(str(demo_data_dir))
    con = open_readonly(paths)
    snap = dash.snapshot()
    master = dash.master(snap)
    yield {"dir": demo_data_dir, "con": con, "snap": snap, "master": master, "model": load_model()}
    con.close()
    for k, v in old.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


def draw_views(env) -> list[dict]:
    rng = random.Random(SEED)
    con, snap = env["con"], env["snap"]
    first = con.execute("SELECT CAST(min(reported_at) AS DATE) FROM complaints").fetchone()[0]
    values = {k: list(vals) for k, vals in env["master"].values().items()}
    views = []
    for i in range(VIEWS):
        kind = KINDS[i % len(KINDS)]
        key = rng.choice(period_options(kind, first, snap.as_of)[:8])
        p = Filters(period_key=key).period
        own_as_of = i % 3 != 2  # two in three at the data's own as-of date (the dashboard's)
        as_of = snap.as_of if own_as_of else min(snap.as_of, p.end + dt.timedelta(days=rng.randint(5, 90)))
        filters = {}
        for k in rng.sample(FILTER_KEYS, rng.choice((0, 1, 1, 2))):
            filters[k] = [rng.choice(values[k])]
        role = rng.choice(("koordinator", "pimpinan", "analis", "evaluator", "opd"))
        department = None
        if role == "opd":
            department = filters.get("department", [rng.choice(values["department"])])[0]
        views.append({"period": key, "as_of": as_of, "own_as_of": as_of == snap.as_of, "filters": filters,
                      "scope": Scope(role, department=department, user=f"uji-{role}"),
                      "comparison": rng.choice(("tahun_lalu", "sebelumnya"))})
    return views


def cli_json(env, v) -> dict:
    args = ["kpi", "--period", v["period"], "--as-of", v["as_of"].isoformat(), "--compare", v["comparison"],
            "--format", "json", "--data-dir", str(env["dir"])]
    for k, vals in v["filters"].items():
        for x in vals:
            args += [CLI_OPTION[k], x]
    r = CliRunner().invoke(cli_app, args)
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def check_notebook(t: Tally, env, v, j) -> None:
    p = Filters(period_key=v["period"]).period
    nb = headline(env["con"], p.start, p.end, as_of=v["as_of"], filters=v["filters"], comparison=v["comparison"])
    for card in nb["cards"]:
        k = card["key"]
        t.same(f"{v['period']} notebook {k}", card["value"], j[k])
        if j.get("comparison"):
            t.same(f"{v['period']} notebook {k} pembanding", card["comparison"], j["comparison"][k])
            t.same(f"{v['period']} notebook {k} perubahan", card["change"], j["comparison"]["change"][k])
        t.same(f"{v['period']} notebook {k} sampel kecil", card["note"],
               derived.small_sample_note(j, (k,), j["settings"]["min_sample"]))
    t.same(f"{v['period']} notebook porsi lewat batas", nb["overdue_share"], derived.overdue_share(j))
    for r in j["by_department"]:
        t.same(f"{v['period']} notebook rank {r['department']}", nb["ranks"][r["department"]], r["rank"])


def dashboard_context(env, v) -> Context:
    f = Filters(period_key=v["period"], comparison=v["comparison"],
                **{k: tuple(vals) for k, vals in v["filters"].items()})
    return Context(v["scope"], env["snap"], env["master"], f, windows(f, env["snap"].as_of), env["model"])


def check_dashboard(t: Tally, env, v, j) -> list:
    ctx = dashboard_context(env, v)
    filters = ctx.filters
    cur = dash.kpi(ctx.scope, ctx.snap, ctx.current, filters, previous=ctx.comparison)
    cmp = dash.kpi(ctx.scope, ctx.snap, ctx.comparison, filters) if ctx.comparison is not None else None
    cards = headline_cards(ctx, cur, cmp)
    where = f"{v['period']} dasbor"
    for card in cards:
        t.same(f"{where} kartu {card.key}", card.value, CARD_FORMAT[card.key](j[card.key]))
        if j.get("comparison"):
            t.same(f"{where} kartu {card.key} perubahan", card.delta_value, j["comparison"]["change"][card.key])
        for key in ("in_scope", "responded", "resolved", "response_on_time", "response_late", "backlog_open"):
            t.same(f"{where} {key}", cur[key], j[key])
    if ctx.comparison is not None:
        t.same(f"{where} pembanding dari", ctx.comparison.date_from.isoformat(), j["comparison"]["from"])
        t.same(f"{where} pembanding sampai", ctx.comparison.date_to.isoformat(), j["comparison"]["to"])
        t.same(f"{where} pembanding per", ctx.comparison.as_of.isoformat(), j["comparison"]["as_of"])
    ranks = {r["department"]: r["rank"] for r in j["by_department"]}
    ratings = dash.department_ratings(ctx.scope, ctx.snap, ctx.current, filters, previous=ctx.comparison)
    for r in ratings:  # Kinerja OPD: the league of `monev kpi`
        t.same(f"{where} peringkat {r['department']}", r["rank"], ranks.get(r["department"]))
    for r in cur["by_department"]:
        t.same(f"{where} rincian OPD {r['department']} lewat batas", r["backlog_overdue"],
               next(x["backlog_overdue"] for x in j["by_department"] if x["department"] == r["department"]))
    return cards


def check_apptest(t: Tally, env, v, cards) -> None:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "dashboard" / "app.py"), default_timeout=90)
    at.query_params.update({"periode": v["period"], "banding": v["comparison"],
                            **{URL_PARAM[k]: vals[0] for k, vals in v["filters"].items()}})
    at.session_state[SESSION_KEY] = v["scope"]
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    shown = {m.label: m for m in at.metric}
    for card in cards:
        m = shown[card.label]
        t.same(f"{v['period']} AppTest {card.key}", m.value, card.value)
        t.same(f"{v['period']} AppTest {card.key} perubahan", m.delta or "", card.delta)


def check_scorecard(t: Tally, env, v, j) -> None:
    dept = v["filters"].get("department", [None])[0]
    d = gather(env["con"], v["period"], dept, comparison=v["comparison"])
    where = f"{v['period']} rapor {dept or 'kota'}"
    by_key = {m.key: m for m in d.metrics}
    for k, m in by_key.items():
        if k in j:
            t.same(f"{where} {k}", m.value, j[k])
            if m.previous is not None and j.get("comparison") and k in j["comparison"]:
                t.same(f"{where} {k} pembanding", m.previous, j["comparison"][k])
    ws = openpyxl.load_workbook(io.BytesIO(render(d, "xlsx")), read_only=True)["Ringkasan"]
    cells = {r[1]: r for r in ws.iter_rows(values_only=True) if r and len(r) > 4 and r[1] in by_key}
    for k, row in cells.items():
        if k in j:
            t.same(f"{where} XLSX {k}", row[2], j[k])
            t.same(f"{where} XLSX {k} tampilan", row[3], by_key[k].text)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(render(d, "pdf"))).pages)
    flat = " ".join(text.split())
    for k in HEADLINE_CARDS:
        if k in by_key and by_key[k].value is not None:
            t.same(f"{where} PDF {k}", by_key[k].text in flat, True)
    if dept is None:  # the city scorecard's OPD table: the league of `monev kpi`
        ranks = {r["department"]: r["rank"] for r in j["by_department"]}
        for row in d.departments.rows if d.departments else []:
            t.same(f"{where} peringkat {row[1]}", row[0], ranks.get(row[1]))


def test_every_surface_shows_the_same_number_for_the_same_view(env, capsys):
    t = Tally()
    views = draw_views(env)
    apptests = scorecards = 0
    for v in views:
        j = cli_json(env, v)
        check_notebook(t, env, v, j)
        if not v["own_as_of"]:
            continue  # the dashboard and the scorecards show the data's own as-of date
        own = v["scope"].department
        if own and v["filters"].get("department", [own]) != [own]:
            continue
        cards = check_dashboard(t, env, v, j)
        if apptests < APPTEST_VIEWS:
            check_apptest(t, env, v, cards)
            apptests += 1
        if (scorecards < SCORECARD_VIEWS and set(v["filters"]) <= {"department"}
                and v["scope"].can("download_scorecard")):
            check_scorecard(t, env, v, j)
            scorecards += 1
    with capsys.disabled():
        print(f"\n[issue 15] {len(views)} tampilan, {t.compared} angka dibandingkan "
              f"({apptests} lewat AppTest, {scorecards} rapor PDF+XLSX), {len(t.mismatches)} tidak cocok")
    assert apptests and scorecards
    assert not t.mismatches, "\n".join(t.mismatches[:40])
